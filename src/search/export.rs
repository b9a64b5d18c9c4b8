//! Exports: every match of a plan (or the first `limit`), in rank order, loaded and
//! handed on a chunk at a time, so memory holds one chunk of articles however many
//! match (plus 24 bytes a match for the ranking).

use super::collect::{collect_all, Deadline, Ranked};
use super::{load, Hit, Plan, Snapshot, Sort};
use crate::error::Result;

/// Articles loaded at a time.
pub const EXPORT_CHUNK: usize = 256;

/// The ranked matches of an export, ready to be written.
pub struct Export {
    ranked: Vec<Ranked>,
}

impl Export {
    /// Ranks every match of `plan` (the first `limit`, if given), under the deadline.
    pub fn rank(
        snapshot: &Snapshot,
        plan: &Plan,
        sort: Sort,
        limit: Option<usize>,
        deadline: Option<Deadline>,
    ) -> Result<Export> {
        let mut ranked = collect_all(snapshot, plan, sort, deadline)?;
        if let Some(limit) = limit {
            ranked.truncate(limit);
        }
        Ok(Export { ranked })
    }

    /// How many articles the export holds.
    pub fn len(&self) -> usize {
        self.ranked.len()
    }

    /// Does the export hold no article?
    pub fn is_empty(&self) -> bool {
        self.ranked.is_empty()
    }

    /// Hands the articles to `emit` a chunk at a time, until `emit` says stop (a reader
    /// gone); returns how many were handed on. No deadline: this goes at the pace of
    /// whoever reads.
    pub fn write(
        &self,
        snapshot: &Snapshot,
        mut emit: impl FnMut(Vec<Hit>) -> bool,
    ) -> Result<usize> {
        let mut sent = 0;
        for chunk in self.ranked.chunks(EXPORT_CHUNK) {
            let hits: Vec<Hit> = load::load_each(snapshot, chunk, |loaded| Ok(loaded.hit))?;
            sent += hits.len();
            if !emit(hits) {
                break;
            }
        }
        Ok(sent)
    }
}
