//! Editing a query's text the way a page's controls do: add a filter (a facet click),
//! remove one (a chip's ×), replace the date range (a timeline bar). Edits work on the
//! text as written, guided by the parser's spans, so the rest of the query stays as the
//! user typed it.

use super::ast::{DateField, Expr, Filter, Span};
use super::parse;

/// A filter standing at the top level of a query (ANDed with the rest), as written.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFilter {
    /// The whole clause: `-`/`NOT`, field, colon and value.
    pub span: Span,
    pub filter: Filter,
    /// `-person:X` or `NOT person:X`.
    pub negated: bool,
}

impl WrittenFilter {
    /// The clause as written.
    pub fn text<'q>(&self, query: &'q str) -> &'q str {
        query.get(self.span.0..self.span.1).unwrap_or_default()
    }
}

/// The top-level filters of `query` (none when it does not parse).
pub fn top_level_filters(query: &str) -> Vec<WrittenFilter> {
    let Ok(expr) = parse(query) else {
        return Vec::new();
    };
    let items = match expr {
        Expr::And(items) => items,
        single => vec![single],
    };
    items
        .into_iter()
        .filter_map(|item| match item {
            Expr::Filter(filter) => Some(written(query, filter, false)),
            Expr::Not(inner) => match *inner {
                Expr::Filter(filter) => Some(written(query, filter, true)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn written(query: &str, filter: Filter, negated: bool) -> WrittenFilter {
    let (value_start, value_end) = filter_span(&filter);
    // Back from the value over the colon and the field name.
    let before = &query[..value_start.saturating_sub(1)];
    let mut start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(value_start.saturating_sub(1), |(i, _)| i);
    if negated {
        let ahead = &query[..start];
        if let Some(stripped) = ahead.strip_suffix('-') {
            start = stripped.len();
        } else if let Some(stripped) = ahead.trim_end().strip_suffix("NOT") {
            start = stripped.len();
        }
    }
    WrittenFilter {
        span: (start, value_end),
        filter,
        negated,
    }
}

fn filter_span(filter: &Filter) -> Span {
    match filter {
        Filter::Entity { span, .. }
        | Filter::Source { span, .. }
        | Filter::Lang { span, .. }
        | Filter::Story { span, .. }
        | Filter::Date { span, .. } => *span,
    }
}

/// The query without the text at `span`, spaces tidied.
pub fn without(query: &str, span: Span) -> String {
    let (start, end) = (span.0.min(query.len()), span.1.min(query.len()));
    tidy(&format!("{} {}", &query[..start], &query[end..]))
}

/// The query with `field:value` (or `-field:value`) ANDed on.
pub fn with_filter(query: &str, field: &str, value: &str, negated: bool) -> String {
    let clause = format!("{}{field}:{}", if negated { "-" } else { "" }, quote(value));
    and_clause(query, &clause)
}

/// The query with its top-level `date:` (or `mentioned:`) filters replaced by one for
/// `range` (`2022-02`, `2022-02-01..2022-02-28`).
pub fn with_date_range(query: &str, field: DateField, range: &str) -> String {
    let name = match field {
        DateField::Published => "date",
        DateField::Mentioned => "mentioned",
    };
    let mut text = query.to_string();
    let mut spans: Vec<Span> = top_level_filters(query)
        .into_iter()
        .filter(|w| !w.negated)
        .filter(|w| matches!(&w.filter, Filter::Date { field: f, .. } if *f == field))
        .map(|w| w.span)
        .collect();
    spans.sort_by(|a, b| b.cmp(a));
    for span in spans {
        text = without(&text, span);
    }
    and_clause(&text, &format!("{name}:{range}"))
}

/// `clause` ANDed to the query. An OR at the top would bind it to its last branch
/// only: the query is bracketed then.
fn and_clause(query: &str, clause: &str) -> String {
    if query.trim().is_empty() {
        return clause.to_string();
    }
    let base = match parse(query) {
        Ok(Expr::Or(_)) => format!("({})", query.trim()),
        _ => query.trim().to_string(),
    };
    format!("{base} {clause}")
}

/// A filter value as the query language reads it back: bare when it is one plain run,
/// else in quotes (a quote inside cannot be written, and is dropped).
pub fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')' | ':'));
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('"', ""))
    }
}

/// Runs of white space as one space, none at the ends.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_found_with_their_field_and_sign() {
        let query = "troops person:\"Jen Psaki\" -place:Minsk NOT org:NATO date:2022";
        let found: Vec<&str> = top_level_filters(query)
            .iter()
            .map(|w| w.text(query))
            .collect();
        assert_eq!(
            found,
            vec![
                "person:\"Jen Psaki\"",
                "-place:Minsk",
                "NOT org:NATO",
                "date:2022"
            ]
        );
    }

    #[test]
    fn a_chip_removes_its_clause_only() {
        let query = "troops person:\"Jen Psaki\" -place:Minsk";
        let filters = top_level_filters(query);
        assert_eq!(without(query, filters[0].span), "troops -place:Minsk");
        assert_eq!(
            without(query, filters[1].span),
            "troops person:\"Jen Psaki\""
        );
    }

    #[test]
    fn a_facet_click_ands_a_quoted_filter() {
        assert_eq!(
            with_filter("troops", "person", "Vladimir Putin", false),
            "troops person:\"Vladimir Putin\""
        );
        assert_eq!(
            with_filter("troops", "place", "Minsk", true),
            "troops -place:Minsk"
        );
        assert_eq!(
            with_filter("oil OR gas", "source", "reuters", false),
            "(oil OR gas) source:reuters"
        );
        assert_eq!(with_filter("", "org", "NATO", false), "org:NATO");
        let added = with_filter("troops", "person", "Vladimir Putin", false);
        assert!(parse(&added).is_ok());
    }

    #[test]
    fn a_timeline_bar_replaces_the_date_range() {
        assert_eq!(
            with_date_range("troops date:2022", DateField::Published, "2022-02"),
            "troops date:2022-02"
        );
        assert_eq!(
            with_date_range("troops", DateField::Published, "2022-02-01..2022-02-28"),
            "troops date:2022-02-01..2022-02-28"
        );
        assert_eq!(
            with_date_range(
                "troops date:2022 mentioned:2022",
                DateField::Mentioned,
                "2022-03"
            ),
            "troops date:2022 mentioned:2022-03"
        );
    }
}
