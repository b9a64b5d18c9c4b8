//! The real binary, end to end, on the news fixtures the project wrote
//! (tests/fixtures/news): indexing every format, incremental updates, searching, JSON,
//! errors and exit codes.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A temporary folder holding a copy of the fixtures (`news/`) and an index (`idx/`).
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures(), &dir.path().join("news"));
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("dossier")
            .unwrap()
            .current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env_remove("DOSSIER_INDEX")
            .args(["--index", "idx"])
            .args(args)
            .output()
            .unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let output = self.run(&all);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    fn index(&self) -> Value {
        self.json(&["index", "news"])
    }

    fn hit_paths(&self, query: &str) -> Vec<String> {
        let result = self.json(&["search", query, "-n", "50"]);
        result["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn indexes_every_fixture_format_once() {
    let ws = Workspace::new();
    let summary = ws.index();
    assert_eq!(summary["version"], 1);
    assert_eq!(summary["added"], 22, "{summary}");
    assert_eq!(summary["articles"], 22);
    assert_eq!(summary["failed"].as_array().unwrap().len(), 0);
    for key in ["updated", "removed", "unchanged", "bytes", "seconds"] {
        assert!(summary.get(key).is_some(), "index --json lacks {key}");
    }
}

#[test]
fn each_reader_and_encoding_is_searchable() {
    let ws = Workspace::new();
    ws.index();
    let cases = [
        ("dockers", "news/2024-03-04-harbour-strike.txt"),
        ("Lantern", "news/film-festival.md"),
        ("Odesa", "news/pages/grain-exports.html"),
        ("Dresden", "news/pages/2023/11/02/chip-plant.htm"),
        ("penalties", "news/wire/briefs.json"),
        ("Poltava", "news/wire/wire.jsonl"),
        ("miners", "news/wire/wire-extra.jsonl.gz"),
        ("trams", "news/archive/bridge-reopens.txt.gz"),
        ("Skerry", "news/archive/ferry-utf16.txt"),
        ("мороз", "news/archive/moscow-frost-cp1251.txt"),
    ];
    for (word, path) in cases {
        assert_eq!(
            ws.hit_paths(word),
            vec![path.to_string()],
            "searching {word}"
        );
    }
}

#[test]
fn boilerplate_and_page_furniture_are_not_indexed() {
    let ws = Workspace::new();
    ws.index();
    for junk in [
        "Advertisement",
        "\"enter your comment\"",
        "\"Tweet\"",
        "trackPageView",
        "\"All rights reserved\"",
        "Northwick near:collapse",
    ] {
        let output = ws.run(&["search", junk]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{junk} should find nothing: {}",
            stdout(&output)
        );
    }
}

#[test]
fn search_json_has_the_spec_shape() {
    let ws = Workspace::new();
    ws.index();
    let result = ws.json(&["search", "troops near:Belarus"]);
    assert_eq!(result["version"], 1);
    assert_eq!(result["query"], "troops near:Belarus");
    assert_eq!(result["total"], 1);
    assert!(result["took_ms"].is_number());
    let hit = &result["hits"][0];
    for key in [
        "id",
        "path",
        "record",
        "title",
        "published",
        "published_source",
        "source",
        "url",
        "lang",
        "score",
        "snippets",
        "entities",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    assert_eq!(hit["path"], "news/troops-belarus.txt");
    assert_eq!(hit["lang"], "en");
    let snippet = &hit["snippets"][0];
    let text = snippet["text"].as_str().unwrap();
    let marked: Vec<&str> = snippet["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize])
        .collect();
    // "Belarusian troops began...": the demonym is a mention of Belarus.
    assert_eq!(marked, vec!["Belarusian", "troops"]);
}

#[test]
fn words_phrases_booleans_prefixes_and_fields() {
    let ws = Workspace::new();
    ws.index();
    assert_eq!(
        ws.hit_paths("sanction"),
        vec!["news/pages/sanctions-talks.html"]
    );
    assert_eq!(
        ws.hit_paths("\"interest rates\""),
        vec!["news/central-bank-rates.txt"]
    );
    assert!(ws.hit_paths("\"rates interest\"").is_empty());
    assert_eq!(
        ws.hit_paths("wheat -Zelensky"),
        vec!["news/wire/wire-extra.jsonl.gz"]
    );
    assert_eq!(ws.hit_paths("wheat NOT Zelensky").len(), 1);
    assert_eq!(ws.hit_paths("Dresden OR Valmont").len(), 2);
    assert_eq!(
        ws.hit_paths("(Dresden OR Valmont) award"),
        vec!["news/film-festival.md"]
    );
    assert_eq!(
        ws.hit_paths("title:harbour"),
        vec!["news/2024-03-04-harbour-strike.txt"]
    );
    assert_eq!(ws.hit_paths("Poltav*"), vec!["news/wire/wire.jsonl"]);
    // "Lagarde told a news conference": three words between.
    assert_eq!(ws.hit_paths("\"Lagarde conference\"~2").len(), 0);
    assert_eq!(ws.hit_paths("\"Lagarde conference\"~3").len(), 1);
    assert_eq!(
        ws.hit_paths("lang:ru"),
        vec!["news/archive/moscow-frost-cp1251.txt"]
    );
}

#[test]
fn json_records_keep_their_numbers() {
    let ws = Workspace::new();
    ws.index();
    let result = ws.json(&["search", "Hallmark"]);
    assert_eq!(result["hits"][0]["record"], 3);
    assert_eq!(result["hits"][0]["source"], "wire.example");
}

#[test]
fn near_window_counts_words_between() {
    let ws = Workspace::new();
    ws.index();
    // "exercises near the border": two words between.
    assert_eq!(ws.hit_paths("exercises near/2:border").len(), 1);
    assert_eq!(ws.hit_paths("border near/2:exercises").len(), 1);
    assert_eq!(ws.hit_paths("exercises near/1:border").len(), 0);
    // "Belarusian troops": adjacent, through the mention of Belarus.
    assert_eq!(ws.hit_paths("troops near/0:Belarus").len(), 1);
}

#[test]
fn unchanged_folder_does_no_work_and_says_so() {
    let ws = Workspace::new();
    ws.index();
    let again = ws.index();
    assert_eq!(
        (
            again["added"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(22))
    );
    let human = ws.run(&["index", "news"]);
    assert!(
        stderr(&human).contains("nothing changed"),
        "{}",
        stderr(&human)
    );
}

#[test]
fn changed_deleted_and_new_files_are_updated() {
    let ws = Workspace::new();
    ws.index();
    let oil = ws.path("news/oil-opec.txt");
    let text = std::fs::read_to_string(&oil).unwrap();
    std::fs::write(&oil, text + "\nKuwait also backed the decision.\n").unwrap();
    std::fs::remove_file(ws.path("news/film-festival.md")).unwrap();
    std::fs::write(
        ws.path("news/new.txt"),
        "Ferry fares rise\n\nFares rose by a tenth.\n",
    )
    .unwrap();
    let summary = ws.index();
    assert_eq!(summary["updated"], 1, "{summary}");
    assert_eq!(summary["removed"], 1);
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["unchanged"], 20);
    assert_eq!(summary["articles"], 22);
    assert_eq!(ws.hit_paths("Kuwait"), vec!["news/oil-opec.txt"]);
    assert!(ws.hit_paths("Lantern").is_empty());
    assert_eq!(
        ws.hit_paths("oil").len(),
        1,
        "the old version of oil-opec.txt is gone"
    );
}

#[test]
fn touching_a_file_reindexes_it_alone() {
    let ws = Workspace::new();
    ws.index();
    let file = std::fs::File::options()
        .write(true)
        .open(ws.path("news/oil-opec.txt"))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    let summary = ws.index();
    assert_eq!(
        (summary["updated"].as_u64(), summary["unchanged"].as_u64()),
        (Some(1), Some(21)),
        "{summary}"
    );
}

#[test]
fn full_rebuild_starts_over() {
    let ws = Workspace::new();
    ws.index();
    let summary = ws.json(&["index", "news", "--full"]);
    assert_eq!(
        (summary["added"].as_u64(), summary["articles"].as_u64()),
        (Some(22), Some(22))
    );
}

#[test]
fn another_folder_does_not_remove_the_first() {
    let ws = Workspace::new();
    ws.index();
    std::fs::create_dir(ws.path("more")).unwrap();
    std::fs::write(
        ws.path("more/a.txt"),
        "Tram line opens\n\nThe new tram line opened.\n",
    )
    .unwrap();
    let summary = ws.json(&["index", "more"]);
    assert_eq!(
        (
            summary["added"].as_u64(),
            summary["removed"].as_u64(),
            summary["articles"].as_u64()
        ),
        (Some(1), Some(0), Some(23))
    );
}

#[test]
fn bad_records_cost_only_themselves() {
    let ws = Workspace::new();
    std::fs::write(ws.path("news/wire/broken.jsonl"), "{\"title\":\"Good one\",\"text\":\"Salt mine reopens.\"}\n{\"title\": oops\n\"just a string\"\n").unwrap();
    std::fs::write(ws.path("news/binary.html"), b"\x00\x01\x02PK\x00\x00").unwrap();
    let output = ws.run(&["index", "news", "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["added"], 23);
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed
        .iter()
        .any(|f| f["line"] == 2 && f["path"].as_str().unwrap().ends_with("broken.jsonl")));
    assert!(failed
        .iter()
        .any(|f| f["line"] == 3 && f["reason"].as_str().unwrap().contains("found a string")));
    assert!(failed
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("binary.html") && f["line"].is_null()));
    let messages = stderr(&output);
    assert!(messages.contains("broken.jsonl:2"), "{messages}");
    assert_eq!(ws.hit_paths("salt"), vec!["news/wire/broken.jsonl"]);
}

#[test]
fn hidden_and_ignored_files_are_skipped() {
    let ws = Workspace::new();
    std::fs::write(ws.path("news/.hidden.txt"), "Secret\n\nzeppelin\n").unwrap();
    std::fs::write(ws.path("news/.ignore"), "skipme.txt\n").unwrap();
    std::fs::write(ws.path("news/skipme.txt"), "Skipped\n\nzeppelin\n").unwrap();
    ws.index();
    assert!(ws.hit_paths("zeppelin").is_empty());
}

#[test]
fn exit_codes_follow_the_contract() {
    let ws = Workspace::new();
    ws.index();
    assert_eq!(ws.run(&["search", "harbour"]).status.code(), Some(0));
    assert_eq!(ws.run(&["search", "zeppelin"]).status.code(), Some(1));
    let bad = ws.run(&["search", "troops near:"]);
    assert_eq!(bad.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&bad));
}

#[test]
fn query_errors_echo_the_query_with_a_caret() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "persn:Putin"]);
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!(stderr(&output));
}

#[test]
fn negation_first_is_a_query_not_a_flag() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "-harbour", "storm", "-n", "5", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["query"], "-harbour storm");
    assert_eq!(result["total"], 1, "the ferry article says harbour");
}

#[test]
fn searching_without_an_index_says_how_to_make_one() {
    let ws = Workspace::new();
    let output = ws.run(&["search", "oil"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("dossier index FOLDER"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_index_built_differently_asks_for_full() {
    let ws = Workspace::new();
    ws.index();
    std::fs::write(
        ws.path("idx/dossier.json"),
        r#"{"version":1,"identity":"schema 0000; older analyzer"}"#,
    )
    .unwrap();
    let output = ws.run(&["search", "oil"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--full"), "{}", stderr(&output));
    let rebuilt = ws.json(&["index", "news", "--full"]);
    assert_eq!(rebuilt["articles"], 22);
    assert_eq!(ws.run(&["search", "oil"]).status.code(), Some(0));
}

#[test]
fn a_second_writer_is_refused_clearly() {
    let ws = Workspace::new();
    ws.index();
    let store = dossier::index::IndexStore::open(&ws.path("idx")).unwrap();
    let _writer: tantivy::IndexWriter = store.index.writer(50_000_000).unwrap();
    let output = ws.run(&["index", "news"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("being written by another process"),
        "{}",
        stderr(&output)
    );
    // Searching still works while another process writes.
    assert_eq!(ws.run(&["search", "harbour"]).status.code(), Some(0));
}

#[test]
fn colour_and_markers() {
    let ws = Workspace::new();
    ws.index();
    let plain = stdout(&ws.run(&["search", "dockers", "--color", "never"]));
    assert!(plain.contains("[dockers]"), "{plain}");
    assert!(!plain.contains('\x1b'));
    let coloured = stdout(&ws.run(&["search", "dockers", "--color", "always"]));
    assert!(coloured.contains("\x1b[1;33mdockers\x1b[0m"), "{coloured}");
}

#[test]
fn human_output_snapshot() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "harbour", "--color", "never", "--snippets", "2"]);
    let text = stdout(&output);
    let stable: String = text
        .lines()
        .filter(|l| !l.contains(" hits ("))
        .map(|l| format!("{l}\n"))
        .collect();
    let stable = stable.replace(&today(), "TODAY");
    insta::assert_snapshot!(stable);
}

fn today() -> String {
    let output = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn extract_prints_one_json_object_per_article() {
    let ws = Workspace::new();
    let output = ws.run(&["extract", "news/wire/wire.jsonl"]);
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[1]["record"], 2);
    assert_eq!(lines[1]["title"], "Zelenskyy meets farmers in Poltava");
    assert_eq!(lines[1]["published"], "2023-05-05");
    assert_eq!(lines[1]["published_source"], "field");
    for key in ["version", "path", "body", "lang", "entities", "dates"] {
        assert!(lines[0].get(key).is_some(), "extract lacks {key}");
    }
}

#[test]
fn extract_from_stdin_keeps_the_text_verbatim() {
    let output = Command::cargo_bin("dossier")
        .unwrap()
        .args(["extract", "-"])
        .write_stdin("  Advertisement\nTroops moved.\n")
        .output()
        .unwrap();
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["body"], "  Advertisement\nTroops moved.\n");
    assert_eq!(line["title"], "");
    assert_eq!(line["record"], Value::Null);
}

#[test]
fn stats_summarise_the_index() {
    let ws = Workspace::new();
    ws.index();
    let stats = ws.json(&["stats"]);
    assert_eq!(stats["version"], 1);
    assert_eq!(stats["articles"], 22);
    assert!(stats["sources"].as_u64().unwrap() >= 4, "{stats}");
    assert!(stats["first"].as_str().unwrap() <= stats["last"].as_str().unwrap());
}

#[test]
fn demo_runs_on_the_embedded_articles() {
    let output = Command::cargo_bin("dossier")
        .unwrap()
        .arg("demo")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("Indexed 22 sample articles"), "{text}");
    assert!(text.contains("[Belarusian] [troops]"), "{text}");
}

fn published(ws: &Workspace, query: &str) -> Vec<(String, String, String)> {
    let result = ws.json(&["search", query, "-n", "50"]);
    result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap().to_string();
            let day = h["published"].as_str().unwrap_or("").to_string();
            let source = h["published_source"].as_str().unwrap_or("").to_string();
            (path, day, source)
        })
        .collect()
}

#[test]
fn publication_dates_say_where_they_came_from() {
    let ws = Workspace::new();
    ws.index();
    let cases = [
        ("dockers", "2024-03-04", "text"),     // date line above the title
        ("Odesa", "2023-08-15", "meta"),       // article:published_time
        ("Borrell", "2023-06-23", "meta"),     // <meta name="date">
        ("Lissa flood", "2024-09-16", "meta"), // JSON-LD datePublished
        ("Dresden", "2023-11-02", "path"),     // pages/2023/11/02/
        ("Poltava", "2023-05-05", "field"),    // JSONL field
        ("penalties", "2024-05-18", "field"),  // published_at
        ("\"storm warning\"", "2024-10-10", "field"), // 23:30 at UTC-5 is still the 10th where it was published
    ];
    for (query, day, source) in cases {
        let found = published(&ws, query);
        assert_eq!(found.len(), 1, "{query}: {found:?}");
        assert_eq!(
            (found[0].1.as_str(), found[0].2.as_str()),
            (day, source),
            "{query}"
        );
    }
    let mtime_dated = published(&ws, "Minsk");
    assert_eq!(mtime_dated[0].2, "mtime");
}

#[test]
fn a_date_beside_the_weather_is_the_day_the_page_was_saved() {
    let ws = Workspace::new();
    let page = ws.path("saved.txt");
    std::fs::write(
        &page,
        "-0.6 C\nMonday, March 20, 2023\n\nTalks on the border planned\n\nShelling resumed on Monday as envoys prepared for talks on Thursday.\n",
    )
    .unwrap();
    let output = ws.run(&["extract", "saved.txt"]);
    let article: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(article["title"], "Talks on the border planned");
    assert_eq!(
        (&article["published"], &article["published_source"]),
        (&Value::from("2023-03-20"), &Value::from("saved"))
    );
    // Weekdays are not resolved against the day a copy was saved.
    assert_eq!(article["dates"], Value::Array(vec![]), "{article}");
}

#[test]
fn extract_lists_mentioned_days_with_offsets() {
    let ws = Workspace::new();
    let output = ws.run(&["extract", "news/2024-03-04-harbour-strike.txt"]);
    let article: Value = serde_json::from_slice(&output.stdout).unwrap();
    let body = article["body"].as_str().unwrap();
    let dates: Vec<(String, String)> = article["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (start, end) = (
                d["start"].as_u64().unwrap() as usize,
                d["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&body[start..end], d["text"].as_str().unwrap());
            (
                d["date"].as_str().unwrap().to_string(),
                d["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        dates,
        vec![
            ("2024-03-04".to_string(), "March 4".to_string()),
            ("2024-03-04".to_string(), "Monday".to_string()),
            ("2024-03-03".to_string(), "Sunday".to_string()),
        ]
    );
}

#[test]
fn date_filters_ranges_and_sorting() {
    let ws = Workspace::new();
    ws.index();
    let count = |query: &str| ws.json(&["search", query])["total"].as_u64().unwrap();
    assert_eq!(count("date:2023"), 7);
    assert_eq!(count("date:2023-06"), 2);
    assert_eq!(count("date:2023-06-15"), 1);
    assert_eq!(count("date:2023-06-01..2023-08-31"), 3);
    assert_eq!(count("date:..2023-05-31"), 2);
    assert_eq!(count("date:2024-09-16..2024-12-31"), 2);
    // Open to the future: also the eight articles dated by the copies' file time (now).
    assert_eq!(count("date:2024-09-16.."), 10);
    assert_eq!(count("mentioned:2024-03-03"), 1);
    assert_eq!(count("wheat date:2024"), 1);
    let bounded = ws.json(&[
        "search",
        "wheat",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ]);
    assert_eq!(bounded["total"], 1);
    // A filter-only query lists newest first; --sort oldest reverses.
    let newest = published(&ws, "date:2023");
    let days: Vec<&str> = newest.iter().map(|p| p.1.as_str()).collect();
    let mut sorted = days.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(days, sorted);
    let oldest = ws.json(&["search", "date:2023", "--sort", "oldest"]);
    assert_eq!(oldest["hits"][0]["published"], "2023-04-12");
}

#[test]
fn bad_dates_are_query_errors_with_a_caret() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "oil date:2022-02-30"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("bad date \"2022-02-30\""), "{message}");
    assert!(message.contains("      ^^^^^^^^^^"), "{message}");
}

#[test]
fn facets_count_sources_and_dates_over_all_matches() {
    let ws = Workspace::new();
    ws.index();
    let result = ws.json(&["search", "date:2023", "--facets", "-n", "1"]);
    let facets = &result["facets"];
    for key in ["person", "place", "org", "source", "published", "mentioned"] {
        assert!(facets[key].is_array(), "facets lacks {key}");
    }
    assert_eq!(
        facets["source"][0],
        serde_json::json!({"value": "Eastern Wire", "count": 4})
    );
    let months: Vec<(String, u64)> = facets["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["value"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        months.iter().map(|m| m.1).sum::<u64>(),
        7,
        "every match counted, not only the shown hit"
    );
    assert!(months.contains(&("2023-06".to_string(), 2)), "{months:?}");
    let years = ws.json(&[
        "search",
        "date:2023..2024",
        "--facets",
        "--facet-interval",
        "year",
    ]);
    assert_eq!(
        years["facets"]["published"],
        serde_json::json!([{"value": "2023", "count": 7}, {"value": "2024", "count": 7}])
    );
    assert!(
        ws.json(&["search", "oil"]).get("facets").is_none(),
        "facets only when asked"
    );
    let human = stdout(&ws.run(&["search", "date:2023", "--facets", "--color", "never"]));
    assert!(
        human.contains("published:") && human.contains("2023-06 ████"),
        "{human}"
    );
}

#[test]
fn person_filter_resolves_spellings_and_facets_list_one_name() {
    let ws = Workspace::new();
    ws.index();
    let mut paths = ws.hit_paths("person:Zelensky");
    paths.sort();
    assert_eq!(
        paths,
        vec!["news/pages/grain-exports.html", "news/wire/wire.jsonl"]
    );
    let result = ws.json(&["search", "person:zelenskyy", "--facets"]);
    let people: Vec<&Value> = result["facets"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["value"] == "Volodymyr Zelensky")
        .collect();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0]["count"], 2);
}

#[test]
fn place_and_org_filters_go_through_aliases() {
    let ws = Workspace::new();
    ws.index();
    let mut kyiv = ws.hit_paths("place:Kyiv");
    kyiv.sort();
    assert_eq!(
        kyiv,
        vec!["news/pages/grain-exports.html", "news/wire/wire.jsonl"]
    );
    assert_eq!(
        ws.hit_paths("place:Kiev"),
        kyiv,
        "an alias finds the same articles"
    );
    let eu = ws.hit_paths("org:EU");
    assert!(
        eu.contains(&"news/pages/sanctions-talks.html".to_string()),
        "{eu:?}"
    );
    assert_eq!(ws.hit_paths("actor:\"European Union\""), eu);
    assert!(
        ws.hit_paths("person:Kyiv").is_empty(),
        "kinds are kept apart"
    );
}

#[test]
fn an_unknown_entity_matches_nothing_and_says_so() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "person:\"Nobody Atall\""]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no person named \"Nobody Atall\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn near_an_entity_counts_from_the_nearer_edge_of_a_multiword_mention() {
    let ws = Workspace::new();
    ws.index();
    // "President Volodymyr Zelensky said on Tuesday that the country expected record
    // wheat": eight words between "Zelensky" and "wheat", nine from "Volodymyr".
    assert_eq!(
        ws.hit_paths("wheat near/8:Zelensky"),
        vec!["news/pages/grain-exports.html"]
    );
    assert!(ws.hit_paths("wheat near/7:Zelensky").is_empty());
    // Any spelling names him: "Zelenskyy said the government would lower fees".
    assert_eq!(
        ws.hit_paths("fees near/5:Zelensky"),
        vec!["news/wire/wire.jsonl"]
    );
    assert!(ws.hit_paths("fees near/4:Zelensky").is_empty());
}

#[test]
fn extract_reports_entities_with_mentions_and_forms() {
    let ws = Workspace::new();
    let output = ws.run(&["extract", "news/troops-belarus.txt"]);
    let article: Value = serde_json::from_slice(&output.stdout).unwrap();
    let body = article["body"].as_str().unwrap();
    let belarus = article["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Belarus")
        .expect("Belarus found");
    assert_eq!(belarus["kind"], "place");
    let mentions = belarus["mentions"].as_array().unwrap();
    for mention in mentions {
        let (start, end) = (
            mention["start"].as_u64().unwrap() as usize,
            mention["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&body[start..end], mention["text"].as_str().unwrap());
    }
    assert!(
        mentions
            .iter()
            .any(|m| m["text"] == "Belarusian" && m["form"] == "demonym"),
        "{mentions:?}"
    );
    assert!(
        mentions
            .iter()
            .any(|m| m["text"] == "Belarus" && m["form"] == "name"),
        "{mentions:?}"
    );
}

#[test]
fn the_user_entity_file_applies_and_survives_reindexing() {
    let ws = Workspace::new();
    ws.index();
    assert!(!ws.hit_paths("place:Portmere").is_empty());
    std::fs::write(ws.path("mine.tsv"), "# ours\ndrop\tPortmere\nadd\tperson\tMarta Kowalczyk\tKowalczyk\nrename\tHenrik Aalto\tHenrik Aalto-Berg\n").unwrap();
    let summary = ws.json(&["index", "news", "--entities", "mine.tsv"]);
    assert_eq!(
        summary["updated"], 22,
        "a new entity file analyses every article again: {summary}"
    );
    assert!(ws.hit_paths("place:Portmere").is_empty());
    assert_eq!(
        ws.hit_paths("person:Kowalczyk"),
        vec!["news/2024-03-04-harbour-strike.txt"]
    );
    assert_eq!(
        ws.hit_paths("person:\"Henrik Aalto-Berg\""),
        vec!["news/2024-03-04-harbour-strike.txt"]
    );
    // A later run without --entities keeps the file; touching a file re-reads it with it.
    let file = std::fs::File::options()
        .write(true)
        .open(ws.path("news/2024-03-04-harbour-strike.txt"))
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    let again = ws.json(&["index", "news"]);
    assert_eq!(again["updated"], 1);
    assert!(ws.hit_paths("place:Portmere").is_empty());
    assert_eq!(ws.hit_paths("person:Kowalczyk").len(), 1);
}

#[test]
fn a_broken_entity_file_is_refused_with_its_line() {
    let ws = Workspace::new();
    std::fs::write(ws.path("bad.tsv"), "add\tperson\tA\nadd\tcity\tB\n").unwrap();
    let output = ws.run(&["index", "news", "--entities", "bad.tsv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("line 2: unknown kind \"city\""),
        "{}",
        stderr(&output)
    );
}

#[test]
fn stats_list_top_entities() {
    let ws = Workspace::new();
    ws.index();
    let stats = ws.json(&["stats"]);
    let places: Vec<(&str, u64)> = stats["top"]["place"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["value"].as_str().unwrap(), p["count"].as_u64().unwrap()))
        .collect();
    assert!(
        places.windows(2).all(|w| w[0].1 >= w[1].1),
        "most frequent first: {places:?}"
    );
    assert!(
        places.iter().any(|p| p.0 == "Ukraine" && p.1 >= 3),
        "{places:?}"
    );
    assert!(!stats["top"]["person"].as_array().unwrap().is_empty());
}

#[test]
fn a_missing_entity_file_says_which_and_what_to_do() {
    let ws = Workspace::new();
    let output = ws.run(&["index", "news", "--entities", "nowhere.tsv"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("nowhere.tsv") && message.contains("check the path given to --entities"),
        "{message}"
    );
}

#[test]
fn near_takes_phrases_groups_prefixes_and_an_ordered_form() {
    let ws = Workspace::new();
    ws.index();
    let belarus = vec!["news/troops-belarus.txt"];
    // "Belarusian troops began a week of exercises": four words between.
    assert_eq!(ws.hit_paths("troops before/4:exercises"), belarus);
    assert!(ws.hit_paths("troops before/3:exercises").is_empty());
    assert!(ws.hit_paths("exercises before/4:troops").is_empty());
    assert_eq!(ws.hit_paths("exercises near/4:troops"), belarus);
    // "Polish officials said they were watching the troops": five words between.
    assert_eq!(ws.hit_paths("\"Polish officials\" near/5:troops"), belarus);
    assert!(ws
        .hit_paths("\"Polish officials\" near/4:troops")
        .is_empty());
    // "200 armoured vehicles took part in the drills".
    assert_eq!(
        ws.hit_paths("(soldiers OR vehicles) near/4:drills"),
        belarus
    );
    assert!(ws
        .hit_paths("(soldiers OR vehicles) near/3:drills")
        .is_empty());
    assert_eq!(ws.hit_paths("armour* near/0:vehicles"), belarus);
    // Chains: "Russian troops in Belarus".
    assert_eq!(
        ws.hit_paths("Russian near/0:troops near/1:Belarus"),
        belarus
    );
    assert!(ws
        .hit_paths("Russian near/0:troops near/0:Belarus")
        .is_empty());
}

#[test]
fn not_near_keeps_every_other_article() {
    let ws = Workspace::new();
    ws.index();
    let all = ws.json(&["search", "date:..2100", "-n", "0"])["total"]
        .as_u64()
        .unwrap();
    let near = ws.json(&["search", "troops near:Belarus", "-n", "0"])["total"]
        .as_u64()
        .unwrap();
    let not_near = ws.json(&["search", "NOT troops near:Belarus", "-n", "0"])["total"]
        .as_u64()
        .unwrap();
    assert!(near > 0);
    assert_eq!(not_near + near, all);
}

#[test]
fn closer_near_matches_rank_higher() {
    let ws = Workspace::new();
    let folder = ws.path("close");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("far.txt"),
        "Harbour report\n\nThe tugs left early and after a long night the crews reached harbour before the wind dropped.\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("close.txt"),
        "Harbour note\n\nThe tugs in harbour waited while the crews slept through a long night and the wind dropped.\n",
    )
    .unwrap();
    let output = ws.run(&["index", "close"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        ws.hit_paths("tugs near:harbour"),
        vec!["close/close.txt", "close/far.txt"]
    );
}

#[test]
fn explain_names_clauses_windows_entity_forms_and_date_source() {
    let ws = Workspace::new();
    ws.index();
    let result = ws.json(&["search", "troops near/0:Belarus place:Minsk", "--explain"]);
    let hit = &result["hits"][0];
    assert_eq!(hit["path"], "news/troops-belarus.txt");
    let explain = &hit["explain"];
    assert_eq!(explain["published_source"], hit["published_source"]);
    let near = &explain["clauses"][0];
    assert_eq!(near["clause"], "troops near/0:Belarus");
    assert_eq!(near["kind"], "near");
    assert_eq!(near["matched"], true);
    let window = &near["windows"][0];
    assert_eq!(window["words_between"], 0);
    // "Belarusian troops": the demonym stands for the place.
    let operands = window["operands"].as_array().unwrap();
    assert_eq!(operands[0]["text"], "troops");
    assert_eq!(operands[1]["text"], "Belarusian");
    assert_eq!(operands[1]["entity"]["name"], "Belarus");
    let filter = &explain["clauses"][1];
    assert_eq!(filter["clause"], "place:Minsk");
    assert_eq!(filter["entities"][0]["name"], "Minsk");
    assert_eq!(filter["entities"][0]["written"][0], "Minsk");
    // Without --explain there is no explanation.
    let plain = ws.json(&["search", "troops near/0:Belarus"]);
    assert!(plain["hits"][0].get("explain").is_none());
    // Human output says it too.
    let output = ws.run(&[
        "search",
        "troops near/0:Belarus",
        "--explain",
        "--color",
        "never",
    ]);
    let text = stdout(&output);
    assert!(text.contains("why: score"), "{text}");
    assert!(
        text.contains("\"Belarusian\" (place Belarus) - 0 words between"),
        "{text}"
    );
}

#[test]
fn a_phrase_with_slop_next_to_near_is_a_positioned_error() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "\"armoured vehicles\"~2 near:drills"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("near/N"), "{message}");
    assert!(message.contains('^'), "{message}");
}

#[test]
fn an_unknown_entity_name_suggests_a_close_one() {
    let ws = Workspace::new();
    ws.index();
    let output = ws.run(&["search", "place:Minks"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("no place named \"Minks\" is known in this index (did you mean Minsk?)"),
        "{message}"
    );
    let output = ws.run(&["search", "person:Zzyzx"]);
    let message = stderr(&output);
    assert!(message.contains("no person named \"Zzyzx\""), "{message}");
    assert!(!message.contains("did you mean"), "{message}");
}

#[test]
fn a_later_page_shows_the_same_hits_and_passages_as_the_first() {
    let ws = Workspace::new();
    ws.index();
    let first = ws.json(&["search", "harbour OR bridge OR troops", "-n", "3"]);
    let hits = first["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3, "{first}");
    for (k, shown) in hits.iter().enumerate() {
        let offset = k.to_string();
        let page = ws.json(&[
            "search",
            "harbour OR bridge OR troops",
            "-n",
            "1",
            "--offset",
            &offset,
        ]);
        let hit = &page["hits"][0];
        assert_eq!(hit["path"], shown["path"], "{page}");
        assert!(!hit["snippets"].as_array().unwrap().is_empty(), "{page}");
        assert_eq!(hit["snippets"], shown["snippets"], "{page}");
    }
}
