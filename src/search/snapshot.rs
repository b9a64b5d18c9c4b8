//! One commit of an index, ready to search: the searcher and what every stage reads
//! beside it (the entity lists the index was built with, the languages of its
//! articles). A one-shot command builds one per run; a server keeps one per commit and
//! builds the next when the index changes.

use std::sync::Arc;

use tantivy::Searcher;

use super::entities::IndexEntities;
use crate::entities::extract::EntityExtractor;
use crate::error::Result;
use crate::index::IndexStore;

/// An index at one commit, with its entity extractor and languages.
#[derive(Clone)]
pub struct Snapshot {
    pub store: IndexStore,
    pub searcher: Searcher,
    /// The shipped lists plus the user entity file kept with the index.
    pub extractor: Arc<EntityExtractor>,
    /// The languages of the index's articles, English first: queries are analysed for each.
    pub languages: Vec<String>,
}

impl Snapshot {
    /// The index as `searcher` sees it.
    pub fn new(store: &IndexStore, searcher: Searcher) -> Result<Snapshot> {
        let languages = super::index_languages(&searcher, &store.fields);
        Ok(Snapshot {
            extractor: store.entity_extractor()?,
            store: store.clone(),
            searcher,
            languages,
        })
    }

    /// The same index with the entity extractor of an earlier snapshot: building one
    /// from a user entity file takes a while, and the file rarely changes.
    pub fn with_extractor(
        store: &IndexStore,
        searcher: Searcher,
        extractor: Arc<EntityExtractor>,
    ) -> Snapshot {
        let languages = super::index_languages(&searcher, &store.fields);
        Snapshot {
            store: store.clone(),
            searcher,
            extractor,
            languages,
        }
    }

    /// Resolves entity names through the lists and the names this commit holds.
    pub fn entities(&self) -> IndexEntities<'_> {
        IndexEntities {
            extractor: &self.extractor,
            searcher: &self.searcher,
            fields: &self.store.fields,
        }
    }

    /// The words this commit holds, for fuzzy words.
    pub fn vocabulary(&self) -> super::vocabulary::IndexVocabulary<'_> {
        super::vocabulary::IndexVocabulary {
            searcher: &self.searcher,
            fields: &self.store.fields,
        }
    }

    /// The stories of this commit.
    pub fn stories(&self) -> Result<Arc<crate::stories::StoryTable>> {
        self.store.stories_for(&self.searcher)
    }

    /// The commit this snapshot sees (Tantivy's searcher generation).
    pub fn generation(&self) -> u64 {
        self.searcher.generation().generation_id()
    }
}
