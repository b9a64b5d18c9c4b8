//! Stories (SPEC 2): articles whose bodies are copies of each other — a wire story run
//! by many sites, a page saved twice, a rewrite that keeps most sentences — grouped,
//! so that results and counts can show one story once.
//!
//! Each article carries, from indexing, the hash of its body and a sketch of its word
//! 5-grams ([`sketch`]). After a run commits, [`refresh`] groups the index's distinct
//! bodies ([`grouping`]: candidates from the sketches, every candidate pair confirmed
//! exactly on the two bodies) and writes the stories to `stories.json` beside Tantivy's
//! files, and the outcome of every exact comparison to `story-verdicts.json`, so the
//! next run compares only pairs it has not seen. A story's articles are all those holding one of its bodies;
//! its id is the id of its first article (oldest, then by path and record).
//!
//! The file names the commit it describes (the fingerprint of its segments). A reader
//! that finds it missing or describing another commit (a run was interrupted between
//! its commit and the stories) groups the bodies itself, the same way, without
//! writing: a story is never stale.

pub mod grouping;
pub mod sketch;

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};

use crate::error::{Error, Result};
use crate::schema::Fields;
use grouping::{Text, Verdicts};

/// The stories file's name inside the index folder.
pub const STORIES_FILE: &str = "stories.json";

/// The fast field holding each article's body hash.
pub const TEXT_HASH_FIELD: &str = "text_hash";

/// The fast field holding each article's band keys.
pub const BANDS_FIELD: &str = "story_bands";

/// The hash an article's body is known by.
pub fn text_hash(body: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(body.as_bytes())
}

/// The stories of one commit, as written to [`STORIES_FILE`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Assignment {
    pub version: u32,
    /// The commit's segments, as [`fingerprint`] writes them.
    pub fingerprint: String,
    /// Every story of two or more articles, largest first, then by id.
    pub stories: Vec<Story>,
}

/// Exact comparisons made so far, between bodies the index still holds:
/// `[hash, hash, copies]`, in [`VERDICTS_FILE`]. Only grouping reads them, so searches
/// never parse them.
type KeptVerdicts = Vec<(u64, u64, bool)>;

/// The file of exact comparisons beside the stories.
pub const VERDICTS_FILE: &str = "story-verdicts.json";

/// A story of two or more articles.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Story {
    /// The id of its first article.
    pub id: String,
    /// Its articles, first first.
    pub members: Vec<Member>,
}

/// One article of a story: where it is in the commit, and its id.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Member {
    pub segment: String,
    pub doc: DocId,
    pub id: String,
}

const FILE_VERSION: u32 = 2;

/// What a commit's segments are: their ids, sizes and deletions. Any commit, merge or
/// deletion changes it.
pub fn fingerprint(searcher: &Searcher) -> String {
    let mut parts: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| {
            format!(
                "{}:{}:{}",
                s.segment_id().uuid_string(),
                s.max_doc(),
                s.num_deleted_docs()
            )
        })
        .collect();
    parts.sort_unstable();
    format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(parts.join(",").as_bytes())
    )
}

/// Brings `stories.json` up to the index's last commit, grouping again only if it
/// describes another commit. Returns the stories and how many pairs it compared.
pub fn refresh(dir: &Path, searcher: &Searcher, fields: &Fields) -> Result<(Assignment, usize)> {
    if let Some(kept) = kept_for(dir, searcher) {
        return Ok((kept, 0));
    }
    let (assignment, verdicts, compared) = regroup(dir, searcher, fields)?;
    // The verdicts first: stories that name this commit always have theirs.
    write_json(dir, VERDICTS_FILE, &verdicts)?;
    write_json(dir, STORIES_FILE, &assignment)?;
    Ok((assignment, compared))
}

/// The stories of the commit `searcher` sees: the file's if it describes that commit,
/// else grouped now (nothing is written).
pub fn current(dir: &Path, searcher: &Searcher, fields: &Fields) -> Result<Assignment> {
    match kept_for(dir, searcher) {
        Some(kept) => Ok(kept),
        None => Ok(regroup(dir, searcher, fields)?.0),
    }
}

/// The stories file, if there is a readable one of this version for this commit.
fn kept_for(dir: &Path, searcher: &Searcher) -> Option<Assignment> {
    let text = std::fs::read(dir.join(STORIES_FILE)).ok()?;
    let assignment: Assignment = serde_json::from_slice(&text).ok()?;
    (assignment.version == FILE_VERSION && assignment.fingerprint == fingerprint(searcher))
        .then_some(assignment)
}

/// Groups the commit's bodies, with the verdicts kept so far.
fn regroup(
    dir: &Path,
    searcher: &Searcher,
    fields: &Fields,
) -> Result<(Assignment, KeptVerdicts, usize)> {
    let known: KeptVerdicts = std::fs::read(dir.join(VERDICTS_FILE))
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or_default();
    assign(searcher, fields, Verdicts::from_pairs(known))
}

/// Writes a file whole or not at all: a temporary file renamed over it.
fn write_json(dir: &Path, name: &str, value: &impl Serialize) -> Result<()> {
    let path = dir.join(name);
    let temporary = dir.join(format!("{name}.tmp"));
    let text = serde_json::to_vec(value).map_err(|e| Error::Input {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    std::fs::write(&temporary, text).map_err(|e| Error::io(&temporary, e))?;
    std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
}

/// One article as grouping reads it.
struct Article {
    address: DocAddress,
    text: usize,
    /// Publication day in epoch seconds.
    published: Option<i64>,
}

/// Groups the bodies of the commit `searcher` sees into stories.
pub fn assign(
    searcher: &Searcher,
    fields: &Fields,
    mut verdicts: Verdicts,
) -> Result<(Assignment, KeptVerdicts, usize)> {
    // Every article with a sketch, and the distinct bodies they hold.
    let mut index_of: FxHashMap<u64, usize> = FxHashMap::default();
    let mut texts: Vec<Text> = Vec::new();
    let mut holder: Vec<DocAddress> = Vec::new();
    let mut articles: Vec<Article> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let hashes = fast.u64(TEXT_HASH_FIELD)?;
        let bands = fast.u64(BANDS_FIELD)?;
        let published = fast.date("published")?;
        let mut keys = Vec::new();
        for doc in segment.doc_ids_alive() {
            let Some(hash) = hashes.first(doc) else {
                continue;
            };
            let address = DocAddress::new(ord as u32, doc);
            let text = *index_of.entry(hash).or_insert_with(|| {
                keys.clear();
                keys.extend(bands.values_for_doc(doc));
                texts.push(Text {
                    hash,
                    bands: keys.clone(),
                });
                holder.push(address);
                texts.len() - 1
            });
            // A body under five words has no sketch: it is no one's copy.
            if texts[text].bands.is_empty() {
                continue;
            }
            articles.push(Article {
                address,
                text,
                published: published.first(doc).map(|d| d.into_timestamp_secs()),
            });
        }
    }
    // Grouping reads texts in hash order, so the same bodies give the same groups
    // whatever order they were indexed in.
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_unstable_by_key(|&i| texts[i].hash);
    let sorted: Vec<Text> = order.iter().map(|&i| texts[i].clone()).collect();
    let before = verdicts.compared;
    let groups = grouping::group(&sorted, &mut verdicts, &mut |i| {
        let doc: TantivyDocument = searcher.doc(holder[order[i]])?;
        let body = doc
            .get_first(fields.body_text)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        Ok(sketch::shingles(body))
    })?;
    let compared = verdicts.compared - before;
    let mut group_of_text = vec![0usize; texts.len()];
    for (position, &text) in order.iter().enumerate() {
        group_of_text[text] = groups[position];
    }
    // Articles by group; groups of two or more articles are stories.
    let mut by_group: FxHashMap<usize, Vec<&Article>> = FxHashMap::default();
    for article in &articles {
        by_group
            .entry(group_of_text[article.text])
            .or_default()
            .push(article);
    }
    let segments = searcher.segment_readers();
    let mut stories = Vec::new();
    for members in by_group.into_values().filter(|m| m.len() > 1) {
        let mut named = Vec::with_capacity(members.len());
        for article in members {
            let doc: TantivyDocument = searcher.doc(article.address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let record = doc.get_first(fields.record).and_then(|v| v.as_u64());
            named.push((
                article.published.is_none(),
                article.published,
                text(fields.path),
                record,
                Member {
                    segment: segments[article.address.segment_ord as usize]
                        .segment_id()
                        .uuid_string(),
                    doc: article.address.doc_id,
                    id: text(fields.key),
                },
            ));
        }
        named.sort_by(|a, b| (a.0, a.1, &a.2, a.3).cmp(&(b.0, b.1, &b.2, b.3)));
        let members: Vec<Member> = named.into_iter().map(|n| n.4).collect();
        stories.push(Story {
            id: members[0].id.clone(),
            members,
        });
    }
    stories.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.id.cmp(&b.id)));
    Ok((
        Assignment {
            version: FILE_VERSION,
            fingerprint: fingerprint(searcher),
            stories,
        },
        verdicts.pairs_among(&index_of),
        compared,
    ))
}

/// A commit's stories as a search reads them: the story of each article by address,
/// and each story's id and articles.
#[derive(Debug, Default)]
pub struct StoryTable {
    /// Per segment ordinal, the story number of each document (`NONE` for an article
    /// with no copies); empty for a segment with no story's article.
    by_doc: Vec<Vec<u32>>,
    stories: Vec<Story>,
    /// Story number by article id.
    by_id: FxHashMap<String, u32>,
    /// Segment ordinal by segment id.
    ordinal: FxHashMap<String, u32>,
}

impl StoryTable {
    /// The story number of an article with no copies.
    pub const NONE: u32 = u32::MAX;

    /// The table of `assignment` for the commit `searcher` sees (the assignment's).
    pub fn new(searcher: &Searcher, assignment: Assignment) -> StoryTable {
        let segments = searcher.segment_readers();
        let ordinal: FxHashMap<String, u32> = segments
            .iter()
            .enumerate()
            .map(|(i, s)| (s.segment_id().uuid_string(), i as u32))
            .collect();
        let mut by_doc: Vec<Vec<u32>> = vec![Vec::new(); segments.len()];
        let mut by_id = FxHashMap::default();
        for (number, story) in assignment.stories.iter().enumerate() {
            for member in &story.members {
                by_id.insert(member.id.clone(), number as u32);
                let Some(&ord) = ordinal.get(&member.segment) else {
                    continue;
                };
                let docs = &mut by_doc[ord as usize];
                if docs.is_empty() {
                    docs.resize(segments[ord as usize].max_doc() as usize, Self::NONE);
                }
                if let Some(slot) = docs.get_mut(member.doc as usize) {
                    *slot = number as u32;
                }
            }
        }
        StoryTable {
            by_doc,
            stories: assignment.stories,
            by_id,
            ordinal,
        }
    }

    /// Where a story's article is in the commit.
    pub fn address_of(&self, member: &Member) -> Option<DocAddress> {
        let ord = *self.ordinal.get(&member.segment)?;
        Some(DocAddress::new(ord, member.doc))
    }

    /// The story number of the article at `address`, or [`StoryTable::NONE`].
    pub fn number_of(&self, address: DocAddress) -> u32 {
        self.segment(address.segment_ord)
            .get(address.doc_id as usize)
            .copied()
            .unwrap_or(Self::NONE)
    }

    /// The story numbers of one segment's documents (empty: none has copies).
    pub fn segment(&self, ord: u32) -> &[u32] {
        self.by_doc.get(ord as usize).map_or(&[], Vec::as_slice)
    }

    /// A story by number.
    pub fn story(&self, number: u32) -> Option<&Story> {
        self.stories.get(number as usize)
    }

    /// The story an article id belongs to, if it has copies.
    pub fn story_of_id(&self, id: &str) -> Option<&Story> {
        self.by_id.get(id).and_then(|&n| self.story(n))
    }

    /// The id of the story of the article `id` at `address`: its own id when it has no
    /// copies.
    pub fn story_id<'a>(&'a self, address: DocAddress, id: &'a str) -> &'a str {
        self.story(self.number_of(address))
            .map_or(id, |story| story.id.as_str())
    }

    /// Every story of two or more articles, largest first.
    pub fn stories(&self) -> &[Story] {
        &self.stories
    }
}
