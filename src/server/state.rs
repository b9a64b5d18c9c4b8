//! The index a server answers from: opened on the first request that needs it (a server
//! may start before its index exists), read through one reader that follows every new
//! commit, and a [`Snapshot`] per commit kept warm between requests (entity lists,
//! languages, facet value names).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tantivy::{IndexReader, ReloadPolicy};

use crate::error::{Error, Result};
use crate::index::IndexStore;
use crate::search::Snapshot;

/// The served index.
pub struct ServedIndex {
    dir: PathBuf,
    opened: Mutex<Option<Opened>>,
}

/// An open index and the snapshot of its last commit seen.
struct Opened {
    store: IndexStore,
    reader: IndexReader,
    snapshot: Arc<Snapshot>,
    /// The user entity file the snapshot's extractor was built from.
    entities_file: Option<String>,
}

impl ServedIndex {
    /// The index in `dir`, not opened yet.
    pub fn new(dir: &Path) -> ServedIndex {
        ServedIndex {
            dir: dir.to_path_buf(),
            opened: Mutex::new(None),
        }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The snapshot of the index's last commit: the one kept, or a new one when the
    /// reader has seen a new commit since. Blocks on the file system: call it off the
    /// async threads.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let mut opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        if opened.is_none() {
            *opened = Some(self.open()?);
        }
        let Some(current) = opened.as_mut() else {
            return Err(Error::NoIndex(self.dir.clone()));
        };
        let searcher = current.reader.searcher();
        if searcher.generation().generation_id() == current.snapshot.generation() {
            return Ok(Arc::clone(&current.snapshot));
        }
        let entities_file = current.store.user_entities()?;
        let snapshot = if entities_file == current.entities_file {
            let extractor = Arc::clone(&current.snapshot.extractor);
            Snapshot::with_extractor(&current.store, searcher, extractor)
        } else {
            Snapshot::new(&current.store, searcher)?
        };
        current.snapshot = Arc::new(snapshot);
        current.entities_file = entities_file;
        Ok(Arc::clone(&current.snapshot))
    }

    /// Opens the index with a reader that reloads on each commit.
    fn open(&self) -> Result<Opened> {
        let store = IndexStore::open(&self.dir)?;
        let reader: IndexReader = store
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| crate::index::store::damaged(&self.dir, e))?;
        let entities_file = store.user_entities()?;
        let snapshot = Arc::new(Snapshot::new(&store, reader.searcher())?);
        Ok(Opened {
            store,
            reader,
            snapshot,
            entities_file,
        })
    }

    /// Forgets the open index after an error that may mean it was replaced or damaged:
    /// the next request opens it again.
    pub fn forget(&self) {
        *self.opened.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// How long a client is told to wait before asking again when the index cannot be
/// opened or the server is busy.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);
