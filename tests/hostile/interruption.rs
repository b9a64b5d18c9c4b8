//! Ctrl-C and SIGKILL while indexing: the index always opens at its last commit, a
//! re-run completes it, and no article is lost or doubled.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{dossier, dossier_json, indexed_ids, write_articles};

fn spawn_index(index: &Path, folder: &Path, full: bool) -> Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--index")
        .arg(index)
        .args(["index", folder.to_str().unwrap(), "--commit-mb", "1", "-q"])
        .args(full.then_some("--full"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the indexer starts")
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Has the index committed any segment yet?
fn has_commit(index: &Path) -> bool {
    std::fs::read_to_string(index.join("meta.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|meta| meta["segments"].as_array().is_some_and(|s| !s.is_empty()))
}

/// The index opens and answers, with each article at most once and no more than the
/// folder holds; returns how many it holds.
fn consistent(index: &Path, files: usize) -> u64 {
    if !index.join("meta.json").exists() {
        return 0;
    }
    let (total, ids) = indexed_ids(index);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an article is indexed twice");
    assert_eq!(total as usize, ids.len());
    assert!(ids.len() <= files);
    if total == 0 {
        return 0;
    }
    // Every article's facet values are named (their lines were on disk before the
    // commit that holds them): each counts once in the publication facet.
    let (code, result, errors) = dossier_json(index, &["search", "harbour", "--facets"]);
    assert_eq!(code, Some(0), "{errors}");
    let published: u64 = result["facets"]["published"]
        .as_array()
        .map_or(0, |buckets| {
            buckets.iter().filter_map(|b| b["count"].as_u64()).sum()
        });
    assert_eq!(published, total, "{}", result["facets"]);
    total
}

#[test]
fn ctrl_c_commits_what_was_done_and_a_rerun_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    let files = write_articles(&folder, 3_000).len();
    let index = dir.path().join("idx");
    let mut child = spawn_index(&index, &folder, false);
    let started = Instant::now();
    while !has_commit(&index) && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the indexer finished before it could be interrupted; give it more articles"
    );
    signal(&child, "INT");
    let output = child.wait_with_output().unwrap();
    let messages = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{messages}");
    assert!(messages.contains("interrupted"), "{messages}");
    let kept = consistent(&index, files);
    assert!(kept > 0 && (kept as usize) < files, "{kept} of {files}");
    let rerun = dossier(&index, &["index", folder.to_str().unwrap(), "-q"]);
    assert_eq!(rerun.status.code(), Some(0));
    assert_eq!(consistent(&index, files) as usize, files);
}

#[test]
fn killing_the_indexer_repeatedly_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    let files = write_articles(&folder, 2_000).len();
    // How long a whole run takes here, to spread the kills over it.
    let probe = dir.path().join("probe");
    let started = Instant::now();
    assert!(dossier(&probe, &["index", folder.to_str().unwrap(), "-q"])
        .status
        .success());
    let whole_run = started.elapsed();

    let index = dir.path().join("idx");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let (mut runs, mut kills) = (0, 0);
    let mut counts = Vec::new();
    for round in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = whole_run.mul_f64((seed % 1000) as f64 / 1000.0);
        // Every other run rebuilds from scratch, so there is always work to cut short.
        let mut child = spawn_index(&index, &folder, round % 2 == 1);
        runs += 1;
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            signal(&child, "KILL");
            kills += 1;
        }
        let _ = child.wait();
        counts.push(consistent(&index, files));
    }
    let last = dossier(&index, &["index", folder.to_str().unwrap(), "-q"]);
    assert_eq!(last.status.code(), Some(0), "{}", crate::stderr(&last));
    let (total, _) = indexed_ids(&index);
    println!(
        "kill loop: {runs} runs, {kills} killed, articles after each: {counts:?}; final {total} of {files} files"
    );
    assert!(kills > 0, "no run was killed");
    assert_eq!(consistent(&index, files) as usize, files);
}
