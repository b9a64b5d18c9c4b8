//! A damaged index says so and how to fix it, and `--full` rebuilds it.

use std::path::Path;

use crate::{dossier, indexed_articles, no_panic, write_articles};

fn segment_files(index: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect()
}

fn assert_damaged(index: &Path, folder: &Path) {
    let output = dossier(index, &["search", "harbour"]);
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let message = crate::stderr(&output);
    assert!(message.contains("damaged"), "{message}");
    assert!(message.contains("--full"), "{message}");
    let rebuilt = dossier(index, &["index", "--full", folder.to_str().unwrap(), "-q"]);
    no_panic(&rebuilt);
    assert_eq!(
        rebuilt.status.code(),
        Some(0),
        "{}",
        crate::stderr(&rebuilt)
    );
    assert_eq!(
        dossier(index, &["search", "harbour"]).status.code(),
        Some(0)
    );
}

#[test]
fn truncated_or_missing_segment_files_say_rebuild_with_full() {
    let (_dir, folder, index) = indexed_articles(50);

    for extension in ["idx", "store", "fast", "pos"] {
        for file in segment_files(&index, extension) {
            let bytes = std::fs::read(&file).unwrap();
            std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        }
        assert_damaged(&index, &folder);
    }
    for file in segment_files(&index, "term") {
        std::fs::remove_file(file).unwrap();
    }
    assert_damaged(&index, &folder);
    std::fs::write(index.join("meta.json"), b"{ not json").unwrap();
    assert_damaged(&index, &folder);
}

/// Runs `dossier index --full` over `folder`, as the damage messages ask, and checks
/// that it succeeds.
fn rebuild_with_full(index: &std::path::Path, folder: &std::path::Path) {
    let rebuilt = dossier(index, &["index", "--full", folder.to_str().unwrap(), "-q"]);
    assert_eq!(
        rebuilt.status.code(),
        Some(0),
        "{}",
        crate::stderr(&rebuilt)
    );
}

#[test]
fn lost_facet_values_say_rebuild_with_full() {
    let (_dir, folder, index) = indexed_articles(20);
    let values = index.join("facet-values.tsv");
    assert!(values.exists());
    std::fs::remove_file(&values).unwrap();
    // Searching without facets needs no names.
    assert_eq!(
        dossier(&index, &["search", "harbour"]).status.code(),
        Some(0)
    );
    let output = dossier(&index, &["search", "harbour", "--facets"]);
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let message = crate::stderr(&output);
    assert!(message.contains("damaged"), "{message}");
    assert!(message.contains("facet-values.tsv"), "{message}");
    assert!(message.contains("--full"), "{message}");
    rebuild_with_full(&index, &folder);
    let output = dossier(&index, &["search", "harbour", "--facets", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", crate::stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["facets"]["published"]
        .as_array()
        .is_some_and(|b| !b.is_empty()));
}

#[test]
fn a_garbled_facet_values_file_is_mended_by_full() {
    let (_dir, folder, index) = indexed_articles(10);
    std::fs::write(index.join("facet-values.tsv"), b"no tab here\n").unwrap();
    write_articles(&folder, 12);
    let output = dossier(&index, &["index", folder.to_str().unwrap(), "-q"]);
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let message = crate::stderr(&output);
    assert!(message.contains("facet-values.tsv line 1"), "{message}");
    assert!(message.contains("--full"), "{message}");
    rebuild_with_full(&index, &folder);
    let output = dossier(&index, &["search", "harbour", "--facets"]);
    assert_eq!(output.status.code(), Some(0), "{}", crate::stderr(&output));
}
