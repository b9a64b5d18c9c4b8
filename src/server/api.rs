//! The JSON endpoints of SPEC §7. Each reads its parameters, then runs the search stages
//! on a blocking thread under the server's limits ([`App::answer`]); the objects are the
//! ones the CLI prints.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::answer::{json, ApiError};
use super::params::{Params, MAX_SNIPPETS};
use super::{App, Route};
use crate::output;
use crate::search::article::article as article_view;
use crate::search::collect::{collect, CollectRequest};
use crate::search::export::Export;
use crate::search::stats::{self, Count};
use crate::search::{DateBounds, FacetOptions, Plan, SearchRequest, Snapshot};

/// `GET /api/search`.
pub const SEARCH: Route = Route {
    path: "/api/search",
    parameters: SEARCH_PARAMETERS,
    handler: || get(search),
};

const SEARCH_PARAMETERS: &[&str] = &[
    "q",
    "n",
    "offset",
    "sort",
    "snippets",
    "facets",
    "interval",
    "facet_size",
    "explain",
    "collapse",
];
const ARTICLE_PARAMETERS: &[&str] = &["id", "q"];
const FACET_PARAMETERS: &[&str] = &["kind", "q", "prefix", "n"];
const EXPORT_PARAMETERS: &[&str] = &["q", "format", "sort"];

/// `GET /api/article`.
pub const ARTICLE: Route = Route {
    path: "/api/article",
    parameters: ARTICLE_PARAMETERS,
    handler: || get(article),
};

/// `GET /api/facet`.
pub const FACET: Route = Route {
    path: "/api/facet",
    parameters: FACET_PARAMETERS,
    handler: || get(facet),
};

/// `GET /api/stats`.
pub const STATS: Route = Route {
    path: "/api/stats",
    parameters: &[],
    handler: || get(stats),
};

/// `GET /api/export`.
pub const EXPORT: Route = Route {
    path: "/api/export",
    parameters: EXPORT_PARAMETERS,
    handler: || get(export),
};

/// The most facet values `facet_size` may ask for.
const MAX_FACET_SIZE: usize = 1000;
/// The longest prefix for searching inside a facet, in bytes.
const MAX_PREFIX_BYTES: usize = 200;

/// `GET /api/search`: what `dossier search Q --json` prints with the same options.
pub async fn search(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let request = match Params::of("/api/search", SEARCH_PARAMETERS, raw.as_deref())
        .and_then(|p| search_request(&p))
    {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    app.answer(move |snapshot, deadline| {
        let request = SearchRequest {
            deadline: Some(deadline),
            ..request
        };
        let result = snapshot.search(&request)?;
        Ok(json(StatusCode::OK, output::json::search(&result)))
    })
    .await
}

/// The search a request asks for (the same options as `dossier search`).
pub fn search_request(params: &Params) -> Result<SearchRequest, ApiError> {
    let facets = params.flag("facets")?;
    let interval = params.interval()?;
    let facet_size = params.bounded(
        "facet_size",
        crate::search::facets::TOP_VALUES,
        MAX_FACET_SIZE,
    )?;
    Ok(SearchRequest {
        query: params.query(true)?,
        limit: params.count("n", 10)?,
        offset: params.bounded("offset", 0, crate::server::params::MAX_OFFSET)?,
        sort: params.sort()?,
        snippets: params.bounded("snippets", 2, MAX_SNIPPETS)?,
        facets: facets.then(|| FacetOptions {
            size: facet_size,
            ..FacetOptions::new(interval)
        }),
        explain: params.flag("explain")?,
        bounds: DateBounds::default(),
        deadline: None,
        collapse: match params.flag("collapse")? {
            true => crate::search::Collapse::Stories,
            false => crate::search::Collapse::Off,
        },
    })
}

/// `GET /api/article?id=ID[&q=Q]`: the article with its entities, days and the query's
/// highlights.
pub async fn article(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let (id, query) = match Params::of("/api/article", ARTICLE_PARAMETERS, raw.as_deref())
        .and_then(|p| article_request(&p))
    {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    app.answer(move |snapshot, _| {
        let view = find_article(snapshot, &id, &query)?;
        Ok(json(StatusCode::OK, output::json::versioned(&view)))
    })
    .await
}

/// The id and (possibly empty) query of an article request.
pub fn article_request(params: &Params) -> Result<(String, String), ApiError> {
    let id = params
        .get("id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            ApiError::parameter(
                "id",
                "an article id is required: add ?id=... (the \"id\" of a search hit)",
            )
        })?;
    Ok((id.to_string(), params.query(false)?))
}

/// The article view, or 404.
pub fn find_article(
    snapshot: &Snapshot,
    id: &str,
    query: &str,
) -> Result<crate::search::article::ArticleView, ApiError> {
    let plan = if query.trim().is_empty() {
        None
    } else {
        Some(Plan::new(snapshot, query, DateBounds::default())?)
    };
    article_view(snapshot, id, plan.as_ref())?.ok_or_else(|| {
        ApiError::NotFound(
            "no article with this id is in the index (it may have been removed since); search again".to_string(),
        )
    })
}

#[derive(Serialize)]
struct FacetJson<'a> {
    version: u32,
    kind: &'a str,
    values: &'a [Count],
}

/// `GET /api/facet?kind=K&q=Q[&prefix=P][&n=N]`: one facet's values over all matches.
pub async fn facet(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let request = match Params::of("/api/facet", FACET_PARAMETERS, raw.as_deref())
        .and_then(|p| facet_request(&p))
    {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    app.answer(move |snapshot, deadline| {
        let values = facet_values(snapshot, &request, deadline)?;
        let body = output::json::to_json(&FacetJson {
            version: crate::model::JSON_VERSION,
            kind: request.kind.as_str(),
            values: &values,
        });
        Ok(json(StatusCode::OK, body))
    })
    .await
}

/// Which facet `/api/facet` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Person,
    Place,
    Org,
    Source,
}

impl FacetKind {
    /// The name in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FacetKind::Person => "person",
            FacetKind::Place => "place",
            FacetKind::Org => "org",
            FacetKind::Source => "source",
        }
    }

    /// The values of this facet in a facet count.
    pub fn of(self, facets: crate::search::Facets) -> Vec<Count> {
        match self {
            FacetKind::Person => facets.person,
            FacetKind::Place => facets.place,
            FacetKind::Org => facets.org,
            FacetKind::Source => facets.source,
        }
    }
}

/// A request for one facet's values.
#[derive(Debug, Clone)]
pub struct FacetRequest {
    pub kind: FacetKind,
    pub query: String,
    pub prefix: Option<String>,
    pub n: usize,
}

/// Reads a `/api/facet` request.
pub fn facet_request(params: &Params) -> Result<FacetRequest, ApiError> {
    let Some(_) = params.get("kind") else {
        return Err(ApiError::parameter(
            "kind",
            "kind is required: person, place, org or source",
        ));
    };
    let kind = params.choice(
        "kind",
        &[
            ("person", FacetKind::Person),
            ("place", FacetKind::Place),
            ("org", FacetKind::Org),
            ("source", FacetKind::Source),
        ],
        FacetKind::Person,
    )?;
    let prefix = params.get("prefix").filter(|p| !p.is_empty());
    if prefix.is_some_and(|p| p.len() > MAX_PREFIX_BYTES) {
        return Err(ApiError::parameter(
            "prefix",
            format!("prefix must be at most {MAX_PREFIX_BYTES} bytes"),
        ));
    }
    Ok(FacetRequest {
        kind,
        query: params.query(false)?,
        prefix: prefix.map(str::to_string),
        n: params.count("n", crate::search::facets::TOP_VALUES)?,
    })
}

/// The values of one facet over the matches of a query (every article when empty).
pub fn facet_values(
    snapshot: &Snapshot,
    request: &FacetRequest,
    deadline: crate::search::Deadline,
) -> crate::error::Result<Vec<Count>> {
    let plan = if request.query.trim().is_empty() {
        Plan::everything(snapshot)?
    } else {
        Plan::new(snapshot, &request.query, DateBounds::default())?
    };
    let found = collect(
        snapshot,
        &plan,
        &CollectRequest {
            limit: 0,
            offset: 0,
            sort: crate::search::Sort::Relevance,
            facets: Some(FacetOptions {
                size: request.n,
                prefix: request.prefix.clone(),
                ..FacetOptions::new(crate::dates::Interval::Month)
            }),
            deadline: Some(deadline),
            collapse: Default::default(),
        },
    )?;
    Ok(found.facets.map(|f| request.kind.of(f)).unwrap_or_default())
}

/// `GET /api/stats`: what `dossier stats --json` prints.
pub async fn stats(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    if let Err(error) = Params::of("/api/stats", &[], raw.as_deref()) {
        return error.into_response();
    }
    app.answer(|snapshot, _| {
        let summary = stats::collect(&snapshot.store, &snapshot.searcher)?;
        Ok(json(StatusCode::OK, output::json::to_json(&summary)))
    })
    .await
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

/// `GET /api/export?q=Q&format=csv|jsonl`: every match, streamed.
pub async fn export(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let request = (|| {
        let params = Params::of("/api/export", EXPORT_PARAMETERS, raw.as_deref())?;
        let format = match params.get("format") {
            None => Err(ApiError::parameter(
                "format",
                "format is required: csv or jsonl",
            )),
            Some(_) => params.choice(
                "format",
                &[("csv", ExportFormat::Csv), ("jsonl", ExportFormat::Jsonl)],
                ExportFormat::Csv,
            ),
        }?;
        Ok::<_, ApiError>((params.query(true)?, params.sort()?, format))
    })();
    let (query, sort, format) = match request {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let ranked = app
        .answer_with(move |snapshot, deadline| {
            let plan = Plan::new(snapshot, &query, DateBounds::default())?;
            let export = Export::rank(snapshot, &plan, sort, None, Some(deadline))?;
            Ok((Arc::clone(snapshot), export))
        })
        .await;
    match ranked {
        Ok((snapshot, export)) => stream_export(&app, snapshot, export, format),
        Err(error) => error.into_response(),
    }
}

/// The export's rows as a streamed body: a blocking thread loads a chunk at a time and
/// waits for the client to take it (a client that takes nothing for a while, or has
/// gone, ends the export).
fn stream_export(
    app: &Arc<App>,
    snapshot: Arc<Snapshot>,
    export: Export,
    format: ExportFormat,
) -> Response {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let runtime = tokio::runtime::Handle::current();
    let stall = app.limits.client_stall;
    let send = move |chunk: String| -> bool {
        let sending = sender.send(Ok(Bytes::from(chunk)));
        matches!(
            runtime.block_on(async { tokio::time::timeout(stall, sending).await }),
            Ok(Ok(()))
        )
    };
    tokio::task::spawn_blocking(move || {
        let header = match format {
            ExportFormat::Csv => format!("{}\n", output::export::CSV_HEADER),
            ExportFormat::Jsonl => String::new(),
        };
        if !header.is_empty() && !send(header) {
            return;
        }
        let _ = export.write(&snapshot, |hits| {
            send(match format {
                ExportFormat::Csv => output::export::csv_rows(&hits),
                ExportFormat::Jsonl => output::export::jsonl(&hits),
            })
        });
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    let (content_type, file) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "dossier-export.csv"),
        ExportFormat::Jsonl => (
            "application/x-ndjson; charset=utf-8",
            "dossier-export.jsonl",
        ),
    };
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
