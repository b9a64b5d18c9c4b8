//! Facet counts over a whole result set, collected in the same pass as the hits: per
//! person, place, organisation and source (string fast fields, counted by ordinal
//! within a segment and named once at the end), and per calendar bucket of the
//! publication and mentioned dates.

use std::collections::HashMap;

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

/// Counts gathered in one segment, named and ready to merge.
pub struct SegmentFacets {
    strings: [HashMap<String, u64>; 4],
    published_days: FxHashMap<i64, u64>,
    mentioned_days: FxHashMap<i64, u64>,
}

/// The per-segment collector.
pub struct FacetSegmentCollector {
    columns: [Option<StrColumn>; 4],
    counts: [Vec<u64>; 4],
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
        let mut strings: [HashMap<String, u64>; 4] = Default::default();
        let mut published: FxHashMap<i64, u64> = FxHashMap::default();
        let mut mentioned: FxHashMap<i64, u64> = FxHashMap::default();
        for segment in segments {
            for (total, part) in strings.iter_mut().zip(segment.strings) {
                for (value, count) in part {
                    *total.entry(value).or_default() += count;
                }
            }
            add_all(&mut published, segment.published_days);
            add_all(&mut mentioned, segment.mentioned_days);
        }
        let [person, place, org, source] = strings.map(top_values);
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
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
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
        let mut strings: [HashMap<String, u64>; 4] = Default::default();
        for ((named, column), counts) in strings.iter_mut().zip(&self.columns).zip(&self.counts) {
            let Some(column) = column else { continue };
            for (ord, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                let mut value = String::new();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    named.insert(value, count);
                }
            }
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

/// The most frequent values, ties by name.
fn top_values(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut list: Vec<Count> = counts
        .into_iter()
        .map(|(value, count)| Count { value, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list.truncate(TOP_VALUES);
    list
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
