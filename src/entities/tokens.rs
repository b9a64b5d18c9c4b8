//! The tokenizer entity extraction works on: words, numbers and punctuation marks as
//! separate tokens with byte spans, the way news NER corpora are tokenized ("Putin's"
//! is "Putin" + "'s"; "U.S." and "Russian-backed" stay whole).

/// A token and its byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A text's tokens, and the ranges of them that form sentences.
#[derive(Debug, Default)]
pub struct Tokenized {
    pub tokens: Vec<Span>,
    pub sentences: Vec<std::ops::Range<usize>>,
}

impl Tokenized {
    /// The tokens of each sentence.
    pub fn iter(&self) -> impl Iterator<Item = &[Span]> {
        self.sentences.iter().map(|r| &self.tokens[r.clone()])
    }
}

/// Sentences (by line breaks and sentence-ending punctuation) of tokens.
pub fn tokenize(text: &str) -> Tokenized {
    let mut out = Tokenized {
        tokens: Vec::with_capacity(text.len() / 5),
        sentences: Vec::new(),
    };
    let mut sentence_start = 0;
    let mut line_start = 0;
    let mut chars = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.is_ascii() {
            tokens(
                line,
                &AsciiLine(line.as_bytes()),
                line_start,
                &mut out.tokens,
            );
        } else {
            chars.clear();
            chars.extend(line.char_indices());
            tokens(line, chars.as_slice(), line_start, &mut out.tokens);
        }
        // Split the line's tokens at sentence-ending marks.
        let mut i = sentence_start;
        while i < out.tokens.len() {
            let token = out.tokens[i];
            let word = &text[token.start..token.end];
            if matches!(word, "." | "!" | "?") && i > sentence_start {
                out.sentences.push(sentence_start..i + 1);
                sentence_start = i + 1;
            }
            i += 1;
        }
        if sentence_start < out.tokens.len() {
            out.sentences.push(sentence_start..out.tokens.len());
            sentence_start = out.tokens.len();
        }
        line_start += line.len();
    }
    out
}

/// Sentences of tokens, each as its own list (for tests and small texts).
pub fn sentences(text: &str) -> Vec<Vec<Span>> {
    tokenize(text).iter().map(<[Span]>::to_vec).collect()
}

/// The characters of a line with their byte offsets, by index: decoded once for a
/// line with non-ASCII text, read straight from the bytes for an ASCII line.
trait LineChars {
    fn count(&self) -> usize;
    fn at(&self, i: usize) -> (usize, char);
    fn char(&self, i: usize) -> Option<(usize, char)> {
        (i < self.count()).then(|| self.at(i))
    }
}

impl LineChars for [(usize, char)] {
    fn count(&self) -> usize {
        self.len()
    }
    fn at(&self, i: usize) -> (usize, char) {
        self[i]
    }
}

/// An ASCII line: byte offsets are character indices.
struct AsciiLine<'a>(&'a [u8]);

impl LineChars for AsciiLine<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> (usize, char) {
        (i, char::from(self.0[i]))
    }
}

/// Appends the tokens of one line (its `chars` given), offset by `base`.
fn tokens<C: LineChars + ?Sized>(line: &str, chars: &C, base: usize, out: &mut Vec<Span>) {
    let mut i = 0;
    while i < chars.count() {
        let (start, c) = chars.at(i);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let starts_nt = c == 'n'
            && chars
                .char(i + 1)
                .is_some_and(|(_, a)| a == '\'' || a == '’')
            && chars.char(i + 2).is_some_and(|(_, t)| t == 't');
        if starts_nt {
            j = i + 3;
        } else if c.is_alphanumeric() {
            while j < chars.count() {
                let (_, d) = chars.at(j);
                let next_is_alnum = || chars.char(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                let joins = d.is_alphanumeric()
                    || (matches!(d, '-' | '&') && next_is_alnum()) // Russian-backed, S&P
                    || (matches!(d, '\'' | '’') && next_is_alnum() && !is_clitic(chars, j + 1)) // O'Brien
                    || (matches!(d, '.' | ',') && chars.at(j - 1).1.is_ascii_digit() && next_is_alnum()) // 1,000
                    || (d == '.' && is_abbreviation(&line[start..chars.at(j).0 + 1])); // U.S. and Mr.
                if joins {
                    j += 1;
                } else if (d == '\'' || d == '’')
                    && chars.char(j + 1).is_some_and(|(_, n)| n == 't')
                    && chars.at(j - 1).1 == 'n'
                    && j - 1 > i
                {
                    // don't -> do n't, as the corpora split it
                    j -= 1;
                    break;
                } else {
                    break;
                }
            }
        } else if (c == '\'' || c == '’')
            && i > 0
            && chars.at(i - 1).1.is_alphanumeric()
            && is_clitic(chars, i + 1)
        {
            // 's, 're, 'll right after a word: keep the clitic with its apostrophe. An
            // apostrophe before a word is a quote mark ('DNR'), a token of its own.
            while j < chars.count() && chars.at(j).1.is_alphabetic() && j - i <= 2 {
                j += 1;
            }
        }
        let end = chars.char(j).map_or(line.len(), |(b, _)| b);
        if end > start {
            out.push(Span {
                start: base + start,
                end: base + end,
            });
        }
        i = j.max(i + 1);
    }
}

/// Do the letters from `at` make an English clitic (`s`, `re`, `ve`, `ll`, `d`, `m`, `t`)
/// that ends there?
fn is_clitic<C: LineChars + ?Sized>(chars: &C, at: usize) -> bool {
    let mut letters = String::new();
    let mut j = at;
    while let Some((_, c)) = chars.char(j) {
        if !c.is_alphabetic() {
            break;
        }
        letters.extend(c.to_lowercase());
        j += 1;
        if letters.len() > 2 {
            return false;
        }
    }
    matches!(letters.as_str(), "s" | "re" | "ve" | "ll" | "d" | "m" | "t")
}

/// "U.S." and "Mr." : single letters with dots, or a short capitalised word before a dot
/// that is a known abbreviation.
fn is_abbreviation(word: &str) -> bool {
    let letters_and_dots = word.chars().all(|c| c.is_alphabetic() || c == '.');
    let single_letters = word.split('.').all(|part| part.chars().nth(1).is_none());
    if letters_and_dots && single_letters {
        return true;
    }
    const ABBREVIATIONS: &[&str] = &[
        "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Gov.", "Sen.",
        "Rep.", "Prof.", "Inc.", "Corp.", "Co.", "Ltd.", "Jr.", "Sr.", "Jan.", "Feb.", "Aug.",
        "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "No.", "Adm.", "Maj.", "Bros.", "Ft.", "Mt.",
        // US states as datelines abbreviate them ("FREEPORT, Ill., Oct 20").
        "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.",
        "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.",
        "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "Wis.", "Wyo.",
    ];
    // Capitalised as listed, or in capitals as datelines write them ("ST. PAUL"); a
    // lower-case word before a dot ends its sentence ("he fell ill.").
    word.chars().next().is_some_and(char::is_uppercase)
        && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<&str>> {
        sentences(text)
            .iter()
            .map(|s| s.iter().map(|t| &text[t.start..t.end]).collect())
            .collect()
    }

    #[test]
    fn a_quote_mark_is_not_a_clitic() {
        assert_eq!(
            words("the 'DNR' and 'LNR' and Putin's aides"),
            vec![vec![
                "the", "'", "DNR", "'", "and", "'", "LNR", "'", "and", "Putin", "'s", "aides"
            ]]
        );
        assert_eq!(
            words("O'Brien and D'Alema"),
            vec![vec!["O'Brien", "and", "D'Alema"]]
        );
    }

    #[test]
    fn splits_like_news_ner_corpora() {
        assert_eq!(
            words(
                "Putin's troops, U.S. officials said. Mr. Biden met 1,000 Russian-backed rebels."
            ),
            vec![
                vec![
                    "Putin",
                    "'s",
                    "troops",
                    ",",
                    "U.S.",
                    "officials",
                    "said",
                    "."
                ],
                vec![
                    "Mr.",
                    "Biden",
                    "met",
                    "1,000",
                    "Russian-backed",
                    "rebels",
                    "."
                ]
            ]
        );
    }

    #[test]
    fn lines_are_sentences_and_spans_point_into_the_text() {
        let text = "EU rejects German call\nBRUSSELS 1996-08-22\n";
        let found = sentences(text);
        assert_eq!(found.len(), 2);
        let last = found[1][1];
        assert_eq!(&text[last.start..last.end], "1996-08-22");
    }

    #[test]
    fn negations_split_as_the_corpora_do() {
        assert_eq!(words("didn't go"), vec![vec!["did", "n't", "go"]]);
    }
}
