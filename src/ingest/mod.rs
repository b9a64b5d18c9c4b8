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
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    pub format: Format,
    pub gzip: bool,
}

/// What the walk found: files to read, files it skipped (for `--verbose`) and failures.
#[derive(Debug, Default)]
pub struct WalkResult {
    pub files: Vec<SourceFile>,
    pub skipped: Vec<PathBuf>,
    pub failures: Vec<Failure>,
}

/// Walks the given paths (folders recursively, files as given) in sorted order.
pub fn walk(roots: &[PathBuf]) -> WalkResult {
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
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    result.files.push(SourceFile {
        path: path.to_path_buf(),
        key: key.to_string_lossy().into_owned(),
        size: metadata.len(),
        mtime,
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
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let key = std::path::absolute(path).map_err(|e| format!("cannot resolve path: {e}"))?;
    Ok(SourceFile {
        path: path.to_path_buf(),
        key: key.to_string_lossy().into_owned(),
        size: metadata.len(),
        mtime,
        format,
        gzip,
    })
}

fn walk_failure(root: &Path, error: &ignore::Error) -> Failure {
    let text = error.to_string();
    let (path, reason) = match error {
        ignore::Error::WithPath { path, err } => (path.clone(), err.to_string()),
        ignore::Error::Loop { child, .. } => (
            child.clone(),
            "symbolic link loop; skipped (remove the link to silence this)".to_string(),
        ),
        _ => (root.to_path_buf(), text),
    };
    failure(&path, reason)
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

/// Reads one file into articles. A file that cannot be used at all is an `Err` with
/// the reason; a bad record costs that record only.
pub fn read_source(file: &SourceFile) -> Result<FileRead, String> {
    let raw = read_capped(&file.path)?;
    let mut read = FileRead {
        hash: xxhash_rust::xxh3::xxh3_64(&raw.bytes),
        ..FileRead::default()
    };
    if raw.truncated {
        read.warnings.push(format!(
            "larger than {} MB; only the first {} MB were read",
            MAX_FILE_BYTES >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    let bytes = if file.gzip {
        let (bytes, truncated) = decode::gunzip(&raw.bytes)?;
        if truncated {
            read.warnings.push(format!(
                "decompresses to more than {} MB; only the first {} MB were read",
                decode::MAX_DECOMPRESSED_BYTES >> 20,
                decode::MAX_DECOMPRESSED_BYTES >> 20
            ));
        }
        bytes
    } else {
        raw.bytes
    };
    if decode::looks_binary(&bytes) {
        return Err("binary data (NUL bytes), not text; remove it or rename it so its extension does not look like an article".to_string());
    }
    let (text, _encoding) = decode::decode(&bytes);
    drop(bytes);
    let text = crate::clean::normalize(&text);
    let path = file.path.to_string_lossy();
    match file.format {
        Format::Text => read.articles.push(text::read_text(&text, false)),
        Format::Markdown => read.articles.push(text::read_text(&text, true)),
        Format::Html => read.articles.push(html::read_html(&text)),
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

struct CappedBytes {
    bytes: Vec<u8>,
    truncated: bool,
}

fn read_capped(path: &Path) -> Result<CappedBytes, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| open_error(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    let truncated = bytes.len() as u64 > MAX_FILE_BYTES;
    bytes.truncate(MAX_FILE_BYTES as usize);
    Ok(CappedBytes { bytes, truncated })
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
