//! Gazetteer marks as tagger features: for each word of a sentence, whether it begins
//! or continues a known alias, and of which kind ("LOC-B", "PER-I", "DEM-B", "TITLE").
//! Keys are built as `gazetteer::alias_key` builds them, without allocating per word.

use std::borrow::Cow;

use super::gazetteer::{Form, Gazetteer};
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
    pub fn marks(&self, words: &[&str], lower: &[Cow<str>], marks: &mut Vec<u16>) {
        marks.clear();
        marks.resize(words.len(), 0);
        let longest = self.gazetteer.longest_alias_words.max(1);
        let mut key = String::with_capacity(48);
        for start in 0..words.len() {
            if !words[start].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            key.clear();
            for end in start..words.len().min(start + longest) {
                if end > start {
                    key.push(' ');
                }
                push_key_word(&mut key, &lower[end]);
                if end == start && self.gazetteer.is_title_key(&key) {
                    marks[start] |= TITLE;
                }
                if let Some((entry, form)) = self.gazetteer.lookup_key(&key) {
                    let (begin, inside) = match (form, entry.kind) {
                        (Form::Demonym, _) => (DEMONYM_BEGIN, DEMONYM_INSIDE),
                        (_, EntityKind::Person) => (PERSON_BEGIN, PERSON_INSIDE),
                        (_, EntityKind::Place) => (PLACE_BEGIN, PLACE_INSIDE),
                        (_, EntityKind::Org) => (ORG_BEGIN, ORG_INSIDE),
                    };
                    marks[start] |= begin;
                    marks[start + 1..=end].iter_mut().for_each(|m| *m |= inside);
                }
                if !self.gazetteer.is_prefix(&key) {
                    break;
                }
            }
        }
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

/// The bit of a mark in [`MARKS`].
const fn bit(i: usize) -> u16 {
    1 << i
}

const PERSON_BEGIN: u16 = bit(0);
const PERSON_INSIDE: u16 = bit(1);
const PLACE_BEGIN: u16 = bit(2);
const PLACE_INSIDE: u16 = bit(3);
const ORG_BEGIN: u16 = bit(4);
const ORG_INSIDE: u16 = bit(5);
const DEMONYM_BEGIN: u16 = bit(6);
const DEMONYM_INSIDE: u16 = bit(7);
const TITLE: u16 = bit(8);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::tagger::MARKS;

    #[test]
    fn mark_bits_follow_the_order_of_marks() {
        let bits = [
            PERSON_BEGIN,
            PERSON_INSIDE,
            PLACE_BEGIN,
            PLACE_INSIDE,
            ORG_BEGIN,
            ORG_INSIDE,
            DEMONYM_BEGIN,
            DEMONYM_INSIDE,
            TITLE,
        ];
        let names = [
            "PER-B", "PER-I", "LOC-B", "LOC-I", "ORG-B", "ORG-I", "DEM-B", "DEM-I", "TITLE",
        ];
        for (bit, name) in bits.iter().zip(names) {
            let index = MARKS.iter().position(|m| *m == name).expect("mark listed");
            assert_eq!(*bit, 1 << index, "{name}");
        }
    }
}
