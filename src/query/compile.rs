//! From the AST to Tantivy queries.
//!
//! Every text operand is analysed once per language present in the index, because an
//! article's words were stemmed with its own language's stemmer; the variants are ORed.
//! Text matches score with BM25 over body and title (title boosted); filters match
//! without scoring.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::ast::{DateField, Expr, Filter, NearLink, Operand, Scope};
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

/// Compiles queries against one index's fields, languages and entity names.
pub struct Compiler<'a> {
    fields: &'a Fields,
    analyzers: Vec<Analyzer>,
    query_text: &'a str,
    entities: &'a dyn EntityResolver,
    warnings: std::cell::RefCell<Vec<Warning>>,
}

type Clauses = Vec<(Occur, Box<dyn Query>)>;

impl<'a> Compiler<'a> {
    /// A compiler for an index whose articles are in `languages` (ISO 639-1 codes).
    pub fn new(
        fields: &'a Fields,
        languages: &[String],
        query_text: &'a str,
        entities: &'a dyn EntityResolver,
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
            warnings: Default::default(),
        }
    }

    /// Compiles a parsed query.
    pub fn compile(&self, expr: &Expr) -> Result<Compiled, ParseError> {
        let query = self.expr(expr)?;
        Ok(Compiled {
            query,
            ranked: expr.has_text(),
            warnings: self.warnings.take(),
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

    /// One operand in one field, ORed over the index's languages.
    fn operand(&self, field: Field, operand: &Operand) -> Result<Box<dyn Query>, ParseError> {
        match operand {
            Operand::Word { text, .. } => Ok(any_of(
                self.variants(|a| a.terms(text))
                    .iter()
                    .map(|t| terms_query(field, t, 0)),
            )),
            Operand::Phrase { text, slop, .. } => Ok(any_of(
                self.variants(|a| a.terms(text))
                    .iter()
                    .map(|t| terms_query(field, t, *slop)),
            )),
            Operand::Prefix { text, span } => {
                let pattern = format!("{}.*", regex_escape(&fold_word(text)));
                let query = RegexQuery::from_pattern(&pattern, field).map_err(|e| {
                    ParseError::new(
                        self.query_text,
                        *span,
                        format!("cannot search this prefix: {e}"),
                    )
                })?;
                Ok(Box::new(query))
            }
            Operand::Group { alternatives, .. } => {
                let mut clauses: Clauses = Vec::new();
                for alternative in alternatives {
                    clauses.push((Occur::Should, self.operand(field, alternative)?));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
        }
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
        Ok(Box::new(NearQuery::new(
            self.fields.body,
            alternatives,
            links.to_vec(),
        )))
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
