//! From the AST to Tantivy queries.
//!
//! Every text operand is analysed once per language present in the index, because an
//! article's words were stemmed with its own language's stemmer; the variants are ORed.
//! Text matches score with BM25 over body and title (title boosted); filters match
//! without scoring.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::ast::{DateField, Expr, Filter, NearLink, Operand, Scope, Span};
use super::near::{Alternative, NearQuery};
use super::ParseError;
use crate::analysis::{entity_term, fold_word, Analyzer};
use crate::dates;
use crate::error::{Warning, WarningCode};
use crate::model::EntityKind;
use crate::schema::Fields;

/// How much more a title match weighs than a body match.
pub const TITLE_BOOST: f32 = 2.0;

/// A compiled query and what the search needs to know about it.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// False for filter-only queries: sort by date instead of score.
    pub ranked: bool,
    /// Notes for the user (an unknown entity, say); not errors.
    pub warnings: Vec<Warning>,
    /// What each fuzzy word stood for, so passages light the same words.
    pub fuzzy: FuzzyExpansions,
}

/// The terms each fuzzy operand of a query stood for, by the operand's span.
#[derive(Debug, Clone, Default)]
pub struct FuzzyExpansions(Vec<(Span, Vec<String>)>);

impl FuzzyExpansions {
    /// The terms of the fuzzy operand at `span` (none if it matched nothing).
    pub fn terms_of(&self, span: Span) -> &[String] {
        self.0
            .iter()
            .find(|(s, _)| *s == span)
            .map_or(&[], |(_, terms)| terms.as_slice())
    }
}

/// Turns the id of a `story:` filter into the ids of the story's articles.
pub trait StoryResolver {
    /// Every article of the story `id` names (a story's id or one of its articles'),
    /// when it names a story of two or more articles.
    fn members(&self, id: &str) -> Option<Vec<String>>;

    /// Is `id` the id of an article of the index?
    fn is_article(&self, id: &str) -> bool;
}

/// Stories unknown: every id stands for itself.
pub struct NoStories;

impl StoryResolver for NoStories {
    fn members(&self, _: &str) -> Option<Vec<String>> {
        None
    }

    fn is_article(&self, _: &str) -> bool {
        true
    }
}

/// Turns an entity name from a query into the canonical entities it means.
pub trait EntityResolver {
    /// The entities `name` names (of `kind`, or any kind); empty when none is known.
    fn resolve(&self, kind: Option<EntityKind>, name: &str) -> Vec<(EntityKind, String)>;

    /// The entities a word next to near: names: a listed alias or an exact name, found
    /// without scanning (every word of a near: query is asked).
    fn named(&self, name: &str) -> Vec<(EntityKind, String)> {
        self.resolve(None, name)
    }

    /// The known name closest to an unknown `name` (a typo), if one is close.
    fn suggest(&self, _kind: Option<EntityKind>, _name: &str) -> Option<String> {
        None
    }
}

/// The words an index holds near a given one: what a fuzzy word (`word~2`) stands for.
pub trait Vocabulary {
    /// The index's terms within `distance` edits of `term` (a folded word or a stem),
    /// closest first, and whether more were left out.
    fn within(&self, term: &str, distance: u8) -> Expansion;
}

/// The terms a fuzzy word stands for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    pub terms: Vec<String>,
    /// More terms were within the distance than a fuzzy word takes.
    pub capped: bool,
}

/// No vocabulary: fuzzy words match nothing (for code that has no index at hand).
pub struct NoVocabulary;

impl Vocabulary for NoVocabulary {
    fn within(&self, _: &str, _: u8) -> Expansion {
        Expansion::default()
    }
}

/// The edits a fuzzy word of `letters` letters may have at most, whatever it asks:
/// none for one or two letters, one up to five, else two (as search engines' "auto"
/// fuzziness does: `cat~2` would match most three-letter words).
pub fn edits_allowed(letters: usize, asked: u8) -> u8 {
    let most = match letters {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    asked.min(most)
}

/// Does this operand name an entity as well as text? A capitalised word, or a phrase
/// (SPEC 4); lower-case words stay words ("reading", "turkey").
pub fn may_name_entity(operand: &Operand) -> Option<&str> {
    match operand {
        Operand::Word { text, .. } if text.chars().next().is_some_and(char::is_uppercase) => {
            Some(text)
        }
        Operand::Phrase { text, slop: 0, .. } => Some(text),
        _ => None,
    }
}

/// Compiles queries against one index's fields, languages and entity names.
pub struct Compiler<'a> {
    fields: &'a Fields,
    analyzers: Vec<Analyzer>,
    query_text: &'a str,
    entities: &'a dyn EntityResolver,
    vocabulary: &'a dyn Vocabulary,
    stories: &'a dyn StoryResolver,
    warnings: std::cell::RefCell<Vec<Warning>>,
    fuzzy: std::cell::RefCell<FuzzyExpansions>,
}

type Clauses = Vec<(Occur, Box<dyn Query>)>;

impl<'a> Compiler<'a> {
    /// A compiler for an index whose articles are in `languages` (ISO 639-1 codes).
    pub fn new(
        fields: &'a Fields,
        languages: &[String],
        query_text: &'a str,
        entities: &'a dyn EntityResolver,
        vocabulary: &'a dyn Vocabulary,
    ) -> Compiler<'a> {
        let mut analyzers: Vec<Analyzer> =
            languages.iter().map(|l| Analyzer::for_lang(l)).collect();
        if analyzers.is_empty() {
            analyzers.push(Analyzer::for_lang(crate::analysis::DEFAULT_LANG));
        }
        Compiler {
            fields,
            analyzers,
            query_text,
            entities,
            vocabulary,
            stories: &NoStories,
            warnings: Default::default(),
            fuzzy: Default::default(),
        }
    }

    /// Resolves `story:` filters through `stories` (without, an id stands for itself).
    pub fn with_stories(mut self, stories: &'a dyn StoryResolver) -> Compiler<'a> {
        self.stories = stories;
        self
    }

    /// Compiles a parsed query.
    pub fn compile(&self, expr: &Expr) -> Result<Compiled, ParseError> {
        let query = self.expr(expr)?;
        let mut warnings: Vec<Warning> = Vec::new();
        for warning in self.warnings.take() {
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
        Ok(Compiled {
            query,
            ranked: expr.has_text(),
            warnings,
            fuzzy: self.fuzzy.take(),
        })
    }

    fn expr(&self, expr: &Expr) -> Result<Box<dyn Query>, ParseError> {
        Ok(match expr {
            Expr::And(items) => self.and(items)?,
            Expr::Or(items) => {
                let mut clauses: Clauses = Vec::new();
                for item in items {
                    clauses.push((Occur::Should, self.expr(item)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.expr(inner)?),
            ])),
            Expr::Text { operand, scope } => self.text(operand, *scope)?,
            Expr::Near { operands, links } => self.near(operands, links)?,
            Expr::Filter(filter) => Box::new(ConstScoreQuery::new(self.filter(filter), 0.0)),
        })
    }

    /// AND: negations become MustNot, and a clause list of only negations matches
    /// everything else.
    fn and(&self, items: &[Expr]) -> Result<Box<dyn Query>, ParseError> {
        let mut clauses: Clauses = Vec::new();
        for item in items {
            match item {
                Expr::Not(inner) => clauses.push((Occur::MustNot, self.expr(inner)?)),
                other => clauses.push((Occur::Must, self.expr(other)?)),
            }
        }
        if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn text(&self, operand: &Operand, scope: Scope) -> Result<Box<dyn Query>, ParseError> {
        let body = self.operand(self.fields.body, operand)?;
        let title = self.operand(self.fields.title, operand)?;
        let title: Box<dyn Query> = Box::new(BoostQuery::new(title, TITLE_BOOST));
        Ok(match scope {
            Scope::Title => title,
            Scope::TitleOrBody => Box::new(BooleanQuery::new(vec![
                (Occur::Should, body),
                (Occur::Should, title),
            ])),
        })
    }

    /// One operand in one field, ORed over the index's languages. A capitalised word or
    /// a phrase that names a known entity also matches the entity's mentions, however
    /// written; an article scores by the better of the two, not their sum.
    fn operand(&self, field: Field, operand: &Operand) -> Result<Box<dyn Query>, ParseError> {
        let plain = match operand {
            Operand::Word { text, .. } => any_of(
                self.variants(|a| a.terms(text))
                    .iter()
                    .map(|t| terms_query(field, t, 0)),
            ),
            Operand::Phrase { text, slop, .. } => any_of(
                self.variants(|a| a.terms(text))
                    .iter()
                    .map(|t| terms_query(field, t, *slop)),
            ),
            Operand::Prefix { text, span } => {
                let pattern = format!("{}.*", regex_escape(&fold_word(text)));
                let query = RegexQuery::from_pattern(&pattern, field).map_err(|e| {
                    ParseError::new(
                        self.query_text,
                        *span,
                        format!("cannot search this prefix: {e}"),
                    )
                })?;
                Box::new(query)
            }
            Operand::Fuzzy {
                text,
                distance,
                span,
            } => any_of(
                self.fuzzy_terms(text, *distance, *span)
                    .iter()
                    .map(|t| term_query(field, t)),
            ),
            Operand::Group { alternatives, .. } => {
                let mut clauses: Clauses = Vec::new();
                for alternative in alternatives {
                    clauses.push((Occur::Should, self.operand(field, alternative)?));
                }
                Box::new(BooleanQuery::new(clauses))
            }
        };
        let named = may_name_entity(operand)
            .map(|text| self.entities.named(text))
            .unwrap_or_default();
        if named.is_empty() {
            return Ok(plain);
        }
        let mentions = any_of(
            named
                .iter()
                .map(|(kind, name)| term_query(field, &entity_term(*kind, name))),
        );
        Ok(Box::new(DisjunctionMaxQuery::new(vec![plain, mentions])))
    }

    /// The terms a fuzzy word stands for: those within its edits of the word as typed
    /// (folded) or of its stem in any of the index's languages.
    pub fn fuzzy_terms(&self, text: &str, distance: u8, span: Span) -> Vec<String> {
        let known = self.fuzzy.borrow().terms_of(span).to_vec();
        if !known.is_empty() || self.fuzzy.borrow().0.iter().any(|(s, _)| *s == span) {
            return known;
        }
        let folded = fold_word(text);
        let distance = edits_allowed(folded.chars().count(), distance);
        let mut candidates = vec![folded];
        for terms in self.variants(|a| a.terms(text)) {
            if let [one] = terms.as_slice() {
                if !candidates.contains(one) {
                    candidates.push(one.clone());
                }
            }
        }
        let mut found: Vec<String> = Vec::new();
        let mut capped = false;
        for candidate in candidates {
            let expansion = self.vocabulary.within(&candidate, distance);
            capped |= expansion.capped;
            for term in expansion.terms {
                if !found.contains(&term) {
                    found.push(term);
                }
            }
        }
        if capped {
            let written = self.query_text.get(span.0..span.1).unwrap_or(text);
            self.warnings.borrow_mut().push(Warning::new(
                WarningCode::FuzzyCapped,
                format!(
                    "{written} is near more words than a fuzzy word takes; only the closest count. Write more of the word, or fewer edits, for a complete answer"
                ),
            ));
        }
        self.fuzzy.borrow_mut().0.push((span, found.clone()));
        found
    }

    /// The distinct analyses of something across the index's languages: usually one.
    fn variants<K: PartialEq>(&self, analyse: impl Fn(&Analyzer) -> K) -> Vec<K> {
        let mut distinct: Vec<K> = Vec::new();
        for analyzer in &self.analyzers {
            let key = analyse(analyzer);
            if !distinct.contains(&key) {
                distinct.push(key);
            }
        }
        distinct
    }

    /// A near: chain as dossier's own proximity query over the body (`near.rs`).
    fn near(&self, operands: &[Operand], links: &[NearLink]) -> Result<Box<dyn Query>, ParseError> {
        let mut alternatives = Vec::with_capacity(operands.len());
        for operand in operands {
            let mut found = Vec::new();
            self.near_alternatives(operand, &mut found)?;
            alternatives.push(found);
        }
        // Within the body or within the title, never across the two.
        let body = NearQuery::new(self.fields.body, alternatives.clone(), links.to_vec());
        let title = NearQuery::new(self.fields.title, alternatives, links.to_vec());
        Ok(Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(body) as Box<dyn Query>),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST)),
            ),
        ])))
    }

    /// The ways a near: operand can occur: its words in each language, the mentions of
    /// the entities it names, every term a prefix starts, each member of a group.
    fn near_alternatives(
        &self,
        operand: &Operand,
        out: &mut Vec<Alternative>,
    ) -> Result<(), ParseError> {
        let mut push = |alternative: Alternative| {
            if !out.contains(&alternative) {
                out.push(alternative);
            }
        };
        match operand {
            Operand::Word { text, .. } | Operand::Phrase { text, slop: 0, .. } => {
                for (kind, name) in self.entities.named(text) {
                    push(Alternative::Sequence(vec![entity_term(kind, &name)]));
                }
                for terms in self.variants(|a| a.terms(text)) {
                    if !terms.is_empty() {
                        push(Alternative::Sequence(terms));
                    }
                }
            }
            Operand::Phrase { span, .. } => {
                return Err(ParseError::new(
                    self.query_text,
                    *span,
                    "a phrase with ~N cannot stand next to near:; use near/N: between its words instead",
                ))
            }
            Operand::Prefix { text, .. } => push(Alternative::Prefix(fold_word(text))),
            Operand::Fuzzy {
                text,
                distance,
                span,
            } => {
                for term in self.fuzzy_terms(text, *distance, *span) {
                    push(Alternative::Sequence(vec![term]));
                }
            }
            Operand::Group { alternatives, .. } => {
                for member in alternatives {
                    self.near_alternatives(member, out)?;
                }
            }
        }
        Ok(())
    }

    fn filter(&self, filter: &Filter) -> Box<dyn Query> {
        let fields = self.fields;
        match filter {
            Filter::Entity { kind, name, .. } => {
                let found = self.entities.resolve(*kind, name);
                if found.is_empty() {
                    let what = kind.map_or("entity", EntityKind::as_str);
                    let hint = self
                        .entities
                        .suggest(*kind, name)
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                    self.warnings.borrow_mut().push(Warning::new(
                        WarningCode::UnknownEntity,
                        format!("no {what} named \"{name}\" is known in this index{hint}; that filter matches nothing"),
                    ));
                    return Box::new(EmptyQuery);
                }
                let clauses: Clauses = found
                    .into_iter()
                    .map(|(kind, name)| {
                        let field = match kind {
                            EntityKind::Person => fields.person,
                            EntityKind::Place => fields.place,
                            EntityKind::Org => fields.org,
                        };
                        (Occur::Should, exact(field, &name))
                    })
                    .collect();
                Box::new(BooleanQuery::new(clauses))
            }
            Filter::Source { name, .. } => exact(fields.source, &name.to_lowercase()),
            Filter::Lang { code, .. } => exact(fields.lang, code),
            Filter::Story { id, .. } => {
                let members = match self.stories.members(id) {
                    Some(members) => members,
                    None if self.stories.is_article(id) => vec![id.clone()],
                    None => {
                        self.warnings.borrow_mut().push(Warning::new(
                            WarningCode::UnknownStory,
                            format!("no story or article has the id \"{id}\" in this index; that filter matches nothing"),
                        ));
                        return Box::new(EmptyQuery);
                    }
                };
                let terms = members
                    .iter()
                    .map(|member| Term::from_field_text(fields.key, member));
                Box::new(tantivy::query::TermSetQuery::new(terms))
            }
            Filter::Date {
                field, from, to, ..
            } => {
                let field = match field {
                    DateField::Published => fields.published,
                    DateField::Mentioned => fields.mentioned,
                };
                // Days beyond what the index's dates can hold match as far as they go.
                let bound = |day: Option<jiff::civil::Date>| match day {
                    Some(day) => Bound::Included(Term::from_field_date_for_search(
                        field,
                        dates::to_tantivy(dates::clamp_to_index(day)),
                    )),
                    None => Bound::Unbounded,
                };
                Box::new(RangeQuery::new(bound(*from), bound(*to)))
            }
        }
    }
}

/// One query, or a disjunction of several.
fn any_of(queries: impl Iterator<Item = Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Clauses = queries.map(|q| (Occur::Should, q)).collect();
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(BooleanQuery::new(clauses))
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn term_query(field: Field, term: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, term),
        IndexRecordOption::WithFreqs,
    ))
}

/// A single term, or a phrase of several (a word like "U.S." analyses to two).
fn terms_query(field: Field, terms: &[String], slop: u32) -> Box<dyn Query> {
    match terms {
        [] => Box::new(EmptyQuery),
        [one] => term_query(field, one),
        many => {
            let terms = many
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            let mut phrase = PhraseQuery::new(terms);
            phrase.set_slop(slop);
            Box::new(phrase)
        }
    }
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}
