//! Running a search, in stages that each can be called on their own (the CLI, the
//! HTTP API and the web page all call them):
//!
//! 1. [`Plan::new`]: the query parsed, its entity names resolved, compiled for the
//!    engine, with the patterns its words make in each language and typed warnings;
//! 2. [`collect::collect`]: the total, the page of ranked hits (addresses and scores),
//!    facet counts over all matches;
//! 3. [`load::load`]: the stored articles of the hits picked;
//! 4. [`Plan::mark`], [`Plan::passages`], [`Plan::highlights`]: passages, highlights and
//!    `--explain` from the plan, never by parsing again.
//!
//! All of them read one [`Snapshot`] of the index. [`Snapshot::search`] runs them in
//! turn. Returns data only; rendering is `output`'s job.
//!
//! ```no_run
//! # fn main() -> dossier::error::Result<()> {
//! use dossier::search::{collect, load, DateBounds, Plan, Snapshot, Sort};
//! let store = dossier::index::IndexStore::open(std::path::Path::new(".dossier"))?;
//! let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
//! let plan = Plan::new(&snapshot, "troops near:Belarus", DateBounds::default())?;
//! let request = collect::CollectRequest { limit: 10, offset: 0, sort: Sort::Relevance, facets: None, deadline: None, collapse: Default::default() };
//! let found = collect::collect(&snapshot, &plan, &request)?;
//! for loaded in load::load(&snapshot, &found.page)? {
//!     let passages = plan.passages(&loaded.hit.lang, &loaded.body, 2);
//!     println!("{} {}", loaded.hit.title, passages.len());
//! }
//! # Ok(()) }
//! ```

pub mod article;
pub mod collect;
pub mod entities;
pub mod explain;
pub mod export;
pub mod facets;
pub mod load;
pub mod matching;
pub mod passage;
pub mod plan;
pub mod snapshot;
pub mod stats;
pub mod story;
pub mod vocabulary;

use std::time::Instant;

use serde::Serialize;
use tantivy::Searcher;

use crate::error::{Result, Warning};
use crate::index::IndexStore;
use crate::model::EntityKind;
use crate::schema::Fields;
pub use collect::{CollectRequest, Deadline};
pub use facets::{FacetCollector, FacetOptions, Facets};
pub use load::{load_hit, LoadedHit};
pub use matching::Wanted;
pub use passage::Passage;
pub use plan::{DateBounds, Plan};
pub use snapshot::Snapshot;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By score; filter-only queries newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// Whether a search shows one hit per story (SPEC 4 `--collapse`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Collapse {
    /// Every matching article is a hit.
    #[default]
    Off,
    /// One hit per story, its best-ranked copy; `total` and facets still count
    /// articles (the web page, whose counts are the API's).
    Hits,
    /// One hit per story; `total` and facets count stories (`--collapse`).
    Stories,
}

/// One search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Passages per hit.
    pub snippets: usize,
    /// Count facets over all matches, so.
    pub facets: Option<FacetOptions>,
    /// Say why each hit matched.
    pub explain: bool,
    /// Publication days besides the query (`--from`, `--to`).
    pub bounds: DateBounds,
    /// Give up past this.
    pub deadline: Option<Deadline>,
    /// One hit per story, and what counts.
    pub collapse: Collapse,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            snippets: 2,
            facets: None,
            explain: false,
            bounds: DateBounds::default(),
            deadline: None,
            collapse: Collapse::Off,
        }
    }
}

/// An entity named by a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub name: String,
}

/// One matching article (SPEC §6 `hits[]`).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub record: Option<u64>,
    pub title: String,
    pub published: Option<String>,
    pub published_source: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: String,
    pub score: f32,
    pub snippets: Vec<Passage>,
    pub entities: Vec<EntityRef>,
    /// The id of its story (SPEC 2): its own when it has no copies.
    pub story: String,
    /// With `--collapse`: its story's articles among the matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<usize>,
    /// Why it matched (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<explain::Explanation>,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// Counts over all matches, when asked for.
    pub facets: Option<Facets>,
    /// When collapsing: the stories among the matches (an article with no copies is
    /// one), which is how many hits there are to page through.
    pub stories: Option<usize>,
    /// Notes for the user (an unknown entity, say): stderr, and `warnings` in JSON.
    pub warnings: Vec<Warning>,
}

/// Runs a search against the commit `searcher` sees (a one-shot command's way in; a
/// long-lived caller keeps a [`Snapshot`] and calls [`Snapshot::search`]).
pub fn search(
    store: &IndexStore,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResult> {
    Snapshot::new(store, searcher.clone())?.search(request)
}

impl Snapshot {
    /// Every stage of a search in turn: plan, collect, load with passages.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResult> {
        let started = Instant::now();
        let plan = Plan::new(self, &request.query, request.bounds)?;
        self.run(&plan, request, started)
    }

    /// The stages after the plan: collect, then load with passages. `started` is when
    /// the caller began (for `took_ms`).
    pub fn run(
        &self,
        plan: &Plan,
        request: &SearchRequest,
        started: Instant,
    ) -> Result<SearchResult> {
        let collected = collect::collect(
            self,
            plan,
            &CollectRequest {
                limit: request.limit,
                offset: request.offset,
                sort: request.sort,
                facets: request.facets.clone(),
                deadline: request.deadline,
                collapse: request.collapse,
            },
        )?;
        let wanted = Wanted {
            snippets: request.snippets,
            explain: request.explain,
        };
        // Passages are found on the thread that read the article.
        let hits = load::load_each(self, &collected.page, |loaded| {
            let LoadedHit { mut hit, body } = loaded;
            plan.mark(&mut hit, &body, wanted);
            Ok(hit)
        })?;
        Ok(SearchResult {
            query: request.query.clone(),
            total: collected.total,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets: collected.facets,
            stories: collected.stories,
            warnings: plan.warnings.clone(),
        })
    }
}

/// The languages of the index's articles, English first: queries are analysed for each.
pub fn index_languages(searcher: &Searcher, fields: &Fields) -> Vec<String> {
    let mut languages = vec![crate::analysis::DEFAULT_LANG.to_string()];
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.lang) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(code) = std::str::from_utf8(stream.key()) {
                if !languages.iter().any(|l| l == code) {
                    languages.push(code.to_string());
                }
            }
        }
    }
    languages
}
