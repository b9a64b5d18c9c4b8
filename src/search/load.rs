//! The third stage of a search: the stored articles of the hits a caller picked,
//! read on every core (a stored article takes a block decompression to read).

use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::collect::Ranked;
use super::{EntityRef, Hit, Snapshot};
use crate::dates;
use crate::error::Result;
use crate::index::IndexStore;
use crate::model::EntityKind;

/// A hit as stored, with its body (for passages and highlights).
#[derive(Debug, Clone)]
pub struct LoadedHit {
    pub hit: Hit,
    pub body: String,
}

/// Loads the stored articles of `ranked`, in its order.
pub fn load(snapshot: &Snapshot, ranked: &[Ranked]) -> Result<Vec<LoadedHit>> {
    load_each(snapshot, ranked, Ok)
}

/// Loads the stored articles of `ranked` and hands each to `work` on the thread that
/// read it (finding passages there saves a second hand-over to the threads); results
/// in `ranked`'s order.
pub fn load_each<R: Send>(
    snapshot: &Snapshot,
    ranked: &[Ranked],
    work: impl Fn(LoadedHit) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let executor = snapshot.searcher.index().search_executor();
    let stories = snapshot.stories()?;
    let done = map_on_cores(executor, ranked.to_vec(), |ranked: Ranked| {
        let mut loaded = load_hit(
            &snapshot.store,
            &snapshot.searcher,
            ranked.address,
            ranked.score,
        )?;
        loaded.hit.story = stories.story_id(ranked.address, &loaded.hit.id).to_string();
        loaded.hit.copies = ranked.copies;
        work(loaded)
    })?;
    done.into_iter().collect()
}

/// The article with this id (SPEC §6 `id`), if the snapshot holds it. The id is looked
/// up as a term of the index; it never names a file.
pub fn load_by_id(snapshot: &Snapshot, id: &str) -> Result<Option<LoadedHit>> {
    let term = tantivy::Term::from_field_text(snapshot.store.fields.key, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let found = snapshot.searcher.search(
        &query,
        &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
    )?;
    match found.first() {
        Some((_, address)) => {
            let mut loaded = load_hit(&snapshot.store, &snapshot.searcher, *address, 0.0)?;
            loaded.hit.story = snapshot
                .stories()?
                .story_id(*address, &loaded.hit.id)
                .to_string();
            Ok(Some(loaded))
        }
        None => Ok(None),
    }
}

/// `work` on each item, the items dealt out to one task per core (fewer hand-overs than
/// a task per item); results in the items' order.
pub fn map_on_cores<A: Send, R: Send>(
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

/// A hit as stored, with its body; `score` is what the search gave it. Its story is
/// its own id until the caller, who holds the commit's stories, says otherwise.
pub fn load_hit(
    store: &IndexStore,
    searcher: &Searcher,
    address: DocAddress,
    score: f32,
) -> Result<LoadedHit> {
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
    let id = text(f.key).unwrap_or_default();
    let hit = Hit {
        story: id.clone(),
        copies: None,
        id,
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
    Ok(LoadedHit { hit, body })
}
