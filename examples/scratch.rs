use dossier::dates::Interval;
use dossier::index::IndexStore;
use dossier::search::facets::{numbers_in_use, FacetCollector};
use std::time::Instant;
use tantivy::query::{PhraseQuery, Query, TermQuery};
use tantivy::Term;
fn main() {
    let store = IndexStore::open(std::path::Path::new("/tmp/corpus/dossier-index")).unwrap();
    let searcher = store.reader().unwrap().searcher();
    let values = store
        .facet_values(numbers_in_use(&searcher).unwrap())
        .unwrap();
    let body = store.fields.body;
    let queries: Vec<(&str, Box<dyn Query>)> = vec![
        (
            "phrase interest rates",
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(body, "interest"),
                Term::from_field_text(body, "rate"),
            ])),
        ),
        (
            "term oil",
            Box::new(TermQuery::new(
                Term::from_field_text(body, "oil"),
                tantivy::schema::IndexRecordOption::Basic,
            )),
        ),
        ("all", Box::new(tantivy::query::AllQuery)),
    ];
    for (name, q) in &queries {
        for _ in 0..2 {
            let n = 20;
            let t = Instant::now();
            let mut hits = 0;
            for _ in 0..n {
                hits = searcher
                    .search(q.as_ref(), &tantivy::collector::Count)
                    .unwrap();
            }
            let count = t.elapsed().as_secs_f64() / n as f64;
            let t = Instant::now();
            for _ in 0..n {
                let c = FacetCollector::new(Interval::Month, values.clone());
                let _ = searcher.search(q.as_ref(), &c).unwrap();
            }
            let facets = t.elapsed().as_secs_f64() / n as f64;
            println!(
                "{name}: {hits} hits, count {:.2} ms, facets {:.2} ms ({:.0} ns/hit over count)",
                count * 1e3,
                facets * 1e3,
                (facets - count) * 1e9 / hits.max(1) as f64
            );
        }
    }
}
