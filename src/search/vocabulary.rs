//! The words one index holds, for fuzzy words (`Zelenskyi~2`): the terms of its title
//! and body within some edits of a word, found with a Levenshtein automaton (a
//! transposition counts as one edit) run over each segment's term dictionary.

use std::sync::LazyLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use tantivy::Searcher;

use crate::query::compile::{Expansion, Vocabulary};
use crate::schema::Fields;

/// The most terms a fuzzy word stands for: the closest, then the most frequent.
pub const MAX_FUZZY_TERMS: usize = 64;

/// Building the automata's tables takes a while: once per distance, for the process.
static BUILDERS: LazyLock<[LevenshteinAutomatonBuilder; 3]> =
    LazyLock::new(|| [0, 1, 2].map(|distance| LevenshteinAutomatonBuilder::new(distance, true)));

/// Terms as one index's segments hold them.
pub struct IndexVocabulary<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
}

/// A term dictionary walk that goes only where a term can stay within the distance.
struct Within<'a>(&'a DFA);

impl tantivy_fst::Automaton for Within<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

impl Vocabulary for IndexVocabulary<'_> {
    fn within(&self, term: &str, distance: u8) -> Expansion {
        let builder = &BUILDERS[usize::from(distance.min(2))];
        let dfa = builder.build_dfa(term);
        // (edits, articles holding it, term), summed over segments and fields.
        let mut found: Vec<(u8, u64, String)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            for field in [self.fields.body, self.fields.title] {
                let Ok(index) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = index.terms().search(Within(&dfa)).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(text) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    // Entity tokens are not words.
                    if text.starts_with('@') {
                        continue;
                    }
                    let edits = match dfa.eval(text.as_bytes()) {
                        Distance::Exact(d) => d,
                        Distance::AtLeast(_) => continue,
                    };
                    let articles = u64::from(stream.value().doc_freq);
                    match found.iter_mut().find(|(_, _, t)| t == text) {
                        Some(entry) => entry.1 += articles,
                        None => found.push((edits, articles, text.to_string())),
                    }
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let capped = found.len() > MAX_FUZZY_TERMS;
        found.truncate(MAX_FUZZY_TERMS);
        Expansion {
            terms: found.into_iter().map(|(_, _, term)| term).collect(),
            capped,
        }
    }
}
