//! The last stage of a search: what the plan's query marks in a hit's text. Passages,
//! the highlights of a whole body (the article page), and `--explain` all re-analyse the
//! stored text with the hit's language and match the plan's patterns on it, so they show
//! exactly the words that were ranked, a near: query only where its window holds.

use super::explain::{self, Explanation};
use super::passage::{self, needs_mentions, select_passages, Body, Passage};
use super::{Hit, Plan};
use crate::analysis::Analyzer;
use crate::entities::extract::Mention;

/// What to work out from a hit's text.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    pub snippets: usize,
    pub explain: bool,
}

/// A text analysed for matching: its tokens, and its entity mentions when the query
/// needs them.
struct Analysed {
    tokens: Vec<crate::analysis::Token>,
    mentions: Vec<Mention>,
}

impl Plan {
    fn analyse(&self, analyzer: &Analyzer, text: &str, with_mentions: bool) -> Analysed {
        Analysed {
            tokens: analyzer.tokens(text),
            mentions: if with_mentions {
                self.extractor.extract_in(text, analyzer.lang())
            } else {
                Vec::new()
            },
        }
    }

    /// Passages (and the explanation) of a hit, from its stored body.
    pub fn mark(&self, hit: &mut Hit, body: &str, wanted: Wanted) {
        if wanted.snippets == 0 && !wanted.explain {
            return;
        }
        let analyzer = Analyzer::for_lang(&hit.lang);
        let patterns = self.patterns(&hit.lang);
        let text = self.analyse(&analyzer, body, wanted.explain || needs_mentions(&patterns));
        let matched = Body {
            tokens: &text.tokens,
            mentions: &text.mentions,
        };
        hit.snippets = select_passages(body, &matched, &patterns, wanted.snippets);
        if wanted.explain {
            let title_text = self.analyse(&analyzer, &hit.title, true);
            let title = Body {
                tokens: &title_text.tokens,
                mentions: &title_text.mentions,
            };
            let text = explain::HitText {
                body,
                matched: &matched,
                title: &title,
                mentions: &text.mentions,
            };
            hit.explain = Some(self.explain(hit, &text, &analyzer));
        }
    }

    /// Up to `k` passages of a body in `lang`.
    pub fn passages(&self, lang: &str, body: &str, k: usize) -> Vec<Passage> {
        let analyzer = Analyzer::for_lang(lang);
        let patterns = self.patterns(lang);
        let text = self.analyse(&analyzer, body, needs_mentions(&patterns));
        let matched = Body {
            tokens: &text.tokens,
            mentions: &text.mentions,
        };
        select_passages(body, &matched, &patterns, k)
    }

    /// The byte ranges of a body in `lang` that the query matches, in order and merged:
    /// every occurrence of its words, and of a near: clause only the words of windows
    /// where it holds.
    pub fn highlights(&self, lang: &str, body: &str) -> Vec<[usize; 2]> {
        let analyzer = Analyzer::for_lang(lang);
        let patterns = self.patterns(lang);
        let text = self.analyse(&analyzer, body, needs_mentions(&patterns));
        let matched = Body {
            tokens: &text.tokens,
            mentions: &text.mentions,
        };
        let mut spans: Vec<(usize, usize)> = patterns
            .iter()
            .flat_map(|p| passage::find(p, &matched))
            .flat_map(|o| o.spans)
            .collect();
        spans.sort_unstable();
        let mut merged: Vec<[usize; 2]> = Vec::new();
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last[1] => last[1] = last[1].max(end),
                _ => merged.push([start, end]),
            }
        }
        merged
    }

    fn explain(&self, hit: &Hit, text: &explain::HitText, analyzer: &Analyzer) -> Explanation {
        let context = self.pattern_context(analyzer);
        explain::explain(hit, &self.text, &self.expr, text, &context)
    }
}
