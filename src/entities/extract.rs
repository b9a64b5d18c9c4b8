//! From text to resolved mentions: the tagger finds name spans, the gazetteer turns
//! each into a canonical entity (or the span's own words, for names it does not list),
//! demonyms become mentions of their place, titles are dropped, and a surname alone
//! takes the full name used elsewhere in the article.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::gazetteer::{alias_key, Form, Gazetteer};
use super::lexicon::{push_key_word, Lexicon};
use super::tagger::{spans, Scratch, Sentence, Tagger};
use super::tokens::{tokenize, Span};
use super::user::UserEntities;
use crate::model::EntityKind;

const TAGGER_MODEL: &[u8] = include_bytes!("../../index-schema/ner/tagger.bin.gz");

/// The shipped tagger, loaded once.
pub fn shipped_tagger() -> &'static Tagger {
    static TAGGER: LazyLock<Tagger> = LazyLock::new(|| {
        Tagger::read(TAGGER_MODEL).unwrap_or_else(|e| panic!("index-schema/ner/tagger.bin.gz: {e}"))
    });
    &TAGGER
}

/// One mention of an entity in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub kind: EntityKind,
    /// The entity's canonical name.
    pub name: String,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// A name, or a demonym of a place.
    pub form: Form,
}

/// The extractor of the shipped lists, built once per process; the tagger's weights
/// load on first use only (a search that extracts nothing never reads them).
static SHIPPED: LazyLock<Arc<EntityExtractor>> = LazyLock::new(|| {
    Arc::new(EntityExtractor {
        gazetteer: Gazetteer::shipped().clone(),
        user: UserEntities::default(),
        active: true,
    })
});

/// Finds and resolves entity mentions.
pub struct EntityExtractor {
    gazetteer: Gazetteer,
    user: UserEntities,
    /// False only for measurements of indexing without extraction.
    active: bool,
}

impl EntityExtractor {
    /// The shipped lists and model, with a user's entity file applied.
    pub fn new(user: UserEntities) -> Result<EntityExtractor, String> {
        let mut gazetteer = Gazetteer::shipped().clone();
        user.apply_to(&mut gazetteer)?;
        Ok(EntityExtractor {
            gazetteer,
            user,
            active: true,
        })
    }

    /// An extractor that finds nothing: `benches/compare.sh` uses it (through
    /// `DOSSIER_BENCH_NO_ENTITIES=1`) to measure what extraction costs indexing.
    pub fn inactive(&self) -> EntityExtractor {
        EntityExtractor {
            gazetteer: self.gazetteer.clone(),
            user: self.user.clone(),
            active: false,
        }
    }

    /// The shipped lists and model only.
    pub fn shipped() -> &'static EntityExtractor {
        &SHIPPED
    }

    /// The shipped lists and model only, shared.
    pub fn shipped_shared() -> Arc<EntityExtractor> {
        SHIPPED.clone()
    }

    /// The alias table in force (shipped lists plus the user's file).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The user's renames, merges and drops.
    pub fn user(&self) -> &UserEntities {
        &self.user
    }

    /// Every mention in `text`, in order.
    pub fn extract(&self, text: &str) -> Vec<Mention> {
        if !self.active {
            return Vec::new();
        }
        let lexicon = Lexicon::new(&self.gazetteer);
        let tagger = shipped_tagger();
        let mut mentions = Vec::new();
        let tokenized = tokenize(text);
        // Buffers reused from sentence to sentence.
        let mut sentence = Sentence::default();
        let mut tags = Vec::new();
        let mut scratch = Scratch::default();
        let mut covered = Vec::new();
        for sentence_tokens in tokenized.iter() {
            let words = sentence_tokens.iter().map(|t| &text[t.start..t.end]);
            sentence.refill(words, &lexicon);
            tagger.tag_into(&sentence, &mut tags, &mut scratch);
            covered.clear();
            covered.resize(sentence_tokens.len(), false);
            for (first, last, kind) in spans(&tags) {
                covered[first..last].iter_mut().for_each(|c| *c = true);
                self.resolve_span(text, &sentence_tokens[first..last], kind, &mut mentions);
            }
            let words = SentenceWords {
                tokens: sentence_tokens,
                lower: sentence.lower(),
            };
            self.listed_names(text, &words, &covered, &mut mentions);
        }
        mentions.sort_by_key(|m| m.start);
        link_surnames(text, tokenized.tokens.iter(), &mut mentions);
        self.user.apply_to_mentions(&mut mentions);
        mentions
    }

    fn resolve_span(&self, text: &str, tokens: &[Span], tag: &str, out: &mut Vec<Mention>) {
        let mut tokens = tokens;
        while tokens.len() > 1
            && self
                .gazetteer
                .is_title(&text[tokens[0].start..tokens[0].end])
        {
            tokens = &tokens[1..];
        }
        let (start, end) = (tokens[0].start, tokens[tokens.len() - 1].end);
        let surface = &text[start..end];
        if tag != "LOC" && tag != "PER" && tokens.len() > 1 {
            self.country_word(text, tokens[0], out);
        }
        let tagged_kind = match tag {
            "PER" => Some(EntityKind::Person),
            "LOC" => Some(EntityKind::Place),
            "ORG" => Some(EntityKind::Org),
            _ => None,
        };
        match (self.gazetteer.lookup(surface), tagged_kind) {
            (Some((entry, form)), Some(EntityKind::Person))
                if entry.kind != EntityKind::Person && form == Form::Name =>
            {
                // "Jordan" the person: the tagger's reading of the sentence wins.
                let _ = entry;
                out.push(Mention {
                    kind: EntityKind::Person,
                    name: tidy(surface),
                    start,
                    end,
                    form,
                });
            }
            // A listed place the tagger reads as an organisation is one here ("Leeds" the
            // club, "Ukraine" the team); listed people and organisations are specific.
            (Some((entry, form)), Some(kind))
                if entry.kind == EntityKind::Place
                    && kind != EntityKind::Place
                    && form == Form::Name =>
            {
                out.push(Mention {
                    kind,
                    name: tidy(surface),
                    start,
                    end,
                    form,
                })
            }
            (Some((entry, form)), Some(_)) => out.push(Mention {
                kind: entry.kind,
                name: entry.name.clone(),
                start,
                end,
                form,
            }),
            (Some((entry, form)), None)
                if form == Form::Demonym || entry.kind == EntityKind::Place =>
            {
                out.push(Mention {
                    kind: entry.kind,
                    name: entry.name.clone(),
                    start,
                    end,
                    form,
                })
            }
            (None, Some(kind)) => out.push(Mention {
                kind,
                name: tidy(surface),
                start,
                end,
                form: Form::Name,
            }),
            (_, None) => self.demonym_parts(surface, start, out),
        }
    }

    /// Listed names and demonyms the tagger passed over (often at the start of a
    /// sentence): the longest alias starting at each capitalised word not in a span.
    fn listed_names(
        &self,
        text: &str,
        words: &SentenceWords,
        covered: &[bool],
        out: &mut Vec<Mention>,
    ) {
        let longest = self.gazetteer.longest_alias_words.max(1);
        let tokens = words.tokens;
        let mut key = String::new();
        let mut i = 0;
        while i < tokens.len() {
            let word = &text[tokens[i].start..tokens[i].end];
            if covered[i] || !word.chars().next().is_some_and(char::is_uppercase) {
                i += 1;
                continue;
            }
            let mut matched = None;
            key.clear();
            let stop = tokens.len().min(i + longest);
            let run = covered[i..stop].iter().zip(&words.lower[i..stop]);
            for (end, (&is_covered, lower)) in (i..).zip(run) {
                if is_covered {
                    break;
                }
                if end > i {
                    key.push(' ');
                }
                push_key_word(&mut key, lower);
                if let Some((entry, form)) = self.gazetteer.lookup_key(&key) {
                    if !entry.is_town() {
                        matched = Some((end, entry, form));
                    }
                }
                if !self.gazetteer.is_prefix(&key) {
                    break;
                }
            }
            match matched {
                Some((end, entry, form)) => {
                    let (start, stop) = (tokens[i].start, tokens[end].end);
                    out.push(Mention {
                        kind: entry.kind,
                        name: entry.name.clone(),
                        start,
                        end: stop,
                        form,
                    });
                    i = end + 1;
                }
                None => {
                    if word.contains('-') {
                        self.demonym_parts(word, tokens[i].start, out);
                    }
                    i += 1;
                }
            }
        }
    }

    /// "U.S. Agriculture Department", "British Airways": a country or its adjective
    /// opening an organisation's name is a mention of that country too.
    fn country_word(&self, text: &str, token: Span, out: &mut Vec<Mention>) {
        let word = &text[token.start..token.end];
        if let Some((entry, form)) = self.gazetteer.lookup(word) {
            if entry.is_country() {
                out.push(Mention {
                    kind: EntityKind::Place,
                    name: entry.name.clone(),
                    start: token.start,
                    end: token.end,
                    form,
                });
            }
        }
    }

    /// Countries the article's places lie in ("Cleveland" is in the United States),
    /// which it does not name itself.
    pub fn implied_countries<'n>(&self, places: impl Iterator<Item = &'n str>) -> Vec<String> {
        let mut countries: Vec<String> = Vec::new();
        for place in places {
            if let Some(country) = self.gazetteer.country_of(place) {
                if !countries.contains(&country.name) {
                    countries.push(country.name.clone());
                }
            }
        }
        countries
    }

    /// "Russian-backed", "pro-Western": a demonym inside a hyphenated word.
    fn demonym_parts(&self, surface: &str, start: usize, out: &mut Vec<Mention>) {
        let mut offset = 0;
        for part in surface.split('-') {
            if let Some((entry, Form::Demonym)) = self.gazetteer.lookup(part) {
                let begin = start + offset;
                out.push(Mention {
                    kind: entry.kind,
                    name: entry.name.clone(),
                    start: begin,
                    end: begin + part.len(),
                    form: Form::Demonym,
                });
            }
            offset += part.len() + 1;
        }
    }
}

/// A sentence's tokens with their lower-case words.
struct SentenceWords<'s, 't> {
    tokens: &'s [Span],
    lower: &'s [Cow<'t, str>],
}

/// A name as written, without a possessive and with single spaces.
fn tidy(surface: &str) -> String {
    let words: Vec<&str> = surface.split_whitespace().collect();
    let joined = words.join(" ");
    let joined = joined
        .strip_suffix("'s")
        .or(joined.strip_suffix("’s"))
        .unwrap_or(&joined)
        .to_string();
    match joined.strip_prefix("the ").or(joined.strip_prefix("The ")) {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => joined,
    }
}

/// A person named by one word takes the full name of another mention in the same
/// article that ends with that word ("Kuleba" after "Dmytro Kuleba"); a capitalised word
/// outside any mention that is such a surname becomes a mention too.
fn link_surnames<'t>(
    text: &str,
    tokens: impl Iterator<Item = &'t Span>,
    mentions: &mut Vec<Mention>,
) {
    let mut full_names: FxHashMap<String, String> = FxHashMap::default();
    for mention in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        let words: Vec<&str> = mention.name.split(' ').collect();
        if words.len() > 1 {
            let surname = alias_key(words[words.len() - 1]);
            full_names
                .entry(surname)
                .or_insert_with(|| mention.name.clone());
        }
    }
    if full_names.is_empty() {
        return;
    }
    for mention in mentions
        .iter_mut()
        .filter(|m| m.kind == EntityKind::Person && !m.name.contains(' '))
    {
        if let Some(full) = full_names.get(&alias_key(&mention.name)) {
            mention.name = full.clone();
        }
    }
    let mut found = Vec::new();
    let mut next_mention = 0;
    let mut key = String::new();
    for token in tokens {
        let (start, end) = (token.start, token.end);
        while next_mention < mentions.len() && mentions[next_mention].end <= start {
            next_mention += 1;
        }
        let word = &text[start..end];
        let inside = mentions.get(next_mention).is_some_and(|m| m.start < end);
        if inside || !word.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        key.clear();
        key.extend(word.chars().flat_map(char::to_lowercase));
        if let Some(full) = full_names.get(&key) {
            found.push(Mention {
                kind: EntityKind::Person,
                name: full.clone(),
                start,
                end,
                form: Form::Name,
            });
        }
    }
    if !found.is_empty() {
        mentions.extend(found);
        mentions.sort_by_key(|m| m.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str, String)> {
        EntityExtractor::shipped()
            .extract(text)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.kind.as_str(), m.name))
            .collect()
    }

    fn names(text: &str) -> Vec<String> {
        found(text).into_iter().map(|f| f.2).collect()
    }

    #[test]
    fn one_person_under_many_names() {
        let text = "Russian President Vladimir Putin met aides. Mr Putin said little. Putin's aides left. President Putin returned.";
        for (surface, kind, name) in found(text) {
            if kind == "person" {
                assert_eq!(name, "Vladimir Putin", "{surface}");
            }
        }
        assert!(
            names(text)
                .iter()
                .filter(|n| *n == "Vladimir Putin")
                .count()
                >= 4,
            "{:?}",
            found(text)
        );
    }

    #[test]
    fn spellings_resolve_to_one_entity() {
        assert!(
            names("Ukrainian President Volodymyr Zelenskyy spoke in Kiev.")
                .contains(&"Volodymyr Zelensky".to_string())
        );
        assert!(
            names("Zelensky spoke to reporters in Kyiv on Monday.").contains(&"Kyiv".to_string())
        );
        assert!(
            names("Talks in Kiev resumed on Monday, officials said.").contains(&"Kyiv".to_string())
        );
        let lavrov = names("Foreign Minister Sergey Lavrov met his counterpart.");
        assert!(lavrov.contains(&"Sergei Lavrov".to_string()), "{lavrov:?}");
    }

    #[test]
    fn surname_takes_the_full_name_from_earlier() {
        let text = "Foreign minister Dmytro Kuleba spoke on Monday. Later, Kuleba said the talks had failed.";
        let people: Vec<String> = found(text)
            .into_iter()
            .filter(|f| f.1 == "person")
            .map(|f| f.2)
            .collect();
        assert_eq!(people, vec!["Dmytro Kuleba", "Dmytro Kuleba"]);
        let unknown = "Minister Tomas Reiner spoke. Reiner then left the hall.";
        let people: Vec<String> = found(unknown)
            .into_iter()
            .filter(|f| f.1 == "person")
            .map(|f| f.2)
            .collect();
        assert_eq!(people, vec!["Tomas Reiner", "Tomas Reiner"]);
    }

    #[test]
    fn demonyms_are_mentions_of_their_place() {
        let text = "Belarusian troops joined Russian forces near the border.";
        let places: Vec<(String, String)> = found(text)
            .into_iter()
            .filter(|f| f.1 == "place")
            .map(|f| (f.0, f.2))
            .collect();
        assert!(
            places.contains(&("Belarusian".to_string(), "Belarus".to_string())),
            "{places:?}"
        );
        assert!(
            places.contains(&("Russian".to_string(), "Russia".to_string())),
            "{places:?}"
        );
        let hyphen = found("Russian-backed separatists attacked.");
        assert!(
            hyphen.iter().any(|f| f.0 == "Russian" && f.2 == "Russia"),
            "{hyphen:?}"
        );
    }

    #[test]
    fn organisations_with_acronyms() {
        let text = "NATO and the European Union met at the White House, while the Kremlin and the Pentagon said nothing. The EU and UN agreed.";
        let orgs: Vec<String> = found(text)
            .into_iter()
            .filter(|f| f.1 == "org")
            .map(|f| f.2)
            .collect();
        for expected in [
            "NATO",
            "European Union",
            "White House",
            "Kremlin",
            "Pentagon",
            "United Nations",
        ] {
            assert!(
                orgs.contains(&expected.to_string()),
                "{expected} missing from {orgs:?}"
            );
        }
        assert_eq!(
            orgs.iter().filter(|o| *o == "European Union").count(),
            2,
            "{orgs:?}"
        );
    }

    #[test]
    fn mention_spans_point_into_the_text() {
        let text = "In Kyiv, Ukraine's leaders met.";
        for mention in EntityExtractor::shipped().extract(text) {
            assert!(text.is_char_boundary(mention.start) && text.is_char_boundary(mention.end));
            assert!(!text[mention.start..mention.end].ends_with("'s"));
        }
    }
}
