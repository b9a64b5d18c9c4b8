//! The second stage of a search: the matches of a plan, counted, ranked and cut to the
//! page asked for, with facet counts over all of them. Returns document addresses and
//! scores only; loading articles is the next stage's job.
//!
//! Ranking follows SPEC §5: score (or day, for `--sort newest|oldest` and filter-only
//! queries), then newer publication day, then path and record. The collector keeps every
//! article tied with the last one it keeps, so a page cut inside a tie is the same page
//! whatever the page size, and only tied articles have their paths read.

use std::cmp::Ordering;
use std::sync::Arc;
use std::time::Instant;

use rustc_hash::FxHashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::schema::Value;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::facets::{FacetCollector, FacetOptions, Facets};
use super::{Collapse, Plan, Snapshot, Sort};
use crate::error::{Error, Result};
use crate::query::deadline::DeadlineQuery;
use crate::stories::StoryTable;

/// What to collect.
#[derive(Debug, Clone)]
pub struct CollectRequest {
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Count facets over all matches.
    pub facets: Option<FacetOptions>,
    /// Stop and fail with [`Error::TimedOut`] past this instant.
    pub deadline: Option<Deadline>,
    /// One hit per story (its best-ranked copy), and what `total` and facets count.
    pub collapse: Collapse,
}

/// A time limit: the instant, and the limit as the user set it (for the message).
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub at: Instant,
    pub seconds: f64,
}

impl Deadline {
    /// `seconds` from now.
    pub fn after(seconds: f64) -> Deadline {
        Deadline {
            at: Instant::now() + std::time::Duration::from_secs_f64(seconds.max(0.0)),
            seconds,
        }
    }
}

/// One ranked match.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    pub address: DocAddress,
    pub score: Score,
    /// When collapsed: the matches of its story (1 for an article with no copies).
    pub copies: Option<usize>,
    key: SortKey,
}

/// What the collect stage found.
#[derive(Debug, Clone)]
pub struct Collected {
    /// Articles that match (stories, when collapsing [`Collapse::Stories`]).
    pub total: usize,
    /// When collapsing: the stories among the matches.
    pub stories: Option<usize>,
    /// The page asked for, in rank order.
    pub page: Vec<Ranked>,
    pub facets: Option<Facets>,
}

/// Collects the page of `request` from the plan's matches.
pub fn collect(snapshot: &Snapshot, plan: &Plan, request: &CollectRequest) -> Result<Collected> {
    let sort = effective_sort(plan, request.sort);
    let keep = request.offset.saturating_add(request.limit);
    let stories = match request.collapse {
        Collapse::Off => None,
        Collapse::Hits | Collapse::Stories => Some(snapshot.stories()?),
    };
    let counted_stories = match request.collapse {
        Collapse::Stories => stories.clone(),
        Collapse::Off | Collapse::Hits => None,
    };
    let ranking = RankedCollector {
        sort,
        keep,
        stories: stories.clone(),
    };
    let searcher = &snapshot.searcher;
    let (ranked, facets) = with_deadline(plan.query(), request.deadline, |query| {
        Ok(match &request.facets {
            Some(options) => {
                let store = &snapshot.store;
                let columns = store.facet_columns();
                columns.keep_only(searcher);
                let counting =
                    FacetCollector::with_options(options, store.facet_values_for(searcher)?)
                        .keeping_decoded(columns)
                        .per_story(counted_stories)
                        .on(searcher.index().search_executor());
                let collectors = (ranking, counting);
                let (ranked, facets) = searcher.search(query, &collectors)?;
                if collectors.1.met_unnamed_values() {
                    return Err(store.unnamed_facet_values());
                }
                (ranked, Some(facets))
            }
            None => (searcher.search(query, &ranking)?, None),
        })
    })?;
    let RankedMatches {
        mut found,
        total,
        stories: best_copies,
    } = ranked;
    let copies: usize = best_copies.values().map(|s| s.count).sum();
    // `total` counts stories: an article with no copies, and each story once.
    let (total, story_count) = match request.collapse {
        Collapse::Off => (total, None),
        Collapse::Hits => (total - best_copies.len() + copies, Some(total)),
        Collapse::Stories => (total, Some(total)),
    };
    found.extend(best_of_stories(snapshot, best_copies, keep)?);
    let end = keep.min(found.len());
    let start = request.offset.min(end);
    order(snapshot, &mut found, start..end)?;
    found.truncate(end);
    Ok(Collected {
        total,
        stories: story_count,
        page: found.split_off(start),
        facets,
    })
}

/// Every match of the plan in rank order (for exports): 24 bytes a match, no articles.
pub fn collect_all(
    snapshot: &Snapshot,
    plan: &Plan,
    sort: Sort,
    deadline: Option<Deadline>,
) -> Result<Vec<Ranked>> {
    let ranking = RankedCollector {
        sort: effective_sort(plan, sort),
        keep: usize::MAX,
        stories: None,
    };
    let RankedMatches { mut found, .. } = with_deadline(plan.query(), deadline, |query| {
        Ok(snapshot.searcher.search(query, &ranking)?)
    })?;
    let all = 0..found.len();
    order(snapshot, &mut found, all)?;
    Ok(found)
}

/// The publication days (facet buckets of `interval`) of the plan's matches whose day
/// comes only from a file time or a saved page: the timeline draws them apart.
pub fn uncertain_days(
    snapshot: &Snapshot,
    plan: &Plan,
    interval: crate::dates::Interval,
    deadline: Option<Deadline>,
) -> Result<Vec<super::stats::Count>> {
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    let field = snapshot.store.fields.published_source;
    let copy_dates: Vec<(Occur, Box<dyn Query>)> = crate::model::DateSource::UNCERTAIN
        .iter()
        .map(|source| {
            let term = tantivy::Term::from_field_text(field, source.as_str());
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let query = BooleanQuery::new(vec![
        (Occur::Must, plan.query().box_clone()),
        (Occur::Must, Box::new(BooleanQuery::new(copy_dates))),
    ]);
    let searcher = &snapshot.searcher;
    let facets = with_deadline(&query, deadline, |query| {
        let counting = FacetCollector::with_options(
            &FacetOptions::new(interval),
            snapshot.store.facet_values_for(searcher)?,
        );
        let facets = searcher.search(query, &counting)?;
        if counting.met_unnamed_values() {
            return Err(snapshot.store.unnamed_facet_values());
        }
        Ok(facets)
    })?;
    Ok(facets.published)
}

/// Filter-only queries have no scores to rank by: newest first.
fn effective_sort(plan: &Plan, sort: Sort) -> Sort {
    match (sort, plan.ranked) {
        (Sort::Relevance, false) => Sort::Newest,
        (sort, _) => sort,
    }
}

/// Runs `search` with the query under a deadline, if there is one.
fn with_deadline<T>(
    query: &dyn Query,
    deadline: Option<Deadline>,
    search: impl FnOnce(&dyn Query) -> Result<T>,
) -> Result<T> {
    let Some(deadline) = deadline else {
        return search(query);
    };
    let limited = DeadlineQuery::new(query.box_clone(), deadline.at);
    let found = search(&limited)?;
    if limited.expired() {
        return Err(Error::TimedOut {
            seconds: deadline.seconds,
        });
    }
    Ok(found)
}

/// Sorts matches by key, and the runs of equal keys that reach into `shown` by path,
/// then record (read from the stored articles of those runs only).
fn order(snapshot: &Snapshot, found: &mut [Ranked], shown: std::ops::Range<usize>) -> Result<()> {
    found.sort_unstable_by(|a, b| compare_keys(&b.key, &a.key).then(a.address.cmp(&b.address)));
    if shown.is_empty() {
        return Ok(());
    }
    let fields = &snapshot.store.fields;
    let mut start = 0;
    while start < found.len() && start < shown.end {
        let mut end = start + 1;
        while end < found.len() && compare_keys(&found[end].key, &found[start].key).is_eq() {
            end += 1;
        }
        if end - start > 1 && end > shown.start {
            let run = &mut found[start..end];
            let mut named = Vec::with_capacity(run.len());
            for ranked in run.iter() {
                let doc: TantivyDocument = snapshot.searcher.doc(ranked.address)?;
                let path = doc
                    .get_first(fields.path)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let record = doc.get_first(fields.record).and_then(|v| v.as_u64());
                named.push((path, record, *ranked));
            }
            named.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            for (slot, (_, _, ranked)) in run.iter_mut().zip(named) {
                *slot = ranked;
            }
        }
        start = end;
    }
    Ok(())
}

/// The sort key: (primary, score, day), compared in that order, larger first.
type SortKey = (i64, Score, i64);

fn sort_key(sort: Sort, score: Score, day: i64) -> SortKey {
    match sort {
        Sort::Relevance => (0, score, day),
        Sort::Newest => (day, score, 0),
        Sort::Oldest => (-day, score, 0),
    }
}

fn compare_keys(a: &SortKey, b: &SortKey) -> Ordering {
    a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2))
}

/// The best `keep` matches by key, plus every match tied with the last of them, and the
/// number of matches.
struct RankedCollector {
    sort: Sort,
    keep: usize,
    /// Collapse by these stories.
    stories: Option<Arc<StoryTable>>,
}

/// What [`RankedCollector`] gathers.
struct RankedMatches {
    /// Matches with no copies (all matches when not collapsing).
    found: Vec<Ranked>,
    total: usize,
    /// When collapsing: the matching copies of each story, by story number.
    stories: FxHashMap<u32, StoryMatches>,
}

/// A story's matching copies: the best-ranked (all those tied for best), and how many.
#[derive(Debug, Default)]
struct StoryMatches {
    best: Vec<Ranked>,
    count: usize,
}

impl StoryMatches {
    fn push(&mut self, ranked: Ranked) {
        self.count += 1;
        match self.best.first().map(|b| compare_keys(&ranked.key, &b.key)) {
            Some(Ordering::Less) => {}
            Some(Ordering::Equal) => self.best.push(ranked),
            _ => self.best = vec![ranked],
        }
    }

    fn join(&mut self, other: StoryMatches) {
        let count = self.count + other.count;
        for ranked in other.best {
            self.push(ranked);
        }
        self.count = count;
    }
}

/// The best-ranked copy of each story (ties broken by path and record, as the ranking
/// does), carrying its story's number of matches.
fn best_of_stories(
    snapshot: &Snapshot,
    stories: FxHashMap<u32, StoryMatches>,
    keep: usize,
) -> Result<Vec<Ranked>> {
    let mut bests = Vec::with_capacity(stories.len());
    for (_, mut story) in stories {
        if story.best.len() > 1 {
            let all = 0..story.best.len();
            order(snapshot, &mut story.best, all)?;
        }
        if let Some(&best) = story.best.first() {
            bests.push(Ranked {
                copies: Some(story.count),
                ..best
            });
        }
    }
    // Only the best `keep` (and their ties) can reach the page.
    let mut set = RankedSet::new(keep);
    for ranked in bests {
        set.push(ranked);
    }
    Ok(set.finish())
}

impl Collector for RankedCollector {
    type Fruit = RankedMatches;
    type Child = RankedSegmentCollector;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<RankedSegmentCollector> {
        let published = segment
            .fast_fields()
            .date("published")
            .ok()
            .map(|column| column.first_or_default_col(DateTime::from_timestamp_secs(0)));
        Ok(RankedSegmentCollector {
            segment: ord,
            published,
            sort: self.sort,
            found: RankedSet::new(self.keep),
            total: 0,
            stories: self.stories.clone(),
            story_matches: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, parts: Vec<RankedMatches>) -> tantivy::Result<RankedMatches> {
        let mut set = RankedSet::new(self.keep);
        let mut total = 0;
        let mut stories: FxHashMap<u32, StoryMatches> = FxHashMap::default();
        for part in parts {
            total += part.total;
            for ranked in part.found {
                set.push(ranked);
            }
            for (number, matches) in part.stories {
                stories.entry(number).or_default().join(matches);
            }
        }
        Ok(RankedMatches {
            found: set.finish(),
            total: total + stories.len(),
            stories,
        })
    }
}

struct RankedSegmentCollector {
    segment: SegmentOrdinal,
    published: Option<std::sync::Arc<dyn tantivy::columnar::ColumnValues<DateTime>>>,
    sort: Sort,
    found: RankedSet,
    /// Matches counted (those with no copies, when collapsing).
    total: usize,
    stories: Option<Arc<StoryTable>>,
    story_matches: FxHashMap<u32, StoryMatches>,
}

impl SegmentCollector for RankedSegmentCollector {
    type Fruit = RankedMatches;

    fn collect(&mut self, doc: DocId, score: Score) {
        let day = self
            .published
            .as_ref()
            .map_or(0, |c| c.get_val(doc).into_timestamp_secs());
        let ranked = Ranked {
            address: DocAddress::new(self.segment, doc),
            score,
            copies: None,
            key: sort_key(self.sort, score, day),
        };
        if let Some(stories) = &self.stories {
            let number = stories.number_of(ranked.address);
            if number != StoryTable::NONE {
                self.story_matches.entry(number).or_default().push(ranked);
                return;
            }
            self.total += 1;
            self.found.push(Ranked {
                copies: Some(1),
                ..ranked
            });
            return;
        }
        self.total += 1;
        self.found.push(ranked);
    }

    fn harvest(self) -> RankedMatches {
        RankedMatches {
            found: self.found.finish(),
            total: self.total,
            stories: self.story_matches,
        }
    }
}

/// The `keep` largest keys seen and all keys equal to the smallest of them. Matches go
/// into a buffer; when it holds twice `keep`, it is cut back to the `keep` best (with
/// ties), and anything below the cut is refused from then on.
struct RankedSet {
    keep: usize,
    buffer: Vec<Ranked>,
    /// Matches below this key cannot be among the best.
    floor: Option<SortKey>,
}

impl RankedSet {
    fn new(keep: usize) -> RankedSet {
        RankedSet {
            keep,
            buffer: Vec::new(),
            floor: None,
        }
    }

    fn push(&mut self, ranked: Ranked) {
        if self.keep == 0 {
            return;
        }
        if let Some(floor) = &self.floor {
            if compare_keys(&ranked.key, floor).is_lt() {
                return;
            }
        }
        self.buffer.push(ranked);
        if self.buffer.len() >= self.keep.saturating_mul(2).max(64) {
            self.cut();
        }
    }

    /// Keeps the `keep` best and their ties.
    fn cut(&mut self) {
        if self.buffer.len() <= self.keep {
            return;
        }
        let nth = self.keep - 1;
        let (_, &mut pivot, _) = self
            .buffer
            .select_nth_unstable_by(nth, |a, b| compare_keys(&b.key, &a.key));
        self.buffer
            .retain(|r| !compare_keys(&r.key, &pivot.key).is_lt());
        self.floor = Some(pivot.key);
    }

    fn finish(mut self) -> Vec<Ranked> {
        self.cut();
        self.buffer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(score: f32, doc: u32) -> Ranked {
        Ranked {
            address: DocAddress::new(0, doc),
            score,
            copies: None,
            key: sort_key(Sort::Relevance, score, 0),
        }
    }

    #[test]
    fn a_ranked_set_keeps_the_best_and_every_tie_with_the_last() {
        let mut set = RankedSet::new(3);
        for (doc, score) in [5.0, 1.0, 3.0, 3.0, 3.0, 0.5, 4.0, 3.0]
            .into_iter()
            .enumerate()
        {
            set.push(ranked(score, doc as u32));
        }
        let mut scores: Vec<f32> = set.finish().iter().map(|r| r.score).collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        assert_eq!(scores, vec![5.0, 4.0, 3.0, 3.0, 3.0, 3.0]);
    }

    #[test]
    fn a_ranked_set_of_everything_refuses_nothing() {
        let mut set = RankedSet::new(usize::MAX);
        for doc in 0..500 {
            set.push(ranked((doc % 7) as f32, doc));
        }
        assert_eq!(set.finish().len(), 500);
    }

    #[test]
    fn newest_and_oldest_order_by_day_first() {
        let new = sort_key(Sort::Newest, 1.0, 200);
        let old = sort_key(Sort::Newest, 9.0, 100);
        assert!(compare_keys(&new, &old).is_gt());
        let new = sort_key(Sort::Oldest, 1.0, 200);
        let old = sort_key(Sort::Oldest, 9.0, 100);
        assert!(compare_keys(&old, &new).is_gt());
    }
}
