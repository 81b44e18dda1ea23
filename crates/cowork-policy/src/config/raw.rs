//! The config file as written: serde types that mirror `cowork-policy.toml` one to one, with the
//! span of every value a message may point at. Their doc comments are the JSON Schema's
//! descriptions (`docs/config.schema.json`), so they are written for the admin editing the file.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;

/// A value with the byte range it was written at. Transparent in TOML and in the schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub(crate) struct Sp<T>(pub toml::Spanned<T>);

impl<T> Sp<T> {
    pub fn value(&self) -> &T {
        self.0.get_ref()
    }

    pub fn span(&self) -> std::ops::Range<usize> {
        self.0.span()
    }
}

crate::schema::transparent_json_schema!(Sp);

/// `cowork-policy.toml`: how `cowork-policy check` checks the policy repo it sits in. Every key is
/// optional; command-line flags override the file, and the file overrides the defaults.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "cowork-policy config")]
pub(crate) struct RawConfig {
    /// The platform profile to check against, in place of the one the policy's `platform:`
    /// section names: `rollout-guide` or `admin-docs-2026`. The policy's overrides of single
    /// facts still apply. Default: the policy's own choice, else `rollout-guide`.
    pub profile: Option<Sp<String>>,
    /// The lowest severity that fails a check: `error` (the default), `warning` or `info`.
    pub fail_level: Option<Sp<RawLevel>>,
    /// The rules to run, by code (`IDP001`), code prefix (`IDP`, `SEAT00`) or name
    /// (`nested-idp-group`). Default: every rule. When a rule matches both `select` and `ignore`,
    /// the more specific selector wins, and `ignore` on a tie.
    pub select: Option<Sp<Vec<Sp<String>>>>,
    /// The rules not to run, by code, code prefix or name.
    pub ignore: Option<Sp<Vec<Sp<String>>>>,
    /// Only read the policy files that match one of these glob patterns, relative to the folder
    /// of this file (`emea/**`). A pattern that names a folder takes everything under it.
    /// Default: every `.yaml` and `.yml` file.
    pub include: Option<Sp<Vec<Sp<String>>>>,
    /// Never read the files that match one of these glob patterns, relative to the folder of
    /// this file (`drafts/**`, `archive`).
    pub exclude: Option<Sp<Vec<Sp<String>>>>,
    /// Per-rule severity, by code, code prefix or name: `error`, `warning`, `info`, or `off` to
    /// drop the rule's findings. The most specific key wins.
    #[serde(default)]
    pub severity: BTreeMap<Sp<String>, Sp<RawSeverity>>,
    /// Options of single rules, by rule name.
    pub rules: Option<Sp<RawRules>>,
    /// How waivers are governed.
    pub waivers: Option<Sp<RawWaivers>>,
    /// Waivers: each accepts the findings of one rule on one entity, for a reason.
    #[serde(default)]
    pub waiver: Vec<Sp<RawWaiver>>,
}

/// A file of waivers named by `[waivers] file`: `[[waiver]]` entries and nothing else.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct RawWaiverFile {
    #[serde(default)]
    pub waiver: Vec<Sp<RawWaiver>>,
}

/// A severity that fails a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "FailLevel")]
pub(crate) enum RawLevel {
    /// Errors fail the check.
    Error,
    /// Warnings and errors fail the check.
    Warning,
    /// Every finding fails the check.
    Info,
}

/// A rule's severity, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "Severity")]
pub(crate) enum RawSeverity {
    /// Report the rule's findings as errors.
    Error,
    /// Report them as warnings.
    Warning,
    /// Report them as infos.
    Info,
    /// Drop them: the rule does not run.
    Off,
}

/// Options of single rules.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Rules")]
pub(crate) struct RawRules {
    /// SEAT002 seat-headroom.
    pub seat_headroom: Option<Sp<RawSeatHeadroom>>,
    /// PLAT001 stale-platform-facts.
    pub stale_platform_facts: Option<Sp<RawStalePlatformFacts>>,
}

/// Options of PLAT001 stale-platform-facts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "StalePlatformFacts")]
pub(crate) struct RawStalePlatformFacts {
    /// Report the platform profile, or the policy's `platform:` overrides, when the day their
    /// facts were last checked is more than this many days before today. Default: 180.
    #[schemars(range(min = 0))]
    pub max_age_days: Option<Sp<i64>>,
}

/// Options of SEAT002 seat-headroom.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "SeatHeadroom")]
pub(crate) struct RawSeatHeadroom {
    /// Warn when an org's SCIM target is above this share of its seats, in percent (0 to 100).
    /// Default: 90.
    #[schemars(range(min = 0, max = 100))]
    pub threshold_percent: Option<Sp<i64>>,
}

/// How waivers are governed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Waivers")]
pub(crate) struct RawWaivers {
    /// Whether `# cowork-policy: allow ...` comments in the policy files may waive findings.
    /// When false, each one is an error (WAIVE001) and waives nothing. Default: true.
    pub inline: Option<Sp<bool>>,
    /// The rules no waiver may accept, by code, code prefix or name. Replaces the default list:
    /// `IDP005`, `RBAC001` and `SEAT001` (the lockout and zero-permission rules).
    pub non_waivable: Option<Sp<Vec<Sp<String>>>>,
    /// A waiver that expires within this many days gets an info finding (WAIVE003). Default: 14.
    #[schemars(range(min = 0))]
    pub expiring_within_days: Option<Sp<i64>>,
    /// A file of `[[waiver]]` entries, relative to this file's folder, read as if its entries
    /// were written here. It must be a regular file of at most 1 MiB in this file's folder or
    /// a folder under it, once links are followed.
    pub file: Option<Sp<String>>,
}

/// A waiver: it accepts the findings of one rule on one entity, for a reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "Waiver", transform = require_reason)]
pub(crate) struct RawWaiver {
    /// The rule, by code (`IDP001`) or name (`nested-idp-group`).
    pub rule: Sp<String>,
    /// The entity, as findings name it: `kind/name`, such as `group/engineering`.
    pub entity: Sp<String>,
    /// Only in this policy file, as findings name it (relative to the checked folder).
    pub file: Option<Sp<String>>,
    /// Why the finding is accepted. Required: a waiver without a reason waives nothing.
    pub reason: Option<Sp<String>>,
    /// The last day the waiver holds, `YYYY-MM-DD` (a TOML date or a string). After it the
    /// finding fails the check again; a malformed date waives nothing.
    pub until: Option<Sp<RawDate>>,
    /// Who answers for the waiver.
    pub owner: Option<Sp<String>>,
    /// The ticket that tracks the fix.
    pub ticket: Option<Sp<String>>,
}

/// The schema says `reason` is required, as it is; the loader reads a missing one so that the
/// waiver stage reports it as a finding (WAIVE001) at the entry, rather than stopping the load.
fn require_reason(schema: &mut Schema) {
    if let Some(required) = schema
        .ensure_object()
        .entry("required")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()))
        .as_array_mut()
    {
        required.push("reason".into());
    }
}

/// A date as written: a TOML local date (`2027-01-31`) or a string (`"2027-01-31"`), kept as
/// text so that a malformed one is reported by the waiver stage, not the loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawDate(pub String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::String(text) => Ok(RawDate(text)),
            toml::Value::Datetime(date) => Ok(RawDate(date.to_string())),
            other => Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Other(other.type_str()),
                &"a date such as 2027-01-31",
            )),
        }
    }
}

impl JsonSchema for RawDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        crate::schema::date()
    }
}
