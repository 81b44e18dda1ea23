//! GitLab Code Quality: a JSON array of issues, which a job publishes with
//! `artifacts: reports: codequality:` for the merge request widget and the diff.
//!
//! Each finding is one issue:
//!
//! - `description`: `CODE: message`;
//! - `check_name`: the rule code;
//! - `fingerprint`: the finding's stable fingerprint (rule, file and entity, no line numbers;
//!   see `docs/output-formats.md`), which GitLab uses to tell new issues from fixed ones;
//! - `severity`: `critical` for an error, `minor` for a warning, `info` for an info (GitLab's
//!   scale is `info`, `minor`, `major`, `critical`, `blocker`);
//! - `location`: `path` relative to the repository root and `lines.begin`/`lines.end`.
//!
//! Waived findings are left out: Code Quality has no way to mark an issue as accepted, and
//! GitLab would show it as open.

use serde::Serialize;

use crate::diagnostic::{Report, Severity};
use crate::error::LoadErrors;
use crate::model::Location;

use super::CiOptions;

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

fn location(options: &CiOptions, location: &Location) -> IssueLocation {
    IssueLocation {
        path: options.repo_path(&location.file),
        lines: Lines {
            begin: location.line,
            end: location.end_line,
        },
    }
}

fn to_string(issues: &[Issue]) -> String {
    let mut text = serde_json::to_string_pretty(issues).unwrap_or_default();
    text.push('\n');
    text
}

/// Render a report as a GitLab Code Quality report.
pub fn gitlab(report: &Report, options: &CiOptions) -> String {
    let all = report.every_finding();
    let fingerprints = crate::fingerprint::fingerprints(&all);
    let issues: Vec<Issue> = all
        .iter()
        .zip(fingerprints)
        .filter(|((_, waived), _)| waived.is_none())
        .map(|((finding, _), fingerprint)| Issue {
            description: format!("{}: {}", finding.code, finding.message),
            check_name: finding.code.to_string(),
            fingerprint,
            severity: severity(finding.severity),
            location: location(options, &finding.location),
        })
        .collect();
    to_string(&issues)
}

/// Render the errors that stopped a policy from loading as Code Quality issues of severity
/// `blocker` and check name `load-error`, so the merge request shows why nothing was checked.
/// An error about a whole file or directory is placed on line 1 of the path it names.
pub fn gitlab_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let issues: Vec<Issue> = errors
        .errors()
        .iter()
        .map(|error| {
            let (place, message) = super::concise::located(error, options);
            let mut description = format!("could not load the policy: {message}");
            if let Some(help) = error.help() {
                description.push_str(&format!(" ({help})"));
            }
            let location = match error.location() {
                Some(l) => location(options, l),
                None => IssueLocation {
                    path: place.clone(),
                    lines: Lines { begin: 1, end: 1 },
                },
            };
            Issue {
                fingerprint: format!(
                    "{:016x}",
                    crate::fingerprint::hash(&["load-error", &place, &message])
                ),
                description,
                check_name: "load-error".to_string(),
                severity: "blocker",
                location,
            }
        })
        .collect();
    to_string(&issues)
}
