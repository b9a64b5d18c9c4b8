//! The query AST: what a user asked for, independent of any engine.

/// A byte range in the query text, for error carets and explanations.
pub type Span = (usize, usize);

/// A parsed query: boolean structure over text matches and filters.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All must match.
    And(Vec<Expr>),
    /// At least one must match.
    Or(Vec<Expr>),
    /// Must not match.
    Not(Box<Expr>),
    /// Text in title or body (or only the title).
    Text { operand: Operand, scope: Scope },
    /// Operands within windows of each other, in a chain: `a near:b near/3:c`.
    Near {
        operands: Vec<Operand>,
        links: Vec<NearLink>,
    },
    /// A filter on article metadata: no effect on ranking.
    Filter(Filter),
}

/// Where text must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    TitleOrBody,
    Title,
}

/// The window between two neighbours of a near chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearLink {
    /// At most this many other words between the two.
    pub distance: u32,
    /// `before/N:` - the left side must come first.
    pub ordered: bool,
}

/// Something that matches text at positions.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// One word as typed (the analyzer may split it: "U.S." -> u, s).
    Word { text: String, span: Span },
    /// `"exact phrase"`, with Lucene slop.
    Phrase { text: String, slop: u32, span: Span },
    /// `prefix*`.
    Prefix { text: String, span: Span },
    /// `word~1`, `word~2` (`word~` is `~2`): words within that many edits.
    Fuzzy {
        text: String,
        distance: u8,
        span: Span,
    },
    /// `( a OR b )` inside a near chain.
    Group {
        alternatives: Vec<Operand>,
        span: Span,
    },
}

impl Operand {
    /// The operand's place in the query text.
    pub fn span(&self) -> Span {
        match self {
            Operand::Word { span, .. }
            | Operand::Phrase { span, .. }
            | Operand::Prefix { span, .. }
            | Operand::Fuzzy { span, .. }
            | Operand::Group { span, .. } => *span,
        }
    }
}

/// A metadata filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `person:`, `place:`, `org:` or `actor:` (kind `None`).
    Entity {
        kind: Option<crate::model::EntityKind>,
        name: String,
        span: Span,
    },
    Source {
        name: String,
        span: Span,
    },
    Lang {
        code: String,
        span: Span,
    },
    /// `story:ID`: every copy of the story ID names (a story's id, or any of its
    /// articles' ids).
    Story {
        id: String,
        span: Span,
    },
    /// `date:` (published) or `mentioned:`: an inclusive day range, open ends allowed.
    Date {
        field: DateField,
        from: Option<jiff::civil::Date>,
        to: Option<jiff::civil::Date>,
        span: Span,
    },
}

/// Which date a date filter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Published,
    Mentioned,
}

impl Expr {
    /// Does this expression contain any text match (so results can be ranked)?
    pub fn has_text(&self) -> bool {
        match self {
            Expr::And(items) | Expr::Or(items) => items.iter().any(Expr::has_text),
            Expr::Not(_) | Expr::Filter(_) => false,
            Expr::Text { .. } | Expr::Near { .. } => true,
        }
    }
}
