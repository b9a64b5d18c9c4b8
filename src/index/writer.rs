//! The indexing pipeline: walk, compare with what the index holds, read and analyse the
//! changed files on every core, and feed one Tantivy writer that commits in batches.
//!
//! Each file's articles are deleted and added within one commit, so any commit (and so
//! any interruption) leaves every file either wholly old or wholly new.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::document::{analyse, build_document, FileMarks, Origin};
use super::facet_values::FacetNumbering;
use super::state::{indexed_files, FileState};
use super::store::{damaged, IndexStore};
use crate::entities::extract::{extraction_identity, EntityExtractor};
use crate::entities::user::UserEntities;
use crate::error::{Error, Result};
use crate::ingest::{content_hash, read_source_with, walk, Limits, SourceFile};
use crate::model::Failure;

/// Input megabytes between two commits by default (`--commit-mb`): bounds the work an
/// interruption can lose.
pub const DEFAULT_COMMIT_MB: u64 = 64;

/// Tantivy indexing threads: they run the analyzer (tokenize, stem) and build postings,
/// the heaviest step, so they get as many threads as the readers.
const INDEXING_THREADS: usize = 2;

/// Memory the Tantivy writer may buffer before flushing a segment.
const WRITER_MEMORY_BYTES: usize = 256 * 1024 * 1024;

/// The writer's memory for the articles one kind per name rewrites (see `kinds`).
const CONSOLIDATION_MEMORY_BYTES: usize = 32 * 1024 * 1024;

/// What to index and how.
#[derive(Debug, Clone)]
pub struct IndexRequest {
    pub roots: Vec<PathBuf>,
    /// Rebuild from scratch instead of updating.
    pub full: bool,
    /// Threads reading and analysing files.
    pub threads: usize,
    /// Set from another thread (Ctrl-C) to stop at the next batch boundary.
    pub cancel: Arc<AtomicBool>,
    /// The text of a user entity file (`--entities`), to use from now on.
    pub entities: Option<String>,
    /// How much of each file to read.
    pub limits: Limits,
    /// Input bytes read between two commits.
    pub commit_every_bytes: u64,
    /// How long before the run a file's times must lie for its stamp to be trusted
    /// ([`SETTLE`]; tests shorten it).
    pub settle: Duration,
    /// Find entities (off only to measure what extraction costs).
    pub extract_entities: bool,
}

/// A file last changed at least this long before an indexing run began is recognised
/// as unchanged by its size and times alone, without reading it, the next time. Two
/// seconds covers the coarsest file system clocks (FAT's).
pub const SETTLE: Duration = Duration::from_secs(2);

/// Progress reports from the pipeline; only the binary knows how to draw them.
pub trait Progress {
    /// The walk is done: this many files and bytes will be looked at.
    fn begin(&self, files: u64, bytes: u64);
    /// One more file done.
    fn advance(&self, bytes: u64);
    /// All done (or stopped).
    fn finish(&self);
}

/// A progress sink that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: u64, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// What an indexing run did (SPEC §6 `index --json`), counted in articles.
#[derive(Debug, Default, Serialize)]
pub struct IndexSummary {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub failed: Vec<Failure>,
    /// Articles in the index after the run.
    pub articles: u64,
    /// Bytes of the files read.
    pub bytes: u64,
    pub seconds: f64,
    /// Files whose articles were added or replaced.
    #[serde(skip)]
    pub files_indexed: u64,
    /// Unchanged files that were read and hashed to be sure (their times had not
    /// settled when they were last indexed, or have moved since).
    #[serde(skip)]
    pub files_hashed: u64,
    /// Problems that did not stop a file being indexed (it was truncated, say).
    #[serde(skip)]
    pub warnings: Vec<Failure>,
    /// Files the walk passed over because dossier does not read their format.
    #[serde(skip)]
    pub skipped: Vec<PathBuf>,
    /// The run was interrupted; what is reported was committed.
    #[serde(skip)]
    pub interrupted: bool,
    /// Stories of two or more articles in the index after the run.
    #[serde(skip)]
    pub stories: u64,
    /// Pairs of bodies this run compared exactly to find them.
    #[serde(skip)]
    pub story_pairs_compared: u64,
    /// Seconds spent grouping stories after the last commit.
    #[serde(skip)]
    pub story_seconds: f64,
}

impl IndexSummary {
    /// Did the run change the index at all?
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// The result of reading one file on a worker thread.
enum Outcome {
    /// The file's articles stay as they are; `read` if its bytes were hashed to be sure.
    Unchanged {
        articles: u64,
        read: bool,
    },
    Indexed {
        docs: Vec<TantivyDocument>,
        failures: Vec<Failure>,
        warnings: Vec<String>,
    },
    Failed(String),
}

/// Builds or updates the index in `dir` from the request's paths.
pub fn run_index(
    dir: &std::path::Path,
    request: &IndexRequest,
    progress: &dyn Progress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let settled_before_ns = SystemTime::now()
        .checked_sub(request.settle)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let walked = walk(&request.roots, &[dir.to_path_buf()]);
    let store = IndexStore::open_or_create(dir, request.full)?;
    let mut writer = open_writer(&store, dir)?;
    let numbering = match FacetNumbering::open(dir) {
        // A rebuild numbers every value anew: a damaged file is no obstacle to it.
        Err(Error::IndexDamaged { .. }) if request.full => FacetNumbering::start_over(dir)?,
        other => other?,
    };
    let (mut extractor, entities_changed) = entity_extractor(&store, request.entities.as_deref())?;
    if !request.extract_entities {
        extractor = Arc::new(extractor.inactive());
    }
    // A new entity file, or extraction rules other than the ones the articles were
    // analysed with (an index built by an earlier dossier), change every article's
    // analysis: nothing counts as unchanged.
    let extraction_changed = request.extract_entities
        && store.extraction_identity()?.as_deref() != Some(extraction_identity());
    let reanalyse = entities_changed || extraction_changed;
    let rebuild = request.full || reanalyse;
    let previous = if request.full {
        writer.delete_all_documents()?;
        HashMap::new()
    } else {
        let reader = store.reader()?;
        indexed_files(&reader.searcher()).map_err(|e| damaged(dir, e))?
    };
    let mut summary = IndexSummary {
        failed: walked.failures,
        skipped: walked.skipped,
        ..IndexSummary::default()
    };
    summary.removed = remove_vanished(&writer, &store, &request.roots, &walked.files, &previous);
    let total_bytes = walked.files.iter().map(|f| f.size).sum();
    progress.begin(walked.files.len() as u64, total_bytes);
    let mut since_commit = 0u64;
    let files = &walked.files;
    let previous_ref = &previous;
    let extractor: &EntityExtractor = &extractor;
    let numbering_ref = &numbering;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let (sender, receiver) = crossbeam_channel::bounded::<(usize, Outcome)>(64);
        for _ in 0..request.threads.max(1) {
            let sender = sender.clone();
            let (next, store) = (&next, &store);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= files.len() || request.cancel.load(Ordering::Relaxed) {
                    break;
                }
                let known = previous_ref.get(&files[i].key).filter(|_| !reanalyse);
                let outcome = process_file(
                    store,
                    (extractor, numbering_ref),
                    &files[i],
                    (known, settled_before_ns),
                    &request.limits,
                );
                if sender.send((i, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (i, outcome) in receiver {
            let file = &files[i];
            apply(
                &writer,
                &store,
                file,
                outcome,
                previous.get(&file.key),
                &mut summary,
            )?;
            summary.bytes += file.size;
            since_commit += file.size;
            progress.advance(file.size);
            if request.cancel.load(Ordering::Relaxed) {
                summary.interrupted = true;
                break;
            }
            if since_commit >= request.commit_every_bytes {
                numbering.save()?;
                writer.commit()?;
                since_commit = 0;
            }
        }
        Ok(())
    })?;
    let committed = summary.changed() || rebuild;
    if committed {
        if let Some(text) = &request.entities {
            store.save_user_entities(text)?;
        }
        numbering.save()?;
        writer.commit()?;
    }
    if committed && !summary.interrupted && request.extract_entities {
        store.save_extraction_identity()?;
    }
    progress.finish();
    writer.wait_merging_threads()?;
    if committed && !summary.interrupted {
        // One name, one kind across the index: a second commit, so an interruption
        // here leaves the first intact (the next run finishes the job). Its own small
        // writer: a few articles do not need the main writer's memory, which every
        // commit allocates and clears anew.
        let small = || open_writer_sized(&store, dir, CONSOLIDATION_MEMORY_BYTES, 1);
        if let Some(mut writer) = super::kinds::consolidate(&store, small, &numbering, extractor)? {
            numbering.save()?;
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
    }
    // Stories last, over the final commit: an interruption before this leaves the file
    // describing an older commit, which readers notice and the next run redoes.
    if !summary.interrupted {
        let grouping = Instant::now();
        let reader = store.reader()?;
        let (assignment, compared) =
            crate::stories::refresh(dir, &reader.searcher(), &store.fields)?;
        summary.stories = assignment.stories.len() as u64;
        summary.story_pairs_compared = compared as u64;
        summary.story_seconds = grouping.elapsed().as_secs_f64();
    }
    let reader = store.reader()?;
    summary.articles = reader.searcher().num_docs();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn open_writer(store: &IndexStore, dir: &std::path::Path) -> Result<IndexWriter> {
    open_writer_sized(store, dir, WRITER_MEMORY_BYTES, INDEXING_THREADS)
}

fn open_writer_sized(
    store: &IndexStore,
    dir: &std::path::Path,
    memory_per_thread: usize,
    threads: usize,
) -> Result<IndexWriter> {
    let options = tantivy::indexer::IndexWriterOptions::builder()
        .memory_budget_per_thread(memory_per_thread)
        .num_worker_threads(threads)
        .build();
    store
        .index
        .writer_with_options(options)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::IndexBusy(dir.to_path_buf()),
            other => Error::Engine(other),
        })
}

/// Deletes the articles of indexed files, under the walked roots, that no longer exist.
fn remove_vanished(
    writer: &IndexWriter,
    store: &IndexStore,
    roots: &[PathBuf],
    walked: &[SourceFile],
    previous: &HashMap<String, FileState>,
) -> u64 {
    let present: HashSet<&str> = walked.iter().map(|f| f.key.as_str()).collect();
    let prefixes: Vec<String> = roots
        .iter()
        .filter_map(|r| std::path::absolute(r).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let under_roots = |key: &str| {
        prefixes.iter().any(|p| {
            key == p
                || key
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    let mut removed = 0;
    for (key, state) in previous {
        if !present.contains(key.as_str()) && under_roots(key) {
            writer.delete_term(Term::from_field_text(store.fields.file, key));
            removed += state.articles;
        }
    }
    removed
}

/// The extractor for this run: the shipped lists with the user's entity file (the one
/// given now, else the one the index keeps). A new file means every article must be
/// analysed again.
fn entity_extractor(
    store: &IndexStore,
    given: Option<&str>,
) -> Result<(Arc<EntityExtractor>, bool)> {
    let kept = store.user_entities()?;
    let Some(given) = given else {
        return Ok((store.entity_extractor()?, false));
    };
    let invalid = |reason: String| Error::Input {
        path: "--entities".into(),
        reason,
    };
    let user = UserEntities::parse(given).map_err(invalid)?;
    Ok((
        Arc::new(EntityExtractor::new(user).map_err(invalid)?),
        Some(given) != kept.as_deref(),
    ))
}

fn process_file(
    store: &IndexStore,
    (extractor, numbering): (&EntityExtractor, &FacetNumbering),
    file: &SourceFile,
    (previous, settled_before_ns): (Option<&FileState>, i64),
    limits: &Limits,
) -> Outcome {
    let stamp = file.stamp(settled_before_ns);
    if let Some(state) = previous {
        // Same size and times, settled when it was last read: not rewritten since.
        if state.stamp != 0 && state.stamp == stamp {
            return Outcome::Unchanged {
                articles: state.articles,
                read: false,
            };
        }
        // Otherwise the same modification time and bytes: not parsed again.
        if state.mtime == file.mtime && content_hash(file).is_ok_and(|hash| hash == state.hash) {
            return Outcome::Unchanged {
                articles: state.articles,
                read: true,
            };
        }
    }
    let read = match read_source_with(file, limits) {
        Ok(read) => read,
        Err(reason) => return Outcome::Failed(reason),
    };
    let path = file.path.to_string_lossy();
    let origin = Origin {
        file_key: &file.key,
        path: &path,
        mtime: file.mtime,
    };
    let docs = read
        .articles
        .into_iter()
        .map(|article| {
            build_document(
                &store.fields,
                numbering,
                FileMarks {
                    key: &file.key,
                    hash: read.hash,
                    mtime: file.mtime,
                    stamp,
                },
                analyse(origin, article, extractor),
            )
        })
        .collect();
    Outcome::Indexed {
        docs,
        failures: read.failures,
        warnings: read.warnings,
    }
}

fn apply(
    writer: &IndexWriter,
    store: &IndexStore,
    file: &SourceFile,
    outcome: Outcome,
    previous: Option<&FileState>,
    summary: &mut IndexSummary,
) -> Result<()> {
    let path = file.path.to_string_lossy().into_owned();
    match outcome {
        Outcome::Unchanged { articles, read } => {
            summary.unchanged += articles;
            summary.files_hashed += u64::from(read);
        }
        Outcome::Failed(reason) => summary.failed.push(Failure {
            path,
            line: None,
            reason,
        }),
        Outcome::Indexed {
            docs,
            failures,
            warnings,
        } => {
            if previous.is_some() {
                writer.delete_term(Term::from_field_text(store.fields.file, &file.key));
                summary.updated += docs.len() as u64;
            } else {
                summary.added += docs.len() as u64;
            }
            summary.files_indexed += 1;
            for doc in docs {
                writer.add_document(doc)?;
            }
            summary.failed.extend(failures);
            summary
                .warnings
                .extend(warnings.into_iter().map(|reason| Failure {
                    path: path.clone(),
                    line: None,
                    reason,
                }));
        }
    }
    Ok(())
}
