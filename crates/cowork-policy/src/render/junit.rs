//! JUnit XML, for the test reports of CI systems (GitLab's `artifacts: reports: junit:`,
//! Jenkins, Azure Pipelines, CircleCI), which show each failing test with its message.
//!
//! The mapping, chosen so that the report lists every rule whether it fired or not:
//!
//! - one `<testsuite>` per rule, named `CODE name`, in code order, every rule of
//!   [`crate::rules()`] included;
//! - in it, one `<testcase>` per finding of that rule, named `path:line:column (entity)`, with
//!   `classname="cowork-policy.CODE"`;
//! - a finding is a `<failure>` whose `type` is its severity (`error`, `warning` or `info`) and
//!   whose `message` is its message; the body repeats the message with the location, related
//!   locations, help and the rule's documentation. Every finding is a failure whatever its
//!   severity: the exit code, not the test report, decides whether the job fails;
//! - a waived finding is a `<skipped>` test whose message gives the waiver's reason;
//! - a rule with no finding has one passing test case named `no findings`;
//! - YAML files skipped as not policy are `<skipped>` test cases, one per file, in a last suite
//!   named `cowork-policy skipped files`.
//!
//! The elements and attributes are those of Jenkins' `junit-10.xsd`, the schema its xUnit
//! plugin validates reports against (`tests/data/`), and a report that uses more is refused:
//! so no `file` or `line` on a test case, nor `skipped` on `<testsuites>` (each `<testsuite>`
//! counts its skipped tests). GitLab's parser, which validates nothing, reads the same
//! elements; the place of a finding is in its test case's name and in the failure's text.
//!
//! There are no timestamps or durations, so the same report always renders the same XML. Text
//! and attribute values are escaped (`&`, `<`, `>`, `"`, `'`; line breaks and tabs in attributes
//! as character references), and characters that XML 1.0 cannot hold (control characters other
//! than tab and line breaks) become U+FFFD.

use std::fmt::Write;

use crate::diagnostic::{Finding, Report, Waived};
use crate::error::LoadErrors;

use super::CiOptions;

/// Whether XML 1.0 can hold a character at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Escape text content.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// Escape an attribute value (written between double quotes).
fn attribute(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Raw line breaks and tabs in an attribute are read back as spaces.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The opening tag of a test case for a finding.
fn testcase(out: &mut String, finding: &Finding, options: &CiOptions) {
    let mut name = super::position(options, &finding.location);
    if !finding.entity.is_empty() {
        let _ = write!(name, " ({})", finding.entity);
    }
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"cowork-policy.{}\">",
        attribute(&name),
        attribute(finding.code),
    );
}

/// The body of a failure: everything the finding says, as plain text.
fn details(finding: &Finding, options: &CiOptions) -> String {
    let mut body = format!(
        "{}[{}]: {}\n  --> {}",
        finding.severity,
        finding.code,
        finding.message,
        super::position(options, &finding.location)
    );
    if !finding.label.is_empty() {
        let _ = write!(body, ": {}", finding.label);
    }
    for related in &finding.related {
        let _ = write!(
            body,
            "\n  related: {}: {}",
            super::position(options, &related.location),
            related.label
        );
    }
    if let Some(help) = &finding.help {
        let _ = write!(body, "\n  help: {help}");
    }
    let _ = write!(
        body,
        "\n  rule: {} ({})",
        finding.name,
        super::rule_doc_url(finding.code, finding.name)
    );
    body
}

fn waiver_text(waived: &Waived) -> String {
    let waiver = &waived.waiver;
    let mut text = format!("waived: {}", waiver.reason);
    for (key, value) in [
        ("until", &waiver.until),
        ("owner", &waiver.owner),
        ("ticket", &waiver.ticket),
    ] {
        if let Some(value) = value {
            let _ = write!(text, "; {key} {value}");
        }
    }
    text
}

/// Render a report as JUnit XML: a test suite per rule, a failing test case per finding.
pub fn junit(report: &Report, options: &CiOptions) -> String {
    let all = report.every_finding();
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for rule in crate::rules() {
        let findings: Vec<_> = all.iter().filter(|(f, _)| f.code == rule.code()).collect();
        let rule_failures = findings.iter().filter(|(_, w)| w.is_none()).count();
        let rule_skipped = findings.len() - rule_failures;
        let rule_tests = findings.len().max(1);
        tests += rule_tests;
        failures += rule_failures;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{} {}\" tests=\"{rule_tests}\" failures=\"{rule_failures}\" errors=\"0\" skipped=\"{rule_skipped}\">",
            attribute(rule.code()),
            attribute(rule.name()),
        );
        if findings.is_empty() {
            let _ = writeln!(
                suites,
                "    <testcase name=\"no findings\" classname=\"cowork-policy.{}\"/>",
                attribute(rule.code())
            );
        }
        for (finding, waived) in findings {
            testcase(&mut suites, finding, options);
            match waived {
                None => {
                    let _ = writeln!(
                        suites,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        finding.severity,
                        attribute(&finding.message),
                        text(&details(finding, options))
                    );
                }
                Some(waived) => {
                    let _ = writeln!(
                        suites,
                        "      <skipped message=\"{}\">{}</skipped>",
                        attribute(&waiver_text(waived)),
                        text(&details(finding, options))
                    );
                }
            }
            suites.push_str("    </testcase>\n");
        }
        suites.push_str("  </testsuite>\n");
    }
    let files = &report.skipped_files;
    if !files.is_empty() {
        tests += files.len();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"cowork-policy skipped files\" tests=\"{0}\" failures=\"0\" errors=\"0\" skipped=\"{0}\">",
            files.len()
        );
        for file in files {
            let _ = writeln!(
                suites,
                "    <testcase name=\"{}\" classname=\"cowork-policy.skipped\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                attribute(&options.repo_path(file)),
                attribute(super::SKIPPED_NOTE)
            );
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "{HEADER}<testsuites name=\"cowork-policy\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}

/// Render the errors that stopped a policy from loading as JUnit XML: one test suite,
/// `cowork-policy load`, with an `<error>` test case per load error. No rule ran, so no rule's
/// suite appears.
pub fn junit_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let count = errors.errors().len();
    let mut out = format!(
        "{HEADER}<testsuites name=\"cowork-policy\" tests=\"{count}\" failures=\"0\" errors=\"{count}\">\n  <testsuite name=\"cowork-policy load\" tests=\"{count}\" failures=\"0\" errors=\"{count}\" skipped=\"0\">\n"
    );
    for error in errors.errors() {
        let (place, message) = super::concise::located(error, options);
        let mut body = format!("error: {message}\n  --> {place}");
        if let Some(help) = error.help() {
            let _ = write!(body, "\n  help: {help}");
        }
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"cowork-policy.load\">\n      <error type=\"load-error\" message=\"{}\">{}</error>\n    </testcase>",
            attribute(&place),
            attribute(&message),
            text(&body)
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::{attribute, text};

    #[test]
    fn escapes_what_xml_cannot_hold_raw() {
        assert_eq!(text("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert_eq!(
            attribute("say \"hi\"\n'x'\t"),
            "say &quot;hi&quot;&#10;&apos;x&apos;&#9;"
        );
        assert_eq!(text("bell\u{7}"), "bell\u{fffd}");
        assert_eq!(attribute("nul\u{0}"), "nul\u{fffd}");
    }
}
