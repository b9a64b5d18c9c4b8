//! The query language a new user reaches for (SPEC 4): entity names as words, fuzzy
//! words, near: within titles, far and malformed dates, and `--from/--to` as dates. On
//! short articles written here.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A temporary folder of articles (`news/`) indexed into `idx/`.
struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn with(articles: &[(&str, &str)]) -> Folder {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in articles {
            let path = dir.path().join("news").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let folder = Folder { dir };
        let output = folder.run(&["index", "news"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        folder
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::cargo_bin("dossier")
            .unwrap()
            .current_dir(self.dir.path())
            .env_remove("DOSSIER_INDEX")
            .args(["--index", "idx"])
            .args(args)
            .output()
            .unwrap()
    }

    fn search(&self, query: &str, extra: &[&str]) -> Value {
        let mut args = vec!["--json", "search", "-n", "50"];
        args.extend_from_slice(extra);
        args.extend(["--", query]);
        let output = self.run(&args);
        serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{query}: {e}: {}", String::from_utf8_lossy(&output.stderr)))
    }

    /// The file names of a query's hits, sorted.
    fn names(&self, query: &str) -> Vec<String> {
        let mut names: Vec<String> = self.search(query, &[])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                Path::new(h["path"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }
}

const ALIASES: &[(&str, &str)] = &[
    ("kyiv.txt", "Talks open in the capital\n\nOfficials met in Kyiv on Monday to discuss grain shipments."),
    ("kiev.txt", "Mayor speaks on winter\n\nThe mayor of Kiev spoke to reporters on Tuesday about heating."),
    ("zelenskiy.txt", "President visits the front\n\nPresident Zelenskiy visited soldiers near the border on Friday."),
    ("blinken.txt", "Talks in Washington\n\nAntony Blinken met his counterpart for two hours, the State Department said."),
    ("farm.txt", "A farm fair\n\nThe farm raised a turkey for the fair, and reading the rules took an hour."),
    ("ankara.txt", "Officials meet\n\nTurkish officials met their guests in the capital on Wednesday."),
];

#[test]
fn a_capitalised_name_matches_its_entity_under_every_alias() {
    let folder = Folder::with(ALIASES);
    assert_eq!(folder.names("Kiev"), vec!["kiev.txt", "kyiv.txt"]);
    assert_eq!(folder.names("Kyiv"), vec!["kiev.txt", "kyiv.txt"]);
    assert_eq!(folder.names("Zelensky"), vec!["zelenskiy.txt"]);
    assert_eq!(folder.names("Zelenskiy"), vec!["zelenskiy.txt"]);
    assert_eq!(
        folder.names("\"Volodymyr Zelensky\""),
        vec!["zelenskiy.txt"]
    );
    // A demonym is a mention of its place: "Turkish" for Turkey.
    assert_eq!(folder.names("Turkey"), vec!["ankara.txt", "farm.txt"]);
}

#[test]
fn lower_case_words_stay_words() {
    let folder = Folder::with(ALIASES);
    assert_eq!(folder.names("turkey"), vec!["farm.txt"]);
    assert_eq!(folder.names("reading"), vec!["farm.txt"]);
    assert_eq!(folder.names("kiev"), vec!["kiev.txt"]);
}

#[test]
fn explain_says_when_a_word_matched_through_its_entity() {
    let folder = Folder::with(ALIASES);
    let found = folder.search("Kiev", &["--explain"]);
    let kyiv = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with("kyiv.txt"))
        .unwrap();
    let matches = &kyiv["explain"]["clauses"][0]["matches"];
    assert_eq!(matches[0]["text"], "Kyiv");
    assert_eq!(matches[0]["entity"]["name"], "Kyiv");
    assert_eq!(matches[0]["entity"]["kind"], "place");
    // The passage lights the mention too.
    let passage = &kyiv["snippets"][0];
    let [start, end] = [0, 1].map(|i| passage["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(&passage["text"].as_str().unwrap()[start..end], "Kyiv");
}

#[test]
fn fuzzy_words_match_spellings_and_transliterations() {
    let folder = Folder::with(ALIASES);
    assert_eq!(folder.names("Zelensky~1"), vec!["zelenskiy.txt"]);
    assert_eq!(folder.names("Zelenskyi~2"), vec!["zelenskiy.txt"]);
    assert_eq!(folder.names("Zelenskyi~"), vec!["zelenskiy.txt"]);
    assert_eq!(folder.names("Blinkin~1"), vec!["blinken.txt"]);
    assert!(folder.names("Blinkin").is_empty());
    // Fuzzy words stand next to near: too.
    assert_eq!(
        folder.names("Blinkin~1 near/3:counterpart"),
        vec!["blinken.txt"]
    );
    // The passage lights the word found.
    let found = folder.search("Blinkin~1", &[]);
    let passage = &found["hits"][0]["snippets"][0];
    let [start, end] = [0, 1].map(|i| passage["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(&passage["text"].as_str().unwrap()[start..end], "Blinken");
}

#[test]
fn short_words_take_fewer_edits_and_a_crowded_fuzzy_word_says_it_was_cut() {
    // "cat": three letters take one edit, whatever ~2 asks.
    let mut crowd = String::from("Words\n\n");
    for c in 'a'..='z' {
        crowd.push_str(&format!("b{c}t {c}at ba{c} "));
    }
    let folder = Folder::with(&[
        ("one.txt", "Cats\n\nThe cut was clean."),
        ("two.txt", "Dogs\n\nThe cog turned."),
        ("crowd.txt", &crowd),
    ]);
    let cut = folder.names("cat~2");
    assert!(cut.contains(&"one.txt".to_string()), "{cut:?}");
    assert!(!cut.contains(&"two.txt".to_string()), "{cut:?}");
    let crowded = folder.search("bat~1", &[]);
    assert_eq!(crowded["warnings"][0]["code"], "fuzzy-capped", "{crowded}");
    let output = folder.run(&["search", "bat~1"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("bat~1 is near more words"));
}

#[test]
fn near_holds_within_the_title_but_never_across_title_and_body() {
    let folder = Folder::with(&[
        (
            "title.txt",
            "Harbour Profit Rise Reported\n\nThe company said its results improved.",
        ),
        (
            "across.txt",
            "Harbour annual profit\n\nRise expected, the company said.",
        ),
        (
            "body.txt",
            "Harbour results\n\nThe company said its profit rise was small.",
        ),
    ]);
    assert_eq!(
        folder.names("profit near/0:rise"),
        vec!["body.txt", "title.txt"]
    );
    let found = folder.search("profit near/0:rise", &["--explain"]);
    for hit in found["hits"].as_array().unwrap() {
        let clause = &hit["explain"]["clauses"][0];
        let expected = if hit["path"].as_str().unwrap().ends_with("title.txt") {
            "title"
        } else {
            "body"
        };
        assert_eq!(clause["matched_in"], expected, "{hit}");
    }
}

#[test]
fn far_date_ranges_are_clamped_and_impossible_years_refused() {
    let folder = Folder::with(ALIASES);
    let all = folder.search("date:1900..2100", &[])["total"].clone();
    assert_eq!(all, ALIASES.len());
    assert_eq!(folder.search("date:1000..2030", &[])["total"], all);
    assert_eq!(folder.search("date:1900..2262", &[])["total"], all);
    assert_eq!(folder.search("date:..9999", &[])["total"], all);
    let refused = folder.run(&["search", "farm date:0000..2030"]);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("years go from 0001 to 9999"), "{message}");
    assert!(message.contains("(column 11)"), "{message}");
    assert!(message.contains("^^^^"), "{message}");
}

#[test]
fn from_and_to_are_dates_and_their_errors_name_the_option() {
    let folder = Folder::with(ALIASES);
    let refused = folder.run(&["search", "farm", "--from", "2022-13-01"]);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--from"), "{message}");
    assert!(message.contains("2022-13-01"), "{message}");
    assert!(
        !message.contains("column"),
        "no caret under a query never typed: {message}"
    );
    let bounded = folder.search("farm", &["--from", "2000", "--to", "2100-06"]);
    assert_eq!(bounded["total"], 1);
    assert_eq!(
        bounded["query"], "farm",
        "the bounds are not pasted into the query"
    );
    let before = folder.search("farm", &["--to", "1999-12-31"]);
    assert_eq!(before["total"], 0);
}
