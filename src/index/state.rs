//! What the index already holds, per file: the bookkeeping behind incremental updates.

use std::collections::HashMap;

use tantivy::Searcher;

/// One indexed file as the last commit saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileState {
    pub hash: u64,
    pub mtime: i64,
    /// How many articles the file contributed.
    pub articles: u64,
}

/// Reads every indexed file's state from the fast fields of the last commit.
pub fn indexed_files(searcher: &Searcher) -> tantivy::Result<HashMap<String, FileState>> {
    let mut files: HashMap<String, FileState> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(file_column) = fast.str("file")? else {
            continue;
        };
        let hashes = fast.u64("file_hash")?;
        let mtimes = fast.i64("file_mtime")?;
        let mut by_ord: HashMap<u64, FileState> = HashMap::new();
        for doc in segment.doc_ids_alive() {
            let Some(ord) = file_column.term_ords(doc).next() else {
                continue;
            };
            let state = by_ord.entry(ord).or_insert(FileState {
                hash: hashes.first(doc).unwrap_or(0),
                mtime: mtimes.first(doc).unwrap_or(0),
                articles: 0,
            });
            state.articles += 1;
        }
        let mut name = String::new();
        for (ord, state) in by_ord {
            name.clear();
            file_column.ord_to_str(ord, &mut name)?;
            let entry = files.entry(name.clone()).or_insert(FileState {
                articles: 0,
                ..state
            });
            entry.articles += state.articles;
        }
    }
    Ok(files)
}
