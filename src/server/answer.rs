//! What the API answers: JSON bodies with the headers SPEC §7 asks for, and every error
//! as a JSON object with a status code, a stable code and a message that says what to
//! do.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::state::RETRY_AFTER;
use crate::error::{Error, ParseError};
use crate::model::JSON_VERSION;

/// A JSON answer (`Cache-Control: no-store`: results change with every commit).
pub fn json(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A request the API refuses, or could not answer.
#[derive(Debug)]
pub enum ApiError {
    /// The query does not parse (400).
    Query(ParseError),
    /// A parameter is missing or malformed (400).
    Parameter { name: String, message: String },
    /// A query or count over the limits (413).
    TooLarge { name: String, message: String },
    /// No such article or page (404).
    NotFound(String),
    /// Only GET and HEAD are answered (405).
    MethodNotAllowed,
    /// The Host header is not the served address (403).
    ForeignHost(String),
    /// The index cannot be opened right now (503, Retry-After).
    Unavailable(String),
    /// The search ran past the time limit (503, Retry-After).
    TimedOut(String),
    /// Too many searches at once (503, Retry-After).
    Busy,
    /// Something that should not happen (500).
    Internal(String),
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    version: u32,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    /// 1-based, as the CLI prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

impl ApiError {
    /// A malformed parameter.
    pub fn parameter(name: &str, message: impl Into<String>) -> ApiError {
        ApiError::Parameter {
            name: name.to_string(),
            message: message.into(),
        }
    }

    /// The status code the error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Query(_) | ApiError::Parameter { .. } => StatusCode::BAD_REQUEST,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::ForeignHost(_) => StatusCode::FORBIDDEN,
            ApiError::Unavailable(_) | ApiError::TimedOut(_) | ApiError::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Query(_) => "query",
            ApiError::Parameter { .. } => "parameter",
            ApiError::TooLarge { .. } => "too-large",
            ApiError::NotFound(_) => "not-found",
            ApiError::MethodNotAllowed => "method",
            ApiError::ForeignHost(_) => "host",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::TimedOut(_) => "timeout",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    /// What went wrong and what to do.
    pub fn message(&self) -> String {
        match self {
            ApiError::Query(error) => error.message.clone(),
            ApiError::Parameter { message, .. } | ApiError::TooLarge { message, .. } => {
                message.clone()
            }
            ApiError::NotFound(message)
            | ApiError::Unavailable(message)
            | ApiError::TimedOut(message)
            | ApiError::Internal(message) => message.clone(),
            ApiError::MethodNotAllowed => {
                "this server is read-only: it answers only GET and HEAD".to_string()
            }
            ApiError::ForeignHost(host) => format!(
                "requests for host \"{host}\" are refused: open the address the server printed when it started"
            ),
            ApiError::Busy => {
                "too many searches are running at once; try again in a moment".to_string()
            }
        }
    }

    /// Seconds to wait before asking again, for the errors that pass.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Unavailable(_) | ApiError::TimedOut(_) | ApiError::Busy => {
                Some(RETRY_AFTER.as_secs())
            }
            _ => None,
        }
    }

    /// The error as the JSON object of SPEC §7.
    pub fn to_json(&self) -> String {
        let message = self.message();
        let (query, column) = match self {
            ApiError::Query(error) => (Some(error.query.as_str()), Some(error.column() + 1)),
            _ => (None, None),
        };
        let parameter = match self {
            ApiError::Parameter { name, .. } | ApiError::TooLarge { name, .. } => {
                Some(name.as_str())
            }
            _ => None,
        };
        crate::output::json::to_json(&ErrorJson {
            version: JSON_VERSION,
            error: ErrorBody {
                code: self.code(),
                message: &message,
                query,
                column,
                parameter,
            },
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json(self.status(), self.to_json());
        if let Some(seconds) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let ApiError::MethodNotAllowed = self {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        match error {
            Error::Query(error) => ApiError::Query(error),
            Error::TimedOut { .. } => ApiError::TimedOut(error.to_string()),
            Error::NoIndex(_)
            | Error::IndexDamaged { .. }
            | Error::IndexMismatch { .. }
            | Error::IndexBusy(_)
            | Error::Io { .. }
            // The index's own entity file that cannot be read.
            | Error::Input { .. } => ApiError::Unavailable(error.to_string()),
            Error::Interrupted | Error::Engine(_) => ApiError::Internal(error.to_string()),
        }
    }
}
