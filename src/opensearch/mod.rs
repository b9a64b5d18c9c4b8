//! Past one machine: a dossier index as an OpenSearch index (settings, mappings and
//! `_bulk` files, [`bulk`] and [`mapping`]) and dossier queries as `_search` bodies
//! ([`translate`]). dossier stays the front end: cleaning, languages, entities under
//! canonical names, dates and stories are worked out here; the cluster only stores and
//! searches what it is given.

pub mod bulk;
pub mod mapping;
pub mod translate;

pub use mapping::Flavour;

use crate::error::Result;
use crate::search::Snapshot;

/// The `_search` body of `query` on `snapshot`'s index, or what the DSL cannot say.
pub fn search_body(
    snapshot: &Snapshot,
    query: &str,
    options: &translate::SearchOptions,
    flavour: Flavour,
) -> Result<std::result::Result<serde_json::Value, translate::Untranslatable>> {
    let expr = crate::query::parse(query)?;
    let entities = snapshot.entities();
    let stories = snapshot.stories()?;
    let story_of = |id: &str| {
        stories
            .story_of_id(id)
            .map_or_else(|| id.to_string(), |story| story.id.clone())
    };
    let translator = translate::Translator {
        languages: &snapshot.languages,
        entities: &entities,
        extractor: &snapshot.extractor,
        flavour,
        story_of: &story_of,
    };
    Ok(translator.search_body(&expr, options))
}
