//! JSON output (SPEC §6): every object has `"version": 1`.

use serde::Serialize;

use crate::error::Warning;
use crate::index::IndexSummary;
use crate::search::{Facets, Hit, SearchResult};

/// The JSON format version.
pub use crate::model::JSON_VERSION as VERSION;

#[derive(Serialize)]
struct SearchJson<'a> {
    version: u32,
    query: &'a str,
    total: usize,
    took_ms: f64,
    hits: &'a [Hit],
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<&'a Facets>,
    #[serde(skip_serializing_if = "<[Warning]>::is_empty")]
    warnings: &'a [Warning],
}

/// The `search --json` document.
pub fn search(result: &SearchResult) -> String {
    let document = SearchJson {
        version: VERSION,
        query: &result.query,
        total: result.total,
        took_ms: (result.took_ms * 100.0).round() / 100.0,
        hits: &result.hits,
        facets: result.facets.as_ref(),
        warnings: &result.warnings,
    };
    to_json(&document)
}

#[derive(Serialize)]
struct IndexJson<'a> {
    version: u32,
    #[serde(flatten)]
    summary: &'a IndexSummary,
}

/// The `index --json` document.
pub fn index(summary: &IndexSummary) -> String {
    to_json(&IndexJson {
        version: VERSION,
        summary,
    })
}

/// Serialises a value; our types always serialise, so a failure is a bug worth showing.
pub fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| format!("{{\"version\":1,\"error\":\"cannot serialise output: {e}\"}}"))
}

#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    inner: &'a T,
}

/// Any object with `"version": 1` in front (the article view, a facet list).
pub fn versioned<T: Serialize>(inner: &T) -> String {
    to_json(&Versioned {
        version: VERSION,
        inner,
    })
}
