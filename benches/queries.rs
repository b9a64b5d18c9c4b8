//! Query latency: each benchmark query answered in full — top 10 with two passages each,
//! and facets over every match — and each near: query next to its AND form (the same
//! words without the window), on one index built at the start of the run. Then passage
//! selection alone, per hit: the ten hits of each query, each body re-analysed and its
//! two best passages chosen (what a search does for every hit it shows).
//!
//!   DOSSIER_BENCH_INDEX=/path/to/index cargo bench --bench queries    # an existing index
//!   DOSSIER_BENCH_CORPUS=/path/to/folder cargo bench --bench queries  # indexed first
//!
//! Without either, the project's fixtures (tests/fixtures/news) are indexed. Queries
//! come from ../shared/bench/queries.txt when it is there (the FTS5 comparison set),
//! else from a few written for the fixtures.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier::dates::Interval;
use dossier::index::{run_index, IndexRequest, IndexStore, NoProgress};
use dossier::search::collect::collect;
use dossier::search::load::load;
use dossier::search::{
    search, CollectRequest, DateBounds, FacetOptions, Plan, SearchRequest, Snapshot, Sort, Wanted,
};

/// Queries for the fixtures, when ../shared is not beside the repository.
const FIXTURE_QUERIES: &[&str] = &[
    "troops",
    "troops near:Belarus",
    "exercises near/4:troops",
    "\"border guards\"",
    "oil near:OPEC",
    "rates -inflation",
];

fn index() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(dir) = std::env::var_os("DOSSIER_BENCH_INDEX") {
        return (None, PathBuf::from(dir));
    }
    let corpus = std::env::var_os("DOSSIER_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news"));
    let temp = tempfile::tempdir().expect("temporary directory");
    let request = IndexRequest {
        roots: vec![corpus],
        full: true,
        threads: 2,
        cancel: Arc::new(AtomicBool::new(false)),
        entities: None,
        limits: Default::default(),
        commit_every_bytes: dossier::index::DEFAULT_COMMIT_MB << 20,
        settle: dossier::index::SETTLE,
        extract_entities: true,
    };
    run_index(temp.path(), &request, &NoProgress).expect("the bench corpus indexes");
    let path = temp.path().to_path_buf();
    (Some(temp), path)
}

fn queries() -> Vec<String> {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/queries.txt");
    match std::fs::read_to_string(shared) {
        Ok(text) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
        Err(_) => FIXTURE_QUERIES.iter().map(|q| q.to_string()).collect(),
    }
}

/// The AND form of a near: query: its words without the window.
fn and_form(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| match w.split_once(':') {
            Some((op, rest))
                if op == "near"
                    || op.starts_with("near/")
                    || op == "before"
                    || op.starts_with("before/") =>
            {
                rest.to_string()
            }
            _ => w.to_string(),
        })
        .collect();
    let and = words.join(" ");
    (and != query).then_some(and)
}

fn query_latency(c: &mut Criterion) {
    let (_keep, dir) = index();
    let store = IndexStore::open(&dir).expect("bench index opens");
    let searcher = store.reader().expect("reader").searcher();
    let mut group = c.benchmark_group("query");
    group.sample_size(20);
    for query in queries() {
        let mut forms = vec![query.clone()];
        forms.extend(and_form(&query));
        for form in forms {
            let request = SearchRequest {
                query: form.clone(),
                limit: 10,
                snippets: 2,
                facets: Some(FacetOptions::new(Interval::Month)),
                ..SearchRequest::default()
            };
            group.bench_function(&form, |b| {
                b.iter(|| {
                    search(&store, &searcher, &request)
                        .expect("query runs")
                        .total
                })
            });
        }
    }
    group.finish();
}

fn passage_selection(c: &mut Criterion) {
    let (_keep, dir) = index();
    let store = IndexStore::open(&dir).expect("bench index opens");
    let snapshot = Snapshot::new(&store, store.reader().expect("reader").searcher())
        .expect("bench index snapshot");
    let mut group = c.benchmark_group("passages per hit");
    group.sample_size(20);
    for query in queries() {
        let plan = Plan::new(&snapshot, &query, DateBounds::default()).expect("bench queries plan");
        let request = CollectRequest {
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            facets: None,
            deadline: None,
            collapse: Default::default(),
        };
        let found = collect(&snapshot, &plan, &request).expect("query runs");
        let hits = load(&snapshot, &found.page).expect("hits load");
        if hits.is_empty() {
            continue;
        }
        let wanted = Wanted {
            snippets: 2,
            explain: false,
        };
        group.throughput(Throughput::Elements(hits.len() as u64));
        group.bench_function(&query, |b| {
            b.iter(|| {
                for loaded in &hits {
                    let mut hit = loaded.hit.clone();
                    plan.mark(&mut hit, &loaded.body, wanted);
                    assert!(!hit.snippets.is_empty());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, query_latency, passage_selection);
criterion_main!(benches);
