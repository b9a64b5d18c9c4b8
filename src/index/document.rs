//! From a raw article to what dossier knows about it ([`AnalysedArticle`]: language,
//! publication date, later entities and mentioned dates), and from that to the Tantivy
//! document it indexes. `extract` prints the same analysis without indexing.

use jiff::civil::Date;
use serde::Serialize;
use tantivy::TantivyDocument;

use crate::analysis::{annotate, detect_language, entity_term, StackedToken};
use crate::dates;
use crate::entities::extract::{EntityExtractor, Mention};
use crate::entities::gazetteer::Form;
use crate::model::{DateSource, EntityKind, RawArticle};
use crate::schema::Fields;

use super::facet_values::{FacetKind, FacetNumbering};

/// One mention of an entity: a byte range of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionJson {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `name`, or `demonym` for an adjective of a place ("Belarusian").
    pub form: Form,
}

/// An entity found in an article, with its mentions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityJson {
    pub kind: EntityKind,
    pub name: String,
    pub mentions: Vec<MentionJson>,
}

/// A day the text mentions, with where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMentionJson {
    pub date: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Everything dossier derives from one article (SPEC §6 `extract`).
#[derive(Debug, Clone, Serialize)]
pub struct AnalysedArticle {
    #[serde(skip)]
    pub key: String,
    pub path: String,
    pub record: Option<u64>,
    pub title: String,
    pub body: String,
    pub lang: &'static str,
    #[serde(serialize_with = "serialize_day")]
    pub published: Option<Date>,
    pub published_source: Option<DateSource>,
    #[serde(skip)]
    pub url: Option<String>,
    #[serde(skip)]
    pub source: Option<String>,
    pub entities: Vec<EntityJson>,
    pub dates: Vec<DateMentionJson>,
    /// The title's entity mentions (byte ranges of the title), stacked on its words.
    #[serde(skip)]
    pub title_mentions: Vec<Mention>,
    /// Entities named too weakly to count in facets: names no list knows, mentioned
    /// once without a cue. They stay in the text, and in `entities` for the article view.
    #[serde(skip)]
    pub weak: Vec<(EntityKind, String)>,
}

fn serialize_day<S: serde::Serializer>(
    day: &Option<Date>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_str(&day.to_string()),
        None => serializer.serialize_none(),
    }
}

/// Where an article came from: its file's identity and display path, and mtime.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file_key: &'a str,
    pub path: &'a str,
    /// Modification time (epoch seconds), 0 when there is none (standard input).
    pub mtime: i64,
}

/// The identity of an article: its file's absolute path, plus `#record` in JSON files.
pub fn article_key(file_key: &str, record: Option<u64>) -> String {
    match record {
        Some(n) => format!("{file_key}#{n}"),
        None => file_key.to_string(),
    }
}

/// Groups mentions by entity, in order of first mention.
fn group_mentions(text: &str, mentions: Vec<Mention>, entities: &mut Vec<EntityJson>) {
    for mention in mentions {
        let json = MentionJson {
            start: mention.start,
            end: mention.end,
            text: text[mention.start..mention.end].to_string(),
            form: mention.form,
        };
        match entities
            .iter_mut()
            .find(|e| e.kind == mention.kind && e.name == mention.name)
        {
            Some(entity) => entity.mentions.push(json),
            None => entities.push(EntityJson {
                kind: mention.kind,
                name: mention.name,
                mentions: vec![json],
            }),
        }
    }
}

/// The publication day a text's own dates may be resolved against, as analysis decides
/// it: any day but a file time, and a file time only when the body's dateline confirms
/// it (for an article read back from the index, which keeps the day and its source).
pub fn text_anchor(day: Option<Date>, source: Option<DateSource>, body: &str) -> Option<Date> {
    let day = day?;
    match source? {
        DateSource::Mtime => {
            let evidence = dates::Evidence {
                hint: None,
                header_lines: &[],
                body,
                path: "",
                mtime: dates::day_to_epoch_seconds(day),
            };
            dates::publication_date(&evidence)
                .filter(|p| p.anchors_text)
                .map(|_| day)
        }
        DateSource::Saved => None,
        _ => Some(day),
    }
}

/// The days a body mentions, with where; weekdays and dates without a year resolved
/// against `anchor` (a publication day that can date the text), else left out.
pub fn mentioned_days(body: &str, anchor: Option<Date>) -> Vec<DateMentionJson> {
    dates::mentioned_dates(body, anchor)
        .into_iter()
        .map(|m| DateMentionJson {
            date: m.day.to_string(),
            text: body[m.start..m.end].to_string(),
            start: m.start,
            end: m.end,
        })
        .collect()
}

/// The entities of an article with their body mentions, in order of first mention;
/// then the countries of the places named, and the entities named only in the title,
/// without mentions. `lang` is the article's language (ISO 639-1).
pub fn article_entities(
    title: &str,
    body: &str,
    lang: &str,
    extractor: &EntityExtractor,
) -> Vec<EntityJson> {
    article_entities_and_title(title, body, lang, extractor).0
}

/// [`article_entities`], and the title's own mentions.
pub fn article_entities_and_title(
    title: &str,
    body: &str,
    lang: &str,
    extractor: &EntityExtractor,
) -> (Vec<EntityJson>, Vec<Mention>) {
    let mut entities = Vec::new();
    group_mentions(body, extractor.extract_in(body, lang), &mut entities);
    let places: Vec<String> = entities
        .iter()
        .filter(|e| e.kind == EntityKind::Place)
        .map(|e| e.name.clone())
        .collect();
    for country in extractor.implied_countries(places.iter().map(String::as_str)) {
        if !entities
            .iter()
            .any(|e| e.kind == EntityKind::Place && e.name == country)
        {
            entities.push(EntityJson {
                kind: EntityKind::Place,
                name: country,
                mentions: Vec::new(),
            });
        }
    }
    let spans: Vec<Vec<(usize, usize)>> = entities
        .iter()
        .map(|e| e.mentions.iter().map(|m| (m.start, m.end)).collect())
        .collect();
    let body_entities = entities
        .iter()
        .zip(&spans)
        .map(|(e, spans)| (e.kind, e.name.as_str(), spans.as_slice()));
    let title_mentions = extractor.extract_title_in(title, lang, body_entities, body);
    for mention in &title_mentions {
        if !entities
            .iter()
            .any(|e| e.kind == mention.kind && e.name == mention.name)
        {
            entities.push(EntityJson {
                kind: mention.kind,
                name: mention.name.clone(),
                mentions: Vec::new(),
            });
        }
    }
    (entities, title_mentions)
}

/// Analyses one article.
pub fn analyse(
    origin: Origin,
    article: RawArticle,
    extractor: &EntityExtractor,
) -> AnalysedArticle {
    let lang = detect_language(&article.title, &article.body);
    let evidence = dates::Evidence {
        hint: article.date_hint.as_ref(),
        header_lines: &article.header_lines,
        body: &article.body,
        path: origin.path,
        mtime: origin.mtime,
    };
    let published = dates::publication_date(&evidence);
    let anchor = published.filter(|p| p.anchors_text).map(|p| p.day);
    let dates = mentioned_days(&article.body, anchor);
    let source = article
        .source
        .clone()
        .or_else(|| article.url.as_deref().and_then(url_host));
    let (entities, title_mentions) =
        article_entities_and_title(&article.title, &article.body, lang, extractor);
    let weak = weak_entities(&entities, &article.body, extractor);
    AnalysedArticle {
        key: article_key(origin.file_key, article.record),
        path: origin.path.to_string(),
        record: article.record,
        title: article.title,
        body: article.body,
        lang,
        published: published.map(|p| p.day),
        published_source: published.map(|p| p.source),
        url: article.url,
        source,
        entities,
        dates,
        title_mentions,
        weak,
    }
}

/// The entities an article names too weakly to count (SPEC 2's facets count actors,
/// not every capitalised word): not in the lists, mentioned once in the body, with no
/// cue ("President X" for a person; "X Corp" or an acronym for an organisation).
pub fn weak_entities(
    entities: &[EntityJson],
    body: &str,
    extractor: &EntityExtractor,
) -> Vec<(EntityKind, String)> {
    let gazetteer = extractor.gazetteer();
    entities
        .iter()
        .filter(|entity| {
            if entity.mentions.len() >= 2 {
                return false;
            }
            let listed = gazetteer
                .lookup(&entity.name)
                .is_some_and(|(e, _)| e.kind == entity.kind && e.name == entity.name);
            if listed {
                return false;
            }
            let Some(mention) = entity.mentions.first() else {
                // Named only in the title or implied, and in no list.
                return true;
            };
            !has_cue(entity, mention, body, gazetteer)
        })
        .map(|e| (e.kind, e.name.clone()))
        .collect()
}

/// Does the text around a lone mention say what it names?
fn has_cue(
    entity: &EntityJson,
    mention: &MentionJson,
    body: &str,
    gazetteer: &crate::entities::gazetteer::Gazetteer,
) -> bool {
    match entity.kind {
        EntityKind::Person => {
            let before = body[..mention.start].trim_end();
            let previous = before.rsplit(char::is_whitespace).next().unwrap_or("");
            !previous.is_empty() && gazetteer.is_title(previous)
                || entity.name.split_whitespace().count() >= 2
        }
        EntityKind::Org => {
            let last = entity.name.rsplit(' ').next().unwrap_or("");
            let acronym = entity.name.len() >= 2
                && entity.name.len() <= 6
                && entity
                    .name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '&');
            acronym || crate::entities::not_names::is_organisation_end(last)
        }
        EntityKind::Place => false,
    }
}

/// What each article of a file records of the file, for incremental updates.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileMarks<'a> {
    /// The file's identity in the index (its absolute path).
    pub key: &'a str,
    /// Hash of the file's bytes.
    pub hash: u64,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    /// [`SourceFile::stamp`](crate::ingest::SourceFile::stamp).
    pub stamp: u64,
}

/// Builds the document for an analysed article of a file; `numbering` gives its facet
/// values their index-wide numbers.
pub fn build_document(
    fields: &Fields,
    numbering: &FacetNumbering,
    file: FileMarks<'_>,
    article: AnalysedArticle,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.key, &article.key);
    doc.add_text(fields.file, file.key);
    doc.add_text(fields.path, &article.path);
    if let Some(record) = article.record {
        doc.add_u64(fields.record, record);
    }
    doc.add_u64(fields.file_hash, file.hash);
    doc.add_i64(fields.file_mtime, file.mtime);
    doc.add_u64(fields.file_stamp, file.stamp);
    let title_terms: Vec<String> = article
        .title_mentions
        .iter()
        .map(|m| entity_term(m.kind, &m.name))
        .collect();
    let title_tokens: Vec<StackedToken> = article
        .title_mentions
        .iter()
        .zip(&title_terms)
        .map(|(m, term)| StackedToken {
            start: m.start,
            end: m.end,
            term,
        })
        .collect();
    doc.add_text(
        fields.title,
        annotate(article.lang, &title_tokens, &article.title),
    );
    let terms = entity_terms(&article.entities);
    doc.add_text(
        fields.body,
        annotate(
            article.lang,
            &stacked_entity_tokens(&article.entities, &terms),
            &article.body,
        ),
    );
    let counted = |e: &&EntityJson| {
        !article
            .weak
            .iter()
            .any(|(k, n)| *k == e.kind && *n == e.name)
    };
    for entity in article.entities.iter().filter(counted) {
        let field = match entity.kind {
            EntityKind::Person => fields.person,
            EntityKind::Place => fields.place,
            EntityKind::Org => fields.org,
        };
        doc.add_text(field, &entity.name);
    }
    doc.add_text(fields.lang, article.lang);
    if let Some(url) = &article.url {
        doc.add_text(fields.url, url);
    }
    if let Some(source) = &article.source {
        doc.add_text(fields.source, source.to_lowercase());
        doc.add_text(fields.source_name, source);
    }
    if let (Some(day), Some(source)) = (article.published, article.published_source) {
        doc.add_date(fields.published, dates::to_tantivy(day));
        doc.add_text(fields.published_source, source.as_str());
    }
    let mut mentioned: Vec<&str> = article.dates.iter().map(|d| d.date.as_str()).collect();
    mentioned.sort_unstable();
    mentioned.dedup();
    let mentioned: Vec<Date> = mentioned
        .into_iter()
        .filter_map(|d| d.parse::<Date>().ok())
        .collect();
    for &day in &mentioned {
        doc.add_date(fields.mentioned, dates::to_tantivy(day));
    }
    // Everything facets count, as index-wide numbers in one column.
    let published = article.published.map(|day| day.to_string());
    let mentioned: Vec<String> = mentioned.iter().map(Date::to_string).collect();
    let facet_values = article
        .entities
        .iter()
        .filter(counted)
        .map(|e| (FacetKind::Entity(e.kind), e.name.as_str()))
        .chain(article.source.as_deref().map(|s| (FacetKind::Source, s)))
        .chain(published.as_deref().map(|d| (FacetKind::Published, d)))
        .chain(mentioned.iter().map(|d| (FacetKind::Mentioned, d.as_str())));
    // In order, so that counting walks the count array forwards.
    let mut numbers = numbering.numbers(facet_values);
    numbers.sort_unstable();
    for number in numbers {
        doc.add_u64(fields.facet_values, number);
    }
    // What finds this article's copies (see `stories`).
    doc.add_u64(fields.text_hash, crate::stories::text_hash(&article.body));
    for key in crate::stories::sketch::sketch(&article.body) {
        doc.add_u64(fields.story_bands, key);
    }
    doc.add_text(fields.title_text, article.title);
    doc.add_text(fields.body_text, article.body);
    doc
}

/// The index term of each entity, in the order of `entities`.
fn entity_terms(entities: &[EntityJson]) -> Vec<String> {
    entities
        .iter()
        .map(|e| entity_term(e.kind, &e.name))
        .collect()
}

/// Entity tokens to stack on the body's words: one per mention, over its whole span
/// (`terms` from [`entity_terms`]).
fn stacked_entity_tokens<'t>(
    entities: &[EntityJson],
    terms: &'t [String],
) -> Vec<StackedToken<'t>> {
    let mut tokens: Vec<StackedToken> = entities
        .iter()
        .zip(terms)
        .flat_map(|(e, term)| {
            e.mentions.iter().map(move |m| StackedToken {
                start: m.start,
                end: m.end,
                term,
            })
        })
        .collect();
    tokens.sort_by_key(|t| t.start);
    tokens
}

/// The host of a URL, without `www.`: the source when metadata names none.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.split('@').next_back()?;
    let host = host.split(':').next()?.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_url() {
        assert_eq!(
            url_host("https://www.example.org/a/b?c").as_deref(),
            Some("example.org")
        );
        assert_eq!(url_host("not a url"), None);
    }

    #[test]
    fn keys_carry_record_numbers() {
        assert_eq!(article_key("/a/b.jsonl", Some(3)), "/a/b.jsonl#3");
        assert_eq!(article_key("/a/b.txt", None), "/a/b.txt");
    }

    #[test]
    fn source_falls_back_to_url_host() {
        let raw = RawArticle {
            title: "T".into(),
            body: "The harbour reopened on Monday after the strike.".into(),
            url: Some("https://news.example.com/x".into()),
            ..RawArticle::default()
        };
        let origin = Origin {
            file_key: "/k",
            path: "k",
            mtime: 0,
        };
        let article = analyse(origin, raw, EntityExtractor::shipped());
        assert_eq!(article.source.as_deref(), Some("news.example.com"));
        assert_eq!(article.published, None);
    }
}
