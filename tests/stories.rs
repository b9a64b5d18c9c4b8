//! Stories (SPEC 2, 4, 6): copies found across formats and furniture, a copy with a
//! paragraph dropped, look-alike earnings reports kept apart, chains, incremental
//! add/change/delete agreeing with `--full`, and `--collapse` totals and facets. Every
//! article is written by this test.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn dossier(index: &Path) -> Command {
    let mut command = Command::cargo_bin("dossier").unwrap();
    command
        .env_remove("DOSSIER_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index);
    command
}

fn index(folder: &Path, index_dir: &Path, extra: &[&str]) {
    let output = dossier(index_dir)
        .args(["index", "-q"])
        .args(extra)
        .arg(folder)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn search(index_dir: &Path, args: &[&str]) -> Value {
    let output = dossier(index_dir)
        .args(["--json", "search", "-n", "100"])
        .args(args)
        .output()
        .unwrap();
    // Exit 1 is a search with no hits.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The file name of each hit's id and of its story, sorted.
fn stories_of(result: &Value) -> Vec<(String, String)> {
    let name = |v: &Value| {
        let text = v.as_str().unwrap();
        text.rsplit('/').next().unwrap().to_string()
    };
    let mut pairs: Vec<(String, String)> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (name(&h["id"]), name(&h["story"])))
        .collect();
    pairs.sort();
    pairs
}

/// A wire story of eight paragraphs about a harbour.
fn harbour_paragraphs() -> Vec<String> {
    (0..8)
        .map(|i| {
            format!(
                "Paragraph {i}: the harbour authority of Rotterdam said crews would repair \
                 berth number {} before the autumn season, and that ferries to Kell Island \
                 would run from the southern pier meanwhile, a spokeswoman added.",
                i + 3
            )
        })
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The same text as txt, html and jsonl, each with its own furniture.
fn write_three_formats(folder: &Path, paragraphs: &[String]) {
    write(
        &folder.join("wire.txt"),
        &format!(
            "Tuesday, March 5, 2024\n\nHarbour berths to be repaired\n\n{}\n",
            paragraphs.join("\n\n")
        ),
    );
    let html_body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    write(
        &folder.join("site/page.html"),
        &format!(
            "<html><head><title>Harbour berths to be repaired | Alden Post</title>\
             <meta property=\"article:published_time\" content=\"2024-03-06T08:00:00Z\">\
             <meta property=\"og:site_name\" content=\"Alden Post\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/sport\">Sport</a></nav><article>\
             <h1>Harbour berths to be repaired</h1>{html_body}</article>\
             <footer>Copyright Alden Post. All rights reserved.</footer></body></html>"
        ),
    );
    let record = serde_json::json!({
        "title": "Harbour repairs: berths close",
        "date": "2024-03-07",
        "source": "Kell Courier",
        "body": paragraphs.join("\n\n"),
    });
    write(&folder.join("feed.jsonl"), &format!("{record}\n"));
}

#[test]
fn the_same_text_in_three_formats_is_one_story_named_by_its_first_copy() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    write_three_formats(&folder, &harbour_paragraphs());
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let result = search(&index_dir, &["harbour"]);
    assert_eq!(
        stories_of(&result),
        vec![
            ("feed.jsonl#1".to_string(), "wire.txt".to_string()),
            ("page.html".to_string(), "wire.txt".to_string()),
            ("wire.txt".to_string(), "wire.txt".to_string()),
        ],
        "the oldest copy (5 March, the text file) names the story"
    );
    let collapsed = search(&index_dir, &["harbour", "--collapse"]);
    assert_eq!(collapsed["total"], 1);
    assert_eq!(collapsed["hits"][0]["copies"], 3);
    // story:ID lists every copy, under the story's id or any copy's.
    let story = result["hits"][0]["story"].as_str().unwrap().to_string();
    let listed = search(&index_dir, &[&format!("story:\"{story}\"")]);
    assert_eq!(listed["total"], 3);
    let by_copy = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_str().unwrap().ends_with("page.html"))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        search(&index_dir, &[&format!("story:\"{by_copy}\"")])["total"],
        3
    );
}

#[test]
fn a_copy_with_a_paragraph_dropped_is_a_copy_and_an_unknown_story_warns() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    let paragraphs = harbour_paragraphs();
    write(&folder.join("full.txt"), &paragraphs.join("\n\n"));
    write(&folder.join("cut.txt"), &paragraphs[1..].join("\n\n"));
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let result = search(&index_dir, &["harbour", "--collapse"]);
    assert_eq!(result["total"], 1, "{result}");
    assert_eq!(result["hits"][0]["copies"], 2);
    let unknown = search(&index_dir, &["story:/nowhere/at-all.txt"]);
    assert_eq!(unknown["total"], 0);
    assert_eq!(unknown["warnings"][0]["code"], "unknown-story");
}

#[test]
fn earnings_reports_that_share_every_word_but_the_numbers_are_not_copies() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    let report = |company: &str, n: u32| {
        format!(
            "{company} Corp said quarterly net profit rose to {n}.{} mln dlrs, or {} cts a \
             share, from {}.{} mln dlrs, or {} cts, a year earlier. Revenues were {} mln \
             dlrs against {} mln. The company said its board declared a dividend of {} cts \
             a share, payable on {} April to holders of record on {} March.",
            n % 10,
            n + 11,
            n - 3,
            (n + 4) % 10,
            n + 2,
            n * 13,
            n * 12,
            n % 7 + 5,
            n % 20 + 1,
            n % 25 + 2
        )
    };
    write(&folder.join("a.txt"), &report("Amberline", 41));
    write(&folder.join("b.txt"), &report("Brookvale", 58));
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let result = search(&index_dir, &["dividend", "--collapse"]);
    assert_eq!(result["total"], 2, "{result}");
}

/// Three texts where A ~ B and B ~ C but A and C share under 80% of their 5-grams.
fn chain_texts() -> [String; 3] {
    let words: Vec<String> = (0..300).map(|i| format!("word{i}")).collect();
    [
        words[0..200].join(" "),
        words[30..230].join(" "),
        words[60..260].join(" "),
    ]
}

#[test]
fn a_chain_of_copies_is_one_story() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    for (name, text) in ["a.txt", "b.txt", "c.txt"].iter().zip(chain_texts()) {
        write(&folder.join(name), &format!("Chain item\n\n{text}\n"));
    }
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let result = search(&index_dir, &["word100"]);
    let stories: Vec<String> = stories_of(&result).into_iter().map(|p| p.1).collect();
    assert_eq!(stories.len(), 3);
    assert!(stories.iter().all(|s| s == &stories[0]), "{stories:?}");
    // Without B the ends are two stories.
    std::fs::remove_file(folder.join("b.txt")).unwrap();
    index(&folder, &index_dir, &[]);
    let result = search(&index_dir, &["word100", "--collapse"]);
    assert_eq!(result["total"], 2, "{result}");
}

#[test]
fn incremental_runs_keep_stories_right_and_agree_with_a_full_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    let paragraphs = harbour_paragraphs();
    write(&folder.join("one.txt"), &paragraphs.join("\n\n"));
    write(
        &folder.join("other.txt"),
        "Orchard growers in the Vale reported a late frost that hit apple blossom across \
         three valleys, and asked the ministry for help with insurance claims.",
    );
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    assert_eq!(
        search(&index_dir, &["harbour", "--collapse"])["hits"][0]["copies"],
        1
    );
    // Added: a copy joins the story.
    write(&folder.join("two.txt"), &paragraphs[..7].join("\n\n"));
    index(&folder, &index_dir, &[]);
    let added = search(&index_dir, &["harbour", "--collapse"]);
    assert_eq!(
        (added["total"].clone(), added["hits"][0]["copies"].clone()),
        (1.into(), 2.into())
    );
    // Changed: the copy is rewritten into another text and leaves the story.
    write(
        &folder.join("two.txt"),
        "The town council voted to rename the old market square after a local poet, \
         and a ceremony will follow in June, the clerk said on Friday.",
    );
    index(&folder, &index_dir, &[]);
    assert_eq!(
        search(&index_dir, &["harbour", "--collapse"])["hits"][0]["copies"],
        1
    );
    // Changed back, then the first copy deleted: the story is gone again.
    write(&folder.join("two.txt"), &paragraphs[..7].join("\n\n"));
    index(&folder, &index_dir, &[]);
    let incremental = search(&index_dir, &["date:1900..2100"]);
    let full_dir = dir.path().join("full");
    index(&folder, &full_dir, &["--full"]);
    let full = search(&full_dir, &["date:1900..2100"]);
    assert_eq!(stories_of(&incremental), stories_of(&full));
    assert_eq!(
        stories_of(&incremental),
        vec![
            ("one.txt".to_string(), "one.txt".to_string()),
            ("other.txt".to_string(), "other.txt".to_string()),
            ("two.txt".to_string(), "one.txt".to_string()),
        ]
    );
    std::fs::remove_file(folder.join("one.txt")).unwrap();
    index(&folder, &index_dir, &[]);
    assert_eq!(
        stories_of(&search(&index_dir, &["harbour"])),
        vec![("two.txt".to_string(), "two.txt".to_string())]
    );
}

#[test]
fn collapsed_totals_and_facets_count_each_story_once() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    write_three_formats(&folder, &harbour_paragraphs());
    write(
        &folder.join("mayor.txt"),
        "Wednesday, March 6, 2024\n\nHarbour dues\n\nThe harbour board of Rotterdam \
         raised berth dues by two percent on Wednesday, its first rise in four years, \
         the board's chairwoman said.\n",
    );
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let plain = search(
        &index_dir,
        &["harbour", "--facets", "--facet-interval", "day"],
    );
    let collapsed = search(
        &index_dir,
        &[
            "harbour",
            "--facets",
            "--collapse",
            "--facet-interval",
            "day",
        ],
    );
    assert_eq!(plain["total"], 4);
    assert_eq!(collapsed["total"], 2);
    let count_of = |result: &Value, facet: &str, value: &str| {
        result["facets"][facet]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["value"] == value)
            .map_or(0, |c| c["count"].as_u64().unwrap())
    };
    // The three copies name Rotterdam; collapsed, the story counts once, and with the
    // board's item that makes two.
    assert_eq!(count_of(&plain, "place", "Rotterdam"), 4, "{plain}");
    assert_eq!(count_of(&collapsed, "place", "Rotterdam"), 2, "{collapsed}");
    // Every copy's source counts for the story: its outlets stay visible.
    assert_eq!(count_of(&collapsed, "source", "Alden Post"), 1);
    assert_eq!(count_of(&collapsed, "source", "Kell Courier"), 1);
    // The story is dated by its first copy (5 March); the board's item is 6 March.
    assert_eq!(count_of(&plain, "published", "2024-03-06"), 2);
    assert_eq!(count_of(&collapsed, "published", "2024-03-05"), 1);
    assert_eq!(count_of(&collapsed, "published", "2024-03-06"), 1);
    assert_eq!(count_of(&collapsed, "published", "2024-03-07"), 0);
}

#[test]
fn stats_name_the_largest_story() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    write_three_formats(&folder, &harbour_paragraphs());
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let output = dossier(&index_dir)
        .args(["--json", "stats"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["stories"]["count"], 1);
    assert_eq!(stats["stories"]["articles"], 3);
    assert_eq!(stats["stories"]["largest"][0]["copies"], 3);
    assert_eq!(
        stats["stories"]["largest"][0]["title"],
        "Harbour berths to be repaired"
    );
}

#[test]
fn a_missing_or_stale_stories_file_is_grouped_again_by_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("news");
    write_three_formats(&folder, &harbour_paragraphs());
    let index_dir = dir.path().join("index");
    index(&folder, &index_dir, &[]);
    let before = search(&index_dir, &["harbour", "--collapse"]);
    assert_eq!(before["hits"][0]["copies"], 3);
    // As if a run had been interrupted between its commit and the stories.
    std::fs::write(
        index_dir.join("stories.json"),
        "{\"version\":1,\"fingerprint\":\"0\",\"stories\":[],\"verdicts\":[]}",
    )
    .unwrap();
    assert_eq!(
        search(&index_dir, &["harbour", "--collapse"])["hits"],
        before["hits"]
    );
    std::fs::remove_file(index_dir.join("stories.json")).unwrap();
    assert_eq!(
        search(&index_dir, &["harbour", "--collapse"])["hits"],
        before["hits"]
    );
    // The next run writes it again.
    index(&folder, &index_dir, &[]);
    assert!(index_dir.join("stories.json").exists());
}
