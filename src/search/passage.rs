//! dossier's own passage scorer (DESIGN.md "Passages").
//!
//! The stored body of a hit is re-tokenised with the same analyzer used for indexing;
//! every positive clause of the query is located at token positions (a near: clause
//! only where its window holds); candidate passages are the sentences around each
//! occurrence, scored by how many clauses they show, how often, and how close; the best
//! K that do not overlap are returned with highlight byte ranges into the passage text.

use serde::Serialize;

use crate::analysis::{fold_word, Analyzer, Token};
use crate::entities::extract::Mention;
use crate::model::EntityKind;
use crate::query::ast::{Expr, NearLink, Operand, Scope};
use crate::query::compile::{may_name_entity, EntityResolver, FuzzyExpansions};
use crate::query::proximity::{windows, Extent, Window};

/// The longest passage, in bytes of body text (about as many characters in English).
pub const MAX_PASSAGE_BYTES: usize = 240;

/// Occurrences of one clause considered at most (bounds work on huge bodies).
const MAX_OCCURRENCES_PER_CLAUSE: usize = 2_000;

/// The ellipsis marking a cut.
const ELLIPSIS: &str = "…";

/// A highlighted excerpt of a hit's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub text: String,
    /// Byte ranges into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// What to look for in a body, built from the query for one language.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// A sequence of terms (one for a word), allowing `slop` extra words in between.
    Terms { terms: Vec<String>, slop: u32 },
    /// Terms starting with a folded prefix.
    Prefix(String),
    /// Any of several patterns.
    Any(Vec<Pattern>),
    /// A near chain: each neighbour within its link's window.
    Near {
        parts: Vec<Pattern>,
        links: Vec<NearLink>,
    },
    /// Any mention of these entities, however written.
    Entity(Vec<(EntityKind, String)>),
}

/// What patterns are matched against: the body's tokens and its entity mentions.
pub struct Body<'a> {
    pub tokens: &'a [Token],
    pub mentions: &'a [Mention],
}

/// Where a pattern holds: the first and last token positions and the byte spans of the
/// tokens that take part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub first: u32,
    pub last: u32,
    pub spans: Vec<(usize, usize)>,
    /// Words between the parts of a near: match (0 for other patterns).
    pub gap: u32,
    /// The entity, when this is one of its mentions.
    pub entity: Option<(EntityKind, String)>,
}

/// What a query's patterns are built with: the analyzer of the text's language, the
/// entities the query's names stand for, and the terms its fuzzy words stood for (all
/// as the plan resolved them).
#[derive(Clone, Copy)]
pub struct PatternContext<'a> {
    pub analyzer: &'a Analyzer,
    pub entities: &'a dyn EntityResolver,
    pub fuzzy: &'a FuzzyExpansions,
}

/// Which words of an operand also stand for the entities they name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// Capitalised words and phrases (a query's words, SPEC 4).
    Capitalised,
    /// Every word and phrase, any case (the operands of near:).
    Any,
}

/// The positive body clauses of a query.
pub fn patterns_for(expr: &Expr, context: &PatternContext) -> Vec<Pattern> {
    let mut patterns = Vec::new();
    collect_patterns(expr, context, &mut patterns);
    patterns
}

fn collect_patterns(expr: &Expr, context: &PatternContext, out: &mut Vec<Pattern>) {
    match expr {
        Expr::And(items) | Expr::Or(items) => {
            items.iter().for_each(|e| collect_patterns(e, context, out))
        }
        Expr::Not(_)
        | Expr::Filter(_)
        | Expr::Text {
            scope: Scope::Title,
            ..
        } => {}
        Expr::Text { operand, .. } => out.push(operand_pattern(operand, context)),
        Expr::Near { operands, links } => out.push(Pattern::Near {
            parts: operands
                .iter()
                .map(|o| named_pattern(o, context, Naming::Any))
                .collect(),
            links: links.clone(),
        }),
    }
}

/// Does any pattern need the body's entity mentions?
pub fn needs_mentions(patterns: &[Pattern]) -> bool {
    patterns.iter().any(|p| match p {
        Pattern::Entity(_) => true,
        Pattern::Any(inner) | Pattern::Near { parts: inner, .. } => needs_mentions(inner),
        _ => false,
    })
}

/// The pattern of a query's word, phrase, prefix, fuzzy word or group: its text, and for
/// a capitalised word or a phrase that names an entity, any mention of the entity.
pub fn operand_pattern(operand: &Operand, context: &PatternContext) -> Pattern {
    named_pattern(operand, context, Naming::Capitalised)
}

fn named_pattern(operand: &Operand, context: &PatternContext, naming: Naming) -> Pattern {
    let analyzer = context.analyzer;
    let text = match operand {
        Operand::Word { text, .. } => Pattern::Terms {
            terms: analyzer.terms(text),
            slop: 0,
        },
        Operand::Phrase { text, slop, .. } => Pattern::Terms {
            terms: analyzer.terms(text),
            slop: *slop,
        },
        Operand::Prefix { text, .. } => Pattern::Prefix(fold_word(text)),
        Operand::Fuzzy { span, .. } => Pattern::Any(
            context
                .fuzzy
                .terms_of(*span)
                .iter()
                .map(|term| Pattern::Terms {
                    terms: vec![term.clone()],
                    slop: 0,
                })
                .collect(),
        ),
        Operand::Group { alternatives, .. } => {
            return Pattern::Any(
                alternatives
                    .iter()
                    .map(|a| named_pattern(a, context, naming))
                    .collect(),
            )
        }
    };
    let word = match (naming, operand) {
        (Naming::Any, Operand::Word { text, .. } | Operand::Phrase { text, slop: 0, .. }) => {
            Some(text.as_str())
        }
        (Naming::Capitalised, _) => may_name_entity(operand),
        _ => None,
    };
    let named = word.map(|w| context.entities.named(w)).unwrap_or_default();
    if named.is_empty() {
        return text;
    }
    Pattern::Any(vec![text, Pattern::Entity(named)])
}

/// Every place a pattern holds in the body (token index == position).
pub fn find(pattern: &Pattern, body: &Body) -> Vec<Occurrence> {
    let tokens = body.tokens;
    match pattern {
        Pattern::Terms { terms, slop } => find_sequence(terms, *slop, tokens),
        Pattern::Prefix(prefix) => tokens
            .iter()
            .filter(|t| t.term.starts_with(prefix.as_str()))
            .take(MAX_OCCURRENCES_PER_CLAUSE)
            .map(single)
            .collect(),
        Pattern::Any(patterns) => {
            let mut all: Vec<Occurrence> = patterns.iter().flat_map(|p| find(p, body)).collect();
            // A mention within words the text itself matched adds nothing: the words
            // keep their own highlights ("Security Council" as a phrase and an entity).
            let words: Vec<(u32, u32)> = all
                .iter()
                .filter(|o| o.entity.is_none())
                .map(|o| (o.first, o.last))
                .collect();
            all.retain(|o| {
                o.entity.is_none() || !words.iter().any(|&(f, l)| f <= o.first && o.last <= l)
            });
            // The same positions found twice (a word and its entity mention) are one
            // occurrence; the wider highlight wins, and of two as wide the words
            // themselves (the mention stands in only where the text differs).
            all.sort_by_key(|o| {
                (
                    o.first,
                    o.last,
                    std::cmp::Reverse(span_width(o)),
                    o.entity.is_some(),
                )
            });
            all.dedup_by(|later, earlier| {
                later.first == earlier.first && later.last == earlier.last
            });
            all
        }
        Pattern::Near { parts, links } => find_near(parts, links, body),
        Pattern::Entity(names) => body
            .mentions
            .iter()
            .filter(|m| {
                names
                    .iter()
                    .any(|(kind, name)| *kind == m.kind && *name == m.name)
            })
            .filter_map(|m| mention_occurrence(m, tokens))
            .flat_map(mention_edges)
            .collect(),
    }
}

/// Bytes an occurrence's highlights cover, end to end.
fn span_width(occurrence: &Occurrence) -> usize {
    let start = occurrence.spans.iter().map(|s| s.0).min().unwrap_or(0);
    let end = occurrence.spans.iter().map(|s| s.1).max().unwrap_or(0);
    end - start
}

/// A mention counts at its first and at its last word, as its stacked token does in
/// the index (`proximity`): near: measures from the nearer edge. Both keep the whole
/// mention as their highlight.
fn mention_edges(mention: Occurrence) -> Vec<Occurrence> {
    let mut edges = vec![Occurrence {
        last: mention.first,
        ..mention.clone()
    }];
    if mention.last != mention.first {
        edges.push(Occurrence {
            first: mention.last,
            ..mention
        });
    }
    edges
}

/// The token positions a mention covers, with the mention as one highlight.
fn mention_occurrence(mention: &Mention, tokens: &[Token]) -> Option<Occurrence> {
    let first = tokens.partition_point(|t| t.end <= mention.start);
    let last = tokens
        .partition_point(|t| t.start < mention.end)
        .checked_sub(1)?;
    (first <= last && first < tokens.len()).then(|| Occurrence {
        first: first as u32,
        last: last as u32,
        spans: vec![(mention.start, mention.end)],
        gap: 0,
        entity: Some((mention.kind, mention.name.clone())),
    })
}

fn single(token: &Token) -> Occurrence {
    Occurrence {
        first: token.position,
        last: token.position,
        spans: vec![(token.start, token.end)],
        gap: 0,
        entity: None,
    }
}

fn find_sequence(terms: &[String], slop: u32, tokens: &[Token]) -> Vec<Occurrence> {
    let Some(head) = terms.first() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if *token.term != **head {
            continue;
        }
        let limit = (i + terms.len() + slop as usize).min(tokens.len());
        let mut spans = vec![(token.start, token.end)];
        let mut at = i;
        for term in &terms[1..] {
            let next = if slop == 0 {
                (at + 1 < tokens.len() && *tokens[at + 1].term == **term).then_some(at + 1)
            } else {
                (at + 1..limit).find(|&j| *tokens[j].term == **term)
            };
            match next {
                Some(j) => {
                    spans.push((tokens[j].start, tokens[j].end));
                    at = j;
                }
                None => {
                    spans.clear();
                    break;
                }
            }
        }
        if !spans.is_empty() {
            found.push(Occurrence {
                first: i as u32,
                last: at as u32,
                spans,
                gap: 0,
                entity: None,
            });
            if found.len() >= MAX_OCCURRENCES_PER_CLAUSE {
                break;
            }
        }
    }
    found
}

/// A near: chain: the windows `proximity` finds over the parts' occurrences, each with
/// the highlights of the occurrences that take part.
fn find_near(parts: &[Pattern], links: &[NearLink], body: &Body) -> Vec<Occurrence> {
    near_windows(parts, links, body, MAX_OCCURRENCES_PER_CLAUSE)
        .into_iter()
        .map(|(window, taking_part)| {
            let mut spans: Vec<(usize, usize)> = taking_part
                .iter()
                .flat_map(|o| o.spans.iter().copied())
                .collect();
            spans.sort_unstable();
            spans.dedup();
            Occurrence {
                first: window.first,
                last: window.last,
                spans,
                gap: window.gap,
                entity: None,
            }
        })
        .collect()
}

/// The windows of a near: chain in a body (at most `limit`), each with the occurrence
/// of every part that takes part in it.
pub fn near_windows(
    parts: &[Pattern],
    links: &[NearLink],
    body: &Body,
    limit: usize,
) -> Vec<(Window, Vec<Occurrence>)> {
    let mut found: Vec<Vec<Occurrence>> = parts.iter().map(|p| find(p, body)).collect();
    for occurrences in &mut found {
        occurrences.sort_by_key(|o| (o.first, o.last));
        occurrences
            .dedup_by(|later, earlier| later.first == earlier.first && later.last == earlier.last);
    }
    let extents: Vec<Vec<Extent>> = found
        .iter()
        .map(|os| {
            os.iter()
                .map(|o| Extent {
                    first: o.first,
                    last: o.last,
                })
                .collect()
        })
        .collect();
    windows(&extents, links, limit)
        .into_iter()
        .map(|window| {
            let taking_part = window
                .parts
                .iter()
                .enumerate()
                .map(|(k, &p)| found[k][p].clone())
                .collect();
            (window, taking_part)
        })
        .collect()
}

/// Byte ranges of the sentences of `text`: ends after `.`, `!` or `?` (and closing
/// quotes) before white space, and at line breaks.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    const RUN: usize = 32;
    while i < bytes.len() {
        // Skip runs of text with no `\n . ! ?` in them a run at a time (written so that
        // it compiles to a few vector instructions; most bytes of a body are not stops).
        if let Some(run) = bytes.get(i..i + RUN) {
            let stops = run.iter().fold(0u8, |any, &b| {
                any | u8::from(b == b'\n')
                    | u8::from(b == b'.')
                    | u8::from(b == b'!')
                    | u8::from(b == b'?')
            });
            if stops == 0 {
                i += RUN;
                continue;
            }
        }
        let b = bytes[i];
        let end = if b == b'\n' {
            Some(i)
        } else if matches!(b, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
                j += 1;
            }
            for closer in ["”", "’"] {
                if text[j..].starts_with(closer) {
                    j += closer.len();
                }
            }
            (j >= bytes.len() || bytes[j].is_ascii_whitespace()).then_some(j)
        } else {
            None
        };
        if let Some(end) = end {
            push_trimmed(text, start, end, &mut out);
            start = end;
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let slice = &text[start..end];
    let leading = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if !trimmed.is_empty() {
        out.push((start + leading, start + leading + trimmed.len()));
    }
}

struct Candidate {
    start: usize,
    end: usize,
    score: f64,
}

/// Selects up to `k` passages of `body` for the query's patterns.
pub fn select_passages(body: &str, matched: &Body, patterns: &[Pattern], k: usize) -> Vec<Passage> {
    if k == 0 || body.is_empty() {
        return Vec::new();
    }
    let occurrences: Vec<Vec<Occurrence>> = patterns.iter().map(|p| find(p, matched)).collect();
    let sentences = sentences(body);
    let mut candidates = Vec::new();
    for clause in &occurrences {
        for occurrence in clause {
            let (start, end) = passage_range(body, &sentences, occurrence);
            if candidates
                .iter()
                .any(|c: &Candidate| c.start == start && c.end == end)
            {
                continue;
            }
            candidates.push(Candidate {
                start,
                end,
                score: score(&occurrences, start, end),
            });
        }
    }
    if candidates.is_empty() {
        return lead_passage(body, &sentences).into_iter().collect();
    }
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.start.cmp(&b.start)));
    let mut chosen: Vec<&Candidate> = Vec::new();
    for candidate in &candidates {
        if chosen.len() == k {
            break;
        }
        if chosen
            .iter()
            .all(|c| candidate.end <= c.start || candidate.start >= c.end)
        {
            chosen.push(candidate);
        }
    }
    chosen
        .into_iter()
        .map(|c| render(body, c.start, c.end, &occurrences))
        .collect()
}

/// Distinct clauses shown weigh most, then how many matches, then closeness.
fn score(occurrences: &[Vec<Occurrence>], start: usize, end: usize) -> f64 {
    let mut score = 0.0;
    for clause in occurrences {
        let inside: Vec<&Occurrence> = clause.iter().filter(|o| within(o, start, end)).collect();
        if inside.is_empty() {
            continue;
        }
        score += 100.0 + 5.0 * inside.len().min(10) as f64;
        let best_gap = inside.iter().map(|o| o.gap).min().unwrap_or(0);
        score += 10.0 / (1.0 + best_gap as f64);
    }
    score
}

fn within(occurrence: &Occurrence, start: usize, end: usize) -> bool {
    occurrence
        .spans
        .iter()
        .all(|&(s, e)| s >= start && e <= end)
}

/// The sentences around an occurrence, cut to at most [`MAX_PASSAGE_BYTES`] around it.
fn passage_range(
    body: &str,
    sentences: &[(usize, usize)],
    occurrence: &Occurrence,
) -> (usize, usize) {
    let anchor_start = occurrence.spans.iter().map(|s| s.0).min().unwrap_or(0);
    let anchor_end = occurrence.spans.iter().map(|s| s.1).max().unwrap_or(0);
    let first = sentences.partition_point(|s| s.1 <= anchor_start);
    let last = sentences.partition_point(|s| s.1 < anchor_end);
    let start = sentences
        .get(first)
        .map_or(anchor_start, |s| s.0.min(anchor_start));
    let end = sentences
        .get(last)
        .map_or(anchor_end, |s| s.1.max(anchor_end));
    if end - start <= MAX_PASSAGE_BYTES {
        return (start, end);
    }
    cut_around(body, start, end, anchor_start, anchor_end)
}

/// A window of about [`MAX_PASSAGE_BYTES`] inside `start..end` holding the anchor,
/// moved to word boundaries.
fn cut_around(
    body: &str,
    start: usize,
    end: usize,
    anchor_start: usize,
    anchor_end: usize,
) -> (usize, usize) {
    let anchor_len = anchor_end - anchor_start;
    let slack = MAX_PASSAGE_BYTES.saturating_sub(anchor_len);
    let mut left = anchor_start.saturating_sub(slack / 3).max(start);
    let mut right = (left + MAX_PASSAGE_BYTES).max(anchor_end).min(end);
    if right - left < MAX_PASSAGE_BYTES {
        left = right
            .saturating_sub(MAX_PASSAGE_BYTES)
            .max(start)
            .min(anchor_start);
    }
    if left > start {
        left = next_word_start(body, left).min(anchor_start);
    }
    if right < end {
        right = previous_word_end(body, right).max(anchor_end);
    }
    (left, right)
}

fn next_word_start(body: &str, at: usize) -> usize {
    let mut i = at;
    while !body.is_char_boundary(i) {
        i += 1;
    }
    match body[i..].find(char::is_whitespace) {
        Some(space) => {
            let after = i + space;
            after + (body[after..].len() - body[after..].trim_start().len())
        }
        None => i,
    }
}

fn previous_word_end(body: &str, at: usize) -> usize {
    let mut i = at;
    while !body.is_char_boundary(i) {
        i -= 1;
    }
    match body[..i].rfind(char::is_whitespace) {
        Some(space) => body[..space].trim_end().len(),
        None => i,
    }
}

/// The body's opening, for hits matched only by title or filters.
fn lead_passage(body: &str, sentences: &[(usize, usize)]) -> Option<Passage> {
    let first = sentences.first()?;
    let mut end = first.1;
    for sentence in &sentences[1..] {
        if sentence.1 - first.0 > MAX_PASSAGE_BYTES || end - first.0 >= MAX_PASSAGE_BYTES / 2 {
            break;
        }
        end = sentence.1;
    }
    let (start, end) = if end - first.0 > MAX_PASSAGE_BYTES {
        cut_around(body, first.0, end, first.0, first.0)
    } else {
        (first.0, end)
    };
    Some(render(body, start, end, &[]))
}

/// The passage text (line breaks as spaces, `…` where cut) and its highlights: the
/// tokens of every occurrence wholly inside it.
fn render(body: &str, start: usize, end: usize, occurrences: &[Vec<Occurrence>]) -> Passage {
    let cut_left = start > 0 && !starts_sentence(body, start);
    let cut_right = end < body.len() && !ends_sentence(body, end);
    let prefix = if cut_left { ELLIPSIS } else { "" };
    let mut text = String::with_capacity(end - start + 8);
    text.push_str(prefix);
    text.extend(
        body[start..end]
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c }),
    );
    if cut_right {
        text.push_str(ELLIPSIS);
    }
    let mut spans: Vec<(usize, usize)> = occurrences
        .iter()
        .flatten()
        .filter(|o| within(o, start, end))
        .flat_map(|o| o.spans.iter().copied())
        .collect();
    spans.sort_unstable();
    spans.dedup();
    let mut highlights: Vec<[usize; 2]> = Vec::new();
    for (s, e) in spans {
        let (s, e) = (s - start + prefix.len(), e - start + prefix.len());
        match highlights.last_mut() {
            Some(last) if s <= last[1] => last[1] = last[1].max(e),
            _ => highlights.push([s, e]),
        }
    }
    Passage { text, highlights }
}

fn starts_sentence(body: &str, at: usize) -> bool {
    let before = body[..at].trim_end();
    before.is_empty()
        || before.ends_with(['.', '!', '?', '\n', '"', '”'])
        || body[..at].ends_with('\n')
}

fn ends_sentence(body: &str, at: usize) -> bool {
    body[..at]
        .trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’'])
        || body[at..].starts_with('\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn passages(body: &str, query: &str, k: usize) -> Vec<Passage> {
        let analyzer = Analyzer::for_lang("en");
        let expr = parse(query).unwrap();
        let tokens = analyzer.tokens(body);
        let mentions = crate::entities::extract::EntityExtractor::shipped().extract(body);
        let context = PatternContext {
            analyzer: &analyzer,
            entities: &Listed,
            fuzzy: &FuzzyExpansions::default(),
        };
        let patterns = patterns_for(&expr, &context);
        select_passages(
            body,
            &Body {
                tokens: &tokens,
                mentions: &mentions,
            },
            &patterns,
            k,
        )
    }

    /// Resolves names through the shipped lists only.
    struct Listed;

    impl EntityResolver for Listed {
        fn resolve(&self, _: Option<EntityKind>, name: &str) -> Vec<(EntityKind, String)> {
            let gazetteer = crate::entities::gazetteer::Gazetteer::shipped();
            gazetteer
                .lookup(name)
                .map(|(e, _)| vec![(e.kind, e.name.clone())])
                .unwrap_or_default()
        }
    }

    #[test]
    fn near_an_entity_counts_every_mention_and_highlights_it() {
        let body = "Officials spoke. Belarusian troops crossed the river. The weather was fine.";
        let found = passages(body, "troops near/1:Belarus", 1);
        assert_eq!(found.len(), 1);
        assert_eq!(highlighted(&found[0]), vec!["Belarusian", "troops"]);
    }

    fn highlighted(p: &Passage) -> Vec<&str> {
        p.highlights.iter().map(|[s, e]| &p.text[*s..*e]).collect()
    }

    #[test]
    fn passage_is_the_sentence_with_the_match() {
        let body = "Markets were calm. Troops gathered in Belarus on Sunday. Talks resume today.";
        let found = passages(body, "troops", 2);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "Troops gathered in Belarus on Sunday.");
        assert_eq!(highlighted(&found[0]), vec!["Troops"]);
    }

    #[test]
    fn near_highlights_only_the_words_in_the_window() {
        let body = "Troops were seen in the north. Far away, officials in Belarus spoke. Later, Belarusian troops and Belarus officials met.";
        let found = passages(body, "troops near/2:Belarus", 1);
        assert_eq!(found.len(), 1);
        assert!(found[0].text.starts_with("Later"), "{:?}", found[0]);
        // "Belarusian" is a mention of Belarus too: both windows hold.
        assert_eq!(
            highlighted(&found[0]),
            vec!["Belarusian", "troops", "Belarus"]
        );
    }

    #[test]
    fn best_passage_shows_most_clauses_first() {
        let body = "Oil rose. Prices fell. Oil prices steadied after the meeting.";
        let found = passages(body, "oil prices", 2);
        assert_eq!(found[0].text, "Oil prices steadied after the meeting.");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn long_sentences_are_cut_at_word_boundaries_with_ellipsis() {
        let filler = "word ".repeat(100);
        let body = format!("{filler}harbour strike {filler}");
        let found = passages(&body, "harbour", 1);
        let text = &found[0].text;
        assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
        assert!(text.len() <= MAX_PASSAGE_BYTES + 2 * ELLIPSIS.len());
        assert_eq!(highlighted(&found[0]), vec!["harbour"]);
    }

    #[test]
    fn title_only_match_falls_back_to_the_opening() {
        let found = passages("First sentence here. Second one.", "title:zebra", 2);
        assert_eq!(found.len(), 1);
        assert!(found[0].highlights.is_empty());
        assert!(found[0].text.starts_with("First sentence"));
    }

    #[test]
    fn phrase_matches_consecutive_words_only() {
        let body = "The council met. The Security Council voted. Security forces and the council.";
        let found = passages(body, "\"security council\"", 3);
        assert_eq!(found.len(), 1);
        assert_eq!(highlighted(&found[0]), vec!["Security", "Council"]);
    }

    #[test]
    fn long_sentences_split_where_short_ones_do() {
        let long = "word ".repeat(13);
        let text = format!("{long}one. {long}two? {long}\"three!\" {long}four\n{long}five");
        let parts: Vec<String> = sentences(&text)
            .iter()
            .map(|&(s, e)| {
                text[s..e]
                    .split_whitespace()
                    .last()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        assert_eq!(parts, ["one.", "two?", "\"three!\"", "four", "five"]);
    }

    #[test]
    fn sentences_split_on_stops_and_lines() {
        let text = "One. Two? \"Three!\" Four\nFive";
        let parts: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(parts, vec!["One.", "Two?", "\"Three!\"", "Four", "Five"]);
    }
}
