//! Rendering results for people ([`human`]) and tools ([`json`], [`export`]). No engine
//! types here: renderers take the data `search` and `index` return.

pub mod export;
pub mod human;
pub mod json;
