//! The JSON Schema of a policy document, generated from the loader's own types so it cannot
//! drift from what the loader accepts.

use schemars::generate::SchemaSettings;

/// `impl JsonSchema` for a span-keeping wrapper (`S<T>` of the policy, `Sp<T>` of the config):
/// the schema of the value it wraps, as if the wrapper were not there.
macro_rules! transparent_json_schema {
    ($wrapper:ident) => {
        impl<T: schemars::JsonSchema> schemars::JsonSchema for $wrapper<T> {
            fn inline_schema() -> bool {
                T::inline_schema()
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                T::schema_name()
            }
            fn schema_id() -> std::borrow::Cow<'static, str> {
                T::schema_id()
            }
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                T::json_schema(generator)
            }
        }
    };
}
pub(crate) use transparent_json_schema;

use crate::load::raw::Document;

/// Where a schema in `docs/` is published: its file in the repository, as served raw. Both
/// schemas' `$id` and the SchemaStore catalog (`docs/schemastore-catalog.json`) derive from
/// the one repository address, `repository` in the workspace's `Cargo.toml`.
pub(crate) fn published_url(file_name: &str) -> String {
    format!(
        "{}/raw/main/docs/{file_name}",
        env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
    )
}

/// The JSON Schema (draft-07) of one policy document, pretty-printed. Editors use it through the
/// `# yaml-language-server: $schema=...` modeline; `docs/policy.schema.json` is this text.
pub fn schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<Document>();
    schema.insert("$id".into(), published_url("policy.schema.json").into());
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
