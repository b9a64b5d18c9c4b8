//! A page's main text. The container is chosen by `dom_smoothie` (a port of Mozilla's
//! Readability: paragraph and container scores, text and link density, fallbacks from
//! strict to loose cleaning); its content is then read block by block, leaving out what
//! SPEC §1 calls furniture that the container may still hold: share bars, related
//! lists, newsletter boxes, captions, and blocks that are mostly links.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, NodeRef};
use dom_smoothie::{Config, Readability, TextMode};

use super::has_marked_token;
use super::meta::matcher;

static ARTICLE: LazyLock<Matcher> = LazyLock::new(|| matcher("article"));
static MAIN: LazyLock<Matcher> = LazyLock::new(|| matcher("main, [role=main]"));
static DATELINE_CLASS: LazyLock<Matcher> = LazyLock::new(|| matcher("[class*=dateline i]"));
static DATELINE_ID: LazyLock<Matcher> = LazyLock::new(|| matcher("[id*=dateline i]"));

/// Elements whose whole subtree is never article text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "object",
    "embed",
    "canvas",
    "head",
    "figcaption",
];

/// Class or id tokens (the start of one) that mark page furniture inside the article
/// container. Matched as whole tokens from their start, so `share-bar` and
/// `related-posts` are furniture and `no-sidebar` or `l-sidebar-fixed` are not.
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
    "byline",
    "caption",
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
    "figure",
    "br",
    "hr",
];

/// A block shorter than this (in non-space characters) whose text is mostly link text
/// is a list of links, not article text.
const LINK_BLOCK_MAX_CHARS: usize = 300;
/// "Mostly": link characters at least this share of the block's, in tenths.
const LINK_BLOCK_SHARE_TENTHS: usize = 6;

/// The readability pass's minimum article length: shorter news items (a few
/// paragraphs) are common.
const MIN_ARTICLE_CHARS: usize = 250;

/// The main text, blocks on their own lines.
pub fn main_text(document: Document) -> String {
    if let Some(text) = sole_article_text(&document) {
        return trim_tail(&text);
    }
    // Read before the scoring pass rewrites the tree: the fallback for a short pick.
    let container = container_text(&document);
    let config = Config {
        keep_classes: true,
        text_mode: TextMode::Formatted,
        char_threshold: MIN_ARTICLE_CHARS,
        ..Config::default()
    };
    keep_datelines(&document);
    // A failure or panic inside the third-party pass costs this page its scoring only.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        Readability::with_document(document, None, Some(config)).and_then(|mut r| r.parse())
    }));
    let Ok(Ok(article)) = parsed else {
        return container;
    };
    let content = Document::fragment(article.content);
    let walked = block_text(content.root());
    let whole: &str = &article.text_content;
    // Furniture rules that remove most of what the scorer kept misjudged the page.
    let chosen = if walked.trim().is_empty() || walked.len() * 3 < whole.len() {
        whole.to_string()
    } else {
        walked
    };
    // A short pick may be one block of a page whose text the scorer split up (recipes,
    // product pages, short news): the page's article container, if much longer, wins.
    if chosen.len() < SHORT_PICK_BYTES && container.len() > chosen.len() * SHORT_PICK_FACTOR {
        return trim_tail(&container);
    }
    trim_tail(&chosen)
}

/// A line of the article's prose: long, or a sentence.
fn is_prose(line: &str) -> bool {
    let chars = line.chars().count();
    chars >= PROSE_LINE_CHARS
        || (chars >= PROSE_SENTENCE_CHARS
            && line.ends_with(['.', '!', '?', '"', '\u{201d}', '\u{bb}', ')', ':']))
}

/// A line this long is prose whatever it ends with.
const PROSE_LINE_CHARS: usize = 100;
/// A line this long is prose when it ends a sentence.
const PROSE_SENTENCE_CHARS: usize = 20;

/// The text without the short lines after its last line of prose: tag lists,
/// "Kontakt", author names, share prompts and dates that the container still held.
/// (Cutting the short lines before the first line of prose as well lost more article
/// text than furniture on the dev pages: recall 0.924 to 0.905.) Text with no line of
/// prose is kept whole.
fn trim_tail(text: &str) -> String {
    let mut end = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if is_prose(line.trim()) {
            end = Some(offset + line.trim_end().len());
        }
        offset += line.len();
    }
    match end {
        Some(end) => text[..end].to_string(),
        None => text.to_string(),
    }
}

/// The text of a page's only `<article>` when that is plainly the article: it holds
/// most of the page's paragraph text and is not mostly links. Such a page (semantic
/// markup, as most news sites write) needs no scoring pass, which costs more than
/// parsing the page.
fn sole_article_text(document: &Document) -> Option<String> {
    let articles = document.select_matcher(&ARTICLE);
    let [article] = articles.nodes() else {
        return None;
    };
    let paragraphs = |root: &NodeRef| -> usize {
        root.descendants_it()
            .filter(|n| n.has_name("p"))
            .map(|p| p.text().len())
            .sum()
    };
    let inside = paragraphs(article);
    let everywhere = document.body().map_or(0, |b| paragraphs(&b));
    if inside < SOLE_ARTICLE_MIN_BYTES || inside * 10 < everywhere * SOLE_ARTICLE_SHARE_TENTHS {
        return None;
    }
    let text = block_text(*article);
    (text.len() >= SOLE_ARTICLE_MIN_BYTES).then_some(text)
}

/// Paragraph text an only `<article>` needs to be taken without scoring.
const SOLE_ARTICLE_MIN_BYTES: usize = 150;
/// Share of the page's paragraph text it must hold, in tenths.
const SOLE_ARTICLE_SHARE_TENTHS: usize = 8;

/// Below this many bytes the scorer's pick is checked against the article container.
const SHORT_PICK_BYTES: usize = 2_000;
/// How many times longer the container must be to replace a short pick.
const SHORT_PICK_FACTOR: usize = 2;

/// Readability takes an element marked `dateline` for the byline and removes it; a
/// dateline ("TOKYO, March 17 -") opens the article's text (SPEC §2 dates by it), so
/// the mark is taken off first.
fn keep_datelines(document: &Document) {
    for attribute in ["class", "id"] {
        let marked = if attribute == "class" {
            &DATELINE_CLASS
        } else {
            &DATELINE_ID
        };
        for node in document.select_matcher(marked).nodes() {
            node.remove_attr(attribute);
        }
    }
}

/// The text of the page's `<article>` with the most text, else `<main>`, else the
/// body: the walk used when the scoring pass finds no article.
fn container_text(document: &Document) -> String {
    let biggest_article = document
        .select_matcher(&ARTICLE)
        .nodes()
        .iter()
        .max_by_key(|a| a.text().len())
        .cloned();
    let container = biggest_article
        .or_else(|| document.select_matcher(&MAIN).nodes().first().cloned())
        .or_else(|| document.body())
        .unwrap_or_else(|| document.root());
    block_text(container)
}

/// The text under `root`, block elements on their own lines, furniture left out. The
/// walk is iterative so deeply nested pages cannot overflow the stack.
fn block_text(root: NodeRef) -> String {
    let mut out = String::new();
    let mut stack: Vec<(NodeRef, bool)> = root.children_it(true).map(|c| (c, false)).collect();
    while let Some((node, leaving)) = stack.pop() {
        if leaving {
            out.push('\n');
            continue;
        }
        if node.is_text() {
            push_text(&mut out, &node.text());
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.node_name().unwrap_or_default();
        if SKIPPED_ELEMENTS.contains(&&*name) || is_marked_furniture(&node) {
            continue;
        }
        if BLOCK_ELEMENTS.contains(&&*name) {
            if is_link_list(&node) {
                continue;
            }
            out.push('\n');
            stack.push((node, true));
        }
        stack.extend(node.children_it(true).map(|c| (c, false)));
    }
    out
}

fn is_marked_furniture(node: &NodeRef) -> bool {
    node.has_attr("hidden") || has_marked_token(node, FURNITURE_MARKERS)
}

/// A short block whose text is mostly the text of its links. Counting stops past
/// [`LINK_BLOCK_MAX_CHARS`], so a long block costs no more than a short one.
fn is_link_list(node: &NodeRef) -> bool {
    let mut total = 0;
    let mut linked = 0;
    let mut stack: Vec<(NodeRef, bool)> = vec![(*node, false)];
    while let Some((current, in_link)) = stack.pop() {
        if current.is_text() {
            let count = current
                .text()
                .chars()
                .filter(|c| !c.is_whitespace())
                .count();
            total += count;
            if in_link {
                linked += count;
            }
            if total >= LINK_BLOCK_MAX_CHARS {
                return false;
            }
            continue;
        }
        if current.is_element() || current.is_document() || current.is_fragment() {
            let in_link = in_link || current.has_name("a");
            stack.extend(current.children_it(true).map(|c| (c, in_link)));
        }
    }
    total > 0 && linked * 10 >= total * LINK_BLOCK_SHARE_TENTHS
}

fn push_text(out: &mut String, text: &str) {
    let starts_with_space = text.starts_with(char::is_whitespace);
    let ends_with_space = text.ends_with(char::is_whitespace);
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        if starts_with_space && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        return;
    };
    if starts_with_space && !out.ends_with([' ', '\n']) && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(first);
    for word in words {
        out.push(' ');
        out.push_str(word);
    }
    if ends_with_space {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body as the page reader keeps it (this module's text, then the shipped
    /// boilerplate rules).
    fn text_of(page: &str) -> String {
        let lines: Vec<String> = super::super::read_html(page)
            .body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        lines.join("\n")
    }

    const PARAGRAPHS: &str = "<p>The harbour authority of Portmere said on Tuesday that the strike by dockers, which had closed the port for nine days, was over after the union accepted a new offer on pay and hours.</p>
        <p>Ships that had waited at anchor outside the breakwater began to move into the inner basin in the afternoon, and the first containers were unloaded before dark, officials said.</p>
        <p>The union's regional secretary said members had voted by a wide margin to return, but warned that talks on pensions would continue through the spring.</p>";

    #[test]
    fn short_lines_after_the_last_paragraph_are_left_out() {
        let page = format!(
            r#"<html><body><article>{PARAGRAPHS}<div class="tags"><span>Harbour</span> <span>Strike</span></div><p>Kontakt</p><p>Anna Berg</p></article></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.ends_with("through the spring."), "{text}");
        // A short item with no paragraph of prose is kept whole.
        let short = "<html><body><article><p>Port closed</p><p>Storm</p></article></body></html>";
        assert_eq!(
            main_text(Document::from(short)).split_whitespace().count(),
            3
        );
    }

    #[test]
    fn a_dateline_paragraph_stays_in_the_text() {
        let page = format!(
            r#"<html><body><article><h1>Strike ends</h1><p class="dateline">PORTMERE, March 17 -</p>{PARAGRAPHS}</article></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.starts_with("PORTMERE, March 17 -"), "{text}");
    }

    #[test]
    fn class_tokens_not_substrings_mark_furniture() {
        let page = format!(
            r#"<html><body class="no-sidebar menu-type-dropdownmenu"><div class="l-sidebar-fixed subType-unsubscribed">
            <article>{PARAGRAPHS}<div class="share-bar"><a href="/s">Share on Facebook</a></div></article></div></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.contains("harbour authority of Portmere"), "{text}");
        assert!(text.contains("talks on pensions"), "{text}");
        assert!(!text.contains("Share on Facebook"), "{text}");
    }

    #[test]
    fn a_form_around_the_whole_page_keeps_the_text() {
        let page = format!(
            r#"<html><body><form id="aspnetForm" action="/x"><div id="content">{PARAGRAPHS}</div></form></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.contains("first containers were unloaded"), "{text}");
    }

    #[test]
    fn an_empty_article_element_does_not_win_over_the_text() {
        let page = format!(
            r#"<html><body><article class="teaser"></article><div class="story-body">{PARAGRAPHS}</div></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.contains("regional secretary"), "{text}");
    }

    #[test]
    fn a_page_without_article_drops_menus_related_lists_and_footers() {
        let page = format!(
            r#"<html><body><div class="top"><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li><li><a href="/b">Business</a></li></ul></div>
            <div id="main"><h1>Strike ends</h1>{PARAGRAPHS}
            <div class="more"><h3>More news</h3><ul><li><a href="/1">Bridge reopens after repairs</a></li><li><a href="/2">Council sets budget</a></li></ul></div></div>
            <div id="foot">Copyright Portmere Post. All rights reserved.</div></body></html>"#
        );
        let text = text_of(&page);
        assert!(text.contains("harbour authority"), "{text}");
        assert!(!text.contains("Bridge reopens"), "{text}");
        assert!(!text.contains("Business"), "{text}");
        assert!(!text.contains("All rights reserved"), "{text}");
    }
}
