//! Facet counts over a whole result set, collected in the same pass as the hits: per
//! person, place, organisation and source, and per calendar bucket of the publication
//! and mentioned days. All of them are index-wide value numbers in the one
//! `facet_values` column, counted in plain arrays and named from `facet-values.tsv` at
//! the end (see `index::facet_values`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Executor, Score, SegmentOrdinal, SegmentReader};

use crate::dates::Interval;
use crate::index::facet_columns::{read_values, FacetColumns, SegmentNumbers};
use crate::index::facet_values::FacetValues;
use crate::search::stats::Count;
use crate::stories::StoryTable;

/// Values listed per string facet unless asked for more (`--facet-size`).
pub const TOP_VALUES: usize = 20;

/// How to count facets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetOptions {
    /// Calendar buckets of the date facets.
    pub interval: Interval,
    /// Values listed per person, place, org and source facet.
    pub size: usize,
    /// List only values with a word starting with this (any case): "search inside a
    /// facet".
    pub prefix: Option<String>,
}

impl FacetOptions {
    /// The top [`TOP_VALUES`] of each facet, dates by `interval`.
    pub fn new(interval: Interval) -> FacetOptions {
        FacetOptions {
            interval,
            size: TOP_VALUES,
            prefix: None,
        }
    }
}

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

/// Collects [`Facets`] with dates bucketed by `interval`.
pub struct FacetCollector {
    interval: Interval,
    /// Values listed per string facet.
    size: usize,
    /// Only values with a word starting with this, lower-cased.
    prefix: Option<String>,
    values: Arc<FacetValues>,
    /// Arrays of counts per value number not in use by a segment right now: a segment
    /// takes one and gives it back when done, so segments searched one after another
    /// share an array and segments searched at the same time (one per core) do not.
    idle: Arc<Mutex<Vec<ValueCounts>>>,
    /// Runs the reading-out of the counts, a part of the numbers per core.
    executor: Executor,
    /// Set when an article held a number `values` does not name (a damaged index).
    unnamed: Arc<AtomicBool>,
    /// Decoded numbers kept from search to search, if the caller keeps them.
    columns: Option<Arc<FacetColumns>>,
    /// Count per story: a story's articles count once for each value any of them
    /// holds, and the publication day is its first copy's.
    stories: Option<Arc<StoryTable>>,
    /// The values of the matching copies of stories, `(story, value number)`, gathered
    /// from the segments and counted at the end.
    story_values: Arc<Mutex<Vec<(u32, u64)>>>,
}

impl FacetCollector {
    /// `values` must name every number the searched articles hold
    /// ([`IndexStore::facet_values_for`](crate::index::IndexStore::facet_values_for)).
    pub fn new(interval: Interval, values: Arc<FacetValues>) -> FacetCollector {
        FacetCollector {
            interval,
            size: TOP_VALUES,
            prefix: None,
            values,
            idle: Arc::default(),
            executor: Executor::single_thread(),
            unnamed: Arc::default(),
            columns: None,
            stories: None,
            story_values: Arc::default(),
        }
    }

    /// Counts each story once (`--collapse`) when given its stories.
    pub fn per_story(mut self, stories: Option<Arc<StoryTable>>) -> FacetCollector {
        self.stories = stories;
        self
    }

    /// Counts as `options` say.
    pub fn with_options(options: &FacetOptions, values: Arc<FacetValues>) -> FacetCollector {
        let mut collector = FacetCollector::new(options.interval, values);
        collector.size = options.size;
        collector.prefix = options.prefix.as_deref().map(str::to_lowercase);
        collector
    }

    /// The values a string facet may list before naming: all of them when a prefix
    /// picks among them by name.
    fn contenders(&self) -> usize {
        if self.prefix.is_some() {
            usize::MAX
        } else {
            self.size
        }
    }

    /// Reads numbers through `columns`, which keeps them decoded for later searches.
    pub fn keeping_decoded(mut self, columns: Arc<FacetColumns>) -> FacetCollector {
        self.columns = Some(columns);
        self
    }

    /// Did the search meet facet value numbers that `facet-values.tsv` does not name?
    pub fn met_unnamed_values(&self) -> bool {
        self.unnamed.load(Ordering::Relaxed)
    }

    /// Reads the counts out on `executor`'s threads (the searcher's, say).
    pub fn on(mut self, executor: &Executor) -> FacetCollector {
        self.executor = executor.clone();
        self
    }
}

/// Articles per facet value number. Counting is a bare increment per value (no note of
/// which values were seen): reading the whole array once at the end costs less than a
/// branch per value when a broad result set counts a million values. Arrays come from
/// and go back to [`FacetValues::counts_array`], zeroed as they are read.
#[derive(Default)]
struct ValueCounts {
    counts: Vec<u32>,
    /// Articles counted into `counts`.
    articles: usize,
}

/// One range of value numbers in every count array of a search.
struct CountRange<'a> {
    first_number: usize,
    mine: &'a mut [u32],
    others: Vec<&'a mut [u32]>,
}

impl CountRange<'_> {
    /// Sums the range's counts over all arrays, zeroes them, and lists the values counted
    /// as (count, number) by kind code.
    fn drain(self, kind_codes: &[u8], contenders: usize) -> [Vec<(u32, u32)>; 6] {
        const CHUNK: usize = 64;
        let CountRange {
            first_number,
            mine,
            others,
        } = self;
        for other in others {
            for (count, more) in mine.iter_mut().zip(other) {
                *count += std::mem::take(more);
            }
        }
        // First the counted entries, without a branch per entry: write each, keep it if
        // it counted (a broad search counts half the values, so a branch would guess
        // wrong half the time).
        let mut counted: Vec<(u32, u32)> = Vec::new();
        for (c, chunk) in mine.chunks_mut(CHUNK).enumerate() {
            // Most of a narrow search's array is zero: skip a chunk with one test.
            if chunk.iter().fold(0, |any, &count| any | count) == 0 {
                continue;
            }
            let mut kept = counted.len();
            counted.resize(kept + chunk.len(), (0, 0));
            for (i, count) in chunk.iter_mut().enumerate() {
                counted[kept] = (std::mem::take(count), (first_number + c * CHUNK + i) as u32);
                kept += usize::from(counted[kept].0 > 0);
            }
            counted.truncate(kept);
        }
        let mut by_kind: [Vec<(u32, u32)>; 6] = Default::default();
        for entry in counted {
            let code = kind_codes
                .get(entry.1 as usize)
                .copied()
                .unwrap_or(FacetValues::NO_KIND);
            if let Some(list) = by_kind.get_mut(usize::from(code)) {
                list.push(entry);
            }
        }
        // A value's count is all here (ranges split the numbers, not the articles), so
        // the best values overall are among each range's best: pass only those on.
        for list in by_kind.iter_mut().take(ENTITY_AND_SOURCE_KINDS) {
            keep_contenders(list, contenders);
        }
        by_kind
    }
}

/// Kind codes below this are people, places, organisations and sources, listed by count;
/// the others are days, all bucketed.
const ENTITY_AND_SOURCE_KINDS: usize = 4;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The per-segment collector.
pub struct FacetSegmentCollector {
    numbers: SegmentNumbers,
    counts: ValueCounts,
    idle: Arc<Mutex<Vec<ValueCounts>>>,
    /// Matching documents not yet counted.
    block: Vec<DocId>,
    /// Values of one document, reused.
    values: Vec<u64>,
    /// This segment's story numbers, when counting per story, and the values of its
    /// matching copies.
    stories: Option<(Arc<StoryTable>, SegmentOrdinal)>,
    story_values: Vec<(u32, u64)>,
    all_story_values: Arc<Mutex<Vec<(u32, u64)>>>,
    /// A number past the named values was met.
    unnamed: bool,
    report_unnamed: Arc<AtomicBool>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let numbers = match &self.columns {
            Some(columns) => columns.for_segment(segment)?,
            None => SegmentNumbers::column_of(segment)?,
        };
        let counts = lock(&self.idle).pop().unwrap_or_else(|| ValueCounts {
            counts: self.values.counts_array(),
            articles: 0,
        });
        Ok(FacetSegmentCollector {
            numbers,
            counts,
            idle: Arc::clone(&self.idle),
            block: Vec::with_capacity(BLOCK),
            values: Vec::new(),
            stories: self.stories.clone().map(|table| (table, ord)),
            story_values: Vec::new(),
            all_story_values: Arc::clone(&self.story_values),
            unnamed: false,
            report_unnamed: Arc::clone(&self.unnamed),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, _: Vec<()>) -> tantivy::Result<Facets> {
        let mut arrays = std::mem::take(&mut *lock(&self.idle));
        let story_values = std::mem::take(&mut *lock(&self.story_values));
        if let Some(first) = arrays.first_mut() {
            self.count_stories(story_values, first);
        }
        if arrays.iter().all(|a| a.articles == 0) {
            // Nothing was counted: the arrays are still all zero.
            for array in arrays {
                self.values.give_back(array.counts);
            }
            return Ok(self.facets(Default::default()));
        }
        let Some((first, others)) = arrays.split_first_mut() else {
            return Ok(Facets::default());
        };
        // Each core reads out one range of numbers, over every array.
        let cores = crate::index::store::cores();
        let part = first
            .counts
            .len()
            .div_ceil(cores)
            .next_multiple_of(64)
            .max(64);
        let mut ranges: Vec<CountRange> = first
            .counts
            .chunks_mut(part)
            .enumerate()
            .map(|(k, mine)| CountRange {
                first_number: k * part,
                mine,
                others: Vec::new(),
            })
            .collect();
        for other in others.iter_mut() {
            for (range, theirs) in ranges.iter_mut().zip(other.counts.chunks_mut(part)) {
                range.others.push(theirs);
            }
        }
        let kind_codes = self.values.kind_codes();
        let contenders = self.contenders();
        let parts = self.executor.map(
            |range| Ok(range.drain(kind_codes, contenders)),
            ranges.into_iter(),
        )?;
        let mut by_kind: [Vec<(u32, u32)>; 6] = Default::default();
        for part in parts {
            for (all, some) in by_kind.iter_mut().zip(part) {
                all.extend(some);
            }
        }
        for array in arrays {
            self.values.give_back(array.counts);
        }
        Ok(self.facets(by_kind))
    }
}

impl FacetCollector {
    /// Counts each story's values once into `counts`: every value any matching copy
    /// holds, except the publication day, which is the earliest copy's.
    fn count_stories(&self, mut pairs: Vec<(u32, u64)>, counts: &mut ValueCounts) {
        if pairs.is_empty() {
            return;
        }
        pairs.sort_unstable();
        pairs.dedup();
        let kind_codes = self.values.kind_codes();
        let published_code = crate::index::facet_values::FacetKind::Published.code();
        // The earliest publication day seen so far of the story being read:
        // (story, day as YYYYMMDD, value number).
        let mut first_day: Option<(u32, u32, u64)> = None;
        let mut count = |number: u64| {
            if let Some(count) = counts.counts.get_mut(number as usize) {
                *count += 1;
            }
        };
        let mut stories_counted = 0;
        let mut last_story = None;
        for (story, number) in pairs {
            if last_story != Some(story) {
                stories_counted += 1;
                last_story = Some(story);
            }
            let code = kind_codes.get(number as usize).copied();
            let day = self.values.day(number);
            let (true, Some(day)) = (code == Some(published_code), day) else {
                count(number);
                continue;
            };
            match first_day {
                Some((s, earliest, _)) if s == story && earliest <= day => {}
                Some((s, _, _)) if s == story => first_day = Some((story, day, number)),
                _ => {
                    if let Some((_, _, number)) = first_day.take() {
                        count(number);
                    }
                    first_day = Some((story, day, number));
                }
            }
        }
        if let Some((_, _, number)) = first_day {
            count(number);
        }
        counts.articles += stories_counted;
    }
}

impl FacetSegmentCollector {
    /// Counts the values of the gathered documents.
    fn count_block(&mut self) {
        if self.block.is_empty() {
            return;
        }
        if let Some((stories, ord)) = &self.stories {
            // A story's copies are counted at the end, once per story.
            let numbers = stories.segment(*ord);
            if !numbers.is_empty() {
                let (block, values) = (&mut self.block, &mut self.values);
                let story_values = &mut self.story_values;
                let column = &self.numbers;
                block.retain(|&doc| {
                    let story = numbers
                        .get(doc as usize)
                        .copied()
                        .unwrap_or(StoryTable::NONE);
                    if story == StoryTable::NONE {
                        return true;
                    }
                    match column {
                        SegmentNumbers::Column(column) => {
                            read_values(column, doc, values);
                            story_values.extend(values.iter().map(|&n| (story, n)));
                        }
                        SegmentNumbers::Decoded(decoded) => {
                            story_values
                                .extend(decoded.of(doc).iter().map(|&n| (story, u64::from(n))));
                        }
                    }
                    false
                });
                if self.block.is_empty() {
                    return;
                }
            }
        }
        self.counts.articles += self.block.len();
        let counts = self.counts.counts.as_mut_slice();
        let mut count = |number: usize| match counts.get_mut(number) {
            Some(count) => *count += 1,
            // Numbers past the names were ruled out before the search.
            None => self.unnamed = true,
        };
        match &self.numbers {
            SegmentNumbers::Column(column) => {
                for &doc in &self.block {
                    read_values(column, doc, &mut self.values);
                    for &number in &self.values {
                        count(number as usize);
                    }
                }
            }
            SegmentNumbers::Decoded(decoded) => {
                for &doc in &self.block {
                    for &number in decoded.of(doc) {
                        count(number as usize);
                    }
                }
            }
        }
        self.block.clear();
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = ();

    fn collect(&mut self, doc: DocId, _: Score) {
        self.block.push(doc);
        if self.block.len() == BLOCK {
            self.count_block();
        }
    }

    fn harvest(mut self) {
        self.count_block();
        if !self.story_values.is_empty() {
            lock(&self.all_story_values).append(&mut self.story_values);
        }
        if self.unnamed {
            self.report_unnamed.store(true, Ordering::Relaxed);
        }
        lock(&self.idle).push(self.counts);
    }
}

impl FacetCollector {
    /// The facets from the counts: the most frequent people, places, organisations and
    /// sources (those a prefix picks, if one is set), and the days in calendar buckets.
    fn facets(&self, by_kind: [Vec<(u32, u32)>; 6]) -> Facets {
        let values = &self.values;
        let pick = |mut list: Vec<(u32, u32)>| {
            if let Some(prefix) = &self.prefix {
                list.retain(|&(_, number)| {
                    values
                        .get(u64::from(number))
                        .is_some_and(|(_, name)| has_word_starting_with(name, prefix))
                });
            }
            top_of(list, self.size, values)
        };
        facets(by_kind, values, self.interval, pick)
    }
}

/// Does a word of `name` start with `prefix` (lower case), ignoring case? Words start
/// the name and follow a space, hyphen, apostrophe or full stop: "putin" and "vladimir p"
/// find "Vladimir Putin", "claude" finds "Jean-Claude Juncker".
pub fn has_word_starting_with(name: &str, prefix: &str) -> bool {
    let lower = name.to_lowercase();
    if prefix.is_empty() || lower.starts_with(prefix) {
        return true;
    }
    lower
        .char_indices()
        .filter(|(_, c)| matches!(c, ' ' | '-' | '\'' | '’' | '.'))
        .any(|(i, c)| lower[i + c.len_utf8()..].starts_with(prefix))
}

/// The facets from the counts: string facets through `top`, days in calendar buckets.
fn facets(
    by_kind: [Vec<(u32, u32)>; 6],
    values: &FacetValues,
    interval: Interval,
    top: impl Fn(Vec<(u32, u32)>) -> Vec<Count>,
) -> Facets {
    let [person, place, org, source, published, mentioned] = by_kind;
    let days = |list: Vec<(u32, u32)>| {
        let days = list
            .into_iter()
            .filter_map(|(count, number)| Some((values.day(u64::from(number))?, u64::from(count))))
            .collect();
        date_buckets(days, interval)
    };
    Facets {
        person: top(person),
        place: top(place),
        org: top(org),
        source: top(source),
        published: days(published),
        mentioned: days(mentioned),
    }
}

/// The `n` best of `list` (count, value number) by count, then name. A broad result set
/// touches thousands of values, so this finds the count the `n`th value has by counts
/// alone and names only the values that reach it.
fn top_of(mut list: Vec<(u32, u32)>, n: usize, values: &FacetValues) -> Vec<Count> {
    keep_contenders(&mut list, n);
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

/// Keeps the values of `list` (count, number) that may be among its `n` best: those
/// counted at least as often as the `n`th most counted (ties are decided by name later).
fn keep_contenders(list: &mut Vec<(u32, u32)>, n: usize) {
    if list.len() > n && n > 0 {
        let (_, &mut (threshold, _), _) =
            list.select_nth_unstable_by_key(n - 1, |&(count, _)| std::cmp::Reverse(count));
        list.retain(|&(count, _)| count >= threshold);
    }
}

/// Day counts (YYYYMMDD, articles) summed into calendar buckets, oldest first.
fn date_buckets(days: Vec<(u32, u64)>, interval: Interval) -> Vec<Count> {
    let bucket_of = |day: u32| match interval {
        Interval::Day => day,
        Interval::Month => day / 100,
        Interval::Year => day / 10_000,
    };
    // A broad search counts thousands of distinct days into a few hundred months: sum
    // into buckets first, then sort the buckets.
    let mut sums: rustc_hash::FxHashMap<u32, u64> = rustc_hash::FxHashMap::default();
    for (day, count) in days {
        *sums.entry(bucket_of(day)).or_insert(0) += count;
    }
    let mut buckets: Vec<(u32, u64)> = sums.into_iter().collect();
    buckets.sort_unstable();
    buckets
        .into_iter()
        .map(|(bucket, count)| Count {
            value: match interval {
                Interval::Day => format!(
                    "{:04}-{:02}-{:02}",
                    bucket / 10_000,
                    bucket / 100 % 100,
                    bucket % 100
                ),
                Interval::Month => format!("{:04}-{:02}", bucket / 100, bucket % 100),
                Interval::Year => format!("{bucket:04}"),
            },
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_sum_into_calendar_buckets() {
        let days = vec![
            (20220301, 1),
            (20220228, 2),
            (20211231, 1),
            (20220228, 3),
            (20220201, 1),
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
