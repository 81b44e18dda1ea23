//! A Markdown summary, for a pull-request comment or a GitHub Actions job summary
//! (`$GITHUB_STEP_SUMMARY`), written for GitHub Flavored Markdown.
//!
//! It opens with a headline that counts findings by severity (and waived ones), then a table
//! of findings (severity, the rule code linked to its documentation, `file:line` linked to the
//! line when [`CiOptions::link_base`] is set, the message), then one collapsed `<details>` block
//! per finding that has a help text or related locations, then a collapsed table of waived
//! findings with their waivers. With no findings it says so in one line.
//!
//! Every text that comes from a policy is sanitised to one line (`render::sanitize`), then
//! escaped for GitHub Flavored Markdown: user values the messages put in backticks become code
//! spans fenced with more backticks than they hold (with `|` escaped, which tables need even
//! there); everything else has Markdown's and HTML's special characters backslash-escaped; the
//! `<summary>` lines, where GitHub reads no Markdown, are HTML-escaped. So a group named
//! `<img src=x>`, `a|b` or ``r`ole`` cannot break the table, leave its code span or inject
//! HTML. `render::diff_markdown` uses the same escaping.

use std::fmt::Write;

use crate::diagnostic::{Finding, Report, plural};
use crate::error::LoadErrors;
use crate::model::Location;

use super::sanitize::sanitize;
use super::{CiOptions, Compared};

/// Escape plain text for GitHub Flavored Markdown, in a table cell or a list item: sanitised
/// to one line ([`sanitize`]), then every character that could start Markdown or HTML
/// (emphasis, code, links and images, HTML tags, autolinks and entities, strikethrough,
/// headings, table cells, escapes) is backslash-escaped, which GFM allows before any ASCII
/// punctuation. `(`, `)` and `>` need not be: without `[` and `<` they start nothing mid-line.
pub(super) fn escape_text(s: &str) -> String {
    let s = sanitize(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' | '|' | '~' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A value as a GFM code span that shows it exactly, whatever it holds: sanitised to one line,
/// fenced with one more backtick than its longest run of backticks, padded with a space when
/// it starts or ends with a backtick or a space (GFM strips one space from each side), and
/// with `|` escaped, which a table splits cells at even inside code.
pub(super) fn code(s: &str) -> String {
    let s = sanitize(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

/// Escape a text whose user values are in backticks (a finding's message or help): those
/// become code spans ([`code`]), the rest is plain text ([`escape_text`]). A value that itself
/// holds a backtick may split where it should not, but every part is escaped, so nothing can
/// leave its span or its cell. A text with an odd number of backticks is plain text throughout.
pub(super) fn escape_inline(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_text(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in parts.iter().enumerate() {
        if i.is_multiple_of(2) {
            out.push_str(&escape_text(part));
        } else if part.is_empty() {
            out.push_str("\\`\\`");
        } else {
            out.push_str(&code(part));
        }
    }
    out
}

/// Escape text for HTML, in a `<summary>` or its `<code>`: GitHub does not read Markdown on
/// an HTML line, so only HTML's characters need escaping, after [`sanitize`] has made sure the
/// text cannot end the line (a blank line would end the HTML block and start Markdown).
fn escape_html(s: &str) -> String {
    sanitize(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `path:line`, linked to the line when there is a link base.
fn place(options: &CiOptions, location: &Location) -> String {
    let label = escape_text(&format!(
        "{}:{}",
        options.repo_path(&location.file),
        location.line
    ));
    match options.line_link(&location.file, location.line) {
        Some(url) => format!("[{label}]({url})"),
        None => label,
    }
}

fn rule_link(finding: &Finding) -> String {
    format!(
        "[{}]({})",
        finding.code,
        super::rule_doc_url(finding.code, finding.name)
    )
}

fn headline(report: &Report, compared: Option<&Compared>) -> String {
    let counts = super::severity_counts(report);
    let files = plural(report.files, "policy file");
    let mut line = match compared {
        Some(Compared::Revision { revision, .. }) => {
            let since = code(revision);
            if counts.is_empty() {
                format!("No findings introduced since {since} in {files}")
            } else {
                format!("**Introduced {counts}** since {since} in {files}")
            }
        }
        _ if counts.is_empty() => format!("No findings in {files}"),
        _ => format!("**Found {counts}** in {files}"),
    };
    if !report.waived.is_empty() {
        let _ = write!(line, " ({} waived)", report.waived.len());
    }
    match compared {
        Some(Compared::Revision {
            fixed,
            unchanged,
            loaded: true,
            ..
        }) => {
            let _ = write!(line, "; {fixed} fixed, {unchanged} unchanged.");
        }
        Some(Compared::Revision {
            revision,
            loaded: false,
            ..
        }) => {
            let _ = write!(
                line,
                ". The policy did not load at {}, so every finding counts as introduced.",
                code(revision)
            );
        }
        Some(Compared::Baseline { file, hidden, .. }) => {
            let _ = write!(
                line,
                ", not counting {} in the baseline {}.",
                plural(*hidden, "finding"),
                code(file)
            );
        }
        None => line.push('.'),
    }
    line
}

/// The stale entries of a baseline, as a paragraph and a collapsed list.
fn stale_entries(out: &mut String, compared: Option<&Compared>) {
    let Some(Compared::Baseline {
        file,
        stale,
        pruned,
        ..
    }) = compared
    else {
        return;
    };
    if stale.is_empty() {
        return;
    }
    let (entries, verb, them) = match stale.len() {
        1 => ("1 baseline entry".to_string(), "occurs", "it"),
        n => (format!("{n} baseline entries"), "occur", "them"),
    };
    let file = escape_html(file);
    let _ = if *pruned {
        write!(
            out,
            "\n<details><summary>Removed {entries} that no longer {verb} from <code>{file}</code></summary>\n\n"
        )
    } else {
        write!(
            out,
            "\n<details><summary>{entries} of <code>{file}</code> no longer {verb}: <code>--update-baseline</code> removes {them}</summary>\n\n"
        )
    };
    out.push_str("| rule | file | entity | message |\n|---|---|---|---|\n");
    for entry in stale {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape_text(&entry.code),
            escape_text(&entry.file),
            escape_text(&entry.entity),
            escape_inline(&entry.message)
        );
    }
    out.push_str("\n</details>\n");
}

/// Render a report as a Markdown summary.
pub fn markdown(report: &Report, options: &CiOptions) -> String {
    render(report, options, None)
}

/// Render a report that holds only the new findings as a Markdown summary: the same as
/// [`markdown`], with a headline that says what they were compared with (`**Introduced 1
/// error** since `origin/main` in 17 policy files; 1 fixed, 14 unchanged.`), and a baseline's
/// stale entries in a collapsed table.
pub fn markdown_compared(report: &Report, options: &CiOptions, compared: &Compared) -> String {
    render(report, options, Some(compared))
}

fn render(report: &Report, options: &CiOptions, compared: Option<&Compared>) -> String {
    let mut out = format!("## cowork-policy\n\n{}\n", headline(report, compared));
    if !report.skipped_files.is_empty() {
        let skipped: Vec<String> = report.skipped_files.iter().map(|f| code(f)).collect();
        let _ = write!(
            out,
            "\nSkipped {} without `apiVersion: cowork-policy/...`: {}.\n",
            plural(report.skipped_files.len(), "YAML file"),
            skipped.join(", ")
        );
    }
    if !report.findings.is_empty() {
        out.push_str("\n| severity | rule | location | message |\n|---|---|---|---|\n");
        for finding in &report.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                finding.severity,
                rule_link(finding),
                place(options, &finding.location),
                escape_inline(&finding.message)
            );
        }
        for finding in &report.findings {
            if finding.help.is_none() && finding.related.is_empty() {
                continue;
            }
            let _ = write!(
                out,
                "\n<details><summary>{} at {}:{}</summary>\n\n",
                finding.code,
                escape_html(&options.repo_path(&finding.location.file)),
                finding.location.line
            );
            if let Some(help) = &finding.help {
                let _ = writeln!(out, "- help: {}", escape_inline(help));
            }
            for related in &finding.related {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    place(options, &related.location),
                    escape_inline(&related.label)
                );
            }
            out.push_str("\n</details>\n");
        }
    }
    if !report.waived.is_empty() {
        let _ = write!(
            out,
            "\n<details><summary>{}</summary>\n\n| rule | location | message | reason | until | owner | ticket |\n|---|---|---|---|---|---|---|\n",
            plural(report.waived.len(), "waived finding")
        );
        for waived in &report.waived {
            let finding = &waived.finding;
            let waiver = &waived.waiver;
            let optional =
                |value: &Option<String>| value.as_deref().map_or(String::new(), escape_text);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                rule_link(finding),
                place(options, &finding.location),
                escape_inline(&finding.message),
                escape_inline(&waiver.reason),
                optional(&waiver.until),
                optional(&waiver.owner),
                optional(&waiver.ticket)
            );
        }
        out.push_str("\n</details>\n");
    }
    stale_entries(&mut out, compared);
    platform_line(&mut out, report);
    out
}

/// The platform facts the check assumed, as a closing line.
fn platform_line(out: &mut String, report: &Report) {
    let p = &report.platform;
    if p.profile.is_empty() {
        return;
    }
    let mut line = format!(
        "Checked against platform profile `{}` ({})",
        p.profile, p.date
    );
    if !p.overrides.is_empty() {
        let keys: Vec<String> = p.overrides.iter().map(|k| format!("`{k}`")).collect();
        let _ = write!(line, ", overriding {}", keys.join(", "));
        match &p.overrides_checked_on {
            Some(day) => {
                let _ = write!(line, " (checked {day})");
            }
            None => line.push_str(" (`checkedOn` not recorded)"),
        }
    }
    let _ = writeln!(
        out,
        "
{}.",
        escape_inline(&line)
    );
}

/// Render the errors that stopped a policy from loading as a Markdown summary: a headline,
/// then a table of the errors with their help.
pub fn markdown_load_errors(errors: &LoadErrors, options: &CiOptions) -> String {
    let mut out = format!(
        "## cowork-policy\n\n**Could not load the policy: {}.** No rule ran.\n\n| location | error | help |\n|---|---|---|\n",
        plural(errors.errors().len(), "error")
    );
    for error in errors.errors() {
        let (where_, message) = super::concise::located(error, options);
        let location = match error.location() {
            Some(location) => place(options, location),
            None => escape_text(&where_),
        };
        let _ = writeln!(
            out,
            "| {location} | {} | {} |",
            escape_inline(&message),
            error.help().map_or(String::new(), escape_inline)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{code, escape_html, escape_inline, escape_text};

    #[test]
    fn escapes_tables_and_html_but_keeps_code_spans() {
        assert_eq!(escape_text("a|b <i> & *c*"), "a\\|b \\<i> \\& \\*c\\*");
        assert_eq!(escape_text("one\ntwo"), "one␊two");
        assert_eq!(escape_text("[x](y) ![i](j)"), "\\[x\\](y) \\!\\[i\\](j)");
        assert_eq!(
            escape_inline("group `r&d|ops <eu>` is 100% <b>"),
            "group `r&d\\|ops <eu>` is 100% \\<b>"
        );
        assert_eq!(escape_inline("odd ` tick"), "odd \\` tick");
    }

    #[test]
    fn code_spans_hold_any_value() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("r`ole"), "``r`ole``");
        assert_eq!(code("``x"), "``` ``x ```");
        assert_eq!(code("a|b\nc"), "`a\\|b␊c`");
        assert_eq!(code(" x "), "`  x  `");
    }

    #[test]
    fn html_is_escaped_on_one_line() {
        assert_eq!(
            escape_html("<img src=x onerror='a'>\n\n*b*"),
            "&lt;img src=x onerror=&#39;a&#39;&gt;␊␊*b*"
        );
    }
}
