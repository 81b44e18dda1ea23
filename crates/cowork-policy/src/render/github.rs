//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
//! which GitHub shows as an annotation on the file and line, in the pull request's diff.
//!
//! ```text
//! ::error file=policies/acme/groups.yaml,line=8,col=20,endLine=8,endColumn=31,title=IDP001 nested-idp-group::group `engineering` nests ...
//! ```
//!
//! - Errors become `::error`, warnings `::warning`, infos `::notice`.
//! - `file` is relative to the repository root, which is what GitHub matches against the diff:
//!   [`CiOptions::path_prefix`] is the policy directory relative to the repository root.
//! - `endColumn` is the column just past the end, as in every other output.
//! - The message is the finding's message, then its help and its related locations, one per
//!   line.
//! - Escaping follows the Actions toolkit (`@actions/core`, `command.ts`): in the message `%`,
//!   CR and LF become `%25`, `%0D` and `%0A`; in property values `:` and `,` also become `%3A`
//!   and `%2C`.
//! - Waived findings are not annotated: an annotation asks for a fix, and a waiver says none is
//!   due. The other formats list them.
//! - YAML files skipped as not policy get one `::notice` line that names them, so a file that
//!   was meant as policy does not drop out of the check unseen.
//! - Nothing else is printed, so the output can go to the log as is. GitHub shows at most 10
//!   annotations of each kind per step, and 50 per job; the log keeps every line.

use crate::diagnostic::{Report, Severity};
use crate::error::LoadErrors;
use crate::model::Location;

use super::CiOptions;
use super::sanitize::sanitize;

/// Escape the message of a workflow command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// `file=...,line=...,col=...,endLine=...,endColumn=...`.
fn place(options: &CiOptions, location: &Location) -> String {
    format!(
        "file={},line={},col={},endLine={},endColumn={}",
        escape_property(&options.repo_path(&location.file)),
        location.line,
        location.column,
        location.end_line,
        location.end_column
    )
}

/// Render a report as GitHub Actions workflow commands, one line per finding that is not
/// waived.
pub fn github(report: &Report, options: &CiOptions) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        // Each line of the message is sanitised, then joined: only these line feeds are ours.
        let mut message = sanitize(&finding.message).into_owned();
        if let Some(help) = &finding.help {
            message.push_str(&format!("\nhelp: {}", sanitize(help)));
        }
        for related in &finding.related {
            let line = format!(
                "{}: {}",
                super::position(options, &related.location),
                related.label
            );
            message.push('\n');
            message.push_str(&sanitize(&line));
        }
        out.push_str(&format!(
            "::{} {},title={}::{}\n",
            command(finding.severity),
            place(options, &finding.location),
            escape_property(&format!("{} {}", finding.code, finding.name)),
            escape_data(&message)
        ));
    }
    if !report.skipped_files.is_empty() {
        let files: Vec<String> = report
            .skipped_files
            .iter()
            .map(|f| options.repo_path(f))
            .collect();
        out.push_str(&format!(
            "::notice title={}::{}\n",
            escape_property(&format!(
                "cowork-policy skipped {}",
                crate::diagnostic::plural(files.len(), "YAML file")
            )),
            escape_data(&format!("{}: {}", super::SKIPPED_NOTE, files.join(", ")))
        ));
    }
    out
}

/// Render the errors that stopped a policy from loading as `::error` workflow commands, on the
/// file and line when the error has them.
pub fn github_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let mut out = String::new();
    for error in errors.errors() {
        let mut message = sanitize(&error.message()).into_owned();
        if let Some(help) = error.help() {
            message.push_str(&format!("\nhelp: {}", sanitize(help)));
        }
        let properties = match error.location() {
            Some(location) => format!("{},", place(options, location)),
            None => String::new(),
        };
        out.push_str(&format!(
            "::error {properties}title={}::{}\n",
            escape_property("cowork-policy could not load the policy"),
            escape_data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("100%: a,b\r\nc"), "100%25: a,b%0D%0Ac");
        assert_eq!(escape_property("100%: a,b\r\nc"), "100%25%3A a%2Cb%0D%0Ac");
        // `%` goes first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
