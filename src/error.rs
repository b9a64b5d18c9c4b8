//! The crate's error type: every error a user can cause says what is wrong, where, and
//! what to do about it. Each variant has a stable code for tools.

use std::path::PathBuf;

/// What went wrong, grouped by who can fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query could not be parsed; the message points at a column.
    #[error("{0}")]
    Query(#[from] ParseError),

    /// The index on disk was built by a different schema or analyzer.
    #[error("the index at {path} was built by {found}, but this dossier writes {expected}; rebuild it with `dossier index --full PATH...`")]
    IndexMismatch {
        path: PathBuf,
        found: String,
        expected: String,
    },

    /// There is no index where one was expected.
    #[error("no index at {0}; build one with `dossier index FOLDER` (or pass --index DIR)")]
    NoIndex(PathBuf),

    /// Another process holds the index writer lock.
    #[error(
        "the index at {0} is being written by another process; wait for it to finish and try again"
    )]
    IndexBusy(PathBuf),

    /// The index files are damaged or unreadable.
    #[error(
        "the index at {path} is damaged ({detail}); rebuild it with `dossier index --full PATH...`"
    )]
    IndexDamaged { path: PathBuf, detail: String },

    /// A file the user named could not be used.
    #[error("{path}: {reason}")]
    Input { path: PathBuf, reason: String },

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Indexing was interrupted by the user; the last commit stands.
    #[error("interrupted; the index holds everything committed before the interruption")]
    Interrupted,

    /// A search ran past its time limit and was stopped.
    #[error("the search took longer than {seconds} s and was stopped; narrow the query (longer prefixes, fewer fuzzy words, a date range) and try again")]
    TimedOut { seconds: f64 },

    /// A failure inside the search engine that the user did not cause.
    #[error("internal search engine error: {0}")]
    Engine(#[from] tantivy::TantivyError),
}

impl Error {
    /// A stable, machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Query(_) => "query",
            Error::IndexMismatch { .. } => "index-mismatch",
            Error::NoIndex(_) => "no-index",
            Error::IndexBusy(_) => "index-busy",
            Error::IndexDamaged { .. } => "index-damaged",
            Error::Input { .. } => "input",
            Error::Io { .. } => "io",
            Error::Interrupted => "interrupted",
            Error::TimedOut { .. } => "timeout",
            Error::Engine(_) => "engine",
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Something a user should know about an answer that is not an error: a filter naming
/// an entity the index does not know, a prefix cut at its cap. The CLI prints the
/// message on stderr; JSON carries it in `warnings` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// A stable code for tools.
    pub code: WarningCode,
    pub message: String,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningCode {
    /// A filter names an entity the index does not know: it matches nothing.
    UnknownEntity,
    /// A `prefix*` next to near: starts more words than near: takes.
    PrefixCapped,
    /// A fuzzy word (`word~2`) is near more words than a query takes.
    FuzzyCapped,
    /// `story:` names an id no article of the index has: it matches nothing.
    UnknownStory,
}

impl Warning {
    /// A warning of a kind with its message.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Warning {
        Warning {
            code,
            message: message.into(),
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A query the parser could not read: the message and the byte span it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub query: String,
    pub message: String,
    /// Byte range of the problem in the query.
    pub start: usize,
    pub end: usize,
}

impl ParseError {
    /// An error at a span of the query.
    pub fn new(query: &str, span: (usize, usize), message: impl Into<String>) -> ParseError {
        ParseError {
            query: query.to_string(),
            message: message.into(),
            start: span.0.min(query.len()),
            end: span.1.min(query.len()),
        }
    }

    /// The column (in characters, from 0) where the problem starts.
    pub fn column(&self) -> usize {
        self.query[..self.start].chars().count()
    }
}

impl std::fmt::Display for ParseError {
    /// The message, then the query echoed with a caret under the problem.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = self.query[self.start..self.end].chars().count().max(1);
        let echoed: String = self
            .query
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        writeln!(f, "{} (column {})", self.message, self.column() + 1)?;
        writeln!(f, "  {echoed}")?;
        write!(f, "  {}{}", " ".repeat(self.column()), "^".repeat(width))
    }
}

impl std::error::Error for ParseError {}
