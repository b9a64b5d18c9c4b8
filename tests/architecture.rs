//! Keeps the module shape honest (STYLE.md): a module imports only from modules listed
//! above it, the query grammar knows nothing of Tantivy, and renderers take plain data.

use std::path::Path;

/// Modules from the bottom up; a module may use only modules of a lower level.
const LEVELS: &[(&str, u32)] = &[
    ("model", 0),
    ("error", 0),
    ("clean", 1),
    ("analysis", 1),
    ("entities", 2),
    ("dates", 2),
    ("ingest", 3),
    ("schema", 4),
    ("stories", 5),
    ("index", 6),
    ("query", 7),
    ("search", 8),
    ("output", 9),
    ("opensearch", 9),
    ("server", 10),
    ("cli", 11),
];

fn level(module: &str) -> Option<u32> {
    LEVELS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, level)| *level)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/query/parser.rs` -> `query`.
fn owner(path: &Path) -> String {
    let relative = path
        .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::NAME` the file mentions.
fn crate_references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = after;
    }
    found
}

#[test]
fn modules_import_only_from_lower_levels() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut violations = Vec::new();
    for file in &files {
        let module = owner(file);
        let Some(own_level) = level(&module) else {
            continue; // lib.rs and main.rs wire everything
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in crate_references(&text) {
            if used == module {
                continue;
            }
            match level(&used) {
                Some(l) if l < own_level => {}
                Some(_) => violations.push(format!(
                    "{} (level {own_level}) uses crate::{used}",
                    file.display()
                )),
                None => {}
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the module order:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_module_has_a_level() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            assert!(
                level(name).is_some(),
                "module {name} is missing from LEVELS"
            );
        }
    }
}

#[test]
fn query_grammar_and_renderers_do_not_know_the_engine() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in [
        "query/ast.rs",
        "query/parser.rs",
        "output/human.rs",
        "output/json.rs",
    ] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(!text.contains("tantivy"), "{file} mentions tantivy");
    }
    for file in ["index/writer.rs", "search/mod.rs", "query/compile.rs"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            !text.contains("clap") && !text.contains("indicatif"),
            "{file} knows the CLI"
        );
    }
}
