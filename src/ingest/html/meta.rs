//! What a page says about itself: its title, site, address and language, and (through
//! [`super::published`]) its publication day.

use std::sync::LazyLock;

use dom_query::{Document, Matcher};

use super::{collapse_whitespace, published};
use crate::model::DateSource;

/// A built-in CSS selector, compiled once.
pub(super) fn matcher(css: &str) -> Matcher {
    Matcher::new(css).unwrap_or_else(|e| panic!("built-in selector {css:?} is invalid: {e:?}"))
}

static META: LazyLock<Matcher> = LazyLock::new(|| matcher("meta"));
static CANONICAL: LazyLock<Matcher> = LazyLock::new(|| matcher("link[rel=canonical]"));
static H1: LazyLock<Matcher> = LazyLock::new(|| matcher("h1"));
static TITLE: LazyLock<Matcher> = LazyLock::new(|| matcher("title"));
static HTML: LazyLock<Matcher> = LazyLock::new(|| matcher("html"));

/// A page's own metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    pub title: String,
    pub site: Option<String>,
    pub url: Option<String>,
    /// The publication day as `YYYY-MM-DD`, and where it came from.
    pub published: Option<(String, DateSource)>,
}

/// Reads a parsed page's metadata (before its body is extracted, which changes the tree).
pub fn read(document: &Document) -> PageMeta {
    let metas = Metas::read(document);
    let site = metas.first(&["og:site_name"]);
    let url = metas.first(&["og:url"]).or_else(|| canonical_url(document));
    let title = page_title(document, &metas, site.as_deref());
    let language = language_tag(document, &metas, url.as_deref());
    let published = published::publication(document, &metas, url.as_deref(), language.as_deref())
        .map(|(day, source)| (day.to_string(), source));
    PageMeta {
        title,
        site,
        url,
        published,
    }
}

/// The page's meta tags as (key, content), key being the lower-case `property`, `name`
/// or `itemprop`.
pub(super) struct Metas(Vec<(String, String)>);

impl Metas {
    fn read(document: &Document) -> Metas {
        let mut metas = Vec::new();
        for node in document.select_matcher(&META).nodes() {
            let Some(content) = node.attr("content") else {
                continue;
            };
            let content = collapse_whitespace(&content);
            if content.is_empty() {
                continue;
            }
            for attribute in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(key) = node.attr(attribute) {
                    metas.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        Metas(metas)
    }

    /// Every (key, content), in the page's order.
    pub(super) fn entries(&self) -> &[(String, String)] {
        &self.0
    }

    /// The content of the first tag under any of `keys`, in the order of `keys`.
    fn first(&self, keys: &[&str]) -> Option<String> {
        self.all(keys).next()
    }

    /// Every content under `keys`, in the order of `keys`, then of the page.
    pub(super) fn all<'a>(&'a self, keys: &'a [&'a str]) -> impl Iterator<Item = String> + 'a {
        keys.iter().flat_map(move |key| {
            self.0
                .iter()
                .filter(move |(k, _)| k == key)
                .map(|(_, v)| v.clone())
        })
    }
}

fn canonical_url(document: &Document) -> Option<String> {
    document
        .select_matcher(&CANONICAL)
        .nodes()
        .iter()
        .find_map(|l| l.attr("href"))
        .map(|href| href.trim().to_string())
        .filter(|href| !href.is_empty())
}

/// `og:title`, else `<title>` without the site's name, else the first `<h1>`.
fn page_title(document: &Document, metas: &Metas, site: Option<&str>) -> String {
    let h1 = document
        .select_matcher(&H1)
        .nodes()
        .first()
        .map(|h| collapse_whitespace(&h.text()))
        .filter(|h| !h.is_empty());
    let og = metas.first(&["og:title"]);
    let title = document
        .select_matcher(&TITLE)
        .nodes()
        .first()
        .map(|t| collapse_whitespace(&t.text()))
        .filter(|t| !t.is_empty());
    match (og.or(title), h1) {
        (Some(title), h1) => strip_site_suffix(&title, site, h1.as_deref()),
        (None, Some(h1)) => h1,
        (None, None) => String::new(),
    }
}

/// "Headline | Site" -> "Headline" when the suffix is the site name, or the part kept
/// is the page's `<h1>`.
fn strip_site_suffix(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    const SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " / "];
    // "Headline - Section - Site" whose h1 is "Headline".
    if let Some(h1) = h1.map(str::trim).filter(|h| !h.is_empty()) {
        if let Some(rest) = title.strip_prefix(h1) {
            if SEPARATORS.iter().any(|s| rest.starts_with(s)) {
                return h1.to_string();
            }
        }
    }
    for separator in SEPARATORS {
        // "Headline | example.com": a host name is a site name.
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail = tail.trim();
            let host_like = tail.contains('.')
                && !tail.contains(' ')
                && tail.rsplit('.').next().is_some_and(|tld| {
                    (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic())
                });
            if host_like && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    for separator in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail_is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()));
            if tail_is_site || h1.is_some_and(|h| h.trim() == head.trim()) {
                return head.trim().to_string();
            }
        }
        if let Some((head, tail)) = title.split_once(separator) {
            // "Site | Headline" with the h1 as the headline.
            let head_is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(head.trim()));
            if head_is_site || h1.is_some_and(|h| h.trim() == tail.trim()) {
                return tail.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The page's language tag (`<html lang>`, else `og:locale` or a language meta).
/// Without either, the language of the country domain of the page's address, for the
/// domains whose countries write one language and one time zone.
fn language_tag(document: &Document, metas: &Metas, url: Option<&str>) -> Option<String> {
    document
        .select_matcher(&HTML)
        .nodes()
        .first()
        .and_then(|h| h.attr("lang"))
        .map(|l| l.to_string())
        .filter(|l| !l.trim().is_empty())
        .or_else(|| metas.first(&["og:locale", "content-language", "language"]))
        .or_else(|| url.and_then(country_domain_language).map(str::to_string))
}

/// The language of a country domain (`.de`, `.it`, ...), for reading that country's
/// dates.
fn country_domain_language(url: &str) -> Option<&'static str> {
    const DOMAINS: &[(&str, &str)] = &[
        ("de", "de"),
        ("at", "de"),
        ("fr", "fr"),
        ("it", "it"),
        ("es", "es"),
        ("pl", "pl"),
        ("nl", "nl"),
        ("cz", "cs"),
        ("sk", "sk"),
        ("hu", "hu"),
        ("hr", "hr"),
        ("si", "sl"),
        ("se", "sv"),
        ("dk", "da"),
        ("no", "no"),
    ];
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let top = host.rsplit('.').next()?.to_ascii_lowercase();
    DOMAINS
        .iter()
        .find(|(domain, _)| *domain == top)
        .map(|(_, language)| *language)
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    #[test]
    fn titles_without_the_site_name() {
        let page = r#"<html><head><title>Harbour strike ends | Daily Harbour</title>
            <meta property="og:site_name" content="Daily Harbour"></head><body></body></html>"#;
        assert_eq!(read(&Document::from(page)).title, "Harbour strike ends");
        let first = r#"<html><head><title>Daily Harbour - Harbour strike ends</title></head><body><h1>Harbour strike ends</h1></body></html>"#;
        assert_eq!(read(&Document::from(first)).title, "Harbour strike ends");
        let sections = r#"<html><head><title>Harbour strike ends - Ports - Daily Harbour</title></head><body><h1>Harbour strike ends</h1></body></html>"#;
        assert_eq!(read(&Document::from(sections)).title, "Harbour strike ends");
        let host = r#"<html><head><title>Harbour strike ends | DailyHarbour.com</title></head><body></body></html>"#;
        assert_eq!(read(&Document::from(host)).title, "Harbour strike ends");
    }
}
