//! The copies of a story as a reader wants to see them: which outlets ran it, under
//! which title, on which day, first appearance first.

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::Snapshot;
use crate::dates;
use crate::error::Result;

/// Copies listed for one story at most; the count says how many there are in all.
pub const MAX_LISTED_COPIES: usize = 50;

/// One copy of a story.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Copy {
    pub id: String,
    pub path: String,
    pub title: String,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// A story's copies, in story order (oldest first, then by path).
#[derive(Debug, Clone, Serialize)]
pub struct Copies {
    pub story: String,
    /// Articles of the story in the index.
    pub count: usize,
    /// The first [`MAX_LISTED_COPIES`] of them.
    pub copies: Vec<Copy>,
}

impl Copies {
    /// The outlets that ran the story, each once, in order of first appearance.
    pub fn sources(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for copy in &self.copies {
            if let Some(source) = copy.source.as_deref() {
                if !seen.contains(&source) {
                    seen.push(source);
                }
            }
        }
        seen
    }

    /// The first day the story appeared on.
    pub fn first_published(&self) -> Option<&str> {
        self.copies
            .iter()
            .filter_map(|c| c.published.as_deref())
            .min()
    }
}

/// The copies of the story `id` names (a story's id or any of its articles'); `None`
/// when it has no copies.
pub fn copies(snapshot: &Snapshot, id: &str) -> Result<Option<Copies>> {
    let table = snapshot.stories()?;
    let Some(story) = table.story_of_id(id) else {
        return Ok(None);
    };
    let fields = &snapshot.store.fields;
    let mut copies = Vec::new();
    for member in story.members.iter().take(MAX_LISTED_COPIES) {
        let Some(address) = table.address_of(member) else {
            continue;
        };
        let doc: TantivyDocument = snapshot.searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        copies.push(Copy {
            id: member.id.clone(),
            path: text(fields.path).unwrap_or_default(),
            title: text(fields.title_text).unwrap_or_default(),
            source: text(fields.source_name),
            published: doc
                .get_first(fields.published)
                .and_then(|v| v.as_datetime())
                .and_then(dates::from_tantivy)
                .map(|d| d.to_string()),
        });
    }
    Ok(Some(Copies {
        story: story.id.clone(),
        count: story.members.len(),
        copies,
    }))
}
