//! Running a search: parse, compile, collect the top hits with a total count, then
//! passages per hit. Returns data only; rendering is `output`'s job.

pub mod entities;
pub mod explain;
pub mod facets;
pub mod passage;
pub mod stats;

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::analysis::Analyzer;
use crate::dates;
use crate::entities::extract::EntityExtractor;
use crate::error::Result;
use crate::index::IndexStore;
use crate::model::EntityKind;
use crate::query::compile::{Compiler, EntityResolver};
use crate::query::{parse, Expr};
use crate::schema::Fields;
pub use facets::{FacetCollector, Facets};
pub use passage::Passage;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By score; filter-only queries newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// One search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Passages per hit.
    pub snippets: usize,
    /// Count facets over all matches, with dates in these buckets.
    pub facets: Option<dates::Interval>,
    /// Say why each hit matched.
    pub explain: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            snippets: 2,
            facets: None,
            explain: false,
        }
    }
}

/// An entity named by a hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub name: String,
}

/// One matching article (SPEC §6 `hits[]`).
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub record: Option<u64>,
    pub title: String,
    pub published: Option<String>,
    pub published_source: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub lang: String,
    pub score: f32,
    pub snippets: Vec<Passage>,
    pub entities: Vec<EntityRef>,
    /// Why it matched (`--explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<explain::Explanation>,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// Counts over all matches, when asked for.
    pub facets: Option<Facets>,
    /// Notes for stderr (an unknown entity, say).
    pub warnings: Vec<String>,
}

/// Runs a search against the last commit of the index.
pub fn search(
    store: &IndexStore,
    searcher: &Searcher,
    request: &SearchRequest,
) -> Result<SearchResult> {
    let started = Instant::now();
    let expr = parse(&request.query)?;
    let languages = index_languages(searcher, &store.fields);
    let extractor = store.entity_extractor()?;
    let resolver = entities::IndexEntities {
        extractor: &extractor,
        searcher,
        fields: &store.fields,
    };
    let mut compiled =
        Compiler::new(&store.fields, &languages, &request.query, &resolver).compile(&expr)?;
    compiled
        .warnings
        .extend(capped_prefixes(&expr, searcher, &store.fields));
    let sort = match (request.sort, compiled.ranked) {
        (Sort::Relevance, false) => Sort::Newest,
        (sort, _) => sort,
    };
    let wanted = request.offset + request.limit;
    let top =
        TopDocs::with_limit(wanted.max(1)).tweak_score(move |segment: &tantivy::SegmentReader| {
            let published = segment
                .fast_fields()
                .date("published")
                .ok()
                .map(|c| c.first_or_default_col(tantivy::DateTime::from_timestamp_secs(0)));
            move |doc: tantivy::DocId, score: tantivy::Score| {
                let day = published
                    .as_ref()
                    .map_or(0, |c| c.get_val(doc).into_timestamp_secs());
                sort_key(sort, score, day)
            }
        });
    let (top_docs, total, facets) = match request.facets {
        Some(interval) => {
            let columns = store.facet_columns();
            columns.keep_only(searcher);
            let collector = FacetCollector::new(interval, store.facet_values_for(searcher)?)
                .keeping_decoded(columns)
                .on(searcher.index().search_executor());
            let collectors = (top, Count, collector);
            let (top_docs, total, facets) = searcher.search(&*compiled.query, &collectors)?;
            if collectors.2.met_unnamed_values() {
                return Err(store.unnamed_facet_values());
            }
            (top_docs, total, Some(facets))
        }
        None => {
            let (top_docs, total) = searcher.search(&*compiled.query, &(top, Count))?;
            (top_docs, total, None)
        }
    };
    // Reading stored articles and finding passages take a while per hit: they run on
    // the search threads, a hit each. With no offset every hit read is shown, so its
    // passages are found in the same task (one hand-over to the threads, not two).
    let wanted = Wanted {
        snippets: request.snippets,
        explain: request.explain,
    };
    let passages = |hit: &mut Hit, body: &str| {
        add_passages(
            hit,
            body,
            &expr,
            &request.query,
            wanted,
            &resolver,
            &extractor,
        )
    };
    let all_shown = request.offset == 0;
    let executor = searcher.index().search_executor();
    let loaded = map_on_cores(executor, top_docs, |(key, address)| {
        let (mut hit, body) = load_hit(store, searcher, address, key.1)?;
        if all_shown {
            passages(&mut hit, &body);
        }
        Ok((key, hit, body))
    })?;
    let mut hits = loaded.into_iter().collect::<Result<Vec<_>>>()?;
    // Exact ties (same score and day) break by path, then record (SPEC §5).
    hits.sort_by(|(a, ha, _), (b, hb, _)| {
        b.partial_cmp(a)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| ha.path.cmp(&hb.path))
            .then_with(|| ha.record.cmp(&hb.record))
    });
    let shown: Vec<_> = hits
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .collect();
    let hits = if all_shown {
        shown.into_iter().map(|(_, hit, _)| hit).collect()
    } else {
        map_on_cores(executor, shown, |(_, mut hit, body): (_, Hit, String)| {
            passages(&mut hit, &body);
            hit
        })?
    };
    Ok(SearchResult {
        query: request.query.clone(),
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets,
        warnings: compiled.warnings,
    })
}

/// `work` on each item, the items dealt out to one task per core (fewer hand-overs than
/// a task per item); results in the items' order.
fn map_on_cores<A: Send, R: Send>(
    executor: &tantivy::Executor,
    items: Vec<A>,
    work: impl Fn(A) -> R + Sync,
) -> Result<Vec<R>> {
    let cores = crate::index::store::cores();
    let count = items.len();
    let tasks = cores.min(count).max(1);
    let mut hands: Vec<Vec<(usize, A)>> = (0..tasks).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        hands[i % tasks].push((i, item));
    }
    let done = executor.map(
        |hand: Vec<(usize, A)>| {
            Ok(hand
                .into_iter()
                .map(|(i, a)| (i, work(a)))
                .collect::<Vec<_>>())
        },
        hands.into_iter(),
    )?;
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    for (i, result) in done.into_iter().flatten() {
        results[i] = Some(result);
    }
    Ok(results.into_iter().flatten().collect())
}

/// Warnings for `prefix*` operands of near: that expand to more words than near: takes.
fn capped_prefixes(expr: &Expr, searcher: &Searcher, fields: &Fields) -> Vec<String> {
    use crate::query::ast::Operand;
    use crate::query::near::MAX_PREFIX_TERMS;
    fn prefixes<'e>(operand: &'e Operand, out: &mut Vec<&'e str>) {
        match operand {
            Operand::Prefix { text, .. } => out.push(text),
            Operand::Group { alternatives, .. } => {
                alternatives.iter().for_each(|a| prefixes(a, out))
            }
            _ => {}
        }
    }
    fn near_prefixes<'e>(expr: &'e Expr, out: &mut Vec<&'e str>) {
        match expr {
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| near_prefixes(e, out)),
            Expr::Not(inner) => near_prefixes(inner, out),
            Expr::Near { operands, .. } => operands.iter().for_each(|o| prefixes(o, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    near_prefixes(expr, &mut found);
    let mut warnings = Vec::new();
    for prefix in found {
        let folded = crate::analysis::fold_word(prefix);
        let too_many = searcher.segment_readers().iter().any(|segment| {
            let Ok(index) = segment.inverted_index(fields.body) else {
                return false;
            };
            let Ok(mut stream) = index.terms().range().ge(folded.as_bytes()).into_stream() else {
                return false;
            };
            let mut count = 0;
            while stream.advance() && stream.key().starts_with(folded.as_bytes()) {
                count += 1;
                if count > MAX_PREFIX_TERMS {
                    return true;
                }
            }
            false
        });
        if too_many {
            warnings.push(format!(
                "{prefix}* starts more than {MAX_PREFIX_TERMS} different words; next to near: only the first {MAX_PREFIX_TERMS} in alphabetical order count. Use a longer prefix for a complete answer"
            ));
        }
    }
    warnings
}

/// The collector's sort key: (primary, score, day) compared lexicographically.
type SortKey = (i64, f32, i64);

fn sort_key(sort: Sort, score: f32, day: i64) -> SortKey {
    match sort {
        Sort::Relevance => (0, score, day),
        Sort::Newest => (day, score, 0),
        Sort::Oldest => (-day, score, 0),
    }
}

/// The languages of the index's articles, English first: queries are analysed for each.
pub fn index_languages(searcher: &Searcher, fields: &Fields) -> Vec<String> {
    let mut languages = vec![crate::analysis::DEFAULT_LANG.to_string()];
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.lang) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().stream() else {
            continue;
        };
        while stream.advance() {
            if let Ok(code) = std::str::from_utf8(stream.key()) {
                if !languages.iter().any(|l| l == code) {
                    languages.push(code.to_string());
                }
            }
        }
    }
    languages
}

/// A hit's stored fields, and its body for passages.
/// A hit as stored, with its body (for passages); `score` is what the search gave it.
pub fn load_hit(
    store: &IndexStore,
    searcher: &Searcher,
    address: DocAddress,
    score: f32,
) -> Result<(Hit, String)> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let f = &store.fields;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let published = doc
        .get_first(f.published)
        .and_then(|v| v.as_datetime())
        .and_then(dates::from_tantivy)
        .map(|d| d.to_string());
    let mut entities = Vec::new();
    for (kind, field) in [
        (EntityKind::Person, f.person),
        (EntityKind::Place, f.place),
        (EntityKind::Org, f.org),
    ] {
        for value in doc.get_all(field) {
            if let Some(name) = value.as_str() {
                entities.push(EntityRef {
                    kind,
                    name: name.to_string(),
                });
            }
        }
    }
    let record = doc.get_first(f.record).and_then(|v| v.as_u64());
    let body = text(f.body_text).unwrap_or_default();
    let hit = Hit {
        id: text(f.key).unwrap_or_default(),
        path: text(f.path).unwrap_or_default(),
        record,
        title: text(f.title_text).unwrap_or_default(),
        published,
        published_source: text(f.published_source),
        source: text(f.source_name),
        url: text(f.url),
        lang: text(f.lang).unwrap_or_else(|| crate::analysis::DEFAULT_LANG.to_string()),
        score,
        snippets: Vec::new(),
        entities,
        explain: None,
    };
    Ok((hit, body))
}

/// What to work out from a hit's text.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub snippets: usize,
    pub explain: bool,
}

/// Passages (and explanations) come from the stored body, re-analysed with the hit's
/// language (and re-read for entity mentions when the query names an entity).
pub fn add_passages(
    hit: &mut Hit,
    body: &str,
    expr: &Expr,
    query: &str,
    wanted: Wanted,
    resolver: &dyn EntityResolver,
    extractor: &EntityExtractor,
) {
    if wanted.snippets == 0 && !wanted.explain {
        return;
    }
    let analyzer = Analyzer::for_lang(&hit.lang);
    let tokens = analyzer.tokens(body);
    let patterns = passage::patterns_for(expr, &analyzer, resolver);
    let mentions = if wanted.explain || passage::needs_mentions(&patterns) {
        extractor.extract(body)
    } else {
        Vec::new()
    };
    let matched = passage::Body {
        tokens: &tokens,
        mentions: &mentions,
    };
    hit.snippets = passage::select_passages(body, &matched, &patterns, wanted.snippets);
    if wanted.explain {
        let title_tokens = analyzer.tokens(&hit.title);
        let title_mentions = extractor.extract(&hit.title);
        let title = passage::Body {
            tokens: &title_tokens,
            mentions: &title_mentions,
        };
        let text = explain::HitText {
            body,
            matched: &matched,
            title: &title,
            mentions: &mentions,
        };
        hit.explain = Some(explain::explain(
            hit, query, expr, &text, &analyzer, resolver,
        ));
    }
}
