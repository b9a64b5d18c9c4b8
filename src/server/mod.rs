//! `dossier serve` (SPEC §7): the search stages over HTTP, read-only, for a browser and
//! for tools. The only place that knows HTTP.
//!
//! - [`state`]: the served index, opened lazily, one snapshot per commit kept warm;
//! - [`api`]: the JSON endpoints; [`page`]: the web page; [`params`]: request
//!   parameters and their limits; [`answer`]: responses and errors;
//! - this module: limits on work, the guard every request passes (Host header, methods,
//!   security headers) and the accept loop, with a clean stop on Ctrl-C.
//!
//! Searches run on Tokio's blocking threads, at most [`Limits::searches`] at once and
//! each under a time limit, so a pathological query answers 503 instead of pinning a
//! core and a slow or vanished client holds nothing but its own connection.

pub mod answer;
pub mod api;
mod guard;
pub mod page;
pub mod params;
pub mod state;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;
use tower::Service;

use answer::ApiError;
use state::ServedIndex;

use crate::search::{Deadline, Snapshot};

/// What `dossier serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub index_dir: PathBuf,
    pub bind: IpAddr,
    /// 0 takes a free port.
    pub port: u16,
    /// Bind to an address other than loopback (anyone who reaches it reads the index).
    pub allow_remote: bool,
    pub limits: Limits,
}

/// Bounds on the work one server takes on.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A search (or an export's ranking) running longer is stopped: 503.
    pub time_limit: Duration,
    /// Searches running at once; more wait for a turn until their time limit.
    pub searches: usize,
    /// An export whose client takes nothing for this long is ended.
    pub client_stall: Duration,
    /// Open connections at once; more are closed as they arrive.
    pub connections: usize,
    /// A client that has not sent its request headers after this long is dropped.
    pub header_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time_limit: Duration::from_secs(10),
            searches: (crate::index::store::cores() * 2).max(2),
            client_stall: Duration::from_secs(30),
            connections: 256,
            header_timeout: Duration::from_secs(10),
        }
    }
}

/// How long in-flight requests get to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0} is not a loopback address: anyone who can reach it could read the index. Add --allow-remote to serve it there anyway, or leave --bind out to serve on 127.0.0.1 only")]
    Remote(IpAddr),
    #[error(
        "cannot listen on {addr} ({source}); pick another port with --port N (0 takes a free one)"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the server's threads: {0}")]
    Runtime(std::io::Error),
}

/// Everything a request handler reads.
pub struct App {
    pub index: ServedIndex,
    pub limits: Limits,
    searches: Arc<Semaphore>,
}

impl App {
    /// An app over the index in `config`.
    pub fn new(config: &ServeConfig) -> App {
        App {
            index: ServedIndex::new(&config.index_dir),
            limits: config.limits.clone(),
            searches: Arc::new(Semaphore::new(config.limits.searches.max(1))),
        }
    }

    /// Runs `work` like [`App::answer_with`], as a response.
    pub async fn answer(
        self: &Arc<Self>,
        work: impl FnOnce(&Arc<Snapshot>, Deadline) -> Result<Response, ApiError> + Send + 'static,
    ) -> Response {
        match self.answer_with(work).await {
            Ok(response) => response,
            Err(error) => error.into_response(),
        }
    }

    /// Runs `work` over the index's current snapshot on a blocking thread, once a
    /// search turn is free, under the time limit.
    pub async fn answer_with<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Arc<Snapshot>, Deadline) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let limit = self.limits.time_limit;
        let deadline = Deadline::after(limit.as_secs_f64());
        let permit = tokio::time::timeout(limit, Arc::clone(&self.searches).acquire_owned())
            .await
            .map_err(|_| ApiError::Busy)?
            .map_err(|_| ApiError::Busy)?;
        let app = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || {
            let _turn = permit;
            let snapshot = app.index.snapshot()?;
            work(&snapshot, deadline)
        });
        // The stages stop themselves at the deadline; this is the backstop for work
        // they do not watch (loading a thousand hits from a cold disk, say).
        let answered = tokio::time::timeout(limit + Duration::from_secs(5), task).await;
        let result = match answered {
            Err(_) => Err(ApiError::TimedOut(format!(
                "the request took longer than {} s and was given up; narrow the query and try again",
                limit.as_secs_f64()
            ))),
            Ok(Err(panicked)) => Err(ApiError::Internal(format!(
                "the request failed inside dossier ({panicked}); please report it"
            ))),
            Ok(Ok(result)) => result,
        };
        if let Err(ApiError::Unavailable(_)) = &result {
            self.index.forget();
        }
        result
    }
}

/// A path the server answers, with the query parameters it takes and its handler.
pub struct Route {
    pub path: &'static str,
    pub parameters: &'static [&'static str],
    handler: fn() -> axum::routing::MethodRouter<Arc<App>>,
}

/// Every route the server knows: the router is built from this list, requests with
/// other parameters are refused, and a test holds `docs/openapi.json` to it.
pub const ROUTES: &[Route] = &[
    api::SEARCH,
    api::ARTICLE,
    api::FACET,
    api::STATS,
    api::EXPORT,
    page::SEARCH,
    page::ARTICLE,
    page::STYLE,
    page::SCRIPT,
    OPENAPI,
];

/// The API's description, served as the file in `docs/`.
pub const OPENAPI: Route = Route {
    path: "/openapi.json",
    parameters: &[],
    handler: || get(openapi),
};

/// The OpenAPI 3.1 description of every route (`docs/openapi.json`).
pub const OPENAPI_JSON: &str = include_str!("../../docs/openapi.json");

async fn openapi(axum::extract::RawQuery(raw): axum::extract::RawQuery) -> Response {
    if let Err(error) = params::Params::of("/openapi.json", &[], raw.as_deref()) {
        return error.into_response();
    }
    answer::json(axum::http::StatusCode::OK, OPENAPI_JSON.to_string())
}

/// The routes, behind the guard.
pub fn router(app: Arc<App>) -> Router {
    let mut router = Router::new();
    for route in ROUTES {
        router = router.route(route.path, (route.handler)());
    }
    router
        .fallback(not_found)
        .layer(axum::middleware::from_fn(guard::guard))
        .with_state(app)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound(format!(
            "no endpoint {}; the API has /api/search, /api/article, /api/facet, /api/stats and /api/export",
            uri.path()
        ))
        .into_response()
    } else {
        page::not_found()
    }
}

/// The address a connection came in on, for the Host check.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionAddr(pub SocketAddr);

/// Serves until Ctrl-C (or SIGTERM), then lets in-flight requests finish. `listening`
/// is called with the bound address once the server accepts connections.
pub fn serve(config: ServeConfig, listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    if !config.bind.is_loopback() && !config.allow_remote {
        return Err(ServeError::Remote(config.bind));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(crate::index::store::cores().clamp(1, 4))
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let result = runtime.block_on(run(config, listening));
    // Exports still writing to a client that went quiet are not waited for.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn run(config: ServeConfig, listening: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let wanted = SocketAddr::new(config.bind, config.port);
    let listener = tokio::net::TcpListener::bind(wanted)
        .await
        .map_err(|source| ServeError::Bind {
            addr: wanted,
            source,
        })?;
    let bound = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: wanted,
        source,
    })?;
    let app = Arc::new(App::new(&config));
    let routes = router(Arc::clone(&app));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(config.limits.connections.max(1)));
    listening(bound);
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((socket, _)) = accepted else {
                    // Out of file descriptors, say: wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
                    continue;
                };
                let local = socket.local_addr().unwrap_or(bound);
                let routes = routes.clone();
                let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectionAddr(local));
                    routes.clone().call(request)
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(config.limits.header_timeout)
                    .serve_connection(TokioIo::new(socket), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(permit);
                });
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM where there is one.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
