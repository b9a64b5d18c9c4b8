//! What the index already holds, per file: the bookkeeping behind incremental updates.

use std::collections::HashMap;

use tantivy::Searcher;

/// One indexed file as the last commit saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileState {
    pub hash: u64,
    pub mtime: i64,
    /// [`SourceFile::stamp`](crate::ingest::SourceFile::stamp) as it was read (0: not
    /// to be trusted).
    pub stamp: u64,
    /// How many articles the file contributed.
    pub articles: u64,
}

/// Reads every indexed file's state from the fast fields of the last commit. Each
/// segment's file names are read in one pass over its dictionary, in order: looking
/// them up one by one costs a block decode each, which dominated a no-change re-index.
pub fn indexed_files(searcher: &Searcher) -> tantivy::Result<HashMap<String, FileState>> {
    let mut files: HashMap<String, FileState> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(file_column) = fast.str("file")? else {
            continue;
        };
        let hashes = fast.u64("file_hash")?;
        let mtimes = fast.i64("file_mtime")?;
        let stamps = fast.u64("file_stamp")?;
        let mut by_ord: Vec<Option<FileState>> = vec![None; file_column.num_terms()];
        for doc in segment.doc_ids_alive() {
            let Some(slot) = file_column
                .term_ords(doc)
                .next()
                .and_then(|ord| by_ord.get_mut(ord as usize))
            else {
                continue;
            };
            slot.get_or_insert(FileState {
                hash: hashes.first(doc).unwrap_or(0),
                mtime: mtimes.first(doc).unwrap_or(0),
                stamp: stamps.first(doc).unwrap_or(0),
                articles: 0,
            })
            .articles += 1;
        }
        let mut names = file_column.dictionary().stream()?;
        while names.advance() {
            let Some(Some(state)) = by_ord.get(names.term_ord() as usize) else {
                continue;
            };
            let name = String::from_utf8_lossy(names.key()).into_owned();
            let entry = files.entry(name).or_insert(FileState {
                articles: 0,
                ..*state
            });
            entry.articles += state.articles;
        }
    }
    Ok(files)
}
