//! HTML pages: the title from metadata, the body from the main article text without
//! navigation, headers, footers, asides, scripts, styles, comments or share bars.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use crate::clean::Boilerplate;
use crate::model::{DateSource, RawArticle};

/// Elements whose whole subtree is never article text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "nav", "header", "footer", "aside", "script", "style", "noscript", "template", "form",
    "iframe", "svg", "button", "select", "textarea", "object", "embed", "canvas", "head",
];

/// Class or id fragments that mark page furniture rather than article text.
const FURNITURE_MARKERS: &[&str] = &[
    "share",
    "social",
    "related",
    "comment",
    "newsletter",
    "advert",
    "promo",
    "breadcrumb",
    "subscribe",
    "cookie",
    "sidebar",
    "menu",
    "popup",
    "recommend",
    "outbrain",
    "taboola",
];

/// Elements that end a line of text.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
    "br",
    "hr",
];

/// Meta tags that carry a publication time, best first.
const DATE_META: &[(&str, &str)] = &[
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "date"),
    ("name", "dc.date"),
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("built-in selector {css:?} is invalid: {e}"))
}

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

pub fn read_html(text: &str) -> RawArticle {
    let document = Html::parse_document(text);
    let site = meta_content(&document, "property", "og:site_name");
    let body_text = main_text(&document);
    let title = page_title(&document, site.as_deref());
    let body = Boilerplate::shipped().clean_body(&body_text);
    let body = drop_leading_line(&body, &title);
    RawArticle {
        title,
        body,
        url: meta_content(&document, "property", "og:url").or_else(|| canonical_url(&document)),
        source: site,
        date_hint: publication_hint(&document),
        ..RawArticle::default()
    }
}

fn meta_content(document: &Html, attribute: &str, value: &str) -> Option<String> {
    static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
    document
        .select(&META)
        .find(|m| {
            m.value()
                .attr(attribute)
                .is_some_and(|a| a.eq_ignore_ascii_case(value))
        })
        .and_then(|m| m.value().attr("content"))
        .map(collapse_whitespace)
        .filter(|c| !c.is_empty())
}

fn canonical_url(document: &Html) -> Option<String> {
    static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel=canonical]"));
    document
        .select(&CANONICAL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(str::to_string)
}

fn publication_hint(document: &Html) -> Option<(String, DateSource)> {
    static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
    static ITEMPROP: LazyLock<Selector> = LazyLock::new(|| selector("[itemprop=datePublished]"));
    let from_meta = DATE_META
        .iter()
        .find_map(|(attribute, value)| meta_content(document, attribute, value));
    let from_itemprop = || {
        document.select(&ITEMPROP).find_map(|e| {
            e.value()
                .attr("content")
                .or_else(|| e.value().attr("datetime"))
                .map(str::to_string)
        })
    };
    let from_time = || {
        document
            .select(&TIME)
            .find(|t| !inside_furniture(*t))
            .and_then(|t| t.value().attr("datetime"))
            .map(str::to_string)
    };
    from_meta
        .or_else(|| json_ld_published(document))
        .or_else(from_itemprop)
        .or_else(from_time)
        .map(|d| (d, DateSource::Meta))
}

/// `datePublished` anywhere in the page's JSON-LD blocks (an object, an array, or an
/// `@graph`).
fn json_ld_published(document: &Html) -> Option<String> {
    static LD: LazyLock<Selector> =
        LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));
    document.select(&LD).find_map(|script| {
        let text: String = script.text().collect();
        let value: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
        find_string_key(&value, "datePublished", 0)
    })
}

/// The first string under `key` in a JSON tree, looked for breadth-first enough for
/// JSON-LD and bounded in depth.
fn find_string_key(value: &serde_json::Value, key: &str, depth: usize) -> Option<String> {
    const MAX_DEPTH: usize = 8;
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(|v| v.as_str().map(str::to_string))
            .or_else(|| {
                (depth < MAX_DEPTH)
                    .then(|| {
                        map.values()
                            .find_map(|v| find_string_key(v, key, depth + 1))
                    })
                    .flatten()
            }),
        serde_json::Value::Array(items) if depth < MAX_DEPTH => items
            .iter()
            .find_map(|v| find_string_key(v, key, depth + 1)),
        _ => None,
    }
}

fn page_title(document: &Html, site: Option<&str>) -> String {
    static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
    static H1: LazyLock<Selector> = LazyLock::new(|| selector("h1"));
    if let Some(og) = meta_content(document, "property", "og:title") {
        return og;
    }
    let h1 = document.select(&H1).next().map(element_text);
    let title = document.select(&TITLE).next().map(element_text);
    match (title, h1) {
        (Some(title), h1) if !title.is_empty() => strip_site_suffix(&title, site, h1.as_deref()),
        (_, Some(h1)) => h1,
        _ => String::new(),
    }
}

/// "Headline | Site" -> "Headline" when the suffix is the site name or the page's h1 is
/// the headline.
fn strip_site_suffix(title: &str, site: Option<&str>, h1: Option<&str>) -> String {
    for separator in [" | ", " - ", " – ", " — "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail_is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()));
            if tail_is_site || h1.is_some_and(|h| h.trim() == head.trim()) {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn element_text(element: ElementRef) -> String {
    collapse_whitespace(&element.text().collect::<String>())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_furniture(element: &scraper::node::Element) -> bool {
    let name = element.name();
    if SKIPPED_ELEMENTS.contains(&name) {
        return true;
    }
    let marked = |value: Option<&str>| {
        value.is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            FURNITURE_MARKERS.iter().any(|m| v.contains(m))
        })
    };
    marked(element.attr("class")) || marked(element.attr("id")) || element.attr("hidden").is_some()
}

fn inside_furniture(element: ElementRef) -> bool {
    element
        .ancestors()
        .filter_map(|n| n.value().as_element())
        .any(is_furniture)
}

/// The container holding the article: the `<article>` with the most text, else
/// `<main>`, else `[role=main]`, else `<body>`, else the whole document.
fn main_container(document: &Html) -> NodeRef<'_, Node> {
    static ARTICLE: LazyLock<Selector> = LazyLock::new(|| selector("article"));
    static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main, [role=main]"));
    static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
    let biggest_article = document
        .select(&ARTICLE)
        .filter(|a| !inside_furniture(*a))
        .max_by_key(|a| a.text().map(str::len).sum::<usize>());
    biggest_article
        .or_else(|| document.select(&MAIN).next())
        .or_else(|| document.select(&BODY).next())
        .map(|e| *e)
        .unwrap_or_else(|| document.tree.root())
}

/// The container's text, block elements on their own lines, furniture left out. The
/// walk is iterative so deeply nested pages cannot overflow the stack.
fn main_text(document: &Html) -> String {
    let mut out = String::new();
    let mut stack: Vec<(NodeRef<'_, Node>, bool)> = vec![(main_container(document), false)];
    while let Some((node, leaving)) = stack.pop() {
        if leaving {
            out.push('\n');
            continue;
        }
        match node.value() {
            Node::Text(text) => push_text(&mut out, text),
            Node::Element(element) => {
                if is_furniture(element) {
                    continue;
                }
                if BLOCK_ELEMENTS.contains(&element.name()) {
                    out.push('\n');
                    stack.push((node, true));
                }
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            Node::Document | Node::Fragment => {
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    out
}

fn push_text(out: &mut String, text: &str) {
    let starts_with_space = text.starts_with(char::is_whitespace);
    let ends_with_space = text.ends_with(char::is_whitespace);
    let words = collapse_whitespace(text);
    if words.is_empty() {
        if starts_with_space && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        return;
    }
    if starts_with_space && !out.ends_with([' ', '\n']) && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&words);
    if ends_with_space {
        out.push(' ');
    }
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
            Some(("2024-03-05T09:30:00Z".to_string(), DateSource::Meta))
        );
    }

    #[test]
    fn json_ld_and_time_elements_date_a_page() {
        let ld = r#"<html><head><script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2024-09-16T07:00:00Z"}]}</script></head><body><p>Text.</p></body></html>"#;
        assert_eq!(
            read_html(ld).date_hint,
            Some(("2024-09-16T07:00:00Z".into(), DateSource::Meta))
        );
        let time = r#"<html><body><nav><time datetime="2020-01-01">nav</time></nav><article><time datetime="2023-05-06T10:00">May 6</time><p>Text.</p></article></body></html>"#;
        assert_eq!(
            read_html(time).date_hint,
            Some(("2023-05-06T10:00".into(), DateSource::Meta))
        );
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
