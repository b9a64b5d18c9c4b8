//! THE analyzer: the one function from text to index terms, used for indexing, for
//! queries and for passages alike, so the three can never disagree.
//!
//! A token is a run of letters and digits (an apostrophe between letters stays inside it,
//! so "Ukraine's" is one token that the stemmer reduces to "ukrain"). Each token is
//! lower-cased, stemmed with the article language's Snowball stemmer (rust-stemmers), then
//! folded (diacritics removed). Stemming comes before folding because Snowball rules are
//! written for accented spellings ("é" in French suffixes).

use std::borrow::Cow;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The analyzer's identity, recorded in every index: change it whenever the terms it
/// produces for some text could change.
pub const ANALYZER_ID: &str =
    "dossier-analyzer/1 (words+apostrophes; lowercase; rust-stemmers 1.2 snowball; nfd-fold)";

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

/// How many bytes of an article language detection looks at.
const LANGUAGE_SAMPLE_BYTES: usize = 4096;

/// Detects an article's language and returns its ISO 639-1 code (English when unsure).
pub fn detect_language(title: &str, body: &str) -> &'static str {
    let mut sample = String::with_capacity(LANGUAGE_SAMPLE_BYTES + title.len() + 1);
    sample.push_str(title);
    sample.push('\n');
    sample.push_str(prefix_at_char_boundary(body, LANGUAGE_SAMPLE_BYTES));
    let Some(info) = whatlang::detect(&sample) else {
        return DEFAULT_LANG;
    };
    if !info.is_reliable() {
        return DEFAULT_LANG;
    }
    let code3 = info.lang().code();
    LANGUAGES
        .iter()
        .find(|(c3, _, _)| *c3 == code3)
        .map(|(_, c2, _)| *c2)
        .unwrap_or(DEFAULT_LANG)
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

/// Every language code the analyzer knows, for validating `lang:` filters.
pub fn known_languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().map(|(_, c2, _)| *c2)
}

/// One analysed token: its term, its byte range in the text and its word position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub position: u32,
}

/// The analyzer for one language.
#[derive(Clone, Copy)]
pub struct Analyzer {
    stemmer: Option<&'static Stemmer>,
    lang: &'static str,
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
        Analyzer { stemmer, lang }
    }

    /// The language code this analyzer stems for.
    pub fn lang(&self) -> &'static str {
        self.lang
    }

    /// Calls `sink(term, start, end, position)` for every token of `text`. The term
    /// buffer is reused between tokens: no allocation per token on the indexing path.
    pub fn for_each_token(&self, text: &str, mut sink: impl FnMut(&str, usize, usize, u32)) {
        let mut lowered = String::with_capacity(32);
        let mut folded = String::with_capacity(32);
        for (position, (start, end)) in word_spans(text).enumerate() {
            lowered.clear();
            for c in text[start..end].chars() {
                if c == '\u{2019}' {
                    lowered.push('\'');
                } else {
                    lowered.extend(c.to_lowercase());
                }
            }
            let stemmed = match self.stemmer {
                Some(stemmer) => stemmer.stem(&lowered),
                None => Cow::Borrowed(lowered.as_str()),
            };
            let term = fold_into(&stemmed, &mut folded);
            sink(term, start, end, position as u32);
        }
    }

    /// All tokens of `text`, collected.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.for_each_token(text, |term, start, end, position| {
            tokens.push(Token {
                term: term.to_string(),
                start,
                end,
                position,
            })
        });
        tokens
    }

    /// The terms of `text` in order (a query word may yield several: "U.S." -> u, s).
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.tokens(text).into_iter().map(|t| t.term).collect()
    }
}

/// Lower-cases and folds a word without stemming: what `prefix*` queries compare.
pub fn fold_word(word: &str) -> String {
    let lowered: String = word
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    let mut folded = String::new();
    fold_into(&lowered, &mut folded).to_string()
}

fn stemmer_for(entry: usize, algorithm: Algorithm) -> &'static Stemmer {
    static STEMMERS: OnceLock<Vec<OnceLock<Stemmer>>> = OnceLock::new();
    let cells = STEMMERS.get_or_init(|| LANGUAGES.iter().map(|_| OnceLock::new()).collect());
    cells[entry].get_or_init(|| Stemmer::create(algorithm))
}

/// Removes diacritics; ASCII input is returned as is without copying.
fn fold_into<'a>(word: &'a str, buffer: &'a mut String) -> &'a str {
    if word.is_ascii() {
        return word;
    }
    buffer.clear();
    buffer.extend(word.nfd().filter(|c| !is_combining_mark(*c)));
    buffer.as_str()
}

/// Byte ranges of the words of `text`: runs of letters/digits, with an apostrophe kept
/// when a letter stands on both sides of it.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if c.is_alphanumeric() {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                chars.next();
                continue;
            }
            if c == '\'' || c == '\u{2019}' {
                let after = i + c.len_utf8();
                let next_is_letter = text[after..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic);
                if next_is_letter {
                    chars.next();
                    continue;
                }
            }
            end = i;
            break;
        }
        Some((start, end))
    })
}

/// Tantivy adapter so the schema's `dossier` tokenizer name resolves to this analyzer
/// (English). dossier feeds pre-tokenized text, so this runs only if a plain string is
/// ever added to a text field.
#[derive(Clone, Default)]
pub struct TantivyTokenizer;

/// The token stream of [`TantivyTokenizer`].
pub struct VecTokenStream {
    tokens: Vec<tantivy::tokenizer::Token>,
    index: usize,
}

impl tantivy::tokenizer::Tokenizer for TantivyTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: to_tantivy_tokens(&Analyzer::for_lang(DEFAULT_LANG).tokens(text)),
            index: 0,
        }
    }
}

impl tantivy::tokenizer::TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Converts analysed tokens to Tantivy's token type.
pub fn to_tantivy_tokens(tokens: &[Token]) -> Vec<tantivy::tokenizer::Token> {
    tokens
        .iter()
        .map(|t| tantivy::tokenizer::Token {
            offset_from: t.start,
            offset_to: t.end,
            position: t.position as usize,
            text: t.term.clone(),
            position_length: 1,
        })
        .collect()
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
    fn detects_english_and_russian() {
        let en = "The president met the prime minister on Monday to discuss sanctions and trade.";
        assert_eq!(detect_language("", en), "en");
        let ru = "Президент встретился с премьер-министром в понедельник, чтобы обсудить санкции и торговлю.";
        assert_eq!(detect_language("", ru), "ru");
    }
}
