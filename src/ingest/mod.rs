//! Folder walking and format readers: from paths on disk to raw articles.
//!
//! [`walk`] lists the files to read (sorted, honouring ignore files, skipping hidden
//! files and symlink loops); [`read_source`] turns one file into articles, with a
//! failure for each record it could not use.

pub mod decode;
pub mod html;
pub mod json;
pub mod text;

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::model::{Failure, RawArticle};

/// The most bytes read from one file; a larger file is read up to this and reported.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// An article file format, decided by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    JsonLines,
}

impl Format {
    /// The format of a file name (case-insensitive, optionally `.gz`), and whether it is
    /// gzip-compressed; `None` for files dossier does not read.
    pub fn of(path: &Path) -> Option<(Format, bool)> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        let (name, gzip) = match name.strip_suffix(".gz") {
            Some(inner) => (inner.to_string(), true),
            None => (name, false),
        };
        let extension = name.rsplit_once('.')?.1;
        let format = match extension {
            "txt" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => return None,
        };
        Some((format, gzip))
    }
}

/// A file found by the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as walked (what the user sees).
    pub path: PathBuf,
    /// The absolute path: the article's identity in the index.
    pub key: String,
    pub size: u64,
    /// Modification time, seconds since the epoch (`times.modified_ns` in seconds).
    pub mtime: i64,
    /// Times to the nanosecond: with `size`, what recognises an unchanged file unread.
    pub times: FileTimes,
    pub format: Format,
    pub gzip: bool,
}

/// A file's modification and change times, in nanoseconds since the epoch. The change
/// time (Unix ctime) moves on every write and every metadata change and cannot be set
/// back, so a file whose size and both times match what was indexed has not been
/// rewritten since, as long as both times were already in the past when it was read
/// (a write in the same clock tick as the reading would leave them as they were).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileTimes {
    pub modified_ns: i64,
    /// None where the platform has no change time: such files are always hashed.
    pub changed_ns: Option<i64>,
}

impl FileTimes {
    fn of(metadata: &std::fs::Metadata) -> FileTimes {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        #[cfg(unix)]
        let changed_ns = {
            use std::os::unix::fs::MetadataExt;
            Some(
                metadata
                    .ctime()
                    .saturating_mul(1_000_000_000)
                    .saturating_add(metadata.ctime_nsec()),
            )
        };
        #[cfg(not(unix))]
        let changed_ns = None;
        FileTimes {
            modified_ns,
            changed_ns,
        }
    }
}

impl SourceFile {
    /// The file's stamp (size and times hashed, never 0) if both its times are before
    /// `settled_before_ns`, else 0: a stamp an index can trust to mean "not rewritten".
    pub fn stamp(&self, settled_before_ns: i64) -> u64 {
        let FileTimes {
            modified_ns,
            changed_ns: Some(changed_ns),
        } = self.times
        else {
            return 0;
        };
        if modified_ns >= settled_before_ns || changed_ns >= settled_before_ns {
            return 0;
        }
        let mut bytes = [0u8; 24];
        bytes[..8].copy_from_slice(&self.size.to_le_bytes());
        bytes[8..16].copy_from_slice(&modified_ns.to_le_bytes());
        bytes[16..].copy_from_slice(&changed_ns.to_le_bytes());
        xxhash_rust::xxh3::xxh3_64(&bytes).max(1)
    }
}

/// What the walk found: files to read, files it skipped (for `--verbose`) and failures.
#[derive(Debug, Default)]
pub struct WalkResult {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<PathBuf>,
    pub failures: Vec<Failure>,
}

/// Walks the given paths (folders recursively, files as given) in sorted order,
/// passing over everything inside `skip` (the index folder, when it lies inside a
/// folder being indexed).
pub fn walk(roots: &[PathBuf], skip: &[PathBuf]) -> WalkResult {
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter_map(|p| std::path::absolute(p).ok())
        .flat_map(|p| {
            let real = std::fs::canonicalize(&p).ok();
            std::iter::once(p).chain(real)
        })
        .collect();
    let mut result = WalkResult::default();
    for root in roots {
        let absolute_root = match std::path::absolute(root) {
            Ok(p) => p,
            Err(e) => {
                result
                    .failures
                    .push(failure(root, format!("cannot resolve path: {e}")));
                continue;
            }
        };
        if !root.exists() {
            result.failures.push(failure(
                root,
                "no such file or folder; check the path".to_string(),
            ));
            continue;
        }
        let inside = absolute_root.clone();
        let given = root.clone();
        let skip = skip.clone();
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .ignore(true)
            .parents(true)
            .require_git(false)
            .follow_links(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                let relative = entry.path().strip_prefix(&given).unwrap_or(entry.path());
                let absolute = inside.join(relative);
                !skip.iter().any(|s| absolute.starts_with(s))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => visit(entry, root, &absolute_root, &mut result),
                Err(error) => result.failures.push(walk_failure(root, &error)),
            }
        }
    }
    result
}

fn visit(entry: ignore::DirEntry, root: &Path, absolute_root: &Path, result: &mut WalkResult) {
    let path = entry.path();
    if entry.file_type().is_some_and(|t| t.is_dir()) {
        return;
    }
    let Some((format, gzip)) = Format::of(path) else {
        result.skipped.push(path.to_path_buf());
        return;
    };
    let metadata = match entry.metadata() {
        Ok(m) => m,
        Err(e) => {
            result
                .failures
                .push(failure(path, format!("cannot read file metadata: {e}")));
            return;
        }
    };
    if !metadata.is_file() {
        result.skipped.push(path.to_path_buf());
        return;
    }
    let relative = path.strip_prefix(root).unwrap_or(path);
    let key = if relative.as_os_str().is_empty() {
        absolute_root.to_path_buf()
    } else {
        absolute_root.join(relative)
    };
    let times = FileTimes::of(&metadata);
    result.files.push(SourceFile {
        path: path.to_path_buf(),
        key: key.to_string_lossy().into_owned(),
        size: metadata.len(),
        mtime: times.modified_ns.div_euclid(1_000_000_000),
        times,
        format,
        gzip,
    });
}

/// Describes one named file (for `extract`), whatever the walk rules say.
pub fn source_file(path: &Path) -> Result<SourceFile, String> {
    let Some((format, gzip)) = Format::of(path) else {
        return Err("not an article format dossier reads (.txt .md .html .htm .json .jsonl .ndjson, optionally .gz)".to_string());
    };
    let metadata = std::fs::metadata(path).map_err(|e| open_error(&e))?;
    let times = FileTimes::of(&metadata);
    let key = std::path::absolute(path).map_err(|e| format!("cannot resolve path: {e}"))?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        key: key.to_string_lossy().into_owned(),
        size: metadata.len(),
        mtime: times.modified_ns.div_euclid(1_000_000_000),
        times,
        format,
        gzip,
    })
}

fn walk_failure(root: &Path, error: &ignore::Error) -> Failure {
    match error {
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_failure(root, err)
        }
        ignore::Error::WithPath { path, err } => match err.as_ref() {
            ignore::Error::Io(io) => failure(path, open_error(io)),
            inner => walk_failure(path, inner),
        },
        ignore::Error::Loop { child, ancestor } => failure(
            child,
            format!(
                "symbolic link loop (it points back to {}); skipped: remove the link to silence this",
                ancestor.display()
            ),
        ),
        other => failure(root, other.to_string()),
    }
}

fn failure(path: &Path, reason: String) -> Failure {
    Failure {
        path: path.to_string_lossy().into_owned(),
        line: None,
        reason,
    }
}

/// One file read: its content hash, its articles and the records it had to reject.
#[derive(Debug, Default)]
pub struct FileRead {
    pub hash: u64,
    pub articles: Vec<RawArticle>,
    pub failures: Vec<Failure>,
    /// Problems that did not stop the file being indexed (truncation).
    pub warnings: Vec<String>,
}

/// How much of a file dossier reads.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most text one article (a text, Markdown or HTML file, or one JSONL line) may
    /// have: a longer file is cut there with a warning, a longer JSONL line skipped.
    pub max_article_bytes: u64,
}

/// The default of `index --max-article-mb`.
pub const DEFAULT_MAX_ARTICLE_MB: u64 = 32;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_article_bytes: DEFAULT_MAX_ARTICLE_MB << 20,
        }
    }
}

/// Reads one file into articles with the default [`Limits`].
pub fn read_source(file: &SourceFile) -> Result<FileRead, String> {
    read_source_with(file, &Limits::default())
}

/// Reads one file into articles. A file that cannot be used at all is an `Err` with
/// the reason; a bad record costs that record only. Memory stays bounded: single-article
/// files are read up to the article limit, JSONL line by line.
pub fn read_source_with(file: &SourceFile, limits: &Limits) -> Result<FileRead, String> {
    let opened = std::fs::File::open(&file.path).map_err(|e| open_error(&e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let raw = HashingReader {
        inner: opened,
        hasher: &mut hasher,
    };
    let mut source: Box<dyn std::io::BufRead + '_> = if file.gzip {
        Box::new(std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            raw,
        )))
    } else {
        Box::new(std::io::BufReader::new(raw))
    };
    let mut read = FileRead::default();
    let path = file.path.to_string_lossy().into_owned();
    let cap = match file.format {
        Format::JsonLines if !starts_with_utf16_bom(&mut source) => {
            read_json_lines(&mut source, limits, file.gzip, &path, &mut read)?;
            drop(source);
            read.hash = hasher.digest();
            return Ok(read);
        }
        Format::Json | Format::JsonLines => MAX_FILE_BYTES,
        Format::Text | Format::Markdown | Format::Html => limits.max_article_bytes,
    };
    let (bytes, truncated) = read_up_to(&mut source, cap, file.gzip)?;
    if truncated {
        // The rest is not used but still hashed, so the hash is the whole file's.
        std::io::copy(&mut source, &mut std::io::sink()).map_err(|e| read_error(&e, file.gzip))?;
    }
    drop(source);
    read.hash = hasher.digest();
    if truncated {
        read.warnings.push(format!(
            "truncated at {} MB: only the first {} MB were read (raise the limit with --max-article-mb)",
            cap >> 20,
            cap >> 20
        ));
    }
    if bytes.is_empty() {
        return Err("empty file: nothing to index".to_string());
    }
    if decode::looks_binary(&bytes) {
        return Err("binary data (NUL bytes), not text; remove it or rename it so its extension does not look like an article".to_string());
    }
    let (text, _encoding) = decode::decode(&bytes);
    drop(bytes);
    let text = crate::clean::normalize(&text);
    match file.format {
        Format::Text => read.articles.push(text::read_text(&text, false)),
        Format::Markdown => read.articles.push(text::read_text(&text, true)),
        Format::Html => {
            let (article, flattened) = html::read_html_bounded(&text);
            if flattened {
                read.warnings.push(format!(
                    "HTML nested deeper than {} elements; read as plain text without its markup",
                    html::MAX_NESTING
                ));
            }
            read.articles.push(article)
        }
        Format::Json => {
            for (record, outcome) in json::read_json(&text)? {
                push_record(&mut read, &path, record, outcome);
            }
        }
        Format::JsonLines => {
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let number = index as u64 + 1;
                push_record(&mut read, &path, number, json::read_json_line(line));
            }
        }
    }
    Ok(read)
}

/// The content hash [`read_source_with`] gives a file (xxh3 of its bytes as stored),
/// computed without parsing: enough to tell an unchanged file.
pub fn content_hash(file: &SourceFile) -> Result<u64, String> {
    let opened = std::fs::File::open(&file.path).map_err(|e| open_error(&e))?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut reader = HashingReader {
        inner: opened,
        hasher: &mut hasher,
    };
    std::io::copy(&mut reader, &mut std::io::sink()).map_err(|e| read_error(&e, false))?;
    Ok(hasher.digest())
}

/// Feeds every byte read through it to a hash: the file's content hash for incremental
/// updates, computed while reading.
struct HashingReader<'h, R> {
    inner: R,
    hasher: &'h mut xxhash_rust::xxh3::Xxh3,
}

impl<R: std::io::Read> std::io::Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Reads up to `cap` bytes; also says whether there was more.
fn read_up_to(
    source: &mut dyn std::io::BufRead,
    cap: u64,
    gzip: bool,
) -> Result<(Vec<u8>, bool), String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    source
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(&e, gzip))?;
    let truncated = bytes.len() as u64 > cap;
    bytes.truncate(cap as usize);
    Ok((bytes, truncated))
}

/// A read error as a reason: for a gzip file, damaged data.
fn read_error(error: &std::io::Error, gzip: bool) -> String {
    use std::io::ErrorKind;
    let damaged = matches!(
        error.kind(),
        ErrorKind::InvalidInput | ErrorKind::InvalidData | ErrorKind::UnexpectedEof
    );
    if gzip && damaged {
        format!("not valid gzip data ({error}); re-download or recompress the file")
    } else {
        format!("cannot read: {error}")
    }
}

/// JSONL in UTF-16 cannot be split at newline bytes: such a file is decoded whole.
fn starts_with_utf16_bom(source: &mut dyn std::io::BufRead) -> bool {
    source
        .fill_buf()
        .map(|head| head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]))
        .unwrap_or(false)
}

/// Reads JSON Lines one line at a time; a line longer than the article limit is skipped
/// with a message, without holding more than the limit in memory.
fn read_json_lines(
    source: &mut dyn std::io::BufRead,
    limits: &Limits,
    gzip: bool,
    path: &str,
    read: &mut FileRead,
) -> Result<(), String> {
    use std::io::{BufRead, Read};
    let cap = limits.max_article_bytes;
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut saw_bytes = false;
    loop {
        line.clear();
        let n = (&mut *source)
            .take(cap + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| read_error(&e, gzip))?;
        if n == 0 {
            break;
        }
        saw_bytes = true;
        number += 1;
        if line.len() as u64 > cap && line.last() != Some(&b'\n') {
            skip_rest_of_line(source).map_err(|e| read_error(&e, gzip))?;
            read.failures.push(Failure {
                path: path.to_string(),
                line: Some(number),
                reason: format!(
                    "line longer than {} MB; skipped (raise the limit with --max-article-mb)",
                    cap >> 20
                ),
            });
            continue;
        }
        let bytes = if number == 1 {
            line.strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(&line)
        } else {
            &line[..]
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if bytes.contains(&0) {
            read.failures.push(Failure {
                path: path.to_string(),
                line: Some(number),
                reason: "binary data (NUL bytes) in this line; fix or delete it".to_string(),
            });
            continue;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => std::borrow::Cow::Owned(decode::decode(bytes).0),
        };
        let text = crate::clean::normalize(&text);
        push_record(read, path, number, json::read_json_line(&text));
    }
    if !saw_bytes {
        return Err("empty file: nothing to index".to_string());
    }
    Ok(())
}

/// Consumes input up to and including the next newline.
fn skip_rest_of_line(source: &mut dyn std::io::BufRead) -> std::io::Result<()> {
    loop {
        let buffer = source.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(at) => {
                source.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = buffer.len();
                source.consume(n);
            }
        }
    }
}

fn push_record(read: &mut FileRead, path: &str, record: u64, outcome: json::RecordResult) {
    match outcome {
        Ok(mut article) => {
            article.record = Some(record);
            read.articles.push(article);
        }
        Err(reason) => read.failures.push(Failure {
            path: path.to_string(),
            line: Some(record),
            reason,
        }),
    }
}

fn open_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            "vanished before it could be read (deleted or moved during indexing); run index again"
                .to_string()
        }
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; make the file readable (chmod +r) or ignore it in .ignore"
                .to_string()
        }
        _ => format!("cannot open: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_needs_both_times_settled_and_names_size_and_times() {
        let file = |size, modified_ns, changed_ns| SourceFile {
            path: PathBuf::from("a.txt"),
            key: "/a.txt".to_string(),
            size,
            mtime: 0,
            times: FileTimes {
                modified_ns,
                changed_ns,
            },
            format: Format::Text,
            gzip: false,
        };
        let settled = file(10, 100, Some(200)).stamp(201);
        assert_ne!(settled, 0);
        assert_eq!(
            file(10, 100, Some(200)).stamp(200),
            0,
            "changed at the threshold"
        );
        assert_eq!(file(10, 300, Some(200)).stamp(201), 0, "modified after it");
        assert_eq!(file(10, 100, None).stamp(201), 0, "no change time known");
        assert_ne!(file(11, 100, Some(200)).stamp(201), settled);
        assert_ne!(file(10, 101, Some(200)).stamp(201), settled);
        assert_ne!(file(10, 100, Some(199)).stamp(201), settled);
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            Format::of(Path::new("a/B.TXT")),
            Some((Format::Text, false))
        );
        assert_eq!(
            Format::of(Path::new("x.jsonl.gz")),
            Some((Format::JsonLines, true))
        );
        assert_eq!(
            Format::of(Path::new("x.ndjson")),
            Some((Format::JsonLines, false))
        );
        assert_eq!(Format::of(Path::new("x.htm")), Some((Format::Html, false)));
        assert_eq!(Format::of(Path::new("photo.jpg")), None);
        assert_eq!(Format::of(Path::new("README")), None);
    }
}
