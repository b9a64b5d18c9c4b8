//! The web page (SPEC §7): a search page with facets and a timeline, and an article
//! page with its entities and the query's matches. The project's own HTML (through
//! maud, which escapes every value it is given), CSS and JavaScript, embedded in the
//! binary. Every page works without script; the script only makes it quicker.
//!
//! - [`state`]: what a page's URL says (query, sort, page, interval...), and its links;
//! - [`search`], [`article`]: the two pages; [`timeline`]: the date histogram;
//! - [`layout`]: the frame every page shares.

mod article;
mod layout;
mod search;
mod state;
mod timeline;

use std::sync::{Arc, LazyLock};

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::Markup;

use super::answer::ApiError;
use super::params::Params;
use super::{App, Route};

/// `GET /`: the search page.
pub const SEARCH: Route = Route {
    path: "/",
    parameters: state::SEARCH_PARAMETERS,
    handler: || get(search_page),
};

/// `GET /article`: one article.
pub const ARTICLE: Route = Route {
    path: "/article",
    parameters: state::ARTICLE_PARAMETERS,
    handler: || get(article_page),
};

/// The page's style sheet.
pub const STYLE: Route = Route {
    path: "/assets/page.css",
    parameters: &["v"],
    handler: || get(style),
};

/// The page's script.
pub const SCRIPT: Route = Route {
    path: "/assets/page.js",
    parameters: &["v"],
    handler: || get(script),
};

const PAGE_CSS: &str = include_str!("assets/page.css");
const PAGE_JS: &str = include_str!("assets/page.js");

/// Pages load their own style sheet and script, and nothing else: no inline script, no
/// inline style, no other origin, forms only to this server.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// A version for the assets' URLs, from their contents: a new binary's page never
/// runs an old cached script.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let hash = xxhash_rust::xxh3::xxh3_64(format!("{PAGE_CSS}{PAGE_JS}").as_bytes());
    format!("{hash:016x}")
});

async fn search_page(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let state = match Params::of("/", state::SEARCH_PARAMETERS, raw.as_deref())
        .and_then(|p| state::PageState::read(&p))
    {
        Ok(state) => state,
        Err(error) => return error_page(error),
    };
    let answered = app
        .answer_with(move |snapshot, deadline| {
            search::gather(snapshot, state, deadline).map_err(ApiError::from)
        })
        .await;
    match answered {
        Ok(view) => {
            let status = if view.error.is_some() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            page(status, search::render(&view))
        }
        Err(error) => error_page(error),
    }
}

async fn article_page(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let read = Params::of("/article", state::ARTICLE_PARAMETERS, raw.as_deref()).and_then(|p| {
        let id = p
            .get("id")
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                ApiError::parameter(
                    "id",
                    "an article id is required: open an article from the results",
                )
            })?;
        Ok((id, state::PageState::read(&p)?))
    });
    let (id, state) = match read {
        Ok(read) => read,
        Err(error) => return error_page(error),
    };
    let answered = app
        .answer_with(move |snapshot, _| {
            let view = super::api::find_article(snapshot, &id, &state.query)?;
            Ok((view, state))
        })
        .await;
    match answered {
        Ok((view, state)) => page(StatusCode::OK, article::render(&view, &state)),
        Err(error) => error_page(error),
    }
}

async fn style(RawQuery(raw): RawQuery) -> Response {
    asset(&raw, PAGE_CSS, "text/css; charset=utf-8")
}

async fn script(RawQuery(raw): RawQuery) -> Response {
    asset(&raw, PAGE_JS, "text/javascript; charset=utf-8")
}

/// An embedded file; cached for good when asked for by its current version.
fn asset(raw: &Option<String>, body: &'static str, content_type: &'static str) -> Response {
    let params = match Params::of("/assets", &["v"], raw.as_deref()) {
        Ok(params) => params,
        Err(error) => return error.into_response(),
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let cache = if params.get("v") == Some(ASSET_VERSION.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The URL of an asset at its current version.
fn asset_url(path: &str) -> String {
    format!("{path}?v={}", ASSET_VERSION.as_str())
}

/// A page answer: HTML, never cached (it shows the user's sources), the page policy.
fn page(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_POLICY),
    );
    response
}

/// An error as a page, with the status the API would give it.
fn error_page(error: ApiError) -> Response {
    let status = error.status();
    let mut response = page(status, layout::error(status, &error.message()));
    if let Some(retry) = error.retry_after() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry));
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    response
}

/// The answer for a path that is neither a page nor an API endpoint.
pub fn not_found() -> Response {
    error_page(ApiError::NotFound(
        "there is no page at this address".to_string(),
    ))
}
