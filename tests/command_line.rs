//! The command line around the query: clap owns every argument (a query may start with
//! `-word`, flags go before or after it, a folder may be named like a command), help
//! speaks of what users see, `search --csv` and `batch` print for spreadsheets and
//! scripts, `extract` walks folders as `index` does, a pipe that closes early ends
//! quietly, and an index folder inside the folder indexed is not read as articles.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;
use serde_json::Value;

fn dossier(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dossier")
        .unwrap()
        .current_dir(dir)
        .env_remove("DOSSIER_INDEX")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A folder `news/` of a few articles, indexed into `idx/`.
fn indexed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "news/storm.txt",
        "Storm hits the harbour\n\nA storm closed the harbour at Portmere on Monday.",
    );
    write(
        dir.path(),
        "news/strike.txt",
        "Dock strike ends\n\nThe dock strike at Portmere harbour ended on Friday, the union said.",
    );
    write(
        dir.path(),
        "news/grain.txt",
        "Grain prices, again\n\nGrain prices rose for a third week, traders said.",
    );
    write(
        dir.path(),
        "news/market.md",
        "=HYPERLINK(\"http://example.org\") market report\n\nMarket traders said prices held.",
    );
    let output = dossier(dir.path(), &["--index", "idx", "index", "news"]);
    assert!(output.status.success());
    dir
}

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn a_query_may_start_with_a_minus_word_and_flags_go_before_or_after_it() {
    let dir = indexed();
    let d = dir.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &["--index", "idx", "search", "-storm", "harbour", "--json"],
            "-storm harbour",
        ),
        (
            &["--index", "idx", "--json", "search", "-storm", "harbour"],
            "-storm harbour",
        ),
        (
            &["--index", "idx", "search", "harbour", "-n", "1", "--json"],
            "harbour",
        ),
        (
            &[
                "--index", "idx", "search", "--sort", "newest", "harbour", "--offset", "0",
                "--json",
            ],
            "harbour",
        ),
        (
            &[
                "search",
                "harbour",
                "--json",
                "--index",
                "idx",
                "--snippets",
                "1",
            ],
            "harbour",
        ),
        (
            &[
                "--index", "idx", "search", "--json", "harbour", "--", "-storm",
            ],
            "harbour -storm",
        ),
    ];
    for (args, query) in cases {
        let output = dossier(d, args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(json(&output)["query"], *query, "{args:?}");
    }
    let limited = json(&dossier(
        d,
        &["--index", "idx", "search", "harbour", "-n", "1", "--json"],
    ));
    assert_eq!(limited["hits"].as_array().unwrap().len(), 1);
    assert_eq!(limited["total"], 2);
    // A flag dossier does not have is an error naming it, not query text.
    let unknown = dossier(d, &["--index", "idx", "search", "harbour", "--bogus"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("--bogus"));
}

#[test]
fn a_folder_may_be_named_like_a_command() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "search/one.txt",
        "Ferry resumes\n\nThe ferry resumed on Sunday.",
    );
    let output = dossier(
        dir.path(),
        &["--index", "idx", "--json", "index", "search", "--full"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json(&output)["articles"], 1);
}

#[test]
fn help_speaks_of_what_users_see() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        "", "index", "search", "extract", "stats", "demo", "serve", "batch",
    ] {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push("--help");
        let output = dossier(dir.path(), &args);
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(!text.contains("SPEC"), "{command} --help mentions SPEC");
        let name = if command.is_empty() {
            "dossier".to_string()
        } else {
            command.to_string()
        };
        insta::assert_snapshot!(format!("help_{name}"), text);
    }
}

/// The rows of a CSV text, quoted fields and all.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (other, _) => field.push(other),
        }
    }
    rows
}

#[test]
fn search_csv_prints_every_match_or_the_first_n() {
    let dir = indexed();
    let d = dir.path();
    let all = dossier(d, &["--index", "idx", "search", "date:..2100", "--csv"]);
    assert!(all.status.success());
    let rows = csv_rows(&String::from_utf8_lossy(&all.stdout));
    assert_eq!(
        rows[0].join(","),
        "id,path,record,title,published,published_source,source,url,lang,score,people,places,orgs"
    );
    assert_eq!(rows.len() - 1, 4, "every match, not the first ten");
    let first = dossier(
        d,
        &[
            "--index",
            "idx",
            "search",
            "date:..2100",
            "--csv",
            "-n",
            "2",
        ],
    );
    assert_eq!(
        csv_rows(&String::from_utf8_lossy(&first.stdout)).len() - 1,
        2
    );
    // The same rows, in the same order, as the JSON hits.
    let hits = json(&dossier(
        d,
        &["--index", "idx", "--json", "search", "date:..2100"],
    ));
    for (row, hit) in rows[1..].iter().zip(hits["hits"].as_array().unwrap()) {
        assert_eq!(row[0], hit["id"].as_str().unwrap());
    }
    // A formula in a title is not run by a spreadsheet.
    let market = rows.iter().find(|r| r[3].contains("HYPERLINK")).unwrap();
    assert!(market[3].starts_with("'="), "{market:?}");
    let none = dossier(d, &["--index", "idx", "search", "zeppelin", "--csv"]);
    assert_eq!(none.status.code(), Some(1));
    assert_eq!(
        csv_rows(&String::from_utf8_lossy(&none.stdout)).len(),
        1,
        "the header alone"
    );
}

#[test]
fn batch_answers_every_line_and_a_bad_line_costs_only_itself() {
    let dir = indexed();
    let d = dir.path();
    write(
        d,
        "names.txt",
        "# people to check\nharbour\n\n\"unclosed\nperson:Nobody grain\ngrain OR storm\n",
    );
    let output = dossier(d, &["--index", "idx", "batch", "names.txt", "-n", "1"]);
    assert_eq!(output.status.code(), Some(2), "a refused line makes exit 2");
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, vec![2, 4, 5, 6]);
    assert!(lines.iter().all(|l| l["version"] == 1));
    assert_eq!(lines[0]["query"], "harbour");
    assert_eq!(lines[0]["total"], 2);
    assert_eq!(lines[0]["hits"].as_array().unwrap().len(), 1);
    assert!(lines[0]["hits"][0].get("snippets").is_none());
    assert_eq!(lines[1]["error"]["code"], "query");
    assert_eq!(lines[1]["error"]["column"], 1);
    assert!(lines[1].get("total").is_none());
    assert_eq!(lines[2]["warnings"][0]["code"], "unknown-entity");
    assert_eq!(lines[3]["total"], 2);
    let csv = dossier(d, &["--index", "idx", "batch", "names.txt", "--csv"]);
    let rows = csv_rows(&String::from_utf8_lossy(&csv.stdout));
    assert_eq!(rows[0].join(","), "line,query,total,error");
    assert_eq!(rows[1], vec!["2", "harbour", "2", ""]);
    assert_eq!(rows[2][0], "4");
    assert_eq!(rows[2][2], "");
    assert!(rows[2][3].contains("unclosed quote"));
    let missing = dossier(d, &["--index", "idx", "batch", "nowhere.txt"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nowhere.txt"));
}

#[test]
fn extract_walks_folders_as_index_does() {
    let dir = indexed();
    let d = dir.path();
    write(d, "news/.hidden.txt", "Hidden\n\nNot to be read.");
    write(
        d,
        "news/skipped/notes.txt",
        "Skipped\n\nIgnored by the .ignore file.",
    );
    write(d, "news/.ignore", "skipped/\n");
    write(d, "news/data.csv", "a,b\n1,2\n");
    let output = dossier(d, &["extract", "news"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let paths: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        paths,
        vec![
            "news/grain.txt",
            "news/market.md",
            "news/storm.txt",
            "news/strike.txt"
        ]
    );
}

/// Runs dossier with stdout piped, reads one line, closes the pipe and waits.
fn first_line_then_close(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Process::new(env!("CARGO_BIN_EXE_dossier"))
        .current_dir(dir)
        .env_remove("DOSSIER_INDEX")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // The reader is dropped here: dossier's next writes meet a closed pipe.
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_pipe_that_closes_early_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Enough output to fill a pipe many times over.
    let mut lines = String::new();
    for n in 0..3000 {
        lines.push_str(&format!(
            "{{\"title\":\"Report {n}\",\"text\":\"The harbour office counted {n} ships on Monday; the harbour was busy.\"}}\n"
        ));
    }
    write(d, "wire/reports.jsonl", &lines);
    assert!(dossier(d, &["--index", "idx", "index", "wire", "-q"])
        .status
        .success());
    for args in [
        vec!["extract", "wire"],
        vec!["--index", "idx", "search", "harbour", "--csv"],
        vec!["--index", "idx", "search", "harbour", "-n", "3000"],
        vec![
            "--index", "idx", "--json", "search", "harbour", "-n", "3000",
        ],
    ] {
        let (code, stderr) = first_line_then_close(d, &args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?} printed: {stderr}");
    }
}

#[test]
fn an_index_folder_inside_the_indexed_folder_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "news/storm.txt",
        "Storm hits the harbour\n\nA storm closed the harbour.",
    );
    let index: PathBuf = d.join("news/search-index");
    for _ in 0..2 {
        let output = dossier(
            d,
            &[
                "--index",
                index.to_str().unwrap(),
                "--json",
                "index",
                "news",
            ],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let summary = json(&output);
        assert_eq!(summary["articles"], 1, "{summary}");
        assert_eq!(summary["failed"], serde_json::json!([]));
    }
}
