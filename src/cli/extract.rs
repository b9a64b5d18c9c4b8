//! `dossier extract`: analyse files (or standard input) without indexing and print one
//! JSON object per article.

use std::io::{Read, Write};
use std::path::Path;

use crate::entities::extract::EntityExtractor;
use crate::index::document::{analyse, Origin};
use crate::ingest::{decode::decode, read_source, source_file};
use crate::model::RawArticle;
use crate::output::json::{to_json, VERSION};

#[derive(serde::Serialize)]
struct ExtractJson<'a> {
    version: u32,
    #[serde(flatten)]
    article: &'a crate::index::document::AnalysedArticle,
}

/// Runs extract over the named files; returns the exit code.
pub fn run(files: &[String]) -> anyhow::Result<i32> {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for name in files {
        if name == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes)?;
            // Standard input is the body verbatim: offsets point into exactly what was sent.
            let raw = RawArticle {
                body: decode(&bytes).0,
                ..RawArticle::default()
            };
            let article = analyse(
                Origin {
                    file_key: "-",
                    path: "-",
                    mtime: 0,
                },
                raw,
                EntityExtractor::shipped(),
            );
            writeln!(
                out,
                "{}",
                to_json(&ExtractJson {
                    version: VERSION,
                    article: &article
                })
            )?;
            continue;
        }
        let path = Path::new(name);
        let outcome =
            source_file(path).and_then(|file| read_source(&file).map(|read| (file, read)));
        match outcome {
            Ok((file, read)) => {
                let display = file.path.to_string_lossy();
                let origin = Origin {
                    file_key: &file.key,
                    path: &display,
                    mtime: file.mtime,
                };
                for raw in read.articles {
                    let article = analyse(origin, raw, EntityExtractor::shipped());
                    writeln!(
                        out,
                        "{}",
                        to_json(&ExtractJson {
                            version: VERSION,
                            article: &article
                        })
                    )?;
                }
                for failure in read.failures {
                    eprintln!(
                        "dossier: skipped {}:{}: {}",
                        failure.path,
                        failure.line.unwrap_or(0),
                        failure.reason
                    );
                    failed = true;
                }
            }
            Err(reason) => {
                eprintln!("dossier: skipped {name}: {reason}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}
