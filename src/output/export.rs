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
struct Row<'a> {
    version: u32,
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

/// Hits as JSON lines, one object each.
pub fn jsonl(hits: &[Hit]) -> String {
    let mut out = String::new();
    for hit in hits {
        let row = Row {
            version: JSON_VERSION,
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
        };
        out.push_str(&super::json::to_json(&row));
        out.push('\n');
    }
    out
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
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
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
