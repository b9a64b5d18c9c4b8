//! dossier: offline full-text search for folders of news articles.
//!
//! Glossary (one word per concept, used throughout):
//! - **article**: one news item: a file, or one record of a JSON/JSONL file.
//! - **analyzer**: THE function from text to terms (tokenize, lowercase, stem, fold),
//!   shared by indexing, querying and passages.
//! - **term**: an analysed word as stored in the index.
//! - **mention**: a span of text naming an entity; **entity**: a person, place or org
//!   under one canonical name.
//! - **hit**: an article a query matched, with its score.
//! - **passage**: a highlighted excerpt of a hit's body showing why it matched.
//! - **facet**: a count of hits per value (per person, per month...).
//! - **story**: articles whose bodies are copies of each other (SPEC 2), counted once
//!   when results are collapsed; a **copy** is one of them.
//! - **stamp**: a hash of a file's size, modification and change times, recorded when
//!   they were settled; a re-index trusts a matching stamp without reading the file.
//!
//! Modules import only from modules listed above them here:
//! `model`, `error` → `clean`, `analysis` → `dates` → `ingest` → `schema` → `stories` → `index` →
//! `query` → `search` → `output`, `opensearch` → `server` → `cli`.

/// mimalloc: indexing and searching allocate many small, short-lived buffers across
/// threads, which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod analysis;
pub mod clean;
pub mod cli;
pub mod dates;
pub mod entities;
pub mod error;
pub mod index;
pub mod ingest;
pub mod model;
pub mod opensearch;
pub mod output;
pub mod query;
pub mod schema;
pub mod search;
pub mod server;
pub mod stories;
