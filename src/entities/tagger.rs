//! A compact named-entity tagger: an averaged perceptron over hashed features, decoding
//! greedily left to right with the two previous tags as features (IOB2 tags for PER,
//! LOC, ORG and MISC). Trained in the repository on CoNLL-2003 eng.train by
//! `index-schema/generators/train_tagger.rs`; the weights ship in `index-schema/ner/`.
//!
//! Only tokens that could begin or continue a name are scored: tokens with a capital
//! letter, and a few lower-case connectors ("of", "de") right after a name. Everything
//! else is `O` without computing features, which keeps extraction cheap on news prose.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::sync::LazyLock;

use rustc_hash::FxHasher;

use super::lexicon::Lexicon;

/// The tags, in model order.
pub const TAGS: [&str; 9] = [
    "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
];

/// Hash buckets per tag: features collide rarely at this size and the model stays small.
pub const BUCKETS: usize = 1 << 18;

const MAGIC: &[u8; 8] = b"DSNER002";

/// Lower-case words that may continue a name ("Bank of England", "Charles de Gaulle").
const CONNECTORS: &[&str] = &[
    "of", "de", "du", "da", "der", "den", "van", "von", "al", "bin", "la", "le", "and", "&", "for",
    "the", "y", "di",
];

/// A trained tagger. Weights are kept quantised to 16 bits: a table small enough to
/// stay in cache while the index writer works beside it.
pub struct Tagger {
    weights: Vec<i16>,
    /// The weight one unit of `weights` stands for.
    scale: f32,
}

/// One sentence prepared for tagging: words and what features need of them. Words
/// without capitals are borrowed, not copied: most of a sentence is lower-case.
#[derive(Default)]
pub struct Sentence<'a> {
    words: Vec<&'a str>,
    lower: Vec<Cow<'a, str>>,
    /// Does the word contain a capital letter?
    capitalised: Vec<bool>,
    /// Gazetteer marks per word, as bits of [`MARKS`].
    gazetteer: Vec<u16>,
    /// Hash of each lower-case word: features combine these instead of rehashing.
    hashes: Vec<u64>,
    all_caps: bool,
}

impl<'a> Sentence<'a> {
    /// Prepares the words of one sentence.
    pub fn new(words: Vec<&'a str>, lexicon: &Lexicon) -> Sentence<'a> {
        let mut sentence = Sentence::default();
        sentence.refill(words.into_iter(), lexicon);
        sentence
    }

    /// Prepares the words of another sentence, reusing this one's buffers.
    pub fn refill(&mut self, words: impl Iterator<Item = &'a str>, lexicon: &Lexicon) {
        self.words.clear();
        self.words.extend(words);
        self.lower.clear();
        self.capitalised.clear();
        let (mut letters, mut capitals) = (0usize, 0usize);
        for word in &self.words {
            let (word_letters, word_capitals) = count_case(word);
            letters += word_letters;
            capitals += word_capitals;
            self.capitalised.push(word_capitals > 0);
            self.lower.push(if word_capitals > 0 {
                Cow::Owned(if word.is_ascii() {
                    word.to_ascii_lowercase()
                } else {
                    word.to_lowercase()
                })
            } else {
                Cow::Borrowed(*word)
            });
        }
        self.all_caps = letters > 8 && capitals * 10 >= letters * 9;
        lexicon.marks(&self.words, &self.lower, &mut self.gazetteer);
        // Only words near a possible name are ever looked at by features: hash those.
        self.hashes.clear();
        self.hashes.resize(self.words.len(), UNHASHED);
        for i in 0..self.words.len() {
            if self.capitalised[i] || self.gazetteer[i] != 0 {
                for j in i.saturating_sub(2)..(i + 3).min(self.words.len()) {
                    if self.hashes[j] == UNHASHED {
                        self.hashes[j] = hash_str(&self.lower[j]);
                    }
                }
            }
        }
    }

    /// The words, lower-cased.
    pub fn lower(&self) -> &[Cow<'a, str>] {
        &self.lower
    }

    /// The hash of word `j` (computed now if `refill` did not).
    fn hash(&self, j: usize) -> u64 {
        match self.hashes[j] {
            UNHASHED => hash_str(&self.lower[j]),
            known => known,
        }
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    /// Could this token be part of a name, given the previous tag?
    fn is_candidate(&self, i: usize, previous: u8) -> bool {
        self.capitalised[i]
            || (previous != 0 && CONNECTORS.contains(&self.lower[i].as_ref()))
            || self.gazetteer[i] != 0
    }
}

/// Letters and capital letters in a word (an ASCII word is counted byte by byte).
fn count_case(word: &str) -> (usize, usize) {
    let (mut letters, mut capitals) = (0, 0);
    for byte in word.bytes() {
        if !byte.is_ascii() {
            return count_case_unicode(word);
        }
        letters += usize::from(byte.is_ascii_alphabetic());
        capitals += usize::from(byte.is_ascii_uppercase());
    }
    (letters, capitals)
}

/// [`count_case`] for words with non-ASCII letters.
fn count_case_unicode(word: &str) -> (usize, usize) {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    (letters, capitals)
}

/// The gazetteer marks a word can carry, as bit positions.
pub const MARKS: [&str; 9] = [
    "PER-B", "PER-I", "LOC-B", "LOC-I", "ORG-B", "ORG-I", "DEM-B", "DEM-I", "TITLE",
];

/// The hash of one feature part.
fn hash_str(part: &str) -> u64 {
    let mut hasher = FxHasher::default();
    part.hash(&mut hasher);
    hasher.finish()
}

/// Combines a feature template with the hashes of its parts into a bucket.
fn bucket(template: u8, parts: &[u64]) -> u32 {
    let mut h = u64::from(template)
        .wrapping_add(1)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for part in parts {
        h = (h.rotate_left(23) ^ part).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    ((h >> 32) % BUCKETS as u64) as u32
}

/// "Putin" -> "Xx", "U.S." -> "X.X.", "1996-08-22" -> "d-d-d", "McDonald" -> "XxXx".
#[cfg(test)]
fn shape(word: &str) -> String {
    let mut out = String::new();
    write_shape(word, &mut out);
    out
}

/// Writes a word's shape into a reused buffer.
fn write_shape(word: &str, out: &mut String) {
    out.clear();
    let mut last = ' ';
    for c in word.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if class != last {
            out.push(class);
        }
        last = class;
    }
}

/// Buffers features reuse from word to word.
#[derive(Default)]
pub struct Scratch {
    features: Vec<u32>,
    shapes: [String; 3],
}

/// The leading or trailing `n` characters of a word.
fn affix(word: &str, n: usize, from_end: bool) -> &str {
    if from_end {
        let start = word
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        &word[start..]
    } else {
        let end = word.char_indices().nth(n).map_or(word.len(), |(i, _)| i);
        &word[..end]
    }
}

/// The feature buckets of token `i` given the two previous tags, into `scratch`.
fn features(s: &Sentence, i: usize, previous: u8, before_previous: u8, scratch: &mut Scratch) {
    let Scratch {
        features: out,
        shapes,
    } = scratch;
    out.clear();
    let word = |k: isize| -> u64 {
        let j = i as isize + k;
        if j < 0 {
            *SENTENCE_START
        } else if j as usize >= s.len() {
            *SENTENCE_END
        } else {
            s.hash(j as usize)
        }
    };
    let mut shape_hashes = [0u64; 3];
    for (k, shape) in shapes.iter_mut().enumerate() {
        let j = i as isize + k as isize - 1;
        if j < 0 || j as usize >= s.len() {
            shape.clear();
            shape.push('_');
        } else {
            write_shape(s.words[j as usize], shape);
        }
        shape_hashes[k] = hash_str(shape);
    }
    let [shape_before, shape_here, shape_after] = shape_hashes;
    let lower: &str = &s.lower[i];
    let w = s.hash(i);
    let (p, pp) = (u64::from(previous), u64::from(before_previous));
    let affix_hash = |n, from_end| hash_str(affix(lower, n, from_end));
    out.push(bucket(0, &[]));
    out.push(bucket(1, &[w]));
    out.push(bucket(2, &[word(-1)]));
    out.push(bucket(3, &[word(1)]));
    out.push(bucket(4, &[word(-2)]));
    out.push(bucket(5, &[word(2)]));
    out.push(bucket(6, &[shape_here]));
    out.push(bucket(7, &[shape_before, shape_here]));
    out.push(bucket(8, &[shape_here, shape_after]));
    out.push(bucket(9, &[affix_hash(3, false)]));
    out.push(bucket(10, &[affix_hash(2, true)]));
    out.push(bucket(11, &[affix_hash(3, true)]));
    out.push(bucket(12, &[affix_hash(4, true)]));
    out.push(bucket(13, &[p]));
    out.push(bucket(14, &[pp, p]));
    out.push(bucket(15, &[p, w]));
    out.push(bucket(16, &[word(-1), w]));
    out.push(bucket(17, &[w, word(1)]));
    out.push(bucket(18, &[u64::from(i == 0), shape_here]));
    out.push(bucket(19, &[u64::from(s.all_caps), w]));
    out.push(bucket(20, &[affix_hash(2, false)]));
    out.push(bucket(21, &[p, shape_here, word(1)]));
    for bit in 0..MARKS.len() as u64 {
        if s.gazetteer[i] & (1 << bit) != 0 {
            out.push(bucket(22, &[bit]));
            out.push(bucket(23, &[bit, p]));
        }
        if i > 0 && s.gazetteer[i - 1] & (1 << bit) != 0 {
            out.push(bucket(24, &[bit]));
        }
    }
}

/// Marks a word whose hash is not computed yet.
const UNHASHED: u64 = 0;

/// Hashes of the padding words around a sentence.
static SENTENCE_START: LazyLock<u64> = LazyLock::new(|| hash_str("<s>"));
static SENTENCE_END: LazyLock<u64> = LazyLock::new(|| hash_str("</s>"));

impl Tagger {
    /// Loads weights written by [`Tagger::write`].
    pub fn read(compressed: &[u8]) -> Result<Tagger, String> {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("tagger model: {e}"))?;
        let header = MAGIC.len() + 4;
        if bytes.len() < header || &bytes[..MAGIC.len()] != MAGIC {
            return Err("tagger model: not a dossier tagger model".to_string());
        }
        let scale = f32::from_le_bytes(
            bytes[MAGIC.len()..header]
                .try_into()
                .map_err(|_| "tagger model: short header")?,
        );
        let expected = header + BUCKETS * TAGS.len() * 2;
        if bytes.len() != expected {
            return Err(format!(
                "tagger model: {} bytes, expected {expected}",
                bytes.len()
            ));
        }
        let weights = bytes[header..]
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Ok(Tagger { weights, scale })
    }

    /// Writes the weights, quantised to 16 bits and gzip-compressed.
    pub fn write(&self, out: impl Write) -> std::io::Result<()> {
        let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::best());
        encoder.write_all(MAGIC)?;
        encoder.write_all(&self.scale.to_le_bytes())?;
        for weight in &self.weights {
            encoder.write_all(&weight.to_le_bytes())?;
        }
        encoder.finish()?;
        Ok(())
    }

    /// Tags a sentence; returns a tag index per word.
    pub fn tag(&self, sentence: &Sentence) -> Vec<u8> {
        let mut tags = Vec::new();
        self.tag_into(sentence, &mut tags, &mut Scratch::default());
        tags
    }

    /// Tags a sentence into `tags` (a tag index per word), with reused buffers.
    pub fn tag_into(&self, sentence: &Sentence, tags: &mut Vec<u8>, scratch: &mut Scratch) {
        tags.clear();
        tags.resize(sentence.len(), 0);
        let mut scores = [0f32; TAGS.len()];
        for i in 0..sentence.len() {
            let previous = if i > 0 { tags[i - 1] } else { 0 };
            if !sentence.is_candidate(i, previous) {
                continue;
            }
            let before_previous = if i > 1 { tags[i - 2] } else { 0 };
            features(sentence, i, previous, before_previous, scratch);
            score_quantised(&self.weights, &scratch.features, &mut scores);
            tags[i] = best_valid(&scores, previous);
        }
    }

    /// Trains an averaged perceptron on tagged sentences (tags as indices into
    /// [`TAGS`], IOB2), for `epochs` passes in an order shuffled by `seed`.
    pub fn train(
        sentences: &[(Vec<String>, Vec<u8>)],
        lexicon: &Lexicon,
        epochs: usize,
        seed: u64,
    ) -> Tagger {
        let size = BUCKETS * TAGS.len();
        let mut weights = vec![0f32; size];
        let mut totals = vec![0f64; size];
        let mut stamps = vec![0u32; size];
        let mut clock: u32 = 0;
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        let mut rng = seed;
        let mut scratch = Scratch::default();
        let mut scores = [0f32; TAGS.len()];
        let prepared: Vec<Sentence> = sentences
            .iter()
            .map(|(words, _)| Sentence::new(words.iter().map(String::as_str).collect(), lexicon))
            .collect();
        for _ in 0..epochs {
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &index in &order {
                let sentence = &prepared[index];
                let gold = &sentences[index].1;
                let mut predicted = vec![0u8; sentence.len()];
                for i in 0..sentence.len() {
                    clock += 1;
                    let previous = if i > 0 { predicted[i - 1] } else { 0 };
                    if !sentence.is_candidate(i, previous) {
                        continue;
                    }
                    let before_previous = if i > 1 { predicted[i - 2] } else { 0 };
                    features(sentence, i, previous, before_previous, &mut scratch);
                    score(&weights, &scratch.features, &mut scores);
                    let guess = best_valid(&scores, previous);
                    let truth = gold[i];
                    if guess != truth {
                        for &f in &scratch.features {
                            for (tag, delta) in [(truth, 1f32), (guess, -1f32)] {
                                let k = f as usize * TAGS.len() + tag as usize;
                                totals[k] += (clock - stamps[k]) as f64 * weights[k] as f64;
                                stamps[k] = clock;
                                weights[k] += delta;
                            }
                        }
                    }
                    predicted[i] = guess;
                }
            }
        }
        let averaged: Vec<f32> = weights
            .iter()
            .zip(&totals)
            .zip(&stamps)
            .map(|((w, t), s)| ((t + (clock - s) as f64 * *w as f64) / clock.max(1) as f64) as f32)
            .collect();
        let largest = averaged
            .iter()
            .fold(0f32, |m, w| m.max(w.abs()))
            .max(f32::MIN_POSITIVE);
        let scale = largest / i16::MAX as f32;
        Tagger {
            weights: averaged
                .iter()
                .map(|w| (w / scale).round() as i16)
                .collect(),
            scale,
        }
    }
}

/// Sums quantised weights of the features, per tag (the scale does not change which
/// tag wins).
fn score_quantised(weights: &[i16], features: &[u32], scores: &mut [f32; TAGS.len()]) {
    let mut sums = [0i32; TAGS.len()];
    for &f in features {
        let row = &weights[f as usize * TAGS.len()..(f as usize + 1) * TAGS.len()];
        for (s, w) in sums.iter_mut().zip(row) {
            *s += *w as i32;
        }
    }
    for (score, sum) in scores.iter_mut().zip(sums) {
        *score = sum as f32;
    }
}

/// Sums the weights of the features, per tag.
fn score(weights: &[f32], features: &[u32], scores: &mut [f32; TAGS.len()]) {
    *scores = [0.0; TAGS.len()];
    for &f in features {
        let row = &weights[f as usize * TAGS.len()..(f as usize + 1) * TAGS.len()];
        for (s, w) in scores.iter_mut().zip(row) {
            *s += w;
        }
    }
}

/// The best tag that may follow `previous` (I-X only after B-X or I-X).
fn best_valid(scores: &[f32; TAGS.len()], previous: u8) -> u8 {
    let mut best = 0u8;
    for tag in 1..TAGS.len() as u8 {
        let is_inside = tag % 2 == 0;
        if is_inside && !(previous == tag || previous == tag - 1) {
            continue;
        }
        if scores[tag as usize] > scores[best as usize] {
            best = tag;
        }
    }
    best
}

/// Converts IOB1 (CoNLL-2003) or IOB2 labels of one sentence to IOB2 tag indices.
pub fn iob2_tags(labels: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(labels.len());
    let mut previous_kind = "O";
    for label in labels {
        let (prefix, kind) = label.split_once('-').unwrap_or(("O", "O"));
        let tag = if kind == "O" {
            "O".to_string()
        } else if prefix == "B" || previous_kind != kind {
            format!("B-{kind}")
        } else {
            format!("I-{kind}")
        };
        out.push(TAGS.iter().position(|t| *t == tag).unwrap_or(0) as u8);
        previous_kind = kind;
    }
    out
}

/// Spans of IOB2 tags: (first word, last word + 1, kind).
pub fn spans(tags: &[u8]) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &'static str)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let label = TAGS[tag as usize];
        let continues = label.starts_with("I-") && open.is_some_and(|(_, k)| label.ends_with(k));
        if !continues {
            if let Some((start, kind)) = open.take() {
                out.push((start, i, kind));
            }
            if let Some(kind) = label.strip_prefix("B-").or(label.strip_prefix("I-")) {
                open = Some((i, kind));
            }
        }
    }
    if let Some((start, kind)) = open {
        out.push((start, tags.len(), kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Putin"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1996-08-22"), "d-d-d");
    }

    #[test]
    fn iob1_becomes_iob2_and_spans() {
        let tags = iob2_tags(&["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]);
        assert_eq!(
            spans(&tags),
            vec![(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG")]
        );
    }

    #[test]
    fn inside_tags_only_follow_their_kind() {
        let mut scores = [0f32; TAGS.len()];
        scores[2] = 5.0; // I-PER
        scores[1] = 1.0; // B-PER
        assert_eq!(best_valid(&scores, 0), 1);
        assert_eq!(best_valid(&scores, 1), 2);
    }
}
