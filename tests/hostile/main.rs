//! Hostile input, interruption and concurrent use (issue 7): every fixture is generated
//! here, in temporary folders; nothing large is committed.
//!
//! - `files`: broken, binary, huge, deeply nested and oddly named files
//! - `interruption`: Ctrl-C and repeated SIGKILL during indexing
//! - `concurrency`: searching while indexing, a second writer
//! - `queries`: random and absurd queries
//! - `damage`: a damaged index

mod concurrency;
mod damage;
mod files;
mod interruption;
mod queries;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs the binary with an index in `index`.
pub fn dossier(index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--index")
        .arg(index)
        .args(args)
        .env_remove("DOSSIER_INDEX")
        .output()
        .expect("the dossier binary runs")
}

/// Runs the binary and parses its JSON output (`--json` added).
pub fn dossier_json(index: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = args.to_vec();
    all.push("--json");
    let output = dossier(index, &all);
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), json, stderr(&output))
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that nothing panicked.
pub fn no_panic(output: &Output) {
    let text = stderr(output);
    assert!(!text.contains("panicked"), "{text}");
}

/// A temporary folder `in` of `count` articles (see [`write_articles`]) indexed into
/// `idx` beside it: the directory (kept alive), the folder and the index.
pub fn indexed_articles(count: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    write_articles(&folder, count);
    let index = dir.path().join("idx");
    let output = dossier(&index, &["index", folder.to_str().unwrap(), "-q"]);
    assert!(output.status.success(), "{}", stderr(&output));
    (dir, folder, index)
}

/// Writes `count` small invented articles into `folder` (one file each).
pub fn write_articles(folder: &Path, count: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(folder).unwrap();
    (0..count)
        .map(|n| {
            let path = folder.join(format!("article-{n:05}.txt"));
            let body = format!(
                "Harbour report {n}\n\nThe harbour board met on Monday to discuss berth {n}. \
                 Ferry crews said the new timetable would start next month, and the board \
                 agreed to publish the tide tables for berth {n} before the summer.\n"
            );
            std::fs::write(&path, body.repeat(3)).unwrap();
            path
        })
        .collect()
}

/// Every article in the index, by path (`id`), with the total the index reports.
pub fn indexed_ids(index: &Path) -> (u64, Vec<String>) {
    let (code, result, errors) = dossier_json(
        index,
        &[
            "search",
            "date:..2200-01-01",
            "-n",
            "1000000",
            "--snippets",
            "0",
        ],
    );
    assert!(matches!(code, Some(0) | Some(1)), "search failed: {errors}");
    let ids = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    (result["total"].as_u64().unwrap(), ids)
}
