//! Facet counts over a whole result set, collected in the same pass as the hits: per
//! person, place, organisation and source (string fast fields, counted by ordinal
//! within a segment and named once at the end), and per calendar bucket of the
//! publication and mentioned dates.

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::dates::{self, Interval};
use crate::search::stats::Count;

/// Values listed per string facet.
pub const TOP_VALUES: usize = 20;

/// The fast fields of the string facets, in output order (person, place, org, source).
const STRING_FACETS: [&str; 4] = ["person", "place", "org", "source_name"];

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

/// Collects [`Facets`] with dates bucketed by `interval`.
pub struct FacetCollector {
    pub interval: Interval,
}

/// Counts gathered in one segment, by dictionary ordinal: named only when merged.
pub struct SegmentFacets {
    strings: [Option<OrdinalCounts>; 4],
    published_days: FxHashMap<i64, u64>,
    mentioned_days: FxHashMap<i64, u64>,
}

/// One segment's counts of one string facet.
pub struct OrdinalCounts {
    column: StrColumn,
    /// Count per ordinal.
    counts: Vec<u64>,
    /// Ordinals with a count, most counted first.
    ranked: Vec<u64>,
}

impl OrdinalCounts {
    /// The count of the value ranked `rank` here (0 past the end).
    fn count_at(&self, rank: usize) -> u64 {
        self.ranked
            .get(rank)
            .map_or(0, |&ord| self.counts[ord as usize])
    }

    /// This segment's count of a value.
    fn count_of(&self, value: &str) -> u64 {
        match self.column.dictionary().term_ord(value) {
            Ok(Some(ord)) => self.counts.get(ord as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// The values ranked `0..rank` here, with their counts here.
    fn top_names(&self, rank: usize) -> Vec<(String, u64)> {
        let mut ords: Vec<u64> = self.ranked.iter().take(rank).copied().collect();
        ords.sort_unstable();
        let mut counts = ords.iter().map(|&ord| self.counts[ord as usize]);
        let mut names = Vec::with_capacity(ords.len());
        let _ = self
            .column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                let count = counts.next().unwrap_or(0);
                names.push((String::from_utf8_lossy(bytes).into_owned(), count));
            });
        names
    }
}

/// The per-segment collector.
pub struct FacetSegmentCollector {
    columns: [Option<StrColumn>; 4],
    counts: [Vec<u64>; 4],
    /// Ordinals counted at least once, in order of first count: harvesting looks at
    /// these, not at every value of the segment.
    touched: [Vec<u64>; 4],
    published: Column<tantivy::DateTime>,
    mentioned: Column<tantivy::DateTime>,
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
        let mut columns: [Option<StrColumn>; 4] = Default::default();
        let mut counts: [Vec<u64>; 4] = Default::default();
        for (i, name) in STRING_FACETS.iter().enumerate() {
            columns[i] = fast.str(name)?;
            counts[i] = vec![0; columns[i].as_ref().map_or(0, |c| c.num_terms())];
        }
        Ok(FacetSegmentCollector {
            columns,
            counts,
            touched: Default::default(),
            published: fast.date("published")?,
            mentioned: fast.date("mentioned")?,
            published_days: FxHashMap::default(),
            mentioned_days: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentFacets>) -> tantivy::Result<Facets> {
        let mut strings: [Vec<OrdinalCounts>; 4] = Default::default();
        let mut published: FxHashMap<i64, u64> = FxHashMap::default();
        let mut mentioned: FxHashMap<i64, u64> = FxHashMap::default();
        for segment in segments {
            for (all, part) in strings.iter_mut().zip(segment.strings) {
                all.extend(part);
            }
            add_all(&mut published, segment.published_days);
            add_all(&mut mentioned, segment.mentioned_days);
        }
        let [person, place, org, source] = strings.map(|parts| top_values(&parts));
        Ok(Facets {
            person,
            place,
            org,
            source,
            published: date_buckets(&published, self.interval),
            mentioned: date_buckets(&mentioned, self.interval),
        })
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentFacets;

    fn collect(&mut self, doc: DocId, _: Score) {
        let facets = self
            .columns
            .iter()
            .zip(&mut self.counts)
            .zip(&mut self.touched);
        for ((column, counts), touched) in facets {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    let count = &mut counts[ord as usize];
                    if *count == 0 {
                        touched.push(ord);
                    }
                    *count += 1;
                }
            }
        }
        if let Some(day) = self.published.first(doc) {
            *self.published_days.entry(epoch_day(day)).or_default() += 1;
        }
        let mut previous = None;
        for day in self.mentioned.values_for_doc(doc) {
            // An article counts once per day it mentions.
            let day = epoch_day(day);
            if previous != Some(day) {
                *self.mentioned_days.entry(day).or_default() += 1;
            }
            previous = Some(day);
        }
    }

    fn harvest(self) -> SegmentFacets {
        let mut strings: [Option<OrdinalCounts>; 4] = Default::default();
        let facets = self.columns.into_iter().zip(self.counts).zip(self.touched);
        for (slot, ((column, counts), mut ranked)) in strings.iter_mut().zip(facets) {
            let Some(column) = column else { continue };
            ranked.sort_unstable_by_key(|&ord| std::cmp::Reverse(counts[ord as usize]));
            *slot = Some(OrdinalCounts {
                column,
                counts,
                ranked,
            });
        }
        SegmentFacets {
            strings,
            published_days: self.published_days,
            mentioned_days: self.mentioned_days,
        }
    }
}

fn epoch_day(value: tantivy::DateTime) -> i64 {
    value.into_timestamp_secs().div_euclid(86_400)
}

fn add_all(total: &mut FxHashMap<i64, u64>, part: FxHashMap<i64, u64>) {
    for (day, count) in part {
        *total.entry(day).or_default() += count;
    }
}

/// The [`TOP_VALUES`] most frequent values over all segments, ties by name, naming as
/// few values as it can: the best-ranked `depth` values of each segment are candidates,
/// counted exactly everywhere; a value outside them counts at most the sum of each
/// segment's count at rank `depth`. When the last value kept beats that bound the list
/// is exact; otherwise look deeper.
fn top_values(parts: &[OrdinalCounts]) -> Vec<Count> {
    let mut depth = TOP_VALUES * 2;
    loop {
        // Each candidate's count where it was named, and which parts those were; the
        // other parts are asked by name.
        let mut known: FxHashMap<String, (u64, Vec<usize>)> = FxHashMap::default();
        for (k, part) in parts.iter().enumerate() {
            for (value, count) in part.top_names(depth) {
                let entry = known.entry(value).or_default();
                entry.0 += count;
                entry.1.push(k);
            }
        }
        let mut list: Vec<Count> = known
            .into_iter()
            .map(|(value, (count, named_in))| {
                let elsewhere: u64 = parts
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !named_in.contains(k))
                    .map(|(_, p)| p.count_of(&value))
                    .sum();
                Count {
                    count: count + elsewhere,
                    value,
                }
            })
            .collect();
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        let exhausted = parts.iter().all(|p| p.ranked.len() <= depth);
        let unseen_at_most: u64 = parts.iter().map(|p| p.count_at(depth)).sum();
        let kept_least = list.get(TOP_VALUES - 1).map_or(0, |c| c.count);
        if exhausted || kept_least > unseen_at_most {
            list.truncate(TOP_VALUES);
            return list;
        }
        depth *= 4;
    }
}

/// Days summed into calendar buckets, oldest first.
fn date_buckets(days: &FxHashMap<i64, u64>, interval: Interval) -> Vec<Count> {
    let mut buckets: std::collections::BTreeMap<jiff::civil::Date, u64> = Default::default();
    for (&day, &count) in days {
        if let Some(date) = dates::day_of_epoch_seconds(day * 86_400) {
            *buckets
                .entry(dates::bucket_start(date, interval))
                .or_default() += count;
        }
    }
    buckets
        .into_iter()
        .map(|(start, count)| Count {
            value: dates::bucket_label(start, interval),
            count,
        })
        .collect()
}
