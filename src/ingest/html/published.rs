//! A page's publication day, looked for in order of trust; a piece of evidence that does
//! not parse gives way to the next (SPEC §2): date meta tags, JSON-LD (`datePublished`,
//! `dateCreated`, in `@graph` too), `itemprop="datePublished"`, other date metas,
//! `<time>` in the article (its header included), a date in the page's address, then
//! the dates the page shows (a labelled date, a date or byline element, a date line
//! after the headline), the modification meta, a today widget (the day the page was
//! saved), and last the first plausible date of the visible text.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, NodeRef};
use regex::Regex;

use super::has_marked_token;
use super::meta::{matcher, Metas};
use crate::dates::{self, DayMonthOrder, SiteZone};
use crate::model::DateSource;

static DATE_PUBLISHED: LazyLock<Matcher> = LazyLock::new(|| matcher("[itemprop=datePublished]"));
static SCRIPT: LazyLock<Matcher> = LazyLock::new(|| matcher("script"));
static TIME: LazyLock<Matcher> = LazyLock::new(|| matcher("time"));
static BODY_ELEMENTS: LazyLock<Matcher> = LazyLock::new(|| matcher("body *"));
static BODY_H1: LazyLock<Matcher> = LazyLock::new(|| matcher("body h1"));

/// Meta tags (by `property`, `name` or `itemprop`, lower-case) that carry a publication
/// time, best first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "citation_publication_date",
    "citation_date",
    "originalpublicationdate",
    "article.published",
    "datecreated",
    "created",
];

/// Meta tags that say when a page last changed: the last resort among the page's own
/// dates (a news page is most often changed on the day it ran).
const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
];

/// Ancestors that make a date (or a `<time>`) belong to something else than the
/// article: navigation, page footers, asides.
const NOT_THE_ARTICLE: &[&str] = &["nav", "footer", "aside"];

/// Class or id token prefixes of blocks whose dates are not the article's: comments,
/// related lists, widgets. Looked for on the element and its close ancestors only
/// ([`MARKED_ANCESTOR_DEPTH`]): a page may wrap its article in a `#sidebar` layout
/// column.
const OTHER_CONTENT_MARKERS: &[&str] = &[
    "comment",
    "related",
    "recommend",
    "sidebar",
    "widget",
    "footer",
    "more-",
    "popular",
    "trending",
];

/// How many ancestors up a class or id marker still says where a date belongs.
const MARKED_ANCESTOR_DEPTH: usize = 2;

/// Class or id fragments of elements that hold an article's date or byline.
const DATE_ELEMENT_MARKERS: &[&str] = &[
    "date", "time", "publish", "posted", "byline", "meta", "datum", "fecha", "data", "info",
    "author", "autor",
];

/// Class or id fragments of a site header's today widget.
const TODAY_WIDGET_MARKERS: &[&str] = &["today", "weather", "clock", "current-date", "currentdate"];

/// Longest text of an element read as a date element.
const MAX_DATE_ELEMENT_CHARS: usize = 200;

/// How much text after the headline is searched for a date line.
const DATE_LINE_WINDOW_CHARS: usize = 800;

/// The publication day of a parsed page, with where it came from; `language` is the
/// page's language tag, which says how to read numeric dates and UTC times.
pub(super) fn publication(
    document: &Document,
    metas: &Metas,
    url: Option<&str>,
    language: Option<&str>,
) -> Option<(Day, DateSource)> {
    let reading = DateReading {
        order: language.map_or(DayMonthOrder::Unknown, DayMonthOrder::for_language_tag),
        zone: language.map_or(SiteZone::Unknown, SiteZone::for_language_tag),
    };
    published(document, metas, url, reading)
}

/// How the page's language says to read its dates: numeric day/month order, and the
/// zone for timestamps given in UTC.
#[derive(Debug, Clone, Copy)]
struct DateReading {
    order: DayMonthOrder,
    zone: SiteZone,
}

type Day = jiff::civil::Date;

/// The publication day from the best evidence that parses.
fn published(
    document: &Document,
    metas: &Metas,
    url: Option<&str>,
    reading: DateReading,
) -> Option<(Day, DateSource)> {
    let order = reading.order;
    let parse = |text: &str| dates::parse_published_at(text, order, reading.zone);
    let meta = || metas.all(PUBLISHED_META).find_map(|v| parse(&v));
    let json_ld = || json_ld_date(document, &["datePublished", "dateCreated"], reading);
    let itemprop = || {
        document
            .select_matcher(&DATE_PUBLISHED)
            .nodes()
            .iter()
            .find_map(|e| {
                let value = e
                    .attr("content")
                    .or_else(|| e.attr("datetime"))
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| e.text().to_string());
                parse(&value)
            })
    };
    // Any other meta tag that names a publication or creation date.
    let other_meta = || {
        metas
            .entries()
            .iter()
            .filter(|(key, _)| {
                (key.contains("date") || key.contains("publish") || key.contains("created"))
                    && !key.contains("modif")
                    && !key.contains("updat")
            })
            .find_map(|(_, value)| parse(value))
    };
    let from_url = || url.and_then(url_date);
    let modified = || {
        metas
            .all(MODIFIED_META)
            .find_map(|v| parse(&v))
            .or_else(|| json_ld_date(document, &["dateModified"], reading))
    };
    if let Some(day) = meta()
        .or_else(json_ld)
        .or_else(itemprop)
        .or_else(other_meta)
        .or_else(|| time_element(document, reading))
        .or_else(from_url)
    {
        return Some((day, DateSource::Meta));
    }
    let visible = visible_date(document, order);
    if let Some((day, DateSource::Text)) = visible {
        return Some((day, DateSource::Text));
    }
    // A page with a today widget shows that day before any other: the widget's day,
    // which says what it is, is a better guess than the first date of the text.
    modified()
        .map(|day| (day, DateSource::Meta))
        .or(visible)
        .or_else(|| first_visible_date(document, order).map(|day| (day, DateSource::Text)))
}

/// The first date under one of `keys` in the page's JSON-LD blocks that parses. Read
/// by pattern, not as JSON: pages often carry JSON-LD that is not valid JSON.
fn json_ld_date(document: &Document, keys: &[&str], reading: DateReading) -> Option<Day> {
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]{4,60})""#)
            .unwrap_or_else(|e| panic!("built-in JSON-LD pattern is invalid: {e}"))
    });
    // Some pages leave out the script's `type`: any script with a JSON-LD context.
    let blocks: Vec<String> = document
        .select_matcher(&SCRIPT)
        .nodes()
        .iter()
        .filter(|s| {
            s.attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
                || (s.attr("type").is_none() && s.text().contains("\"@context\""))
        })
        .map(|s| s.text().to_string())
        .collect();
    keys.iter().find_map(|key| {
        blocks.iter().find_map(|block| {
            FIELD
                .captures_iter(block)
                .filter(|c| &c[1] == *key)
                .find_map(|c| dates::parse_published_at(&c[2], reading.order, reading.zone))
        })
    })
}

/// A `<time>` of the article: one marked as the publication time (`pubdate`, a
/// class naming it) first, else the first outside navigation, comments and related
/// lists.
fn time_element(document: &Document, reading: DateReading) -> Option<Day> {
    let times: Vec<NodeRef> = document
        .select_matcher(&TIME)
        .nodes()
        .iter()
        .filter(|t| !outside_the_article(t))
        .cloned()
        .collect();
    let read = |t: &NodeRef| {
        t.attr("datetime")
            .and_then(|d| dates::parse_published_at(&d, reading.order, reading.zone))
            .or_else(|| dates::written_date(&t.text(), reading.order))
    };
    let marked = |t: &NodeRef| {
        t.has_attr("pubdate")
            || t.attr("class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("publish") || c.contains("entry-date") || c.contains("post-date")
            })
    };
    times
        .iter()
        .filter(|t| marked(t))
        .find_map(read)
        .or_else(|| times.iter().find_map(read))
}

/// A day in the page's address: `/2022/02/21/`, `/2022-02-21-title`, `/20220221/`.
fn url_date(url: &str) -> Option<Day> {
    static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d{6})(?:/|[-_.]|$)")
            .unwrap_or_else(|e| panic!("built-in URL date pattern is invalid: {e}"))
    });
    let path = url.split(['?', '#']).next().unwrap_or(url);
    dates::publication::path_date(path).or_else(|| {
        COMPACT
            .captures_iter(path)
            .find_map(|c| dates::parse_published(&c[1]))
    })
}

/// A date shown on the page: after a date label, in an element whose class or id names
/// a date, time or byline, in the text just after the headline, or in an element that
/// holds little else. A date in a today widget is the day the page was saved.
fn visible_date(document: &Document, order: DayMonthOrder) -> Option<(Day, DateSource)> {
    if let Some(day) = labelled_date(document, order) {
        return Some((day, DateSource::Text));
    }
    let mut saved = None;
    for node in document.select_matcher(&BODY_ELEMENTS).nodes() {
        let Some(marks) = class_and_id(node) else {
            continue;
        };
        if !DATE_ELEMENT_MARKERS.iter().any(|m| marks.contains(m)) {
            continue;
        }
        let text = node.text();
        if text.chars().count() > MAX_DATE_ELEMENT_CHARS || outside_the_article(node) {
            continue;
        }
        let Some(day) = dates::written_date(&text, order) else {
            continue;
        };
        if is_today_widget(node) {
            saved.get_or_insert(day);
            continue;
        }
        return Some((day, DateSource::Text));
    }
    if let Some(day) = date_line_after_headline(document, order) {
        return Some((day, DateSource::Text));
    }
    if let Some(day) = date_only_element(document, order) {
        return Some((day, DateSource::Text));
    }
    saved.map(|day| (day, DateSource::Saved))
}

/// Words that introduce an article's date: "Erstellt am: 30.01.2022", "Published on
/// March 3, 2021", "Publié le 4 juin 2021", "Stand: 19.10.2019".
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:date|datum|fecha|data)\s*:|erstellt am|veröffentlicht am|veröffentlicht|publiziert am|stand|first published|published on|published|posted on|posted|publié le|publié|mis en ligne le|publicado el|publicado|pubblicato il|pubblicato|opublikowano|data publikacji|gepubliceerd op|gepubliceerd|publicerad|опубликовано|опубліковано)\s*:?\s*",
    )
    .unwrap_or_else(|e| panic!("built-in date label pattern is invalid: {e}"))
});

/// How far after its label a date may start (a weekday may stand between).
const LABEL_TO_DATE_BYTES: usize = 16;

/// The first date the page's visible text introduces with a date label.
fn labelled_date(document: &Document, order: DayMonthOrder) -> Option<Day> {
    let body = document.body()?;
    let text = visible_text(&body);
    DATE_LABEL.find_iter(&text).find_map(|label| {
        let rest = &text[label.end()..];
        let window = &rest[..floor_boundary(rest, 60)];
        dates::find_written_dates(window, order)
            .into_iter()
            .find(|d| d.start <= LABEL_TO_DATE_BYTES)
            .map(|d| d.day)
    })
}

/// The largest char boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The text a reader sees under `root`, each text node on its own line: no scripts or
/// styles, no navigation, footers or asides.
fn visible_text(root: &NodeRef) -> String {
    let mut out = String::new();
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if node.is_text() {
            let text = node.text();
            if !text.trim().is_empty() {
                out.push_str(text.trim());
                out.push('\n');
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let skipped = node.node_name().is_some_and(|n| {
            matches!(
                &*n,
                "script" | "style" | "noscript" | "template" | "nav" | "footer" | "aside"
            )
        });
        if !skipped && !is_other_content_block(&node) {
            stack.extend(node.children_it(true));
        }
    }
    out
}

/// Class or id token prefixes of blocks a walk down the page skips whole: comments and
/// lists of other articles (SPEC §2: never a date from them). Layout words such as
/// `sidebar` are not among them: some pages put the article in a `#sidebar` column.
const OTHER_ARTICLES_MARKERS: &[&str] = &[
    "comment",
    "related",
    "recommend",
    "popular",
    "trending",
    "more-",
];

/// Is this element a block of comments or of other articles, by its class or id?
fn is_other_content_block(node: &NodeRef) -> bool {
    has_marked_token(node, OTHER_ARTICLES_MARKERS)
}

/// The first complete date anywhere in the page's visible text (no navigation, footers,
/// asides, comments or related lists): the last resort among the dates a page shows.
fn first_visible_date(document: &Document, order: DayMonthOrder) -> Option<Day> {
    let body = document.body()?;
    dates::find_written_dates(&visible_text(&body), order)
        .into_iter()
        .map(|d| d.day)
        .find(|day| day.year() >= FIRST_PLAUSIBLE_PAGE_YEAR)
}

/// Web pages are not older than this.
const FIRST_PLAUSIBLE_PAGE_YEAR: i16 = 1995;

/// Longest text of an element read as a date line of its own.
const MAX_DATE_LINE_CHARS: usize = 40;

/// The first element outside navigation, footers and asides whose own short text is
/// mostly a date ("23.01.2019", "2021-10-16 | Notice", "2012-06-04 09:20:26").
fn date_only_element(document: &Document, order: DayMonthOrder) -> Option<Day> {
    let body = document.body()?;
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if !node.is_element() || is_hidden_text(&node) {
            continue;
        }
        if node
            .node_name()
            .as_deref()
            .is_some_and(|name| NOT_THE_ARTICLE.contains(&name))
            || is_other_content_block(&node)
        {
            continue;
        }
        let text = node.text();
        let text = text.trim();
        if !text.is_empty() && text.chars().count() <= MAX_DATE_LINE_CHARS {
            if let Some(found) = dates::find_written_dates(text, order).first() {
                if (found.end - found.start) * 2 >= text.len() && !is_today_widget(&node) {
                    return Some(found.day);
                }
            }
            continue;
        }
        stack.extend(node.children_it(true).filter(|c| c.is_element()));
    }
    None
}

/// The first complete date in the text that follows the page's first `<h1>`.
fn date_line_after_headline(document: &Document, order: DayMonthOrder) -> Option<Day> {
    let h1 = document.select_matcher(&BODY_H1).nodes().first().cloned()?;
    let mut text = String::new();
    let mut node = h1;
    // Walk forward in document order: next siblings, then the parent's next siblings.
    'outer: while text.chars().count() < DATE_LINE_WINDOW_CHARS {
        let mut next = node.next_sibling();
        while next.is_none() {
            node = node.parent()?;
            if node.is_document() {
                break 'outer;
            }
            next = node.next_sibling();
        }
        node = next?;
        if node.is_element() && (is_hidden_text(&node) || outside_the_article(&node)) {
            continue;
        }
        text.push(' ');
        text.push_str(&node.text());
    }
    dates::find_written_dates(&text, order)
        .into_iter()
        .find(|d| d.start < DATE_LINE_WINDOW_CHARS * 4)
        .map(|d| d.day)
}

fn is_hidden_text(node: &NodeRef) -> bool {
    node.node_name()
        .is_some_and(|n| matches!(&*n, "script" | "style" | "noscript" | "template"))
}

/// The lower-case class and id of an element, if it has either.
fn class_and_id(node: &NodeRef) -> Option<String> {
    let class = node.attr("class");
    let id = node.attr("id");
    if class.is_none() && id.is_none() {
        return None;
    }
    let mut marks = String::new();
    for value in [class, id].into_iter().flatten() {
        marks.push_str(&value.to_ascii_lowercase());
        marks.push(' ');
    }
    Some(marks)
}

fn is_today_widget(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(Some(4)))
        .filter_map(|n| class_and_id(&n))
        .any(|marks| TODAY_WIDGET_MARKERS.iter().any(|m| marks.contains(m)))
}

/// Is an element inside navigation, a footer or an aside, or close inside a block of
/// comments or related articles?
fn outside_the_article(node: &NodeRef) -> bool {
    let mut lineage = std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .filter(|n| n.is_element());
    lineage.by_ref().enumerate().any(|(depth, n)| {
        if n.node_name()
            .as_deref()
            .is_some_and(|name| NOT_THE_ARTICLE.contains(&name))
        {
            return true;
        }
        depth <= MARKED_ANCESTOR_DEPTH && has_marked_token(&n, OTHER_CONTENT_MARKERS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published_of(page: &str) -> Option<(String, DateSource)> {
        super::super::meta::read(&Document::from(page)).published
    }

    fn day(text: &str, source: DateSource) -> Option<(String, DateSource)> {
        Some((text.to_string(), source))
    }

    #[test]
    fn an_unparseable_first_meta_gives_way_to_the_next_evidence() {
        let page = r#"<html><head><meta name="date" content="soon">
            <script type="application/ld+json">{"@graph":[{"@type":"WebPage"},
            {"@type":"NewsArticle","dateCreated":"2022-1-26T08:00"}]}</script></head>
            <body><p>Text.</p></body></html>"#;
        assert_eq!(published_of(page), day("2022-01-26", DateSource::Meta));
        let rfc = r#"<html><head><meta property="article:published_time" content="Sat, 19 Oct 2019 10:00:00 GMT"></head><body></body></html>"#;
        assert_eq!(published_of(rfc), day("2019-10-19", DateSource::Meta));
    }

    #[test]
    fn a_numeric_date_is_a_calendar_date_not_an_epoch() {
        let page =
            r#"<html><head><meta name="pubdate" content="20231102"></head><body></body></html>"#;
        assert_eq!(published_of(page), day("2023-11-02", DateSource::Meta));
        let us = r#"<html lang="en-US"><head><meta name="date" content="11/01/2023"></head><body></body></html>"#;
        assert_eq!(published_of(us), day("2023-11-01", DateSource::Meta));
        let unknown =
            r#"<html><head><meta name="date" content="11/01/2023"></head><body></body></html>"#;
        assert_eq!(published_of(unknown), None);
    }

    #[test]
    fn dates_of_comments_and_related_articles_are_not_the_article_s() {
        let page = r#"<html><body><p>A story with no date of its own, long enough to read.</p>
            <div class="related-posts"><p>3 May 2021</p><p>Bridge reopens, 4 May 2021</p></div>
            <ol class="commentlist"><li>Anna, 6 May 2021: well said</li></ol></body></html>"#;
        assert_eq!(published_of(page), None);
    }

    #[test]
    fn a_utc_time_is_read_where_the_site_is() {
        let italian = r#"<html><head><link rel="canonical" href="https://notizie.example.it/mondo/1265">
            <meta property="datePublished" content="2020-12-05T23:15:0Z"></head><body></body></html>"#;
        assert_eq!(published_of(italian), day("2020-12-06", DateSource::Meta));
        let unknown = r#"<html><head><meta property="datePublished" content="2020-12-05T23:15:0Z"></head><body></body></html>"#;
        assert_eq!(published_of(unknown), day("2020-12-05", DateSource::Meta));
    }

    #[test]
    fn the_wordpress_header_time_dates_the_article() {
        let page = r#"<html><body><nav><time datetime="2019-01-01">menu</time></nav>
            <article><header class="entry-header"><h1>Fair opens</h1>
            <time class="entry-date published" datetime="2021-06-04T09:00:00+02:00">4 June</time>
            <time class="updated" datetime="2021-06-09">9 June</time></header>
            <p>The fair opened.</p></article>
            <div class="comments"><time datetime="2021-07-01">July</time></div></body></html>"#;
        assert_eq!(published_of(page), day("2021-06-04", DateSource::Meta));
    }

    #[test]
    fn the_address_and_visible_dates() {
        let page = r#"<html><head><link rel="canonical" href="https://example.test/news/2020/03/17/vote.html"></head><body><p>x</p></body></html>"#;
        assert_eq!(published_of(page), day("2020-03-17", DateSource::Meta));
        let byline = r#"<html><body><h1>Rathaus saniert</h1><div class="post-meta">Von Anna Berg | 6. Mai 2014</div><p>Text.</p></body></html>"#;
        assert_eq!(published_of(byline), day("2014-05-06", DateSource::Text));
        let line = r#"<html><body><h1>Flood defences</h1><p>March 3, 2021</p><p>Work began.</p></body></html>"#;
        assert_eq!(published_of(line), day("2021-03-03", DateSource::Text));
    }

    #[test]
    fn a_date_beside_the_weather_is_the_day_the_page_was_saved() {
        let page = r#"<html><body><div class="top-bar"><span class="weather">-0.6 C</span>
            <span class="today-date">Monday, March 20, 2023</span></div>
            <p>Long article text without any date of its own.</p></body></html>"#;
        assert_eq!(published_of(page), day("2023-03-20", DateSource::Saved));
    }
}
