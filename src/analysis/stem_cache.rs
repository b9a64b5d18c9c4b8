//! The terms of recently seen words, per thread and language: news vocabulary is
//! Zipfian, so a small cache answers most words without running the stemmer.
//!
//! The cache is laid out like a CPU cache: a word's hash picks one 64-byte line of two
//! slots, and each slot holds a short lower-cased word and its term inline. A lookup
//! costs one memory access (a hash map of boxed strings cost three: bucket, key, term),
//! which matters because every token of every indexed article passes through here, while
//! the index writer's own tables compete for the same processor cache. The table is
//! 1 MiB.

use std::hash::Hasher;

use rustc_hash::FxHasher;

/// Lines per language and thread (a power of two), two slots each.
const LINES: usize = 1 << 14;

/// Longest lower-cased word, and longest term, a slot keeps, in bytes; longer words
/// are stemmed each time (few words of news prose are longer).
pub const MAX_BYTES: usize = 15;

/// One cached word: lengths, then the bytes of the lower-cased word and of its term.
#[derive(Clone, Copy, Default)]
struct Slot {
    key_len: u8,
    key: [u8; MAX_BYTES],
    term_len: u8,
    term: [u8; MAX_BYTES],
}

impl Slot {
    fn holds(&self, key: &[u8]) -> bool {
        self.key_len != 0 && &self.key[..usize::from(self.key_len)] == key
    }

    fn term(&self) -> &str {
        // Only whole `&str` terms are ever copied in, so the bytes are valid UTF-8.
        std::str::from_utf8(&self.term[..usize::from(self.term_len)]).unwrap_or_default()
    }
}

/// Two slots sharing a processor cache line: the most recently stored first.
#[repr(align(64))]
#[derive(Clone, Copy, Default)]
struct Line([Slot; 2]);

/// A two-way set-associative cache from lower-cased words to terms.
pub struct StemCache {
    lines: Box<[Line]>,
}

impl Default for StemCache {
    fn default() -> StemCache {
        StemCache {
            lines: vec![Line::default(); LINES].into_boxed_slice(),
        }
    }
}

impl StemCache {
    /// The line a lower-cased word maps to.
    fn line_of(word: &str) -> usize {
        let mut hasher = FxHasher::default();
        hasher.write(word.as_bytes());
        // The high bits of an Fx hash are the well-mixed ones.
        (hasher.finish() >> 40) as usize & (LINES - 1)
    }

    /// The term of a lower-cased word, if the cache holds it.
    pub fn get(&self, lowered: &str) -> Option<&str> {
        let key = lowered.as_bytes();
        if key.len() > MAX_BYTES {
            return None;
        }
        let Line(slots) = &self.lines[Self::line_of(lowered)];
        slots.iter().find(|slot| slot.holds(key)).map(Slot::term)
    }

    /// Remembers a word's term, evicting the older of its line's two words. Words or
    /// terms longer than [`MAX_BYTES`] are not kept.
    pub fn insert(&mut self, lowered: &str, term: &str) {
        let (key, term) = (lowered.as_bytes(), term.as_bytes());
        if key.is_empty() || key.len() > MAX_BYTES || term.len() > MAX_BYTES {
            return;
        }
        let Line(slots) = &mut self.lines[Self::line_of(lowered)];
        slots[1] = slots[0];
        let slot = &mut slots[0];
        slot.key[..key.len()].copy_from_slice(key);
        slot.key_len = key.len() as u8;
        slot.term[..term.len()].copy_from_slice(term);
        slot.term_len = term.len() as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_evicts() {
        let mut cache = StemCache::default();
        assert!(cache.get("sanctions").is_none());
        cache.insert("sanctions", "sanction");
        assert_eq!(cache.get("sanctions"), Some("sanction"));
        // A different word never reads another's term, whatever line it lands in.
        for n in 0..100_000 {
            let word = format!("w{n}");
            if let Some(term) = cache.get(&word) {
                assert_eq!(term, word);
            }
            cache.insert(&word, &word);
        }
        assert!(cache.get("").is_none());
    }

    #[test]
    fn two_words_of_one_line_are_both_kept() {
        let mut cache = StemCache::default();
        let first = "harbours";
        let line = StemCache::line_of(first);
        let second = (0..)
            .map(|n| format!("x{n}"))
            .find(|w| StemCache::line_of(w) == line)
            .unwrap_or_default();
        cache.insert(first, "harbour");
        cache.insert(&second, "second");
        assert_eq!(cache.get(first), Some("harbour"));
        assert_eq!(cache.get(&second), Some("second"));
    }

    #[test]
    fn long_words_are_not_kept() {
        let mut cache = StemCache::default();
        let long = "x".repeat(MAX_BYTES + 1);
        cache.insert(&long, "x");
        assert!(cache.get(&long).is_none());
        let fits = "y".repeat(MAX_BYTES);
        cache.insert(&fits, "y");
        assert_eq!(cache.get(&fits), Some("y"));
        cache.insert("short", &long);
        assert!(cache.get("short").is_none());
    }
}
