//! One name, one kind, index-wide. Each article decides an entity's kind by its own
//! evidence, so a name the lists do not know can end up a person in one article and an
//! organisation in another ("Chrysler", "Bundesbank"). After a run commits, every name
//! the index holds under more than one kind takes the kind most articles give it (on a
//! tie the lists', then person, place, organisation in that order), and the articles
//! holding it under another kind are rebuilt from their stored text with that kind.
//!
//! The one exception is a name the lists hold as a city, town or state, which may also
//! be a club's or team's ("Leeds" the club and the city): it may stay a place and an
//! organisation. The result depends only on the articles in the index, so an
//! incremental run and `--full` over the same folder agree.

use rustc_hash::FxHashMap;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::document::{
    article_entities_and_title, build_document, mentioned_days, text_anchor, weak_entities,
    AnalysedArticle, FileMarks,
};
use super::facet_values::FacetNumbering;
use super::IndexStore;
use crate::entities::extract::EntityExtractor;
use crate::error::Result;
use crate::model::{DateSource, EntityKind};
use crate::schema::Fields;

/// The kind each name the index holds under several kinds should have.
pub type KindDecisions = FxHashMap<String, EntityKind>;

/// Rewrites the articles that hold a name under a kind other than its decided one,
/// through a writer from `open_writer` (opened only when there is something to
/// rewrite), and returns that writer to commit.
pub fn consolidate(
    store: &IndexStore,
    open_writer: impl FnOnce() -> Result<IndexWriter>,
    numbering: &FacetNumbering,
    extractor: &EntityExtractor,
) -> Result<Option<IndexWriter>> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.fields;
    let decisions = decide(&searcher, fields, extractor)?;
    if decisions.is_empty() {
        return Ok(None);
    }
    // Every article holding a name under a kind it should not have, once.
    let mut holding: Vec<tantivy::DocAddress> = Vec::new();
    for (name, kind) in &decisions {
        for other in EntityKind::ALL.into_iter().filter(|k| k != kind) {
            let term = Term::from_field_text(field_of(fields, other), name);
            let found = searcher.search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &DocSetCollector,
            )?;
            holding.extend(found);
        }
    }
    holding.sort_unstable();
    holding.dedup();
    if holding.is_empty() {
        return Ok(None);
    }
    let owned = open_writer()?;
    let writer = &owned;
    // Analysing an article again is most of the work: share it out over the cores.
    let cores = crate::index::store::cores().max(1);
    let part = holding.len().div_ceil(cores).max(1);
    let results: Vec<Result<usize>> = std::thread::scope(|scope| {
        let workers: Vec<_> = holding
            .chunks(part)
            .map(|addresses| {
                let (searcher, decisions) = (&searcher, &decisions);
                scope.spawn(move || -> Result<usize> {
                    let mut rewritten = 0;
                    for &address in addresses {
                        let doc: TantivyDocument = searcher.doc(address)?;
                        let Some((key, article, marks)) =
                            read_back(searcher, fields, address, &doc, extractor, decisions)?
                        else {
                            continue;
                        };
                        writer.delete_term(Term::from_field_text(fields.key, &key));
                        let marks = FileMarks {
                            key: &marks.0,
                            hash: marks.1,
                            mtime: marks.2,
                            stamp: marks.3,
                        };
                        writer.add_document(build_document(fields, numbering, marks, article))?;
                        rewritten += 1;
                    }
                    Ok(rewritten)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut rewritten = 0;
    for result in results {
        rewritten += result?;
    }
    Ok((rewritten > 0).then_some(owned))
}

fn field_of(fields: &Fields, kind: EntityKind) -> tantivy::schema::Field {
    match kind {
        EntityKind::Person => fields.person,
        EntityKind::Place => fields.place,
        EntityKind::Org => fields.org,
    }
}

/// The names held under several kinds, with the kind each should have.
fn decide(
    searcher: &Searcher,
    fields: &Fields,
    extractor: &EntityExtractor,
) -> Result<KindDecisions> {
    let mut kinds_of: FxHashMap<String, Vec<EntityKind>> = FxHashMap::default();
    for kind in EntityKind::ALL {
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(field_of(fields, kind))?;
            let mut stream = index
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let Ok(name) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let kinds = kinds_of.entry(name.to_string()).or_default();
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
    }
    let gazetteer = extractor.gazetteer();
    let mut decisions = KindDecisions::default();
    for (name, kinds) in kinds_of.into_iter().filter(|(_, k)| k.len() > 1) {
        let listed = gazetteer.lookup(&name).filter(|(e, _)| e.name == name);
        let club_or_city =
            listed.is_some_and(|(e, _)| e.kind == EntityKind::Place && e.may_be_a_club());
        if club_or_city && !kinds.contains(&EntityKind::Person) {
            continue;
        }
        // Articles alive now (a term's frequency still counts deleted ones).
        let mut counts = Vec::new();
        for &kind in &kinds {
            let term = Term::from_field_text(field_of(fields, kind), &name);
            let count = searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)?;
            counts.push((kind, count));
        }
        let top = counts.iter().map(|c| c.1).max().unwrap_or(0);
        let leaders: Vec<EntityKind> = EntityKind::ALL
            .into_iter()
            .filter(|k| counts.iter().any(|c| c.0 == *k && c.1 == top))
            .collect();
        let listed_kind = listed.map(|(e, _)| e.kind).filter(|k| leaders.contains(k));
        let Some(kind) = listed_kind.or(leaders.first().copied()) else {
            continue;
        };
        if counts.iter().filter(|c| c.1 > 0).count() > 1 {
            decisions.insert(name, kind);
        }
    }
    Ok(decisions)
}

/// The file's identity, hash, modification time and stamp.
type Marks = (String, u64, i64, u64);

/// An article as analysis would give it, from what the index stored, with entity kinds
/// as decided.
fn read_back(
    searcher: &Searcher,
    fields: &Fields,
    address: tantivy::DocAddress,
    doc: &TantivyDocument,
    extractor: &EntityExtractor,
    decisions: &KindDecisions,
) -> Result<Option<(String, AnalysedArticle, Marks)>> {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let Some(key) = text(fields.key) else {
        return Ok(None);
    };
    let segment = searcher.segment_reader(address.segment_ord);
    let fast = segment.fast_fields();
    let file = match fast.str("file")? {
        Some(column) => {
            let mut name = String::new();
            if let Some(ord) = column.term_ords(address.doc_id).next() {
                column
                    .ord_to_str(ord, &mut name)
                    .map_err(tantivy::TantivyError::from)?;
            }
            name
        }
        None => String::new(),
    };
    let u64_of =
        |name: &str| -> Result<u64> { Ok(fast.u64(name)?.first(address.doc_id).unwrap_or(0)) };
    let mtime = fast.i64("file_mtime")?.first(address.doc_id).unwrap_or(0);
    let marks = (file, u64_of("file_hash")?, mtime, u64_of("file_stamp")?);
    let title = text(fields.title_text).unwrap_or_default();
    let body = text(fields.body_text).unwrap_or_default();
    let published = doc
        .get_first(fields.published)
        .and_then(|v| v.as_datetime())
        .and_then(crate::dates::from_tantivy);
    let published_source = text(fields.published_source).and_then(|s| DateSource::parse(&s));
    let lang = crate::analysis::detect_language(&title, &body);
    let (mut entities, mut title_mentions) =
        article_entities_and_title(&title, &body, lang, extractor);
    for entity in &mut entities {
        if let Some(kind) = decisions.get(&entity.name) {
            entity.kind = *kind;
        }
    }
    for mention in &mut title_mentions {
        if let Some(kind) = decisions.get(&mention.name) {
            mention.kind = *kind;
        }
    }
    merge_same_entities(&mut entities);
    let weak = weak_entities(&entities, &body, extractor);
    let dates = mentioned_days(&body, text_anchor(published, published_source, &body));
    let article = AnalysedArticle {
        key: key.clone(),
        path: text(fields.path).unwrap_or_default(),
        record: doc.get_first(fields.record).and_then(|v| v.as_u64()),
        lang,
        title,
        body,
        published,
        published_source,
        url: text(fields.url),
        source: text(fields.source_name),
        entities,
        dates,
        title_mentions,
        weak,
    };
    Ok(Some((key, article, marks)))
}

/// Entities that became one by taking the same kind are one, their mentions together.
pub fn merge_same_entities(entities: &mut Vec<super::document::EntityJson>) {
    let mut merged: Vec<super::document::EntityJson> = Vec::with_capacity(entities.len());
    for entity in entities.drain(..) {
        match merged
            .iter_mut()
            .find(|e| e.kind == entity.kind && e.name == entity.name)
        {
            Some(existing) => existing.mentions.extend(entity.mentions),
            None => merged.push(entity),
        }
    }
    *entities = merged;
}
