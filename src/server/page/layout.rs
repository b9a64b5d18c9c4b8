//! The frame every page shares: head, header with the query form, and the error page.

use axum::http::StatusCode;
use maud::{html, Markup, DOCTYPE};

use super::asset_url;
use super::state::PageState;
use crate::search::Sort;

/// A whole page around `main`.
pub fn frame(title: &str, state: &PageState, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " · dossier" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(asset_url("/assets/page.css"));
                script src=(asset_url("/assets/page.js")) defer {}
            }
            body {
                a.skip href="#results" { "Skip to results" }
                header.top {
                    a.brand href="/" { "dossier" }
                    (query_form(state))
                }
                (main)
            }
        }
    }
}

/// The query box, the sort order and the help panel.
pub fn query_form(state: &PageState) -> Markup {
    let sorts = [
        (Sort::Relevance, "relevance", "Most relevant"),
        (Sort::Newest, "newest", "Newest first"),
        (Sort::Oldest, "oldest", "Oldest first"),
    ];
    html! {
        form.search action="/" method="get" role="search" {
            label for="q" .visually-hidden { "Search query" }
            input #q type="search" name="q" value=(state.query) placeholder="troops near:Belarus person:Putin date:2022-02" autocomplete="off" spellcheck="false";
            label for="sort" .visually-hidden { "Order" }
            select #sort name="sort" {
                @for (sort, value, label) in sorts {
                    option value=(value) selected[state.sort == sort] { (label) }
                }
            }
            @if let Some(interval) = state.interval {
                input type="hidden" name="interval" value=(super::state::interval_name(interval));
            }
            @if state.dates == crate::query::ast::DateField::Mentioned {
                input type="hidden" name="dates" value="mentioned";
            }
            button type="submit" { "Search" }
        }
        details.help {
            summary { "Query help" }
            (help())
        }
    }
}

/// Examples of the query language.
fn help() -> Markup {
    let examples: &[(&str, &str)] = &[
        (
            "oil prices",
            "both words, in title or body (stemmed: price finds prices)",
        ),
        (
            "oil OR gas, oil -gas, (oil OR gas) prices",
            "booleans; -word leaves articles out",
        ),
        (
            "\"interest rates\"",
            "the exact phrase; \"a b\"~2 allows two moves",
        ),
        ("sanc*", "words starting with sanc"),
        (
            "Zelenskyi~2",
            "words within two edits: spellings and transliterations",
        ),
        (
            "troops near:Belarus",
            "troops within 10 words of Belarus or any mention of it (\"Belarusian\")",
        ),
        (
            "bank near/5:loan, Macron before/5:Putin",
            "a window of 5 words; before: keeps the order",
        ),
        (
            "person:\"Jen Psaki\", place:Kyiv, org:NATO, actor:EU",
            "articles naming the entity, under any alias",
        ),
        (
            "source:reuters, lang:de, title:strike",
            "source, language, title only",
        ),
        (
            "date:2022-02, date:2022-02-01..2022-02-28, date:..2022-03-01",
            "publication day",
        ),
        (
            "mentioned:2022-02-21",
            "articles whose text mentions that day",
        ),
    ];
    html! {
        table {
            thead { tr { th scope="col" { "Query" } th scope="col" { "Finds" } } }
            tbody {
                @for (query, finds) in examples {
                    tr { td { code { (query) } } td { (finds) } }
                }
            }
        }
        p { "Keys: " kbd { "/" } " query, " kbd { "j" } " " kbd { "k" } " next and previous hit, " kbd { "Enter" } " open, " kbd { "n" } " " kbd { "N" } " next and previous match in an article, " kbd { "Esc" } " back." }
    }
}

/// A page saying what went wrong.
pub fn error(status: StatusCode, message: &str) -> Markup {
    let state = PageState {
        query: String::new(),
        sort: Sort::Relevance,
        offset: 0,
        interval: None,
        dates: crate::query::ast::DateField::Published,
        facet: None,
        prefix: String::new(),
        all_copies: false,
    };
    let heading = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "That request is not one this page takes",
        StatusCode::SERVICE_UNAVAILABLE => "The index cannot answer right now",
        _ => "Something went wrong",
    };
    frame(
        heading,
        &state,
        html! {
            main #results .error-page {
                h1 { (heading) }
                p { (message) }
                p { a href="/" { "Start a new search" } }
            }
        },
    )
}
