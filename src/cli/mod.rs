//! The command line: the only place that knows clap, environment variables, terminals
//! and progress bars. Flags are parsed once into plain requests for the library.

mod batch;
mod demo;
mod extract;
mod opensearch;
mod progress;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::Error;
use crate::index::{run_index, IndexRequest, IndexStore, IndexSummary};
use crate::output::human::{self, Style};
use crate::output::json;
use crate::search::{search, DateBounds, FacetOptions, SearchRequest, SearchResult, Sort};

/// Exit code: success (search: at least one hit).
pub const EXIT_OK: i32 = 0;
/// Exit code: the search found nothing.
pub const EXIT_NO_HITS: i32 = 1;
/// Exit code: an error; the message says what and what to do.
pub const EXIT_ERROR: i32 = 2;
/// Exit code: interrupted by the user.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Where options every command takes are listed in help: after the command's own.
const GLOBAL: usize = 100;

/// The index directory when neither --index nor DOSSIER_INDEX names one.
const DEFAULT_INDEX_DIR: &str = ".dossier";

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Offline full-text search for folders of news articles"
)]
struct Cli {
    /// Index directory [default: $DOSSIER_INDEX, else ./.dossier]
    #[arg(long, global = true, value_name = "DIR", display_order = GLOBAL)]
    index: Option<PathBuf>,
    /// Print JSON objects (each with "version": 1) instead of text
    #[arg(long, global = true, display_order = GLOBAL)]
    json: bool,
    /// Colour: auto (terminal and no NO_COLOR), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, display_order = GLOBAL)]
    color: ColorChoice,
    /// Print only results and errors
    #[arg(short, long, global = true, display_order = GLOBAL)]
    quiet: bool,
    /// Also list skipped files and other details
    #[arg(short, long, global = true, display_order = GLOBAL)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortChoice {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum IntervalChoice {
    Day,
    Month,
    Year,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build or update the index from folders and files of articles
    Index {
        /// Folders (walked recursively) and files to index
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Rebuild from scratch instead of updating
        #[arg(long)]
        full: bool,
        /// Threads reading and analysing files [default: number of cores]
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Entity file: entities and aliases to add, merge, rename or drop (kept with the index)
        #[arg(long, value_name = "FILE")]
        entities: Option<PathBuf>,
        /// Largest article read, in MB: longer text files are cut there, longer JSONL lines skipped
        #[arg(long, value_name = "MB", default_value_t = crate::ingest::DEFAULT_MAX_ARTICLE_MB)]
        max_article_mb: u64,
        /// Commit after every this many MB read: less to redo after a crash, a little slower
        #[arg(long, value_name = "MB", default_value_t = crate::index::DEFAULT_COMMIT_MB)]
        commit_mb: u64,
    },
    /// Search the index
    Search {
        /// The query; it may start with -word (to leave out articles with that word)
        #[arg(value_name = "QUERY", allow_hyphen_values = true)]
        query: String,
        /// More query words, joined to the first with spaces (put a later -word after --)
        #[arg(value_name = "MORE")]
        more: Vec<String>,
        /// Hits to show [default: 10; with --csv, every match]
        #[arg(short = 'n', long = "limit", value_name = "N")]
        limit: Option<usize>,
        /// Hits to skip (for paging)
        #[arg(long, default_value_t = 0, value_name = "K")]
        offset: usize,
        /// Order of hits
        #[arg(long, value_enum, default_value_t = SortChoice::Relevance)]
        sort: SortChoice,
        /// Passages per hit
        #[arg(long, default_value_t = 2, value_name = "K")]
        snippets: usize,
        /// Count hits per person, place, org, source and date
        #[arg(long)]
        facets: bool,
        /// Bucket size of the date facets
        #[arg(long, value_enum, default_value_t = IntervalChoice::Month, value_name = "INTERVAL")]
        facet_interval: IntervalChoice,
        /// People, places, organisations and sources listed per facet
        #[arg(long, value_name = "N", default_value_t = crate::search::facets::TOP_VALUES)]
        facet_size: usize,
        /// Only articles published on or after this day: YYYY-MM-DD (or YYYY-MM, YYYY)
        #[arg(long, value_name = "DATE", value_parser = first_day)]
        from: Option<jiff::civil::Date>,
        /// Only articles published on or before this day: YYYY-MM-DD (or YYYY-MM, YYYY)
        #[arg(long, value_name = "DATE", value_parser = last_day)]
        to: Option<jiff::civil::Date>,
        /// Say why each hit matched: clauses, near: windows, entity forms, date source
        #[arg(long)]
        explain: bool,
        /// One hit per story (its best-ranked copy, with its number of copies); total and
        /// facets count stories
        #[arg(long)]
        collapse: bool,
        /// Print the OpenSearch `_search` body that means this query instead of searching
        #[arg(long, conflicts_with_all = ["csv", "explain"])]
        opensearch: bool,
        /// With --opensearch: for a cluster without the mapper-annotated-text plugin
        #[arg(long, requires = "opensearch")]
        without_plugin: bool,
        /// Print every match (or the first N) as CSV rows for a spreadsheet, with a header
        #[arg(long, conflicts_with_all = ["facets", "explain"])]
        csv: bool,
    },
    /// Run many queries in one process: one query a line of FILE
    Batch {
        /// The queries, one a line (blank lines and lines starting with # are passed over)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Hits listed per query
        #[arg(short = 'n', long = "limit", default_value_t = 10, value_name = "N")]
        limit: usize,
        /// One CSV row per query (line, query, total, error) instead of JSON lines
        #[arg(long)]
        csv: bool,
    },
    /// Analyse files without indexing: one JSON object per article
    Extract {
        /// Files and folders to analyse (folders are walked as index walks them); `-` reads plain text from standard input
        #[arg(value_name = "FILE", default_value = "-")]
        files: Vec<String>,
    },
    /// Summarise the index
    Stats,
    /// Write what another engine needs to hold this index
    Export {
        /// The engine: opensearch (create-index.json and bulk-NNNN.ndjson files)
        #[arg(value_enum, value_name = "ENGINE")]
        engine: ExportEngine,
        /// Folder to write into (created if missing)
        #[arg(value_name = "OUT")]
        out: PathBuf,
        /// The index name the bulk actions name
        #[arg(long, value_name = "NAME", default_value = "dossier")]
        index_name: String,
        /// For a cluster without the mapper-annotated-text plugin: plain text, entities as keyword fields only
        #[arg(long)]
        without_plugin: bool,
    },
    /// Index the sample articles into a temporary index and run example queries
    Demo {
        /// Then serve the sample index (the web page and the API) until Ctrl-C
        #[arg(long)]
        serve: bool,
        #[command(flatten)]
        server: ServeArgs,
    },
    /// Serve the index over HTTP, read-only: the web page and a JSON API
    Serve {
        #[command(flatten)]
        server: ServeArgs,
    },
}

/// Engines `dossier export` writes for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ExportEngine {
    Opensearch,
}

/// `query` with `--from`/`--to` as a date filter of its own (what the search adds).
fn with_date_bounds(query: &str, bounds: DateBounds) -> String {
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    if bounds.from.is_none() && bounds.to.is_none() {
        return query.to_string();
    }
    format!("({query}) date:{}..{}", day(bounds.from), day(bounds.to))
}

/// Where and how to serve.
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on; anything but a loopback address also needs --allow-remote
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on (0 takes a free one)
    #[arg(long, value_name = "N", default_value_t = 8730)]
    port: u16,
    /// Serve on a --bind address other than loopback: anyone who reaches it can read the index
    #[arg(long)]
    allow_remote: bool,
    /// Seconds a search may run before it is stopped and answered with 503
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = positive_seconds)]
    time_limit: f64,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return code;
        }
    };
    match run(&cli) {
        Ok(code) => code,
        // Output into a pipe that closed (`| head`): the reader has what it wanted.
        Err(error) if is_broken_pipe(&error) => EXIT_OK,
        Err(error) => {
            report_error(&error);
            match error.downcast_ref::<Error>() {
                Some(Error::Interrupted) => EXIT_INTERRUPTED,
                _ => EXIT_ERROR,
            }
        }
    }
}

/// Did writing fail because the reader of standard output went away?
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<Error>().is_some_and(|e| {
                matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

/// Writes results to standard output; an error (a closed pipe) is the caller's to end on.
fn print_out(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

fn report_error(error: &anyhow::Error) {
    let mut stderr = std::io::stderr().lock();
    let message = error.to_string();
    let _ = writeln!(stderr, "dossier: error: {message}");
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        // Our error messages already quote their cause; print only what is new.
        if !message.contains(&cause) {
            let _ = writeln!(stderr, "  caused by: {cause}");
        }
    }
}

/// What the global flags decided.
struct Context {
    index_dir: PathBuf,
    json: bool,
    style: Style,
    quiet: bool,
    verbose: bool,
}

fn context(cli: &Cli) -> Context {
    let index_dir = cli
        .index
        .clone()
        .or_else(|| {
            std::env::var_os("DOSSIER_INDEX")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX_DIR));
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
    };
    Context {
        index_dir,
        json: cli.json,
        style: Style { color },
        quiet: cli.quiet,
        verbose: cli.verbose,
    }
}

fn run(cli: &Cli) -> anyhow::Result<i32> {
    let ctx = context(cli);
    match &cli.command {
        Command::Index {
            paths,
            full,
            threads,
            entities,
            max_article_mb,
            commit_mb,
        } => {
            let entities = match entities {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| Error::Input {
                    path: path.clone(),
                    reason: format!(
                        "cannot read the entity file ({e}); check the path given to --entities"
                    ),
                })?),
                None => None,
            };
            let request = IndexRequest {
                entities,
                roots: paths.clone(),
                full: *full,
                threads: threads.unwrap_or_else(default_threads),
                cancel: interrupt_flag(),
                limits: crate::ingest::Limits {
                    max_article_bytes: (*max_article_mb).max(1) << 20,
                },
                commit_every_bytes: (*commit_mb).max(1) << 20,
                settle: crate::index::SETTLE,
                // A measuring knob for benches/compare.sh: what entity extraction costs.
                extract_entities: std::env::var_os("DOSSIER_BENCH_NO_ENTITIES").is_none(),
            };
            index_command(&ctx, &request)
        }
        Command::Search {
            query,
            more,
            limit,
            offset,
            sort,
            snippets,
            facets,
            facet_interval,
            facet_size,
            from,
            to,
            explain,
            collapse,
            opensearch,
            without_plugin,
            csv,
        } => {
            let mut text = query.clone();
            for word in more {
                text.push(' ');
                text.push_str(word);
            }
            let request = SearchRequest {
                query: text,
                limit: limit.unwrap_or(10),
                offset: *offset,
                sort: match sort {
                    SortChoice::Relevance => Sort::Relevance,
                    SortChoice::Newest => Sort::Newest,
                    SortChoice::Oldest => Sort::Oldest,
                },
                snippets: *snippets,
                facets: facets.then(|| FacetOptions {
                    size: *facet_size,
                    ..FacetOptions::new(facet_interval.interval())
                }),
                explain: *explain,
                bounds: DateBounds {
                    from: *from,
                    to: *to,
                },
                deadline: None,
                collapse: match collapse {
                    true => crate::search::Collapse::Stories,
                    false => crate::search::Collapse::Off,
                },
            };
            if *csv {
                return batch::csv_command(&ctx.index_dir, &request, *limit);
            }
            if *opensearch {
                let options = crate::opensearch::translate::SearchOptions {
                    size: request.limit,
                    from: request.offset,
                    sort: request.sort,
                    facets: request.facets.as_ref().map(|f| (f.interval, f.size)),
                    collapse: *collapse,
                };
                let bounded = with_date_bounds(&request.query, request.bounds);
                return opensearch::search_body(
                    &ctx,
                    &bounded,
                    &options,
                    opensearch::flavour(*without_plugin),
                );
            }
            search_command(&ctx, &request)
        }
        Command::Extract { files } => extract::run(files),
        Command::Batch { file, limit, csv } => batch::run(&ctx, file, *limit, *csv),
        Command::Stats => stats_command(&ctx),
        Command::Export {
            engine: ExportEngine::Opensearch,
            out,
            index_name,
            without_plugin,
        } => opensearch::export(&ctx, out, index_name, opensearch::flavour(*without_plugin)),
        Command::Demo { serve, server } => demo::run(&ctx, serve.then_some(server)),
        Command::Serve { server } => serve_command(&ctx.index_dir, server),
    }
}

fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Ctrl-C asks indexing to stop at the next batch boundary.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&flag);
    // A second handler cannot be installed (demo after index in one process): then
    // Ctrl-C keeps its default meaning, which is fine for a short run.
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// A time limit: a number of seconds above 0 (fractions allowed), at most a day.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err(format!(
            "\"{text}\" is not a number of seconds above 0 and at most 86400, like 10 or 2.5"
        )),
    }
}

/// `--from DATE`: the first day of a day, month or year.
fn first_day(text: &str) -> Result<jiff::civil::Date, String> {
    crate::query::parser::parse_date_bound(text).map(|(first, _)| first)
}

/// `--to DATE`: the last day of a day, month or year.
fn last_day(text: &str) -> Result<jiff::civil::Date, String> {
    crate::query::parser::parse_date_bound(text).map(|(_, last)| last)
}

impl IntervalChoice {
    fn interval(self) -> crate::dates::Interval {
        match self {
            IntervalChoice::Day => crate::dates::Interval::Day,
            IntervalChoice::Month => crate::dates::Interval::Month,
            IntervalChoice::Year => crate::dates::Interval::Year,
        }
    }
}

fn index_command(ctx: &Context, request: &IndexRequest) -> anyhow::Result<i32> {
    let bar =
        progress::IndexProgress::new(!ctx.quiet && !ctx.json && std::io::stderr().is_terminal());
    let summary = run_index(&ctx.index_dir, request, &bar)?;
    print_index_report(ctx, &summary);
    Ok(if summary.interrupted {
        EXIT_INTERRUPTED
    } else if summary.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

fn print_index_report(ctx: &Context, summary: &IndexSummary) {
    let mut stderr = std::io::stderr().lock();
    for failure in &summary.failed {
        let line = failure.line.map(|l| format!(":{l}")).unwrap_or_default();
        let _ = writeln!(
            stderr,
            "dossier: skipped {}{line}: {}",
            human::sanitize(&failure.path),
            failure.reason
        );
    }
    for warning in &summary.warnings {
        let _ = writeln!(
            stderr,
            "dossier: warning: {}: {}",
            human::sanitize(&warning.path),
            warning.reason
        );
    }
    if ctx.verbose {
        let _ = writeln!(
            stderr,
            "dossier: {} stories of two or more articles; {} pairs of bodies compared in {:.2} s",
            summary.stories, summary.story_pairs_compared, summary.story_seconds
        );
        for path in &summary.skipped {
            let _ = writeln!(
                stderr,
                "dossier: not an article format, passed over: {}",
                path.display()
            );
        }
    }
    if summary.interrupted {
        let _ = writeln!(stderr, "dossier: interrupted; everything indexed before the interruption is committed. Run the same command again to finish.");
    }
    if ctx.json {
        let _ = print_out(&format!("{}\n", json::index(summary)));
    } else if !ctx.quiet {
        let _ = writeln!(stderr, "{}", human::index_summary(summary));
    }
}

fn search_command(ctx: &Context, request: &SearchRequest) -> anyhow::Result<i32> {
    let store = IndexStore::open(&ctx.index_dir)?;
    let reader = store.reader()?;
    let result = search(&store, &reader.searcher(), request)?;
    print_search(ctx, &result)?;
    Ok(if result.hits.is_empty() && result.total == 0 {
        EXIT_NO_HITS
    } else {
        EXIT_OK
    })
}

fn print_search(ctx: &Context, result: &SearchResult) -> std::io::Result<()> {
    for warning in &result.warnings {
        eprintln!("dossier: {}", warning.message);
    }
    if ctx.json {
        print_out(&format!("{}\n", json::search(result)))
    } else {
        print_out(&human::search(result, ctx.style))
    }
}

fn stats_command(ctx: &Context) -> anyhow::Result<i32> {
    let store = IndexStore::open(&ctx.index_dir)?;
    let reader = store.reader()?;
    let stats = crate::search::stats::collect(&store, &reader.searcher())?;
    if ctx.json {
        print_out(&format!("{}\n", json::to_json(&stats)))?;
    } else {
        print_out(&human::stats(&stats))?;
    }
    Ok(EXIT_OK)
}

/// Serves `index_dir` until Ctrl-C: exit 130, as an interrupted command.
fn serve_command(index_dir: &std::path::Path, args: &ServeArgs) -> anyhow::Result<i32> {
    let config = crate::server::ServeConfig {
        index_dir: index_dir.to_path_buf(),
        bind: args.bind,
        port: args.port,
        allow_remote: args.allow_remote,
        limits: crate::server::Limits {
            time_limit: std::time::Duration::from_secs_f64(args.time_limit),
            ..Default::default()
        },
    };
    if !args.bind.is_loopback() && args.allow_remote {
        eprintln!(
            "dossier: warning: serving on {}: anyone who can reach this address and port can read every article in the index",
            args.bind
        );
    }
    crate::server::serve(config, |address| {
        eprintln!(
            "dossier: serving {} at http://{address}/",
            human::sanitize(&index_dir.display().to_string())
        );
    })?;
    Ok(EXIT_INTERRUPTED)
}
