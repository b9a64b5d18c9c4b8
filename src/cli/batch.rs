//! `dossier batch FILE`: many queries in one process (a list of names checked against a
//! folder, as journalists do with a leak), and `dossier search Q --csv`: every match as
//! spreadsheet rows. Both open the index once and stream what they print.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use super::Context;
use crate::error::Error;
use crate::index::IndexStore;
use crate::output::export::{self, BatchAnswer, BatchError, BatchHits};
use crate::search::collect::{collect, CollectRequest};
use crate::search::export::Export;
use crate::search::{load, DateBounds, Hit, Plan, SearchRequest, Snapshot, Sort};

/// Runs every query of `file`; exit 0 when each ran, 2 when a line was refused (its
/// answer says why; the others still ran).
pub fn run(ctx: &Context, file: &Path, limit: usize, csv: bool) -> anyhow::Result<i32> {
    let text = std::fs::read(file)
        .map_err(|e| Error::io(file, e))
        .with_context(|| {
            format!(
                "cannot read the query file {}; check its path",
                file.display()
            )
        })?;
    let text = crate::ingest::decode::decode(&text).0;
    let store = IndexStore::open(&ctx.index_dir)?;
    let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if csv {
        writeln!(out, "{}", export::BATCH_CSV_HEADER)?;
    }
    let mut refused = false;
    for (number, line) in text.lines().enumerate() {
        let query = line.trim();
        if query.is_empty() || query.starts_with('#') {
            continue;
        }
        let found = answer(&snapshot, query, limit);
        let (hits, total, warnings) = match &found {
            Ok((hits, total, warnings)) => (hits.as_slice(), *total, warnings.as_slice()),
            Err(_) => (&[][..], 0, &[][..]),
        };
        let outcome = match found.as_ref().map_err(refusal) {
            Ok(_) => Ok(BatchHits {
                total,
                hits,
                warnings,
            }),
            Err(error) => {
                refused = true;
                Err(error)
            }
        };
        let answer = BatchAnswer {
            line: number + 1,
            query,
            outcome,
        };
        if csv {
            out.write_all(export::batch_csv(&answer).as_bytes())?;
        } else {
            writeln!(out, "{}", export::batch_json(&answer))?;
        }
    }
    out.flush()?;
    Ok(if refused {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

/// One query's top hits (no passages), total and warnings.
fn answer(
    snapshot: &Snapshot,
    query: &str,
    limit: usize,
) -> crate::error::Result<(Vec<Hit>, usize, Vec<crate::error::Warning>)> {
    let plan = Plan::new(snapshot, query, DateBounds::default())?;
    let found = collect(
        snapshot,
        &plan,
        &CollectRequest {
            limit,
            offset: 0,
            sort: Sort::Relevance,
            facets: None,
            deadline: None,
            collapse: Default::default(),
        },
    )?;
    let hits = load::load(snapshot, &found.page)?
        .into_iter()
        .map(|loaded| loaded.hit)
        .collect();
    Ok((hits, found.total, plan.warnings))
}

/// What a refused query's answer says.
fn refusal(error: &Error) -> BatchError {
    match error {
        Error::Query(parse) => BatchError {
            code: "query",
            message: parse.message.clone(),
            column: Some(parse.column() + 1),
        },
        other => BatchError {
            code: other.code(),
            message: other.to_string(),
            column: None,
        },
    }
}

/// `dossier search Q --csv`: every match (the first `limit` when given) as CSV rows
/// under the header of `/api/export`, written a chunk at a time.
pub fn csv_command(
    index_dir: &Path,
    request: &SearchRequest,
    limit: Option<usize>,
) -> anyhow::Result<i32> {
    let store = IndexStore::open(index_dir)?;
    let snapshot = Snapshot::new(&store, store.reader()?.searcher())?;
    let plan = Plan::new(&snapshot, &request.query, request.bounds)?;
    for warning in &plan.warnings {
        eprintln!("dossier: {}", warning.message);
    }
    let ranked = Export::rank(&snapshot, &plan, request.sort, limit, None)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}", export::CSV_HEADER)?;
    let mut failed: Option<std::io::Error> = None;
    ranked.write(&snapshot, |hits| {
        match out.write_all(export::csv_rows(&hits).as_bytes()) {
            Ok(()) => true,
            Err(error) => {
                failed = Some(error);
                false
            }
        }
    })?;
    if let Some(error) = failed {
        return Err(error.into());
    }
    out.flush()?;
    Ok(if ranked.is_empty() {
        super::EXIT_NO_HITS
    } else {
        super::EXIT_OK
    })
}
