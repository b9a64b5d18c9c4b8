//! Facet counts over a whole result set, collected in the same pass as the hits: per
//! person, place, organisation and source (the index-wide numbers of the
//! `facet_values` column, counted in one array shared by all segments and named from
//! `facet-values.tsv` at the end), and per calendar bucket of the publication and
//! mentioned dates.

use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::dates::{self, Interval};
use crate::index::facet_values::{FacetKind, FacetValues};
use crate::model::EntityKind;
use crate::search::stats::Count;

/// Values listed per string facet.
pub const TOP_VALUES: usize = 20;

/// The fast field holding each article's facet value numbers.
const NUMBERS_FIELD: &str = "facet_values";

/// Documents gathered before their facet values are read, a block at a time.
const BLOCK: usize = 256;

/// Counts per facet (SPEC §6 `facets`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Facets {
    pub person: Vec<Count>,
    pub place: Vec<Count>,
    pub org: Vec<Count>,
    pub source: Vec<Count>,
    pub published: Vec<Count>,
    pub mentioned: Vec<Count>,
}

/// The highest facet value number any article of the searcher holds, plus one: how many
/// numbered values the names must cover.
pub fn numbers_in_use(searcher: &tantivy::Searcher) -> tantivy::Result<usize> {
    let mut most = 0;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(NUMBERS_FIELD)?;
        if column.values.num_vals() > 0 {
            most = most.max(column.max_value() as usize + 1);
        }
    }
    Ok(most)
}

/// Collects [`Facets`] with dates bucketed by `interval`.
pub struct FacetCollector {
    interval: Interval,
    values: Arc<FacetValues>,
    /// Arrays of counts per value number not in use by a segment right now: a segment
    /// takes one and gives it back when done, so segments searched one after another
    /// share an array and segments searched at the same time (one per core) do not.
    idle: Arc<Mutex<Vec<ValueCounts>>>,
}

impl FacetCollector {
    /// `values` must name every number the searched articles hold ([`numbers_in_use`]).
    pub fn new(interval: Interval, values: Arc<FacetValues>) -> FacetCollector {
        FacetCollector {
            interval,
            values,
            idle: Arc::default(),
        }
    }
}

/// Articles per facet value number. Counting is a bare increment per value (no note of
/// which values were seen): reading the whole array once at the end costs less than a
/// branch per value when a broad result set counts a million values.
#[derive(Default)]
struct ValueCounts {
    counts: Vec<u32>,
}

impl ValueCounts {
    fn add(&mut self, other: &ValueCounts) {
        for (count, more) in self.counts.iter_mut().zip(&other.counts) {
            *count += more;
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The per-segment collector.
pub struct FacetSegmentCollector {
    numbers: Column<u64>,
    counts: ValueCounts,
    idle: Arc<Mutex<Vec<ValueCounts>>>,
    published: Column<tantivy::DateTime>,
    mentioned: Column<tantivy::DateTime>,
    published_days: FxHashMap<i64, u64>,
    mentioned_days: FxHashMap<i64, u64>,
    /// Matching documents not yet counted.
    block: Vec<DocId>,
    /// Values of one document, reused.
    values: Vec<u64>,
    days: Vec<tantivy::DateTime>,
}

/// What one segment hands over: its day counts (value counts are already shared).
pub struct SegmentFacets {
    published_days: FxHashMap<i64, u64>,
    mentioned_days: FxHashMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let published = fast.date("published")?;
        let mentioned = fast.date("mentioned")?;
        let counts = lock(&self.idle).pop().unwrap_or_else(|| ValueCounts {
            counts: vec![0; self.values.len()],
        });
        Ok(FacetSegmentCollector {
            numbers: fast.u64(NUMBERS_FIELD)?,
            counts,
            idle: Arc::clone(&self.idle),
            published_days: FxHashMap::default(),
            mentioned_days: FxHashMap::default(),
            published,
            mentioned,
            block: Vec::with_capacity(BLOCK),
            values: Vec::new(),
            days: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut published: Vec<(i64, u64)> = Vec::new();
        let mut mentioned: Vec<(i64, u64)> = Vec::new();
        for segment in segments {
            published.extend(segment.published_days);
            mentioned.extend(segment.mentioned_days);
        }
        let mut arrays = std::mem::take(&mut *lock(&self.idle));
        let mut counts = arrays.pop().unwrap_or_default();
        for other in arrays {
            counts.add(&other);
        }
        let [person, place, org, source] = top_values(&counts, &self.values);
        Ok(Facets {
            person,
            place,
            org,
            source,
            published: date_buckets(published, self.interval),
            mentioned: date_buckets(mentioned, self.interval),
        })
    }
}

impl FacetSegmentCollector {
    /// Counts the values of the gathered documents.
    fn count_block(&mut self) {
        if self.block.is_empty() {
            return;
        }
        let counts = self.counts.counts.as_mut_slice();
        for &doc in &self.block {
            read_values(&self.numbers, doc, &mut self.values);
            for &number in &self.values {
                // Numbers past the names were ruled out before the search.
                if let Some(count) = counts.get_mut(number as usize) {
                    *count += 1;
                }
            }
        }
        for &doc in &self.block {
            if let Some(day) = self.published.first(doc) {
                *self.published_days.entry(epoch_day(day)).or_default() += 1;
            }
            read_values(&self.mentioned, doc, &mut self.days);
            let mut previous = None;
            for &day in &self.days {
                // An article counts once per day it mentions.
                let day = epoch_day(day);
                if previous != Some(day) {
                    *self.mentioned_days.entry(day).or_default() += 1;
                }
                previous = Some(day);
            }
        }
        self.block.clear();
    }
}

/// Reads all values of `doc` in one call rather than one call per value.
fn read_values<T: PartialOrd + Copy + std::fmt::Debug + Send + Sync + Default + 'static>(
    column: &Column<T>,
    doc: DocId,
    out: &mut Vec<T>,
) {
    let rows = column.index.value_row_ids(doc);
    out.clear();
    out.resize(rows.len(), T::default());
    if !rows.is_empty() {
        column.values.get_range(u64::from(rows.start), out);
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.block.push(doc);
        if self.block.len() == BLOCK {
            self.count_block();
        }
    }

    fn harvest(mut self) -> SegmentFacets {
        self.count_block();
        lock(&self.idle).push(self.counts);
        SegmentFacets {
            published_days: self.published_days,
            mentioned_days: self.mentioned_days,
        }
    }
}

/// The [`TOP_VALUES`] most frequent values of each kind (person, place, organisation,
/// source), most frequent first, ties by name.
fn top_values(counts: &ValueCounts, values: &FacetValues) -> [Vec<Count>; 4] {
    let mut by_kind: [Vec<(u32, u32)>; 4] = Default::default();
    let counted = counts.counts.iter().enumerate().filter(|(_, &c)| c > 0);
    for (number, &count) in counted {
        let slot = match values.kind(number as u64) {
            Some(FacetKind::Entity(EntityKind::Person)) => 0,
            Some(FacetKind::Entity(EntityKind::Place)) => 1,
            Some(FacetKind::Entity(EntityKind::Org)) => 2,
            Some(FacetKind::Source) => 3,
            None => continue,
        };
        by_kind[slot].push((count, number as u32));
    }
    by_kind.map(|list| top_of(list, TOP_VALUES, values))
}

/// The `n` best of `list` (count, value number) by count, then name. A broad result set
/// touches thousands of values, so this finds the count the `n`th value has by counts
/// alone and names only the values that reach it.
fn top_of(mut list: Vec<(u32, u32)>, n: usize, values: &FacetValues) -> Vec<Count> {
    if list.len() > n && n > 0 {
        let (_, &mut (threshold, _), _) =
            list.select_nth_unstable_by_key(n - 1, |&(count, _)| std::cmp::Reverse(count));
        list.retain(|&(count, _)| count >= threshold);
    }
    let name = |number: u32| values.get(u64::from(number)).map_or("", |(_, name)| name);
    let mut named: Vec<(u32, &str)> = list.into_iter().map(|(c, v)| (c, name(v))).collect();
    let order = |a: &(u32, &str), b: &(u32, &str)| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1));
    if named.len() > n && n > 0 {
        named.select_nth_unstable_by(n - 1, order);
        named.truncate(n);
    }
    named.sort_unstable_by(order);
    named
        .into_iter()
        .map(|(count, name)| Count {
            value: name.to_string(),
            count: u64::from(count),
        })
        .collect()
}

fn epoch_day(value: tantivy::DateTime) -> i64 {
    value.into_timestamp_secs().div_euclid(86_400)
}

/// Day counts (epoch day, articles; a day may come once per segment) summed into
/// calendar buckets, oldest first. Sorted by day, the days of a bucket are neighbours, so
/// calendar arithmetic runs once per bucket rather than once per day.
fn date_buckets(mut days: Vec<(i64, u64)>, interval: Interval) -> Vec<Count> {
    days.sort_unstable_by_key(|&(day, _)| day);
    let mut buckets: Vec<Count> = Vec::new();
    // The first epoch day past the current bucket.
    let mut bucket_end = i64::MIN;
    for (day, count) in days {
        if buckets.is_empty() || day >= bucket_end {
            let Some(date) = dates::day_of_epoch_seconds(day * 86_400) else {
                continue;
            };
            let start = dates::bucket_start(date, interval);
            bucket_end = dates::next_bucket_start(start, interval)
                .map_or(i64::MAX, |next| dates::day_to_epoch_seconds(next) / 86_400);
            buckets.push(Count {
                value: dates::bucket_label(start, interval),
                count: 0,
            });
        }
        if let Some(bucket) = buckets.last_mut() {
            bucket.count += count;
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch_day_of(text: &str) -> i64 {
        dates::day_to_epoch_seconds(text.parse().unwrap()) / 86_400
    }

    #[test]
    fn days_from_several_segments_sum_into_calendar_buckets() {
        let days = vec![
            (epoch_day_of("2022-03-01"), 1),
            (epoch_day_of("2022-02-28"), 2),
            (epoch_day_of("2021-12-31"), 1),
            // The same day again, from another segment.
            (epoch_day_of("2022-02-28"), 3),
            (epoch_day_of("2022-02-01"), 1),
        ];
        let counts = |interval| {
            date_buckets(days.clone(), interval)
                .into_iter()
                .map(|c| (c.value, c.count))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            counts(Interval::Month),
            [
                ("2021-12".to_string(), 1),
                ("2022-02".to_string(), 6),
                ("2022-03".to_string(), 1)
            ]
        );
        assert_eq!(
            counts(Interval::Year),
            [("2021".to_string(), 1), ("2022".to_string(), 7)]
        );
        assert_eq!(counts(Interval::Day)[2], ("2022-02-28".to_string(), 5));
    }

    #[test]
    fn top_values_rank_by_count_then_name() {
        let values = FacetValues::default();
        // No names known: every value is named "" and still counted.
        let list = vec![(3, 0), (5, 1), (3, 2), (1, 3)];
        let top = top_of(list, 2, &values);
        assert_eq!(top.iter().map(|c| c.count).collect::<Vec<_>>(), [5, 3]);
    }
}
