//! Concise output: one line per finding, for CI logs, editors' "go to error" and `grep`.
//!
//! Each line is `path:line:column: severity[CODE]: message`, the form of rustc's
//! `--error-format=short`: the location first so editors and problem matchers jump to it, then
//! the severity word (a warning does not fail a check by default, so a reader needs to tell them
//! apart), then the rule code and the message. The last line is the summary that the human
//! output ends with. Waived findings are not listed, only counted in the summary: a listed line
//! would read as a problem to every tool that scans for this pattern.

use crate::diagnostic::Report;
use crate::error::{LoadError, LoadErrors};

use super::CiOptions;
use super::sanitize::sanitize;

/// Render a report as one line per finding, then a summary line.
pub fn concise(report: &Report, options: &CiOptions) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let line = format!(
            "{}: {}[{}]: {}",
            super::position(options, &finding.location),
            finding.severity,
            finding.code,
            finding.message
        );
        out.push_str(&sanitize(&line));
        out.push('\n');
    }
    if options.quiet {
        return out;
    }
    out.push_str(&super::human::summary(report));
    if !report.waived.is_empty() {
        out.push_str(&format!(
            "; {} not listed",
            crate::diagnostic::plural(report.waived.len(), "waived finding")
        ));
    }
    out.push('\n');
    out
}

/// Render the errors that stopped a policy from loading, one line each, then a summary line.
/// A line is `path:line:column: error: message (help)`, or `path: error: message (help)` for an
/// error about a whole file or directory.
pub fn concise_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let mut out = String::new();
    for error in errors.errors() {
        let (place, message) = located(error, options);
        let mut line = format!("{place}: error: {message}");
        if let Some(help) = error.help() {
            line.push_str(&format!(" ({help})"));
        }
        out.push_str(&sanitize(&line));
        out.push('\n');
    }
    out.push_str(&format!(
        "could not load the policy: {}\n",
        crate::diagnostic::plural(errors.errors().len(), "error")
    ));
    out
}

/// Where a load error is, as `path:line:column` (relative to the repository root) or the path
/// it names, and its message without that place.
pub(super) fn located(error: &LoadError, options: &CiOptions) -> (String, String) {
    let message = error.message();
    match error.location() {
        Some(location) => (super::position(options, location), message),
        None => {
            let path = error.file();
            let message = message
                .strip_prefix(&format!("{path}: "))
                .map_or(message.clone(), str::to_string);
            (path.to_string(), message)
        }
    }
}
