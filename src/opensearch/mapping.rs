//! The OpenSearch index a dossier index becomes: settings (one analyzer per language
//! of the index, approximating dossier's: standard words, lower case, the language's
//! Snowball stemmer, ASCII folding) and mappings (title and body per language, keyword
//! fields for entities, source, language and story, date fields).

use serde_json::{json, Map, Value};

/// Which body field the cluster has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// The mapper-annotated-text plugin: every entity mention an annotation token
    /// stacked on its words, as in dossier's own index.
    Annotated,
    /// No plugin (Amazon's managed service, say): plain text, entities as keyword
    /// fields only; entity words fall back to their aliases.
    Plain,
}

/// The Snowball language (OpenSearch's `snowball` filter takes the capitalised name;
/// its `stemmer` filter's `english` is Porter) of a dossier language code, if any.
pub fn snowball_language(code: &str) -> Option<&'static str> {
    Some(match code {
        "en" => "English",
        "da" => "Danish",
        "nl" => "Dutch",
        "fi" => "Finnish",
        "fr" => "French",
        "de" => "German",
        "hu" => "Hungarian",
        "it" => "Italian",
        "no" => "Norwegian",
        "pt" => "Portuguese",
        "ro" => "Romanian",
        "ru" => "Russian",
        "es" => "Spanish",
        "sv" => "Swedish",
        "tr" => "Turkish",
        _ => return None,
    })
}

/// The analyzer's name for a language.
pub fn analyzer_name(lang: &str) -> String {
    format!("dossier_{lang}")
}

/// The title field of a language.
pub fn title_field(lang: &str) -> String {
    format!("title_{lang}")
}

/// The body field of a language.
pub fn body_field(lang: &str) -> String {
    format!("body_{lang}")
}

/// The `PUT /NAME` body for an index holding articles in `languages`.
pub fn create_index(languages: &[String], flavour: Flavour) -> Value {
    let mut filters = Map::new();
    let mut analyzers = Map::new();
    let mut properties = Map::new();
    let text_type = match flavour {
        Flavour::Annotated => "annotated_text",
        Flavour::Plain => "text",
    };
    for lang in languages {
        let mut chain = vec![json!("lowercase")];
        if let Some(language) = snowball_language(lang) {
            let filter = format!("dossier_snowball_{lang}");
            filters.insert(
                filter.clone(),
                json!({"type": "snowball", "language": language}),
            );
            chain.push(json!(filter));
        }
        chain.push(json!("asciifolding"));
        analyzers.insert(
            analyzer_name(lang),
            json!({"type": "custom", "tokenizer": "standard", "filter": chain}),
        );
        for field in [title_field(lang), body_field(lang)] {
            properties.insert(
                field,
                json!({"type": text_type, "analyzer": analyzer_name(lang)}),
            );
        }
    }
    for keyword in [
        "person",
        "place",
        "org",
        "source",
        "lang",
        "story",
        "published_source",
        "path",
    ] {
        properties.insert(keyword.to_string(), json!({"type": "keyword"}));
    }
    properties.insert(
        "source_name".to_string(),
        json!({"type": "keyword", "index": false}),
    );
    properties.insert(
        "url".to_string(),
        json!({"type": "keyword", "index": false}),
    );
    properties.insert("record".to_string(), json!({"type": "long"}));
    for day in ["published", "mentioned"] {
        properties.insert(
            day.to_string(),
            json!({"type": "date", "format": "strict_date"}),
        );
    }
    json!({
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 1,
            "analysis": {"filter": filters, "analyzer": analyzers},
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_gets_its_analyzer_and_fields() {
        let body = create_index(&["en".into(), "uk".into()], Flavour::Annotated);
        let analysis = &body["settings"]["analysis"];
        assert_eq!(
            analysis["filter"]["dossier_snowball_en"]["language"],
            "English"
        );
        assert_eq!(
            analysis["analyzer"]["dossier_uk"]["filter"],
            json!(["lowercase", "asciifolding"]),
            "no Snowball stemmer for Ukrainian in OpenSearch"
        );
        let properties = &body["mappings"]["properties"];
        assert_eq!(properties["body_en"]["type"], "annotated_text");
        assert_eq!(properties["title_uk"]["analyzer"], "dossier_uk");
        let plain = create_index(&["en".into()], Flavour::Plain);
        assert_eq!(plain["mappings"]["properties"]["body_en"]["type"], "text");
    }
}
