//! Entities: people, places and organisations, each under one canonical name.
//!
//! [`tokens`] splits text the way NER corpora do; [`tagger`] finds name spans;
//! [`gazetteer`] holds the shipped lists and their aliases; [`lexicon`] turns the lists
//! into tagger features.

pub mod extract;
pub mod foreign;
pub mod furniture;
pub mod gazetteer;
pub mod lexicon;
pub mod not_names;
pub mod tagger;
pub mod tokens;
pub mod user;
