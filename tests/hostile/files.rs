//! Files that are not what their names say, or are too big, too deep or oddly named.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crate::{dossier, dossier_json, no_panic};

/// The reasons the run gave, by file name (and line).
fn failures(summary: &serde_json::Value) -> Vec<(String, Option<u64>, String)> {
    summary["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                Path::new(f["path"].as_str().unwrap())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                f["line"].as_u64(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn reason_for<'a>(
    failed: &'a [(String, Option<u64>, String)],
    name: &str,
    line: Option<u64>,
) -> &'a str {
    failed
        .iter()
        .find(|(n, l, _)| n == name && *l == line)
        .map(|(_, _, r)| r.as_str())
        .unwrap_or_else(|| panic!("no message for {name} {line:?}: {failed:?}"))
}

#[test]
fn broken_files_are_named_and_the_rest_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(folder.join(name), bytes).unwrap();
    write(
        "good.txt",
        b"Ferry timetable\n\nThe ferry will run every hour from Monday.\n",
    );
    write("empty.txt", b"");
    write(
        "binary.html",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    write(
        "mixed-encoding.txt",
        b"Caf\xc3\xa9 notes\n\nThe caf\xe9 by the quay reopened; \xff\xfe odd bytes follow.\n",
    );
    let cp1251 = encoding_rs::WINDOWS_1251
        .encode("Новости порта\n\nПаром отправится в понедельник утром.\n")
        .0;
    write("cp1251.txt", &cp1251);
    write("unclosed.html", b"<html><head><title>Quay works</title><body><div><p>Cranes moved <b>slowly <i>along the quay");
    let mut deep =
        String::from("<html><head><title>Deep page</title></head><body><p>Opening words");
    for _ in 0..100_000 {
        deep.push_str("<div>");
    }
    deep.push_str("buried harbour text");
    write("deep.html", deep.as_bytes());
    write(
        "records.jsonl",
        concat!(
            "{\"title\":\"Tug strike\",\"body\":\"Tug crews walked out at dawn.\"}\n",
            "{not json\n",
            "{\"title\":5,\"body\":[\"list\"]}\n",
            "{\"headline\":\"Only a headline here\"}\n",
            "{\"title\":\"Tug strike\",\"body\":\"Tug crews walked out at dawn.\"}\n",
            "{\"url\":\"https://example.org/x\"}\n",
        )
        .as_bytes(),
    );
    let mut array = String::from("[");
    for n in 0..100_000 {
        if n > 0 {
            array.push(',');
        }
        array.push_str(&format!(
            "{{\"title\":\"Notice {n}\",\"body\":\"Berth {n} is closed.\"}}"
        ));
    }
    array.push(']');
    write("many.json", array.as_bytes());
    write("broken.txt.gz", b"this is not gzip data at all");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(
        "Cut short\n\nA download that stopped half way. "
            .repeat(200)
            .as_bytes(),
    )
    .unwrap();
    let whole = gz.finish().unwrap();
    write("truncated.txt.gz", &whole[..whole.len() / 2]);
    std::os::unix::fs::symlink(&folder, folder.join("loop")).unwrap();
    // Names with a newline and with bytes that are not UTF-8.
    std::fs::write(
        folder.join("line\nbreak.txt"),
        "Odd name\n\nA file whose name holds a newline.\n",
    )
    .unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9-notes.txt");
    std::fs::write(
        folder.join(latin1),
        "Latin name\n\nA file whose name is not UTF-8.\n",
    )
    .unwrap();

    let index = dir.path().join("idx");
    let output = dossier(&index, &["index", folder.to_str().unwrap(), "--json"]);
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2), "something failed, so exit 2");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let failed = failures(&summary);
    assert!(reason_for(&failed, "empty.txt", None).contains("empty file"));
    assert!(reason_for(&failed, "binary.html", None).contains("binary data"));
    assert!(reason_for(&failed, "broken.txt.gz", None).contains("gzip"));
    assert!(reason_for(&failed, "truncated.txt.gz", None).contains("gzip"));
    assert!(reason_for(&failed, "records.jsonl", Some(2)).contains("not valid JSON"));
    assert!(reason_for(&failed, "records.jsonl", Some(3)).contains("no title"));
    assert!(reason_for(&failed, "records.jsonl", Some(6)).contains("no title"));
    assert!(
        reason_for(&failed, "loop", None).contains("loop"),
        "{failed:?}"
    );
    // Everything else is in: good, mixed-encoding, cp1251, unclosed, deep, the two
    // names, records 1, 4 and 5 (a duplicate record is still its own record) and the
    // 100,000 records of the array.
    assert_eq!(summary["articles"], 10 + 100_000, "{summary}");
    assert_eq!(failed.len(), 8, "{failed:?}");

    let search = |query: &str| {
        let (code, result, errors) = dossier_json(&index, &["search", query, "-n", "5"]);
        assert!(matches!(code, Some(0) | Some(1)), "{query}: {errors}");
        result["total"].as_u64().unwrap()
    };
    assert_eq!(search("\"buried harbour text\""), 1);
    assert_eq!(search("cranes"), 1);
    assert_eq!(search("café"), 1);
    assert_eq!(search("паром"), 1);
    assert_eq!(search("\"Berth 99999\""), 1);
    assert_eq!(search("newline"), 1);
    assert_eq!(search("UTF"), 1);
    let messages = crate::stderr(&output);
    assert!(
        messages.contains("deep.html: HTML nested deeper than"),
        "{messages}"
    );
    // A warning alone is not a failure: exit 0.
    let only_deep = dir.path().join("deep-only");
    std::fs::create_dir_all(&only_deep).unwrap();
    std::fs::copy(folder.join("deep.html"), only_deep.join("deep.html")).unwrap();
    let output = dossier(
        &dir.path().join("idx2"),
        &["index", only_deep.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", crate::stderr(&output));
    assert!(crate::stderr(&output).contains("warning"));
}

#[test]
fn huge_files_and_lines_are_capped_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    // A 200 MB text file on one line.
    let mut huge = std::fs::File::create(folder.join("dump.txt")).unwrap();
    let chunk = "harbour log entry ".repeat(1 << 16);
    huge.write_all(b"Log dump\n\n").unwrap();
    let mut written = 0;
    while written < 200 << 20 {
        huge.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    drop(huge);
    // A JSONL file whose second line is 50 MB.
    let mut lines = std::fs::File::create(folder.join("lines.jsonl")).unwrap();
    lines.write_all(b"{\"title\":\"Short one\",\"body\":\"A short record.\"}\n{\"title\":\"Long one\",\"body\":\"").unwrap();
    let filler = "x".repeat(1 << 20);
    for _ in 0..50 {
        lines.write_all(filler.as_bytes()).unwrap();
    }
    lines
        .write_all(b"\"}\n{\"title\":\"After\",\"body\":\"The record after the long line.\"}\n")
        .unwrap();
    drop(lines);

    let index = dir.path().join("idx");
    let run = || {
        dossier(
            &index,
            &[
                "index",
                folder.to_str().unwrap(),
                "--max-article-mb",
                "8",
                "--json",
            ],
        )
    };
    let output = run();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let failed = failures(&summary);
    assert!(reason_for(&failed, "lines.jsonl", Some(2)).contains("longer than 8 MB"));
    let messages = crate::stderr(&output);
    assert!(
        messages.contains("dump.txt: truncated at 8 MB"),
        "{messages}"
    );
    // The dump (cut), and the records before and after the long line.
    assert_eq!(summary["articles"], 3);
    let (_, result, _) = dossier_json(&index, &["search", "\"record after the long line\""]);
    assert_eq!(result["total"], 1);
    // Unchanged, a cut file is recognised as unchanged like any other.
    let again = run();
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (summary["added"].as_u64(), summary["updated"].as_u64()),
        (Some(0), Some(0)),
        "{summary}"
    );
}

#[test]
fn unreadable_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("open.txt"), "Open\n\nAnyone may read this.\n").unwrap();
    let closed = folder.join("closed.txt");
    std::fs::write(&closed, "Closed\n\nNobody may read this.\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: run the indexer as an unprivileged user then.
    let as_root = std::fs::read(&closed).is_ok();
    let index = dir.path().join("idx");
    let output = if as_root {
        for path in [dir.path(), folder.as_path()] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        std::fs::set_permissions(
            folder.join("open.txt"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_dossier"))
            .arg("--index")
            .arg(&index)
            .args(["index", folder.to_str().unwrap(), "--json"])
            .output()
            .expect("setpriv runs the indexer as nobody")
    } else {
        dossier(&index, &["index", folder.to_str().unwrap(), "--json"])
    };
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2), "{}", crate::stderr(&output));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let failed = failures(&summary);
    assert!(reason_for(&failed, "closed.txt", None).contains("permission denied"));
    assert_eq!(summary["articles"], 1);
}

#[test]
fn files_vanishing_or_changing_after_the_walk_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("gone.txt"), "Gone\n\nThis file will vanish.\n").unwrap();
    std::fs::write(folder.join("changed.txt"), "Before\n\nOld words.\n").unwrap();
    let walked = dossier::ingest::walk(std::slice::from_ref(&folder), &[]);
    assert_eq!(walked.files.len(), 2);
    std::fs::remove_file(folder.join("gone.txt")).unwrap();
    std::fs::write(
        folder.join("changed.txt"),
        "After\n\nNew words, and more of them than before.\n",
    )
    .unwrap();
    for file in &walked.files {
        let read = dossier::ingest::read_source(file);
        if file.path.ends_with("gone.txt") {
            let reason = read.expect_err("a vanished file is an error");
            assert!(reason.contains("vanished"), "{reason}");
        } else {
            let read = read.expect("a rewritten file is read as it is now");
            assert_eq!(read.articles[0].title, "After");
        }
    }
}
