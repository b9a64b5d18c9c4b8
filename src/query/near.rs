//! near: and before: as a Tantivy query of dossier's own, over body positions.
//!
//! Each operand is a set of alternatives — a word (one term per index language), a
//! phrase (consecutive terms), a prefix (every term it starts) or an entity's stacked
//! token — whose positions in a document give the operand's extents; the chain matches
//! where [`proximity::windows`] finds a window. Documents are found by leapfrogging the
//! operands' postings (each operand a union of its alternatives), so only documents
//! holding every operand have their positions read.
//!
//! Score: BM25 with the number of windows (at most [`SCORED_WINDOWS`]) as the term
//! frequency and the summed idf of the operands, times a closeness factor of
//! `1 + 1 / (1 + gap)` for the tightest window (`gap` = words between the operands):
//! "troops in Belarus" outranks "troops … ten words … Belarus".

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

use super::ast::NearLink;
use super::proximity::{normalise, window_summary, windows, Extent, Scratch};

/// Windows counted per document for scoring: the frequency saturates long before.
pub const SCORED_WINDOWS: usize = 64;

/// Terms a prefix operand expands to per segment, at most (bounds `a*`).
pub const MAX_PREFIX_TERMS: usize = 4096;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One way an operand can occur.
#[derive(Debug, Clone, PartialEq)]
pub enum Alternative {
    /// Consecutive terms: one for a word or an entity token, several for a phrase.
    Sequence(Vec<String>),
    /// Any term starting with this (folded) prefix.
    Prefix(String),
}

/// A near: chain over one text field.
#[derive(Debug, Clone)]
pub struct NearQuery {
    field: Field,
    operands: Vec<Vec<Alternative>>,
    links: Vec<NearLink>,
}

impl NearQuery {
    /// A chain of `operands` (each a list of alternatives) joined by `links`.
    pub fn new(field: Field, operands: Vec<Vec<Alternative>>, links: Vec<NearLink>) -> NearQuery {
        NearQuery {
            field,
            operands,
            links,
        }
    }
}

impl Query for NearQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let scoring = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(self.statistics(statistics_provider)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(NearWeight {
            query: self.clone(),
            scoring,
        }))
    }
}

impl NearQuery {
    /// Idf of the chain (each operand's rarest reading) and the average body length.
    fn statistics(&self, provider: &dyn Bm25StatisticsProvider) -> tantivy::Result<Statistics> {
        let docs = provider.total_num_docs()?.max(1);
        let average_length = provider.total_num_tokens(self.field)? as f32 / docs as f32;
        let mut idf = 0.0;
        for operand in &self.operands {
            let mut best: Option<f32> = None;
            for alternative in operand {
                let Alternative::Sequence(terms) = alternative else {
                    continue;
                };
                // A phrase is as rare as its rarest word, and never rarer.
                let mut frequency = docs;
                for term in terms {
                    let term = Term::from_field_text(self.field, term);
                    frequency = frequency.min(provider.doc_freq(&term)?);
                }
                let value = inverse_frequency(frequency, docs);
                best = Some(best.map_or(value, |b: f32| b.min(value)));
            }
            idf += best.unwrap_or(1.0);
        }
        Ok(Statistics {
            idf,
            average_length: average_length.max(1.0),
        })
    }
}

impl NearQuery {
    /// The windows of the chain in one document of a segment, at most `limit`: for
    /// each, the extent of every operand (for `--explain` and for tests).
    pub fn windows_in(
        &self,
        reader: &SegmentReader,
        doc: DocId,
        limit: usize,
    ) -> tantivy::Result<Vec<Vec<Extent>>> {
        let weight = NearWeight {
            query: self.clone(),
            scoring: None,
        };
        let mut scorer = weight.near_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Ok(Vec::new());
        }
        scorer.read_extents(doc);
        Ok(windows(&scorer.occurrences, &self.links, limit)
            .into_iter()
            .map(|w| {
                w.parts
                    .iter()
                    .enumerate()
                    .map(|(k, &p)| scorer.occurrences[k][p])
                    .collect()
            })
            .collect())
    }
}

fn inverse_frequency(frequency: u64, docs: u64) -> f32 {
    let frequency = frequency.min(docs) as f32;
    (1.0 + (docs as f32 - frequency + 0.5) / (frequency + 0.5)).ln()
}

#[derive(Debug, Clone, Copy)]
struct Statistics {
    idf: f32,
    average_length: f32,
}

struct NearWeight {
    query: NearQuery,
    scoring: Option<Statistics>,
}

impl NearWeight {
    fn near_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<NearScorer> {
        let index = reader.inverted_index(self.query.field)?;
        let option = IndexRecordOption::WithFreqsAndPositions;
        let mut operands = Vec::with_capacity(self.query.operands.len());
        for alternatives in &self.query.operands {
            let mut sequences = Vec::new();
            for alternative in alternatives {
                match alternative {
                    Alternative::Sequence(terms) => {
                        let mut postings = Vec::with_capacity(terms.len());
                        for term in terms {
                            let term = Term::from_field_text(self.query.field, term);
                            match index.read_postings(&term, option)? {
                                Some(p) => postings.push(p),
                                None => break,
                            }
                        }
                        if postings.len() == terms.len() && !postings.is_empty() {
                            sequences.push(postings);
                        }
                    }
                    Alternative::Prefix(prefix) => {
                        let mut stream =
                            index.terms().range().ge(prefix.as_bytes()).into_stream()?;
                        let mut taken = 0;
                        while taken < MAX_PREFIX_TERMS && stream.advance() {
                            if !stream.key().starts_with(prefix.as_bytes()) {
                                break;
                            }
                            let info = stream.value().clone();
                            sequences.push(vec![index.read_postings_from_terminfo(&info, option)?]);
                            taken += 1;
                        }
                    }
                }
            }
            operands.push(sequences);
        }
        let lengths = match self.scoring {
            Some(_) => reader.get_fieldnorms_reader(self.query.field)?,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let mut scorer = NearScorer {
            operands,
            links: self.query.links.clone(),
            scoring: self.scoring,
            boost,
            lengths,
            doc: 0,
            score: 0.0,
            positions: Vec::new(),
            occurrences: Vec::new(),
            scratch: Scratch::default(),
        };
        scorer.find_from_current();
        Ok(scorer)
    }
}

impl Weight for NearWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.near_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.near_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match the near: clause"
            )));
        }
        Ok(Explanation::new(
            "near: windows scored as BM25 with closeness",
            scorer.score(),
        ))
    }
}

/// The documents of one segment where the chain holds.
struct NearScorer {
    /// Per operand, its alternatives' postings (a sequence of terms each).
    operands: Vec<Vec<Vec<SegmentPostings>>>,
    links: Vec<NearLink>,
    scoring: Option<Statistics>,
    boost: Score,
    lengths: FieldNormReader,
    doc: DocId,
    score: Score,
    positions: Vec<u32>,
    occurrences: Vec<Vec<Extent>>,
    scratch: Scratch,
}

impl NearScorer {
    /// The first document an operand may hold at or after its postings' current place.
    fn operand_doc(sequences: &[Vec<SegmentPostings>]) -> DocId {
        sequences
            .iter()
            .map(|s| s[0].doc())
            .min()
            .unwrap_or(TERMINATED)
    }

    /// Moves to the first matching document at or after the postings' current places.
    fn find_from_current(&mut self) {
        if self.operands.iter().any(Vec::is_empty) {
            self.doc = TERMINATED;
            return;
        }
        loop {
            let target = self
                .operands
                .iter()
                .map(|o| Self::operand_doc(o))
                .max()
                .unwrap_or(TERMINATED);
            if target == TERMINATED {
                self.doc = TERMINATED;
                return;
            }
            for sequences in &mut self.operands {
                for sequence in sequences.iter_mut() {
                    if sequence[0].doc() < target {
                        sequence[0].seek(target);
                    }
                }
            }
            if self.operands.iter().any(|o| Self::operand_doc(o) != target) {
                continue;
            }
            if self.evaluate(target) {
                self.doc = target;
                return;
            }
            self.step_past(target);
        }
    }

    /// Advances every postings list standing on `doc`.
    fn step_past(&mut self, doc: DocId) {
        for sequences in &mut self.operands {
            for sequence in sequences.iter_mut() {
                if sequence[0].doc() == doc {
                    sequence[0].advance();
                }
            }
        }
    }

    /// Reads each operand's extents in `doc` into `occurrences` (the postings that hold
    /// `doc` stand on it).
    fn read_extents(&mut self, doc: DocId) {
        self.occurrences.resize_with(self.operands.len(), Vec::new);
        for (sequences, extents) in self.operands.iter_mut().zip(&mut self.occurrences) {
            extents.clear();
            for sequence in sequences.iter_mut() {
                if sequence[0].doc() != doc {
                    continue;
                }
                sequence_extents(sequence, doc, &mut self.positions, extents);
            }
            normalise(extents);
        }
    }

    /// Reads the operands' extents in `doc` and scores the windows; false if none.
    fn evaluate(&mut self, doc: DocId) -> bool {
        self.read_extents(doc);
        let limit = if self.scoring.is_some() {
            SCORED_WINDOWS
        } else {
            1
        };
        let Some((count, gap)) =
            window_summary(&self.occurrences, &self.links, limit, &mut self.scratch)
        else {
            return false;
        };
        self.score = match self.scoring {
            Some(statistics) => {
                let frequency = count as f32;
                let length = self.lengths.fieldnorm(doc) as f32;
                let norm = K1 * (1.0 - B + B * length / statistics.average_length);
                let bm25 = statistics.idf * (K1 + 1.0) * frequency / (frequency + norm);
                self.boost * bm25 * closeness(gap)
            }
            None => 1.0,
        };
        true
    }
}

/// The score factor of the tightest window: 2 for adjacent operands, towards 1 apart.
pub fn closeness(gap: u32) -> f32 {
    1.0 + 1.0 / (1.0 + gap as f32)
}

/// Extents where the terms of `sequence` stand one after the other in `doc` (its first
/// postings list is on `doc`).
fn sequence_extents(
    sequence: &mut [SegmentPostings],
    doc: DocId,
    positions: &mut Vec<u32>,
    out: &mut Vec<Extent>,
) {
    let (head, rest) = sequence.split_first_mut().expect("sequences are not empty");
    positions.clear();
    head.positions(positions);
    if rest.is_empty() {
        out.extend(positions.iter().map(|&p| Extent::word(p)));
        return;
    }
    let mut starts: Vec<u32> = positions.clone();
    for (offset, postings) in rest.iter_mut().enumerate() {
        if postings.doc() < doc {
            postings.seek(doc);
        }
        if postings.doc() != doc {
            return;
        }
        positions.clear();
        postings.positions(positions);
        let step = offset as u32 + 1;
        starts.retain(|start| positions.binary_search(&(start + step)).is_ok());
    }
    let span = sequence.len() as u32 - 1;
    out.extend(starts.into_iter().map(|first| Extent {
        first,
        last: first + span,
    }));
}

impl DocSet for NearScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        self.step_past(doc);
        self.find_from_current();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for sequences in &mut self.operands {
            for sequence in sequences.iter_mut() {
                if sequence[0].doc() < target {
                    sequence[0].seek(target);
                }
            }
        }
        self.find_from_current();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.operands
            .iter()
            .map(|o| o.iter().map(|s| s[0].size_hint()).sum::<u32>())
            .min()
            .unwrap_or(0)
    }
}

impl Scorer for NearScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}
