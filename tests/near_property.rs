//! near: against brute force: on random small documents, the documents and windows the
//! index query returns equal a naive scan of the same words, for words, phrases, OR
//! groups, prefixes and entities, near: and before:, windows of 0 to 20 words, chains
//! of two and three operands.

use std::collections::BTreeSet;

use dossier::analysis::entity_term;
use dossier::analysis::Analyzer;
use dossier::entities::gazetteer::Form;
use dossier::index::document::{
    build_document, AnalysedArticle, EntityJson, FileMarks, MentionJson,
};
use dossier::index::facet_values::FacetNumbering;
use dossier::index::store::IndexStore;
use dossier::model::EntityKind;
use dossier::query::ast::NearLink;
use dossier::query::near::{Alternative, NearQuery};
use dossier::query::proximity::Extent;
use proptest::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::IndexWriter;

/// Words that are their own stems, with few shared prefixes ("co", "ba").
const VOCABULARY: &[&str] = &["oil", "gas", "bank", "coal", "corn", "gold", "port"];

/// The one entity documents mention, over one to three words.
const ENTITY: &str = "Gold Port";

/// A generated document: its words, and mentions of [`ENTITY`] as word ranges.
#[derive(Debug, Clone)]
struct Doc {
    words: Vec<usize>,
    mentions: Vec<(usize, usize)>,
}

/// A near: operand as the test builds it.
#[derive(Debug, Clone)]
enum Operand {
    Word(usize),
    Phrase(usize, usize),
    Group(usize, usize),
    Prefix(&'static str),
    Entity,
}

fn doc_strategy() -> impl Strategy<Value = Doc> {
    (
        prop::collection::vec(0..VOCABULARY.len(), 1..40),
        prop::collection::vec((0usize..40, 0usize..3), 0..3),
    )
        .prop_map(|(words, raw_mentions)| {
            let mut mentions: Vec<(usize, usize)> = Vec::new();
            for (start, extra) in raw_mentions {
                let start = start % words.len();
                let end = (start + extra).min(words.len() - 1);
                if mentions.iter().all(|&(s, e)| end < s || start > e) {
                    mentions.push((start, end));
                }
            }
            mentions.sort_unstable();
            Doc { words, mentions }
        })
}

fn operand_strategy() -> impl Strategy<Value = Operand> {
    let word = 0..VOCABULARY.len();
    prop_oneof![
        3 => word.clone().prop_map(Operand::Word),
        1 => (word.clone(), word.clone()).prop_map(|(a, b)| Operand::Phrase(a, b)),
        1 => (word.clone(), word).prop_map(|(a, b)| Operand::Group(a, b)),
        1 => prop_oneof![Just("co"), Just("ba"), Just("go")].prop_map(Operand::Prefix),
        1 => Just(Operand::Entity),
    ]
}

fn link_strategy() -> impl Strategy<Value = NearLink> {
    (0u32..=20, any::<bool>()).prop_map(|(distance, ordered)| NearLink { distance, ordered })
}

/// The extents of an operand in a document, found by looking at every word.
fn brute_extents(doc: &Doc, operand: &Operand) -> BTreeSet<Extent> {
    let words: Vec<&str> = doc.words.iter().map(|&w| VOCABULARY[w]).collect();
    let mut found = BTreeSet::new();
    for (p, word) in words.iter().enumerate() {
        let at = p as u32;
        match operand {
            Operand::Word(w) if *word == VOCABULARY[*w] => {
                found.insert(Extent::word(at));
            }
            Operand::Phrase(a, b)
                if *word == VOCABULARY[*a] && words.get(p + 1) == Some(&VOCABULARY[*b]) =>
            {
                found.insert(Extent {
                    first: at,
                    last: at + 1,
                });
            }
            Operand::Group(a, b) if *word == VOCABULARY[*a] || *word == VOCABULARY[*b] => {
                found.insert(Extent::word(at));
            }
            Operand::Prefix(prefix) if word.starts_with(prefix) => {
                found.insert(Extent::word(at));
            }
            _ => {}
        }
    }
    if let Operand::Entity = operand {
        for &(first, last) in &doc.mentions {
            found.insert(Extent::word(first as u32));
            found.insert(Extent::word(last as u32));
        }
    }
    found
}

/// Every choice of one extent per operand where each neighbouring pair keeps its link.
fn brute_windows(doc: &Doc, operands: &[Operand], links: &[NearLink]) -> BTreeSet<Vec<Extent>> {
    let extents: Vec<Vec<Extent>> = operands
        .iter()
        .map(|o| brute_extents(doc, o).into_iter().collect())
        .collect();
    let mut tuples: Vec<Vec<Extent>> = vec![Vec::new()];
    for (i, choices) in extents.iter().enumerate() {
        let mut longer = Vec::new();
        for tuple in &tuples {
            for &extent in choices {
                if i > 0 && !keeps(links[i - 1], tuple[i - 1], extent) {
                    continue;
                }
                let mut next = tuple.clone();
                next.push(extent);
                longer.push(next);
            }
        }
        tuples = longer;
    }
    tuples.into_iter().collect()
}

/// The link, spelled out: no overlap, at most `distance` words between, order if asked.
fn keeps(link: NearLink, left: Extent, right: Extent) -> bool {
    let (between, left_first) = if right.first > left.last {
        (right.first - left.last - 1, true)
    } else if left.first > right.last {
        (left.first - right.last - 1, false)
    } else {
        return false;
    };
    between <= link.distance && (left_first || !link.ordered)
}

fn alternatives(operand: &Operand) -> Vec<Alternative> {
    let analyzer = Analyzer::for_lang("en");
    let word = |w: usize| Alternative::Sequence(analyzer.terms(VOCABULARY[w]));
    match operand {
        Operand::Word(w) => vec![word(*w)],
        Operand::Phrase(a, b) => vec![Alternative::Sequence(
            analyzer.terms(&format!("{} {}", VOCABULARY[*a], VOCABULARY[*b])),
        )],
        Operand::Group(a, b) => vec![word(*a), word(*b)],
        Operand::Prefix(prefix) => vec![Alternative::Prefix(prefix.to_string())],
        Operand::Entity => vec![Alternative::Sequence(vec![entity_term(
            EntityKind::Place,
            ENTITY,
        )])],
    }
}

/// Indexes the documents (one segment) into a temporary directory.
fn index(docs: &[Doc]) -> (tempfile::TempDir, IndexStore) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let store = IndexStore::open_or_create(dir.path(), true).expect("index");
    let mut writer: IndexWriter = store
        .index
        .writer_with_num_threads(1, 50_000_000)
        .expect("writer");
    let numbering = FacetNumbering::open(&store.dir).expect("facet values");
    for (n, doc) in docs.iter().enumerate() {
        let words: Vec<&str> = doc.words.iter().map(|&w| VOCABULARY[w]).collect();
        let mut starts = Vec::new();
        let mut offset = 0;
        for word in &words {
            starts.push(offset);
            offset += word.len() + 1;
        }
        let body = words.join(" ");
        let mentions = doc
            .mentions
            .iter()
            .map(|&(first, last)| {
                let (start, end) = (starts[first], starts[last] + words[last].len());
                MentionJson {
                    start,
                    end,
                    text: body[start..end].to_string(),
                    form: Form::Name,
                }
            })
            .collect::<Vec<_>>();
        let entities = if mentions.is_empty() {
            Vec::new()
        } else {
            vec![EntityJson {
                kind: EntityKind::Place,
                name: ENTITY.to_string(),
                mentions,
            }]
        };
        let article = AnalysedArticle {
            key: format!("/doc/{n}"),
            path: format!("doc/{n}"),
            record: None,
            title: String::new(),
            body,
            lang: "en",
            published: None,
            published_source: None,
            url: None,
            source: None,
            entities,
            dates: Vec::new(),
            title_mentions: Vec::new(),
            weak: Vec::new(),
        };
        writer
            .add_document(build_document(
                &store.fields,
                &numbering,
                FileMarks {
                    key: &article.key.clone(),
                    ..FileMarks::default()
                },
                article,
            ))
            .expect("add");
    }
    numbering.save().expect("save facet values");
    writer.commit().expect("commit");
    (dir, store)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn near_matches_brute_force(
        docs in prop::collection::vec(doc_strategy(), 1..8),
        operands in prop::collection::vec(operand_strategy(), 2..4),
        raw_links in prop::collection::vec(link_strategy(), 3),
    ) {
        let links: Vec<NearLink> = raw_links[..operands.len() - 1].to_vec();
        let (_dir, store) = index(&docs);
        let searcher = store.reader().expect("reader").searcher();
        let query = NearQuery::new(
            store.fields.body,
            operands.iter().map(alternatives).collect(),
            links.clone(),
        );
        let matched = searcher.search(&query, &DocSetCollector).expect("search");
        let segment = searcher.segment_reader(0);
        for (doc_id, doc) in docs.iter().enumerate() {
            let expected = brute_windows(doc, &operands, &links);
            let address = tantivy::DocAddress::new(0, doc_id as u32);
            prop_assert_eq!(
                matched.contains(&address),
                !expected.is_empty(),
                "document {} {:?}, operands {:?}, links {:?}", doc_id, doc, operands, links
            );
            let found: BTreeSet<Vec<Extent>> = query
                .windows_in(segment, doc_id as u32, usize::MAX)
                .expect("windows")
                .into_iter()
                .collect();
            prop_assert_eq!(found, expected, "windows of document {} {:?}", doc_id, doc);
        }
    }
}
