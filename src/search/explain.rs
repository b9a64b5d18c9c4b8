//! `--explain`: why a hit matched. For each clause of the query (the parts ANDed at the
//! top), whether and where it matched: the words found, the windows of a near: clause
//! with the words between and which surface form stood for an entity, the entities a
//! filter matched and how the article writes them; and where the publication date came
//! from. Worked out from the hit's stored text with the same patterns as passages.

use serde::Serialize;

use super::passage::{self, Body, Occurrence, Pattern, PatternContext};
use super::{EntityRef, Hit};
use crate::entities::extract::Mention;
use crate::model::EntityKind;
use crate::query::ast::{Expr, Filter, Operand, Scope, Span};

/// Windows and matches listed per clause, at most.
const SHOWN: usize = 3;

/// Why one hit matched.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub score: f32,
    pub clauses: Vec<ClauseExplanation>,
    /// Where the publication day came from: meta, field, text, path, saved or mtime.
    pub published_source: Option<String>,
}

/// One clause of the query and how it matched this hit.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseExplanation {
    /// The clause as written in the query.
    pub clause: String,
    /// words, phrase, prefix, group, near, filter, not or any (an OR of clauses).
    pub kind: &'static str,
    pub matched: bool,
    /// Where text matched: body, title, or both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_in: Option<&'static str>,
    /// Occurrences (or near: windows) in the body.
    pub count: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<TextMatch>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<WindowExplanation>,
    /// Entities a filter matched, with the ways the body writes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityMatch>,
}

/// Text found in the body.
#[derive(Debug, Clone, Serialize)]
pub struct TextMatch {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The entity, when the text is a mention of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
}

/// One near: window: what stood for each operand, and the words between them.
#[derive(Debug, Clone, Serialize)]
pub struct WindowExplanation {
    pub words_between: u32,
    pub operands: Vec<TextMatch>,
}

/// An entity a filter matched.
#[derive(Debug, Clone, Serialize)]
pub struct EntityMatch {
    pub kind: EntityKind,
    pub name: String,
    /// Distinct surface forms of its mentions in the body.
    pub written: Vec<String>,
}

/// What explaining needs of a hit's text.
pub struct HitText<'a> {
    pub body: &'a str,
    pub matched: &'a Body<'a>,
    pub title: &'a Body<'a>,
    pub mentions: &'a [Mention],
}

/// Explains a hit: one entry per top-level clause of `expr`.
pub fn explain(
    hit: &Hit,
    query: &str,
    expr: &Expr,
    text: &HitText,
    context: &PatternContext,
) -> Explanation {
    let clauses = match expr {
        Expr::And(items) => items.iter().collect(),
        single => vec![single],
    };
    Explanation {
        score: hit.score,
        clauses: clauses
            .into_iter()
            .map(|c| clause(c, query, hit, text, context))
            .collect(),
        published_source: hit.published_source.clone(),
    }
}

fn clause(
    expr: &Expr,
    query: &str,
    hit: &Hit,
    text: &HitText,
    context: &PatternContext,
) -> ClauseExplanation {
    let mut out = ClauseExplanation {
        clause: bounds_clause(expr).unwrap_or_else(|| written_clause(expr, query)),
        kind: kind_of(expr),
        matched: false,
        matched_in: None,
        count: 0,
        matches: Vec::new(),
        windows: Vec::new(),
        entities: Vec::new(),
    };
    match expr {
        Expr::Text { operand, scope } => {
            let pattern = passage::operand_pattern(operand, context);
            let in_body = *scope == Scope::TitleOrBody;
            let body_found = if in_body {
                passage::find(&pattern, text.matched)
            } else {
                Vec::new()
            };
            let in_title = !passage::find(&pattern, text.title).is_empty();
            out.count = body_found.len();
            out.matches = body_found
                .iter()
                .take(SHOWN)
                .map(|o| text_match(text.body, o))
                .collect();
            out.matched_in = match (!body_found.is_empty(), in_title) {
                (true, true) => Some("body and title"),
                (true, false) => Some("body"),
                (false, true) => Some("title"),
                (false, false) => None,
            };
            out.matched = out.matched_in.is_some();
        }
        Expr::Near { .. } => {
            let patterns = passage::patterns_for(expr, context);
            if let Some(Pattern::Near { parts, links }) = patterns.first() {
                let windows = passage::near_windows(parts, links, text.matched, usize::MAX);
                let in_title = !passage::near_windows(parts, links, text.title, 1).is_empty();
                out.count = windows.len();
                out.matched_in = match (!windows.is_empty(), in_title) {
                    (true, true) => Some("body and title"),
                    (true, false) => Some("body"),
                    (false, true) => Some("title"),
                    (false, false) => None,
                };
                out.matched = out.matched_in.is_some();
                let mut windows = windows;
                windows.sort_by_key(|(w, _)| (w.gap, w.first));
                out.windows = windows
                    .iter()
                    .take(SHOWN)
                    .map(|(window, taking_part)| WindowExplanation {
                        words_between: window.gap,
                        operands: taking_part
                            .iter()
                            .map(|o| text_match(text.body, o))
                            .collect(),
                    })
                    .collect();
            }
        }
        Expr::Filter(Filter::Entity { kind, name, .. }) => {
            for (kind, name) in context.entities.resolve(*kind, name) {
                if !hit
                    .entities
                    .iter()
                    .any(|e| e.kind == kind && e.name == name)
                {
                    continue;
                }
                let mut written: Vec<String> = Vec::new();
                for mention in text
                    .mentions
                    .iter()
                    .filter(|m| m.kind == kind && m.name == name)
                {
                    let surface = text.body[mention.start..mention.end].to_string();
                    if !written.contains(&surface) {
                        written.push(surface);
                    }
                }
                out.entities.push(EntityMatch {
                    kind,
                    name,
                    written,
                });
            }
            out.matched = !out.entities.is_empty();
        }
        // Other filters and negations hold for every hit of an AND; an OR is explained
        // by its branches' own words in passages.
        Expr::Filter(_) | Expr::Not(_) | Expr::Or(_) | Expr::And(_) => out.matched = true,
    }
    out
}

/// The clause as written in the query.
fn written_clause(expr: &Expr, query: &str) -> String {
    span_of(expr).map_or_else(String::new, |(start, end)| {
        // A filter's span is its value: take its `field:` along.
        let start = match expr {
            Expr::Filter(_) => query[..start]
                .rfind(|c: char| c.is_whitespace() || c == '(')
                .map_or(0, |i| i + 1),
            _ => start,
        };
        query.get(start..end).unwrap_or_default().to_string()
    })
}

/// `--from/--to` have no place in the query text: their clause is shown as the date
/// filter they are.
fn bounds_clause(expr: &Expr) -> Option<String> {
    let Expr::Filter(Filter::Date {
        span: (0, 0),
        from,
        to,
        ..
    }) = expr
    else {
        return None;
    };
    let day = |d: &Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    Some(format!("date:{}..{}", day(from), day(to)))
}

fn text_match(body: &str, occurrence: &Occurrence) -> TextMatch {
    let start = occurrence.spans.iter().map(|s| s.0).min().unwrap_or(0);
    let end = occurrence.spans.iter().map(|s| s.1).max().unwrap_or(0);
    TextMatch {
        text: body.get(start..end).unwrap_or_default().to_string(),
        start,
        end,
        entity: occurrence
            .entity
            .clone()
            .map(|(kind, name)| EntityRef { kind, name }),
    }
}

fn kind_of(expr: &Expr) -> &'static str {
    match expr {
        Expr::Text { operand, .. } => match operand {
            Operand::Word { .. } => "words",
            Operand::Phrase { .. } => "phrase",
            Operand::Prefix { .. } => "prefix",
            Operand::Fuzzy { .. } => "fuzzy",
            Operand::Group { .. } => "group",
        },
        Expr::Near { .. } => "near",
        Expr::Filter(_) => "filter",
        Expr::Not(_) => "not",
        Expr::Or(_) | Expr::And(_) => "any",
    }
}

/// Where an expression stands in the query text.
fn span_of(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Text { operand, .. } => Some(operand.span()),
        Expr::Near { operands, .. } => {
            let first = operands.first()?.span();
            let last = operands.last()?.span();
            Some((first.0, last.1))
        }
        Expr::Filter(filter) => Some(match filter {
            Filter::Entity { span, .. }
            | Filter::Source { span, .. }
            | Filter::Lang { span, .. }
            | Filter::Story { span, .. }
            | Filter::Date { span, .. } => *span,
        }),
        Expr::Not(inner) => span_of(inner),
        Expr::And(items) | Expr::Or(items) => {
            let spans: Vec<Span> = items.iter().filter_map(span_of).collect();
            let start = spans.iter().map(|s| s.0).min()?;
            let end = spans.iter().map(|s| s.1).max()?;
            Some((start, end))
        }
    }
}
