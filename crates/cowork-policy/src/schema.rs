//! The JSON Schema of a policy document, generated from the loader's own types so it cannot
//! drift from what the loader accepts.

use schemars::generate::SchemaSettings;

use crate::load::raw::Document;

/// The JSON Schema (draft-07) of one policy document, pretty-printed. Editors use it through the
/// `# yaml-language-server: $schema=...` modeline; `docs/policy.schema.json` is this text.
pub fn schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Document>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
