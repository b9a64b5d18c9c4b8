//! The first stage of a search: the query resolved once into a [`Plan`]. It holds the
//! parsed query (with `--from/--to` added as a date filter of the query itself, not as
//! text), the compiled engine query, the entities its names resolved to, the patterns
//! its words make in each language of the index, and typed warnings. Every later stage
//! (collect, passages, highlights, explain) reads the plan; none parses or resolves the
//! query again, so what is highlighted is what was ranked.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use tantivy::query::Query;
use tantivy::Searcher;

use super::passage::{patterns_for, Pattern, PatternContext};
use super::Snapshot;
use crate::analysis::Analyzer;
use crate::entities::extract::EntityExtractor;
use crate::error::{Result, Warning, WarningCode};
use crate::model::EntityKind;
use crate::query::ast::{DateField, Filter, Operand};
use crate::query::compile::{Compiler, EntityResolver, FuzzyExpansions, StoryResolver};
use crate::query::{parse, Expr};
use crate::schema::Fields;

/// Publication days a search is limited to besides its query (`--from`, `--to`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateBounds {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The stories of a snapshot, for `story:` filters.
struct SnapshotStories<'a> {
    snapshot: &'a Snapshot,
    table: Arc<crate::stories::StoryTable>,
}

impl StoryResolver for SnapshotStories<'_> {
    fn members(&self, id: &str) -> Option<Vec<String>> {
        let story = self.table.story_of_id(id)?;
        Some(story.members.iter().map(|m| m.id.clone()).collect())
    }

    fn is_article(&self, id: &str) -> bool {
        let term = tantivy::Term::from_field_text(self.snapshot.store.fields.key, id);
        self.snapshot
            .searcher
            .segment_readers()
            .iter()
            .any(|segment| {
                segment
                    .inverted_index(term.field())
                    .ok()
                    .and_then(|index| index.doc_freq(&term).ok())
                    .is_some_and(|n| n > 0)
            })
    }
}

/// A query resolved against one snapshot of the index.
pub struct Plan {
    /// The query as the user wrote it.
    pub text: String,
    /// The parsed query, with the date bounds ANDed as a filter.
    pub expr: Expr,
    /// False for filter-only queries: they list newest first.
    pub ranked: bool,
    /// Notes for the user; not errors.
    pub warnings: Vec<Warning>,
    query: Box<dyn Query>,
    entities: ResolvedEntities,
    /// What the query's fuzzy words stood for.
    fuzzy: FuzzyExpansions,
    /// The body patterns of the query for each language of the index.
    patterns: Vec<(String, Vec<Pattern>)>,
    pub(super) extractor: Arc<EntityExtractor>,
}

impl Plan {
    /// Parses, resolves and compiles `text` for `snapshot`.
    pub fn new(snapshot: &Snapshot, text: &str, bounds: DateBounds) -> Result<Plan> {
        Plan::of_expr(snapshot, text, with_bounds(parse(text)?, bounds))
    }

    /// A plan that matches every article (newest first): the empty query of a page
    /// that has not searched yet.
    pub fn everything(snapshot: &Snapshot) -> Result<Plan> {
        Plan::of_expr(snapshot, "", Expr::And(Vec::new()))
    }

    fn of_expr(snapshot: &Snapshot, text: &str, expr: Expr) -> Result<Plan> {
        let index_entities = snapshot.entities();
        let recording = Recording {
            inner: &index_entities,
            table: RefCell::default(),
        };
        let vocabulary = snapshot.vocabulary();
        let stories = SnapshotStories {
            snapshot,
            table: snapshot.stories()?,
        };
        let compiled = Compiler::new(
            &snapshot.store.fields,
            &snapshot.languages,
            text,
            &recording,
            &vocabulary,
        )
        .with_stories(&stories)
        .compile(&expr)?;
        let patterns = snapshot
            .languages
            .iter()
            .map(|lang| {
                let analyzer = Analyzer::for_lang(lang);
                let context = PatternContext {
                    analyzer: &analyzer,
                    entities: &recording,
                    fuzzy: &compiled.fuzzy,
                };
                (lang.clone(), patterns_for(&expr, &context))
            })
            .collect();
        let mut warnings = compiled.warnings;
        warnings.extend(capped_prefixes(
            &expr,
            &snapshot.searcher,
            &snapshot.store.fields,
        ));
        Ok(Plan {
            text: text.to_string(),
            ranked: compiled.ranked,
            warnings,
            query: compiled.query,
            entities: recording.table.into_inner(),
            fuzzy: compiled.fuzzy,
            patterns,
            expr,
            extractor: Arc::clone(&snapshot.extractor),
        })
    }

    /// The engine query that selects and scores the matches.
    pub fn query(&self) -> &dyn Query {
        &*self.query
    }

    /// The entity names of the query, as they resolved when the plan was made.
    pub fn entities(&self) -> &dyn EntityResolver {
        &self.entities
    }

    /// The query's body patterns for articles in `lang`.
    pub fn patterns(&self, lang: &str) -> Cow<'_, [Pattern]> {
        match self.patterns.iter().find(|(l, _)| l == lang) {
            Some((_, patterns)) => Cow::Borrowed(patterns),
            // Every language of the index was planned for; an article of another
            // (indexed after the snapshot) still gets its patterns.
            None => {
                let analyzer = Analyzer::for_lang(lang);
                Cow::Owned(patterns_for(&self.expr, &self.pattern_context(&analyzer)))
            }
        }
    }

    /// What patterns for text in `analyzer`'s language are built with.
    pub fn pattern_context<'p>(&'p self, analyzer: &'p Analyzer) -> PatternContext<'p> {
        PatternContext {
            analyzer,
            entities: &self.entities,
            fuzzy: &self.fuzzy,
        }
    }
}

/// `--from/--to` as a date filter ANDed to the query.
fn with_bounds(expr: Expr, bounds: DateBounds) -> Expr {
    if bounds.from.is_none() && bounds.to.is_none() {
        return expr;
    }
    let filter = Expr::Filter(Filter::Date {
        field: DateField::Published,
        from: bounds.from,
        to: bounds.to,
        span: (0, 0),
    });
    match expr {
        Expr::And(mut items) => {
            items.push(filter);
            Expr::And(items)
        }
        other => Expr::And(vec![other, filter]),
    }
}

/// The canonical entities a name stands for.
type Entities = Vec<(EntityKind, String)>;

/// The answers of an entity resolver, kept: a plan asks each name once.
#[derive(Default)]
struct ResolvedEntities {
    named: HashMap<String, Entities>,
    resolved: HashMap<(Option<EntityKind>, String), Entities>,
}

impl EntityResolver for ResolvedEntities {
    fn resolve(&self, kind: Option<EntityKind>, name: &str) -> Vec<(EntityKind, String)> {
        self.resolved
            .get(&(kind, name.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    fn named(&self, name: &str) -> Vec<(EntityKind, String)> {
        self.named.get(name).cloned().unwrap_or_default()
    }
}

/// Asks the index and writes every answer down while the plan is made.
struct Recording<'a> {
    inner: &'a dyn EntityResolver,
    table: RefCell<ResolvedEntities>,
}

impl EntityResolver for Recording<'_> {
    fn resolve(&self, kind: Option<EntityKind>, name: &str) -> Vec<(EntityKind, String)> {
        let key = (kind, name.to_string());
        if let Some(found) = self.table.borrow().resolved.get(&key) {
            return found.clone();
        }
        let found = self.inner.resolve(kind, name);
        self.table.borrow_mut().resolved.insert(key, found.clone());
        found
    }

    fn named(&self, name: &str) -> Vec<(EntityKind, String)> {
        if let Some(found) = self.table.borrow().named.get(name) {
            return found.clone();
        }
        let found = self.inner.named(name);
        self.table
            .borrow_mut()
            .named
            .insert(name.to_string(), found.clone());
        found
    }

    fn suggest(&self, kind: Option<EntityKind>, name: &str) -> Option<String> {
        self.inner.suggest(kind, name)
    }
}

/// Warnings for `prefix*` operands of near: that expand to more words than near: takes.
fn capped_prefixes(expr: &Expr, searcher: &Searcher, fields: &Fields) -> Vec<Warning> {
    use crate::query::near::MAX_PREFIX_TERMS;
    fn prefixes<'e>(operand: &'e Operand, out: &mut Vec<&'e str>) {
        match operand {
            Operand::Prefix { text, .. } => out.push(text),
            Operand::Group { alternatives, .. } => {
                alternatives.iter().for_each(|a| prefixes(a, out))
            }
            _ => {}
        }
    }
    fn near_prefixes<'e>(expr: &'e Expr, out: &mut Vec<&'e str>) {
        match expr {
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| near_prefixes(e, out)),
            Expr::Not(inner) => near_prefixes(inner, out),
            Expr::Near { operands, .. } => operands.iter().for_each(|o| prefixes(o, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    near_prefixes(expr, &mut found);
    let mut warnings = Vec::new();
    for prefix in found {
        let folded = crate::analysis::fold_word(prefix);
        let too_many = searcher.segment_readers().iter().any(|segment| {
            let Ok(index) = segment.inverted_index(fields.body) else {
                return false;
            };
            let Ok(mut stream) = index.terms().range().ge(folded.as_bytes()).into_stream() else {
                return false;
            };
            let mut count = 0;
            while stream.advance() && stream.key().starts_with(folded.as_bytes()) {
                count += 1;
                if count > MAX_PREFIX_TERMS {
                    return true;
                }
            }
            false
        });
        if too_many {
            warnings.push(Warning::new(
                WarningCode::PrefixCapped,
                format!(
                    "{prefix}* starts more than {MAX_PREFIX_TERMS} different words; next to near: only the first {MAX_PREFIX_TERMS} in alphabetical order count. Use a longer prefix for a complete answer"
                ),
            ));
        }
    }
    warnings
}
