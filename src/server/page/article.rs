//! The article page: the body as text with every entity mention marked by kind and every
//! match of the query in `<mark>` (stepped through with `n`/`N`), the entities with their
//! counts, the days mentioned, and the way back to the results.

use maud::{html, Markup};

use super::layout::frame;
use super::search::dated;
use super::state::PageState;
use crate::index::document::EntityJson;
use crate::query::edit::{quote, with_filter};
use crate::search::article::ArticleView;
use crate::search::story::Copies;

/// The page.
pub fn render(view: &ArticleView, state: &PageState) -> Markup {
    let title = if view.title.trim().is_empty() {
        "(untitled)".to_string()
    } else {
        view.title.clone()
    };
    let highlights = view.highlights.clone().unwrap_or_default();
    let search_for =
        |kind: &str, name: &str| state.with_query(format!("{kind}:{}", quote(name))).url();
    html! {
        @let main = html! {
            main #results .article-page {
                nav.back aria-label="Back" {
                    a #back href=(state.url()) {
                        "← Back to "
                        @if state.query.is_empty() { "every article" } @else { "results for " q { (state.query) } }
                    }
                }
                article {
                    h1 { (title) }
                    p.meta {
                        (dated(view.published.as_deref(), view.published_source.as_deref()))
                        @if let Some(source) = &view.source { " · " span.source { (source) } }
                        " · " span.lang { "language: " (view.lang) }
                        " · " span.path { (view.path) @if let Some(record) = view.record { "#" (record) } }
                    }
                    @if let Some(url) = &view.url {
                        p.url {
                            @if is_web_address(url) {
                                a href=(url) rel="noopener noreferrer nofollow" target="_blank" { "Original: " (url) }
                            } @else {
                                "Address given: " span { (url) }
                            }
                        }
                    }
                    @if view.highlights.is_some() {
                        div.matches {
                            @if highlights.is_empty() {
                                p { "The query matches the title or filters only: nothing to mark in the text." }
                            } @else {
                                p {
                                    span #match-status aria-live="polite" { (highlights.len()) @if highlights.len() == 1 { " match" } @else { " matches" } }
                                    " "
                                    a href="#match-1" { "first match" }
                                    " "
                                    button type="button" #match-previous hidden { "Previous (N)" }
                                    " "
                                    button type="button" #match-next hidden { "Next (n)" }
                                }
                            }
                        }
                    }
                    div.body #body { (marked_body(view, &highlights)) }
                }
                aside.article-side aria-label="In this article" {
                    @if let Some(story) = &view.copies {
                        (copies_list(view, story, state))
                    }
                    (entity_lists(&view.entities, &search_for))
                    @if !view.dates.is_empty() {
                        section {
                            h2 { "Days mentioned" }
                            ul.days {
                                @for day in &view.dates {
                                    li {
                                        a href=(state.with_query(with_filter("", "mentioned", &day.date, false)).url()) { time datetime=(day.date) { (day.date) } }
                                        " " span.said { "“" (day.text) "”" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        };
        (frame(&title, state, main))
    }
}

/// The other copies of the article's story, first appearance first, each a link to
/// its own page.
fn copies_list(view: &ArticleView, story: &Copies, state: &PageState) -> Markup {
    let every = PageState {
        all_copies: true,
        sort: crate::search::Sort::Oldest,
        ..state.with_query(format!("story:{}", quote(&story.story)))
    };
    html! {
        section.copies {
            h2 { "Copies of this story (" (story.count) ")" }
            ol.copies {
                @for copy in &story.copies {
                    li {
                        @if copy.id == view.id {
                            strong { "this copy" }
                        } @else {
                            a href=(state.article_url(&copy.id)) data-copy-id=(copy.id) { (if copy.title.trim().is_empty() { copy.path.as_str() } else { copy.title.as_str() }) }
                        }
                        span.meta {
                            @if let Some(source) = &copy.source { " · " (source) }
                            @if let Some(day) = &copy.published { " · " time datetime=(day) { (day) } }
                        }
                    }
                }
            }
            p { a href=(every.url()) { "Search the story's copies" } }
        }
    }
}

/// Only web addresses become links: `javascript:`, `data:` and the like stay text.
pub fn is_web_address(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn entity_lists(entities: &[EntityJson], search_for: &dyn Fn(&str, &str) -> String) -> Markup {
    let kinds = [
        (crate::model::EntityKind::Person, "People"),
        (crate::model::EntityKind::Place, "Places"),
        (crate::model::EntityKind::Org, "Organisations"),
    ];
    html! {
        @for (kind, heading) in kinds {
            @let mut listed: Vec<&EntityJson> = entities.iter().filter(|e| e.kind == kind).collect();
            @if !listed.is_empty() {
                section.entities {
                    h2 { (heading) }
                    ul {
                        @for entity in { listed.sort_by(|a, b| b.mentions.len().cmp(&a.mentions.len()).then(a.name.cmp(&b.name))); &listed } {
                            li {
                                a href=(search_for(kind.as_str(), &entity.name)) class=(format!("entity-link ent-{}", kind.as_str())) { (entity.name) }
                                " "
                                span.count data-count=(entity.mentions.len()) { (entity.mentions.len()) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A run of the body with what covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: usize,
    end: usize,
    /// Index of the mention covering it.
    mention: Option<usize>,
    /// Index of the query match covering it.
    matched: Option<usize>,
}

/// Cuts the body at every mention and match edge.
fn pieces(len: usize, mentions: &[(usize, usize)], matches: &[[usize; 2]]) -> Vec<Piece> {
    let mut edges: Vec<usize> = vec![0, len];
    edges.extend(mentions.iter().flat_map(|&(s, e)| [s, e]));
    edges.extend(matches.iter().flat_map(|&[s, e]| [s, e]));
    edges.retain(|&e| e <= len);
    edges.sort_unstable();
    edges.dedup();
    edges
        .windows(2)
        .map(|pair| {
            let (start, end) = (pair[0], pair[1]);
            Piece {
                start,
                end,
                mention: mentions.iter().position(|&(s, e)| s <= start && end <= e),
                matched: matches.iter().position(|&[s, e]| s <= start && end <= e),
            }
        })
        .collect()
}

/// The body with mentions in `data-entity-*` spans and matches in numbered `<mark>`s.
fn marked_body(view: &ArticleView, highlights: &[[usize; 2]]) -> Markup {
    let body = view.body.as_str();
    // Every mention with its entity; mentions that overlap an earlier one are left out.
    let mut mentions: Vec<(usize, usize, &EntityJson)> = view
        .entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(move |m| (m.start, m.end, e)))
        .filter(|(s, e, _)| s < e && *e <= body.len())
        .collect();
    mentions.sort_by_key(|(s, e, _)| (*s, *e));
    let mut kept: Vec<(usize, usize, &EntityJson)> = Vec::new();
    for mention in mentions {
        if kept.last().is_none_or(|last| mention.0 >= last.1) {
            kept.push(mention);
        }
    }
    let spans: Vec<(usize, usize)> = kept.iter().map(|(s, e, _)| (*s, *e)).collect();
    let cut = pieces(body.len(), &spans, highlights);
    let text = |piece: &Piece| body.get(piece.start..piece.end).unwrap_or_default();
    // Group consecutive pieces of one mention, so each mention is one element.
    let mut groups: Vec<Vec<Piece>> = Vec::new();
    for piece in cut {
        match groups.last_mut() {
            Some(group) if piece.mention.is_some() && group[0].mention == piece.mention => {
                group.push(piece)
            }
            _ => groups.push(vec![piece]),
        }
    }
    let mut first_of_match = vec![true; highlights.len()];
    let mut mark = |piece: &Piece| -> Markup {
        match piece.matched {
            Some(i) => {
                let first = std::mem::replace(&mut first_of_match[i], false);
                html! { mark data-match=(i + 1) id=[first.then(|| format!("match-{}", i + 1))] { (text(piece)) } }
            }
            None => html! { (text(piece)) },
        }
    };
    html! {
        @for group in &groups {
            @match group[0].mention.map(|m| kept[m].2) {
                Some(entity) => {
                    span class=(format!("ent ent-{}", entity.kind.as_str())) data-entity-kind=(entity.kind.as_str()) data-entity-name=(entity.name) title=(format!("{}: {}", entity.kind.as_str(), entity.name)) {
                        @for piece in group { (mark(piece)) }
                    }
                }
                None => {
                    @for piece in group { (mark(piece)) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_is_cut_at_every_edge() {
        let cut = pieces(20, &[(2, 8)], &[[5, 12]]);
        let spans: Vec<(usize, usize, Option<usize>, Option<usize>)> = cut
            .iter()
            .map(|p| (p.start, p.end, p.mention, p.matched))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0, 2, None, None),
                (2, 5, Some(0), None),
                (5, 8, Some(0), Some(0)),
                (8, 12, None, Some(0)),
                (12, 20, None, None)
            ]
        );
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_web_address("https://example.org/a"));
        assert!(is_web_address("HTTP://example.org"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address(" javascript:alert(1)"));
        assert!(!is_web_address("data:text/html,<script>"));
        assert!(!is_web_address("https://x.org/\"><svg onload=alert(1)>"));
        assert!(!is_web_address("//evil.example"));
    }
}
