//! Facet counts over several segments are exact: a value that is never near the top of
//! any one segment but is first over all of them is still found.

use dossier::dates::Interval;
use dossier::index::document::{build_document, AnalysedArticle, EntityJson, FileMarks};
use dossier::index::facet_values::FacetNumbering;
use dossier::index::store::IndexStore;
use dossier::model::EntityKind;
use dossier::search::FacetCollector;
use tantivy::query::AllQuery;

fn article(n: usize, people: &[String]) -> AnalysedArticle {
    AnalysedArticle {
        key: format!("/facets/{n}"),
        path: format!("facets/{n}"),
        record: None,
        title: String::new(),
        body: "Text.".to_string(),
        lang: "en",
        published: None,
        published_source: None,
        url: None,
        source: None,
        entities: people
            .iter()
            .map(|name| EntityJson {
                kind: EntityKind::Person,
                name: name.clone(),
                mentions: Vec::new(),
            })
            .collect(),
        dates: Vec::new(),
        title_mentions: Vec::new(),
        weak: Vec::new(),
    }
}

/// An index of three segments: in each, sixty people named twice each, only there, and
/// "Hidden Hand" named once, three times in all.
fn three_segments(dir: &std::path::Path) -> IndexStore {
    let store = IndexStore::open_or_create(dir, true).unwrap();
    let mut writer: tantivy::IndexWriter =
        store.index.writer_with_num_threads(1, 50_000_000).unwrap();
    let numbering = FacetNumbering::open(dir).unwrap();
    let mut n = 0;
    for segment in 0..3 {
        // Sixty people named twice each, only in this segment...
        for person in 0..60 {
            for _ in 0..2 {
                let name = format!("Person {segment}-{person}");
                writer
                    .add_document(build_document(
                        &store.fields,
                        &numbering,
                        FileMarks {
                            key: "/f",
                            ..FileMarks::default()
                        },
                        article(n, &[name]),
                    ))
                    .unwrap();
                n += 1;
            }
        }
        // ...and one named once in every segment: three in all, the most of anyone.
        writer
            .add_document(build_document(
                &store.fields,
                &numbering,
                FileMarks {
                    key: "/f",
                    ..FileMarks::default()
                },
                article(n, &["Hidden Hand".to_string()]),
            ))
            .unwrap();
        n += 1;
        numbering.save().unwrap();
        writer.commit().unwrap();
    }
    store
}

#[test]
fn top_people_are_exact_across_segments() {
    let dir = tempfile::tempdir().unwrap();
    let store = three_segments(dir.path());
    let searcher = store.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 3);
    let facets = searcher
        .search(
            &AllQuery,
            &FacetCollector::new(Interval::Month, store.facet_values_for(&searcher).unwrap()),
        )
        .unwrap();
    assert_eq!(facets.person[0].value, "Hidden Hand");
    assert_eq!(facets.person[0].count, 3);
    assert_eq!(facets.person.len(), 20);
    assert!(facets.person[1..].iter().all(|c| c.count == 2));
    // Ties by name.
    assert_eq!(facets.person[1].value, "Person 0-0");
}

#[test]
fn decoded_numbers_count_as_the_column_does() {
    let dir = tempfile::tempdir().unwrap();
    let store = three_segments(dir.path());
    let searcher = store.reader().unwrap().searcher();
    let values = store.facet_values_for(&searcher).unwrap();
    let direct = searcher
        .search(
            &AllQuery,
            &FacetCollector::new(Interval::Month, values.clone()),
        )
        .unwrap();
    let columns = store.facet_columns();
    let mut kept_bytes = Vec::new();
    for _ in 0..3 {
        let collector =
            FacetCollector::new(Interval::Month, values.clone()).keeping_decoded(columns.clone());
        let facets = searcher.search(&AllQuery, &collector).unwrap();
        assert_eq!(facets, direct);
        kept_bytes.push(columns.bytes());
    }
    // The first search reads the columns; the second decodes them; the third reuses.
    assert_eq!(kept_bytes[0], 0);
    assert!(kept_bytes[1] > 0);
    assert_eq!(kept_bytes[2], kept_bytes[1]);
    // Merged into one segment, the old segments' arrays are let go.
    let mut writer: tantivy::IndexWriter =
        store.index.writer_with_num_threads(1, 50_000_000).unwrap();
    let ids = store.index.searchable_segment_ids().unwrap();
    writer.merge(&ids).wait().unwrap();
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    let merged = store.reader().unwrap().searcher();
    assert_eq!(merged.segment_readers().len(), 1);
    columns.keep_only(&merged);
    assert_eq!(columns.bytes(), 0);
}
