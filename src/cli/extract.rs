//! `dossier extract`: analyse files (or standard input) without indexing and print one
//! JSON object per article.

use std::io::{Read, Write};
use std::path::Path;

use crate::entities::extract::EntityExtractor;
use crate::index::document::{analyse, Origin};
use crate::ingest::{decode::decode, read_source, source_file, walk, SourceFile};
use crate::model::RawArticle;
use crate::output::json::{to_json, VERSION};

#[derive(serde::Serialize)]
struct ExtractJson<'a> {
    version: u32,
    #[serde(flatten)]
    article: &'a crate::index::document::AnalysedArticle,
}

/// Runs extract over the named files and folders (walked as `index` walks them);
/// returns the exit code.
pub fn run(names: &[String]) -> anyhow::Result<i32> {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for name in names {
        if name == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            // Standard input is the body verbatim: offsets point into exactly what was sent.
            let raw = RawArticle {
                body: decode(&bytes).0,
                ..RawArticle::default()
            };
            let origin = Origin {
                file_key: "-",
                path: "-",
                mtime: 0,
            };
            print_article(&mut out, &analyse(origin, raw, EntityExtractor::shipped()))?;
            continue;
        }
        let path = Path::new(name);
        let files = if path.is_dir() {
            let walked = walk(&[path.to_path_buf()], &[]);
            for failure in &walked.failures {
                eprintln!("dossier: skipped {}: {}", failure.path, failure.reason);
                failed = true;
            }
            walked.files
        } else {
            match source_file(path) {
                Ok(file) => vec![file],
                Err(reason) => {
                    eprintln!("dossier: skipped {name}: {reason}");
                    failed = true;
                    continue;
                }
            }
        };
        for file in files {
            failed |= !extract_file(&mut out, &file)?;
        }
    }
    out.flush()?;
    Ok(if failed {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

/// Prints every article of one file; false when the file or a record was rejected.
fn extract_file(out: &mut impl Write, file: &SourceFile) -> std::io::Result<bool> {
    let read = match read_source(file) {
        Ok(read) => read,
        Err(reason) => {
            eprintln!("dossier: skipped {}: {reason}", file.path.display());
            return Ok(false);
        }
    };
    let display = file.path.to_string_lossy();
    let origin = Origin {
        file_key: &file.key,
        path: &display,
        mtime: file.mtime,
    };
    for raw in read.articles {
        print_article(out, &analyse(origin, raw, EntityExtractor::shipped()))?;
    }
    for failure in &read.failures {
        let line = failure.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!(
            "dossier: skipped {}{line}: {}",
            failure.path, failure.reason
        );
    }
    Ok(read.failures.is_empty())
}

fn print_article(
    out: &mut impl Write,
    article: &crate::index::document::AnalysedArticle,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        to_json(&ExtractJson {
            version: VERSION,
            article
        })
    )
}
