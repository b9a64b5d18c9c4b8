//! Gazetteer marks as tagger features: for each word of a sentence, whether it begins
//! or continues a known alias, and of which kind ("LOC-B", "PER-I", "DEM-B", "TITLE").
//! Keys are built as `gazetteer::alias_key` builds them, without allocating per word.

use std::borrow::Cow;

use super::gazetteer::{Form, Gazetteer};
use super::tagger::MARKS;
use crate::model::EntityKind;

/// The word lists the tagger's gazetteer features look up.
pub struct Lexicon<'g> {
    gazetteer: &'g Gazetteer,
}

impl<'g> Lexicon<'g> {
    /// Features from these lists.
    pub fn new(gazetteer: &'g Gazetteer) -> Lexicon<'g> {
        Lexicon { gazetteer }
    }

    /// Marks per word, as bits of [`MARKS`]. Aliases are matched on runs starting with
    /// a capitalised word.
    pub fn marks(&self, words: &[&str], lower: &[Cow<str>]) -> Vec<u16> {
        let mut marks = vec![0u16; words.len()];
        let longest = self.gazetteer.longest_alias_words.max(1);
        let mut key = String::with_capacity(48);
        for start in 0..words.len() {
            if !words[start].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            if self.gazetteer.is_title(&lower[start]) {
                marks[start] |= mark_bit("TITLE");
            }
            key.clear();
            for end in start..words.len().min(start + longest) {
                if end > start {
                    key.push(' ');
                }
                push_key_word(&mut key, &lower[end]);
                if let Some((entry, form)) = self.gazetteer.lookup_key(&key) {
                    let kind = match (form, entry.kind) {
                        (Form::Demonym, _) => "DEM",
                        (_, EntityKind::Person) => "PER",
                        (_, EntityKind::Place) => "LOC",
                        (_, EntityKind::Org) => "ORG",
                    };
                    marks[start] |= mark_bit(&format!("{kind}-B"));
                    let inside = mark_bit(&format!("{kind}-I"));
                    marks[start + 1..=end].iter_mut().for_each(|m| *m |= inside);
                }
                if !self.gazetteer.is_prefix(&key) {
                    break;
                }
            }
        }
        marks
    }
}

/// Appends a lower-case word to an alias key as [`alias_key`] would write it.
pub fn push_key_word(key: &mut String, lower_word: &str) {
    key.extend(
        lower_word
            .chars()
            .filter(|c| *c != '.')
            .map(|c| if c == '’' { '\'' } else { c }),
    );
}

fn mark_bit(mark: &str) -> u16 {
    MARKS.iter().position(|m| *m == mark).map_or(0, |i| 1 << i)
}
