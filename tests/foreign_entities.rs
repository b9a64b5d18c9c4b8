//! Entities across languages, scored: the hand-marked items of
//! `tests/data/foreign-entities.txt` (written for dossier) against what dossier finds
//! in them. A mention counts when its span, kind and canonical name all match.
//! `cargo test --release --test foreign_entities -- --nocapture` prints precision and
//! recall per language.

use std::collections::BTreeMap;

use dossier::analysis::detect_language;
use dossier::entities::extract::EntityExtractor;

const ITEMS: &str = include_str!("data/foreign-entities.txt");
/// Written after the rules were tuned on `ITEMS`, to check that tuning.
const HELD_OUT: &str = include_str!("data/foreign-entities-heldout.txt");

/// One marked item: its language, its text without the marks, and the marked mentions
/// (byte range, kind, canonical name).
struct Item {
    lang: String,
    text: String,
    gold: Vec<(usize, usize, String, String)>,
}

fn items(marked: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut lang = None;
    for line in marked.lines() {
        if let Some(code) = line.strip_prefix("## ") {
            lang = Some(code.trim().to_string());
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let lang = lang.clone().expect("a ## language line before each item");
        let (text, gold) = unmark(line);
        items.push(Item { lang, text, gold });
    }
    items
}

/// "в [Белоруссии|place:Belarus]" -> the text and the marked mention.
fn unmark(marked: &str) -> (String, Vec<(usize, usize, String, String)>) {
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut rest = marked;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find(']').expect("a closing ]") + open;
        let (written, label) = rest[open + 1..close]
            .split_once('|')
            .expect("[written|kind:Name]");
        let (kind, name) = label.split_once(':').expect("kind:Name");
        let start = text.len();
        text.push_str(written);
        gold.push((start, text.len(), kind.to_string(), name.to_string()));
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    (text, gold)
}

#[derive(Default)]
struct Score {
    items: usize,
    found: usize,
    gold: usize,
    right: usize,
    /// Marked mentions of entities the lists have, and how many of them were found.
    listed_gold: usize,
    listed_right: usize,
    detected: usize,
}

#[test]
fn entities_across_languages_are_found_with_their_spans() {
    let scores = score(ITEMS);
    let total: usize = scores.values().map(|s| s.items).sum();
    assert!(total >= 40, "{total} items");
    for lang in ["ru", "uk", "de", "fr"] {
        let s = &scores[lang];
        assert!(s.items >= 10, "{lang}: {} items", s.items);
        assert!(
            ratio(s.right, s.found) >= 0.95,
            "{lang}: precision {:.3}",
            ratio(s.right, s.found)
        );
        assert!(
            ratio(s.listed_right, s.listed_gold) >= 0.95,
            "{lang}: recall of listed entities {:.3}",
            ratio(s.listed_right, s.listed_gold)
        );
    }
}

#[test]
fn entities_across_languages_hold_on_items_written_after_tuning() {
    let scores = score(HELD_OUT);
    for lang in ["ru", "uk", "de", "fr"] {
        let s = &scores[lang];
        assert!(s.items >= 6, "{lang}: {} items", s.items);
        assert!(
            ratio(s.right, s.found) >= 0.9,
            "{lang}: precision {:.3}",
            ratio(s.right, s.found)
        );
        assert!(
            ratio(s.listed_right, s.listed_gold) >= 0.85,
            "{lang}: recall of listed entities {:.3}",
            ratio(s.listed_right, s.listed_gold)
        );
    }
}

/// Scores every item of a marked file, prints the table and the differences, and
/// returns the scores by language.
fn score(marked: &str) -> BTreeMap<String, Score> {
    let extractor = EntityExtractor::shipped();
    let gazetteer = extractor.gazetteer();
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    for item in items(marked) {
        let score = scores.entry(item.lang.clone()).or_default();
        score.items += 1;
        if detect_language("", &item.text) == item.lang {
            score.detected += 1;
        }
        let found: Vec<(usize, usize, String, String)> = extractor
            .extract_in(&item.text, &item.lang)
            .into_iter()
            .map(|m| (m.start, m.end, m.kind.as_str().to_string(), m.name))
            .collect();
        score.found += found.len();
        score.gold += item.gold.len();
        for mention in &found {
            if item.gold.contains(mention) {
                score.right += 1;
            } else {
                let (s, e, kind, name) = mention;
                misses.push(format!(
                    "{}: found {:?} as {kind} {name}",
                    item.lang,
                    &item.text[*s..*e]
                ));
            }
        }
        for mention in &item.gold {
            let listed = gazetteer.find(kind_of(&mention.2), &mention.3).is_some();
            if listed {
                score.listed_gold += 1;
            }
            if found.contains(mention) {
                score.listed_right += usize::from(listed);
            } else {
                misses.push(format!(
                    "{}: missed {:?} ({} {}{})",
                    item.lang,
                    &item.text[mention.0..mention.1],
                    mention.2,
                    mention.3,
                    if listed { "" } else { ", not in the lists" }
                ));
            }
        }
    }
    let mut total = Score::default();
    println!("lang items  precision  recall  recall(listed)  detected");
    for (lang, s) in &scores {
        println!(
            "{lang:4} {:5}  {:9.3}  {:6.3}  {:14.3}  {}/{}",
            s.items,
            ratio(s.right, s.found),
            ratio(s.right, s.gold),
            ratio(s.listed_right, s.listed_gold),
            s.detected,
            s.items
        );
        total.items += s.items;
        total.found += s.found;
        total.gold += s.gold;
        total.right += s.right;
        total.listed_gold += s.listed_gold;
        total.listed_right += s.listed_right;
    }
    println!(
        "all  {:5}  {:9.3}  {:6.3}  {:14.3}",
        total.items,
        ratio(total.right, total.found),
        ratio(total.right, total.gold),
        ratio(total.listed_right, total.listed_gold)
    );
    for line in &misses {
        println!("  {line}");
    }
    scores
}

fn kind_of(kind: &str) -> dossier::model::EntityKind {
    match kind {
        "person" => dossier::model::EntityKind::Person,
        "org" => dossier::model::EntityKind::Org,
        "place" => dossier::model::EntityKind::Place,
        other => panic!("unknown kind {other}"),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}
