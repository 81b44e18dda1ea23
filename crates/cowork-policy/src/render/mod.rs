//! Renderers: each turns a [`crate::Report`] into one output format. They change how findings
//! look, never which findings exist.

mod human;
mod json;

pub use human::{HumanOptions, human, human_load_errors};
pub use json::{JSON_FORMAT_VERSION, json, json_load_errors};
