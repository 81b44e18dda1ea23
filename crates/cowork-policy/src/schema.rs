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

/// The JSON Schema (draft-07) of one policy document, pretty-printed. Editors use it through the
/// `# yaml-language-server: $schema=...` modeline; `docs/policy.schema.json` is this text.
pub fn schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Document>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
