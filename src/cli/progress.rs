//! The indexing progress bar (indicatif), drawn on stderr only when it is a terminal.

use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::index::Progress;

const TEMPLATE: &str =
    "{spinner} {bar:30} {msg}  {bytes}/{total_bytes}  {bytes_per_sec}  ETA {eta}";

/// Files, megabytes, rate and ETA of an indexing run.
pub struct IndexProgress {
    bar: Option<ProgressBar>,
    files_done: AtomicU64,
    files_total: AtomicU64,
}

impl IndexProgress {
    /// A bar that draws when `visible`, else a silent sink.
    pub fn new(visible: bool) -> IndexProgress {
        IndexProgress {
            bar: visible
                .then(|| ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())),
            files_done: AtomicU64::new(0),
            files_total: AtomicU64::new(0),
        }
    }
}

impl Progress for IndexProgress {
    fn begin(&self, files: u64, bytes: u64) {
        self.files_total.store(files, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(TEMPLATE)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_length(bytes);
            bar.set_message(format!("0/{files} files"));
        }
    }

    fn advance(&self, bytes: u64) {
        let done = self.files_done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!(
                "{done}/{} files",
                self.files_total.load(Ordering::Relaxed)
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
