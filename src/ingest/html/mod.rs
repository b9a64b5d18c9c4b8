//! HTML pages: the title and publication day from the page's metadata ([`meta`]), the
//! body from the main article text without navigation, headers, footers, asides,
//! scripts, styles, comments or share bars ([`body`]).

mod body;
mod meta;
mod published;

use std::sync::LazyLock;

use dom_query::Document;

use crate::clean::Boilerplate;
use crate::model::RawArticle;

/// Reads an HTML page into one article.
/// Elements nested deeper than this would make html5ever's tree builder slow (its work
/// grows with the square of the depth): such a page is read as plain text.
pub const MAX_NESTING: usize = 2_000;

/// Reads a page like [`read_html`], unless its elements nest deeper than
/// [`MAX_NESTING`]: then its markup is stripped and the rest read as text. Says which.
pub fn read_html_bounded(text: &str) -> (RawArticle, bool) {
    if nests_deeper_than(text, MAX_NESTING) {
        return (read_flattened(text), true);
    }
    (read_html(text), false)
}

/// Elements that never hold others.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Does the markup open more than `limit` elements without closing them? (An upper
/// bound: elements the parser would close implicitly still count.)
fn nests_deeper_than(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        let start = at + offset + 1;
        let Some(&next) = bytes.get(start) else { break };
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'>')
            .map_or(bytes.len(), |p| start + p);
        if next == b'/' {
            depth = depth.saturating_sub(1);
        } else if next.is_ascii_alphabetic() {
            let name_end = bytes[start..end]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(end, |p| start + p);
            let name = text[start..name_end].to_ascii_lowercase();
            let self_closing = end > start && bytes[end - 1] == b'/';
            if !self_closing && !VOID_ELEMENTS.contains(&name.as_str()) {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
        }
        at = end.max(start);
    }
    false
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'<')
}

/// A page read without its markup: the `<title>` as title, the text between tags (not
/// scripts or styles) as body.
fn read_flattened(text: &str) -> RawArticle {
    static TITLE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid regex")
    });
    static HIDDEN: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?is)<script[^>]*>.*?</script>|<style[^>]*>.*?</style>")
            .expect("valid regex")
    });
    static TAG: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"<[^>]*>").expect("valid regex"));
    let title = TITLE
        .captures(text)
        .map(|c| collapse_whitespace(&unescape(&c[1])))
        .unwrap_or_default();
    let visible = HIDDEN.replace_all(text, " ");
    let visible = TAG.replace_all(&visible, "\n");
    let lines: Vec<String> = visible
        .lines()
        .map(|l| collapse_whitespace(&unescape(l)))
        .filter(|l| !l.is_empty() && *l != title)
        .collect();
    RawArticle {
        title,
        body: Boilerplate::shipped().clean_body(&lines.join("\n")),
        ..RawArticle::default()
    }
}

/// The character references plain-text reading decodes.
fn unescape(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads an HTML page into one article: metadata first (title, site, address,
/// publication day), then the main text.
pub fn read_html(text: &str) -> RawArticle {
    let document = Document::from(text);
    open_swallowing_noscripts(&document);
    let page = meta::read(&document);
    let body_text = body::main_text(document);
    let body = Boilerplate::shipped().clean_body(&body_text);
    let body = drop_leading_line(&body, &page.title);
    RawArticle {
        title: page.title,
        body,
        url: page.url,
        source: page.site,
        date_hint: page.published,
        ..RawArticle::default()
    }
}

/// A `<noscript>` holding more text than this is not a "please enable JavaScript" note.
const NOSCRIPT_NOTE_BYTES: usize = 1_000;

/// A `<noscript>` left open by a broken page (`<noscript><div></noscript>`) can hold the
/// rest of the page, article included; such a one is read as an ordinary block (renamed
/// `<div>`), so that neither the page's readers nor the scoring pass drop it whole.
fn open_swallowing_noscripts(document: &Document) {
    static NOSCRIPT: std::sync::LazyLock<dom_query::Matcher> =
        std::sync::LazyLock::new(|| meta::matcher("noscript"));
    for node in document.select_matcher(&NOSCRIPT).nodes() {
        if node.text().len() > NOSCRIPT_NOTE_BYTES {
            node.rename("div");
        }
    }
}

pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does one of the element's class or id tokens start with one of `markers`
/// (ASCII case ignored)? A whole token from its start: `share-bar` starts with
/// `share`, `no-sidebar` does not start with `sidebar`.
pub(super) fn has_marked_token(node: &dom_query::NodeRef, markers: &[&str]) -> bool {
    ["class", "id"].iter().any(|attribute| {
        node.attr(attribute).is_some_and(|value| {
            value.split_whitespace().any(|token| {
                markers.iter().any(|m| {
                    token
                        .get(..m.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(m))
                })
            })
        })
    })
}

fn drop_leading_line(body: &str, title: &str) -> String {
    match body.split_once('\n') {
        Some((first, rest)) if first.trim() == title.trim() => rest.trim_start().to_string(),
        None if body.trim() == title.trim() => String::new(),
        _ => body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSource;

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<title>Harbour strike ends | Daily Harbour</title>
<meta property="og:site_name" content="Daily Harbour">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<style>p { color: red }</style><script>var tracking = "Advertisement";</script>
</head><body>
<nav>Home | World | Business</nav>
<header><div class="logo">Daily Harbour</div></header>
<article><h1>Harbour strike ends</h1>
<div class="share-bar">Share on Facebook</div>
<p>Dockers in Portmere returned to work on Tuesday.</p>
<!-- a comment that must not appear -->
<p>The union said talks <b>would</b> continue.</p>
</article>
<aside>Most read: something else</aside>
<footer>&copy; 2024 Daily Harbour</footer>
</body></html>"#;

    #[test]
    fn extracts_title_body_and_metadata() {
        let article = read_html(PAGE);
        assert_eq!(article.title, "Harbour strike ends");
        assert_eq!(
            article.body,
            "Dockers in Portmere returned to work on Tuesday.\n\nThe union said talks would continue."
        );
        assert_eq!(article.source.as_deref(), Some("Daily Harbour"));
        assert_eq!(
            article.date_hint,
            Some(("2024-03-05".to_string(), DateSource::Meta))
        );
    }

    #[test]
    fn json_ld_and_time_elements_date_a_page() {
        let ld = r#"<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2024-09-16T07:00:00Z"}]}</script></head><body><p>Text.</p></body></html>"#;
        assert_eq!(
            read_html(ld).date_hint,
            Some(("2024-09-16".into(), DateSource::Meta))
        );
        let time = r#"<html><body><nav><time datetime="2020-01-01">nav</time></nav><article><time datetime="2023-05-06T10:00">May 6</time><p>Text.</p></article></body></html>"#;
        assert_eq!(
            read_html(time).date_hint,
            Some(("2023-05-06".into(), DateSource::Meta))
        );
    }

    #[test]
    fn a_noscript_left_open_does_not_swallow_the_article() {
        let paragraph = "<p>Rangers counted nine bear cubs in the park this year, the most \
            since monitoring began, and said the population was slowly recovering.</p>";
        let broken = format!(
            "<html><body><noscript><div id=\"nojs\"></noscript><div id=\"page\">\
             <h1>A record year for bears</h1>{}</div></body></html>",
            paragraph.repeat(12)
        );
        let article = read_html(&broken);
        assert!(
            article.body.starts_with("Rangers counted nine bear cubs"),
            "{}",
            article.body
        );
        // A short note for browsers without scripts stays out.
        let note = "<html><body><noscript><p>Please enable JavaScript.</p></noscript>\
            <article><p>Rangers counted nine bear cubs.</p></article></body></html>";
        assert_eq!(read_html(note).body, "Rangers counted nine bear cubs.");
    }

    #[test]
    fn page_without_article_uses_body_and_first_h1() {
        let article =
            read_html("<html><body><h1>Floods in Valdor</h1><p>Rivers rose.</p></body></html>");
        assert_eq!(article.title, "Floods in Valdor");
        assert_eq!(article.body, "Rivers rose.");
    }

    #[test]
    fn unclosed_tags_and_deep_nesting_do_not_break() {
        let mut page = String::from("<html><body><p>Start");
        // html5ever's tree builder is quadratic in nesting depth; a few thousand levels
        // prove the iterative walk without slowing the suite.
        for _ in 0..3_000 {
            page.push_str("<div>");
        }
        page.push_str("deep text");
        let article = read_html(&page);
        assert!(article.body.contains("deep text"));
    }

    #[test]
    fn pages_nested_too_deep_are_read_as_text() {
        let mut page =
            String::from("<html><head><title>Deep &amp; wide</title></head><body><p>Start");
        for _ in 0..100_000 {
            page.push_str("<div>");
        }
        page.push_str("deep text<br><img src=x/>");
        let (article, flattened) = read_html_bounded(&page);
        assert!(flattened);
        assert_eq!(article.title, "Deep & wide");
        assert!(article.body.contains("Start"), "{}", article.body);
        assert!(article.body.contains("deep text"), "{}", article.body);
        // Void and self-closing elements, and closed ones, do not count.
        let mut shallow = String::from("<html><body>");
        for _ in 0..3_000 {
            shallow.push_str("<p>a<br><img src=x/></p>");
        }
        assert!(!read_html_bounded(&shallow).1);
    }
}
