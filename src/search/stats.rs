//! `dossier stats`: a summary of what the index holds.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::Searcher;

use crate::dates;
use crate::error::Result;

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
}

/// Reads the summary from the fast fields of the last commit.
pub fn collect(searcher: &Searcher) -> Result<Stats> {
    let mut sources: HashSet<String> = HashSet::new();
    let mut first: Option<i64> = None;
    let mut last: Option<i64> = None;
    let mut entity_counts: [HashMap<String, u64>; 3] = Default::default();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let published = fast.date("published")?;
        let source = fast.str("source")?;
        let kinds = [fast.str("person")?, fast.str("place")?, fast.str("org")?];
        let mut source_ords: HashSet<u64> = HashSet::new();
        let mut kind_ords: [HashMap<u64, u64>; 3] = Default::default();
        for doc in segment.doc_ids_alive() {
            if let Some(day) = published.first(doc) {
                let secs = day.into_timestamp_secs();
                first = Some(first.map_or(secs, |f| f.min(secs)));
                last = Some(last.map_or(secs, |l| l.max(secs)));
            }
            if let Some(column) = &source {
                source_ords.extend(column.term_ords(doc));
            }
            for (ords, column) in kind_ords.iter_mut().zip(&kinds) {
                if let Some(column) = column {
                    column
                        .term_ords(doc)
                        .for_each(|ord| *ords.entry(ord).or_default() += 1);
                }
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
        for ((counts, ords), column) in entity_counts.iter_mut().zip(kind_ords).zip(&kinds) {
            let Some(column) = column else { continue };
            for (ord, count) in ords {
                name.clear();
                column
                    .ord_to_str(ord, &mut name)
                    .map_err(tantivy::TantivyError::from)?;
                *counts.entry(name.clone()).or_default() += count;
            }
        }
    }
    let day = |secs: Option<i64>| {
        secs.and_then(dates::day_of_epoch_seconds)
            .map(|d| d.to_string())
    };
    let [person, place, org] = entity_counts.map(top);
    Ok(Stats {
        version: crate::model::JSON_VERSION,
        articles: searcher.num_docs(),
        sources: sources.len() as u64,
        first: day(first),
        last: day(last),
        top: TopEntities { person, place, org },
    })
}

fn top(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut list: Vec<Count> = counts
        .into_iter()
        .map(|(value, count)| Count { value, count })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list.truncate(TOP_ENTITIES);
    list
}
