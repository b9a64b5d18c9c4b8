//! Rendering results for people ([`human`]) and tools ([`json`]). No engine types here:
//! renderers take the data `search` and `index` return.

pub mod human;
pub mod json;
