//! Opening and creating the index directory, with its identity check.
//!
//! Next to Tantivy's files, an index holds `dossier.json`: the schema and analyzer
//! identity it was built with. Opening an index whose identity differs is an error that
//! asks for `--full`, never silently wrong results.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::facet_columns::FacetColumns;
use super::facet_values::{numbers_in_use, FacetValues, FACET_VALUES_FILE};
use crate::analysis::TantivyTokenizer;
use crate::error::{Error, Result};
use crate::schema::{build_schema, schema_identity, Fields, TOKENIZER_NAME};
use crate::stories::{StoryTable, STORIES_FILE, VERDICTS_FILE};

/// The identity file's name inside the index directory.
pub const MANIFEST_FILE: &str = "dossier.json";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    identity: String,
}

/// An open index: Tantivy's handle plus the resolved fields.
#[derive(Clone)]
pub struct IndexStore {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
    /// The facet values as last read, and the searcher generation they were checked
    /// against (see [`IndexStore::facet_values_for`]).
    facet_values: Arc<Mutex<(Option<u64>, Arc<FacetValues>)>>,
    /// Facet value numbers kept decoded between searches.
    facet_columns: Arc<FacetColumns>,
    /// The stories of the searcher generation they were read for.
    stories: Arc<Mutex<(Option<u64>, Arc<StoryTable>)>>,
}

impl IndexStore {
    /// Opens an existing index for searching.
    pub fn open(dir: &Path) -> Result<IndexStore> {
        if !dir.join("meta.json").exists() {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        check_manifest(dir)?;
        let index = Index::open_in_dir(dir).map_err(|e| damaged(dir, e))?;
        Self::wrap(index, dir)
    }

    /// Opens the index for writing, creating it if the directory holds none. With
    /// `rebuild`, an index of a different identity is removed and created anew.
    pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<IndexStore> {
        if dir.join("meta.json").exists() {
            match Self::open(dir) {
                Err(Error::IndexMismatch { .. } | Error::IndexDamaged { .. }) if rebuild => {
                    remove_index_files(dir)?;
                }
                other => return other,
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let index = Index::builder()
            .schema(build_schema())
            .create_in_dir(dir)
            .map_err(|e| damaged(dir, e))?;
        write_manifest(dir)?;
        Self::wrap(index, dir)
    }

    fn wrap(mut index: Index, dir: &Path) -> Result<IndexStore> {
        // Searches run over the segments on every core; without a thread pool (a
        // machine that refuses threads) they run on the calling thread.
        let cores = cores();
        if cores > 1 {
            let _ = index.set_multithread_executor(cores);
        }
        index.tokenizers().register(
            TOKENIZER_NAME,
            TextAnalyzer::from(TantivyTokenizer::default()),
        );
        let fields = Fields::resolve(&index.schema()).map_err(|e| damaged(dir, e))?;
        Ok(IndexStore {
            index,
            fields,
            dir: dir.to_path_buf(),
            facet_values: Arc::default(),
            facet_columns: Arc::default(),
            stories: Arc::default(),
        })
    }

    /// A reader that sees the last commit.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damaged(&self.dir, e))
    }
}

impl IndexStore {
    /// The index's numbered facet values, naming every number `searcher`'s articles
    /// hold: read from disk the first time, and again when a searcher of a newer commit
    /// may hold numbers the last read lacked. Read after the searcher opened, the file
    /// names every number it can see.
    pub fn facet_values_for(&self, searcher: &tantivy::Searcher) -> Result<Arc<FacetValues>> {
        let generation = searcher.generation().generation_id();
        let mut kept = self.facet_values.lock().unwrap_or_else(|e| e.into_inner());
        if kept.0 != Some(generation) {
            let in_use = numbers_in_use(searcher).map_err(|e| damaged(&self.dir, e))?;
            if kept.1.is_empty() || kept.1.len() < in_use {
                kept.1 = Arc::new(FacetValues::load(&self.dir)?);
            }
            kept.0 = Some(generation);
        }
        Ok(Arc::clone(&kept.1))
    }

    /// The stories of the commit `searcher` sees: read from the stories file once per
    /// commit (or grouped anew when the file describes another commit).
    pub fn stories_for(&self, searcher: &tantivy::Searcher) -> Result<Arc<StoryTable>> {
        let generation = searcher.generation().generation_id();
        let mut kept = self.stories.lock().unwrap_or_else(|e| e.into_inner());
        if kept.0 != Some(generation) {
            let assignment = crate::stories::current(&self.dir, searcher, &self.fields)?;
            kept.1 = Arc::new(StoryTable::new(searcher, assignment));
            kept.0 = Some(generation);
        }
        Ok(Arc::clone(&kept.1))
    }

    /// The facet value numbers this store's searches keep decoded.
    pub fn facet_columns(&self) -> Arc<FacetColumns> {
        Arc::clone(&self.facet_columns)
    }

    /// The error for articles holding facet value numbers the file does not name.
    pub fn unnamed_facet_values(&self) -> Error {
        Error::IndexDamaged {
            path: self.dir.clone(),
            detail: format!("articles hold facet values that {FACET_VALUES_FILE} does not name"),
        }
    }
}

/// The user entity file an index keeps, so that re-indexing applies it again.
pub const USER_ENTITIES_FILE: &str = "entities.tsv";

/// The extraction the index's articles were analysed with
/// ([`extraction_identity`](crate::entities::extract::extraction_identity)).
pub const EXTRACTION_FILE: &str = "extraction.id";

impl IndexStore {
    /// The user entity file this index was built with, if any.
    pub fn user_entities(&self) -> Result<Option<String>> {
        let path = self.dir.join(USER_ENTITIES_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The entity extractor this index was built with: the shipped lists and the kept
    /// user entity file.
    pub fn entity_extractor(
        &self,
    ) -> Result<std::sync::Arc<crate::entities::extract::EntityExtractor>> {
        let Some(text) = self.user_entities()? else {
            return Ok(crate::entities::extract::EntityExtractor::shipped_shared());
        };
        let invalid = |reason: String| Error::Input {
            path: self.dir.join(USER_ENTITIES_FILE),
            reason,
        };
        let user = crate::entities::user::UserEntities::parse(&text).map_err(invalid)?;
        crate::entities::extract::EntityExtractor::new(user)
            .map(std::sync::Arc::new)
            .map_err(invalid)
    }

    /// The extraction the articles were analysed with; `None` for an index older than
    /// the record.
    pub fn extraction_identity(&self) -> Result<Option<String>> {
        let path = self.dir.join(EXTRACTION_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text.trim().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Records the extraction every article of the index now has.
    pub fn save_extraction_identity(&self) -> Result<()> {
        let path = self.dir.join(EXTRACTION_FILE);
        let text = format!("{}\n", crate::entities::extract::extraction_identity());
        std::fs::write(&path, text).map_err(|e| Error::io(path, e))
    }

    /// Keeps a user entity file with the index.
    pub fn save_user_entities(&self, text: &str) -> Result<()> {
        let path = self.dir.join(USER_ENTITIES_FILE);
        std::fs::write(&path, text).map_err(|e| Error::io(path, e))
    }
}

/// The cores this process may use (1 when the system does not say): searches share
/// their work out to this many threads.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Classifies a Tantivy error met while opening: damage the user must repair.
pub fn damaged(dir: &Path, error: tantivy::TantivyError) -> Error {
    Error::IndexDamaged {
        path: dir.to_path_buf(),
        detail: error.to_string(),
    }
}

fn check_manifest(dir: &Path) -> Result<()> {
    let expected = schema_identity();
    let found = match std::fs::read_to_string(dir.join(MANIFEST_FILE)) {
        Ok(text) => serde_json::from_str::<Manifest>(&text)
            .map(|m| m.identity)
            .unwrap_or_else(|_| "an unreadable dossier.json".to_string()),
        Err(_) => "something other than dossier (no dossier.json)".to_string(),
    };
    if found != expected {
        return Err(Error::IndexMismatch {
            path: dir.to_path_buf(),
            found,
            expected,
        });
    }
    Ok(())
}

fn write_manifest(dir: &Path) -> Result<()> {
    let manifest = Manifest {
        version: 1,
        identity: schema_identity(),
    };
    let path = dir.join(MANIFEST_FILE);
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    std::fs::write(&path, text).map_err(|e| Error::io(path, e))
}

/// Removes an index's files (only files Tantivy or dossier wrote), keeping the folder.
fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == "meta.json"
            || name == MANIFEST_FILE
            || name == USER_ENTITIES_FILE
            || name == EXTRACTION_FILE
            || name == FACET_VALUES_FILE
            || name == STORIES_FILE
            || name == VERDICTS_FILE
            || name == ".managed.json"
            || name.ends_with(".lock")
            || name.contains('.') && name.split('.').next().is_some_and(|stem| stem.len() == 32);
        if ours && path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}
