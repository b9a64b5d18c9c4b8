//! The parts of an article's text that are furniture, not the article's actors: the
//! lines of an earnings table ("Shr 10 cts vs 12 cts"), stock tickers in angle brackets
//! ("<BAC>"), bylines, photo credits and the author's biography at the end. They stay in
//! the text (they are searchable), but no entity is read from them: [`mask`] blanks
//! them out, byte for byte, so offsets into the real text hold.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// A byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Reporting by ...".
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?(?:By|BY|[Ww]ritten by|[Rr]eporting by|[Ee]diting by|[Aa]dditional reporting by)\s+(?:[A-Z][\w'’.-]*\s*){1,4}(?:(?:,|;|and|&)\s*(?:[A-Z][\w'’.-]*\s*){1,5})*\)?$")
        .unwrap_or_else(|e| panic!("built-in byline pattern: {e}"))
});

/// A photo or image credit line.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?(?:photo|photograph|picture|image|credit|photo credit|video)s?\s*(?::|by\b).{0,120}$")
        .unwrap_or_else(|e| panic!("built-in credit pattern: {e}"))
});

/// The sentence that opens an author's biography.
static BIOGRAPHY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][\w'’.-]*\s+){0,3}(?:is|was)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}(?:journalist|reporter|correspondent|writer|editor|columnist|contributor|freelancer|author|blogger)\b")
        .unwrap_or_else(|e| panic!("built-in biography pattern: {e}"))
});

/// A stock ticker: `<BAC>`, `<I>`, `<BRK.A>`.
static TICKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<[A-Z0-9][A-Z0-9.]{0,9}>")
        .unwrap_or_else(|e| panic!("built-in ticker pattern: {e}"))
});

/// The first words of an earnings-table line.
const REPORT_WORDS: &[&str] = &[
    "shr", "shrs", "net", "revs", "revenues", "sales", "oper", "avg", "qtr", "mths", "year",
    "loss", "profit", "div", "dividend", "pay", "payable", "record", "prior", "note", "nine",
    "six", "three", "12", "turnover", "assets", "deposits", "loans", "per", "primary", "fully",
];

/// The byte ranges of furniture in `text`.
pub fn furniture(text: &str) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    if text.contains('<') {
        ranges.extend(TICKER.find_iter(text).map(|m| (m.start(), m.end())));
    }
    let lines = lines_with_offsets(text);
    for &(start, line) in &lines {
        let trimmed = line.trim();
        // The patterns only run where a line could match them (most lines are prose).
        let first = trimmed
            .as_bytes()
            .first()
            .map_or(b' ', u8::to_ascii_lowercase);
        let furniture = is_report_line(trimmed)
            || (matches!(first, b'b' | b'w' | b'r' | b'e' | b'a' | b'(')
                && BYLINE.is_match(trimmed))
            || (matches!(first, b'p' | b'i' | b'c' | b'v' | b'(')
                && trimmed.len() <= 130
                && CREDIT.is_match(trimmed));
        if furniture {
            ranges.push((start, start + line.len()));
        }
    }
    if let Some(from) = biography_start(text, &lines) {
        ranges.push((from, text.len()));
    }
    ranges.sort_unstable();
    ranges
}

/// `text` with its furniture blanked out by spaces (unchanged, and not copied, when it
/// has none).
pub fn mask(text: &str) -> Cow<'_, str> {
    let ranges = furniture(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in ranges {
        let (start, end) = (start.max(at), end.min(text.len()));
        if start >= end {
            continue;
        }
        masked.push_str(&text[at..start]);
        // Byte for byte, so offsets hold; line breaks stay line breaks.
        for byte in text[start..end].bytes() {
            masked.push(if byte == b'\n' { '\n' } else { ' ' });
        }
        at = end;
    }
    masked.push_str(&text[at..]);
    Cow::Owned(masked)
}

fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(|line| {
            let at = offset;
            offset += line.len();
            (at, line.trim_end_matches('\n'))
        })
        .collect()
}

/// "Oper shr 21 cts vs 18 cts", "Revs 7,866,000 vs 5,503,000", "12 mths": a line of
/// figures headed by report vocabulary.
fn is_report_line(line: &str) -> bool {
    if line.is_empty() || line.len() > 200 || !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let first = line
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let headed = REPORT_WORDS.contains(&first.as_str());
    let figures = line.contains(" vs ") || line.contains(" cts") || line.contains(" mln");
    let short = line.split_whitespace().count() <= 3;
    headed && (figures || short)
}

/// Where an author's biography at the end of the text begins: a paragraph in the last
/// third that opens "X is a journalist ..." (with the lines naming the author just
/// above it).
fn biography_start(text: &str, lines: &[(usize, &str)]) -> Option<usize> {
    let last_third = text.len() * 2 / 3;
    let at = lines.iter().position(|&(start, line)| {
        start >= last_third
            && (line.contains(" is ") || line.contains(" was "))
            && BIOGRAPHY.is_match(line.trim())
    })?;
    // The author's name alone on the lines right above it.
    let mut first = at;
    while first > 0 {
        let line = lines[first - 1].1.trim();
        let name_like = !line.is_empty()
            && line.split_whitespace().count() <= 4
            && line
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if line.is_empty() || name_like {
            first -= 1;
        } else {
            break;
        }
    }
    Some(lines[first].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked_words(text: &str) -> Vec<String> {
        mask(text).split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn earnings_lines_and_tickers_are_furniture() {
        let text = "Mayfair Industries Inc <MAYF> said on Monday.\nOper shr 21 cts vs 18 cts\nOper net 659,000 vs 523,000\nRevs 7,866,000 vs 5,503,000\n12 mths\nThe company said sales rose 10 pct in the year.\n";
        let words = masked_words(text);
        assert!(!words.contains(&"<MAYF>".to_string()));
        assert!(!words.contains(&"Oper".to_string()));
        assert!(!words.contains(&"Revs".to_string()));
        assert!(!words.contains(&"mths".to_string()));
        assert!(words.contains(&"Mayfair".to_string()));
        assert!(
            words.contains(&"sales".to_string()),
            "a sentence of prose is kept"
        );
        assert_eq!(mask(text).len(), text.len(), "offsets hold");
    }

    #[test]
    fn bylines_credits_and_biographies_are_furniture() {
        let text = "By Jane Harrow and Tom Vell, Portmere Post\nPhoto: Lena Dorr/Agency\nThe mayor met the council on Monday. She said little.\nMore talks follow next week, officials said, and the council agreed.\n\nJane Harrow\n\nJane is a journalist with ten years at the Portmere Post, writing on city hall.\n";
        let words = masked_words(text);
        for gone in [
            "Jane",
            "Harrow",
            "Vell",
            "Lena",
            "Dorr/Agency",
            "journalist",
        ] {
            assert!(!words.contains(&gone.to_string()), "{gone} is still read");
        }
        assert!(words.contains(&"mayor".to_string()));
        assert!(words.contains(&"council".to_string()));
    }

    #[test]
    fn prose_is_not_furniture() {
        let text = "By the end of the year, profits at Portmere Harbour had doubled.\nNet profit rose in the nine months, the company said on Tuesday, helped by exports.\n";
        assert_eq!(mask(text), text);
    }
}
