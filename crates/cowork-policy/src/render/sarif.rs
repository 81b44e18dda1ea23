//! SARIF 2.1.0, the format of GitHub code scanning (`github/codeql-action/upload-sarif`) and of
//! other SARIF viewers. The types below are the subset of the OASIS schema this output uses,
//! written by hand; `crates/cowork-policy/tests/render.rs` validates the output against the
//! official schema.
//!
//! - `runs[0].tool.driver` lists every rule, whether it fired or not: `id` is the code, `name`
//!   the kebab-case name, `shortDescription` the rule's summary, `fullDescription` its "What it
//!   flags" section cut to the 1,024 characters GitHub code scanning accepts, `help` its whole
//!   documentation (the text `cowork-policy explain` prints, in Markdown), `helpUri` its
//!   section of `docs/rules.md`, `defaultConfiguration.level` its default severity, and
//!   `properties.tags` its area. Security rules (`SECURITY_SEVERITY`) also get the `security`
//!   tag and a `security-severity` score, which code scanning ranks them by.
//! - Each finding is a result with `ruleId`, `ruleIndex`, `level` (`error`, `warning`, or
//!   `note` for an info), the message (then its help, on a new line), the location, and the
//!   related locations with their labels. `partialFingerprints["coworkPolicy/v1"]` is the
//!   stable fingerprint (rule, file and entity, no line numbers), for SARIF tools that match
//!   results by it. GitHub code scanning does not: it reads only its own
//!   `primaryLocationLineHash`, which its upload action computes from the source lines.
//! - Paths are relative to the repository root ([`CiOptions::path_prefix`]) and percent-encoded,
//!   with `uriBaseId: "%SRCROOT%"`; columns count Unicode code points (`columnKind`).
//! - A waived finding is a result too, with a `suppressions` entry: `kind` `inSource` for an
//!   inline waiver comment, `external` for a config entry, `status` `accepted`, and the reason
//!   as `justification`. SARIF viewers that read `suppressions` show it as accepted; GitHub
//!   code scanning ignores them, so there it is an open alert like any other.
//! - `invocations[0]` says whether the check ran (`executionSuccessful`) and the command's exit
//!   code, which the caller passes in.
//! - No source text is ever copied in (no `snippet`, no `contextRegion`): a policy may hold
//!   names or comments that must not leave the repository.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::{Finding, Report, Severity, Waived};
use crate::error::LoadErrors;
use crate::model::Location;

use super::CiOptions;

/// The schema the output declares: the OASIS schema the tests validate it against.
const SCHEMA: &str = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";
/// The base every artifact URI is relative to: the repository root.
const SRCROOT: &str = "%SRCROOT%";
/// The key of the fingerprint in `partialFingerprints`. The version changes if the way the
/// fingerprint is computed ever does.
const FINGERPRINT_KEY: &str = "coworkPolicy/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    original_uri_base_ids: BTreeMap<&'static str, BaseId>,
    column_kind: &'static str,
    /// Empty when the policy did not load: code scanning's upload refuses a run without it.
    results: Vec<SarifResult>,
    /// The platform facts the check assumed; left out when the policy did not load.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

#[derive(Serialize)]
struct RunProperties {
    platform: RunPlatform,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunPlatform {
    profile: String,
    date: String,
    overrides: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    overrides_checked_on: Option<String>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Markdown,
    help: Markdown,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    /// For security rules only: how severe, from 0.1 to 10.0, as code scanning reads it.
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct BaseId {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: i32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: DescriptorReference,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct ResultProperties {
    /// The entity the finding is about (`group/engineering`).
    entity: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SarifLocation>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, String>,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The longest `fullDescription.text` GitHub code scanning accepts, in characters.
const FULL_DESCRIPTION_MAX: usize = 1024;

/// The rules whose findings are security problems, with their `security-severity`: GitHub
/// code scanning ranks a score above 9.0 as critical, 7.0 to 8.9 as high, 4.0 to 6.9 as medium
/// and 0.1 to 3.9 as low. `docs/output-formats.md` says why each is here.
const SECURITY_SEVERITY: &[(&str, &str)] = &[
    // Data reaching more people than meant.
    ("CONN001", "7.5"),
    ("CONN003", "7.0"),
    ("RBAC004", "7.5"),
    // Security controls left open.
    ("SEC001", "6.5"),
    ("SEC002", "6.0"),
    ("SEC003", "5.0"),
    // A proxy that blocks what Cowork needs: a control misconfigured, not a hole.
    ("SEC004", "3.0"),
    // A credential committed to the repository.
    ("SEC005", "9.1"),
];

fn security_severity(code: &str) -> Option<&'static str> {
    SECURITY_SEVERITY
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, score)| *score)
}

/// The rule's "What it flags" section, on as few lines as it was written, cut to `max`
/// characters: at the end of the last sentence that fits, else of the last word (then with
/// `…`). A first paragraph that ends with `:` introduces a list, which is kept with it.
fn full_description(doc: &str, max: usize) -> String {
    let body = doc
        .split_once("## What it flags")
        .map_or(doc, |(_, rest)| rest);
    let body = body.split("\n## ").next().unwrap_or("").trim();
    let mut text = String::new();
    for paragraph in body.split("\n\n") {
        if !text.is_empty() {
            if !text.ends_with(':') {
                break;
            }
            text.push_str("\n\n");
        }
        text.push_str(paragraph.trim());
    }
    if text.chars().count() <= max {
        return text;
    }
    let fits: String = text.chars().take(max).collect();
    let sentence = fits
        .char_indices()
        .rev()
        .find(|&(i, c)| c == '.' && fits[i + 1..].starts_with([' ', '\n']))
        .map(|(i, _)| i + 1);
    match sentence {
        Some(end) => fits[..end].to_string(),
        None => {
            let fits: String = text.chars().take(max - 1).collect();
            let end = fits.rfind([' ', '\n']).unwrap_or(fits.len());
            format!("{}…", fits[..end].trim_end_matches([',', ';', ':']))
        }
    }
}

fn driver() -> Driver {
    let rules = crate::rules()
        .map(|rule| {
            let doc = rule.explain();
            let full = full_description(&doc, FULL_DESCRIPTION_MAX);
            let security = security_severity(rule.code());
            let mut tags = vec![rule.area().as_str()];
            if security.is_some() && !tags.contains(&"security") {
                tags.push("security");
            }
            RuleDescriptor {
                id: rule.code(),
                name: rule.name(),
                short_description: Text {
                    text: rule.summary(),
                },
                full_description: Markdown {
                    text: full.clone(),
                    markdown: full,
                },
                help: Markdown {
                    text: doc.clone(),
                    markdown: doc,
                },
                help_uri: super::rule_doc_url(rule.code(), rule.name()),
                default_configuration: Configuration {
                    level: level(rule.severity()),
                },
                properties: RuleProperties {
                    tags,
                    security_severity: security,
                },
            }
        })
        .collect();
    Driver {
        name: "cowork-policy",
        version: env!("CARGO_PKG_VERSION"),
        semantic_version: env!("CARGO_PKG_VERSION"),
        information_uri: super::REPOSITORY,
        rules,
    }
}

fn location(
    options: &CiOptions,
    location: &Location,
    id: Option<usize>,
    label: &str,
) -> SarifLocation {
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: super::uri_path(&options.repo_path(&location.file)),
                uri_base_id: SRCROOT,
            },
            region: Region {
                start_line: location.line,
                start_column: location.column,
                end_line: location.end_line,
                end_column: location.end_column,
            },
        },
        message: (!label.is_empty()).then(|| Text {
            text: label.to_string(),
        }),
    }
}

fn suppression(options: &CiOptions, waived: &Waived) -> Suppression {
    let waiver = &waived.waiver;
    let mut properties = BTreeMap::new();
    for (key, value) in [
        ("until", &waiver.until),
        ("owner", &waiver.owner),
        ("ticket", &waiver.ticket),
    ] {
        if let Some(value) = value {
            properties.insert(key, value.clone());
        }
    }
    Suppression {
        kind: if waiver.inline {
            "inSource"
        } else {
            "external"
        },
        status: "accepted",
        justification: waiver.reason.clone(),
        location: waiver
            .location
            .as_ref()
            .map(|l| location(options, l, None, "")),
        properties,
    }
}

fn result(
    options: &CiOptions,
    finding: &Finding,
    waived: Option<&Waived>,
    fingerprint: String,
) -> SarifResult {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    SarifResult {
        rule_id: finding.code,
        rule_index: crate::rules().position(|r| r.code() == finding.code),
        level: level(finding.severity),
        message: Text { text },
        locations: vec![location(options, &finding.location, None, &finding.label)],
        related_locations: finding
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| location(options, &r.location, Some(i + 1), &r.label))
            .collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        suppressions: waived
            .map(|w| vec![suppression(options, w)])
            .unwrap_or_default(),
        properties: ResultProperties {
            entity: finding.entity.clone(),
        },
    }
}

fn run(
    invocation: Invocation,
    results: Vec<SarifResult>,
    properties: Option<RunProperties>,
) -> String {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool { driver: driver() },
            invocations: vec![invocation],
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseId {
                    description: Text {
                        text: "The root of the repository that holds the policy.".to_string(),
                    },
                },
            )]),
            column_kind: "unicodeCodePoints",
            results,
            properties,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// Render a report as a SARIF 2.1.0 log with one run. `exit_code` is the code the command
/// exits with (0 clean, 1 failing findings), recorded in `invocations[0].exitCode`.
pub fn sarif(report: &Report, options: &CiOptions, exit_code: i32) -> String {
    let all = report.every_finding();
    let fingerprints = crate::fingerprint::fingerprints(&all);
    let results = all
        .iter()
        .zip(fingerprints)
        .map(|((finding, waived), fingerprint)| result(options, finding, *waived, fingerprint))
        .collect();
    // YAML files skipped as not policy, one note each, so a file meant as policy is not lost.
    let skipped = report
        .skipped_files
        .iter()
        .map(|file| Notification {
            level: "note",
            message: Text {
                text: format!(
                    "skipped `{}`: {}",
                    options.repo_path(file),
                    super::SKIPPED_NOTE
                ),
            },
            descriptor: DescriptorReference { id: "skipped-file" },
            locations: Vec::new(),
        })
        .collect();
    run(
        Invocation {
            execution_successful: true,
            exit_code,
            tool_execution_notifications: skipped,
        },
        results,
        (!report.platform.profile.is_empty()).then(|| RunProperties {
            platform: RunPlatform {
                profile: report.platform.profile.clone(),
                date: report.platform.date.clone(),
                overrides: report.platform.overrides.clone(),
                overrides_checked_on: report.platform.overrides_checked_on.clone(),
            },
        }),
    )
}

/// Render the errors that stopped a policy from loading as a SARIF log whose run did not
/// succeed: `invocations[0]` has `executionSuccessful: false`, exit code 2, and one
/// `toolExecutionNotifications` entry per error, at its location when it has one. Its
/// `results` are empty: SARIF has no way to say "not checked" there, and GitHub's upload
/// refuses a run without them ("Missing 'results' array in run"). Code scanning may then take
/// the open alerts as fixed on that branch until a check runs again; the exit code 2 fails the
/// job, so the pull request does not pass.
pub fn sarif_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let notifications = errors
        .errors()
        .iter()
        .map(|error| {
            let mut text = error.message();
            if let Some(help) = error.help() {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            Notification {
                level: "error",
                message: Text { text },
                descriptor: DescriptorReference { id: "load-error" },
                locations: error
                    .location()
                    .map(|l| vec![location(options, l, None, "")])
                    .unwrap_or_default(),
            }
        })
        .collect();
    run(
        Invocation {
            execution_successful: false,
            exit_code: 2,
            tool_execution_notifications: notifications,
        },
        Vec::new(),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::full_description;

    #[test]
    fn full_descriptions_are_cut_at_a_sentence_else_a_word() {
        let doc = "# X\n\n## What it flags\n\nOne sentence. Two words here.\n\nMore.\n\n## Why it matters\n\nNo.";
        assert_eq!(full_description(doc, 100), "One sentence. Two words here.");
        assert_eq!(full_description(doc, 20), "One sentence.");
        assert_eq!(full_description(doc, 12), "One…");
        let list = "## What it flags\n\nTwo kinds:\n\n- a;\n- b.\n\nAfter.\n\n## Example";
        assert_eq!(full_description(list, 100), "Two kinds:\n\n- a;\n- b.");
        let long = format!("## What it flags\n\n{}", "word ".repeat(400));
        let cut = full_description(&long, 1024);
        assert!(
            cut.chars().count() <= 1024 && cut.ends_with("word…"),
            "{cut}"
        );
    }
}
