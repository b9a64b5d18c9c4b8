//! Acceptance checks on the shared corpora (../shared, beside the repository). They are
//! `#[ignore]`d because a user's clone has no ../shared; `.ci/run` runs them with
//! `cargo test -- --ignored` when it is there.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// The folders make_corpus.py writes, made once per test run.
fn corpus() -> &'static Path {
    static CORPUS: OnceLock<tempfile::TempDir> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let status = Command::new("python3")
                .arg(shared().join("bench/make_corpus.py"))
                .arg(dir.path())
                .status()
                .expect("python3 runs make_corpus.py");
            assert!(status.success(), "make_corpus.py failed");
            dir
        })
        .path()
}

fn dossier(index: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--index")
        .arg(index)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (
        output.status.code(),
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn file_name(hit: &Value) -> String {
    hit["path"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

#[test]
#[ignore = "needs ../shared"]
fn seeds_answer_the_issue_queries() {
    let index = tempfile::tempdir().unwrap();
    let seeds = shared().join("seeds");
    let (code, summary, _) = dossier(index.path(), &["index", seeds.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(summary["articles"], 5);

    let (_, result, _) = dossier(index.path(), &["search", "\"Security Council\""]);
    assert_eq!(file_name(&result["hits"][0]), "000_206c4c4cbddea84f.txt");

    let (_, result, _) = dossier(index.path(), &["search", "troops near:Belarus"]);
    let mut names: Vec<String> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(file_name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec!["000_206c4c4cbddea84f.txt", "004_b74d3c7d15752bfa.txt"]
    );
    for hit in result["hits"].as_array().unwrap() {
        let snippet = &hit["snippets"][0];
        let text = snippet["text"].as_str().unwrap();
        let words: Vec<String> = snippet["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                text[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize]
                    .to_lowercase()
            })
            .collect();
        assert!(words.iter().any(|w| w.starts_with("troop")), "{words:?}");
        assert!(words.iter().any(|w| w == "belarus"), "{words:?}");
    }

    let (_, result, _) = dossier(index.path(), &["search", "sanction"]);
    let found: Vec<String> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(file_name)
        .collect();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert_eq!(text.contains("sanctions"), found.contains(&name), "{name}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn reuters_and_bbc_index_every_article_once() {
    let index = tempfile::tempdir().unwrap();
    let root = corpus();
    let mut total = 0;
    for (folder, expected) in [
        ("reuters/txt", 6348),
        ("reuters/html", 6348),
        ("reuters/jsonl", 6347),
        ("bbc", 2225),
    ] {
        let path = root.join(folder);
        let (code, summary, errors) = dossier(index.path(), &["index", path.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{folder}: {errors}");
        assert_eq!(summary["added"], expected, "{folder}");
        assert_eq!(summary["failed"].as_array().unwrap().len(), 0, "{folder}");
        total += expected;
        assert_eq!(summary["articles"], total);
    }
    assert_eq!(total, 19_043 + 2_225);
    // The raw 0xA3 byte of bbc/sport/199.txt decodes as a pound sign.
    let (_, result, _) = dossier(index.path(), &["search", "Mutu transfer"]);
    let snippets = result["hits"][0]["snippets"].to_string();
    assert!(!snippets.contains('\u{FFFD}'));
    // An unchanged folder does no work.
    let bbc = root.join("bbc");
    let (_, again, _) = dossier(index.path(), &["index", bbc.to_str().unwrap()]);
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2225))
    );
}
