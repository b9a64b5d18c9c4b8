//! The query parser: text to [`Expr`], with errors that point at a column.
//!
//! Grammar (upper-case words are operators only in upper case):
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*
//! unary   := "NOT" unary | "-" primary | primary
//! primary := "(" or ")" [near-chain] | FIELD ":" value | operand [near-chain]
//! operand := word | prefix* | "phrase"[~N] | "(" a OR b ... ")"
//! near-chain := (("near" | "near/N" | "before" | "before/N") ":" operand)+
//! ```

use super::ast::{DateField, Expr, Filter, NearLink, Operand, Scope, Span};
use super::ParseError;
use crate::model::EntityKind;

/// Words between two near: operands when the query gives no number (SPEC §4).
pub const DEFAULT_NEAR_DISTANCE: u32 = 10;

/// The largest near/before window accepted.
pub const MAX_NEAR_DISTANCE: u32 = 1000;

/// The deepest nesting of parentheses and NOTs accepted.
const MAX_DEPTH: usize = 64;

/// Field names a query may use before a colon.
pub const FIELDS: &[&str] = &[
    "title",
    "person",
    "place",
    "org",
    "actor",
    "source",
    "lang",
    "date",
    "mentioned",
    "story",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Not,
    Minus,
    Word(String),
    Phrase(String, u32),
    Near(NearLink),
    Field(String),
}

#[derive(Debug, Clone)]
struct Lexed {
    tok: Tok,
    span: Span,
}

/// Parses a query. An empty query is an error.
pub fn parse(query: &str) -> Result<Expr, ParseError> {
    let tokens = lex(query)?;
    if tokens.is_empty() {
        return Err(ParseError::new(
            query,
            (0, query.len()),
            "empty query: give words, a phrase or a filter",
        ));
    }
    let mut parser = Parser {
        query,
        tokens,
        at: 0,
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some(extra) = parser.peek() {
        let span = extra.span;
        return Err(ParseError::new(
            query,
            span,
            "unexpected `)` with no `(` before it",
        ));
    }
    Ok(expr)
}

fn lex(query: &str) -> Result<Vec<Lexed>, ParseError> {
    let mut tokens = Vec::new();
    let bytes = query.as_bytes();
    let mut i = 0;
    while i < query.len() {
        let c = query[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        match c {
            '(' => {
                tokens.push(Lexed {
                    tok: Tok::LParen,
                    span: (i, i + 1),
                });
                i += 1;
            }
            ')' => {
                tokens.push(Lexed {
                    tok: Tok::RParen,
                    span: (i, i + 1),
                });
                i += 1;
            }
            '"' => i = lex_phrase(query, i, &mut tokens)?,
            '-' if i + 1 < query.len()
                && !bytes[i + 1].is_ascii_whitespace()
                && bytes[i + 1] != b'-' =>
            {
                tokens.push(Lexed {
                    tok: Tok::Minus,
                    span: (i, i + 1),
                });
                i += 1;
            }
            _ => i = lex_bare(query, i, &mut tokens)?,
        }
    }
    Ok(tokens)
}

fn lex_phrase(query: &str, start: usize, tokens: &mut Vec<Lexed>) -> Result<usize, ParseError> {
    let Some(close) = query[start + 1..].find('"').map(|j| start + 1 + j) else {
        return Err(ParseError::new(
            query,
            (start, start + 1),
            "unclosed quote: add a closing \"",
        ));
    };
    let text = query[start + 1..close].to_string();
    let mut end = close + 1;
    let mut slop = 0;
    if query[end..].starts_with('~') {
        let digits: String = query[end + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            return Err(ParseError::new(
                query,
                (end, end + 1),
                "~ after a phrase needs a number, like \"a b\"~2",
            ));
        }
        slop = digits.parse().map_err(|_| {
            ParseError::new(
                query,
                (end, end + 1 + digits.len()),
                "phrase slop is too large",
            )
        })?;
        end += 1 + digits.len();
    }
    if text.trim().is_empty() {
        return Err(ParseError::new(
            query,
            (start, end),
            "empty phrase: put words between the quotes",
        ));
    }
    tokens.push(Lexed {
        tok: Tok::Phrase(text, slop),
        span: (start, end),
    });
    Ok(end)
}

/// A run of non-space, non-bracket, non-quote characters: a word, an operator, a
/// `field:` or a `near:` (whose value may follow in the same run).
fn lex_bare(query: &str, start: usize, tokens: &mut Vec<Lexed>) -> Result<usize, ParseError> {
    let end = query[start..]
        .find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
        .map_or(query.len(), |j| start + j);
    let run = &query[start..end];
    match run {
        "OR" => tokens.push(Lexed {
            tok: Tok::Or,
            span: (start, end),
        }),
        "AND" => tokens.push(Lexed {
            tok: Tok::And,
            span: (start, end),
        }),
        "NOT" => tokens.push(Lexed {
            tok: Tok::Not,
            span: (start, end),
        }),
        _ => match run.find(':') {
            Some(colon) if colon > 0 => return lex_prefixed(query, start, end, colon, tokens),
            _ => tokens.push(Lexed {
                tok: Tok::Word(run.to_string()),
                span: (start, end),
            }),
        },
    }
    Ok(end)
}

fn lex_prefixed(
    query: &str,
    start: usize,
    end: usize,
    colon: usize,
    tokens: &mut Vec<Lexed>,
) -> Result<usize, ParseError> {
    let head = &query[start..start + colon];
    let head_span = (start, start + colon + 1);
    let value_start = start + colon + 1;
    let tok = if let Some(link) = near_operator(query, head, head_span)? {
        Tok::Near(link)
    } else if FIELDS.contains(&head.to_ascii_lowercase().as_str()) {
        Tok::Field(head.to_ascii_lowercase())
    } else if head.chars().all(char::is_alphabetic) {
        let message = match did_you_mean(head) {
            Some(field) => format!("unknown field \"{head}\" (did you mean {field}?)"),
            None => format!("unknown field \"{head}\" (fields: {})", FIELDS.join(", ")),
        };
        return Err(ParseError::new(query, (start, start + colon), message));
    } else {
        tokens.push(Lexed {
            tok: Tok::Word(query[start..end].to_string()),
            span: (start, end),
        });
        return Ok(end);
    };
    let needs_value = value_start == end;
    let value_follows = query[value_start..].starts_with(['"', '(']);
    if needs_value && !value_follows {
        let what = match &tok {
            Tok::Near(_) => format!("{head}: needs a word or name after it"),
            _ => format!("{head}: needs a value after it, like {head}:NAME"),
        };
        return Err(ParseError::new(query, head_span, what));
    }
    tokens.push(Lexed {
        tok,
        span: head_span,
    });
    if !needs_value {
        tokens.push(Lexed {
            tok: Tok::Word(query[value_start..end].to_string()),
            span: (value_start, end),
        });
    }
    Ok(end)
}

/// `near`, `near/N`, `before`, `before/N` (case-insensitive).
fn near_operator(query: &str, head: &str, span: Span) -> Result<Option<NearLink>, ParseError> {
    let lower = head.to_ascii_lowercase();
    let (name, number) = match lower.split_once('/') {
        Some((name, number)) => (name.to_string(), Some(number.to_string())),
        None => (lower, None),
    };
    let ordered = match name.as_str() {
        "near" => false,
        "before" => true,
        _ => return Ok(None),
    };
    let distance = match number {
        None => DEFAULT_NEAR_DISTANCE,
        Some(n) => n
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= MAX_NEAR_DISTANCE)
            .ok_or_else(|| {
                ParseError::new(query, span, format!("{name}/N: needs a number of words from 0 to {MAX_NEAR_DISTANCE}, like {name}/5:"))
            })?,
    };
    Ok(Some(NearLink { distance, ordered }))
}

fn did_you_mean(head: &str) -> Option<&'static str> {
    let lower = head.to_ascii_lowercase();
    FIELDS
        .iter()
        .map(|f| (strsim::levenshtein(&lower, f), *f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, f)| f)
}

struct Parser<'q> {
    query: &'q str,
    tokens: Vec<Lexed>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Lexed> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Lexed> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn error(&self, span: Span, message: impl Into<String>) -> ParseError {
        ParseError::new(self.query, span, message)
    }

    fn end_span(&self) -> Span {
        (self.query.len(), self.query.len())
    }

    fn at_clause_end(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.tok),
            None | Some(Tok::RParen) | Some(Tok::Or)
        )
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.and()?];
        while let Some(Lexed { tok: Tok::Or, span }) = self.peek().cloned() {
            self.at += 1;
            if self.at_clause_end() {
                return Err(self.error(span, "OR needs something after it"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut items = Vec::new();
        loop {
            match self.peek().cloned() {
                None
                | Some(Lexed {
                    tok: Tok::RParen, ..
                })
                | Some(Lexed { tok: Tok::Or, .. }) => break,
                Some(Lexed {
                    tok: Tok::And,
                    span,
                }) => {
                    self.at += 1;
                    if items.is_empty() {
                        return Err(self.error(span, "AND needs something before it"));
                    }
                    if self.at_clause_end() {
                        return Err(self.error(span, "AND needs something after it"));
                    }
                }
                Some(_) => items.push(self.unary()?),
            }
        }
        match items.len() {
            0 => {
                let span = self.peek().map_or(self.end_span(), |t| t.span);
                Err(self.error(span, "expected a word, phrase or filter here"))
            }
            1 => Ok(items.remove(0)),
            _ => Ok(Expr::And(items)),
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.peek().map_or(self.end_span(), |t| t.span);
            return Err(self.error(
                span,
                format!("query nests deeper than {MAX_DEPTH} levels; simplify it"),
            ));
        }
        let result = match self.peek().cloned() {
            Some(Lexed {
                tok: Tok::Not,
                span,
            }) => {
                self.at += 1;
                if self.at_clause_end() {
                    return Err(self.error(span, "NOT needs something after it"));
                }
                self.unary().map(|e| Expr::Not(Box::new(e)))
            }
            Some(Lexed {
                tok: Tok::Minus, ..
            }) => {
                self.at += 1;
                self.primary().map(|e| Expr::Not(Box::new(e)))
            }
            _ => self.primary(),
        };
        self.depth -= 1;
        result
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let Some(token) = self.next() else {
            return Err(self.error(
                self.end_span(),
                "expected a word, phrase or filter at the end",
            ));
        };
        match token.tok {
            Tok::LParen => {
                let inner = self.or()?;
                match self.next() {
                    Some(Lexed {
                        tok: Tok::RParen,
                        span,
                    }) => {
                        let group_span = (token.span.0, span.1);
                        if matches!(self.peek().map(|t| &t.tok), Some(Tok::Near(_))) {
                            let operand = self.group_operand(inner, group_span)?;
                            return self.near_chain(operand);
                        }
                        Ok(inner)
                    }
                    _ => Err(self.error(token.span, "unclosed parenthesis: add a closing )")),
                }
            }
            Tok::Word(_) | Tok::Phrase(..) => {
                let operand = self.operand_from(token)?;
                if matches!(self.peek().map(|t| &t.tok), Some(Tok::Near(_))) {
                    return self.near_chain(operand);
                }
                Ok(Expr::Text {
                    operand,
                    scope: Scope::TitleOrBody,
                })
            }
            Tok::Field(name) => self.field(&name, token.span),
            Tok::Near(_) => Err(self.error(
                token.span,
                "near: needs a word, phrase or (a OR b) group before it",
            )),
            Tok::RParen => Err(self.error(token.span, "unexpected `)` with no `(` before it")),
            Tok::Or | Tok::And => Err(self.error(token.span, "OR/AND needs something before it")),
            Tok::Not | Tok::Minus => Err(self.error(token.span, "a negation cannot stand here")),
        }
    }

    fn operand_from(&self, token: Lexed) -> Result<Operand, ParseError> {
        match token.tok {
            Tok::Word(text) => {
                if let Some(stem) = text.strip_suffix('*') {
                    let stem = stem.trim_end_matches('*');
                    if stem.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
                        return Err(
                            self.error(token.span, "prefix* needs at least 2 letters before the *")
                        );
                    }
                    return Ok(Operand::Prefix {
                        text: stem.to_string(),
                        span: token.span,
                    });
                }
                if let Some((word, edits)) = text.rsplit_once('~') {
                    let distance = match edits {
                        "" | "2" => 2,
                        "1" => 1,
                        _ => {
                            return Err(self.error(
                                token.span,
                                "~ after a word takes 1 or 2 (edits), like Zelensky~1",
                            ))
                        }
                    };
                    if !word.chars().any(char::is_alphanumeric) {
                        return Err(self.error(
                            token.span,
                            "a fuzzy word needs letters before the ~, like Zelensky~1",
                        ));
                    }
                    return Ok(Operand::Fuzzy {
                        text: word.to_string(),
                        distance,
                        span: token.span,
                    });
                }
                if !text.chars().any(char::is_alphanumeric) {
                    return Err(
                        self.error(token.span, "this has no letters or digits to search for")
                    );
                }
                Ok(Operand::Word {
                    text,
                    span: token.span,
                })
            }
            Tok::Phrase(text, slop) => {
                if !text.chars().any(char::is_alphanumeric) {
                    return Err(self.error(
                        token.span,
                        "this phrase has no letters or digits to search for",
                    ));
                }
                Ok(Operand::Phrase {
                    text,
                    slop,
                    span: token.span,
                })
            }
            _ => Err(self.error(token.span, "expected a word or a \"phrase\" here")),
        }
    }

    /// Turns a parenthesised expression before near: into an OR group of operands.
    fn group_operand(&self, inner: Expr, span: Span) -> Result<Operand, ParseError> {
        let items = match inner {
            Expr::Or(items) => items,
            single => vec![single],
        };
        let mut alternatives = Vec::new();
        for item in items {
            match item {
                Expr::Text {
                    operand,
                    scope: Scope::TitleOrBody,
                } => alternatives.push(operand),
                _ => return Err(self.error(
                    span,
                    "a group next to near: may hold only words, phrases and prefixes joined by OR",
                )),
            }
        }
        Ok(Operand::Group { alternatives, span })
    }

    fn near_chain(&mut self, first: Operand) -> Result<Expr, ParseError> {
        let mut operands = vec![first];
        let mut links = Vec::new();
        while let Some(Lexed {
            tok: Tok::Near(link),
            span,
        }) = self.peek().cloned()
        {
            self.at += 1;
            let operand = match self.next() {
                Some(Lexed {
                    tok: Tok::LParen,
                    span: open,
                }) => {
                    let inner = self.or()?;
                    match self.next() {
                        Some(Lexed {
                            tok: Tok::RParen,
                            span: close,
                        }) => self.group_operand(inner, (open.0, close.1))?,
                        _ => return Err(self.error(open, "unclosed parenthesis: add a closing )")),
                    }
                }
                Some(
                    token @ Lexed {
                        tok: Tok::Word(_) | Tok::Phrase(..),
                        ..
                    },
                ) => self.operand_from(token)?,
                _ => return Err(self.error(span, "near: needs a word or name after it")),
            };
            operands.push(operand);
            links.push(link);
        }
        Ok(Expr::Near { operands, links })
    }

    fn field(&mut self, name: &str, span: Span) -> Result<Expr, ParseError> {
        let value = match self.next() {
            Some(
                token @ Lexed {
                    tok: Tok::Word(_) | Tok::Phrase(..),
                    ..
                },
            ) => token,
            _ => {
                return Err(self.error(
                    span,
                    format!("{name}: needs a value after it, like {name}:NAME"),
                ))
            }
        };
        let value_span = value.span;
        let text = match &value.tok {
            Tok::Word(t) | Tok::Phrase(t, _) => t.trim().to_string(),
            _ => String::new(),
        };
        let filter = match name {
            "title" => {
                return Ok(Expr::Text {
                    operand: self.operand_from(value)?,
                    scope: Scope::Title,
                })
            }
            "person" | "place" | "org" | "actor" => Filter::Entity {
                kind: match name {
                    "person" => Some(EntityKind::Person),
                    "place" => Some(EntityKind::Place),
                    "org" => Some(EntityKind::Org),
                    _ => None,
                },
                name: text,
                span: value_span,
            },
            "source" => Filter::Source {
                name: text,
                span: value_span,
            },
            "lang" => Filter::Lang {
                code: text.to_ascii_lowercase(),
                span: value_span,
            },
            "story" => Filter::Story {
                id: text,
                span: value_span,
            },
            "date" | "mentioned" => {
                let field = if name == "date" {
                    DateField::Published
                } else {
                    DateField::Mentioned
                };
                let (from, to) = parse_date_range(&text).map_err(|m| self.error(value_span, m))?;
                Filter::Date {
                    field,
                    from,
                    to,
                    span: value_span,
                }
            }
            _ => return Err(self.error(span, format!("unknown field \"{name}\""))),
        };
        Ok(Expr::Filter(filter))
    }
}

type DayRange = (Option<jiff::civil::Date>, Option<jiff::civil::Date>);

/// `2022`, `2022-02`, `2022-02-21`, `A..B`, `..B`, `A..` as an inclusive day range.
pub fn parse_date_range(text: &str) -> Result<DayRange, String> {
    if let Some((from, to)) = text.split_once("..") {
        let from = if from.is_empty() {
            None
        } else {
            Some(parse_date_bound(from)?.0)
        };
        let to = if to.is_empty() {
            None
        } else {
            Some(parse_date_bound(to)?.1)
        };
        if from.is_none() && to.is_none() {
            return Err(
                "a date range needs at least one end, like 2022-02-01..2022-02-28".to_string(),
            );
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(format!("date range \"{text}\" ends before it starts"));
            }
        }
        return Ok((from, to));
    }
    let (first, last) = parse_date_bound(text)?;
    Ok((Some(first), Some(last)))
}

/// The first and last day of a year, month or day.
pub fn parse_date_bound(text: &str) -> Result<(jiff::civil::Date, jiff::civil::Date), String> {
    use jiff::civil::Date;
    let bad = || format!("bad date \"{text}\" (use YYYY, YYYY-MM or YYYY-MM-DD)");
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| -> Result<i32, String> {
        if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse::<i32>().map_err(|_| bad())
    };
    let year = number(parts[0], 4)? as i16;
    if year < 1 {
        return Err(format!("bad date \"{text}\": years go from 0001 to 9999"));
    }
    match parts.len() {
        1 => Ok((
            Date::new(year, 1, 1).map_err(|_| bad())?,
            Date::new(year, 12, 31).map_err(|_| bad())?,
        )),
        2 => {
            let month = number(parts[1], 2)? as i8;
            let first = Date::new(year, month, 1).map_err(|_| bad())?;
            Ok((first, first.last_of_month()))
        }
        3 => {
            let day = Date::new(year, number(parts[1], 2)? as i8, number(parts[2], 2)? as i8)
                .map_err(|_| bad())?;
            Ok((day, day))
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(query: &str) -> String {
        parse(query)
            .expect_err("query should not parse")
            .to_string()
    }

    fn word(text: &str, span: Span) -> Operand {
        Operand::Word {
            text: text.into(),
            span,
        }
    }

    #[test]
    fn words_are_anded() {
        let expr = parse("oil prices").unwrap();
        let Expr::And(items) = expr else {
            panic!("expected AND")
        };
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn or_binds_looser_than_and() {
        let expr = parse("a b OR c").unwrap();
        let Expr::Or(items) = expr else {
            panic!("expected OR")
        };
        assert!(matches!(items[0], Expr::And(_)));
    }

    #[test]
    fn minus_and_not_negate() {
        assert!(matches!(parse("-election").unwrap(), Expr::Not(_)));
        let Expr::And(items) = parse("government NOT election").unwrap() else {
            panic!()
        };
        assert!(matches!(items[1], Expr::Not(_)));
    }

    #[test]
    fn hyphenated_words_stay_words() {
        let expr = parse("cease-fire").unwrap();
        assert_eq!(
            expr,
            Expr::Text {
                operand: word("cease-fire", (0, 10)),
                scope: Scope::TitleOrBody
            }
        );
    }

    #[test]
    fn near_with_default_and_given_windows() {
        let expr = parse("troops near:Belarus").unwrap();
        let Expr::Near { operands, links } = expr else {
            panic!("expected near")
        };
        assert_eq!(
            operands,
            vec![word("troops", (0, 6)), word("Belarus", (12, 19))]
        );
        assert_eq!(
            links,
            vec![NearLink {
                distance: DEFAULT_NEAR_DISTANCE,
                ordered: false
            }]
        );
        let Expr::Near { links, .. } = parse("bank near/5:loan").unwrap() else {
            panic!()
        };
        assert_eq!(links[0].distance, 5);
        let Expr::Near { links, .. } = parse("Macron before/5:Putin").unwrap() else {
            panic!()
        };
        assert!(links[0].ordered);
    }

    #[test]
    fn near_takes_phrases_groups_and_chains() {
        let Expr::Near { operands, .. } = parse("\"Security Council\" near:Putin").unwrap() else {
            panic!()
        };
        assert!(matches!(operands[0], Operand::Phrase { .. }));
        let Expr::Near { operands, .. } = parse("(troops OR forces) near/5:Belarus").unwrap()
        else {
            panic!()
        };
        assert!(
            matches!(&operands[0], Operand::Group { alternatives, .. } if alternatives.len() == 2)
        );
        let Expr::Near { operands, links } = parse("a near:b near/3:c").unwrap() else {
            panic!()
        };
        assert_eq!((operands.len(), links.len()), (3, 2));
    }

    #[test]
    fn phrase_slop_and_prefix() {
        assert_eq!(
            parse("\"interest rates\"~2").unwrap(),
            Expr::Text {
                operand: Operand::Phrase {
                    text: "interest rates".into(),
                    slop: 2,
                    span: (0, 18)
                },
                scope: Scope::TitleOrBody
            }
        );
        assert_eq!(
            parse("sanc*").unwrap(),
            Expr::Text {
                operand: Operand::Prefix {
                    text: "sanc".into(),
                    span: (0, 5)
                },
                scope: Scope::TitleOrBody
            }
        );
    }

    #[test]
    fn filters_parse_names_and_dates() {
        let Expr::And(items) = parse("person:\"Jen Psaki\" date:2022-02").unwrap() else {
            panic!()
        };
        assert!(
            matches!(&items[0], Expr::Filter(Filter::Entity { name, .. }) if name == "Jen Psaki")
        );
        let Expr::Filter(Filter::Date { from, to, .. }) = &items[1] else {
            panic!()
        };
        assert_eq!(from.map(|d| d.to_string()).as_deref(), Some("2022-02-01"));
        assert_eq!(to.map(|d| d.to_string()).as_deref(), Some("2022-02-28"));
    }

    #[test]
    fn date_forms() {
        let range = |t: &str| {
            parse_date_range(t).map(|(f, t)| (f.map(|d| d.to_string()), t.map(|d| d.to_string())))
        };
        assert_eq!(
            range("2022").unwrap(),
            (Some("2022-01-01".into()), Some("2022-12-31".into()))
        );
        assert_eq!(range("2024-02").unwrap().1.as_deref(), Some("2024-02-29"));
        assert_eq!(
            range("..2022-03-01").unwrap(),
            (None, Some("2022-03-01".into()))
        );
        assert_eq!(
            range("2022-02-20..").unwrap(),
            (Some("2022-02-20".into()), None)
        );
        assert!(range("2022-02-30").is_err());
        assert!(range("2022-03..2022-01").is_err());
        assert!(range("0000").unwrap_err().contains("0001 to 9999"));
        assert!(range("10000").is_err());
        assert_eq!(
            range("1000..2030").unwrap().0.as_deref(),
            Some("1000-01-01")
        );
    }

    #[test]
    fn fuzzy_words_take_one_or_two_edits() {
        let fuzzy = |q: &str| match parse(q).unwrap() {
            Expr::Text {
                operand: Operand::Fuzzy { text, distance, .. },
                ..
            } => (text, distance),
            other => panic!("{other:?}"),
        };
        assert_eq!(fuzzy("Zelensky~1"), ("Zelensky".to_string(), 1));
        assert_eq!(fuzzy("Zelenskyi~2"), ("Zelenskyi".to_string(), 2));
        assert_eq!(fuzzy("Zelenskyi~"), ("Zelenskyi".to_string(), 2));
        assert!(error("Zelensky~3").contains("1 or 2"));
        assert!(error("~1").contains("letters before"));
        assert!(matches!(
            parse("Blinkin~1 near:visit").unwrap(),
            Expr::Near { .. }
        ));
    }

    #[test]
    fn title_field_scopes_text() {
        assert!(matches!(
            parse("title:strike").unwrap(),
            Expr::Text {
                scope: Scope::Title,
                ..
            }
        ));
    }

    #[test]
    fn error_unclosed_quote() {
        insta::assert_snapshot!(error("\"Security Council"));
    }

    #[test]
    fn error_near_without_word() {
        insta::assert_snapshot!(error("troops near:"));
    }

    #[test]
    fn error_unknown_field_suggests() {
        insta::assert_snapshot!(error("persn:Putin troops"));
    }

    #[test]
    fn error_bad_date() {
        insta::assert_snapshot!(error("troops date:2022-13"));
    }

    #[test]
    fn error_unbalanced_parentheses() {
        insta::assert_snapshot!(error("(oil OR gas"));
        insta::assert_snapshot!(error("oil)"));
    }

    #[test]
    fn error_dangling_operators() {
        insta::assert_snapshot!(error("oil OR"));
        insta::assert_snapshot!(error("AND oil"));
        insta::assert_snapshot!(error("oil NOT"));
    }

    #[test]
    fn error_short_prefix_and_empty() {
        insta::assert_snapshot!(error("a*"));
        insta::assert_snapshot!(error("   "));
        insta::assert_snapshot!(error("near/x:oil"));
    }

    #[test]
    fn error_column_counts_characters() {
        let e = parse("Київ persn:x").unwrap_err();
        assert_eq!(e.column(), 5);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let query = format!("{}oil{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(error(&query).contains("nests deeper"));
        let nots = format!("{}oil", "NOT ".repeat(10_000));
        assert!(error(&nots).contains("nests deeper"));
    }
}
