//! From text to resolved mentions: the tagger finds name spans, the gazetteer turns
//! each into a canonical entity (or the span's own words, for names it does not list),
//! demonyms become mentions of their place, titles are dropped, and a surname alone
//! takes the full name used elsewhere in the article.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use rustc_hash::FxHashMap;

use serde::Serialize;

use super::foreign::ForeignNames;
use super::furniture::mask;
use super::gazetteer::{alias_key, write_alias_key, Form, Gazetteer};
use super::lexicon::{push_key_word, Lexicon};
use super::not_names::{is_edge_word, is_not_name, is_organisation_end};
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

/// The version of the extraction rules in this file and its neighbours, and of what the
/// format readers and date evidence hand them (`src/ingest`, `src/dates`): raise it with
/// every change to what they find, so that indexes built before re-analyse their
/// articles on the next run. (4: web pages read by the scoring extractor, their dates
/// from every piece of evidence, `saved` days. 5: names in other languages; language
/// detection checked by the words without a capital and by function words.)
const RULES_VERSION: u32 = 5;

/// What the extraction of this build is: its rules' version and a hash of the shipped
/// model, lists, boilerplate rules and the function words language detection reads.
/// An index records it; a different one makes the next `dossier index` read every
/// article again.
pub fn extraction_identity() -> &'static str {
    static IDENTITY: LazyLock<String> = LazyLock::new(|| {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(TAGGER_MODEL);
        for text in [
            super::gazetteer::PLACES,
            super::gazetteer::ORGS,
            super::gazetteer::PEOPLE,
            super::gazetteer::TITLES,
            super::not_names::NOT_NAMES,
            super::foreign::FOREIGN_NAMES,
            super::foreign::HOMONYMS,
            crate::clean::BOILERPLATE_RULES,
            crate::analysis::FUNCTION_WORDS,
        ] {
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        }
        format!(
            "entity rules {RULES_VERSION}; lists {:016x}",
            hasher.digest()
        )
    });
    &IDENTITY
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
        foreign: ForeignNames::default(),
        active: true,
    })
});

/// Finds and resolves entity mentions.
pub struct EntityExtractor {
    gazetteer: Gazetteer,
    user: UserEntities,
    /// The names in other languages, per language, built on first use.
    foreign: ForeignNames,
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
            foreign: ForeignNames::default(),
            active: true,
        })
    }

    /// An extractor that finds nothing: `benches/compare.sh` uses it (through
    /// `DOSSIER_BENCH_NO_ENTITIES=1`) to measure what extraction costs indexing.
    pub fn inactive(&self) -> EntityExtractor {
        EntityExtractor {
            gazetteer: self.gazetteer.clone(),
            user: self.user.clone(),
            foreign: ForeignNames::default(),
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

    /// Every mention in `text`, written in `lang` (an ISO 639-1 code), in order. English
    /// text is read by the tagger and the lists ([`EntityExtractor::extract`]); text in
    /// another language by the lists alone, in that language's names and inflections
    /// (`foreign.rs`): the tagger learnt English, and its guesses elsewhere are noise.
    pub fn extract_in(&self, text: &str, lang: &str) -> Vec<Mention> {
        if !self.active {
            return Vec::new();
        }
        match self.foreign.table(&self.gazetteer, lang) {
            None => self.extract(text),
            Some(table) => {
                let mut mentions = table.mentions(&self.gazetteer, &mask(text));
                self.user.apply_to_mentions(&mut mentions);
                mentions
            }
        }
    }

    /// The mentions of a title in `lang`: [`EntityExtractor::extract_title`] for English,
    /// the lists alone for other languages.
    pub fn extract_title_in<'b>(
        &self,
        title: &str,
        lang: &str,
        body: impl Iterator<Item = (EntityKind, &'b str, &'b [(usize, usize)])> + Clone,
        body_text: &str,
    ) -> Vec<Mention> {
        match self.foreign.table(&self.gazetteer, lang) {
            None => self.extract_title(title, body, body_text),
            Some(_) => self.extract_in(title, lang),
        }
    }

    /// Every mention in English `text`, in order. Furniture (earnings tables, tickers, bylines,
    /// credits, the author's biography) is not read.
    pub fn extract(&self, text: &str) -> Vec<Mention> {
        if !self.active {
            return Vec::new();
        }
        let masked = mask(text);
        self.extract_masked(&masked)
    }

    /// The mentions of a title. A headline in Title Case or capitals says nothing by
    /// its casing ("Hk Bank Expected To Post 10 To 13 Pct Profit Rise"): only listed
    /// names count, and other names when the body names them too, as the body names
    /// them (`body` are the body's entities: kind, name and mention ranges of
    /// `body_text`). A title in sentence case is read as any text, and a name the body
    /// names too takes the body's kind.
    pub fn extract_title<'b>(
        &self,
        title: &str,
        body: impl Iterator<Item = (EntityKind, &'b str, &'b [(usize, usize)])> + Clone,
        body_text: &str,
    ) -> Vec<Mention> {
        let mut found = self.extract(title);
        if !is_headline_cased(title) {
            // The body has more words to decide a kind by: a name it names too takes
            // its kind there.
            for mention in &mut found {
                if let Some((kind, _, _)) = body.clone().find(|(_, name, _)| *name == mention.name)
                {
                    mention.kind = kind;
                }
            }
            return found;
        }
        found
            .into_iter()
            .filter_map(|mut mention| {
                let written = &title[mention.start..mention.end];
                if self.gazetteer.lookup(written).is_some() {
                    return Some(mention);
                }
                let (kind, name, _) = body.clone().find(|(_, name, spans)| {
                    name.eq_ignore_ascii_case(&mention.name)
                        || spans.iter().any(|&(s, e)| {
                            body_text
                                .get(s..e)
                                .is_some_and(|w| w.eq_ignore_ascii_case(written))
                        })
                })?;
                mention.kind = kind;
                mention.name = name.to_string();
                Some(mention)
            })
            .collect()
    }

    fn extract_masked(&self, text: &str) -> Vec<Mention> {
        let lexicon = Lexicon::new(&self.gazetteer);
        let tagger = shipped_tagger();
        let mut mentions = Vec::new();
        let mut weak = Vec::new();
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
            let words = SentenceWords {
                tokens: sentence_tokens,
                lower: sentence.lower(),
            };
            let found_spans = join_particles(
                text,
                sentence_tokens,
                join_ampersands(text, sentence_tokens, spans(&tags)),
            );
            let runs = self.listed_runs(text, &words, &found_spans);
            for (first, last, kind) in found_spans {
                // A listed name longer than the span it overlaps wins ("Standard and
                // Poor's" over the tagger's "Standard" and "Poor").
                let beaten = runs
                    .iter()
                    .any(|&(a, b)| a < last && first <= b && b + 1 - a > last - first);
                if beaten {
                    continue;
                }
                covered[first..last].iter_mut().for_each(|c| *c = true);
                self.resolve_span(
                    text,
                    &sentence_tokens[first..last],
                    kind,
                    &mut mentions,
                    &mut weak,
                );
            }
            self.listed_names(text, &words, &covered, &mut mentions);
        }
        keep_supported(text, &mut mentions, &weak);
        mentions.sort_by_key(|m| m.start);
        one_kind_per_name(&self.gazetteer, text, &mut mentions);
        link_surnames(text, tokenized.tokens.iter(), &mut mentions);
        self.user.apply_to_mentions(&mut mentions);
        mentions
    }

    /// The listed names of two words or more in a sentence (first and last token),
    /// longest first where several start at one word.
    fn listed_runs(
        &self,
        text: &str,
        words: &SentenceWords,
        spans: &[(usize, usize, &str)],
    ) -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        if spans.is_empty() {
            return runs;
        }
        // Only a run that starts in a span, or few enough words before one to reach it,
        // can beat the span.
        let reach = self.gazetteer.longest_alias_words.max(1);
        let near_a_span = |i: usize| {
            spans
                .iter()
                .any(|&(first, last, _)| i < last && i + reach > first)
        };
        let mut i = 0;
        while i < words.tokens.len() {
            if !near_a_span(i) || !starts_capitalised(text, words.tokens[i]) {
                i += 1;
                continue;
            }
            match self.longest_alias_at(text, words, i, None, 2) {
                Some((end, _, _)) if end > i => {
                    runs.push((i, end));
                    i = end + 1;
                }
                _ => i += 1,
            }
        }
        runs
    }

    /// The longest listed alias of at least `min_words` words starting at the
    /// capitalised word `i` (its last token, entity and form), over words not `covered`.
    fn longest_alias_at(
        &self,
        text: &str,
        words: &SentenceWords,
        i: usize,
        covered: Option<&[bool]>,
        min_words: usize,
    ) -> Option<(usize, &super::gazetteer::Entry, Form)> {
        let tokens = words.tokens;
        let word = &text[tokens[i].start..tokens[i].end];
        let is_covered = |j: usize| covered.is_some_and(|c| c[j]);
        if is_covered(i) || !word.chars().next().is_some_and(char::is_uppercase) {
            return None;
        }
        let longest = self.gazetteer.longest_alias_words.max(1);
        let stop = tokens.len().min(i + longest);
        // Called at most capitalised words: one key buffer per thread.
        thread_local! {
            static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            key.clear();
            let mut matched = None;
            for end in i..stop {
                if is_covered(end) {
                    break;
                }
                if end > i {
                    key.push(' ');
                }
                push_key_word(key, &words.lower[end]);
                if end + 1 >= i + min_words {
                    if let Some((entry, form)) = self.gazetteer.lookup_key(key) {
                        if !entry.is_town() {
                            matched = Some((end, entry, form));
                        }
                    }
                }
                if !self.gazetteer.is_prefix(key) {
                    break;
                }
            }
            matched
        })
    }

    /// Resolves one span the tagger found into mentions (none, one, or several when the
    /// span holds a title between names or joins names with a hyphen). A span written
    /// in capitals is read with its casing discounted: a listed name is taken as the
    /// lists give it, anything else waits for support from the rest of the text
    /// (`weak` gets its index in `out`).
    fn resolve_span(
        &self,
        text: &str,
        tokens: &[Span],
        tag: &str,
        out: &mut Vec<Mention>,
        weak: &mut Vec<usize>,
    ) {
        let word = |t: &Span| &text[t.start..t.end];
        let mut tokens = tokens;
        // Quote marks and brackets are never part of a name.
        while let [first, rest @ ..] = tokens {
            if word(first).chars().any(char::is_alphanumeric) {
                break;
            }
            tokens = rest;
        }
        while let [rest @ .., last] = tokens {
            if word(last).chars().any(char::is_alphanumeric) {
                break;
            }
            tokens = rest;
        }
        if tokens.is_empty() {
            return;
        }
        let surface = &text[tokens[0].start..tokens[tokens.len() - 1].end];
        let whole = self.gazetteer.lookup(surface);
        let listed_whole = whole.is_some();
        // "Chrysler Corp", "General Accounting Office": an organisation, whatever else it
        // looks like.
        let company = tokens.len() > 1 && is_organisation_end(word(&tokens[tokens.len() - 1]));
        let tag = if company { "ORG" } else { tag };
        if !listed_whole && !company && self.split_at_title(text, tokens, tag, out, weak) {
            return;
        }
        // A listed name is whole even when each of its words alone is not a name
        // ("West Bank").
        let trimmed = if listed_whole {
            tokens
        } else {
            trim_not_names(text, tokens)
        };
        if trimmed.is_empty() {
            return;
        }
        let same = trimmed.len() == tokens.len();
        let tokens = trimmed;
        let (start, end) = (tokens[0].start, tokens[tokens.len() - 1].end);
        let surface = &text[start..end];
        let found = if same {
            whole
        } else {
            self.gazetteer.lookup(surface)
        };
        if !listed_whole && self.split_compound(surface, start, out) {
            return;
        }
        if tag != "LOC" && tag != "PER" && tokens.len() > 1 {
            self.country_word(text, tokens[0], out);
        }
        let tagged_kind = match tag {
            "PER" => Some(EntityKind::Person),
            "LOC" => Some(EntityKind::Place),
            "ORG" => Some(EntityKind::Org),
            _ => None,
        };
        let mention = |kind, name: String, form| Mention {
            kind,
            name,
            start,
            end,
            form,
        };
        match (found, tagged_kind) {
            (Some((entry, form)), Some(EntityKind::Person))
                if entry.kind == EntityKind::Place
                    && !entry.is_country()
                    && form == Form::Name
                    && !surface.contains(char::is_whitespace) =>
            {
                // "Jordan" the person: the tagger's reading of the sentence wins over a
                // listed place (a name of one word only: "Latin America" is no one; a
                // listed organisation, "Chelsea" the club, is specific enough to stay).
                out.push(mention(EntityKind::Person, tidy(surface), form))
            }
            // A listed city or state the tagger reads as an organisation is one here
            // ("Leeds" the club); a country or region stays a place ("US" is never an
            // organisation, a national team is its country), and listed people and
            // organisations are specific.
            (Some((entry, form)), Some(kind))
                if entry.kind == EntityKind::Place
                    && kind != EntityKind::Place
                    && form == Form::Name
                    && entry.may_be_a_club()
                    && (entry.place_kind.as_deref() != Some("state")
                        || surface.eq_ignore_ascii_case(&entry.name)) =>
            {
                out.push(mention(kind, tidy(surface), form))
            }
            (Some((entry, form)), Some(_)) => {
                out.push(mention(entry.kind, entry.name.clone(), form))
            }
            (Some((entry, form)), None)
                if form == Form::Demonym || entry.kind == EntityKind::Place =>
            {
                out.push(mention(entry.kind, entry.name.clone(), form))
            }
            (None, Some(kind)) => {
                if is_shouted(surface) {
                    weak.push(out.len());
                }
                out.push(mention(kind, tidy(surface), Form::Name))
            }
            (_, None) => self.demonym_parts(surface, start, out),
        }
    }

    /// A title inside a span splits it: "US President Joe Biden" is the place United
    /// States and the person Joe Biden, "Treasury Secretary James Baker" the Treasury and
    /// James Baker, "US Secretary" the place alone. A title opening a span is dropped
    /// when a person follows ("President Putin"); before anything else ("General Motors")
    /// it is part of the name. True when the span was handled here.
    fn split_at_title(
        &self,
        text: &str,
        tokens: &[Span],
        tag: &str,
        out: &mut Vec<Mention>,
        weak: &mut Vec<usize>,
    ) -> bool {
        let Some((at, width)) = self.last_title(text, tokens) else {
            return false;
        };
        let (before, after) = (&tokens[..at], &tokens[at + width..]);
        if after.is_empty() && !before.is_empty() {
            // A title ending a span is a surname ("Billie Jean King", "John Major") unless
            // a country stands before it ("US Secretary": the place alone).
            let country = before.len() == 1
                && self
                    .gazetteer
                    .lookup(&text[before[0].start..before[0].end])
                    .is_some_and(|(e, _)| e.is_country());
            if tag == "PER" || !country {
                return false;
            }
            self.country_word(text, before[0], out);
            return true;
        }
        if before.is_empty() {
            // A title alone is read as a name ("Lord's" the ground).
            if after.is_empty() {
                return false;
            }
            let rest = &text[after[0].start..after[after.len() - 1].end];
            // After a title, a listed person or a name of two words or more is a person
            // ("Ayatollah Ali Khamenei"); one word may be the rest of an organisation's
            // name ("General Electric").
            let a_person = tag == "PER"
                || after.len() >= 2
                || self
                    .gazetteer
                    .lookup(rest)
                    .is_some_and(|(e, _)| e.kind == EntityKind::Person);
            if !a_person {
                return false;
            }
            self.resolve_span(text, after, "PER", out, weak);
            return true;
        }
        let before_tag = match tag {
            // The office holder's country or body, not the person.
            "PER" => "ORG",
            other => other,
        };
        self.resolve_span(text, before, before_tag, out, weak);
        self.resolve_span(text, after, "PER", out, weak);
        true
    }

    /// The last title in a span (its first token and its width in tokens), the longest
    /// of up to three words where several start at one token.
    fn last_title(&self, text: &str, tokens: &[Span]) -> Option<(usize, usize)> {
        let mut found = None;
        let mut key = String::new();
        for at in 0..tokens.len() {
            let first = &text[tokens[at].start..tokens[at].end];
            if !first.chars().next().is_some_and(char::is_uppercase) {
                continue;
            }
            write_alias_key(first, &mut key);
            if !self.gazetteer.starts_a_title(&key) {
                continue;
            }
            for width in (1..=3.min(tokens.len() - at)).rev() {
                let words = &text[tokens[at].start..tokens[at + width - 1].end];
                write_alias_key(words, &mut key);
                if self.gazetteer.is_title_key(&key) {
                    found = Some((at, width));
                    break;
                }
            }
        }
        found
    }

    /// "Biden-Putin": a hyphenated compound of listed names is a mention of each name,
    /// never a name of its own. True when the compound was split.
    fn split_compound(&self, surface: &str, start: usize, out: &mut Vec<Mention>) -> bool {
        if !surface.contains('-') || surface.contains(char::is_whitespace) {
            return false;
        }
        let mut parts = Vec::new();
        let mut offset = 0;
        for part in surface.split('-') {
            match self.gazetteer.lookup(part) {
                Some((entry, Form::Name)) => parts.push(Mention {
                    kind: entry.kind,
                    name: entry.name.clone(),
                    start: start + offset,
                    end: start + offset + part.len(),
                    form: Form::Name,
                }),
                _ => return false,
            }
            offset += part.len() + 1;
        }
        if parts.len() < 2 {
            return false;
        }
        out.extend(parts);
        true
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
        let tokens = words.tokens;
        let mut i = 0;
        while i < tokens.len() {
            if covered[i] || !starts_capitalised(text, tokens[i]) {
                i += 1;
                continue;
            }
            match self.longest_alias_at(text, words, i, Some(covered), 1) {
                Some((end, entry, form)) => {
                    out.push(Mention {
                        kind: entry.kind,
                        name: entry.name.clone(),
                        start: tokens[i].start,
                        end: tokens[end].end,
                        form,
                    });
                    i = end + 1;
                }
                None => {
                    let word = &text[tokens[i].start..tokens[i].end];
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

/// "Douglas & Lomason", "Marks & Spencer": a name, an ampersand and capitalised words
/// are one organisation's name, whatever the tagger made of each half.
fn join_ampersands(
    text: &str,
    tokens: &[Span],
    spans: Vec<(usize, usize, &'static str)>,
) -> Vec<(usize, usize, &'static str)> {
    let word = |i: usize| &text[tokens[i].start..tokens[i].end];
    // Most sentences have no ampersand: nothing to join, nothing to copy.
    if !(0..tokens.len()).any(|i| word(i) == "&") {
        return spans;
    }
    let mut joined: Vec<(usize, usize, &'static str)> = Vec::with_capacity(spans.len());
    let mut spans = spans.into_iter().peekable();
    while let Some(mut span) = spans.next() {
        loop {
            // The ampersand ends the span ("Douglas &" tagged) or follows it.
            let after = if word(span.1 - 1) == "&" {
                span.1
            } else if span.1 < tokens.len() && word(span.1) == "&" {
                span.1 + 1
            } else {
                break;
            };
            if after >= tokens.len() || !starts_capitalised(text, tokens[after]) {
                break;
            }
            let mut end = after;
            match spans.peek() {
                // The tagger's span after the ampersand (or from it) joins whole.
                Some(next) if next.0 <= after => {
                    end = next.1.max(after);
                    spans.next();
                }
                // Untagged capitalised words join up to the next span.
                next => {
                    let limit = next.map_or(tokens.len(), |n| n.0);
                    while end < limit && starts_capitalised(text, tokens[end]) {
                        end += 1;
                    }
                }
            }
            if end <= span.1 {
                break;
            }
            span = (span.0, end, "ORG");
        }
        joined.push(span);
    }
    joined
}

/// Lower-case particles inside people's names ("Joaquin del Olmo", "Ruud van Nistelrooy").
const NAME_PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "bin", "ibn", "al", "el", "ter", "zu",
];

/// "Joaquin del Olmo", "Aravinda de Silva": a person's span, one or two lower-case
/// particles and a capitalised word are one name, whatever the tagger made of the rest.
fn join_particles(
    text: &str,
    tokens: &[Span],
    spans: Vec<(usize, usize, &'static str)>,
) -> Vec<(usize, usize, &'static str)> {
    let word = |i: usize| &text[tokens[i].start..tokens[i].end];
    let is_particle = |i: usize| i < tokens.len() && NAME_PARTICLES.contains(&word(i));
    // Most sentences have no person's span followed by a particle: return them as found.
    if !spans.iter().any(|s| s.2 == "PER" && is_particle(s.1)) {
        return spans;
    }
    let mut joined: Vec<(usize, usize, &'static str)> = Vec::with_capacity(spans.len());
    let mut spans = spans.into_iter().peekable();
    while let Some(mut span) = spans.next() {
        while span.2 == "PER" && is_particle(span.1) {
            let mut after = span.1 + 1;
            if is_particle(after) {
                after += 1;
            }
            if after >= tokens.len() || !starts_capitalised(text, tokens[after]) {
                break;
            }
            let end = match spans.peek() {
                Some(next) if next.0 == after => {
                    let end = next.1;
                    spans.next();
                    end
                }
                Some(next) if next.0 < after => break,
                _ => after + 1,
            };
            span = (span.0, end, "PER");
        }
        joined.push(span);
    }
    joined
}

/// The span without the words that are never names at its edges ("Reagan Says" is
/// "Reagan"); a company's "Corp" or "Inc" stays at its end.
fn trim_not_names<'t>(text: &str, tokens: &'t [Span]) -> &'t [Span] {
    let word = |t: &Span| &text[t.start..t.end];
    let mut tokens = tokens;
    while let [first, rest @ ..] = tokens {
        if !is_edge_word(word(first)) {
            break;
        }
        tokens = rest;
    }
    while let [rest @ .., last] = tokens {
        if !is_edge_word(word(last)) {
            break;
        }
        tokens = rest;
    }
    // A span of nothing but words that are not names is no name ("Nine", "Co Ltd").
    if tokens.iter().all(|t| is_not_name(word(t))) {
        return &[];
    }
    tokens
}

/// Does a title look like a headline: most of its longer words capitalised ("Hk Bank
/// Expected To Post Profit Rise"), or all in capitals?
fn is_headline_cased(title: &str) -> bool {
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    if words.len() < 3 {
        return is_shouted(title);
    }
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 4 >= words.len() * 3
}

/// Does a token start with a capital letter?
fn starts_capitalised(text: &str, token: Span) -> bool {
    text[token.start..token.end]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// Is this written in capitals (every word of two letters or more)? "LOS ANGELES",
/// "BANKAMERICA"; not "NATO" alone, which is how an acronym is always written.
fn is_shouted(surface: &str) -> bool {
    let mut words = 0;
    let mut long = false;
    for word in surface.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        let (mut letters, mut lower) = (0, false);
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            lower |= c.is_lowercase();
        }
        if letters < 2 {
            continue;
        }
        if lower {
            return false;
        }
        words += 1;
        long |= letters > 5;
    }
    words > 1 || (words == 1 && long)
}

/// Mentions read from capitals keep only with support from the text's mixed case: the
/// same name written there ("BANKAMERICA" in a headline, "BankAmerica" in the body)
/// gives them its name and kind; without it they are dropped.
///
/// A name the lists do not know written in short capitals ("WALES" beside "Wales") is
/// kept either way, under the mixed-case spelling when the text has one.
fn keep_supported(text: &str, mentions: &mut Vec<Mention>, weak: &[usize]) {
    let in_capitals = |m: &Mention| {
        let written = &text[m.start..m.end];
        m.name == written
            && written.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !written.chars().any(char::is_lowercase)
    };
    // Which mentions need support, and which can give it (mixed case, not weak).
    let needs: Vec<bool> = mentions
        .iter()
        .enumerate()
        .map(|(i, m)| weak.contains(&i) || in_capitals(m))
        .collect();
    if !needs.contains(&true) {
        return;
    }
    // What each mention that needs support finds: the kind and name of a mention in
    // mixed case written or named the same (few need it: a scan, no key table).
    let mut found: Vec<(usize, Option<(EntityKind, String)>)> = Vec::new();
    for (i, mention) in mentions.iter().enumerate() {
        if !needs[i] {
            continue;
        }
        let support = mentions
            .iter()
            .enumerate()
            .find(|&(j, m)| {
                !needs[j]
                    && (same_key(&m.name, &mention.name)
                        || same_key(&text[m.start..m.end], &mention.name))
            })
            .map(|(_, m)| (m.kind, m.name.clone()));
        found.push((i, support));
    }
    if found.is_empty() {
        return;
    }
    let mut index = 0;
    let mut next = found.into_iter().peekable();
    mentions.retain_mut(|mention| {
        let mut keep = true;
        if let Some((_, support)) = next.next_if(|(i, _)| *i == index) {
            match support {
                Some((kind, name)) => {
                    if weak.contains(&index) {
                        mention.kind = kind;
                    }
                    mention.name = name;
                }
                None => keep = !weak.contains(&index),
            }
        }
        index += 1;
        keep
    });
}

/// Do two names meet as alias keys do, ignoring letter case and dots ("BANKAMERICA",
/// "BankAmerica"; "U.S. Steel", "US STEEL")?
fn same_key(a: &str, b: &str) -> bool {
    // Compared as they are read, without building either: most pairs differ at once.
    if a.is_ascii() && b.is_ascii() {
        fn bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
            s.bytes()
                .filter(|&c| c != b'.')
                .map(|c| c.to_ascii_lowercase())
        }
        return bytes(a).eq(bytes(b));
    }
    fn letters(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars().filter(|&c| c != '.').flat_map(char::to_lowercase)
    }
    letters(a).eq(letters(b))
}

/// One name, one kind in an article. A name found as more than one kind takes the kind
/// with the most evidence: a vote per mention, and another for the kind its context
/// points to (a dateline: a place). On a tie
/// the lists decide, then the first mention. A city or state the lists hold may stay two
/// kinds ("Leeds" the club and the city).
fn one_kind_per_name(gazetteer: &Gazetteer, text: &str, mentions: &mut [Mention]) {
    let mut votes: FxHashMap<&str, Vec<(EntityKind, u32)>> = FxHashMap::default();
    for mention in mentions.iter() {
        let counts = votes.entry(mention.name.as_str()).or_default();
        let mut vote =
            |kind: EntityKind, weight: u32| match counts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += weight,
                None => counts.push((kind, weight)),
            };
        vote(mention.kind, 2);
        // A dateline outweighs any number of the tagger's guesses: wire copy puts
        // only places there.
        if let Some(kind) = context_kind(text, mention) {
            vote(kind, 1000);
        }
    }
    let decided: FxHashMap<String, EntityKind> = votes
        .into_iter()
        .filter(|(_, counts)| counts.len() > 1)
        .filter_map(|(name, counts)| {
            let listed = gazetteer.lookup(name).filter(|(e, _)| e.name == name);
            if listed.is_some_and(|(e, _)| e.kind == EntityKind::Place && !e.is_country()) {
                return None;
            }
            let top = counts.iter().map(|c| c.1).max().unwrap_or(0);
            let leaders: Vec<EntityKind> =
                counts.iter().filter(|c| c.1 == top).map(|c| c.0).collect();
            let kind = match leaders.as_slice() {
                [one] => *one,
                _ => listed
                    .map(|(e, _)| e.kind)
                    .filter(|k| leaders.contains(k))
                    .unwrap_or(leaders[0]),
            };
            Some((name.to_string(), kind))
        })
        .collect();
    for mention in mentions.iter_mut() {
        if let Some(kind) = decided.get(&mention.name) {
            mention.kind = *kind;
        }
    }
}

/// The bytes at the top of a text where a dateline may stand.
const DATELINE_BYTES: usize = 400;

/// The kind a mention's surroundings point to, if they point anywhere: a dateline at the
/// top of the text ("TAVILDARA, Tajikistan", "LOS ANGELES, Feb 26 -") names a place.
/// (Other cues measured worse on CoNLL-2003 eng.testa: "in X", "President X" and
/// "X said" all point the wrong way about as often as the right one.)
fn context_kind(text: &str, mention: &Mention) -> Option<EntityKind> {
    let before = text[..mention.start].trim_end_matches([' ', '\t']);
    let after = &text[mention.end..];
    let line_start = before.is_empty() || before.ends_with('\n');
    let dateline = line_start
        && mention.start < DATELINE_BYTES
        && is_shouted(&text[mention.start..mention.end])
        && after.trim_start_matches(' ').starts_with(',');
    dateline.then_some(EntityKind::Place)
}

/// A sentence's tokens with their lower-case words.
struct SentenceWords<'s, 't> {
    tokens: &'s [Span],
    lower: &'s [Cow<'t, str>],
}

/// A name as written, without a possessive and with single spaces.
fn tidy(surface: &str) -> String {
    // Most names need nothing: ASCII, single spaces, no apostrophe, no article.
    let plain = !surface
        .bytes()
        .any(|b| b == b'\'' || b >= 0x80 || (b.is_ascii_whitespace() && b != b' '))
        && !surface.contains("  ")
        && !surface.starts_with("the ")
        && !surface.starts_with("The ");
    if plain {
        return surface.to_string();
    }
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

    #[test]
    fn a_listed_name_of_not_name_words_is_whole() {
        let places = names("Troops left the West Bank town of Hebron on Monday.");
        assert!(places.contains(&"West Bank".to_string()), "{places:?}");
    }

    #[test]
    fn an_ampersand_joins_a_company_name() {
        let orgs = found("Shares of Douglas & Lomason rose five percent on Monday.");
        assert!(
            orgs.iter()
                .any(|f| f.1 == "org" && f.2 == "Douglas & Lomason"),
            "{orgs:?}"
        );
        assert!(!orgs.iter().any(|f| f.2 == "Douglas"), "{orgs:?}");
    }

    #[test]
    fn particles_stay_inside_a_persons_name() {
        let people =
            names("Joaquin del Olmo of Spain won the final, and Aravinda de Silva made 50.");
        assert!(
            people.contains(&"Joaquin del Olmo".to_string()),
            "{people:?}"
        );
        assert!(
            people.contains(&"Aravinda de Silva".to_string()),
            "{people:?}"
        );
    }

    #[test]
    fn names_written_without_their_accents_are_listed() {
        let places = names("Flights from Montreal and Zurich to Sao Paulo were cancelled.");
        for place in ["Montréal", "Zürich", "São Paulo"] {
            assert!(places.contains(&place.to_string()), "{place}: {places:?}");
        }
    }

    #[test]
    fn an_unlisted_name_in_capitals_takes_its_mixed_case_spelling() {
        let text =
            "Results from KORVALD:\nThe Korvald mill said on Monday that orders had doubled.";
        let spellings: Vec<String> = names(text)
            .into_iter()
            .filter(|n| n.eq_ignore_ascii_case("Korvald"))
            .collect();
        assert!(!spellings.is_empty());
        assert!(spellings.iter().all(|n| n == "Korvald"), "{spellings:?}");
    }
}
