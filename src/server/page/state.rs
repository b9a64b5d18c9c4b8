//! The state of a search page as its URL holds it (SPEC §7: back, reload and a copied
//! link reproduce it), and the links that change one part of it.

use crate::dates::Interval;
use crate::query::ast::DateField;
use crate::search::Sort;
use crate::server::answer::ApiError;
use crate::server::api::FacetKind;
use crate::server::params::Params;

/// The search page's parameters.
pub const SEARCH_PARAMETERS: &[&str] = &[
    "q", "sort", "offset", "interval", "dates", "facet", "prefix", "copies",
];
/// The article page's: its id, and the search it was opened from.
pub const ARTICLE_PARAMETERS: &[&str] =
    &["id", "q", "sort", "offset", "interval", "dates", "copies"];

/// The longest search inside a facet, in characters.
const MAX_PREFIX_CHARS: usize = 100;

/// Hits a page shows.
pub const PAGE_SIZE: usize = 10;

/// What a search page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    pub query: String,
    pub sort: Sort,
    pub offset: usize,
    /// The timeline's buckets; `None` picks one to fit the dates.
    pub interval: Option<Interval>,
    /// Which days the timeline counts.
    pub dates: DateField,
    /// The facet opened in full ("show more", or searched inside).
    pub facet: Option<FacetKind>,
    /// The search inside that facet.
    pub prefix: String,
    /// List every copy of a story (`copies=all`) instead of one hit per story.
    pub all_copies: bool,
}

impl PageState {
    /// Reads a page's parameters.
    pub fn read(params: &Params) -> Result<PageState, ApiError> {
        let interval = match params.get("interval") {
            None | Some("auto") => None,
            Some(_) => Some(params.interval()?),
        };
        let facet = match params.get("facet") {
            None => None,
            Some(_) => Some(params.choice(
                "facet",
                &[
                    ("person", FacetKind::Person),
                    ("place", FacetKind::Place),
                    ("org", FacetKind::Org),
                    ("source", FacetKind::Source),
                ],
                FacetKind::Person,
            )?),
        };
        Ok(PageState {
            query: params.query(false)?,
            sort: params.sort()?,
            offset: params.bounded("offset", 0, crate::server::params::MAX_OFFSET)?,
            interval,
            dates: params.choice(
                "dates",
                &[
                    ("published", DateField::Published),
                    ("mentioned", DateField::Mentioned),
                ],
                DateField::Published,
            )?,
            facet,
            prefix: match params.get("prefix") {
                Some(prefix) if prefix.chars().count() > MAX_PREFIX_CHARS => {
                    return Err(ApiError::parameter(
                        "prefix",
                        format!("prefix must be at most {MAX_PREFIX_CHARS} characters"),
                    ))
                }
                prefix => prefix.unwrap_or_default().to_string(),
            },
            all_copies: params.choice("copies", &[("all", true), ("collapsed", false)], false)?,
        })
    }

    /// The search page for this state (default values left out of the URL).
    pub fn url(&self) -> String {
        format!("/?{}", self.query_string(true))
    }

    /// The article page of `id`, remembering this search.
    pub fn article_url(&self, id: &str) -> String {
        let mut url = form_urlencoded::Serializer::new(String::new());
        url.append_pair("id", id);
        let rest = self.query_string(false);
        let mut text = format!("/article?{}", url.finish());
        if !rest.is_empty() {
            text.push('&');
            text.push_str(&rest);
        }
        text
    }

    fn query_string(&self, with_facet: bool) -> String {
        let mut url = form_urlencoded::Serializer::new(String::new());
        if !self.query.is_empty() {
            url.append_pair("q", &self.query);
        }
        match self.sort {
            Sort::Relevance => {}
            Sort::Newest => {
                url.append_pair("sort", "newest");
            }
            Sort::Oldest => {
                url.append_pair("sort", "oldest");
            }
        }
        if self.offset > 0 {
            url.append_pair("offset", &self.offset.to_string());
        }
        if let Some(interval) = self.interval {
            url.append_pair("interval", interval_name(interval));
        }
        if self.dates == DateField::Mentioned {
            url.append_pair("dates", "mentioned");
        }
        if self.all_copies {
            url.append_pair("copies", "all");
        }
        if with_facet {
            if let Some(facet) = self.facet {
                url.append_pair("facet", facet.as_str());
                if !self.prefix.is_empty() {
                    url.append_pair("prefix", &self.prefix);
                }
            }
        }
        url.finish()
    }

    /// The same search with another query, from its first page.
    pub fn with_query(&self, query: String) -> PageState {
        PageState {
            query,
            offset: 0,
            facet: None,
            prefix: String::new(),
            ..self.clone()
        }
    }

    /// Another page of the same hits.
    pub fn at(&self, offset: usize) -> PageState {
        PageState {
            offset,
            ..self.clone()
        }
    }
}

/// The name of an interval in URLs.
pub fn interval_name(interval: Interval) -> &'static str {
    match interval {
        Interval::Day => "day",
        Interval::Month => "month",
        Interval::Year => "year",
    }
}

/// `dossier search ...` for this state: the command line twin of the page.
pub fn command_line(state: &PageState) -> String {
    let mut words = vec!["dossier".to_string(), "search".to_string()];
    match state.sort {
        Sort::Relevance => {}
        Sort::Newest => words.push("--sort newest".to_string()),
        Sort::Oldest => words.push("--sort oldest".to_string()),
    }
    if state.offset > 0 {
        words.push(format!("--offset {}", state.offset));
    }
    words.push("--facets".to_string());
    if !state.all_copies {
        words.push("--collapse".to_string());
    }
    if let Some(interval) = state.interval {
        words.push(format!("--facet-interval {}", interval_name(interval)));
    }
    words.push("--".to_string());
    words.push(shell_quote(if state.query.is_empty() {
        "date:..9999"
    } else {
        &state.query
    }));
    words.join(" ")
}

/// `text` as one word for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(raw: &str) -> PageState {
        PageState::read(&Params::parse(Some(raw))).unwrap()
    }

    #[test]
    fn the_url_holds_the_whole_state_and_reads_back() {
        let first = state("q=troops+person%3A%22Jen+Psaki%22&sort=newest&offset=20&interval=year&dates=mentioned&facet=place&prefix=bel&copies=all");
        let again = state(first.url().trim_start_matches("/?"));
        assert_eq!(first, again);
        assert_eq!(state("").url(), "/?");
    }

    #[test]
    fn the_command_line_is_quoted_for_a_shell() {
        let line = command_line(&state("q=it%27s+troops&sort=oldest"));
        assert_eq!(
            line,
            "dossier search --sort oldest --facets --collapse -- 'it'\\''s troops'"
        );
    }
}
