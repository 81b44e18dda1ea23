//! JSON output: a stable, versioned document for tools. `docs/json-format.md` describes it; a
//! change that removes or renames a field bumps [`JSON_FORMAT_VERSION`].

use serde::Serialize;

use crate::diagnostic::{Finding, Report, Severity};
use crate::error::LoadErrors;
use crate::model::Location;

use super::Compared;

/// The version of the JSON output format. Fields are only ever added within a version.
pub const JSON_FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    /// The platform facts the check assumed; absent when the policy did not load.
    #[serde(skip_serializing_if = "Option::is_none")]
    platform: Option<JsonPlatform<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<Vec<JsonFinding<'a>>>,
    /// Present when a waiver accepted at least one finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    waived: Vec<JsonWaived<'a>>,
    #[serde(rename = "loadErrors", skip_serializing_if = "Option::is_none")]
    load_errors: Option<Vec<JsonLoadError>>,
    /// Present when the report was filtered through a baseline.
    #[serde(
        rename = "staleBaselineEntries",
        skip_serializing_if = "Option::is_none"
    )]
    stale_baseline_entries: Option<Vec<JsonBaselineEntry<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonPlatform<'a> {
    profile: &'a str,
    date: &'a str,
    overrides: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    overrides_checked_on: Option<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool {
    name: "cowork-policy",
    version: env!("CARGO_PKG_VERSION"),
};

#[derive(Serialize)]
struct Summary<'a> {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    #[serde(rename = "skippedFiles")]
    skipped_files: &'a [String],
    /// Present when a waiver accepted at least one finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    waived: Option<usize>,
    /// Present with `check --new-since REF`.
    #[serde(rename = "newSince", skip_serializing_if = "Option::is_none")]
    new_since: Option<NewSince<'a>>,
    /// Present with `check --baseline FILE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineSummary<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewSince<'a> {
    revision: &'a str,
    introduced: usize,
    fixed: usize,
    unchanged: usize,
    loaded_at_revision: bool,
}

#[derive(Serialize)]
struct BaselineSummary<'a> {
    file: &'a str,
    hidden: usize,
    stale: usize,
    pruned: bool,
}

#[derive(Serialize)]
struct JsonBaselineEntry<'a> {
    code: &'a str,
    file: &'a str,
    entity: &'a str,
    fingerprint: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLocation<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

impl<'a> From<&'a Location> for JsonLocation<'a> {
    fn from(l: &'a Location) -> Self {
        JsonLocation {
            file: &l.file,
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
        }
    }
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    location: JsonLocation<'a>,
    label: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    location: JsonLocation<'a>,
    label: &'a str,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
    entity: &'a str,
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A waived finding: the finding's fields, and the waiver that accepts it.
#[derive(Serialize)]
struct JsonWaived<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    waiver: JsonWaiver<'a>,
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    reason: &'a str,
    until: Option<&'a str>,
    owner: Option<&'a str>,
    ticket: Option<&'a str>,
    location: Option<JsonLocation<'a>>,
    inline: bool,
}

#[derive(Serialize)]
struct JsonLoadError {
    message: String,
    location: Option<OwnedLocation>,
    help: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OwnedLocation {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

fn to_string(output: &Output<'_>) -> String {
    let mut text = serde_json::to_string_pretty(output).unwrap_or_default();
    text.push('\n');
    text
}

/// Render a report as JSON (format version [`JSON_FORMAT_VERSION`]).
pub fn json(report: &Report) -> String {
    render(report, None)
}

/// Render a report that holds only the new findings as JSON: the same document as [`json`],
/// with what they were compared with in `summary.newSince` or `summary.baseline`, and a
/// baseline's stale entries in `staleBaselineEntries`.
pub fn json_compared(report: &Report, compared: &Compared) -> String {
    render(report, Some(compared))
}

fn render(report: &Report, compared: Option<&Compared>) -> String {
    let findings = report.findings.iter().map(finding).collect();
    let waived = report
        .waived
        .iter()
        .map(|w| JsonWaived {
            finding: finding(&w.finding),
            waiver: JsonWaiver {
                reason: &w.waiver.reason,
                until: w.waiver.until.as_deref(),
                owner: w.waiver.owner.as_deref(),
                ticket: w.waiver.ticket.as_deref(),
                location: w.waiver.location.as_ref().map(Into::into),
                inline: w.waiver.inline,
            },
        })
        .collect();
    let p = &report.platform;
    to_string(&Output {
        version: JSON_FORMAT_VERSION,
        tool: TOOL,
        platform: (!p.profile.is_empty()).then_some(JsonPlatform {
            profile: &p.profile,
            date: &p.date,
            overrides: &p.overrides,
            overrides_checked_on: p.overrides_checked_on.as_deref(),
        }),
        summary: Some(Summary {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            files: report.files,
            skipped_files: &report.skipped_files,
            waived: (!report.waived.is_empty()).then_some(report.waived.len()),
            new_since: match compared {
                Some(Compared::Revision {
                    revision,
                    introduced,
                    fixed,
                    unchanged,
                    loaded,
                }) => Some(NewSince {
                    revision,
                    introduced: *introduced,
                    fixed: *fixed,
                    unchanged: *unchanged,
                    loaded_at_revision: *loaded,
                }),
                _ => None,
            },
            baseline: match compared {
                Some(Compared::Baseline {
                    file,
                    hidden,
                    stale,
                    pruned,
                }) => Some(BaselineSummary {
                    file,
                    hidden: *hidden,
                    stale: stale.len(),
                    pruned: *pruned,
                }),
                _ => None,
            },
        }),
        findings: Some(findings),
        waived,
        load_errors: None,
        stale_baseline_entries: match compared {
            Some(Compared::Baseline { stale, .. }) => Some(
                stale
                    .iter()
                    .map(|e| JsonBaselineEntry {
                        code: &e.code,
                        file: &e.file,
                        entity: &e.entity,
                        fingerprint: &e.fingerprint,
                        message: &e.message,
                    })
                    .collect(),
            ),
            _ => None,
        },
    })
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        code: f.code,
        name: f.name,
        severity: f.severity,
        message: &f.message,
        location: (&f.location).into(),
        label: &f.label,
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                location: (&r.location).into(),
                label: &r.label,
            })
            .collect(),
        help: f.help.as_deref(),
        entity: &f.entity,
    }
}

/// Render load errors as JSON: the same envelope, with `loadErrors` instead of findings.
pub fn json_load_errors(errors: &LoadErrors) -> String {
    let load_errors = errors
        .errors()
        .iter()
        .map(|e| JsonLoadError {
            message: e.message(),
            location: e.location().map(|l| OwnedLocation {
                file: l.file.clone(),
                line: l.line,
                column: l.column,
                end_line: l.end_line,
                end_column: l.end_column,
            }),
            help: e.help().map(str::to_string),
        })
        .collect();
    to_string(&Output {
        version: JSON_FORMAT_VERSION,
        tool: TOOL,
        platform: None,
        summary: None,
        findings: None,
        waived: Vec::new(),
        load_errors: Some(load_errors),
        stale_baseline_entries: None,
    })
}
