//! The web page (SPEC §7): search, facets, timeline and article pages, the project's own
//! HTML, CSS and JavaScript embedded in the binary.

use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;

use super::App;

/// The page's routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
}

/// The answer for a path that is neither a page nor an API endpoint.
pub fn not_found() -> Response {
    let mut response = (
        StatusCode::NOT_FOUND,
        "<!doctype html><title>Not found</title><p>No such page. <a href=\"/\">Search</a>",
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
