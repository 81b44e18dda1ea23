//! What the two JSON Schemas (`docs/policy.schema.json` from `load`, `docs/config.schema.json`
//! from `config`) share: the wrapper that keeps spans out of them, the shape of a date, and
//! where they are published. Each reader derives its schema from its own types, so a schema
//! cannot drift from what its reader accepts.

use schemars::{Schema, json_schema};

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

/// Where a schema in `docs/` is published: its file in the repository, as served raw. Both
/// schemas' `$id` and the SchemaStore catalog (`docs/schemastore-catalog.json`) derive from
/// the one repository address, `repository` in the workspace's `Cargo.toml`.
pub(crate) fn published_url(file_name: &str) -> String {
    format!(
        "{}/raw/main/docs/{file_name}",
        env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
    )
}

/// The schema of a date field, which both readers take as text: the calendar date it must be
/// (`format: date`, so an editor that checks formats flags `2026-02-30`), and a pattern for the
/// editors that do not (`2026-13-45`).
pub(crate) fn date() -> Schema {
    json_schema!({
        "description": "A calendar date, `YYYY-MM-DD`.",
        "type": "string",
        "format": "date",
        "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
    })
}
