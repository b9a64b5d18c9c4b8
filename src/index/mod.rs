//! The index: opening and creating it ([`store`]), turning articles into documents
//! ([`document`]), numbering facet values index-wide ([`facet_values`]), one kind per name index-wide ([`kinds`]), knowing what is already indexed ([`state`]) and the writing pipeline
//! ([`writer`]).

pub mod document;
pub mod facet_columns;
pub mod facet_values;
pub mod kinds;
pub mod state;
pub mod store;
pub mod writer;

pub use store::IndexStore;
pub use writer::{
    run_index, IndexRequest, IndexSummary, NoProgress, Progress, DEFAULT_COMMIT_MB, SETTLE,
};
