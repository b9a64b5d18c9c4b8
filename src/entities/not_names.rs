//! Words that are never a name by themselves (`index-schema/entities/not-names.txt`):
//! function words, numbers, months, and the report vocabulary of wire copy ("Qtr",
//! "Shr", "Says"). A span made only of them is not a mention; at a span's edges they
//! are cut away.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
#[cfg(test)]
use rustc_hash::FxHashSet;

pub(crate) const NOT_NAMES: &str = include_str!("../../index-schema/entities/not-names.txt");

/// The words of each section: `[edges]` first, then `[alone]`.
/// Each listed word, lower-cased, with the sections that list it: bit 0 for `[edges]`,
/// bit 1 for `[alone]`.
static WORDS: LazyLock<FxHashMap<String, u8>> = LazyLock::new(|| {
    let mut words: FxHashMap<String, u8> = FxHashMap::default();
    let mut section = EDGES;
    for line in NOT_NAMES.lines().map(str::trim) {
        match line {
            "" => {}
            "[edges]" => section = EDGES,
            "[alone]" => section = ALONE,
            comment if comment.starts_with('#') => {}
            word => *words.entry(word.to_lowercase()).or_default() |= section,
        }
    }
    words
});

const EDGES: u8 = 1;
const ALONE: u8 = 2;

pub fn is_not_name(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 1 {
        // Single letters and initials, numbers, punctuation.
        return true;
    }
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        // Ordinals and numbers with units: 4TH, 21st, 1987/88.
        return true;
    }
    in_section(word.trim_end_matches('.'), EDGES | ALONE)
}

/// Is `word`, any case, listed in one of `sections`? (Lower-cased on the stack: these run on
/// every word at a span's edge.)
fn in_section(word: &str, sections: u8) -> bool {
    let listed = |lower: &str| WORDS.get(lower).is_some_and(|s| s & sections != 0);
    let mut buffer = [0u8; 24];
    if word.len() > buffer.len() {
        return false;
    }
    if !word.is_ascii() {
        return listed(&word.to_lowercase());
    }
    for (slot, byte) in buffer.iter_mut().zip(word.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    std::str::from_utf8(&buffer[..word.len()]).is_ok_and(listed)
}

/// Is `word` cut from the edges of a name ("Says" in "Reagan Says")? Function words,
/// report vocabulary, numbers and bare letters; not an initial ("M."), a month or day
/// ("Jan Kroslak"), "The" ("The Oval") or a company suffix.
pub fn is_edge_word(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 && word.ends_with('.') {
        return false;
    }
    if letters <= 1 || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    in_section(word, EDGES)
}

/// Does `word` end an organisation's name: a company suffix ("Corp", "Inc") or the
/// head noun of an institution ("Office", "Ministry", "Exchange")? A name ending so is an
/// organisation, whatever else it looks like ("General Accounting Office").
pub fn is_organisation_end(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    // Lower-cased on the stack: this runs on the last word of every span.
    let mut buffer = [0u8; 16];
    if word.len() > buffer.len() || !word.is_ascii() {
        return false;
    }
    for (slot, byte) in buffer.iter_mut().zip(word.bytes()) {
        *slot = byte.to_ascii_lowercase();
    }
    let lower = std::str::from_utf8(&buffer[..word.len()]).unwrap_or_default();
    matches!(
        lower,
        "corp"
            | "inc"
            | "ltd"
            | "plc"
            | "llc"
            | "gmbh"
            | "corporation"
            | "incorporated"
            | "limited"
            | "bancorp"
            | "co"
            | "cos"
            | "group"
            | "bank"
            | "party"
            | "ministry"
            | "department"
            | "agency"
            | "council"
            | "committee"
            | "commission"
            | "association"
            | "university"
            | "institute"
            | "foundation"
            | "fund"
            | "board"
            | "exchange"
            | "office"
            | "administration"
            | "service"
            | "services"
            | "airlines"
            | "airways"
            | "authority"
            | "organisation"
            | "organization"
            | "federation"
            | "league"
            | "union"
            | "club"
            | "industries"
            | "holdings"
            | "bancshares"
            | "securities"
            | "pharmaceuticals"
            | "technologies"
            | "enterprises"
            | "partners"
            | "brothers"
            | "motors"
            | "communications"
            | "electronics"
            | "laboratories"
            | "chemicals"
            | "petroleum"
            | "railways"
            | "railroad"
            | "stores"
            | "supermarkets"
            | "international"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_words_numbers_and_letters_are_not_names() {
        for word in [
            "Qtr", "NET", "4TH", "3rd", "F", "O", "Nine", "Says", "Feb", "the", "1987",
        ] {
            assert!(is_not_name(word), "{word}");
        }
        for word in ["Reagan", "Moody", "Qatar", "Ninewells", "OPEC", "Feinstein"] {
            assert!(!is_not_name(word), "{word}");
        }
    }

    #[test]
    fn only_edge_words_are_cut_from_names() {
        for word in ["Says", "Qtr", "4TH", "of", "F"] {
            assert!(is_edge_word(word), "{word}");
        }
        for word in ["Jan", "The", "Corp", "M.", "Nine", "Reagan"] {
            assert!(!is_edge_word(word), "{word}");
        }
    }

    #[test]
    fn the_list_is_lower_case_and_without_repeats() {
        let mut seen = FxHashSet::default();
        for line in NOT_NAMES.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            assert_eq!(line, line.to_lowercase(), "{line}");
            assert!(seen.insert(line), "{line} is listed twice");
        }
    }
}
