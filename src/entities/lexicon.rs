//! Gazetteer marks as tagger features: for each word of a sentence, whether it begins
//! or continues a known alias, and of which kind ("LOC-B", "PER-I", "DEM-B", "TITLE").

use super::gazetteer::{alias_key, Form, Gazetteer};
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

    /// Marks per word. Aliases are matched on runs starting with a capitalised word.
    pub fn marks(&self, words: &[&str], lower: &[String]) -> Vec<Vec<String>> {
        let mut marks = vec![Vec::new(); words.len()];
        let longest = self.gazetteer.longest_alias_words.max(1);
        for start in 0..words.len() {
            if !words[start].chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            if self.gazetteer.is_title(&lower[start]) {
                marks[start].push("TITLE".to_string());
            }
            let mut key = String::new();
            for end in start..words.len().min(start + longest) {
                if end > start {
                    key.push(' ');
                }
                key.push_str(&alias_key(&lower[end]));
                if let Some((entry, form)) = self.gazetteer.lookup_key(&key) {
                    let kind = match (form, entry.kind) {
                        (Form::Demonym, _) => "DEM",
                        (_, EntityKind::Person) => "PER",
                        (_, EntityKind::Place) => "LOC",
                        (_, EntityKind::Org) => "ORG",
                    };
                    marks[start].push(format!("{kind}-B"));
                    for mark in &mut marks[start + 1..=end] {
                        mark.push(format!("{kind}-I"));
                    }
                }
            }
        }
        marks
    }
}
