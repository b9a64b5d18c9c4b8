//! `dossier export opensearch` and `dossier search --opensearch`: what a cluster needs
//! to hold the index, and the `_search` body of a query (see `crate::opensearch`).

use std::path::Path;

use super::{print_out, Context, EXIT_ERROR, EXIT_OK};
use crate::index::IndexStore;
use crate::opensearch::translate::SearchOptions;
use crate::opensearch::Flavour;
use crate::search::Snapshot;

/// The flavour the `--without-plugin` flag picks.
pub fn flavour(without_plugin: bool) -> Flavour {
    if without_plugin {
        Flavour::Plain
    } else {
        Flavour::Annotated
    }
}

/// Prints the `_search` body of `query`.
pub fn search_body(
    ctx: &Context,
    query: &str,
    options: &SearchOptions,
    flavour: Flavour,
) -> anyhow::Result<i32> {
    let store = IndexStore::open(&ctx.index_dir)?;
    let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
    match crate::opensearch::search_body(&snapshot, query, options, flavour)? {
        Ok(body) => {
            print_out(&format!("{body:#}\n"))?;
            Ok(EXIT_OK)
        }
        Err(untranslatable) => {
            eprintln!("dossier: {untranslatable}");
            Ok(EXIT_ERROR)
        }
    }
}

/// Writes the create-index body and the bulk files into `out`.
pub fn export(
    ctx: &Context,
    out: &Path,
    index_name: &str,
    flavour: Flavour,
) -> anyhow::Result<i32> {
    if index_name.is_empty()
        || index_name != index_name.to_lowercase()
        || index_name.starts_with(['-', '_', '+'])
        || index_name.contains(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'])
    {
        eprintln!(
            "dossier: --index-name {index_name:?} is not an OpenSearch index name: use lower case letters, digits, '-' and '_', not starting with '-', '_' or '+'"
        );
        return Ok(EXIT_ERROR);
    }
    let store = IndexStore::open(&ctx.index_dir)?;
    let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
    let summary = crate::opensearch::bulk::export(&snapshot, out, index_name, flavour)?;
    if !ctx.quiet {
        let megabytes = summary.bytes as f64 / 1e6;
        eprintln!(
            "dossier: wrote {} articles to {} bulk files ({megabytes:.1} MB, {:.0} bytes an article) and create-index.json in {} in {:.1} s ({:.1} MB/s)",
            summary.articles,
            summary.files.len(),
            summary.bytes as f64 / summary.articles.max(1) as f64,
            out.display(),
            summary.seconds,
            megabytes / summary.seconds.max(1e-9)
        );
    }
    Ok(EXIT_OK)
}
