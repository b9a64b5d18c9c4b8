//! One article in full, for the article page and `/api/article`: its stored fields,
//! its entities with every mention's byte offsets and the days it mentions (analysed
//! again from the stored text with the index's own lists, as indexing did), and the
//! ranges of the body a query matches.

use serde::Serialize;

use super::load::load_by_id;
use super::{Plan, Snapshot};
use crate::dates;
use crate::error::Result;
use crate::index::document::{article_entities, mentioned_days, DateMentionJson, EntityJson};

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
    let entities = article_entities(&hit.title, &body, &snapshot.extractor);
    let days = mentioned_days(
        &body,
        text_anchor(&hit.published, &hit.published_source, &body),
    );
    let highlights = plan.map(|plan| plan.highlights(&hit.lang, &body));
    Ok(Some(ArticleView {
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

/// The publication day the text's own dates may be resolved against, as indexing
/// decided it: any day but a file time (or saved day), and a file time only when the
/// body's dateline confirms it.
fn text_anchor(
    published: &Option<String>,
    source: &Option<String>,
    body: &str,
) -> Option<jiff::civil::Date> {
    let day: jiff::civil::Date = published.as_deref()?.parse().ok()?;
    match source.as_deref() {
        Some("mtime") => {
            let evidence = dates::Evidence {
                hint: None,
                header_lines: &[],
                body,
                path: "",
                mtime: dates::day_to_epoch_seconds(day),
            };
            dates::publication_date(&evidence)
                .filter(|p| p.anchors_text)
                .map(|_| day)
        }
        Some("saved") | None => None,
        Some(_) => Some(day),
    }
}
