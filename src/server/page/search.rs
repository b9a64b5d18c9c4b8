//! The search page: the query box, the filters in force as removable chips, the facets
//! (each value a link that adds it, a control that leaves it out, a search inside each
//! facet), the timeline, the hits with their passages, paging to the last match, the
//! command-line twin and the exports.

use std::time::Instant;

use maud::{html, Markup};

use super::layout::frame;
use super::state::{command_line, PageState, PAGE_SIZE};
use super::timeline::{self, Bucket};
use crate::dates::Interval;
use crate::error::{Error, ParseError, Result};
use crate::query::ast::DateField;
use crate::query::edit::{top_level_filters, with_filter, without};
use crate::search::collect::uncertain_days;
use crate::search::stats::Count;
use crate::search::story::Copies;
use crate::search::{
    Deadline, FacetOptions, Hit, Passage, Plan, SearchRequest, SearchResult, Snapshot,
};
use crate::server::api::{facet_values, FacetKind, FacetRequest};

/// Values a facet lists before "show more".
const FACET_SHOWN: usize = 10;
/// Values a facet opened in full lists.
const FACET_OPEN: usize = 100;

/// Everything the search page shows.
pub struct SearchView {
    pub state: PageState,
    /// `None` when the query does not parse.
    pub result: Option<SearchResult>,
    pub error: Option<ParseError>,
    pub interval: Interval,
    pub buckets: Vec<Bucket>,
    /// The facet opened in full, with its values.
    pub open_facet: Option<(FacetKind, Vec<Count>)>,
    /// The copies of each hit's story that has several, by story id.
    pub copies: Vec<Copies>,
}

/// Runs the stages for a page: the search (facets counted by day, so the timeline can
/// draw any interval), the uncertain days, an opened facet.
pub fn gather(snapshot: &Snapshot, state: PageState, deadline: Deadline) -> Result<SearchView> {
    let started = Instant::now();
    let planned = if state.query.trim().is_empty() {
        Plan::everything(snapshot)
    } else {
        Plan::new(snapshot, &state.query, Default::default())
    };
    let plan = match planned {
        Ok(plan) => plan,
        Err(Error::Query(error)) => {
            return Ok(SearchView {
                state,
                result: None,
                error: Some(error),
                interval: Interval::Month,
                buckets: Vec::new(),
                open_facet: None,
                copies: Vec::new(),
            })
        }
        Err(other) => return Err(other),
    };
    let request = SearchRequest {
        query: state.query.clone(),
        limit: PAGE_SIZE,
        offset: state.offset,
        sort: state.sort,
        snippets: 2,
        facets: Some(FacetOptions::new(Interval::Day)),
        explain: false,
        bounds: Default::default(),
        deadline: Some(deadline),
        collapse: match state.all_copies {
            true => crate::search::Collapse::Off,
            false => crate::search::Collapse::Hits,
        },
    };
    let result = snapshot.run(&plan, &request, started)?;
    let facets = result.facets.clone().unwrap_or_default();
    let (days, uncertain) = match state.dates {
        DateField::Published => (
            facets.published,
            uncertain_days(snapshot, &plan, Interval::Day, Some(deadline))?,
        ),
        DateField::Mentioned => (facets.mentioned, Vec::new()),
    };
    let (interval, buckets) = timeline::buckets(&days, &uncertain, state.interval);
    let open_facet = match state.facet {
        Some(kind) => {
            let request = FacetRequest {
                kind,
                query: state.query.clone(),
                prefix: (!state.prefix.is_empty()).then(|| state.prefix.clone()),
                n: FACET_OPEN,
            };
            Some((kind, facet_values(snapshot, &request, deadline)?))
        }
        None => None,
    };
    let mut copies = Vec::new();
    for hit in result
        .hits
        .iter()
        .filter(|h| h.copies.is_some_and(|n| n > 1))
    {
        if let Some(story) = crate::search::story::copies(snapshot, &hit.story)? {
            copies.push(story);
        }
    }
    Ok(SearchView {
        state,
        result: Some(result),
        error: None,
        interval,
        buckets,
        open_facet,
        copies,
    })
}

/// The page.
pub fn render(view: &SearchView) -> Markup {
    let state = &view.state;
    let title = if state.query.is_empty() {
        "Every article".to_string()
    } else {
        state.query.clone()
    };
    frame(
        &title,
        state,
        html! {
            div.layout {
                aside.facets aria-label="Facets" {
                    @if let Some(result) = &view.result {
                        @for kind in [FacetKind::Person, FacetKind::Place, FacetKind::Org, FacetKind::Source] {
                            (facet_box(view, result, kind))
                        }
                    }
                }
                main #results {
                    @if let Some(error) = &view.error {
                        (query_error(error))
                    }
                    (chips(state))
                    @if let Some(result) = &view.result {
                        (summary(state, result))
                        (timeline::render(state, view.interval, &view.buckets))
                        (hits(state, result, &view.copies))
                        (pager(state, result.stories.unwrap_or(result.total)))
                    }
                }
            }
        },
    )
}

fn query_error(error: &ParseError) -> Markup {
    let column = error.column();
    let width = error.query[error.start..error.end].chars().count().max(1);
    html! {
        div.query-error role="alert" {
            p { strong { "The query does not read: " } (error.message) " (column " (column + 1) ")" }
            pre { (error.query) "\n" (" ".repeat(column)) ("^".repeat(width)) }
        }
    }
}

/// The filters in force, each with a link that removes it.
fn chips(state: &PageState) -> Markup {
    let filters = top_level_filters(&state.query);
    html! {
        @if !filters.is_empty() {
            ul.chips aria-label="Filters in force" {
                @for filter in &filters {
                    @let text = filter.text(&state.query);
                    li {
                        span.chip.negated[filter.negated] {
                            span { (text) }
                            a.remove href=(state.with_query(without(&state.query, filter.span)).url()) aria-label=(format!("Remove filter {text}")) { "×" }
                        }
                    }
                }
            }
        }
    }
}

fn summary(state: &PageState, result: &SearchResult) -> Markup {
    let export = |format: &str| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        url.append_pair(
            "q",
            if state.query.is_empty() {
                "date:..9999"
            } else {
                &state.query
            },
        );
        url.append_pair("format", format);
        match state.sort {
            crate::search::Sort::Relevance => {}
            crate::search::Sort::Newest => {
                url.append_pair("sort", "newest");
            }
            crate::search::Sort::Oldest => {
                url.append_pair("sort", "oldest");
            }
        }
        format!("/api/export?{}", url.finish())
    };
    html! {
        div.summary {
            p.total {
                span data-total=(result.total) { (result.total) }
                @if result.total == 1 { " article" } @else { " articles" }
                @if let Some(stories) = result.stories {
                    @if stories < result.total {
                        " in " span data-stories=(stories) { (stories) }
                        @if stories == 1 { " story" } @else { " stories" }
                    }
                    " · " a.copies-toggle href=(PageState { all_copies: true, offset: 0, ..state.clone() }.url()) { "show every copy" }
                } @else if state.all_copies {
                    " · " a.copies-toggle href=(PageState { all_copies: false, offset: 0, ..state.clone() }.url()) { "one hit per story" }
                }
                span.took { " · " (format!("{:.1}", result.took_ms)) " ms" }
            }
            @for warning in &result.warnings {
                p.warning role="status" { (warning.message) }
            }
            div.tools {
                details.command {
                    summary { "Copy as command" }
                    code #command { (command_line(state)) }
                    button type="button" data-copy="command" hidden { "Copy" }
                }
                span.export {
                    "Export every match: "
                    a href=(export("csv")) download { "CSV" }
                    " · "
                    a href=(export("jsonl")) download { "JSONL" }
                }
            }
        }
    }
}

fn facet_box(view: &SearchView, result: &SearchResult, kind: FacetKind) -> Markup {
    let state = &view.state;
    let (heading, field) = match kind {
        FacetKind::Person => ("People", "person"),
        FacetKind::Place => ("Places", "place"),
        FacetKind::Org => ("Organisations", "org"),
        FacetKind::Source => ("Sources", "source"),
    };
    let facets = result.facets.clone().unwrap_or_default();
    let open = view.open_facet.as_ref().filter(|(k, _)| *k == kind);
    let values: Vec<Count> = match open {
        Some((_, values)) => values.clone(),
        None => kind.of(facets).into_iter().take(FACET_SHOWN).collect(),
    };
    let id = format!("facet-{field}");
    let search_id = format!("facet-search-{field}");
    html! {
        section.facet #(id) aria-labelledby=(format!("{id}-heading")) {
            h2 #(format!("{id}-heading")) { (heading) }
            form.facet-search action="/" method="get" data-facet=(field) {
                @if !state.query.is_empty() { input type="hidden" name="q" value=(state.query); }
                (hidden_state(state))
                input type="hidden" name="facet" value=(field);
                label for=(search_id) .visually-hidden { "Search " (heading.to_lowercase()) }
                input #(search_id) type="search" name="prefix" value=[open.map(|_| state.prefix.as_str())] placeholder=(format!("Search {}", heading.to_lowercase())) autocomplete="off";
            }
            @if values.is_empty() {
                p.empty { "None" }
            } @else {
                ul {
                    @for value in &values {
                        li {
                            a.value href=(state.with_query(with_filter(&state.query, field, &value.value, false)).url()) data-facet-kind=(field) data-facet-value=(value.value) { (value.value) }
                            " "
                            span.count data-count=(value.count) { (value.count) }
                            " "
                            a.exclude href=(state.with_query(with_filter(&state.query, field, &value.value, true)).url()) data-facet-exclude=(value.value) aria-label=(format!("Leave out {}", value.value)) title=(format!("Leave out {}", value.value)) { "−" }
                        }
                    }
                }
            }
            @if open.is_some() {
                a.more href=(PageState { facet: None, prefix: String::new(), ..state.clone() }.url()) { "Show fewer" }
            } @else if values.len() >= FACET_SHOWN {
                a.more href=(PageState { facet: Some(kind), prefix: String::new(), ..state.clone() }.url()) { "Show more" }
            }
        }
    }
}

/// The hidden fields that keep a page's state across a facet's search form.
fn hidden_state(state: &PageState) -> Markup {
    html! {
        @match state.sort {
            crate::search::Sort::Relevance => {}
            crate::search::Sort::Newest => { input type="hidden" name="sort" value="newest"; }
            crate::search::Sort::Oldest => { input type="hidden" name="sort" value="oldest"; }
        }
        @if let Some(interval) = state.interval {
            input type="hidden" name="interval" value=(super::state::interval_name(interval));
        }
        @if state.dates == DateField::Mentioned {
            input type="hidden" name="dates" value="mentioned";
        }
    }
}

/// The link and line under a hit whose story has other copies among the matches:
/// how many, which outlets ran it, when it first appeared.
fn story_line(state: &PageState, hit: &Hit, copies: &[Copies]) -> Markup {
    let Some(count) = hit.copies.filter(|&n| n > 1) else {
        return html! {};
    };
    let story = copies.iter().find(|c| c.story == hit.story);
    let list = PageState {
        all_copies: true,
        sort: crate::search::Sort::Oldest,
        ..state.with_query(format!("story:{}", crate::query::edit::quote(&hit.story)))
    };
    html! {
        p.story {
            a.copies href=(list.url()) data-story=(hit.story) { (count) " copies" }
            @if let Some(story) = story {
                @let sources = story.sources();
                @if !sources.is_empty() {
                    " · ran in " (sources.join(", "))
                }
                @if let Some(first) = story.first_published() {
                    " · first " (first)
                }
            }
        }
    }
}

fn hits(state: &PageState, result: &SearchResult, copies: &[Copies]) -> Markup {
    html! {
        @if result.hits.is_empty() {
            p.none { "No article matches." }
        } @else {
            ol.hits start=(state.offset + 1) {
                @for hit in &result.hits {
                    li.hit data-hit-id=(hit.id) {
                        h3 { a.open href=(state.article_url(&hit.id)) { (title_of(hit)) } }
                        p.meta {
                            (dated(hit.published.as_deref(), hit.published_source.as_deref()))
                            @if let Some(source) = &hit.source { " · " span.source { (source) } }
                            " · " span.path { (hit.path) @if let Some(record) = hit.record { "#" (record) } }
                        }
                        (story_line(state, hit, copies))
                        @for passage in &hit.snippets {
                            p.passage { (marked(passage)) }
                        }
                    }
                }
            }
        }
    }
}

/// A hit's title, or its path when it has none.
pub fn title_of(hit: &Hit) -> String {
    if hit.title.trim().is_empty() {
        format!("(untitled) {}", hit.path)
    } else {
        hit.title.clone()
    }
}

/// A publication day with where it came from; a day that only says when a copy was
/// made is shown weaker, and says so.
pub fn dated(day: Option<&str>, source: Option<&str>) -> Markup {
    let (label, uncertain) = match source {
        Some("meta") => ("from the page's metadata", false),
        Some("field") => ("from the record's date field", false),
        Some("text") => ("from a date line in the text", false),
        Some("path") => ("from the file or folder name", false),
        Some("saved") => ("day the page was saved; not when it ran", true),
        Some("mtime") => ("file date only; not when it ran", true),
        _ => ("source unknown", true),
    };
    html! {
        @if let Some(day) = day {
            span.dated.uncertain[uncertain] {
                time datetime=(day) { (day) }
                " "
                span.provenance { "(" (label) ")" }
            }
        } @else {
            span.dated.uncertain { "no date" }
        }
    }
}

/// A passage with its highlights in `<mark>`.
fn marked(passage: &Passage) -> Markup {
    let text = &passage.text;
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for [start, end] in &passage.highlights {
        let (start, end) = ((*start).max(at).min(text.len()), (*end).min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        pieces.push((false, &text[at..start]));
        pieces.push((true, &text[start..end]));
        at = end;
    }
    pieces.push((false, &text[at..]));
    html! {
        @for (lit, piece) in pieces {
            @if lit { mark { (piece) } } @else { (piece) }
        }
    }
}

fn pager(state: &PageState, total: usize) -> Markup {
    if total <= PAGE_SIZE {
        return html! {};
    }
    let last = (total - 1) / PAGE_SIZE * PAGE_SIZE;
    let page = state.offset / PAGE_SIZE + 1;
    let pages = last / PAGE_SIZE + 1;
    let link = |label: &str, offset: usize, rel: Option<&str>, enabled: bool| {
        html! {
            @if enabled {
                a href=(state.at(offset).url()) rel=[rel] { (label) }
            } @else {
                span.disabled aria-disabled="true" { (label) }
            }
        }
    };
    html! {
        nav.pager aria-label="Pages of results" {
            (link("« First", 0, None, state.offset > 0))
            (link("‹ Previous", state.offset.saturating_sub(PAGE_SIZE), Some("prev"), state.offset > 0))
            span.page { "Page " (page) " of " (pages) }
            (link("Next ›", state.offset + PAGE_SIZE, Some("next"), state.offset + PAGE_SIZE < total))
            (link("Last »", last, None, state.offset < last))
        }
    }
}
