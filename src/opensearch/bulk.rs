//! The articles of an index as OpenSearch `_bulk` files: one `index` action and one
//! document per article, `_id` = dossier's id, files of at most [`MAX_FILE_BYTES`].
//!
//! With the annotated-text plugin, title and body carry every entity mention as an
//! annotation on each of its words (`[Vladimir](person%3AVladimir%20Putin)
//! [Putin](person%3AVladimir%20Putin)`), so an annotation token stands on every word a
//! mention covers, as dossier's entity tokens do, and `max_gaps` counts words as
//! dossier's windows do. Annotated text has no escape syntax: a literal `](` in the text
//! is written `] (`, and a mention word holding a bracket or parenthesis is left
//! unannotated rather than break the markup.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Map, Value};

use super::mapping::{body_field, title_field, Flavour};
use crate::error::{Error, Result};
use crate::index::document::{article_entities_and_title, mentioned_days, text_anchor};
use crate::model::{DateSource, EntityKind};
use crate::search::{load_hit, Snapshot};

/// The largest bulk file written (OpenSearch's default `http.max_content_length` is
/// 100 MB; 10 MB requests are the size its documentation suggests starting from).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportSummary {
    pub articles: u64,
    pub files: Vec<PathBuf>,
    pub bytes: u64,
    pub seconds: f64,
}

/// The annotation value of an entity: `kind:name`, as queries name it.
pub fn annotation_value(kind: EntityKind, name: &str) -> String {
    format!("{}:{}", kind.as_str(), name)
}

/// Writes `create-index.json` and the bulk files of every article of `snapshot` into
/// `out` (created if missing).
pub fn export(
    snapshot: &Snapshot,
    out: &Path,
    index_name: &str,
    flavour: Flavour,
) -> Result<ExportSummary> {
    let started = Instant::now();
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    remove_earlier_bulk_files(out)?;
    let create = super::mapping::create_index(&snapshot.languages, flavour);
    let create_path = out.join("create-index.json");
    write_file(&create_path, &format!("{create:#}\n"))?;
    let mut files = Vec::new();
    let mut current: Vec<u8> = Vec::with_capacity(MAX_FILE_BYTES);
    let mut summary = ExportSummary::default();
    let stories = snapshot.stories()?;
    let flush = |current: &mut Vec<u8>, files: &mut Vec<PathBuf>| -> Result<()> {
        if current.is_empty() {
            return Ok(());
        }
        let path = out.join(format!("bulk-{:04}.ndjson", files.len() + 1));
        std::fs::write(&path, &current).map_err(|e| Error::io(&path, e))?;
        files.push(path);
        current.clear();
        Ok(())
    };
    let mut addresses = Vec::new();
    for (ord, segment) in snapshot.searcher.segment_readers().iter().enumerate() {
        addresses.extend(
            segment
                .doc_ids_alive()
                .map(|doc| tantivy::DocAddress::new(ord as u32, doc)),
        );
    }
    // Finding the mentions again is most of the work: blocks of articles on every core,
    // written in order.
    let executor = snapshot.searcher.index().search_executor();
    for block in addresses.chunks(BLOCK) {
        let lines = crate::search::load::map_on_cores(executor, block.to_vec(), |address| {
            bulk_lines(snapshot, &stories, address, index_name, flavour)
        })?;
        for lines in lines {
            let lines = lines?;
            if !current.is_empty() && current.len() + lines.len() > MAX_FILE_BYTES {
                flush(&mut current, &mut files)?;
            }
            current.extend_from_slice(&lines);
            summary.articles += 1;
            summary.bytes += lines.len() as u64;
        }
    }
    flush(&mut current, &mut files)?;
    summary.files = files;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Removes the bulk files of an earlier export into `out`: a loader sending every
/// `bulk-*.ndjson` of the folder must not send a smaller export's leftovers too.
fn remove_earlier_bulk_files(out: &Path) -> Result<()> {
    let entries = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name
            .strip_prefix("bulk-")
            .and_then(|rest| rest.strip_suffix(".ndjson"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if ours && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        }
    }
    Ok(())
}

/// Articles handed to the cores at a time.
const BLOCK: usize = 512;

/// The action and document lines of the article at `address`.
fn bulk_lines(
    snapshot: &Snapshot,
    stories: &crate::stories::StoryTable,
    address: tantivy::DocAddress,
    index_name: &str,
    flavour: Flavour,
) -> Result<Vec<u8>> {
    let loaded = load_hit(&snapshot.store, &snapshot.searcher, address, 0.0)?;
    let story = stories.story_id(address, &loaded.hit.id).to_string();
    let document = document(snapshot, &loaded.hit, &loaded.body, &story, flavour);
    let action = json!({"index": {"_index": index_name, "_id": loaded.hit.id}});
    let mut lines = Vec::with_capacity(loaded.body.len() * 2);
    let _ = writeln!(lines, "{action}");
    let _ = writeln!(lines, "{document}");
    Ok(lines)
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// One article as the cluster stores it.
fn document(
    snapshot: &Snapshot,
    hit: &crate::search::Hit,
    body: &str,
    story: &str,
    flavour: Flavour,
) -> Value {
    let mut doc = Map::new();
    let (title_text, body_text) = match flavour {
        Flavour::Plain => (hit.title.clone(), body.to_string()),
        Flavour::Annotated => {
            // The mentions, found again from the stored text with the index's lists, as
            // `dossier extract` and the article page find them.
            let (entities, title_mentions) =
                article_entities_and_title(&hit.title, body, &hit.lang, &snapshot.extractor);
            let body_spans: Vec<(usize, usize, String)> = entities
                .iter()
                .flat_map(|e| {
                    e.mentions
                        .iter()
                        .map(move |m| (m.start, m.end, annotation_value(e.kind, &e.name)))
                })
                .collect();
            let title_spans: Vec<(usize, usize, String)> = title_mentions
                .iter()
                .map(|m| (m.start, m.end, annotation_value(m.kind, &m.name)))
                .collect();
            (
                annotated(&hit.title, &title_spans),
                annotated(body, &body_spans),
            )
        }
    };
    doc.insert(title_field(&hit.lang), json!(title_text));
    doc.insert(body_field(&hit.lang), json!(body_text));
    for kind in EntityKind::ALL {
        let names: Vec<&str> = hit
            .entities
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.as_str())
            .collect();
        if !names.is_empty() {
            doc.insert(kind.as_str().to_string(), json!(names));
        }
    }
    if let Some(source) = &hit.source {
        doc.insert("source".into(), json!(source.to_lowercase()));
        doc.insert("source_name".into(), json!(source));
    }
    doc.insert("lang".into(), json!(hit.lang));
    doc.insert("story".into(), json!(story));
    doc.insert("path".into(), json!(hit.path));
    if let Some(record) = hit.record {
        doc.insert("record".into(), json!(record));
    }
    if let Some(url) = &hit.url {
        doc.insert("url".into(), json!(url));
    }
    if let (Some(day), Some(source)) = (&hit.published, &hit.published_source) {
        doc.insert("published".into(), json!(day));
        doc.insert("published_source".into(), json!(source));
    }
    let day = hit.published.as_deref().and_then(|d| d.parse().ok());
    let source = hit.published_source.as_deref().and_then(DateSource::parse);
    let mut days: Vec<String> = mentioned_days(body, text_anchor(day, source, body))
        .into_iter()
        .map(|d| d.date)
        .collect();
    days.sort_unstable();
    days.dedup();
    if !days.is_empty() {
        doc.insert("mentioned".into(), json!(days));
    }
    Value::Object(doc)
}

/// `text` in annotated-text markup: every word inside a span annotated with the values
/// of all spans covering it; the rest as text with `](` broken up.
pub fn annotated(text: &str, spans: &[(usize, usize, String)]) -> String {
    // Cut at every span edge and at white space, then annotate the pieces spans cover.
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for &(start, end, _) in spans {
        if start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            cuts.push(start);
            cuts.push(end);
        }
    }
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            cuts.push(i);
            cuts.push(i + c.len_utf8());
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() + spans.len() * 32);
    for piece in cuts.windows(2) {
        let (start, end) = (piece[0], piece[1]);
        let word = &text[start..end];
        let mut values: Vec<&str> = spans
            .iter()
            .filter(|(s, e, _)| *s <= start && end <= *e)
            .map(|(_, _, v)| v.as_str())
            .collect();
        values.sort_unstable();
        values.dedup();
        let markup_safe = !word.contains(['[', ']', '(', ')']);
        if values.is_empty() || word.trim().is_empty() || !markup_safe {
            out.push_str(&word.replace("](", "] ("));
            continue;
        }
        out.push('[');
        out.push_str(word);
        out.push_str("](");
        let encoded: Vec<String> = values.iter().map(|v| percent_encode(v)).collect();
        out.push_str(&encoded.join("&"));
        out.push(')');
    }
    // A literal "](" may straddle two plain pieces only through white space, which
    // cannot sit between "]" and "(": each piece was enough.
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986), UTF-8 bytes.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_a_mention_is_annotated_and_brackets_are_broken_up() {
        let text = "Vladimir Putin met troops in Kyiv, see [1](a).";
        let spans = vec![
            (0, 14, "person:Vladimir Putin".to_string()),
            (29, 33, "place:Kyiv".to_string()),
        ];
        assert_eq!(
            annotated(text, &spans),
            "[Vladimir](person%3AVladimir%20Putin) [Putin](person%3AVladimir%20Putin) met \
             troops in [Kyiv](place%3AKyiv), see [1] (a)."
        );
    }

    #[test]
    fn overlapping_mentions_give_a_word_both_values() {
        let text = "Bank of England";
        let spans = vec![
            (0, 15, "org:Bank of England".to_string()),
            (8, 15, "place:England".to_string()),
        ];
        assert_eq!(
            annotated(text, &spans),
            "[Bank](org%3ABank%20of%20England) [of](org%3ABank%20of%20England) \
             [England](org%3ABank%20of%20England&place%3AEngland)"
        );
    }

    #[test]
    fn values_are_percent_encoded_as_utf8() {
        assert_eq!(
            percent_encode("place:Montréal & co"),
            "place%3AMontr%C3%A9al%20%26%20co"
        );
    }
}
