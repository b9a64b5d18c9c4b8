//! `dossier export opensearch` and `dossier search --opensearch` on the project's own
//! articles: each query construct's DSL form (snapshots, and the shape the README's
//! "Past one machine" table gives), an untranslatable construct as an error, every
//! article once in the bulk files, and annotations naming the entities `dossier extract`
//! finds. Validation against the OpenSearch specification is tests/opensearch/run.sh
//! (it needs ../shared and Python packages).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

fn news() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news")
}

fn dossier(index: &Path) -> Command {
    let mut command = Command::cargo_bin("dossier").unwrap();
    command
        .env_remove("DOSSIER_INDEX")
        .arg("--index")
        .arg(index);
    command
}

/// The fixture articles, indexed once.
fn index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let output = dossier(dir.path())
                .args(["-q", "index"])
                .arg(news())
                .output()
                .unwrap();
            assert!(output.status.code().is_some_and(|c| c == 0 || c == 2));
            dir
        })
        .path()
}

fn translate(args: &[&str]) -> Value {
    let output = dossier(index())
        .args(["search", "--opensearch"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every object under `value` (itself included) that has key `key`, by its value.
fn find<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if let Some(found) = map.get(key) {
                out.push(found);
            }
            for v in map.values() {
                find(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| find(v, key, out)),
        _ => {}
    }
}

fn all<'a>(value: &'a Value, key: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    find(value, key, &mut out);
    out
}

#[test]
fn each_construct_has_the_form_the_readme_table_gives() {
    // Words: match over title (boost 2) and body of each language.
    let word = translate(&["--", "harbour"]);
    let matches = all(&word, "match");
    assert!(matches.iter().any(|m| m["title_en"]["boost"] == 2.0));
    assert!(matches.iter().any(|m| m["body_en"]["query"] == "harbour"));
    assert_eq!(word["track_total_hits"], true);
    // A phrase: match_phrase with its slop.
    let phrase = translate(&["--", "\"interest rates\"~2"]);
    assert!(all(&phrase, "match_phrase")
        .iter()
        .any(|m| m["body_en"]["slop"] == 2));
    // A prefix, a fuzzy word.
    assert!(!all(&translate(&["--", "sanc*"]), "prefix").is_empty());
    let fuzzy = translate(&["--", "Zelenskyi~2"]);
    assert!(all(&fuzzy, "fuzzy")
        .iter()
        .any(|f| f["body_en"]["fuzziness"] == "2"));
    // An entity name: its annotation token as a term.
    let entity = translate(&["--", "Kiev"]);
    assert!(all(&entity, "term")
        .iter()
        .any(|t| t["body_en"]["value"] == "place:Kyiv"));
    // Without the plugin: its aliases as phrases.
    let plain = translate(&["--without-plugin", "--", "Kiev"]);
    let aliases: Vec<String> = all(&plain, "match_phrase")
        .into_iter()
        .filter_map(|m| m["body_en"]["query"].as_str())
        .map(str::to_lowercase)
        .collect();
    assert!(
        aliases.iter().any(|q| q == "kyiv") && aliases.iter().any(|q| q == "kiev"),
        "{aliases:?}"
    );
    // near: an unordered intervals all_of with max_gaps, per field; before: ordered.
    let near = translate(&["--", "bank near/5:loan"]);
    let all_of = all(&near, "all_of");
    assert_eq!(
        all_of.len(),
        4,
        "a title and a body rule for each language (en, ru)"
    );
    assert!(all_of
        .iter()
        .all(|a| a["max_gaps"] == 5 && a["ordered"] == false));
    let before = translate(&["--", "Macron before/5:Putin"]);
    assert!(all(&before, "all_of").iter().all(|a| a["ordered"] == true));
    // An entity operand: any_of its word and its annotation.
    let entity_near = translate(&["--", "troops near:Belarus"]);
    assert!(all(&entity_near, "any_of").iter().any(|a| a["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["match"]["query"] == "place:Belarus" && r["match"]["analyzer"] == "keyword")));
    // A chain nests all_of.
    let chain = translate(&["--", "Russian near/0:troops near/1:Belarus"]);
    assert!(all(&chain, "all_of")
        .iter()
        .any(|outer| outer["intervals"][0]
            .get("all_of")
            .is_some_and(|inner| inner["max_gaps"] == 0)
            && outer["max_gaps"] == 1));
    // Booleans and filters.
    let booleans = translate(&["--", "oil -gas person:Zelensky date:2022-02"]);
    let bool_ = &booleans["query"]["bool"];
    assert!(bool_["must"].is_array() && bool_["must_not"].is_array());
    let filters = bool_["filter"].to_string();
    assert!(
        filters.contains("\"person\":\"Volodymyr Zelensky\""),
        "{filters}"
    );
    assert!(
        filters.contains("\"gte\":\"2022-02-01\"") && filters.contains("\"lte\":\"2022-02-28\"")
    );
    // Facets: terms and date_histogram by calendar interval.
    let facets = translate(&["--facets", "--facet-interval", "year", "--", "oil"]);
    assert_eq!(facets["aggs"]["person"]["terms"]["field"], "person");
    assert_eq!(
        facets["aggs"]["published"]["date_histogram"]["calendar_interval"],
        "year"
    );
    // Collapse on story; filter-only queries newest first.
    let collapsed = translate(&["--collapse", "--", "oil"]);
    assert_eq!(collapsed["collapse"]["field"], "story");
    let filter_only = translate(&["--", "date:2022"]);
    assert_eq!(filter_only["sort"][0]["published"]["order"], "desc");
}

#[test]
fn translations_are_stable() {
    for (name, query) in [
        ("word", "harbour"),
        ("near_entity", "troops near:Belarus"),
        (
            "chain_group",
            "(troops OR forces) near/5:Belarus before/3:border",
        ),
        (
            "filters",
            "person:Zelensky lang:en source:reuters title:strike mentioned:..2022-03-01",
        ),
        ("phrase", "\"interest rates\"~2"),
        ("prefix_fuzzy", "sanc* Zelenskyi~2"),
        ("entity_word", "Kiev"),
        ("booleans", "(oil OR gas) prices -storm NOT strike"),
        ("before", "Macron before/5:Putin"),
        ("chain", "Russian near/0:troops near/1:Belarus"),
        ("prefix_fuzzy_near", "sanc* near:EU word~1 near/3:oil"),
        (
            "dates",
            "date:2022-02-01..2022-02-28 actor:\"European Union\"",
        ),
    ] {
        let body = translate(&["--", query]);
        insta::assert_snapshot!(format!("opensearch_{name}"), format!("{body:#}"));
    }
}

#[test]
fn what_the_dsl_cannot_say_is_an_error_naming_it() {
    let output = dossier(index())
        .args([
            "search",
            "--opensearch",
            "--collapse",
            "--facets",
            "--",
            "oil",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("--collapse with --facets cannot be said in the OpenSearch query DSL"),
        "{message}"
    );
    assert!(output.stdout.is_empty(), "no body is printed");
}

/// The bulk documents of an export, by id.
fn bulk_documents(out: &Path) -> HashMap<String, Value> {
    let mut documents = HashMap::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("bulk-")
        })
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let text = std::fs::read_to_string(&name).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for pair in lines.chunks(2) {
            let action: Value = serde_json::from_str(pair[0]).unwrap();
            let id = action["index"]["_id"].as_str().unwrap().to_string();
            let doc: Value = serde_json::from_str(pair[1]).unwrap();
            assert!(documents.insert(id.clone(), doc).is_none(), "{id} twice");
        }
    }
    documents
}

/// The annotation values of annotated text, decoded.
fn annotations(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap();
        for value in after[..end].split('&') {
            out.insert(decode(value));
        }
        rest = &after[end..];
    }
    out
}

fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_bulk_files_hold_every_article_once_annotated_with_what_extract_finds() {
    let out = tempfile::tempdir().unwrap();
    // A larger earlier export's file is not left for a loader to send again.
    std::fs::write(out.path().join("bulk-0099.ndjson"), "{}\n{}\n").unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let output = dossier(index())
        .args(["-q", "export", "opensearch"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!out.path().join("bulk-0099.ndjson").exists());
    assert!(out.path().join("notes.txt").exists(), "other files stay");
    let documents = bulk_documents(out.path());
    let stats: Value = serde_json::from_slice(
        &dossier(index())
            .args(["--json", "stats"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(documents.len() as u64, stats["articles"].as_u64().unwrap());
    // What `dossier extract` finds in the same files.
    let extracted = Command::cargo_bin("dossier")
        .unwrap()
        .arg("extract")
        .arg(news())
        .output()
        .unwrap();
    let mut checked = 0;
    for line in String::from_utf8_lossy(&extracted.stdout).lines() {
        let article: Value = serde_json::from_str(line).unwrap();
        let mut id = article["path"].as_str().unwrap().to_string();
        if let Some(record) = article["record"].as_u64() {
            id = format!("{id}#{record}");
        }
        let Some(doc) = documents.get(&id) else {
            continue;
        };
        let lang = article["lang"].as_str().unwrap();
        let mut annotated = annotations(doc[format!("body_{lang}")].as_str().unwrap());
        annotated.extend(annotations(doc[format!("title_{lang}")].as_str().unwrap()));
        let found: Vec<(String, bool)> = article["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    format!(
                        "{}:{}",
                        e["kind"].as_str().unwrap(),
                        e["name"].as_str().unwrap()
                    ),
                    !e["mentions"].as_array().unwrap().is_empty(),
                )
            })
            .collect();
        for value in &annotated {
            assert!(
                found.iter().any(|(f, _)| f == value),
                "{id}: {value} annotated, not extracted"
            );
        }
        for (value, in_body) in &found {
            // Only entities without a mention anywhere (countries implied by a city)
            // have nothing to annotate.
            if *in_body {
                assert!(
                    annotated.contains(value),
                    "{id}: {value} extracted, not annotated"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 15, "{checked} articles compared");
}
