//! The query language (SPEC §4): [`ast`] is what a user asked, [`parser`] reads it from
//! text with positioned errors, [`compile`] turns it into Tantivy queries. The parser
//! knows nothing of the engine. [`proximity`] defines what a near: match is, on token
//! positions; [`near`] runs it over the index.

pub mod ast;
pub mod compile;
pub mod deadline;
pub mod edit;
pub mod near;
pub mod parser;
pub mod proximity;

pub use ast::Expr;
pub use parser::parse;

pub use crate::error::ParseError;
