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
use dossier::query::compile::Compiler;
use dossier::query::parse;
use dossier::search::entities::IndexEntities;
use dossier::search::{add_passages, index_languages, load_hit, search, SearchRequest, Wanted};
use tantivy::collector::TopDocs;

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
                facets: Some(Interval::Month),
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
    let searcher = store.reader().expect("reader").searcher();
    let extractor = store.entity_extractor().expect("entity lists");
    let resolver = IndexEntities {
        extractor: &extractor,
        searcher: &searcher,
        fields: &store.fields,
    };
    let mut group = c.benchmark_group("passages per hit");
    group.sample_size(20);
    for query in queries() {
        let expr = parse(&query).expect("bench queries parse");
        let languages = index_languages(&searcher, &store.fields);
        let compiled = Compiler::new(&store.fields, &languages, &query, &resolver)
            .compile(&expr)
            .expect("bench queries compile");
        let top = searcher
            .search(&*compiled.query, &TopDocs::with_limit(10).order_by_score())
            .expect("query runs");
        let hits: Vec<_> = top
            .into_iter()
            .map(|(score, address)| load_hit(&store, &searcher, address, score).expect("hit loads"))
            .collect();
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
                for (hit, body) in &hits {
                    let mut hit = hit.clone();
                    add_passages(&mut hit, body, &expr, &query, wanted, &resolver, &extractor);
                    assert!(!hit.snippets.is_empty());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, query_latency, passage_selection);
criterion_main!(benches);
