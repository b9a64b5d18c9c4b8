//! Random, mutated and absurd queries: never a panic, errors always point into the
//! query, and huge queries finish with an answer or a clear error.

use std::sync::OnceLock;

use dossier::index::IndexStore;
use dossier::search::{search, SearchRequest};
use proptest::prelude::*;

use crate::{dossier, indexed_articles, no_panic};

/// Pieces queries are made of, valid and not.
const PIECES: &[&str] = &[
    "oil",
    "harbour",
    "ferry",
    "\"",
    "(",
    ")",
    " ",
    " OR ",
    " AND ",
    "NOT ",
    "-",
    "*",
    "~2",
    "near:",
    "near/3:",
    "before/2:",
    "near/x:",
    "title:",
    "person:",
    "place:",
    "org:",
    "actor:",
    "date:",
    "date:2022",
    "date:2022-13",
    "..",
    "mentioned:",
    "lang:",
    "source:",
    "persn:",
    ":",
    "\u{301}",
    "é",
    "Ж",
    "\u{0}",
    "'",
    "’",
    "near",
    "/",
    "99999999999",
];

fn query_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat()),
        ".{0,40}",
    ]
}

/// A small index the random queries run against, built once.
fn index() -> &'static (tempfile::TempDir, IndexStore) {
    static INDEX: OnceLock<(tempfile::TempDir, IndexStore)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let (dir, _folder, index) = indexed_articles(20);
        let store = IndexStore::open(&index).unwrap();
        (dir, store)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_queries_never_panic_and_errors_point_into_the_query(query in query_strategy()) {
        match dossier::query::parse(&query) {
            Ok(_) => {}
            Err(error) => {
                prop_assert!(error.start <= error.end && error.end <= query.len(), "{error:?}");
                prop_assert!(query.is_char_boundary(error.start) && query.is_char_boundary(error.end));
                prop_assert!(!error.message.is_empty());
            }
        }
        let (_, store) = index();
        let searcher = store.reader().unwrap().searcher();
        let request = SearchRequest { query: query.clone(), facets: Some(dossier::search::FacetOptions::new(dossier::dates::Interval::Month)), ..SearchRequest::default() };
        if let Err(dossier::error::Error::Query(error)) = search(store, &searcher, &request) {
            prop_assert!(error.end <= query.len(), "{error:?}");
        }
    }
}

#[test]
fn absurd_queries_are_answered_or_refused_clearly() {
    let (dir, _) = index();
    let index = dir.path().join("idx");
    let many_terms = (0..10_000)
        .map(|n| format!("w{n}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let deep = format!("{}oil{}", "(".repeat(5_000), ")".repeat(5_000));
    let not_chain = "NOT ".repeat(5_000) + "oil";
    let long_chain = (0..200)
        .map(|n| format!("w{n}"))
        .collect::<Vec<_>>()
        .join(" near:");
    for query in [
        many_terms.as_str(),
        deep.as_str(),
        not_chain.as_str(),
        long_chain.as_str(),
        "ha*",
        "ha* near:ha*",
        "harbour near/100000:ferry",
        "\"harbour board\"~100000",
    ] {
        let output = dossier(&index, &["search", query, "-n", "3"]);
        no_panic(&output);
        let code = output.status.code();
        assert!(matches!(code, Some(0..=2)), "{query:.60}: {code:?}");
        if code == Some(2) {
            let message = crate::stderr(&output);
            assert!(message.contains("error"), "{query:.60}: {message}");
        }
    }
    // A prefix over a huge vocabulary: 60,000 distinct words starting "zz".
    let vocabulary = dir.path().join("vocabulary");
    std::fs::create_dir_all(&vocabulary).unwrap();
    let words: Vec<String> = (0..60_000).map(|n| format!("zz{n:05}q")).collect();
    std::fs::write(
        vocabulary.join("words.txt"),
        format!("Word list\n\n{}\n", words.join(" ")),
    )
    .unwrap();
    let wide = dir.path().join("wide");
    assert!(
        dossier(&wide, &["index", vocabulary.to_str().unwrap(), "-q"])
            .status
            .success()
    );
    for query in ["zz*", "zz* near:zz00001q", "zz00010q near/3:zz*"] {
        let output = dossier(&wide, &["search", query, "-n", "1"]);
        no_panic(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{query}: {}",
            crate::stderr(&output)
        );
    }
    // Next to near: a prefix takes its first 4,096 words, and says so.
    let capped = dossier(&wide, &["search", "zz59999q near/3:zz*"]);
    assert!(
        crate::stderr(&capped).contains("starts more than 4096 different words"),
        "{}",
        crate::stderr(&capped)
    );
    let too_wide = dossier(&index, &["search", "harbour near/100000:ferry"]);
    assert_eq!(too_wide.status.code(), Some(2));
    let too_deep = dossier(&index, &["search", &deep]);
    assert_eq!(too_deep.status.code(), Some(2));
}
