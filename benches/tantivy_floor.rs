//! How fast Tantivy alone indexes a folder on this machine: each file's bytes become one
//! document's text, indexed with Tantivy's default tokenizer (no stemming) with positions
//! and stored, on two indexing threads with dossier's memory budget. No parsing, no
//! cleaning, no language detection, no entities or dates: a floor under what dossier's
//! own indexing can cost, for `benches/compare.sh`.
//!
//!   cargo run --release --example tantivy_floor -- FOLDER

use std::time::Instant;

use tantivy::schema::{Schema, STORED, TEXT};
use tantivy::{doc, Index};

fn files(root: &std::path::Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.is_dir() {
            files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let Some(root) = std::env::args().nth(1) else {
        anyhow::bail!("usage: tantivy_floor FOLDER");
    };
    let mut paths = Vec::new();
    files(std::path::Path::new(&root), &mut paths)?;
    let mut builder = Schema::builder();
    let text = builder.add_text_field("text", TEXT | STORED);
    let dir = tempfile::tempdir()?;
    let index = Index::create_in_dir(dir.path(), builder.build())?;
    let started = Instant::now();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(2, 2 * (256 << 20))?;
    let mut bytes = 0usize;
    for path in &paths {
        let content = String::from_utf8_lossy(&std::fs::read(path)?).into_owned();
        bytes += content.len();
        writer.add_document(doc!(text => content))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "tantivy alone: {} files, {:.1} MB in {seconds:.2} s = {:.1} MB/s",
        paths.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
