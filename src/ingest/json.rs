//! JSON articles: one object, an array of objects, or JSON Lines (one object a line).
//! Field names are found automatically (SPEC §1).

use serde_json::{Map, Value};

use crate::clean::Boilerplate;
use crate::model::{DateSource, RawArticle};

const TITLE_KEYS: &[&str] = &["title", "headline", "name"];
const BODY_KEYS: &[&str] = &[
    "text",
    "body",
    "content",
    "article",
    "maintext",
    "description",
];
const DATE_KEYS: &[&str] = &[
    "published",
    "published_at",
    "publishedAt",
    "date",
    "pubDate",
    "datePublished",
    "created",
];
const SOURCE_KEYS: &[&str] = &["source", "site", "publisher", "domain"];
const URL_KEYS: &[&str] = &["url", "link"];

/// One record's outcome: an article, or the reason it was rejected.
pub type RecordResult = Result<RawArticle, String>;

/// Reads a `.json` file: one object or an array of objects. Records are numbered from 1.
pub fn read_json(text: &str) -> Result<Vec<(u64, RecordResult)>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("not valid JSON ({e}); fix the file or save it as one object per line (.jsonl)")
    })?;
    match value {
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, item)| (i as u64 + 1, record_article(item)))
            .collect()),
        Value::Object(_) => Ok(vec![(1, record_article(&value))]),
        other => Err(format!(
            "expected a JSON object or an array of objects, found {}",
            value_kind(&other)
        )),
    }
}

/// Reads one line of a `.jsonl` file.
pub fn read_json_line(line: &str) -> RecordResult {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| format!("not valid JSON ({e}); fix or delete this line"))?;
    record_article(&value)
}

fn record_article(value: &Value) -> RecordResult {
    let Value::Object(object) = value else {
        return Err(format!(
            "expected a JSON object, found {}",
            value_kind(value)
        ));
    };
    let title = first_string(object, TITLE_KEYS).unwrap_or_default();
    let body = first_string(object, BODY_KEYS).unwrap_or_default();
    if title.trim().is_empty() && body.trim().is_empty() {
        return Err(format!(
            "record has no title ({}) and no body ({}) field with text",
            TITLE_KEYS.join("|"),
            BODY_KEYS.join("|")
        ));
    }
    let body = if looks_like_html(&body) {
        super::html::read_html(&body).body
    } else {
        Boilerplate::shipped().clean_body(&body)
    };
    Ok(RawArticle {
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
        body,
        url: first_string(object, URL_KEYS),
        source: source_name(object),
        date_hint: first_scalar(object, DATE_KEYS).map(|d| (d, DateSource::Field)),
        ..RawArticle::default()
    })
}

fn first_string(object: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .find_map(|k| object.get(*k).and_then(Value::as_str))
        .map(str::to_string)
}

/// A date may be a string or a number (epoch seconds or milliseconds).
fn first_scalar(object: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match object.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// `"source": "Reuters"` or `"source": {"name": "Reuters"}`.
fn source_name(object: &Map<String, Value>) -> Option<String> {
    SOURCE_KEYS.iter().find_map(|k| match object.get(*k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Object(inner) => first_string(inner, &["name", "title", "domain"]),
        _ => None,
    })
}

fn looks_like_html(body: &str) -> bool {
    let start = body.trim_start();
    start.starts_with('<')
        && (body.contains("</p>") || body.contains("<br") || body.contains("</div>"))
}

fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_by_their_usual_names() {
        let article = read_json_line(
            r#"{"headline":"Mill closes","content":"Workers left.","publishedAt":"2024-01-02","source":{"name":"Valley Post"},"link":"https://example.org/mill"}"#,
        )
        .unwrap();
        assert_eq!(article.title, "Mill closes");
        assert_eq!(article.body, "Workers left.");
        assert_eq!(article.source.as_deref(), Some("Valley Post"));
        assert_eq!(article.url.as_deref(), Some("https://example.org/mill"));
        assert_eq!(
            article.date_hint,
            Some(("2024-01-02".into(), DateSource::Field))
        );
    }

    #[test]
    fn array_records_are_numbered_from_one_and_bad_ones_reported() {
        let records =
            read_json(r#"[{"title":"A","text":"one"}, 7, {"title":"C","body":"three"}]"#).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].0, 1);
        assert!(records[1]
            .1
            .as_ref()
            .unwrap_err()
            .contains("found a number"));
        assert_eq!(records[2].1.as_ref().unwrap().body, "three");
    }

    #[test]
    fn record_without_title_or_body_is_rejected() {
        let error = read_json_line(r#"{"id":5,"title":42}"#).unwrap_err();
        assert!(error.contains("no title"), "{error}");
    }

    #[test]
    fn broken_line_says_what_to_do() {
        assert!(read_json_line("{\"title\": ")
            .unwrap_err()
            .contains("fix or delete this line"));
    }

    #[test]
    fn html_body_is_reduced_to_text() {
        let article =
            read_json_line(r#"{"title":"T","body":"<p>First.</p><p>Second.</p>"}"#).unwrap();
        assert_eq!(article.body, "First.\n\nSecond.");
    }
}
