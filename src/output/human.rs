//! Human output: hits with their passages, highlights in colour or `[...]` markers.
//! Text from articles is untrusted: control characters are removed before it reaches a
//! terminal.

use std::fmt::Write;

use crate::index::IndexSummary;
use crate::search::explain::Explanation;
use crate::search::stats::Count;
use crate::search::{Facets, Hit, Passage, SearchResult};

const HIGHLIGHT_ON: &str = "\x1b[1;33m";
const BOLD_ON: &str = "\x1b[1m";
const DIM_ON: &str = "\x1b[2m";
const STYLE_OFF: &str = "\x1b[0m";

/// How to mark things up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn wrap(&self, on: &str, text: &str) -> String {
        if self.color {
            format!("{on}{text}{STYLE_OFF}")
        } else {
            text.to_string()
        }
    }
}

/// Replaces control characters (escape sequences included) with spaces.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The search results as a person reads them.
pub fn search(result: &SearchResult, style: Style) -> String {
    let mut out = String::new();
    for (i, hit) in result.hits.iter().enumerate() {
        write_hit(&mut out, i + 1, hit, style);
    }
    if let Some(facets) = &result.facets {
        write_facets(&mut out, facets, style);
    }
    let shown = result.hits.len();
    let _ = writeln!(
        out,
        "{}",
        style.wrap(
            DIM_ON,
            &format!(
                "{shown} of {} hits ({:.1} ms)",
                result.total, result.took_ms
            )
        )
    );
    out
}

fn write_hit(out: &mut String, rank: usize, hit: &Hit, style: Style) {
    let mut location = sanitize(&hit.path);
    if let Some(record) = hit.record {
        let _ = write!(location, "#{record}");
    }
    let _ = writeln!(out, "{rank}. {}", style.wrap(BOLD_ON, &location));
    let mut meta = vec![sanitize(&hit.title)];
    if let Some(day) = &hit.published {
        meta.push(day.clone());
    }
    if let Some(source) = &hit.source {
        meta.push(sanitize(source));
    }
    let _ = writeln!(out, "   {}", meta.join(" · "));
    if let Some(copies) = hit.copies.filter(|&n| n > 1) {
        let line = format!(
            "{copies} copies of this story match: story:\"{}\"",
            sanitize(&hit.story)
        );
        let _ = writeln!(out, "   {}", style.wrap(DIM_ON, &line));
    }
    for passage in &hit.snippets {
        let _ = writeln!(out, "   {}", highlight(passage, style));
    }
    if let Some(explanation) = &hit.explain {
        write_explanation(out, explanation, style);
    }
    out.push('\n');
}

/// `--explain`: a line per clause, then the windows of near: clauses.
fn write_explanation(out: &mut String, explanation: &Explanation, style: Style) {
    let date = explanation
        .published_source
        .as_deref()
        .map_or("no publication date".to_string(), |s| {
            format!("dated by {s}")
        });
    let _ = writeln!(
        out,
        "   {}",
        style.wrap(
            DIM_ON,
            &format!("why: score {:.2}, {date}", explanation.score)
        )
    );
    for clause in &explanation.clauses {
        let mut line = format!("{} ({})", sanitize(&clause.clause), clause.kind);
        if !clause.matched {
            line.push_str(": not in this article (another branch matched)");
        } else if let Some(place) = clause.matched_in {
            let _ = write!(line, ": {} in {place}", clause.count);
        }
        let forms: Vec<String> = clause
            .entities
            .iter()
            .map(|e| {
                let written: Vec<String> = e
                    .written
                    .iter()
                    .map(|w| format!("\"{}\"", sanitize(w)))
                    .collect();
                if written.is_empty() {
                    format!("{} {}", e.kind.as_str(), sanitize(&e.name))
                } else {
                    format!(
                        "{} {} as {}",
                        e.kind.as_str(),
                        sanitize(&e.name),
                        written.join(", ")
                    )
                }
            })
            .collect();
        if !forms.is_empty() {
            let _ = write!(line, ": {}", forms.join("; "));
        }
        let _ = writeln!(out, "   {}", style.wrap(DIM_ON, &format!("  {line}")));
        for window in &clause.windows {
            let parts: Vec<String> = window
                .operands
                .iter()
                .map(|o| match &o.entity {
                    Some(e) => format!(
                        "\"{}\" ({} {})",
                        sanitize(&o.text),
                        e.kind.as_str(),
                        sanitize(&e.name)
                    ),
                    None => format!("\"{}\"", sanitize(&o.text)),
                })
                .collect();
            let _ = writeln!(
                out,
                "   {}",
                style.wrap(
                    DIM_ON,
                    &format!(
                        "    {} - {} words between",
                        parts.join(" … "),
                        window.words_between
                    )
                )
            );
        }
    }
}

/// Longest timeline bar, in characters.
const TIMELINE_WIDTH: usize = 40;

/// Top actors and sources on a line each, then the publication timeline.
fn write_facets(out: &mut String, facets: &Facets, style: Style) {
    for (label, list) in [
        ("people", &facets.person),
        ("places", &facets.place),
        ("orgs", &facets.org),
        ("sources", &facets.source),
    ] {
        if list.is_empty() {
            continue;
        }
        let top: Vec<String> = list
            .iter()
            .take(8)
            .map(|c| format!("{} ({})", sanitize(&c.value), c.count))
            .collect();
        let _ = writeln!(
            out,
            "{} {}",
            style.wrap(BOLD_ON, &format!("{label}:")),
            top.join(", ")
        );
    }
    for (label, buckets) in [
        ("published", &facets.published),
        ("mentioned", &facets.mentioned),
    ] {
        if buckets.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", style.wrap(BOLD_ON, &format!("{label}:")));
        out.push_str(&timeline(buckets));
    }
    out.push('\n');
}

/// One bar per bucket, scaled to the largest.
pub fn timeline(buckets: &[Count]) -> String {
    let largest = buckets.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let width = buckets.iter().map(|b| b.value.len()).max().unwrap_or(0);
    let mut out = String::new();
    for bucket in buckets {
        let length =
            ((bucket.count as f64 / largest as f64) * TIMELINE_WIDTH as f64).ceil() as usize;
        let _ = writeln!(
            out,
            "  {:width$} {} {}",
            bucket.value,
            "█".repeat(length.max(1)),
            bucket.count
        );
    }
    out
}

/// A passage with its highlights marked: colour, or `[...]` without colour.
pub fn highlight(passage: &Passage, style: Style) -> String {
    let text = &passage.text;
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for &[start, end] in &passage.highlights {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&sanitize(&text[at..start]));
        let word = sanitize(&text[start..end]);
        if style.color {
            out.push_str(&style.wrap(HIGHLIGHT_ON, &word));
        } else {
            let _ = write!(out, "[{word}]");
        }
        at = end;
    }
    out.push_str(&sanitize(&text[at..]));
    out
}

/// The one-line summary of an indexing run.
pub fn index_summary(summary: &IndexSummary) -> String {
    if !summary.changed() && summary.failed.is_empty() {
        return format!(
            "nothing changed: {} articles unchanged; the index holds {} articles",
            summary.unchanged, summary.articles
        );
    }
    let megabytes = summary.bytes as f64 / 1e6;
    let rate = if summary.seconds > 0.0 {
        megabytes / summary.seconds
    } else {
        0.0
    };
    format!(
        "{} added, {} updated, {} removed, {} unchanged, {} failed; the index holds {} articles ({:.1} MB read in {:.1} s, {:.1} MB/s)",
        summary.added,
        summary.updated,
        summary.removed,
        summary.unchanged,
        summary.failed.len(),
        summary.articles,
        megabytes,
        summary.seconds,
        rate
    )
}

/// The index summary as a person reads it.
pub fn stats(stats: &crate::search::stats::Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "articles: {}", stats.articles);
    let _ = writeln!(out, "sources:  {}", stats.sources);
    let range = match (&stats.first, &stats.last) {
        (Some(first), Some(last)) => format!("{first} .. {last}"),
        _ => "no dated articles".to_string(),
    };
    let _ = writeln!(out, "dates:    {range}");
    for (kind, list) in [
        ("people", &stats.top.person),
        ("places", &stats.top.place),
        ("orgs", &stats.top.org),
    ] {
        if list.is_empty() {
            continue;
        }
        let names: Vec<String> = list
            .iter()
            .map(|c| format!("{} ({})", sanitize(&c.value), c.count))
            .collect();
        let _ = writeln!(out, "top {kind}: {}", names.join(", "));
    }
    let stories = &stats.stories;
    let _ = writeln!(
        out,
        "stories:  {} with copies, holding {} articles",
        stories.count, stories.articles
    );
    for story in &stories.largest {
        let _ = writeln!(
            out,
            "  {} copies: {} (story:\"{}\")",
            story.copies,
            sanitize(&story.title),
            sanitize(&story.id)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_become_brackets_without_colour() {
        let passage = Passage {
            text: "Troops in Belarus".into(),
            highlights: vec![[0, 6], [10, 17]],
        };
        assert_eq!(
            highlight(&passage, Style { color: false }),
            "[Troops] in [Belarus]"
        );
        let coloured = highlight(&passage, Style { color: true });
        assert!(coloured.contains("\x1b[1;33mTroops\x1b[0m"));
    }

    #[test]
    fn timeline_scales_bars_to_the_largest_bucket() {
        let buckets = vec![
            Count {
                value: "2022-01".into(),
                count: 10,
            },
            Count {
                value: "2022-02".into(),
                count: 5,
            },
        ];
        let drawn = timeline(&buckets);
        let lines: Vec<&str> = drawn.lines().collect();
        assert_eq!(lines[0].matches('█').count(), TIMELINE_WIDTH);
        assert_eq!(lines[1].matches('█').count(), TIMELINE_WIDTH / 2);
        assert!(lines[1].ends_with(" 5"));
    }

    #[test]
    fn escape_sequences_in_articles_are_neutralised() {
        let passage = Passage {
            text: "evil\x1b[2Jtext".into(),
            highlights: vec![],
        };
        assert_eq!(highlight(&passage, Style { color: false }), "evil [2Jtext");
    }
}
