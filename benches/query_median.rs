//! Median in-process query time over a query file, for `benches/compare.sh`: the index
//! is opened once, each query answered in full (top 10, two passages each, facets over
//! all matches) `ROUNDS` times, and the median of the per-query medians printed last as
//! `median_ms X` (the form `peer_fts5.py bench` prints).
//!
//!   cargo run --release --example query_median -- INDEX QUERIES_FILE [ROUNDS]
//!
//! With `NOFACETS` set in the environment the facets are left out, to see what they cost.

use std::time::Instant;

use dossier::dates::Interval;
use dossier::index::IndexStore;
use dossier::search::{FacetOptions, SearchRequest, Snapshot};

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(index), Some(queries)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: query_median INDEX QUERIES_FILE [ROUNDS]");
    };
    let rounds: usize = args.get(2).map_or(Ok(5), |r| r.parse())?;
    let store = IndexStore::open(std::path::Path::new(index))?;
    let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
    let text = std::fs::read_to_string(queries)?;
    let mut per_query = Vec::new();
    for query in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 10,
            snippets: 2,
            facets: std::env::var_os("NOFACETS")
                .is_none()
                .then(|| FacetOptions::new(Interval::Month)),
            ..SearchRequest::default()
        };
        let mut times = Vec::with_capacity(rounds);
        let mut total = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            total = snapshot.search(&request)?.total;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let middle = median(&mut times);
        println!("{middle:8.2} ms  {total:7} hits  {query}");
        per_query.push(middle);
    }
    println!("median_ms {:.2}", median(&mut per_query));
    Ok(())
}
