//! Text normalisation and scraped-page boilerplate removal (SPEC §1).
//!
//! The rules live in `index-schema/boilerplate.txt`; this module compiles them once and
//! applies them line by line.

use std::sync::LazyLock;

use regex::{RegexSet, RegexSetBuilder};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub(crate) const BOILERPLATE_RULES: &str = include_str!("../index-schema/boilerplate.txt");

/// Normalises decoded text: NFC, `\n` line ends, no control characters but tab and
/// newline.
pub fn normalize(text: &str) -> String {
    // Most news text is printable ASCII with newlines and tabs: nothing to change.
    let plain = text
        .bytes()
        .all(|b| b == b'\n' || b == b'\t' || (0x20..0x7f).contains(&b));
    if plain {
        return text.to_string();
    }
    let needs_nfc = is_nfc_quick(text.chars()) != IsNormalized::Yes;
    let mut out = String::with_capacity(text.len());
    let chars: Box<dyn Iterator<Item = char>> = if needs_nfc {
        Box::new(text.nfc())
    } else {
        Box::new(text.chars())
    };
    let mut previous_cr = false;
    for c in chars {
        match c {
            '\r' => out.push('\n'),
            '\n' if previous_cr => {}
            '\n' | '\t' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{feff}' => out.push(' '),
            '\u{a0}' => out.push(' '),
            _ => out.push(c),
        }
        previous_cr = c == '\r';
    }
    out
}

/// Longest line, in bytes, that can be boilerplate. Page furniture (share prompts,
/// translation notices, "Related articles") is short; a paragraph of the article that
/// happens to mention "Google Translate" must not be dropped for it. Skipping long lines
/// also spares the rules a scan of every paragraph.
pub const MAX_BOILERPLATE_LINE_BYTES: usize = 400;

/// The compiled boilerplate rules.
pub struct Boilerplate {
    drop: RegexSet,
    header: RegexSet,
    tail: RegexSet,
    /// Sign-offs of wire services, the body's last word.
    signoff: RegexSet,
}

/// A text split into its title and cleaned body, plus the header lines removed above
/// the title (date evidence for the dates extractor).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CleanText {
    pub title: String,
    pub body: String,
    pub header: Vec<String>,
}

impl Boilerplate {
    /// The rules shipped in `index-schema/boilerplate.txt`.
    pub fn shipped() -> &'static Boilerplate {
        static RULES: LazyLock<Boilerplate> = LazyLock::new(|| {
            Boilerplate::parse(BOILERPLATE_RULES)
                .unwrap_or_else(|e| panic!("index-schema/boilerplate.txt is invalid: {e}"))
        });
        &RULES
    }

    /// Parses a rules file in the `boilerplate.txt` format.
    pub fn parse(rules: &str) -> Result<Boilerplate, String> {
        let mut sections: [(&str, Vec<&str>); 4] = [
            ("[drop]", vec![]),
            ("[header]", vec![]),
            ("[tail]", vec![]),
            ("[signoff]", vec![]),
        ];
        let mut current: Option<usize> = None;
        for (number, line) in rules.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(i) = sections.iter().position(|(name, _)| *name == line) {
                current = Some(i);
                continue;
            }
            let i = current.ok_or(format!("line {}: rule before any [section]", number + 1))?;
            sections[i].1.push(line);
        }
        let build = |patterns: &[&str]| {
            RegexSetBuilder::new(patterns.iter().map(|p| format!("^(?:{p})$")))
                .case_insensitive(true)
                .build()
                .map_err(|e| e.to_string())
        };
        Ok(Boilerplate {
            drop: build(&sections[0].1)?,
            header: build(&sections[1].1)?,
            tail: build(&sections[2].1)?,
            signoff: build(&sections[3].1)?,
        })
    }

    /// Is this line boilerplate wherever it stands?
    pub fn is_dropped(&self, line: &str) -> bool {
        let line = line.trim();
        could_be_boilerplate(line) && self.drop.is_match(line)
    }

    /// Removes boilerplate lines from a body and cuts trailing junk.
    pub fn clean_body(&self, body: &str) -> String {
        let lines: Vec<&str> = body.lines().collect();
        let total_bytes = body.len();
        let mut out = String::with_capacity(body.len());
        let mut offset = 0usize;
        for line in lines {
            let trimmed = line.trim();
            let in_second_half = offset * 2 >= total_bytes;
            offset += line.len() + 1;
            if in_second_half && could_be_boilerplate(trimmed) && self.tail.is_match(trimmed) {
                break;
            }
            if self.is_dropped(trimmed) {
                continue;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        self.strip_signoff(&mut out);
        collapse_blank_lines(&out)
    }

    /// Removes a sign-off ("REUTER") ending the body after its last sentence.
    fn strip_signoff(&self, body: &mut String) {
        let text = body.trim_end();
        let Some(space) = text.rfind(char::is_whitespace) else {
            return;
        };
        let (rest, last) = (text[..space].trim_end(), &text[space + 1..]);
        let ends_sentence = rest.is_empty()
            || rest.ends_with('\n')
            || text[..space].ends_with('\n')
            || rest.ends_with(['.', '!', '?', '"', '”', ')', '\'']);
        if ends_sentence && self.signoff.is_match(last) {
            let keep = rest.len();
            body.truncate(keep);
            body.push('\n');
        }
    }

    /// Splits a plain-text article: the first non-empty line that is not boilerplate
    /// or a header (section label, date line, weather) is the title; the rest is the
    /// body, cleaned. A body line repeating the title is dropped.
    pub fn split_text(&self, text: &str) -> CleanText {
        let mut header = Vec::new();
        let mut rest = "";
        let mut title = "";
        let mut remaining = text;
        while !remaining.is_empty() {
            let (line, after) = match remaining.find('\n') {
                Some(i) => (&remaining[..i], &remaining[i + 1..]),
                None => (remaining, ""),
            };
            remaining = after;
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            // Dropped lines above the title (a weather reading) are kept as header
            // evidence too: beside a date line they make it a today widget.
            let dropped = self.is_dropped(trimmed);
            if dropped || (could_be_boilerplate(trimmed) && self.header.is_match(trimmed)) {
                header.push(trimmed.to_string());
                continue;
            }
            title = trimmed;
            rest = after;
            break;
        }
        let body = self.clean_body(rest);
        let body = strip_repeated_title(&body, title);
        CleanText {
            title: title.to_string(),
            body,
            header,
        }
    }
}

/// Is a trimmed line short enough to be page furniture (and not empty)?
fn could_be_boilerplate(line: &str) -> bool {
    !line.is_empty() && line.len() <= MAX_BOILERPLATE_LINE_BYTES
}

fn strip_repeated_title(body: &str, title: &str) -> String {
    let trimmed = body.trim_start();
    if let Some(first) = trimmed.lines().next() {
        if !title.is_empty() && first.trim() == title {
            return trimmed[first.len()..].trim_start().to_string();
        }
    }
    trimmed.to_string()
}

/// Trims lines and leaves at most one blank line between paragraphs.
pub fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Boilerplate as Rules;

    #[test]
    fn a_wire_signoff_is_not_body_text() {
        let rules = Rules::shipped();
        let clean = |text: &str| rules.clean_body(text).trim_end().to_string();
        assert_eq!(
            clean("Output rose 3 pct in March.\n\nExports fell. REUTER\n"),
            "Output rose 3 pct in March.\n\nExports fell."
        );
        assert_eq!(clean("Exports fell.\n\nReuters\n"), "Exports fell.");
        // A sentence that ends with the word keeps it.
        assert_eq!(
            clean("The figures were confirmed by Reuters\n"),
            "The figures were confirmed by Reuters"
        );
    }
    use super::*;

    #[test]
    fn shipped_rules_compile() {
        let rules = Boilerplate::shipped();
        assert!(rules.is_dropped("- Advertisement -"));
        assert!(!rules.is_dropped("Advertisers pulled out of the market on Monday."));
    }

    #[test]
    fn a_paragraph_that_mentions_google_translate_is_kept() {
        let rules = Boilerplate::shipped();
        assert!(rules.is_dropped(
            "The article has been automatically translated into English by Google Translate."
        ));
        let paragraph = format!(
            "The ministry said on Monday that {} staff now check every text that Google Translate renders.",
            "its translators and their ".repeat(12)
        );
        assert!(paragraph.len() > MAX_BOILERPLATE_LINE_BYTES);
        assert!(!rules.is_dropped(&paragraph));
        let body = format!("First paragraph.\n\n{paragraph}");
        assert!(rules.clean_body(&body).contains("Google Translate renders"));
    }

    #[test]
    fn weather_and_date_headers_are_not_the_title() {
        let text = "-0.6 C\nMonday, March 20, 2023\n\nTroops gather near the border\n\nThe first paragraph.\n";
        let clean = Boilerplate::shipped().split_text(text);
        assert_eq!(clean.title, "Troops gather near the border");
        assert_eq!(clean.body, "The first paragraph.");
        assert_eq!(clean.header, vec!["-0.6 C", "Monday, March 20, 2023"]);
    }

    #[test]
    fn section_label_above_title_is_skipped() {
        let clean = Boilerplate::shipped().split_text("Business\n\nMarkets rally\n\nStocks rose.");
        assert_eq!(clean.title, "Markets rally");
    }

    #[test]
    fn repeated_title_line_is_dropped_from_body() {
        let clean =
            Boilerplate::shipped().split_text("Port reopens\n\nPort reopens\n\nShips sailed.");
        assert_eq!(clean.body, "Ships sailed.");
    }

    #[test]
    fn comment_prompts_ads_and_subscribe_lines_are_removed() {
        let body = "Ministers met in Oslo.\n\n- Advertisement -\n\nPlease enter your comment!\nPlease enter your name here\nSubscribe to our newsletter\n\nThey agreed a plan.";
        let clean = Boilerplate::shipped().clean_body(body);
        assert_eq!(clean, "Ministers met in Oslo.\n\nThey agreed a plan.");
    }

    #[test]
    fn paywall_engagement_and_follow_lines_are_removed() {
        let body = "The council met in Portmere on Monday.\n\
            To view the full story, please subscribe to the Portmere Post.\n\
            If you're already a subscriber, log in above.\n\
            Advertising disclosure: we may earn a commission.\n\
            Credit:\n\
            5 min read\n\
            War der Artikel nützlich?\n\
            Follow us on Twitter and Facebook for more.\n\
            Folgen Sie uns auf Instagram.\n\
            Diese Website verwendet Akismet, um Spam zu reduzieren.\n\
            Follow-up talks with Facebook are planned, the mayor said.\n\
            Contact between the two sides resumed in May.";
        let clean = Boilerplate::shipped().clean_body(body);
        assert_eq!(
            clean,
            "The council met in Portmere on Monday.\n\
             Follow-up talks with Facebook are planned, the mayor said.\n\
             Contact between the two sides resumed in May."
        );
    }

    #[test]
    fn related_articles_tail_is_cut_only_in_second_half() {
        let body = "First long paragraph about the harbour strike and its effects on trade.\n\nSecond paragraph with more detail about the dockers.\n\nRelated Articles\n\nAnother headline\n\nYet another headline";
        let clean = Boilerplate::shipped().clean_body(body);
        assert!(clean.ends_with("about the dockers."), "{clean}");
        let early =
            "Related stories\n\nThe body goes on here for a long while and is the article itself.";
        assert!(Boilerplate::shipped()
            .clean_body(early)
            .contains("goes on here"));
    }

    #[test]
    fn normalize_composes_and_strips_controls() {
        assert_eq!(normalize("Cafe\u{301}\r\nx\u{0}y"), "Café\nx y");
    }
}
