//! Entities in articles in other languages than English: the shipped names of each
//! entity in those languages (`index-schema/entities/foreign-names.tsv`, generated from
//! CLDR and GeoNames, and the hand-written `foreign-aliases.tsv` it includes), matched
//! word by word on keys that discount inflection, so that "Белоруссии", "Білорусі" and
//! "Weißrusslands" are mentions of Belarus with their exact byte spans.
//!
//! A key is what is left of a word once its inflection is taken off: the language's
//! Snowball stem where rust-stemmers has one and the language does not decline names
//! much (German, French, Spanish and the others), and for the Slavic languages, whose
//! names decline (Russian, Ukrainian, Polish and their neighbours), the word without
//! the longest of its case endings that leaves three letters. Russian has a Snowball
//! stemmer, but it takes one ending off and no more: "Лавров" and "Лаврова" (the
//! genitive) get different stems, so Russian uses the endings as well (measured in
//! the README's Entities across languages). Keys are lower-cased and folded
//! (diacritics off), as the analyzer's terms are.
//!
//! The English-trained tagger does not read these articles: its guesses there are
//! noise. What they name comes from the lists only.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::extract::Mention;
use super::gazetteer::{Form, Gazetteer};
use super::tokens::{tokenize, Span};
use crate::analysis::{has_stemmer, language_count, language_slot, Analyzer, DEFAULT_LANG};

pub(crate) const FOREIGN_NAMES: &str =
    include_str!("../../index-schema/entities/foreign-names.tsv");
pub(crate) const HOMONYMS: &str = include_str!("../../index-schema/entities/foreign-homonyms.tsv");

/// The rows of `foreign-names.tsv` for every language but English.
const ANY_LANGUAGE: &str = "*";

/// Slavic languages written in Cyrillic, whose names decline.
const CYRILLIC_SLAVIC: &[&str] = &["ru", "uk", "be", "bg", "sr"];
/// Slavic languages written in Latin letters, whose names decline.
const LATIN_SLAVIC: &[&str] = &["pl", "cs", "sk", "hr", "sl"];

/// Case endings of nouns, adjectives and surnames in Russian, Ukrainian and
/// Belarusian (as written; folded before use).
const CYRILLIC_ENDINGS: &[&str] = &[
    // nouns
    "ами", "ями", "ах", "ях", "ов", "ев", "ей", "ой", "ом", "ем", "ам", "ям", "ию", "ия", "ии",
    "ие", "ье", "ья", "ью", "ы", "и", "а", "я", "у", "ю", "е", "о", "ь", // adjectives
    "ого", "его", "ому", "ему", "ыми", "ими", "ый", "ий", "ая", "яя", "ое", "ее", "ые", "ых", "их",
    "ым", "им", "ую", "юю", "ою", "ею", // surnames in -ов, -ев, -ин
    "ова", "ову", "овым", "ове", "ева", "еву", "евым", "ина", "ину", "иным", "ине",
    // Ukrainian
    "ові", "еві", "єві", "ів", "їв", "єю", "ої", "ій", "ім", "і", "ї", "є",
];

/// Case endings of nouns and adjectives in Polish, Czech and Slovak (as written;
/// folded before use). Polish "-ów" is left out: it ends "Kijów" and "Kraków" too.
const LATIN_SLAVIC_ENDINGS: &[&str] = &[
    "ami", "ach", "owi", "iem", "ego", "emu", "ich", "ych", "ymi", "imi", "iej", "ej", "em", "om",
    "ie", "ia", "ii", "ią", "ym", "im", "ą", "ę", "a", "e", "i", "o", "u", "y",
];

/// The endings a Cyrillic list name's own form (a nominative) is read without: those
/// of declinable nouns and adjectives. Not "-о", "-е", "-у": a name ending so is
/// foreign and does not decline in Russian ("Токио", "Совето" for Soweto, which would
/// otherwise meet "Совет", council).
const CYRILLIC_NAME_ENDINGS: &[&str] = &[
    "а", "я", "ь", "й", "ы", "и", "і", "ий", "ый", "ой", "ій", "ая", "яя",
];

/// Ukrainian declines surnames in "-о" too ("Лукашенко", "Лукашенком").
const UKRAINIAN_NAME_ENDINGS: &[&str] = &[
    "а", "я", "ь", "й", "ы", "и", "і", "ий", "ый", "ой", "ій", "ая", "яя", "о",
];

/// The fewest letters a key keeps when an ending is taken off.
const MIN_STEM_CHARS: usize = 3;

/// How a language's words become keys.
#[derive(Clone, Copy)]
enum KeyRule {
    Snowball(Analyzer),
    /// Endings of any form, and of a list name's own form.
    Endings(&'static [String], &'static [String]),
}

impl KeyRule {
    fn for_lang(lang: &str) -> KeyRule {
        static CYRILLIC: OnceLock<Vec<String>> = OnceLock::new();
        static CYRILLIC_NAME: OnceLock<Vec<String>> = OnceLock::new();
        static UKRAINIAN_NAME: OnceLock<Vec<String>> = OnceLock::new();
        static LATIN: OnceLock<Vec<String>> = OnceLock::new();
        if lang == "uk" {
            KeyRule::Endings(
                CYRILLIC.get_or_init(|| folded_longest_first(CYRILLIC_ENDINGS)),
                UKRAINIAN_NAME.get_or_init(|| folded_longest_first(UKRAINIAN_NAME_ENDINGS)),
            )
        } else if CYRILLIC_SLAVIC.contains(&lang) {
            KeyRule::Endings(
                CYRILLIC.get_or_init(|| folded_longest_first(CYRILLIC_ENDINGS)),
                CYRILLIC_NAME.get_or_init(|| folded_longest_first(CYRILLIC_NAME_ENDINGS)),
            )
        } else if LATIN_SLAVIC.contains(&lang) || !has_stemmer(lang) {
            let endings = LATIN.get_or_init(|| folded_longest_first(LATIN_SLAVIC_ENDINGS));
            KeyRule::Endings(endings, endings)
        } else {
            KeyRule::Snowball(Analyzer::for_lang(lang))
        }
    }

    /// The keys one word may be read under, into `out` (cleared first): the word
    /// itself, lower-cased and folded (its exact key, first), then its stems. Snowball
    /// gives one stem. The endings give the word without each case ending it has
    /// (three letters kept); a list name's own form ("Женева", "Лавров") is read
    /// without an ending of at most [`NAME_ENDING_CHARS`] letters only, so that a
    /// text's "Женеве" and "Лаврова" meet it ("женев", "лавров") but "Жена" (wife)
    /// does not meet "Женева" through "жен".
    fn word_keys(&self, word: &str, listed: bool, out: &mut Vec<String>) {
        out.clear();
        let folded: String = word
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c == '\u{2019}' { '\'' } else { c })
            .nfd()
            .filter(|c| !is_combining_mark(*c) && *c != '.')
            .collect();
        match self {
            KeyRule::Snowball(analyzer) => {
                let (mut term, mut work) = (String::new(), String::new());
                analyzer.analyse_word(word, &mut term, &mut work);
                out.push(folded);
                if term != out[0] {
                    out.push(term);
                }
            }
            KeyRule::Endings(any_form, name_form) => {
                let chars = folded.chars().count();
                let mut stems = Vec::new();
                let endings = if listed { name_form } else { any_form };
                for ending in endings.iter() {
                    let ending_chars = ending.chars().count();
                    if folded.ends_with(ending.as_str())
                        && chars - ending_chars >= MIN_STEM_CHARS
                        && (!listed || ending_chars <= NAME_ENDING_CHARS)
                    {
                        let stem = &folded[..folded.len() - ending.len()];
                        if !stems.iter().any(|k| k == stem) {
                            stems.push(stem.to_string());
                        }
                    }
                }
                out.push(folded);
                out.extend(stems);
            }
        }
    }
}

/// The longest ending a list name's own form is read without.
const NAME_ENDING_CHARS: usize = 2;

/// The most keys one list name is filed under (its words' keys combined).
const MAX_NAME_KEYS: usize = 64;

fn folded_longest_first(endings: &[&str]) -> Vec<String> {
    let mut folded: Vec<String> = endings
        .iter()
        .map(|e| e.nfd().filter(|c| !is_combining_mark(*c)).collect())
        .collect();
    folded.sort_by_key(|e: &String| std::cmp::Reverse(e.chars().count()));
    folded.dedup();
    folded
}

/// What a key names in one language.
#[derive(Debug, Clone, Copy)]
struct Listed {
    id: u32,
    form: Form,
    /// The name is written with a capital: its mention must have one too ("Чад" the
    /// country, not "чад" the fumes).
    cased: bool,
    /// A common word of the language too: a mention only after a place preposition.
    homonym: bool,
    /// Filed under the name as written, not under a stem.
    exact: bool,
}

/// The names of one language, by key.
pub struct NameTable {
    rule: KeyRule,
    names: FxHashMap<String, Listed>,
    /// Every key cut after each of its words but the last.
    prefixes: FxHashSet<String>,
    longest_words: usize,
    /// Lower-cased place prepositions, after which a homonym is a name.
    prepositions: FxHashSet<String>,
}

impl NameTable {
    /// The table of `lang` for the entities of `gazetteer`: its aliases (towns only of
    /// the countries whose press writes `lang`: elsewhere a town's name is too often a
    /// word, and in English only the tagger may name one), then the shipped names of
    /// that language, then those of any.
    fn build(gazetteer: &Gazetteer, lang: &str) -> NameTable {
        let mut table = NameTable {
            rule: KeyRule::for_lang(lang),
            names: FxHashMap::default(),
            prefixes: FxHashSet::default(),
            longest_words: 1,
            prepositions: FxHashSet::default(),
        };
        let home = home_countries(lang);
        let mut aliases: Vec<(&str, u32, Form)> = gazetteer
            .alias_ids()
            .filter(|&(_, id, _)| {
                let entry = &gazetteer.entries[id as usize];
                !entry.is_town() || entry.country.as_deref().is_some_and(|c| home.contains(&c))
            })
            .collect();
        // The table must not depend on the hash map's order.
        aliases.sort_unstable_by_key(|&(alias, id, _)| (alias, id));
        // Exact spellings first, so that no stem takes one.
        let mut shared = FxHashSet::default();
        for (alias, id, form) in aliases {
            table.add(alias, id, form, form == Form::Name, &mut shared);
        }
        let ids: FxHashMap<&str, u32> = gazetteer
            .entries
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| (e.name.as_str(), i as u32))
            .collect();
        for row_lang in [lang, ANY_LANGUAGE] {
            for row in foreign_rows().filter(|row| row.lang == row_lang) {
                let Some(&id) = ids.get(row.canonical) else {
                    continue; // dropped by the user's entity file
                };
                for name in row.names.split('|').filter(|n| !n.is_empty()) {
                    let cased = row.form == Form::Name && name.chars().any(char::is_uppercase);
                    table.add(name, id, row.form, cased, &mut shared);
                }
            }
        }
        for key in shared {
            if table.names.get(&key).is_some_and(|l| !l.exact) {
                table.names.remove(&key);
            }
        }
        for (row_lang, prepositions, names) in homonym_rows() {
            if row_lang != lang {
                continue;
            }
            table
                .prepositions
                .extend(prepositions.split('|').map(str::to_lowercase));
            for name in names.split('|') {
                for (key, _) in table.keys_of(name) {
                    if let Some(listed) = table.names.get_mut(&key) {
                        listed.homonym = true;
                    }
                }
            }
        }
        table
    }

    /// The keys of a list name: each combination of its tokens' keys, joined by
    /// spaces, and whether it is the exact one (every word as written).
    fn keys_of(&self, name: &str) -> Vec<(String, bool)> {
        let mut keys = vec![(String::new(), true)];
        let mut word_keys = Vec::new();
        for token in split_elisions(name, &tokenize(name).tokens) {
            self.rule
                .word_keys(&name[token.start..token.end], true, &mut word_keys);
            let mut next = Vec::with_capacity(keys.len() * word_keys.len());
            for (key, exact) in &keys {
                for (i, word_key) in word_keys.iter().enumerate() {
                    let joined = if key.is_empty() {
                        word_key.clone()
                    } else {
                        format!("{key} {word_key}")
                    };
                    next.push((joined, *exact && i == 0));
                }
            }
            next.truncate(MAX_NAME_KEYS);
            keys = next;
        }
        keys.retain(|(k, _)| !k.is_empty());
        keys
    }

    /// Files a name under its keys. An exact key another entity has already stays
    /// that entity's; a stem two entities share is nobody's (Spanish stems "Madrid"
    /// and "Madras" alike): they are then found by their exact spellings only.
    fn add(
        &mut self,
        name: &str,
        id: u32,
        form: Form,
        cased: bool,
        shared: &mut FxHashSet<String>,
    ) {
        for (key, exact) in self.keys_of(name) {
            match self.names.get(&key) {
                Some(listed) if listed.id == id => continue,
                Some(listed) => {
                    if !exact && !listed.exact {
                        shared.insert(key);
                    }
                    continue;
                }
                None => {}
            }
            let words = key.split(' ').count();
            self.longest_words = self.longest_words.max(words);
            for (i, _) in key.match_indices(' ') {
                self.prefixes.insert(key[..i].to_string());
            }
            self.names.insert(
                key,
                Listed {
                    id,
                    form,
                    cased,
                    homonym: false,
                    exact,
                },
            );
        }
    }

    /// Every listed name in `text`: the longest one starting at each word, in order.
    pub fn mentions(&self, gazetteer: &Gazetteer, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        let tokenized = tokenize(text);
        let mut keys: Vec<Vec<String>> = Vec::new();
        for sentence in tokenized.iter() {
            let sentence = &split_elisions(text, sentence)[..];
            keys.clear();
            for token in sentence {
                let mut word_keys = Vec::new();
                self.rule
                    .word_keys(&text[token.start..token.end], false, &mut word_keys);
                keys.push(word_keys);
            }
            let mut i = 0;
            while i < sentence.len() {
                match self.longest_at(text, sentence, &keys, i) {
                    Some((last, listed)) => {
                        let entry = &gazetteer.entries[listed.id as usize];
                        out.push(Mention {
                            kind: entry.kind,
                            name: entry.name.clone(),
                            start: sentence[i].start,
                            end: sentence[last].end,
                            form: listed.form,
                        });
                        i = last + 1;
                    }
                    None => i += 1,
                }
            }
        }
        out
    }

    /// The longest name starting at word `i` of a sentence that may be read there
    /// (`keys`: each word's keys).
    fn longest_at(
        &self,
        text: &str,
        sentence: &[Span],
        keys: &[Vec<String>],
        i: usize,
    ) -> Option<(usize, Listed)> {
        if !text[sentence[i].start..].starts_with(char::is_alphanumeric) {
            return None;
        }
        let mut found = None;
        // The keys read so far that a longer name may still start with.
        let mut open: Vec<String> = Vec::new();
        let stop = sentence.len().min(i + self.longest_words);
        for (last, word_keys) in keys.iter().enumerate().take(stop).skip(i) {
            let mut next = Vec::new();
            for word_key in word_keys {
                let candidates: Vec<String> = if last == i {
                    vec![word_key.clone()]
                } else {
                    open.iter().map(|k| format!("{k} {word_key}")).collect()
                };
                for key in candidates {
                    if let Some(&listed) = self.names.get(key.as_str()) {
                        if self.may_read(text, sentence, i, last, listed) {
                            found = Some((last, listed));
                        }
                    }
                    if self.prefixes.contains(key.as_str()) {
                        next.push(key);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            open = next;
        }
        found
    }

    fn may_read(
        &self,
        text: &str,
        sentence: &[Span],
        i: usize,
        last: usize,
        listed: Listed,
    ) -> bool {
        let written = &text[sentence[i].start..sentence[last].end];
        if listed.cased && !written.chars().any(char::is_uppercase) {
            return false;
        }
        // A name of three letters or fewer is an acronym: "ONU", "ЕС", not French "Un"
        // or Spanish "Es" for the English lists' "UN" and "ES".
        if listed.cased
            && written.chars().filter(|c| c.is_alphabetic()).count() <= 3
            && written.chars().any(char::is_lowercase)
        {
            return false;
        }
        if listed.homonym {
            let before = i
                .checked_sub(1)
                .map(|p| text[sentence[p].start..sentence[p].end].to_lowercase());
            return before.is_some_and(|word| self.prepositions.contains(&word));
        }
        true
    }
}

/// Tokens with an elided article or preposition split off ("l'OTAN" -> "l'", "OTAN";
/// "dell'ONU" -> "dell'", "ONU"), as French and Italian write them.
fn split_elisions(text: &str, tokens: &[Span]) -> Vec<Span> {
    const ELIDED: &[&str] = &[
        "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "dell", "nell",
        "all", "dall", "sull", "un", "quell",
    ];
    let mut out = Vec::with_capacity(tokens.len());
    for &token in tokens {
        let word = &text[token.start..token.end];
        let cut = word
            .char_indices()
            .find(|&(_, c)| c == '\'' || c == '\u{2019}')
            .filter(|&(at, c)| {
                ELIDED.iter().any(|e| e.eq_ignore_ascii_case(&word[..at]))
                    && word.len() > at + c.len_utf8()
            });
        match cut {
            Some((at, c)) => {
                let after = token.start + at + c.len_utf8();
                out.push(Span {
                    start: token.start,
                    end: after,
                });
                out.push(Span {
                    start: after,
                    end: token.end,
                });
            }
            None => out.push(token),
        }
    }
    out
}

/// The tables of every language, each built on its first article.
pub struct ForeignNames {
    tables: Vec<OnceLock<NameTable>>,
}

impl Default for ForeignNames {
    fn default() -> ForeignNames {
        ForeignNames {
            tables: (0..language_count()).map(|_| OnceLock::new()).collect(),
        }
    }
}

impl ForeignNames {
    /// The table of `lang` (none for English, which the tagger reads, and for a code
    /// dossier does not know).
    pub fn table(&self, gazetteer: &Gazetteer, lang: &str) -> Option<&NameTable> {
        if lang == DEFAULT_LANG {
            return None;
        }
        let slot = language_slot(lang)?;
        Some(self.tables[slot].get_or_init(|| NameTable::build(gazetteer, lang)))
    }
}

/// The countries whose own press writes `lang` (ISO 3166 codes; facts), whose towns
/// an article in `lang` may name by their list names.
fn home_countries(lang: &str) -> &'static [&'static str] {
    match lang {
        "de" => &["DE", "AT", "CH", "LU"],
        "fr" => &["FR", "BE", "CH", "LU"],
        "it" => &["IT", "CH"],
        "es" => &["ES", "MX", "AR", "CO", "CL", "PE", "VE"],
        "pt" => &["PT", "BR"],
        "nl" => &["NL", "BE"],
        "pl" => &["PL"],
        "ru" => &["RU", "BY", "KZ"],
        "uk" => &["UA"],
        "da" => &["DK"],
        "sv" => &["SE"],
        "no" => &["NO"],
        "fi" => &["FI"],
        "hu" => &["HU"],
        "ro" => &["RO", "MD"],
        "tr" => &["TR"],
        "el" => &["GR", "CY"],
        _ => &[],
    }
}

/// One row of `foreign-names.tsv`.
struct ForeignRow {
    lang: &'static str,
    canonical: &'static str,
    form: Form,
    names: &'static str,
}

fn foreign_rows() -> impl Iterator<Item = ForeignRow> {
    FOREIGN_NAMES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let (lang, canonical, form, names) =
                (cells.next()?, cells.next()?, cells.next()?, cells.next()?);
            let form = match form {
                "demonym" => Form::Demonym,
                _ => Form::Name,
            };
            Some(ForeignRow {
                lang,
                canonical,
                form,
                names,
            })
        })
}

fn homonym_rows() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    HOMONYMS
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut cells = line.split('\t');
            Some((cells.next()?, cells.next()?, cells.next()?))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(lang: &str, text: &str) -> Vec<(String, String)> {
        let gazetteer = Gazetteer::shipped();
        let names = ForeignNames::default();
        let table = names.table(gazetteer, lang).expect("a table");
        table
            .mentions(gazetteer, text)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.name))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn every_row_names_a_listed_entity_in_a_known_language() {
        let gazetteer = Gazetteer::shipped();
        let names: FxHashSet<&str> = gazetteer.entries.iter().map(|e| e.name.as_str()).collect();
        let mut rows = 0;
        for row in foreign_rows() {
            rows += 1;
            assert!(
                names.contains(row.canonical),
                "{} is in no list",
                row.canonical
            );
            assert!(
                row.lang == ANY_LANGUAGE || language_slot(row.lang).is_some(),
                "unknown language {}",
                row.lang
            );
        }
        assert!(rows > 1000, "{rows} rows");
        for (lang, _, _) in homonym_rows() {
            assert!(language_slot(lang).is_some(), "unknown language {lang}");
        }
    }

    #[test]
    fn russian_inflected_names_have_their_spans() {
        let text = "Российские войска остаются в Белоруссии, переговоры прошли в Женеве, сказал Лавров. Заявление Лаврова.";
        assert_eq!(
            found("ru", text),
            pairs(&[
                ("Российские", "Russia"),
                ("Белоруссии", "Belarus"),
                ("Женеве", "Geneva"),
                ("Лавров", "Sergei Lavrov"),
                ("Лаврова", "Sergei Lavrov"),
            ])
        );
    }

    fn keys(lang: &str, word: &str, listed: bool) -> Vec<String> {
        let mut out = Vec::new();
        KeyRule::for_lang(lang).word_keys(word, listed, &mut out);
        out
    }

    fn meet(lang: &str, name: &str, written: &str) -> bool {
        let listed = keys(lang, name, true);
        keys(lang, written, false)
            .iter()
            .any(|k| listed.contains(k))
    }

    #[test]
    fn the_slavic_endings_let_case_forms_meet() {
        for (lang, name, written) in [
            ("uk", "Білорусь", "Білорусі"),
            ("uk", "український", "українських"),
            ("ru", "Женева", "Женеве"),
            ("ru", "Лавров", "Лаврова"),
            ("ru", "Лавров", "Лавровым"),
            ("ru", "Россия", "России"),
            ("ru", "Киев", "Киеве"),
            ("ru", "Зеленский", "Зеленского"),
            ("pl", "Rosja", "Rosji"),
            ("pl", "Kijów", "Kijowie"),
        ] {
            assert!(meet(lang, name, written), "{name} / {written}");
        }
        // A list name drops two letters at most: "Жена" (wife) is not "Женева".
        assert!(!meet("ru", "Женева", "Жена"));
        // Three letters stay: "Киев" is not cut to "ки".
        assert!(!keys("ru", "Киев", false).contains(&"ки".to_string()));
    }

    #[test]
    fn a_lower_case_word_is_not_a_capitalised_name() {
        // "Чад" is the country; "чад" is fumes.
        assert_eq!(found("ru", "Над кухней стоял чад."), vec![]);
        assert_eq!(
            found("ru", "Переговоры в Чаде."),
            pairs(&[("Чаде", "Chad")])
        );
    }

    #[test]
    fn a_homonym_is_a_name_only_after_a_place_preposition() {
        // "Того" is Togo and the pronoun "of that".
        assert_eq!(found("ru", "Того же дня пришли новости."), vec![]);
        assert_eq!(
            found("ru", "Выборы в Того перенесли."),
            pairs(&[("Того", "Togo")])
        );
        assert_eq!(found("de", "Das Essen war kalt."), vec![]);
        assert_eq!(
            found("de", "Die Polizei in Essen ermittelt."),
            pairs(&[("Essen", "Essen")])
        );
    }
}
