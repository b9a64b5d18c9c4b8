//! What a story comparison reads of a body: its word 5-grams ("shingles"), hashed, and
//! the sketch that finds candidate copies without comparing every pair.
//!
//! A word is a run of letters and digits, lower-cased; numbers are words, so two
//! earnings reports that differ only in their figures and company share few 5-grams.
//! Shingles are 64-bit hashes of five consecutive words, kept as a set.
//!
//! The sketch is a one-permutation MinHash: each shingle hash falls into one of
//! [`BINS`] bins by its top bits and each bin keeps its smallest hash; an empty bin
//! borrows from the next filled one (rotation densification), so short bodies still
//! fill every bin. Bins are grouped [`ROWS`] at a time into [`BANDS`] bands, each hashed
//! into a nonzero 32-bit band key that also says which band it is. Two rows a band make
//! a band shared with probability J² for bodies of Jaccard similarity J; a pair sharing
//! two or more of the 32 keys is a candidate (see `grouping`): probability 0.97 at
//! J = 0.4 (a copy holding 80% of a body twice its length), 0.9999 at J = 0.6, 0.80 at
//! J = 0.3, and 0.003 at J = 0.05 (two bodies sharing a sentence in twenty).

/// Words in a shingle (SPEC 2: word 5-grams).
pub const SHINGLE_WORDS: usize = 5;

/// MinHash bins.
pub const BINS: usize = 64;

/// Bins per band.
pub const ROWS: usize = 2;

/// Band keys per sketch.
pub const BANDS: usize = BINS / ROWS;

/// The hashed word 5-grams of `body`, sorted and without repeats; empty for a body of
/// fewer than five words.
pub fn shingles(body: &str) -> Vec<u64> {
    let mut out = shingle_hashes(body);
    out.sort_unstable();
    out.dedup();
    out
}

/// The hashed word 5-grams of `body` in text order, repeats kept.
pub fn shingle_hashes(body: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(body.len() / 6);
    for_each_shingle(body, |hash| out.push(hash));
    out
}

/// Calls `each` with the hash of every word 5-gram of `body`, in order: a polynomial
/// of the five word hashes, rolled from one 5-gram to the next, then finished.
fn for_each_shingle(body: &str, mut each: impl FnMut(u64)) {
    const P: u64 = 0x9e37_79b9_7f4a_7c15;
    // P to the power of the words in a shingle less one: the weight of the oldest word.
    const P_OLDEST: u64 = P.wrapping_mul(P).wrapping_mul(P).wrapping_mul(P);
    let mut window = [0u64; SHINGLE_WORDS];
    let mut seen = 0usize;
    let mut rolling = 0u64;
    for_each_word(body, |word| {
        let slot = seen % SHINGLE_WORDS;
        if seen >= SHINGLE_WORDS {
            rolling = rolling.wrapping_sub(window[slot].wrapping_mul(P_OLDEST));
        }
        rolling = rolling.wrapping_mul(P).wrapping_add(word);
        window[slot] = word;
        seen += 1;
        if seen >= SHINGLE_WORDS {
            each(finish(rolling ^ 0x51_7c_c1_b7_27_22_0a_95));
        }
    });
}

/// What an ASCII byte is to a word: 0 ends a word, anything else is the byte
/// lower-cased; bytes from 128 up ([`NOT_ASCII`]) start a character to decode.
const WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphanumeric() {
            byte.to_ascii_lowercase()
        } else if byte >= 128 {
            NOT_ASCII
        } else {
            0
        };
        b += 1;
    }
    table
};

/// [`WORD_BYTES`]'s mark for a byte of a multi-byte character.
const NOT_ASCII: u8 = 0xff;

/// Calls `each` with the hash of every word of `text`, in order: a word is a run of
/// letters and digits, hashed lower-cased (ASCII bytes through a table, the rest
/// decoded).
fn for_each_word(text: &str, mut each: impl FnMut(u64)) {
    const START: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = START;
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let class = WORD_BYTES[usize::from(bytes[i])];
        if class != 0 && class != NOT_ASCII {
            hash = (hash ^ u64::from(class)).wrapping_mul(PRIME);
            in_word = true;
            i += 1;
            continue;
        }
        let mut is_word = false;
        let mut width = 1;
        if class == NOT_ASCII {
            let c = text[i..].chars().next().unwrap_or(' ');
            width = c.len_utf8();
            if c.is_alphanumeric() {
                is_word = true;
                for l in c.to_lowercase() {
                    hash = (hash ^ u64::from(u32::from(l))).wrapping_mul(PRIME);
                }
            }
        }
        if is_word {
            in_word = true;
        } else if in_word {
            each(hash);
            hash = START;
            in_word = false;
        }
        i += width;
    }
    if in_word {
        each(hash);
    }
}

/// The 64-bit finaliser of MurmurHash3: spreads every input bit over the output.
fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// The band keys of a body (see [`band_keys`]), its shingles never gathered.
pub fn sketch(body: &str) -> Vec<u64> {
    let mut bins = Bins::new();
    for_each_shingle(body, |hash| bins.add(hash));
    bins.band_keys()
}

/// The band keys of a body's shingles (in any order, repeats or not); none when it has
/// none.
pub fn band_keys(shingles: &[u64]) -> Vec<u64> {
    let mut bins = Bins::new();
    for &hash in shingles {
        bins.add(hash);
    }
    bins.band_keys()
}

/// The smallest shingle hash of each bin.
struct Bins {
    mins: [u64; BINS],
    filled: [bool; BINS],
    any: bool,
}

impl Bins {
    fn new() -> Bins {
        Bins {
            mins: [u64::MAX; BINS],
            filled: [false; BINS],
            any: false,
        }
    }

    fn add(&mut self, hash: u64) {
        let bin = (hash >> (64 - BINS.trailing_zeros())) as usize;
        let value = hash << BINS.trailing_zeros();
        if value <= self.mins[bin] {
            self.mins[bin] = value;
            self.filled[bin] = true;
        }
        self.any = true;
    }

    fn band_keys(self) -> Vec<u64> {
        if !self.any {
            return Vec::new();
        }
        let Bins { mins, filled, .. } = self;
        // Rotation densification: an empty bin takes the next filled bin's value, changed
        // by how far it had to look, the same way in every body.
        let mut dense = [0u64; BINS];
        for bin in 0..BINS {
            let mut distance = 0;
            while !filled[(bin + distance) % BINS] {
                distance += 1;
            }
            let value = mins[(bin + distance) % BINS];
            dense[bin] = if distance == 0 {
                value
            } else {
                finish(value ^ (distance as u64).wrapping_mul(0x2545_f491_4f6c_dd1d))
            };
        }
        dense
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut hash = (band as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                for &row in rows {
                    hash = finish(hash ^ row);
                }
                (hash & 0xffff_ffff).max(1)
            })
            .collect()
    }
}

/// The share of the smaller set's shingles the other one holds (SPEC 2's resemblance):
/// 0 when either is empty. Both must be sorted and without repeats.
pub fn resemblance(a: &[u64], b: &[u64]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared as f64 / smaller as f64
}

/// Resemblance at which two bodies are copies (SPEC 2).
pub const COPY_RESEMBLANCE: f64 = 0.8;

/// Are these two bodies' shingle sets copies of each other?
pub fn are_copies(a: &[u64], b: &[u64]) -> bool {
    resemblance(a, b) >= COPY_RESEMBLANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Ministers met in Vilnius on Tuesday to discuss the grain corridor, \
        and agreed to meet again before the end of the month, officials said.";

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        let shouted = TEXT.to_uppercase().replace(',', " ;");
        assert_eq!(shingles(TEXT), shingles(&shouted));
        assert_eq!(shingles(TEXT).len(), 24 - 4);
    }

    #[test]
    fn words_split_at_anything_but_letters_and_digits_in_any_script() {
        let mut words = Vec::new();
        for_each_word("Ünïcode-Wörter, 42 cts; ÜNÏCODE", |w| words.push(w));
        assert_eq!(words.len(), 5);
        assert_eq!(words[0], words[4], "case folds beyond ASCII");
        assert_ne!(words[0], words[1]);
    }

    #[test]
    fn a_body_under_five_words_has_no_shingles_and_no_sketch() {
        assert!(shingles("Four words only here").is_empty());
        assert!(band_keys(&[]).is_empty());
        assert_eq!(shingles("Five words are just enough").len(), 1);
    }

    #[test]
    fn the_same_text_gives_the_same_bands_and_a_different_one_shares_few() {
        let bands = band_keys(&shingles(TEXT));
        assert_eq!(bands.len(), BANDS);
        assert!(bands.iter().all(|&k| k > 0 && k <= u64::from(u32::MAX)));
        assert_eq!(bands, band_keys(&shingles(TEXT)));
        let other = band_keys(&shingles(
            "The central bank held its main rate at four percent on Thursday, \
             citing slower growth in the second half of the year.",
        ));
        let shared = bands.iter().zip(&other).filter(|(a, b)| a == b).count();
        assert!(shared <= 1, "{shared} bands shared by unrelated texts");
    }

    #[test]
    fn resemblance_is_the_share_of_the_smaller_set() {
        assert_eq!(resemblance(&[1, 2, 3, 4], &[1, 2, 3, 4, 5, 6, 7, 8]), 1.0);
        assert_eq!(resemblance(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 9]), 0.8);
        assert!(are_copies(&[1, 2, 3, 4, 5], &[1, 2, 3, 4, 9]));
        assert!(!are_copies(&[1, 2, 3, 4, 5], &[1, 2, 3, 8, 9]));
        assert_eq!(resemblance(&[], &[1]), 0.0);
    }
}
