//! The index schema: field names defined once, and the Tantivy schema built from the
//! data file `index-schema/fields.json`.

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED,
};

/// The schema data file, embedded.
pub const FIELDS_FILE: &str = include_str!("../index-schema/fields.json");

/// The name under which dossier's analyzer is registered with Tantivy.
pub const TOKENIZER_NAME: &str = "dossier";

#[derive(Debug, Deserialize)]
struct FieldsFile {
    version: u32,
    fields: Vec<FieldSpec>,
}

/// One field as the data file declares it.
#[derive(Debug, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub options: Vec<String>,
    pub doc: String,
}

/// The parsed field declarations.
pub fn field_specs() -> Vec<FieldSpec> {
    parse_fields(FIELDS_FILE).unwrap_or_else(|e| panic!("index-schema/fields.json: {e}"))
}

fn parse_fields(text: &str) -> Result<Vec<FieldSpec>, String> {
    let file: FieldsFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if file.version != 1 {
        return Err(format!("unsupported version {}", file.version));
    }
    Ok(file.fields)
}

/// The schema's identity: a hash of the field declarations and the analyzer, recorded
/// in each index.
pub fn schema_identity() -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(FIELDS_FILE.as_bytes());
    format!("schema {hash:016x}; {}", crate::analysis::ANALYZER_ID)
}

/// Builds the Tantivy schema from the field declarations.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    for spec in field_specs() {
        let has = |option: &str| spec.options.iter().any(|o| o == option);
        match spec.kind.as_str() {
            "text" => {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                builder.add_text_field(
                    &spec.name,
                    TextOptions::default().set_indexing_options(indexing),
                );
            }
            "string" => {
                let mut options = TextOptions::default();
                if has("indexed") {
                    options = options.set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer("raw")
                            .set_index_option(IndexRecordOption::Basic),
                    );
                }
                if has("stored") {
                    options = options.set_stored();
                }
                if has("fast") {
                    options = options.set_fast("raw");
                }
                builder.add_text_field(&spec.name, options);
            }
            "u64" | "i64" => {
                let mut options = NumericOptions::default();
                if has("indexed") {
                    options = options | INDEXED;
                }
                if has("stored") {
                    options = options | STORED;
                }
                if has("fast") {
                    options = options | FAST;
                }
                if spec.kind == "u64" {
                    builder.add_u64_field(&spec.name, options);
                } else {
                    builder.add_i64_field(&spec.name, options);
                }
            }
            "date" => {
                let mut options = DateOptions::default();
                if has("indexed") {
                    options = options.set_indexed();
                }
                if has("stored") {
                    options = options.set_stored();
                }
                if has("fast") {
                    options = options.set_fast();
                }
                builder.add_date_field(&spec.name, options);
            }
            other => panic!(
                "index-schema/fields.json: field {} has unknown type {other}",
                spec.name
            ),
        }
    }
    builder.build()
}

/// Every field dossier reads or writes, resolved once from the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub key: Field,
    pub file: Field,
    pub path: Field,
    pub record: Field,
    pub file_hash: Field,
    pub file_mtime: Field,
    pub file_stamp: Field,
    pub title: Field,
    pub body: Field,
    pub title_text: Field,
    pub body_text: Field,
    pub url: Field,
    pub source: Field,
    pub source_name: Field,
    pub lang: Field,
    pub published: Field,
    pub published_source: Field,
    pub mentioned: Field,
    pub facet_values: Field,
    pub person: Field,
    pub place: Field,
    pub org: Field,
    pub text_hash: Field,
    pub story_bands: Field,
}

impl Fields {
    /// Resolves every field by name; fails only if `fields.json` and this struct drift
    /// apart, which the schema test catches.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            key: get("key")?,
            file: get("file")?,
            path: get("path")?,
            record: get("record")?,
            file_hash: get("file_hash")?,
            file_mtime: get("file_mtime")?,
            file_stamp: get("file_stamp")?,
            title: get("title")?,
            body: get("body")?,
            title_text: get("title_text")?,
            body_text: get("body_text")?,
            url: get("url")?,
            source: get("source")?,
            source_name: get("source_name")?,
            lang: get("lang")?,
            published: get("published")?,
            published_source: get("published_source")?,
            mentioned: get("mentioned")?,
            facet_values: get("facet_values")?,
            person: get("person")?,
            place: get("place")?,
            org: get("org")?,
            text_hash: get("text_hash")?,
            story_bands: get("story_bands")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_builds_a_schema_with_every_named_field() {
        let schema = build_schema();
        Fields::resolve(&schema).expect("fields.json and Fields agree");
    }

    #[test]
    fn every_field_is_documented_and_unique() {
        let specs = field_specs();
        let mut names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), specs.len(), "duplicate field names");
        for spec in &specs {
            assert!(
                !spec.doc.trim().is_empty(),
                "field {} has no doc",
                spec.name
            );
            for option in &spec.options {
                assert!(
                    ["indexed", "stored", "fast", "multi"].contains(&option.as_str()),
                    "field {} has unknown option {option}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn identity_names_the_analyzer() {
        assert!(schema_identity().contains(crate::analysis::ANALYZER_ID));
    }
}
