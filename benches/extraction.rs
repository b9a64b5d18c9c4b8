//! Extraction throughput: entity extraction, date extraction and the analyzer, in MB/s
//! of article body text.
//!
//!   DOSSIER_BENCH_CORPUS=/path/to/folder cargo bench --bench extraction
//!
//! The corpus defaults to the project's own fixtures (tests/fixtures/news), repeated;
//! point DOSSIER_BENCH_CORPUS at synth-200 (../shared/bench/make_corpus.py) for the
//! figures the issues ask for. Up to BENCH_BYTES of bodies are read once, then measured.

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier::analysis::Analyzer;
use dossier::entities::extract::EntityExtractor;
use dossier::ingest::{read_source, walk};

const BENCH_BYTES: usize = 8 * 1024 * 1024;

fn bodies() -> Vec<String> {
    let root = std::env::var_os("DOSSIER_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news"));
    let files = walk(&[root], &[]).files;
    let mut bodies = Vec::new();
    let mut total = 0;
    'outer: loop {
        for file in &files {
            let Ok(read) = read_source(file) else {
                continue;
            };
            for article in read.articles {
                total += article.body.len();
                bodies.push(article.body);
                if total >= BENCH_BYTES {
                    break 'outer;
                }
            }
        }
        if files.is_empty() {
            break;
        }
    }
    bodies
}

fn extraction(c: &mut Criterion) {
    let bodies = bodies();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut group = c.benchmark_group("extraction");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let extractor = EntityExtractor::shipped();
    group.bench_function("entities", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|t| extractor.extract(t).len())
                .sum::<usize>()
        })
    });
    group.bench_function("mentioned dates", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|t| dossier::dates::mentioned_dates(t, None).len())
                .sum::<usize>()
        })
    });
    let analyzer = Analyzer::for_lang("en");
    group.bench_function("tokenize+stem", |b| {
        b.iter(|| {
            let mut count = 0usize;
            for body in &bodies {
                analyzer.for_each_token(body, |_, _, _, _| count += 1);
            }
            count
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
