//! Which distinct bodies are copies of each other: candidate pairs from shared band
//! keys, each confirmed exactly on the two bodies' shingle sets, joined into connected
//! groups.
//!
//! A chain A ~ B ~ C is one group even when A and C are not copies: a rewrite of a
//! rewrite is still the same story, and grouping by components is the only rule that
//! does not depend on the order articles arrive in.
//!
//! Candidates come from sorting (band key, text) pairs, so the work grows with the
//! number of bodies times [`BANDS`](super::sketch::BANDS), not with pairs of bodies. A
//! band key shared by many bodies (a stock phrase in short items) pairs each body of its
//! sorted run with the next [`WINDOW`] only: copies in such a run are still joined
//! through their neighbours, and every other band is another chance. A pair is compared
//! exactly only when it shares [`MIN_SHARED_BANDS`] band keys: bodies that share one
//! sentence in twenty often share one key by chance, rarely two.

use rustc_hash::FxHashMap;

use super::sketch::are_copies;
use crate::error::Result;

/// How many of the next bodies sharing a band key a body is compared with.
pub const WINDOW: usize = 8;

/// One distinct body: its hash and its band keys.
#[derive(Debug, Clone)]
pub struct Text {
    pub hash: u64,
    pub bands: Vec<u64>,
}

/// Outcomes of exact comparisons, by the pair of body hashes (smaller first): kept
/// with the index so that a later run compares only pairs it has not seen.
#[derive(Debug, Clone, Default)]
pub struct Verdicts {
    known: FxHashMap<(u64, u64), bool>,
    /// Pairs compared exactly by this run (not found among the known ones).
    pub compared: usize,
}

impl Verdicts {
    /// Verdicts read back from the index.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u64, u64, bool)>) -> Verdicts {
        Verdicts {
            known: pairs.into_iter().map(|(a, b, v)| (pair(a, b), v)).collect(),
            compared: 0,
        }
    }

    /// Every verdict whose two bodies are both among `present`, in a stable order.
    pub fn pairs_among(&self, present: &FxHashMap<u64, usize>) -> Vec<(u64, u64, bool)> {
        let mut pairs: Vec<(u64, u64, bool)> = self
            .known
            .iter()
            .filter(|((a, b), _)| present.contains_key(a) && present.contains_key(b))
            .map(|(&(a, b), &v)| (a, b, v))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    fn get(&self, a: u64, b: u64) -> Option<bool> {
        self.known.get(&pair(a, b)).copied()
    }

    fn record(&mut self, a: u64, b: u64, copies: bool) {
        self.known.insert(pair(a, b), copies);
        self.compared += 1;
    }
}

fn pair(a: u64, b: u64) -> (u64, u64) {
    (a.min(b), a.max(b))
}

/// Band keys two bodies must share to be compared exactly.
pub const MIN_SHARED_BANDS: u32 = 2;

/// Groups `texts` (sorted by hash, distinct): for each text, the index of its group's
/// first text. `shingles_of(i)` gives text `i`'s shingle set when a pair needs an exact
/// comparison that `verdicts` does not already hold.
pub fn group(
    texts: &[Text],
    verdicts: &mut Verdicts,
    shingles_of: &mut dyn FnMut(usize) -> Result<Vec<u64>>,
) -> Result<Vec<usize>> {
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(texts.len() * super::sketch::BANDS);
    for (i, text) in texts.iter().enumerate() {
        keyed.extend(text.bands.iter().map(|&key| (key, i as u32)));
    }
    keyed.sort_unstable();
    keyed.dedup();
    // Every pair sharing a band key, once per key it shares.
    let mut sharing: Vec<(u32, u32)> = Vec::new();
    let mut start = 0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        let run = &keyed[start..end];
        for (i, &(_, a)) in run.iter().enumerate() {
            sharing.extend(run.iter().skip(i + 1).take(WINDOW).map(|&(_, b)| (a, b)));
        }
        start = end;
    }
    drop(keyed);
    sharing.sort_unstable();
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let mut loaded: FxHashMap<usize, Vec<u64>> = FxHashMap::default();
    let mut start = 0;
    while start < sharing.len() {
        let mut end = start + 1;
        while end < sharing.len() && sharing[end] == sharing[start] {
            end += 1;
        }
        let shared = (end - start) as u32;
        let (a, b) = (sharing[start].0 as usize, sharing[start].1 as usize);
        start = end;
        if shared < MIN_SHARED_BANDS || find(&mut parent, a) == find(&mut parent, b) {
            continue;
        }
        let copies = match verdicts.get(texts[a].hash, texts[b].hash) {
            Some(known) => known,
            None => {
                for i in [a, b] {
                    if let std::collections::hash_map::Entry::Vacant(slot) = loaded.entry(i) {
                        slot.insert(shingles_of(i)?);
                    }
                }
                let copies = are_copies(&loaded[&a], &loaded[&b]);
                verdicts.record(texts[a].hash, texts[b].hash, copies);
                copies
            }
        };
        if copies {
            union(&mut parent, a, b);
        }
    }
    Ok((0..texts.len()).map(|i| find(&mut parent, i)).collect())
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins two groups under the smaller index, so a group is named by its first text.
fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    let (low, high) = (a.min(b), a.max(b));
    parent[high] = low;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stories::sketch::{band_keys, shingles};

    fn sentences(n: usize, seed: &str) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "Sentence {i} of the {seed} report names item {} today.",
                    i * 7
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn run(bodies: &[String]) -> (Vec<usize>, usize) {
        let sets: Vec<Vec<u64>> = bodies.iter().map(|b| shingles(b)).collect();
        let texts: Vec<Text> = sets
            .iter()
            .enumerate()
            .map(|(i, s)| Text {
                hash: i as u64,
                bands: band_keys(s),
            })
            .collect();
        let mut verdicts = Verdicts::default();
        let groups = group(&texts, &mut verdicts, &mut |i| Ok(sets[i].clone())).unwrap();
        (groups, verdicts.compared)
    }

    #[test]
    fn a_copy_with_a_paragraph_dropped_joins_and_an_unrelated_text_does_not() {
        let full = sentences(40, "harbour");
        let shorter = sentences(34, "harbour");
        let other = sentences(40, "orchard");
        let (groups, _) = run(&[full, shorter, other]);
        assert_eq!(groups, vec![0, 0, 2]);
    }

    #[test]
    fn a_chain_is_one_group_even_where_its_ends_differ() {
        let words: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
        let a = words[0..200].join(" ");
        let b = words[30..230].join(" ");
        let c = words[60..260].join(" ");
        let (ab, ac) = (
            crate::stories::sketch::resemblance(&shingles(&a), &shingles(&b)),
            crate::stories::sketch::resemblance(&shingles(&a), &shingles(&c)),
        );
        assert!(ab >= 0.8 && ac < 0.8, "{ab} {ac}");
        let (groups, _) = run(&[a, b, c]);
        assert_eq!(groups, vec![0, 0, 0]);
    }

    #[test]
    fn known_verdicts_are_not_compared_again() {
        let bodies = [
            sentences(30, "port"),
            sentences(30, "port") + " Extra words here.",
        ];
        let sets: Vec<Vec<u64>> = bodies.iter().map(|b| shingles(b)).collect();
        let texts: Vec<Text> = (0..2)
            .map(|i| Text {
                hash: 10 + i as u64,
                bands: band_keys(&sets[i]),
            })
            .collect();
        let mut verdicts = Verdicts::from_pairs([(11, 10, true)]);
        let groups = group(&texts, &mut verdicts, &mut |_| panic!("no body needed")).unwrap();
        assert_eq!((groups, verdicts.compared), (vec![0, 0], 0));
    }
}
