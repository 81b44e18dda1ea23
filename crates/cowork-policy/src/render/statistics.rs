//! Statistics: how many findings each rule has, for a first look at a large policy or at what a
//! new rule set would report (`check --statistics`).
//!
//! One line per rule and severity, the most frequent first, as ruff and flake8 print theirs:
//! the count right-aligned, a tab, the code, a tab, the severity, a tab, the rule's name. The
//! last line is the summary that the human output ends with, unless [`CiOptions::quiet`].
//! Waived findings are not counted in the table, only in the summary. [`statistics_json`] gives
//! the same rows to tools.

use std::collections::BTreeMap;

use crate::diagnostic::{Report, Severity};

use super::CiOptions;

/// One row per rule and severity, the most frequent first; ties by code.
fn rows(report: &Report) -> Vec<((&'static str, Severity, &'static str), usize)> {
    let mut counts: BTreeMap<(&str, Severity, &str), usize> = BTreeMap::new();
    for finding in &report.findings {
        *counts
            .entry((finding.code, finding.severity, finding.name))
            .or_default() += 1;
    }
    let mut rows: Vec<((&str, Severity, &str), usize)> = counts.into_iter().collect();
    // Most frequent first; the map's order (by code) breaks ties.
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    rows
}

/// The same rows as JSON, for tools (`check --statistics --format json`): an array of
/// `{"code", "name", "severity", "count"}` objects in the table's order, as ruff prints its
/// statistics in JSON.
pub fn statistics_json(report: &Report) -> String {
    let rows: Vec<serde_json::Value> = rows(report)
        .into_iter()
        .map(|((code, severity, name), count)| {
            serde_json::json!({
                "code": code,
                "name": name,
                "severity": severity.as_str(),
                "count": count,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rows).unwrap_or_default();
    text.push('\n');
    text
}

/// Render the number of findings per rule, then a summary line.
pub fn statistics(report: &Report, options: &CiOptions) -> String {
    let rows = rows(report);
    let count_width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let code_width = rows.iter().map(|r| r.0.0.len()).max().unwrap_or(0);
    let severity_width = rows.iter().map(|r| r.0.1.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for ((code, severity, name), count) in rows {
        out.push_str(&format!(
            "{count:>count_width$}\t{code:<code_width$}\t{:<severity_width$}\t{name}\n",
            severity.as_str()
        ));
    }
    if options.quiet {
        return out;
    }
    out.push_str(&super::human::summary(report));
    if !report.waived.is_empty() {
        out.push_str(&format!(
            "; {} not counted",
            crate::diagnostic::plural(report.waived.len(), "waived finding")
        ));
    }
    out.push('\n');
    out
}
