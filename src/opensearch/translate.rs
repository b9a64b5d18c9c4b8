//! A dossier query as an OpenSearch `_search` body (the README's "Past one machine"
//! table lists each construct's form). Words and phrases are `match`/`match_phrase`
//! over the title (boost 2) and body fields of every language of the index; `near:`
//! and `before:` are `intervals` rules per field, so a window never spans title and
//! body; entity names also match their annotation tokens (or, without the plugin,
//! their aliases as words); filters go to `filter`. What the DSL cannot say is an
//! error naming the construct.

use serde_json::{json, Value};

use super::bulk::annotation_value;
use super::mapping::{body_field, title_field, Flavour};
use crate::dates::Interval;
use crate::entities::extract::EntityExtractor;
use crate::model::EntityKind;
use crate::query::ast::{DateField, Expr, Filter, NearLink, Operand, Scope};
use crate::query::compile::{may_name_entity, EntityResolver};

/// What a translated search asks for besides the query.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub size: usize,
    pub from: usize,
    pub sort: crate::search::Sort,
    /// Facets, with date buckets of this interval and this many values each.
    pub facets: Option<(Interval, usize)>,
    pub collapse: bool,
}

/// A construct the query DSL cannot say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslatable {
    pub construct: String,
    pub reason: String,
}

impl std::fmt::Display for Untranslatable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} cannot be said in the OpenSearch query DSL: {}",
            self.construct, self.reason
        )
    }
}

/// Translates queries for one index (its languages and entity names).
pub struct Translator<'a> {
    pub languages: &'a [String],
    pub entities: &'a dyn EntityResolver,
    pub extractor: &'a EntityExtractor,
    pub flavour: Flavour,
    /// The story id of an article id (its own when it has no copies), for `story:`.
    pub story_of: &'a dyn Fn(&str) -> String,
}

type Translated = Result<Value, Untranslatable>;

impl Translator<'_> {
    /// The whole `_search` body for `expr`.
    pub fn search_body(&self, expr: &Expr, options: &SearchOptions) -> Translated {
        if options.collapse && options.facets.is_some() {
            return Err(Untranslatable {
                construct: "--collapse with --facets".into(),
                reason: "collapse changes the hits only; aggregations would still count \
                         articles, not stories. Ask for the facets without --collapse"
                    .into(),
            });
        }
        let mut body = json!({
            "query": self.expr(expr)?,
            "size": options.size,
            "from": options.from,
            "track_total_hits": true,
            "highlight": {
                "fields": {"title_*": {}, "body_*": {}},
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
            },
        });
        let by_day =
            |order: &str| json!([{"published": {"order": order, "missing": "_last"}}, "_score"]);
        let ranked = expr.has_text();
        match (options.sort, ranked) {
            (crate::search::Sort::Relevance, true) => {
                body["sort"] =
                    json!(["_score", {"published": {"order": "desc", "missing": "_last"}}]);
            }
            (crate::search::Sort::Oldest, _) => body["sort"] = by_day("asc"),
            _ => body["sort"] = by_day("desc"),
        }
        if let Some((interval, size)) = options.facets {
            let (calendar, format) = match interval {
                Interval::Day => ("day", "yyyy-MM-dd"),
                Interval::Month => ("month", "yyyy-MM"),
                Interval::Year => ("year", "yyyy"),
            };
            let mut aggs = serde_json::Map::new();
            for field in ["person", "place", "org", "source"] {
                aggs.insert(
                    field.into(),
                    json!({"terms": {"field": field, "size": size}}),
                );
            }
            for field in ["published", "mentioned"] {
                aggs.insert(
                    field.into(),
                    json!({"date_histogram": {"field": field, "calendar_interval": calendar, "format": format, "min_doc_count": 1}}),
                );
            }
            body["aggs"] = Value::Object(aggs);
        }
        if options.collapse {
            body["collapse"] = json!({"field": "story"});
            body["aggs"] = json!({"stories": {"cardinality": {"field": "story", "precision_threshold": 40000}}});
        }
        Ok(body)
    }

    fn expr(&self, expr: &Expr) -> Translated {
        Ok(match expr {
            Expr::And(items) if items.is_empty() => json!({"match_all": {}}),
            Expr::And(items) => {
                let (mut must, mut filter, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
                for item in items {
                    match item {
                        Expr::Filter(f) => filter.push(self.filter(f)?),
                        Expr::Not(inner) => must_not.push(self.expr(inner)?),
                        other => must.push(self.expr(other)?),
                    }
                }
                let mut clause = serde_json::Map::new();
                for (name, list) in [("must", must), ("filter", filter), ("must_not", must_not)] {
                    if !list.is_empty() {
                        clause.insert(name.into(), Value::Array(list));
                    }
                }
                json!({"bool": clause})
            }
            Expr::Or(items) => {
                let should = items
                    .iter()
                    .map(|i| self.expr(i))
                    .collect::<Result<Vec<_>, _>>()?;
                json!({"bool": {"should": should, "minimum_should_match": 1}})
            }
            Expr::Not(inner) => json!({"bool": {"must_not": [self.expr(inner)?]}}),
            Expr::Filter(filter) => json!({"bool": {"filter": [self.filter(filter)?]}}),
            Expr::Text { operand, scope } => self.text(operand, *scope)?,
            Expr::Near { operands, links } => self.near(operands, links)?,
        })
    }

    /// The (field, boost) pairs text in `scope` is looked for in.
    fn text_fields(&self, scope: Scope) -> Vec<(String, f32)> {
        let mut fields = Vec::new();
        for lang in self.languages {
            fields.push((title_field(lang), 2.0));
            if scope == Scope::TitleOrBody {
                fields.push((body_field(lang), 1.0));
            }
        }
        fields
    }

    fn text(&self, operand: &Operand, scope: Scope) -> Translated {
        let mut should = Vec::new();
        for (field, boost) in self.text_fields(scope) {
            let clause = match operand {
                Operand::Word { text, .. } => {
                    json!({"match": {field.clone(): {"query": text, "boost": boost}}})
                }
                Operand::Phrase { text, slop, .. } => {
                    json!({"match_phrase": {field.clone(): {"query": text, "slop": slop, "boost": boost}}})
                }
                Operand::Prefix { text, .. } => {
                    json!({"prefix": {field.clone(): {"value": text.to_lowercase(), "boost": boost}}})
                }
                Operand::Fuzzy { text, distance, .. } => {
                    json!({"fuzzy": {field.clone(): {"value": text.to_lowercase(), "fuzziness": distance.to_string(), "transpositions": true, "boost": boost}}})
                }
                Operand::Group { .. } => {
                    return Err(Untranslatable {
                        construct: "a ( ... OR ... ) group outside near:".into(),
                        reason: "dossier reads such groups only next to near:".into(),
                    })
                }
            };
            should.push(clause);
            for entity in self.named(operand) {
                should.push(self.entity_clause(&field, boost, &entity));
            }
        }
        Ok(json!({"bool": {"should": should, "minimum_should_match": 1}}))
    }

    /// The entities an operand's text names (capitalised words and phrases).
    fn named(&self, operand: &Operand) -> Vec<(EntityKind, String)> {
        may_name_entity(operand)
            .map(|text| self.entities.named(text))
            .unwrap_or_default()
    }

    /// Every mention of an entity in one field: its annotation token, or its aliases as
    /// phrases without the plugin.
    fn entity_clause(&self, field: &str, boost: f32, entity: &(EntityKind, String)) -> Value {
        match self.flavour {
            Flavour::Annotated => {
                json!({"term": {field: {"value": annotation_value(entity.0, &entity.1), "boost": boost}}})
            }
            Flavour::Plain => {
                let should: Vec<Value> = self
                    .aliases(entity)
                    .into_iter()
                    .map(|alias| json!({"match_phrase": {field: {"query": alias, "boost": boost}}}))
                    .collect();
                json!({"bool": {"should": should, "minimum_should_match": 1}})
            }
        }
    }

    /// An entity's canonical name and every alias and demonym the lists give it.
    fn aliases(&self, entity: &(EntityKind, String)) -> Vec<String> {
        let mut names = vec![entity.1.clone()];
        for (alias, entry, _) in self.extractor.gazetteer().aliases() {
            if entry.kind == entity.0
                && entry.name == entity.1
                && !names.iter().any(|n| n.eq_ignore_ascii_case(alias))
            {
                names.push(alias.to_string());
            }
        }
        names.sort();
        names.dedup();
        names
    }

    fn near(&self, operands: &[Operand], links: &[NearLink]) -> Translated {
        let mut should = Vec::new();
        for (field, boost) in self.text_fields(Scope::TitleOrBody) {
            let mut rule = self.rule(&operands[0])?;
            for (operand, link) in operands[1..].iter().zip(links) {
                rule = json!({"all_of": {
                    "intervals": [rule, self.rule(operand)?],
                    "max_gaps": link.distance,
                    "ordered": link.ordered,
                }});
            }
            let mut query = rule;
            query["boost"] = json!(boost);
            should.push(json!({"intervals": {field: query}}));
        }
        Ok(json!({"bool": {"should": should, "minimum_should_match": 1}}))
    }

    /// An operand as an intervals rule.
    fn rule(&self, operand: &Operand) -> Translated {
        let mut alternatives = match operand {
            Operand::Word { text, .. } => vec![json!({"match": {"query": text}})],
            Operand::Phrase { text, slop: 0, .. } => {
                vec![json!({"match": {"query": text, "max_gaps": 0, "ordered": true}})]
            }
            Operand::Phrase { .. } => {
                return Err(Untranslatable {
                    construct: "a phrase with slop next to near:".into(),
                    reason: "dossier refuses it too: use near/N: between its words".into(),
                })
            }
            Operand::Prefix { text, .. } => {
                vec![json!({"prefix": {"prefix": text.to_lowercase()}})]
            }
            Operand::Fuzzy { text, distance, .. } => vec![json!({"fuzzy": {
                "term": text.to_lowercase(),
                "fuzziness": distance.to_string(),
                "transpositions": true,
            }})],
            Operand::Group { alternatives, .. } => alternatives
                .iter()
                .map(|a| self.rule(a))
                .collect::<Result<Vec<_>, _>>()?,
        };
        if let Operand::Word { text, .. } | Operand::Phrase { text, .. } = operand {
            for entity in self.entities.named(text) {
                match self.flavour {
                    Flavour::Annotated => alternatives.push(json!({"match": {
                        "query": annotation_value(entity.0, &entity.1),
                        "analyzer": "keyword",
                    }})),
                    Flavour::Plain => {
                        for alias in self.aliases(&entity) {
                            alternatives.push(
                                json!({"match": {"query": alias, "max_gaps": 0, "ordered": true}}),
                            );
                        }
                    }
                }
            }
        }
        alternatives.dedup();
        Ok(match alternatives.len() {
            1 => alternatives.remove(0),
            _ => json!({"any_of": {"intervals": alternatives}}),
        })
    }

    fn filter(&self, filter: &Filter) -> Translated {
        Ok(match filter {
            Filter::Entity { kind, name, .. } => {
                let found = self.entities.resolve(*kind, name);
                if found.is_empty() {
                    // As in dossier: an unknown entity matches nothing.
                    return Ok(json!({"bool": {"must_not": [{"match_all": {}}]}}));
                }
                let should: Vec<Value> = found
                    .iter()
                    .map(|(kind, name)| json!({"term": {kind.as_str(): name}}))
                    .collect();
                json!({"bool": {"should": should, "minimum_should_match": 1}})
            }
            Filter::Source { name, .. } => json!({"term": {"source": name.to_lowercase()}}),
            Filter::Lang { code, .. } => json!({"term": {"lang": code}}),
            Filter::Story { id, .. } => json!({"term": {"story": (self.story_of)(id)}}),
            Filter::Date {
                field, from, to, ..
            } => {
                let name = match field {
                    DateField::Published => "published",
                    DateField::Mentioned => "mentioned",
                };
                let mut range = serde_json::Map::new();
                if let Some(from) = from {
                    range.insert("gte".into(), json!(from.to_string()));
                }
                if let Some(to) = to {
                    range.insert("lte".into(), json!(to.to_string()));
                }
                range.insert("format".into(), json!("strict_date"));
                json!({"range": {name: range}})
            }
        })
    }
}
