//! Where facet counting reads each article's value numbers from. Tantivy's column
//! decodes them value by value on every search (about 2.5 ns a value here); a reader
//! that counts facets over a segment a second time keeps that segment's numbers decoded
//! into plain arrays, 4 bytes a value, and later searches read those directly.
//!
//! The first search over a segment never decodes the whole column: a one-shot
//! `dossier search --facets` reads only the matching articles' values, as before. The
//! arrays live as long as the [`IndexStore`](crate::index::IndexStore) and are dropped
//! when their segment leaves the index (merged or deleted).

use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocId, SegmentReader};

use super::facet_values::NUMBERS_FIELD;

/// One segment's value numbers, all articles', decoded.
pub struct DecodedNumbers {
    /// Where each article's numbers start in `numbers`, and one past the last article's.
    starts: Vec<u32>,
    numbers: Vec<u32>,
}

impl DecodedNumbers {
    /// Decodes a whole column. A number too large for 32 bits (a damaged index) becomes
    /// `u32::MAX`, which no facet value file names, so counting reports it as unnamed.
    fn decode(column: &Column<u64>, max_doc: DocId) -> DecodedNumbers {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut numbers = Vec::with_capacity(column.values.num_vals() as usize);
        let mut one_article = Vec::new();
        for doc in 0..max_doc {
            starts.push(numbers.len() as u32);
            read_values(column, doc, &mut one_article);
            numbers.extend(
                one_article
                    .iter()
                    .map(|&n| u32::try_from(n).unwrap_or(u32::MAX)),
            );
        }
        starts.push(numbers.len() as u32);
        DecodedNumbers { starts, numbers }
    }

    /// The numbers of one article.
    pub fn of(&self, doc: DocId) -> &[u32] {
        let doc = doc as usize;
        match (self.starts.get(doc), self.starts.get(doc + 1)) {
            (Some(&start), Some(&end)) => &self.numbers[start as usize..end as usize],
            _ => &[],
        }
    }

    fn bytes(&self) -> usize {
        4 * (self.starts.len() + self.numbers.len())
    }
}

/// Reads all values of `doc` in one call rather than one call per value.
pub fn read_values(column: &Column<u64>, doc: DocId, out: &mut Vec<u64>) {
    let rows = column.index.value_row_ids(doc);
    out.clear();
    out.resize(rows.len(), 0);
    if !rows.is_empty() {
        column.values.get_range(u64::from(rows.start), out);
    }
}

/// A segment's numbers as one search reads them.
pub enum SegmentNumbers {
    /// Straight from Tantivy's column.
    Column(Column<u64>),
    Decoded(Arc<DecodedNumbers>),
}

impl SegmentNumbers {
    /// The column of a segment, read directly.
    pub fn column_of(segment: &SegmentReader) -> tantivy::Result<SegmentNumbers> {
        Ok(SegmentNumbers::Column(
            segment.fast_fields().u64(NUMBERS_FIELD)?,
        ))
    }
}

/// What a reader knows of one segment's numbers.
enum Kept {
    /// One search has counted over the segment.
    CountedOnce,
    Decoded(Arc<DecodedNumbers>),
}

/// The decoded numbers a reader keeps, by segment.
#[derive(Default)]
pub struct FacetColumns {
    segments: Mutex<FxHashMap<SegmentId, Kept>>,
}

impl FacetColumns {
    /// How a search reads `segment`'s numbers: decoded when this is the second search
    /// over it or later, straight from the column the first time.
    pub fn for_segment(&self, segment: &SegmentReader) -> tantivy::Result<SegmentNumbers> {
        let id = segment.segment_id();
        {
            let mut segments = self.lock();
            match segments.get(&id) {
                Some(Kept::Decoded(numbers)) => {
                    return Ok(SegmentNumbers::Decoded(Arc::clone(numbers)))
                }
                Some(Kept::CountedOnce) => {}
                None => {
                    segments.insert(id, Kept::CountedOnce);
                    return SegmentNumbers::column_of(segment);
                }
            }
        }
        // Decoded outside the lock: segments searched at the same time decode at once.
        let column = segment.fast_fields().u64(NUMBERS_FIELD)?;
        let numbers = Arc::new(DecodedNumbers::decode(&column, segment.max_doc()));
        self.lock().insert(id, Kept::Decoded(Arc::clone(&numbers)));
        Ok(SegmentNumbers::Decoded(numbers))
    }

    /// Forgets segments that `searcher` no longer has.
    pub fn keep_only(&self, searcher: &tantivy::Searcher) {
        let live: FxHashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    /// Bytes held in decoded numbers.
    pub fn bytes(&self) -> usize {
        self.lock()
            .values()
            .map(|kept| match kept {
                Kept::Decoded(numbers) => numbers.bytes(),
                Kept::CountedOnce => 0,
            })
            .sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<SegmentId, Kept>> {
        self.segments.lock().unwrap_or_else(|e| e.into_inner())
    }
}
