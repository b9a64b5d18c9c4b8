//! THE analyzer: the one function from text to index terms, used for indexing, for
//! queries and for passages alike, so the three can never disagree.
//!
//! A token is a run of letters and digits (an apostrophe between letters stays inside it,
//! so "Ukraine's" is one token that the stemmer reduces to "ukrain"). Each token is
//! lower-cased, stemmed with the article language's Snowball stemmer (rust-stemmers), then
//! folded (diacritics removed). Stemming comes before folding because Snowball rules are
//! written for accented spellings ("é" in French suffixes).

mod stem_cache;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use smol_str::SmolStr;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use stem_cache::StemCache;

/// The analyzer's identity, recorded in every index: change it whenever the terms it
/// produces for some text could change.
pub const ANALYZER_ID: &str =
    "dossier-analyzer/2 (words+apostrophes; lowercase; rust-stemmers 1.2 snowball; nfd-fold; entity tokens on mention edges; tagger DSNER002)";

/// The default language when detection is unsure.
pub const DEFAULT_LANG: &str = "en";

/// Languages dossier names: whatlang's ISO 639-3 code, our ISO 639-1 code, and the
/// Snowball stemmer rust-stemmers has for it, if any.
const LANGUAGES: &[(&str, &str, Option<Algorithm>)] = &[
    ("eng", "en", Some(Algorithm::English)),
    ("ara", "ar", Some(Algorithm::Arabic)),
    ("dan", "da", Some(Algorithm::Danish)),
    ("nld", "nl", Some(Algorithm::Dutch)),
    ("fin", "fi", Some(Algorithm::Finnish)),
    ("fra", "fr", Some(Algorithm::French)),
    ("deu", "de", Some(Algorithm::German)),
    ("ell", "el", Some(Algorithm::Greek)),
    ("hun", "hu", Some(Algorithm::Hungarian)),
    ("ita", "it", Some(Algorithm::Italian)),
    ("nob", "no", Some(Algorithm::Norwegian)),
    ("por", "pt", Some(Algorithm::Portuguese)),
    ("ron", "ro", Some(Algorithm::Romanian)),
    ("rus", "ru", Some(Algorithm::Russian)),
    ("spa", "es", Some(Algorithm::Spanish)),
    ("swe", "sv", Some(Algorithm::Swedish)),
    ("tam", "ta", Some(Algorithm::Tamil)),
    ("tur", "tr", Some(Algorithm::Turkish)),
    ("ukr", "uk", None),
    ("bel", "be", None),
    ("pol", "pl", None),
    ("ces", "cs", None),
    ("bul", "bg", None),
    ("srp", "sr", None),
    ("hrv", "hr", None),
    ("cmn", "zh", None),
    ("jpn", "ja", None),
    ("kor", "ko", None),
    ("heb", "he", None),
    ("hin", "hi", None),
    ("aze", "az", None),
    ("kat", "ka", None),
    ("cat", "ca", None),
    ("slk", "sk", None),
    ("slv", "sl", None),
    ("lit", "lt", None),
    ("lav", "lv", None),
    ("est", "et", None),
    ("vie", "vi", None),
    ("ind", "id", None),
    ("pes", "fa", None),
];

/// How many bytes of an article language detection looks at: a paragraph or two is
/// plenty for news prose, and detection cost grows with the sample.
const LANGUAGE_SAMPLE_BYTES: usize = 600;

/// English function words that other languages' prose rarely contains (not "in",
/// "a", "is": Dutch, Italian and others use them too).
const ENGLISH_MARKERS: &[&str] = &[
    "the", "of", "and", "to", "that", "for", "with", "said", "was", "has", "have", "his", "from",
    "by", "are", "it", "as", "at", "were", "will", "would", "this", "which",
];

/// Words the English fast path looks at.
const ENGLISH_SAMPLE_WORDS: usize = 80;

/// Is this clearly English prose? News English has about one word in four from
/// [`ENGLISH_MARKERS`]; other languages almost none. Answers most articles of an
/// English corpus without the statistical detector, whose cost is per call.
fn clearly_english(text: &str) -> bool {
    let mut words = 0;
    let mut markers = 0;
    for (start, end) in WordSpans::new(text).take(ENGLISH_SAMPLE_WORDS) {
        let word = &text[start..end];
        words += 1;
        if word.len() <= 5 && ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(word)) {
            markers += 1;
        }
    }
    // One word in seven over a short sample; one in ten over a long one (quotes,
    // figures and names thin the markers out, and other languages still have almost
    // none over sixty words).
    (words >= 30 && markers * 100 >= words * 15) || (words >= 60 && markers * 100 >= words * 10)
}

/// At least this many words without a capital, and they may overrule the detector.
const MIN_LOWERCASE_WORDS: usize = 5;

/// The words of a text that start with a letter that is not a capital. Names and
/// numbers say little about the language around them, and a results table
/// ("Feyenoord Rotterdam 2 Vitesse Arnhem 1", under one English line) is mostly names
/// that a letter-trigram detector takes for Dutch. Function words are lower-case in
/// every cased language (German nouns aside), and words of scripts without case all
/// count.
fn uncapitalised_words(text: &str) -> impl Iterator<Item = &str> {
    WordSpans::new(text)
        .map(|(start, end)| &text[start..end])
        .filter(|word| {
            word.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && !c.is_uppercase())
        })
}

/// The [`uncapitalised_words`] of a text joined by spaces, for the detector; none when
/// there are too few to overrule it.
fn lowercase_sample(text: &str) -> Option<String> {
    let mut sample = String::with_capacity(text.len());
    let mut count = 0;
    for word in uncapitalised_words(text) {
        sample.push_str(word);
        sample.push(' ');
        count += 1;
    }
    (count >= MIN_LOWERCASE_WORDS).then_some(sample)
}

/// The commonest function words of each language, for the languages that have them
/// (`index-schema/function-words.tsv`).
pub(crate) const FUNCTION_WORDS: &str = include_str!("../index-schema/function-words.tsv");

/// A text with fewer words than this needs only one function word of its language
/// (short news sentences hold few: "Евросоюз обсуждает новый пакет санкций против
/// России ... выступила в Брюсселе").
const SHORT_TEXT_WORDS: usize = 40;

/// The function-word lists, parsed: language code and its words.
fn function_word_lists() -> &'static [(&'static str, Vec<&'static str>)] {
    static LISTS: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    LISTS.get_or_init(|| {
        FUNCTION_WORDS
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once('\t'))
            .map(|(lang, words)| (lang, words.split(' ').collect()))
            .collect()
    })
}

/// How many words of `words` (lower-cased words of a text) are in `list`.
fn count_in(words: &[String], list: &[&str]) -> usize {
    words
        .iter()
        .filter(|word| list.contains(&word.as_str()))
        .count()
}

/// The lower-cased words of a text.
fn lowercased_words(text: &str) -> Vec<String> {
    WordSpans::new(text)
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect()
}

/// Does `text` hold enough of the function words of `lang` (two, one in a short text)
/// to be in it? A language without a list in [`FUNCTION_WORDS`] always passes.
fn shows_function_words(text: &str, lang: &str) -> bool {
    let Some((_, list)) = function_word_lists().iter().find(|(code, _)| *code == lang) else {
        return true;
    };
    let words = lowercased_words(text);
    let needed = if words.len() < SHORT_TEXT_WORDS { 1 } else { 2 };
    count_in(&words, list) >= needed
}

/// The language of a short text the statistical detector is unsure of, by its
/// function words: the language with the most of them, at least `needed`, more than
/// any other language and more than the English markers ("La Maison Blanche a confirmé la
/// visite de Volodymyr Zelensky à Washington": la, de, à). Only
/// [`uncapitalised_words`] count ("De Laurentiis" is a name), and no single Latin
/// letters ("A/S").
fn language_by_function_words(text: &str, needed: usize) -> Option<&'static str> {
    let words: Vec<String> = uncapitalised_words(text)
        .filter(|word| !(word.len() == 1 && word.is_ascii()))
        .map(str::to_lowercase)
        .collect();
    let mut counts: Vec<(usize, &'static str)> = function_word_lists()
        .iter()
        .map(|(lang, list)| (count_in(&words, list), *lang))
        .collect();
    counts.sort_unstable_by_key(|c| std::cmp::Reverse(c.0));
    let (best, lang) = *counts.first()?;
    let second = counts.get(1).map_or(0, |c| c.0);
    let english = count_in(&words, ENGLISH_MARKERS);
    (best >= needed && best > second && best > english).then_some(lang)
}

/// Detects an article's language and returns its ISO 639-1 code (English when unsure).
/// Another language detected from the whole text gives way to English when the words
/// without a capital are English (a table of foreign names in an English report), or
/// when a text in Latin letters holds none of that language's function words (an
/// English earnings table: "Shr 10 cts vs 12 cts"). A text the detector is unsure of
/// goes by its function words; failing those, English in Latin letters, the
/// detector's guess in another script.
pub fn detect_language(title: &str, body: &str) -> &'static str {
    let body = prefix_at_char_boundary(body, LANGUAGE_SAMPLE_BYTES);
    if clearly_english(body) {
        return DEFAULT_LANG;
    }
    let mut sample = String::with_capacity(LANGUAGE_SAMPLE_BYTES + title.len() + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(body);
    static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        let known = whatlang::Lang::all()
            .iter()
            .copied()
            .filter(|l| LANGUAGES.iter().any(|(c3, _, _)| *c3 == l.code()));
        whatlang::Detector::with_allowlist(known.collect())
    });
    let Some(info) = detector.detect(&sample) else {
        return DEFAULT_LANG;
    };
    if info.lang() == whatlang::Lang::Eng {
        return DEFAULT_LANG;
    }
    let code3 = info.lang().code();
    let lang = LANGUAGES
        .iter()
        .find(|(c3, _, _)| *c3 == code3)
        .map(|(_, c2, _)| *c2)
        .unwrap_or(DEFAULT_LANG);
    // English is written in Latin letters: a text in another script is not English,
    // and the detector's best guess beats the default.
    let latin = info.script() == whatlang::Script::Latin;
    if !info.is_reliable() {
        let needed = if latin { 2 } else { 1 };
        let fallback = if latin { DEFAULT_LANG } else { lang };
        return language_by_function_words(&sample, needed).unwrap_or(fallback);
    }
    let lowercase_english = lowercase_sample(&sample)
        .and_then(|words| detector.detect_lang(&words))
        .is_some_and(|lang| lang == whatlang::Lang::Eng);
    if lowercase_english {
        return DEFAULT_LANG;
    }
    if latin && !shows_function_words(&sample, lang) {
        return DEFAULT_LANG;
    }
    lang
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
pub fn prefix_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Where a language code stands among the languages dossier names (none for a code
/// it does not know), and how many there are: for tables kept per language.
pub fn language_slot(code: &str) -> Option<usize> {
    LANGUAGES.iter().position(|(_, c2, _)| *c2 == code)
}

/// How many languages dossier names (the slots of [`language_slot`]).
pub fn language_count() -> usize {
    LANGUAGES.len()
}

/// Does rust-stemmers have a Snowball stemmer for this language?
pub fn has_stemmer(code: &str) -> bool {
    LANGUAGES
        .iter()
        .any(|(_, c2, algorithm)| *c2 == code && algorithm.is_some())
}

/// Every language code the analyzer knows, for validating `lang:` filters.
pub fn known_languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(_, c2, _)| *c2)
}

/// One analysed token: its term, its byte range in the text and its word position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Inline up to 23 bytes: tokens of a long text cost no allocation each (the rare
    /// longer term allocates).
    pub term: SmolStr,
    pub start: usize,
    pub end: usize,
    pub position: u32,
}

thread_local! {
    /// Each thread's caches of terms, one per language, made on the language's first word.
    static STEM_CACHE: std::cell::RefCell<Vec<Option<StemCache>>> =
        std::cell::RefCell::new(LANGUAGES.iter().map(|_| None).collect());
}

/// The analyzer for one language.
#[derive(Clone, Copy)]
pub struct Analyzer {
    stemmer: Option<&'static Stemmer>,
    lang: &'static str,
    /// Index of the language in `LANGUAGES`.
    entry: usize,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("lang", &self.lang)
            .finish()
    }
}

impl Analyzer {
    /// The analyzer for an ISO 639-1 language code; unknown codes stem as English.
    pub fn for_lang(code: &str) -> Analyzer {
        let entry = LANGUAGES
            .iter()
            .position(|(_, c2, _)| *c2 == code)
            .unwrap_or(0);
        let (_, lang, algorithm) = LANGUAGES[entry];
        // Languages without a Snowball stemmer are stemmed as English (SPEC §1): the
        // English rules leave non-Latin words alone, so this only normalises loanwords.
        let stemmer = Some(stemmer_for(entry, algorithm.unwrap_or(Algorithm::English)));
        Analyzer {
            stemmer,
            lang,
            entry,
        }
    }

    /// The language code this analyzer stems for.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// Calls `sink(term, start, end, position)` for every token of `text`. The term
    /// buffer is reused between tokens: no allocation per token on the indexing path.
    pub fn for_each_token(&self, text: &str, mut sink: impl FnMut(&str, usize, usize, u32)) {
        let mut term = String::with_capacity(32);
        let mut scratch = String::with_capacity(32);
        for (position, (start, end)) in WordSpans::new(text).enumerate() {
            self.analyse_word(&text[start..end], &mut term, &mut scratch);
            sink(&term, start, end, position as u32);
        }
    }

    /// Writes the term of one word into `term` (lower-cased, stemmed, folded);
    /// `scratch` is working space. Both buffers are reused by the caller.
    pub fn analyse_word(&self, word: &str, term: &mut String, scratch: &mut String) {
        term.clear();
        self.with_term(word, scratch, |known| term.push_str(known));
    }

    /// Calls `use_term` with the term of one word, from this thread's cache (filled on
    /// the first sight of the word); `scratch` is working space.
    fn with_term<R>(
        &self,
        word: &str,
        scratch: &mut String,
        use_term: impl FnOnce(&str) -> R,
    ) -> R {
        STEM_CACHE.with_borrow_mut(|caches| {
            let cache = caches[self.entry].get_or_insert_with(StemCache::default);
            self.term_in(cache, word, scratch, use_term)
        })
    }

    /// [`Analyzer::with_term`] with this language's cache already in hand.
    fn term_in<R>(
        &self,
        cache: &mut StemCache,
        word: &str,
        scratch: &mut String,
        use_term: impl FnOnce(&str) -> R,
    ) -> R {
        scratch.clear();
        if word.is_ascii() {
            scratch.push_str(word);
            scratch.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                if c == '\u{2019}' {
                    scratch.push('\'');
                } else {
                    scratch.extend(c.to_lowercase());
                }
            }
        }
        if let Some(known) = cache.get(scratch) {
            return use_term(known);
        }
        let stemmed = match self.stemmer {
            Some(stemmer) => stemmer.stem(scratch),
            None => Cow::Borrowed(scratch.as_str()),
        };
        let term: Cow<str> = if stemmed.is_ascii() {
            stemmed
        } else {
            Cow::Owned(stemmed.nfd().filter(|c| !is_combining_mark(*c)).collect())
        };
        cache.insert(scratch, &term);
        use_term(&term)
    }

    /// All tokens of `text`, collected (the thread's cache of terms is taken once for
    /// the whole text, not once a word).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut scratch = String::with_capacity(32);
        // News prose runs about six bytes a word: room for most texts without regrowing.
        let mut tokens = Vec::with_capacity(text.len() / 6 + 1);
        STEM_CACHE.with_borrow_mut(|caches| {
            let cache = caches[self.entry].get_or_insert_with(StemCache::default);
            tokens.extend(
                WordSpans::new(text)
                    .enumerate()
                    .map(|(position, (start, end))| Token {
                        term: self
                            .term_in(cache, &text[start..end], &mut scratch, |t| SmolStr::new(t)),
                        start,
                        end,
                        position: position as u32,
                    }),
            );
        });
        tokens
    }

    /// The terms of `text` in order (a query word may yield several: "U.S." -> u, s).
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.tokens(text)
            .into_iter()
            .map(|t| t.term.to_string())
            .collect()
    }
}

/// Lower-cases and folds a word without stemming: what `prefix*` queries compare.
pub fn fold_word(word: &str) -> String {
    let lowered: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    if lowered.is_ascii() {
        return lowered;
    }
    lowered.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

fn stemmer_for(entry: usize, algorithm: Algorithm) -> &'static Stemmer {
    static STEMMERS: OnceLock<Vec<OnceLock<Stemmer>>> = OnceLock::new();
    let cells = STEMMERS.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    cells[entry].get_or_init(|| Stemmer::create(algorithm))
}

/// Byte ranges of the words of `text`: runs of letters/digits, with an apostrophe kept
/// when a letter stands on both sides of it.
pub struct WordSpans<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> WordSpans<'a> {
    /// The words of `text`, in order.
    pub fn new(text: &'a str) -> WordSpans<'a> {
        WordSpans { text, at: 0 }
    }
}

impl Iterator for WordSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        let bytes = text.as_bytes();
        // ASCII bytes are looked at directly; other characters are decoded.
        let char_at = |i: usize| -> Option<char> {
            match bytes.get(i) {
                Some(&b) if b < 0x80 => Some(char::from(b)),
                Some(_) => text[i..].chars().next(),
                None => None,
            }
        };
        let mut start = self.at;
        loop {
            let c = char_at(start)?;
            if c.is_alphanumeric() {
                break;
            }
            start += c.len_utf8();
        }
        let mut end = start;
        while let Some(c) = char_at(end) {
            let next = end + c.len_utf8();
            let joins = c.is_alphanumeric()
                || ((c == '\'' || c == '\u{2019}')
                    && char_at(next).is_some_and(char::is_alphabetic));
            if !joins {
                break;
            }
            end = next;
        }
        self.at = end;
        Some((start, end))
    }
}

/// Marks the start and end of the annotation header of an indexed text value.
const ANNOTATION_MARK: char = '\u{1}';

/// Separates the stacked tokens in the annotation header.
const STACKED_MARK: char = '\u{2}';

/// An extra token to index at the positions of the first and the last word in
/// `start..end` (an entity mention), on top of the words themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StackedToken<'t> {
    pub start: usize,
    pub end: usize,
    pub term: &'t str,
}

/// The index term of an entity: `@place:belarus`, `@person:vladimir_putin`. No word
/// can produce it, since words never contain `@` or `:`.
pub fn entity_term(kind: crate::model::EntityKind, name: &str) -> String {
    let folded = fold_word(name);
    let mut term = String::with_capacity(folded.len() + 8);
    term.push('@');
    term.push_str(kind.as_str());
    term.push(':');
    term.extend(
        folded
            .chars()
            .map(|c| if c.is_whitespace() { '_' } else { c }),
    );
    term
}

/// The value dossier gives Tantivy for a text field: a small header naming the
/// article's language and the entity tokens to stack on its words, then the text. The
/// registered tokenizer reads the header and analyses the text with that language's
/// analyzer, streaming tokens without building them in memory first (Tantivy 0.27 would
/// round-trip pre-tokenized text through JSON). Control characters never survive
/// `clean::normalize`, so the marks cannot occur in text.
pub fn annotate(lang: &str, stacked: &[StackedToken], text: &str) -> String {
    let mut value = String::with_capacity(text.len() + lang.len() + 2 + stacked.len() * 24);
    value.push(ANNOTATION_MARK);
    value.push_str(lang);
    for token in stacked {
        value.push(STACKED_MARK);
        let _ = write!(value, "{}:{}:{}", token.start, token.end, token.term);
    }
    value.push(ANNOTATION_MARK);
    value.push_str(text);
    value
}

/// Splits an annotated value into its analyzer, stacked tokens and text (plain text:
/// English, nothing stacked).
fn read_annotation(value: &str) -> (Analyzer, Vec<StackedToken<'_>>, &str) {
    if let Some(rest) = value.strip_prefix(ANNOTATION_MARK) {
        if let Some((header, text)) = rest.split_once(ANNOTATION_MARK) {
            let mut parts = header.split(STACKED_MARK);
            let lang = parts.next().unwrap_or(DEFAULT_LANG);
            let stacked = parts
                .filter_map(|part| {
                    let mut fields = part.splitn(3, ':');
                    let start = fields.next()?.parse().ok()?;
                    let end = fields.next()?.parse().ok()?;
                    Some(StackedToken {
                        start,
                        end,
                        term: fields.next()?,
                    })
                })
                .collect();
            return (Analyzer::for_lang(lang), stacked, text);
        }
    }
    (Analyzer::for_lang(DEFAULT_LANG), Vec::new(), value)
}

/// The analyzer as a Tantivy tokenizer, registered under the schema's tokenizer name.
#[derive(Clone, Default)]
pub struct TantivyTokenizer {
    token: tantivy::tokenizer::Token,
}

/// The token stream of [`TantivyTokenizer`]: words are analysed as they are read, and
/// stacked tokens follow the word they stand on, at the same position.
pub struct AnalyzedTokenStream<'a> {
    analyzer: Analyzer,
    text: &'a str,
    base: usize,
    words: WordSpans<'a>,
    token: &'a mut tantivy::tokenizer::Token,
    scratch: String,
    position: usize,
    stacked: Vec<StackedToken<'a>>,
    /// First stacked token that may still cover a word.
    cursor: usize,
    /// Stacked tokens (indices into `stacked`) still to emit on the current word.
    pending: Vec<usize>,
}

impl tantivy::tokenizer::Tokenizer for TantivyTokenizer {
    type TokenStream<'a> = AnalyzedTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, value: &'a str) -> AnalyzedTokenStream<'a> {
        let (analyzer, stacked, text) = read_annotation(value);
        self.token.reset();
        AnalyzedTokenStream {
            analyzer,
            text,
            base: value.len() - text.len(),
            words: WordSpans::new(text),
            token: &mut self.token,
            scratch: String::with_capacity(32),
            position: 0,
            stacked,
            cursor: 0,
            pending: Vec::new(),
        }
    }
}

impl AnalyzedTokenStream<'_> {
    /// Queues the stacked tokens covering the word at `start..end`.
    fn queue_stacked(&mut self, start: usize, end: usize) {
        while self.cursor < self.stacked.len() && self.stacked[self.cursor].end <= start {
            self.cursor += 1;
        }
        for (k, token) in self.stacked.iter().enumerate().skip(self.cursor) {
            if token.start >= end {
                break;
            }
            // On the first and the last word of the span only: near: measures from the
            // nearer edge of a mention, and inner words would only add postings.
            let first_or_last = start <= token.start || token.end <= end;
            if token.end > start && first_or_last {
                self.pending.push(k);
            }
        }
    }
}

impl tantivy::tokenizer::TokenStream for AnalyzedTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if let Some(k) = self.pending.pop() {
            self.token.text.clear();
            self.token.text.push_str(self.stacked[k].term);
            return true;
        }
        let Some((start, end)) = self.words.next() else {
            return false;
        };
        let token = &mut *self.token;
        self.analyzer
            .analyse_word(&self.text[start..end], &mut token.text, &mut self.scratch);
        token.offset_from = self.base + start;
        token.offset_to = self.base + end;
        token.position = self.position;
        token.position_length = 1;
        self.position += 1;
        if !self.stacked.is_empty() {
            self.queue_stacked(start, end);
        }
        true
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::for_lang("en").terms(text)
    }

    #[test]
    fn stems_plurals_to_the_same_term() {
        assert_eq!(terms("sanctions"), terms("sanction"));
        assert_eq!(terms("Sanctions"), vec!["sanction"]);
    }

    #[test]
    fn possessive_is_one_token_and_stems_away() {
        assert_eq!(terms("Ukraine's"), terms("Ukraine"));
        assert_eq!(terms("Putin\u{2019}s"), vec!["putin"]);
    }

    #[test]
    fn offsets_and_positions_follow_the_text() {
        let tokens = Analyzer::for_lang("en").tokens("Troops, in Belarus!");
        let spans: Vec<_> = tokens
            .iter()
            .map(|t| (t.start, t.end, t.position))
            .collect();
        assert_eq!(spans, vec![(0, 6, 0), (8, 10, 1), (11, 18, 2)]);
    }

    #[test]
    fn folds_diacritics_after_stemming() {
        assert_eq!(terms("Élysée"), terms("Elysee"));
        assert_eq!(fold_word("Zürich"), "zurich");
    }

    #[test]
    fn cyrillic_is_stemmed_with_the_russian_stemmer() {
        let ru = Analyzer::for_lang("ru");
        assert_eq!(ru.terms("санкции"), ru.terms("санкций"));
    }

    #[test]
    fn unknown_language_falls_back_to_english_stemming() {
        assert_eq!(
            Analyzer::for_lang("xx").terms("sanctions"),
            vec!["sanction"]
        );
    }

    #[test]
    fn tantivy_stream_reads_the_language_header() {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let mut tokenizer = TantivyTokenizer::default();
        let value = annotate("ru", &[], "Санкции против");
        let mut stream = tokenizer.token_stream(&value);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push((stream.token().text.clone(), stream.token().position));
        }
        let ru = Analyzer::for_lang("ru");
        assert_eq!(
            terms,
            vec![
                (ru.terms("Санкции")[0].clone(), 0),
                (ru.terms("против")[0].clone(), 1)
            ]
        );
        let mut plain = tokenizer.token_stream("Sanctions");
        assert!(plain.advance());
        assert_eq!(plain.token().text, "sanction");
    }

    #[test]
    fn english_fast_path_is_not_fooled_by_other_languages() {
        let english = "The minister said on Monday that the talks with the union would resume next week, and that the port was ready to meet the workers at any time. Dockers have been on strike for a month.";
        assert!(clearly_english(english));
        let dutch = "De minister zei maandag dat de gesprekken met de vakbond volgende week worden hervat en dat de haven klaar is om de arbeiders op elk moment te ontmoeten in de stad.";
        let german = "Der Minister sagte am Montag, dass die Gespräche mit der Gewerkschaft in der nächsten Woche wieder aufgenommen werden und dass der Hafen bereit sei, die Arbeiter jederzeit zu treffen.";
        let french = "Le ministre a déclaré lundi que les discussions avec le syndicat reprendraient la semaine prochaine et que le port était prêt à rencontrer les travailleurs à tout moment.";
        for other in [dutch, german, french] {
            assert!(!clearly_english(other), "{other}");
        }
        assert_eq!(detect_language("", german), "de");
        assert_eq!(detect_language("", french), "fr");
    }

    #[test]
    fn stacked_tokens_share_the_positions_of_their_words() {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let text = "Troops of Vladimir Vladimirovich Putin left Minsk";
        let person = entity_term(crate::model::EntityKind::Person, "Vladimir Putin");
        let place = entity_term(crate::model::EntityKind::Place, "Minsk");
        let stacked = vec![
            StackedToken {
                start: 10,
                end: 38,
                term: &person,
            },
            StackedToken {
                start: 44,
                end: 49,
                term: &place,
            },
        ];
        let value = annotate("en", &stacked, text);
        let mut tokenizer = TantivyTokenizer::default();
        let mut stream = tokenizer.token_stream(&value);
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().text.clone(), stream.token().position));
        }
        // A mention's token stands on its first and last words, not the ones between.
        let expected: Vec<(String, usize)> = vec![
            ("troop".into(), 0),
            ("of".into(), 1),
            ("vladimir".into(), 2),
            ("@person:vladimir_putin".into(), 2),
            ("vladimirovich".into(), 3),
            ("putin".into(), 4),
            ("@person:vladimir_putin".into(), 4),
            ("left".into(), 5),
            ("minsk".into(), 6),
            ("@place:minsk".into(), 6),
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn detects_english_and_russian() {
        let en = "The president met the prime minister on Monday to discuss sanctions and trade.";
        assert_eq!(detect_language("", en), "en");
        let ru = "Президент встретился с премьер-министром в понедельник, чтобы обсудить санкции и торговлю.";
        assert_eq!(detect_language("", ru), "ru");
    }

    #[test]
    fn a_results_table_under_an_english_line_is_english() {
        // Team names look Dutch to a letter-trigram detector; the words around them
        // are English.
        let table = "AMSTERDAM 1996-08-25\nResults of Dutch first division soccer matches \
            played on Sunday :\nFeyenoord Rotterdam 2 Vitesse Arnhem 1\nWillem II Tilburg 0 \
            Roda JC Kerkrade 3\nNAC Breda 1 Fortuna Sittard 1\nGroningen 2 Heerenveen 2\n\
            Standings : Feyenoord 3 2 1 0 7 2 7 , Ajax Amsterdam 3 2 0 1 5 3 6\n";
        assert_eq!(
            detect_language("SOCCER - DUTCH FIRST DIVISION RESULTS", table),
            "en"
        );
        let dutch = "De minister van Buitenlandse Zaken heeft dinsdag in Den Haag gezegd dat \
            het kabinet de sancties tegen Rusland wil uitbreiden.";
        assert_eq!(detect_language("", dutch), "nl");
        let german = "Die Bundesregierung hat am Dienstag in Berlin neue Sanktionen gegen \
            Russland beschlossen, teilte ein Sprecher mit.";
        assert_eq!(detect_language("", german), "de");
    }

    #[test]
    fn an_earnings_table_is_english_though_its_letters_look_french() {
        let table = "SAN ANTONIO, Oct 20 - Shr profit 2.77 dlrs vs profit 1.35 dlrs\n\
            Net 155.0 mln vs 77.4 mln\nNine mths\nShr loss 1.43 dlrs vs profit 3.66 dlrs\n\
            Net loss 60.4 mln vs profit 195.2 mln\nAssets 45.15 billion vs 42.69 billion\n";
        assert_eq!(
            detect_language("Acme Holdings Corp <ACM> 3RD Qtr Net", table),
            "en"
        );
        // Short texts in other languages keep their language.
        assert_eq!(
            detect_language(
                "",
                "Les troupes russes restent en Biélorussie après les exercices, selon le ministère."
            ),
            "fr"
        );
        assert_eq!(
            detect_language("", "Российские войска остаются в Белоруссии."),
            "ru"
        );
    }

    #[test]
    fn a_short_sentence_the_detector_is_unsure_of_goes_by_its_function_words() {
        let french = "La Maison Blanche a confirmé la visite de Volodymyr Zelensky à Washington.";
        assert_eq!(detect_language("", french), "fr");
        let russian = "Японские дипломаты провели встречу с коллегами из Китая в Пекине.";
        assert_eq!(detect_language("", russian), "ru");
        assert_eq!(
            language_by_function_words("The minister met the press in Paris.", 2),
            None
        );
        assert_eq!(language_by_function_words("Acme Corp 3RD Qtr Net", 2), None);
    }

    #[test]
    fn function_word_lists_name_known_languages() {
        for line in FUNCTION_WORDS.lines().filter(|l| !l.starts_with('#')) {
            let (lang, words) = line.split_once('\t').expect("language<TAB>words");
            assert!(
                language_slot(lang).is_some(),
                "{lang} is not a language dossier names"
            );
            assert!(
                words
                    .split(' ')
                    .all(|w| !w.is_empty() && w.to_lowercase() == w),
                "{lang}"
            );
        }
    }
}
