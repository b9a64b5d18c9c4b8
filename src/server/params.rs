//! Request parameters: read from the URL's query string once, each checked against the
//! API's limits, with errors that name the parameter and say what it takes.

use super::answer::ApiError;
use crate::dates::Interval;
use crate::search::Sort;

/// The longest query a request may carry, in bytes (SPEC §7: longer is 413).
pub const MAX_QUERY_BYTES: usize = 4096;
/// The most hits (or facet values) a request may ask for (SPEC §7: more is 413).
pub const MAX_HITS: usize = 1000;
/// The largest offset a request may page to.
pub const MAX_OFFSET: usize = u32::MAX as usize;
/// The most passages a hit may be asked for.
pub const MAX_SNIPPETS: usize = 20;

/// The parameters of one request.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses a raw query string (`a=1&b=2`, percent- and plus-decoded).
    pub fn parse(raw: Option<&str>) -> Params {
        let pairs = raw
            .map(|raw| {
                form_urlencoded::parse(raw.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Params { pairs }
    }

    /// Parses a raw query string for a route, refusing parameters it does not take (a
    /// misspelt `?query=` answers with what the route takes, instead of being ignored).
    pub fn of(path: &str, parameters: &[&str], raw: Option<&str>) -> Result<Params, ApiError> {
        let params = Params::parse(raw);
        if let Some((unknown, _)) = params
            .pairs
            .iter()
            .find(|(k, _)| !parameters.contains(&k.as_str()))
        {
            let taken = if parameters.is_empty() {
                "none".to_string()
            } else {
                parameters.join(", ")
            };
            return Err(ApiError::parameter(
                &clip(unknown),
                format!(
                    "{path} takes no parameter \"{}\"; it takes: {taken}",
                    clip(unknown)
                ),
            ));
        }
        Ok(params)
    }

    /// The value of `name` (the first, when given twice).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query `q`, at most [`MAX_QUERY_BYTES`] long; `required` says whether it may be
    /// missing (then empty: every article).
    pub fn query(&self, required: bool) -> Result<String, ApiError> {
        let Some(q) = self.get("q") else {
            return if required {
                Err(ApiError::parameter(
                    "q",
                    "a query is required: add ?q=... (for example ?q=troops)",
                ))
            } else {
                Ok(String::new())
            };
        };
        if q.len() > MAX_QUERY_BYTES {
            return Err(ApiError::TooLarge {
                name: "q".to_string(),
                message: format!(
                    "the query is {} bytes; at most {MAX_QUERY_BYTES} are taken",
                    q.len()
                ),
            });
        }
        if required && q.trim().is_empty() {
            return Err(ApiError::parameter(
                "q",
                "the query is empty: give some words or filters (for example q=troops)",
            ));
        }
        Ok(q.to_string())
    }

    /// A whole number from `0` up: `default` when absent.
    pub fn number(&self, name: &str, default: usize) -> Result<usize, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text.parse::<usize>().map_err(|_| {
                ApiError::parameter(
                    name,
                    format!(
                        "{name} must be a whole number from 0 up, not \"{}\"",
                        clip(text)
                    ),
                )
            }),
        }
    }

    /// A count of hits or values: at most [`MAX_HITS`] (more is 413).
    pub fn count(&self, name: &str, default: usize) -> Result<usize, ApiError> {
        let n = self.number(name, default)?;
        if n > MAX_HITS {
            return Err(ApiError::TooLarge {
                name: name.to_string(),
                message: format!(
                    "{name}={n} asks for too many; at most {MAX_HITS} a request (page with offset for more)"
                ),
            });
        }
        Ok(n)
    }

    /// A number no larger than `max` (larger is a bad parameter).
    pub fn bounded(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let n = self.number(name, default)?;
        if n > max {
            return Err(ApiError::parameter(
                name,
                format!("{name} must be at most {max}, not {n}"),
            ));
        }
        Ok(n)
    }

    /// A switch: `1`/`true` or `0`/`false` (absent: off).
    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some("1" | "true") => Ok(true),
            Some("0" | "false") => Ok(false),
            Some(other) => Err(ApiError::parameter(
                name,
                format!("{name} must be 1 or 0, not \"{}\"", clip(other)),
            )),
        }
    }

    /// One of a fixed set of words.
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
        default: T,
    ) -> Result<T, ApiError> {
        let Some(text) = self.get(name) else {
            return Ok(default);
        };
        choices
            .iter()
            .find(|(word, _)| *word == text)
            .map(|(_, value)| *value)
            .ok_or_else(|| {
                let words: Vec<&str> = choices.iter().map(|(w, _)| *w).collect();
                ApiError::parameter(
                    name,
                    format!(
                        "{name} must be one of {}, not \"{}\"",
                        words.join(", "),
                        clip(text)
                    ),
                )
            })
    }

    /// `sort=relevance|newest|oldest`.
    pub fn sort(&self) -> Result<Sort, ApiError> {
        self.choice(
            "sort",
            &[
                ("relevance", Sort::Relevance),
                ("newest", Sort::Newest),
                ("oldest", Sort::Oldest),
            ],
            Sort::Relevance,
        )
    }

    /// `interval=day|month|year` for the date facets.
    pub fn interval(&self) -> Result<Interval, ApiError> {
        self.choice(
            "interval",
            &[
                ("day", Interval::Day),
                ("month", Interval::Month),
                ("year", Interval::Year),
            ],
            Interval::Month,
        )
    }
}

/// A parameter value as quoted back in a message: short, and only printable characters.
fn clip(text: &str) -> String {
    let shown: String = text.chars().filter(|c| !c.is_control()).take(40).collect();
    if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_decoded_and_the_first_of_two_wins() {
        let params = Params::parse(Some("q=troops+near%3ABelarus&n=5&n=7"));
        assert_eq!(params.get("q"), Some("troops near:Belarus"));
        assert_eq!(params.count("n", 10).unwrap(), 5);
    }

    #[test]
    fn limits_are_413_and_malformed_values_400() {
        let long = format!("q={}", "a".repeat(MAX_QUERY_BYTES + 1));
        assert!(matches!(
            Params::parse(Some(&long)).query(true),
            Err(ApiError::TooLarge { .. })
        ));
        let params = Params::parse(Some("n=1001&offset=-1&facets=yes&sort=best"));
        assert!(matches!(
            params.count("n", 10),
            Err(ApiError::TooLarge { .. })
        ));
        assert!(matches!(
            params.number("offset", 0),
            Err(ApiError::Parameter { .. })
        ));
        assert!(matches!(
            params.flag("facets"),
            Err(ApiError::Parameter { .. })
        ));
        assert!(matches!(params.sort(), Err(ApiError::Parameter { .. })));
        assert!(matches!(
            Params::parse(None).query(true),
            Err(ApiError::Parameter { .. })
        ));
        assert_eq!(Params::parse(None).query(false).unwrap(), "");
    }
}
