//! Export rows (SPEC §7 `/api/export`, `search --csv`): the hit objects without their
//! passages, as JSON lines or as CSV with a fixed header.

use serde::Serialize;

use crate::model::{EntityKind, JSON_VERSION};
use crate::search::Hit;

/// The CSV header row.
pub const CSV_HEADER: &str =
    "id,path,record,title,published,published_source,source,url,lang,score,people,places,orgs";

/// How entity names are joined in one CSV cell.
const LIST_SEPARATOR: &str = "; ";

/// A hit as exported: the search hit's fields, without passages or explanation.
#[derive(Serialize)]
pub struct HitRow<'a> {
    id: &'a str,
    path: &'a str,
    record: Option<u64>,
    title: &'a str,
    published: Option<&'a str>,
    published_source: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    lang: &'a str,
    score: f32,
    entities: &'a [crate::search::EntityRef],
}

impl<'a> HitRow<'a> {
    /// The row of a hit.
    pub fn of(hit: &'a Hit) -> HitRow<'a> {
        HitRow {
            id: &hit.id,
            path: &hit.path,
            record: hit.record,
            title: &hit.title,
            published: hit.published.as_deref(),
            published_source: hit.published_source.as_deref(),
            source: hit.source.as_deref(),
            url: hit.url.as_deref(),
            lang: &hit.lang,
            score: hit.score,
            entities: &hit.entities,
        }
    }
}

#[derive(Serialize)]
struct JsonLine<'a> {
    version: u32,
    #[serde(flatten)]
    row: HitRow<'a>,
}

/// Hits as JSON lines, one object each (with `"version": 1`).
pub fn jsonl(hits: &[Hit]) -> String {
    let mut out = String::new();
    for hit in hits {
        out.push_str(&super::json::to_json(&JsonLine {
            version: JSON_VERSION,
            row: HitRow::of(hit),
        }));
        out.push('\n');
    }
    out
}

/// One query's answer in `dossier batch`.
pub struct BatchAnswer<'a> {
    /// The line of the batch file (from 1).
    pub line: usize,
    pub query: &'a str,
    pub outcome: Result<BatchHits<'a>, BatchError>,
}

/// What a query of a batch found.
pub struct BatchHits<'a> {
    pub total: usize,
    pub hits: &'a [Hit],
    pub warnings: &'a [crate::error::Warning],
}

/// Why a query of a batch gave no answer.
#[derive(Serialize)]
pub struct BatchError {
    pub code: &'static str,
    pub message: String,
    /// 1-based, for a query that does not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

#[derive(Serialize)]
struct BatchJson<'a> {
    version: u32,
    line: usize,
    query: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<Vec<HitRow<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<&'a [crate::error::Warning]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a BatchError>,
}

/// A batch answer as one JSON line (no newline).
pub fn batch_json(answer: &BatchAnswer) -> String {
    let (total, hits, warnings, error) = match &answer.outcome {
        Ok(found) => (
            Some(found.total),
            Some(found.hits.iter().map(HitRow::of).collect()),
            (!found.warnings.is_empty()).then_some(found.warnings),
            None,
        ),
        Err(error) => (None, None, None, Some(error)),
    };
    super::json::to_json(&BatchJson {
        version: JSON_VERSION,
        line: answer.line,
        query: answer.query,
        total,
        hits,
        warnings,
        error,
    })
}

/// The header of `dossier batch --csv`.
pub const BATCH_CSV_HEADER: &str = "line,query,total,error";

/// A batch answer as one CSV row (with its newline).
pub fn batch_csv(answer: &BatchAnswer) -> String {
    let (total, error) = match &answer.outcome {
        Ok(found) => (found.total.to_string(), String::new()),
        Err(error) => (String::new(), error.message.clone()),
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = writer.write_record([answer.line.to_string(), cell(answer.query), total, error]);
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Hits as CSV rows (no header), with [`CSV_HEADER`]'s columns.
pub fn csv_rows(hits: &[Hit]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for hit in hits {
        let names = |kind: EntityKind| {
            hit.entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR)
        };
        let record = hit.record.map(|r| r.to_string()).unwrap_or_default();
        let score = hit.score.to_string();
        let cells = [
            cell(&hit.id),
            cell(&hit.path),
            record,
            cell(&hit.title),
            hit.published.clone().unwrap_or_default(),
            hit.published_source.clone().unwrap_or_default(),
            cell(hit.source.as_deref().unwrap_or_default()),
            cell(hit.url.as_deref().unwrap_or_default()),
            hit.lang.clone(),
            score,
            cell(&names(EntityKind::Person)),
            cell(&names(EntityKind::Place)),
            cell(&names(EntityKind::Org)),
        ];
        // Writing into memory cannot fail.
        let _ = writer.write_record(&cells);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A text cell a spreadsheet will not run: article text starting with `=`, `+`, `@`
/// or a tab/return (a formula, which could fetch a URL when the file is opened) gets a
/// leading `'`, as spreadsheets themselves write literal text.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::EntityRef;

    fn hit(title: &str) -> Hit {
        Hit {
            id: "/n/a.txt".into(),
            path: "n/a.txt".into(),
            record: None,
            title: title.into(),
            published: Some("2024-03-04".into()),
            published_source: Some("text".into()),
            source: None,
            url: None,
            lang: "en".into(),
            score: 1.5,
            snippets: Vec::new(),
            entities: vec![
                EntityRef {
                    kind: EntityKind::Person,
                    name: "Ana Lima".into(),
                },
                EntityRef {
                    kind: EntityKind::Person,
                    name: "Bo Chen".into(),
                },
                EntityRef {
                    kind: EntityKind::Place,
                    name: "Oslo".into(),
                },
            ],
            story: "/n/a.txt".into(),
            copies: None,
            explain: None,
        }
    }

    #[test]
    fn csv_quotes_commas_and_joins_lists() {
        let rows = csv_rows(&[hit("Strike, day two")]);
        assert_eq!(
            rows,
            "/n/a.txt,n/a.txt,,\"Strike, day two\",2024-03-04,text,,,en,1.5,Ana Lima; Bo Chen,Oslo,\n"
        );
    }

    #[test]
    fn formulas_in_article_text_are_not_run_by_spreadsheets() {
        let rows = csv_rows(&[hit("=HYPERLINK(\"http://x\")")]);
        assert!(rows.contains("'=HYPERLINK"), "{rows}");
    }

    #[test]
    fn jsonl_has_no_passages() {
        let line = jsonl(&[hit("Strike")]);
        let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        assert_eq!(value["version"], 1);
        assert!(value.get("snippets").is_none());
        assert_eq!(value["entities"][2]["name"], "Oslo");
    }
}
