//! Searching while the index is being written, and a second writer.

use std::process::{Command, Stdio};

use crate::{dossier, dossier_json, write_articles};

#[test]
fn searches_during_indexing_see_the_last_commit_and_a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    let files = write_articles(&folder, 6_000).len();
    let index = dir.path().join("idx");
    // A first commit, so there is something to search from the start.
    let first = folder.join("article-00000.txt");
    assert!(dossier(&index, &["index", first.to_str().unwrap(), "-q"])
        .status
        .success());
    let mut writer = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--index")
        .arg(&index)
        .args(["index", folder.to_str().unwrap(), "--commit-mb", "1", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut searches = 0;
    let mut refused = false;
    let mut last_total = 0;
    while writer.try_wait().unwrap().is_none() {
        let (code, result, errors) = dossier_json(&index, &["search", "harbour", "-n", "3"]);
        assert_eq!(code, Some(0), "a search failed during indexing: {errors}");
        let total = result["total"].as_u64().unwrap();
        assert!(
            total >= last_total,
            "a search saw fewer articles than before"
        );
        last_total = total;
        searches += 1;
        // Once the first writer has committed it surely holds the lock: try a second.
        if !refused && total > 1 {
            let second = dossier(&index, &["index", folder.to_str().unwrap(), "-q"]);
            if writer.try_wait().unwrap().is_none() {
                assert_eq!(second.status.code(), Some(2));
                assert!(crate::stderr(&second).contains("being written by another process"));
                refused = true;
            }
        }
    }
    assert!(writer.wait().unwrap().success());
    assert!(searches > 0);
    assert!(
        refused,
        "the writer finished before a second one could be tried"
    );
    // The lock went with the writer: the next run may write.
    let again = dossier(&index, &["index", folder.to_str().unwrap(), "--json"]);
    assert_eq!(again.status.code(), Some(0), "{}", crate::stderr(&again));
    let (_, result, _) = dossier_json(&index, &["search", "harbour", "-n", "0"]);
    assert_eq!(result["total"].as_u64().unwrap() as usize, files);
}
