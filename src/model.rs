//! Plain data types shared by every stage: articles as read, as analysed, as found.

use serde::Serialize;

/// The version every JSON object dossier prints carries (SPEC §6).
pub const JSON_VERSION: u32 = 1;

/// Where an article's publication date came from (SPEC §2), best evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// HTML meta, JSON-LD or `<time>`.
    Meta,
    /// A date field of a JSON record.
    Field,
    /// A date line or dateline at the top of a text file.
    Text,
    /// A date in the file or folder name.
    Path,
    /// The day a scraped page showed as today (a header date beside the weather or a
    /// clock): when the copy was saved, not when the article ran.
    Saved,
    /// The file's modification time (last resort).
    Mtime,
}

impl DateSource {
    /// The sources that say when a copy was made, not when the article ran.
    pub const UNCERTAIN: &'static [DateSource] = &[DateSource::Saved, DateSource::Mtime];

    /// The source of a name as [`DateSource::as_str`] writes it.
    pub fn parse(name: &str) -> Option<DateSource> {
        [
            DateSource::Meta,
            DateSource::Field,
            DateSource::Text,
            DateSource::Path,
            DateSource::Saved,
            DateSource::Mtime,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// The name used in the index and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Meta => "meta",
            DateSource::Field => "field",
            DateSource::Text => "text",
            DateSource::Path => "path",
            DateSource::Saved => "saved",
            DateSource::Mtime => "mtime",
        }
    }
}

/// An article as a format reader produced it: text, not yet analysed.
#[derive(Debug, Clone, Default)]
pub struct RawArticle {
    /// Record number inside a JSON/JSONL file (1-based), `None` for one-article files.
    pub record: Option<u64>,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
    pub source: Option<String>,
    /// A publication date string found in metadata, with where it came from.
    pub date_hint: Option<(String, DateSource)>,
    /// Lines removed above a text file's title (date lines, section labels): date evidence.
    pub header_lines: Vec<String>,
}

/// A file (or record inside one) that could not be used, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// The kind of a named entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

impl EntityKind {
    /// All kinds, in display order.
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

    /// The kind's name as used in queries, fields and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
        }
    }
}
