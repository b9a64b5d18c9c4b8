//! `dossier stats`: a summary of what the index holds.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::Searcher;

use crate::dates;
use crate::error::Result;
use crate::index::IndexStore;
use crate::search::facets::FacetCollector;

/// How many top entities per kind the summary lists.
const TOP_ENTITIES: usize = 10;

/// A value and how many articles have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub value: String,
    pub count: u64,
}

/// The most frequent entities per kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TopEntities {
    pub person: Vec<Count>,
    pub place: Vec<Count>,
    pub org: Vec<Count>,
}

/// The index summary (SPEC §6 `stats --json`).
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub version: u32,
    pub articles: u64,
    pub sources: u64,
    pub first: Option<String>,
    pub last: Option<String>,
    pub top: TopEntities,
    pub stories: StoryStats,
}

/// Stories of two or more articles (SPEC 2), and the largest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StoryStats {
    /// Stories of two or more articles.
    pub count: u64,
    /// Articles that belong to one of them.
    pub articles: u64,
    /// The largest, most articles first.
    pub largest: Vec<LargeStory>,
}

/// One of the largest stories.
#[derive(Debug, Clone, Serialize)]
pub struct LargeStory {
    pub id: String,
    pub title: String,
    pub copies: u64,
}

/// How many of the largest stories the summary lists.
const LARGEST_STORIES: usize = 5;

/// Reads the summary from the fast fields of the last commit.
pub fn collect(store: &IndexStore, searcher: &Searcher) -> Result<Stats> {
    let mut sources: HashSet<String> = HashSet::new();
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let published = fast.date("published")?;
        let source = fast.str("source")?;
        let mut source_ords: HashSet<u64> = HashSet::new();
        for doc in segment.doc_ids_alive() {
            if let Some(day) = published.first(doc) {
                let secs = day.into_timestamp_secs();
                first = Some(first.map_or(secs, |f| f.min(secs)));
                last = Some(last.map_or(secs, |l| l.max(secs)));
            }
            if let Some(column) = &source {
                source_ords.extend(column.term_ords(doc));
            }
        }
        let mut name = String::new();
        if let Some(column) = &source {
            for ord in source_ords {
                name.clear();
                column
                    .ord_to_str(ord, &mut name)
                    .map_err(tantivy::TantivyError::from)?;
                sources.insert(name.clone());
            }
        }
    }
    // The top entities are the facets of a search for everything.
    let everything = FacetCollector::new(dates::Interval::Year, store.facet_values_for(searcher)?);
    let facets = searcher.search(&AllQuery, &everything)?;
    if everything.met_unnamed_values() {
        return Err(store.unnamed_facet_values());
    }
    let top = |mut list: Vec<Count>| {
        list.truncate(TOP_ENTITIES);
        list
    };
    let day = |secs: Option<i64>| {
        secs.and_then(dates::day_of_epoch_seconds)
            .map(|d| d.to_string())
    };
    let table = store.stories_for(searcher)?;
    let mut largest = Vec::new();
    for story in table.stories().iter().take(LARGEST_STORIES) {
        let title = match table.address_of(&story.members[0]) {
            Some(address) => {
                let doc: tantivy::TantivyDocument = searcher.doc(address)?;
                doc.get_first(store.fields.title_text)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            }
            None => String::new(),
        };
        largest.push(LargeStory {
            id: story.id.clone(),
            title,
            copies: story.members.len() as u64,
        });
    }
    let stories = StoryStats {
        count: table.stories().len() as u64,
        articles: table.stories().iter().map(|s| s.members.len() as u64).sum(),
        largest,
    };
    Ok(Stats {
        version: crate::model::JSON_VERSION,
        articles: searcher.num_docs(),
        sources: sources.len() as u64,
        first: day(first),
        last: day(last),
        top: TopEntities {
            person: top(facets.person),
            place: top(facets.place),
            org: top(facets.org),
        },
        stories,
    })
}
