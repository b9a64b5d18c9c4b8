//! `dossier demo`: index the sample articles shipped with dossier (written for it, in
//! every supported format) into a temporary index and run a few example queries.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::Context as _;

use super::Context;
use crate::index::{run_index, IndexRequest, IndexStore, NoProgress};
use crate::output::human;
use crate::search::{search, SearchRequest};

/// The sample articles, embedded so the binary stands alone.
pub const SAMPLE_ARTICLES: &[(&str, &[u8])] = &[
    (
        "2024-03-04-harbour-strike.txt",
        include_bytes!("../../tests/fixtures/news/2024-03-04-harbour-strike.txt"),
    ),
    (
        "archive/bridge-reopens.txt.gz",
        include_bytes!("../../tests/fixtures/news/archive/bridge-reopens.txt.gz"),
    ),
    (
        "archive/ferry-utf16.txt",
        include_bytes!("../../tests/fixtures/news/archive/ferry-utf16.txt"),
    ),
    (
        "archive/moscow-frost-cp1251.txt",
        include_bytes!("../../tests/fixtures/news/archive/moscow-frost-cp1251.txt"),
    ),
    (
        "archive/notes.csv",
        include_bytes!("../../tests/fixtures/news/archive/notes.csv"),
    ),
    (
        "central-bank-rates.txt",
        include_bytes!("../../tests/fixtures/news/central-bank-rates.txt"),
    ),
    (
        "election-results.md",
        include_bytes!("../../tests/fixtures/news/election-results.md"),
    ),
    (
        "film-festival.md",
        include_bytes!("../../tests/fixtures/news/film-festival.md"),
    ),
    (
        "oil-opec.txt",
        include_bytes!("../../tests/fixtures/news/oil-opec.txt"),
    ),
    (
        "pages/2023/11/02/chip-plant.htm",
        include_bytes!("../../tests/fixtures/news/pages/2023/11/02/chip-plant.htm"),
    ),
    (
        "pages/flood-valdor.html",
        include_bytes!("../../tests/fixtures/news/pages/flood-valdor.html"),
    ),
    (
        "pages/grain-exports.html",
        include_bytes!("../../tests/fixtures/news/pages/grain-exports.html"),
    ),
    (
        "pages/sanctions-talks.html",
        include_bytes!("../../tests/fixtures/news/pages/sanctions-talks.html"),
    ),
    (
        "troops-belarus.txt",
        include_bytes!("../../tests/fixtures/news/troops-belarus.txt"),
    ),
    (
        "wire/briefs.json",
        include_bytes!("../../tests/fixtures/news/wire/briefs.json"),
    ),
    (
        "wire/wire-extra.jsonl.gz",
        include_bytes!("../../tests/fixtures/news/wire/wire-extra.jsonl.gz"),
    ),
    (
        "wire/wire.jsonl",
        include_bytes!("../../tests/fixtures/news/wire/wire.jsonl"),
    ),
];

/// Example queries the demo runs, one per feature.
const EXAMPLE_QUERIES: &[&str] = &[
    "troops near:Belarus",
    "troops before/4:exercises",
    "person:Zelensky",
    "\"interest rates\"",
    "sanction",
    "strike* OR storm",
    "title:harbour",
    "wheat -ukraine",
    "date:2023-06",
];

/// Runs the demo, then serves its index when `serve` says how; returns the exit code.
pub fn run(ctx: &Context, serve: Option<&super::ServeArgs>) -> anyhow::Result<i32> {
    let workspace = tempfile::tempdir().context("cannot create a temporary folder for the demo")?;
    let articles = workspace.path().join("articles");
    for (name, bytes) in SAMPLE_ARTICLES {
        let path = articles.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let index_dir = workspace.path().join("index");
    let request = IndexRequest {
        roots: vec![articles.clone()],
        full: false,
        threads: super::default_threads(),
        cancel: Arc::new(AtomicBool::new(false)),
        entities: None,
        limits: Default::default(),
        commit_every_bytes: crate::index::DEFAULT_COMMIT_MB << 20,
        settle: crate::index::SETTLE,
        extract_entities: true,
    };
    let summary = run_index(&index_dir, &request, &NoProgress)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Indexed {} sample articles from {} files ({} files are not articles and were passed over).", summary.articles, SAMPLE_ARTICLES.len() - summary.skipped.len(), summary.skipped.len())?;
    writeln!(out, "{}\n", human::index_summary(&summary))?;
    let store = IndexStore::open(&index_dir)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    for query in EXAMPLE_QUERIES {
        let request = SearchRequest {
            query: query.to_string(),
            limit: 3,
            snippets: 1,
            ..SearchRequest::default()
        };
        let mut result = search(&store, &searcher, &request)?;
        // Show paths inside the sample folder, not the temporary folder around it.
        let prefix = format!("{}/", articles.display());
        for hit in &mut result.hits {
            if let Some(inside) = hit.path.strip_prefix(&prefix) {
                hit.path = inside.to_string();
            }
        }
        writeln!(out, "$ dossier search '{query}'")?;
        write!(out, "{}", human::search(&result, ctx.style))?;
        writeln!(out)?;
    }
    if let Some(args) = serve {
        writeln!(
            out,
            "Serving the sample index; open the address below in a browser. Ctrl-C stops."
        )?;
        out.flush()?;
        drop(out);
        return super::serve_command(&index_dir, args);
    }
    writeln!(
        out,
        "Index your own folder with `dossier index FOLDER`, then `dossier search QUERY`; `dossier demo --serve` opens these samples in a browser."
    )?;
    Ok(super::EXIT_OK)
}
