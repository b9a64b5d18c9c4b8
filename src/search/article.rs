//! One article in full, for the article page and `/api/article`: its stored fields,
//! its entities with every mention's byte offsets and the days it mentions (analysed
//! again from the stored text with the index's own lists, as indexing did), and the
//! ranges of the body a query matches.

use serde::Serialize;

use super::load::load_by_id;
use super::{Plan, Snapshot};
use crate::error::Result;
use crate::index::document::{
    article_entities, mentioned_days, text_anchor, DateMentionJson, EntityJson,
};
use crate::model::DateSource;

/// An article as the article page shows it (SPEC §7 `/api/article`).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: String,
    pub path: String,
    pub record: Option<u64>,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub published: Option<String>,
    pub published_source: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub entities: Vec<EntityJson>,
    pub dates: Vec<DateMentionJson>,
    /// The id of its story (SPEC 2).
    pub story: String,
    /// The story's articles, when it has copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<super::story::Copies>,
    /// Byte ranges of the body the query matches, when a query was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<[usize; 2]>>,
}

/// The article with this id, with the highlights of `plan`'s query when one is given.
pub fn article(snapshot: &Snapshot, id: &str, plan: Option<&Plan>) -> Result<Option<ArticleView>> {
    let Some(loaded) = load_by_id(snapshot, id)? else {
        return Ok(None);
    };
    let hit = loaded.hit;
    let body = loaded.body;
    let entities = article_entities(&hit.title, &body, &hit.lang, &snapshot.extractor);
    let day = hit.published.as_deref().and_then(|d| d.parse().ok());
    let source = hit.published_source.as_deref().and_then(DateSource::parse);
    let days = mentioned_days(&body, text_anchor(day, source, &body));
    let highlights = plan.map(|plan| plan.highlights(&hit.lang, &body));
    let copies = super::story::copies(snapshot, &hit.id)?;
    Ok(Some(ArticleView {
        story: hit.story,
        copies,
        id: hit.id,
        path: hit.path,
        record: hit.record,
        title: hit.title,
        lang: hit.lang,
        published: hit.published,
        published_source: hit.published_source,
        source: hit.source,
        url: hit.url,
        entities,
        dates: days,
        highlights,
        body,
    }))
}
