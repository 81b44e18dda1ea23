//! An [`AccessDiff`] as output: text for a terminal, versioned JSON for tools, and Markdown
//! for a pull-request comment. Each starts from the same one-line headline ([`diff_headline`]),
//! so the three never disagree on what changed. `docs/diff.md` describes them.

use std::fmt::Write as _;

use serde::Serialize;

use crate::access::{LimitSource, Spend};
use crate::diagnostic::Finding;
use crate::diff::{
    AccessDiff, Direction, EntitlementChange, LimitChange, SeatChange, StateChange, StepChange,
};
use crate::model::Entitlement;

use super::markdown::{code, escape_inline, escape_text};
use super::sanitize::sanitize;

/// The version of the diff's JSON document: fields are only ever added within a version.
pub const DIFF_FORMAT_VERSION: u32 = 1;

/// `250,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn users(n: usize) -> String {
    if n == 1 {
        "1 user".to_string()
    } else {
        format!("{} users", thousands(n as u64))
    }
}

fn title(entitlement: &str) -> &str {
    match entitlement {
        "cowork" => "Cowork",
        "chat" => "Chat",
        "claude-code" => "Claude Code",
        other => other,
    }
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), thousands)
}

fn state(s: Option<&str>) -> &str {
    s.unwrap_or("absent")
}

/// The seats of an org at the head as `target/seats`, or `None` when the org has no seats.
fn seats_now(s: &SeatChange) -> Option<String> {
    Some(format!(
        "{}/{}",
        thousands(s.scim_after?),
        thousands(s.seats_after?)
    ))
}

/// The one-line summary that heads every output: `+412 users gain Cowork, 38 users' limit
/// lowered, seats 4,980/5,000`.
pub fn diff_headline(diff: &AccessDiff) -> String {
    let mut parts = Vec::new();
    for entitlement in Entitlement::ALL {
        let name = title(entitlement.as_str());
        let gained = diff.users(entitlement, Direction::Gained);
        if gained > 0 {
            parts.push(format!("+{} gain {name}", users(gained)));
        }
        let lost = diff.users(entitlement, Direction::Lost);
        if lost > 0 {
            parts.push(format!("-{} lose {name}", users(lost)));
        }
    }
    for (raised, word) in [(true, "raised"), (false, "lowered")] {
        let n = diff.limit_users(raised);
        if n > 0 {
            let who = users(n);
            let owner = if n == 1 { "'s" } else { "'" };
            parts.push(format!("{who}{owner} limit {word}"));
        }
    }
    let changed: Vec<&SeatChange> = diff.seats.iter().filter(|s| s.changed()).collect();
    for s in &changed {
        if let Some(now) = seats_now(s) {
            if changed.len() == 1 && diff.seats.len() == 1 {
                parts.push(format!("seats {now}"));
            } else {
                parts.push(format!("{} seats {now}", s.org));
            }
        }
    }
    for (list, noun) in [
        (&diff.connectors, "connector"),
        (&diff.plugins, "plugin"),
        (&diff.enforcement, "enforcement change"),
    ] {
        if !list.is_empty() {
            parts.push(crate::diagnostic::plural(list.len(), noun));
        }
    }
    if !diff.steps.is_empty() {
        parts.push(format!(
            "{} moved",
            crate::diagnostic::plural(diff.steps.len(), "step")
        ));
    }
    if !diff.findings_introduced.is_empty() {
        parts.push(format!(
            "+{}",
            crate::diagnostic::plural(diff.findings_introduced.len(), "finding")
        ));
    }
    if !diff.findings_fixed.is_empty() {
        parts.push(format!(
            "{} fixed",
            crate::diagnostic::plural(diff.findings_fixed.len(), "finding")
        ));
    }
    if parts.is_empty() {
        "no change in effective access".to_string()
    } else {
        parts.join(", ")
    }
}

fn first(list: &[String], total: usize) -> String {
    let mut out = list.join(", ");
    if total > list.len() {
        let _ = write!(out, " and {} more", thousands((total - list.len()) as u64));
    }
    out
}

fn source(s: &LimitSource) -> String {
    match s {
        LimitSource::Group { group, limit } => format!("group `{group}`, limit `{limit}`"),
        LimitSource::OrgDefault => "the org's default".to_string(),
        LimitSource::None => "no limit".to_string(),
    }
}

fn entitlement_line(c: &EntitlementChange) -> String {
    let sign = if c.direction == Direction::Gained {
        "+"
    } else {
        "-"
    };
    let verb = if c.direction == Direction::Gained {
        "granted by"
    } else {
        "was granted by"
    };
    let gain = if c.direction == Direction::Gained {
        "gain"
    } else {
        "lose"
    };
    format!(
        "{sign}{} {gain} `{}` ({verb} role `{}` on group `{}`)",
        users(c.users),
        c.entitlement.as_str(),
        c.role,
        c.group
    )
}

fn limit_line(c: &LimitChange) -> String {
    format!(
        "{} {} {} -> {} (now {})",
        users(c.users),
        if c.raised() { "raised" } else { "lowered" },
        c.old,
        c.new,
        source(&c.decided_by)
    )
}

fn seat_line(s: &SeatChange) -> String {
    let over = match (s.scim_after, s.seats_after) {
        (Some(t), Some(n)) if t > n => format!(" ({} over)", thousands(t - n)),
        _ => String::new(),
    };
    format!(
        "SCIM target/seats {}/{} -> {}/{}{over}",
        opt(s.scim_before),
        opt(s.seats_before),
        opt(s.scim_after),
        opt(s.seats_after)
    )
}

fn state_line(c: &StateChange) -> String {
    format!("`{}` {} -> {}", c.name, state(c.before), state(c.after))
}

fn step_line(c: &StepChange) -> String {
    let mut out = if c.status_before == c.status_after {
        format!("`{}` {}", c.step, state(c.status_after))
    } else {
        format!(
            "`{}` {} -> {}",
            c.step,
            state(c.status_before),
            state(c.status_after)
        )
    };
    if c.date_before != c.date_after {
        let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "no date".to_string());
        let _ = write!(
            out,
            ", date {} -> {}",
            date(&c.date_before),
            date(&c.date_after)
        );
    }
    out
}

fn finding_line(f: &Finding) -> String {
    format!("{} {} {}", f.code, f.location, f.message)
}

fn in_org(org: &Option<String>) -> String {
    org.as_ref().map_or_else(String::new, |o| format!("{o}: "))
}

/// The diff as text for a terminal: the headline, then a section per kind of change.
pub fn diff_human(diff: &AccessDiff) -> String {
    let mut out = format!("{}\n", sanitize(&diff_headline(diff)));
    // Every line holds names from the policies: sanitised, so none can end it early.
    let mut section = |name: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{name}");
            for line in lines {
                let _ = writeln!(out, "  {}", sanitize(&line));
            }
        }
    };
    section(
        "Entitlements",
        diff.entitlements
            .iter()
            .map(|c| {
                format!(
                    "{}: {}: {}",
                    c.org,
                    entitlement_line(c),
                    first(&c.first, c.users)
                )
            })
            .collect(),
    );
    section(
        "Spend limits",
        diff.limits
            .iter()
            .map(|c| format!("{}: {}: {}", c.org, limit_line(c), first(&c.first, c.users)))
            .collect(),
    );
    section(
        "Seats",
        diff.seats
            .iter()
            .filter(|s| s.changed())
            .map(|s| format!("{}: {}", s.org, seat_line(s)))
            .collect(),
    );
    for (name, list) in [
        ("Connectors", &diff.connectors),
        ("Plugins", &diff.plugins),
        ("Enforcement", &diff.enforcement),
    ] {
        section(
            name,
            list.iter()
                .map(|c| format!("{}{}", in_org(&c.org), state_line(c)))
                .collect(),
        );
    }
    section("Rollout steps", diff.steps.iter().map(step_line).collect());
    section(
        "Findings introduced",
        diff.findings_introduced.iter().map(finding_line).collect(),
    );
    section(
        "Findings fixed",
        diff.findings_fixed.iter().map(finding_line).collect(),
    );
    out
}

/// Where a spend limit came from, in Markdown: names as code spans.
fn source_markdown(s: &LimitSource) -> String {
    match s {
        LimitSource::Group { group, limit } => {
            format!("group {}, limit {}", code(group), code(limit))
        }
        LimitSource::OrgDefault | LimitSource::None => escape_text(&source(s)),
    }
}

/// A step's change in Markdown: [`step_line`] with the step's name as a code span.
fn step_markdown(c: &StepChange) -> String {
    let line = step_line(c);
    let rest = line.strip_prefix(&format!("`{}`", c.step)).unwrap_or(&line);
    format!("{}{}", code(&c.step), escape_text(rest))
}

/// The most rows each Markdown table or list shows, so that a large diff still fits in a
/// pull-request comment (GitHub takes 65,536 characters).
pub const MARKDOWN_ROWS: usize = 20;

/// After a table or list of `total` rows cut at [`MARKDOWN_ROWS`], say how many were left out.
fn more(out: &mut String, total: usize) {
    if total > MARKDOWN_ROWS {
        let _ = writeln!(
            out,
            "\n_and {} more; `--format json` lists them all_",
            thousands((total - MARKDOWN_ROWS) as u64)
        );
    }
}

/// The diff as Markdown for a pull-request comment: the headline in bold, then a table per kind
/// of change (at most [`MARKDOWN_ROWS`] rows each), the findings folded in `<details>`.
pub fn diff_markdown(diff: &AccessDiff) -> String {
    let mut out = format!(
        "### Cowork policy diff\n\n**{}**\n",
        escape_text(&diff_headline(diff))
    );
    if !diff.entitlements.is_empty() {
        out.push_str("\n#### Entitlements\n\n| Org | Change | Users | Granted by | First users |\n|---|---|---:|---|---|\n");
        for c in diff.entitlements.iter().take(MARKDOWN_ROWS) {
            let sign = if c.direction == Direction::Gained {
                "+"
            } else {
                "-"
            };
            let _ = writeln!(
                out,
                "| {} | {sign} {} | {} | role {} on group {} | {} |",
                escape_text(&c.org),
                title(c.entitlement.as_str()),
                thousands(c.users as u64),
                code(&c.role),
                code(&c.group),
                escape_text(&first(&c.first, c.users))
            );
        }
        more(&mut out, diff.entitlements.len());
    }
    if !diff.limits.is_empty() {
        out.push_str("\n#### Spend limits\n\n| Org | Change | Users | Old | New | Decided by | First users |\n|---|---|---:|---|---|---|---|\n");
        for c in diff.limits.iter().take(MARKDOWN_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                escape_text(&c.org),
                if c.raised() { "raised" } else { "lowered" },
                thousands(c.users as u64),
                c.old,
                c.new,
                source_markdown(&c.decided_by),
                escape_text(&first(&c.first, c.users))
            );
        }
        more(&mut out, diff.limits.len());
    }
    let seats: Vec<&SeatChange> = diff.seats.iter().filter(|s| s.changed()).collect();
    if !seats.is_empty() {
        out.push_str("\n#### Seats\n\n| Org | SCIM target before | Seats before | SCIM target after | Seats after | |\n|---|---:|---:|---:|---:|---|\n");
        for s in seats.iter().take(MARKDOWN_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                escape_text(&s.org),
                opt(s.scim_before),
                opt(s.seats_before),
                opt(s.scim_after),
                opt(s.seats_after),
                if s.exceeded() { "over" } else { "" }
            );
        }
        more(&mut out, seats.len());
    }
    for (name, list) in [
        ("Connectors", &diff.connectors),
        ("Plugins", &diff.plugins),
        ("Enforcement", &diff.enforcement),
    ] {
        if !list.is_empty() {
            let _ = write!(
                out,
                "\n#### {name}\n\n| Org | Name | Before | After |\n|---|---|---|---|\n"
            );
            for c in list.iter().take(MARKDOWN_ROWS) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    escape_text(c.org.as_deref().unwrap_or("")),
                    code(&c.name),
                    state(c.before),
                    state(c.after)
                );
            }
            more(&mut out, list.len());
        }
    }
    if !diff.steps.is_empty() {
        out.push_str("\n#### Rollout steps\n\n");
        for c in diff.steps.iter().take(MARKDOWN_ROWS) {
            let _ = writeln!(out, "- {}", step_markdown(c));
        }
        more(&mut out, diff.steps.len());
    }
    for (name, list) in [
        ("introduced", &diff.findings_introduced),
        ("fixed", &diff.findings_fixed),
    ] {
        if !list.is_empty() {
            let _ = write!(
                out,
                "\n<details><summary>{} {name}</summary>\n\n",
                crate::diagnostic::plural(list.len(), "finding")
            );
            for f in list.iter().take(MARKDOWN_ROWS) {
                let _ = writeln!(
                    out,
                    "- **{}** {}: {}",
                    f.code,
                    code(&f.location.to_string()),
                    escape_inline(&f.message)
                );
            }
            more(&mut out, list.len());
            out.push_str("\n</details>\n");
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiff<'a> {
    version: u32,
    headline: String,
    entitlements: Vec<JsonEntitlement<'a>>,
    limits: Vec<JsonLimit<'a>>,
    seats: Vec<JsonSeats<'a>>,
    connectors: Vec<JsonState<'a>>,
    plugins: Vec<JsonState<'a>>,
    enforcement: Vec<JsonState<'a>>,
    steps: Vec<JsonStep<'a>>,
    findings_introduced: Vec<JsonFinding<'a>>,
    findings_fixed: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEntitlement<'a> {
    org: &'a str,
    entitlement: &'static str,
    direction: &'static str,
    role: &'a str,
    group: &'a str,
    users: usize,
    first: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLimit<'a> {
    org: &'a str,
    raised: bool,
    old: String,
    old_cents: Option<u64>,
    new: String,
    new_cents: Option<u64>,
    decided_by: super::access::JsonSource<'a>,
    users: usize,
    first: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonSeats<'a> {
    org: &'a str,
    changed: bool,
    exceeded: bool,
    seats_before: Option<u64>,
    seats_after: Option<u64>,
    scim_before: Option<u64>,
    scim_after: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonState<'a> {
    org: Option<&'a str>,
    name: &'a str,
    before: Option<&'static str>,
    after: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonStep<'a> {
    step: &'a str,
    status_before: Option<&'static str>,
    status_after: Option<&'static str>,
    date_before: Option<&'a str>,
    date_after: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
}

fn cents(s: Spend) -> Option<u64> {
    match s {
        Spend::Cents(c) => Some(c),
        Spend::Unlimited => None,
    }
}

fn json_state(c: &StateChange) -> JsonState<'_> {
    JsonState {
        org: c.org.as_deref(),
        name: &c.name,
        before: c.before,
        after: c.after,
    }
}

fn json_finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        code: f.code,
        severity: f.severity.as_str(),
        message: &f.message,
        file: &f.location.file,
        line: f.location.line,
        column: f.location.column,
    }
}

/// The diff as a versioned JSON document ([`DIFF_FORMAT_VERSION`]), pretty-printed, with a
/// final newline.
pub fn diff_json(diff: &AccessDiff) -> String {
    let doc = JsonDiff {
        version: DIFF_FORMAT_VERSION,
        headline: diff_headline(diff),
        entitlements: diff
            .entitlements
            .iter()
            .map(|c| JsonEntitlement {
                org: &c.org,
                entitlement: c.entitlement.as_str(),
                direction: c.direction.as_str(),
                role: &c.role,
                group: &c.group,
                users: c.users,
                first: &c.first,
            })
            .collect(),
        limits: diff
            .limits
            .iter()
            .map(|c| JsonLimit {
                org: &c.org,
                raised: c.raised(),
                old: c.old.to_string(),
                old_cents: cents(c.old),
                new: c.new.to_string(),
                new_cents: cents(c.new),
                decided_by: super::access::json_source(&c.decided_by),
                users: c.users,
                first: &c.first,
            })
            .collect(),
        seats: diff
            .seats
            .iter()
            .map(|s| JsonSeats {
                org: &s.org,
                changed: s.changed(),
                exceeded: s.exceeded(),
                seats_before: s.seats_before,
                seats_after: s.seats_after,
                scim_before: s.scim_before,
                scim_after: s.scim_after,
            })
            .collect(),
        connectors: diff.connectors.iter().map(json_state).collect(),
        plugins: diff.plugins.iter().map(json_state).collect(),
        enforcement: diff.enforcement.iter().map(json_state).collect(),
        steps: diff
            .steps
            .iter()
            .map(|c| JsonStep {
                step: &c.step,
                status_before: c.status_before,
                status_after: c.status_after,
                date_before: c.date_before.as_deref(),
                date_after: c.date_after.as_deref(),
            })
            .collect(),
        findings_introduced: diff.findings_introduced.iter().map(json_finding).collect(),
        findings_fixed: diff.findings_fixed.iter().map(json_finding).collect(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_diff_keeps_the_markdown_short_and_the_headline_whole() {
        let diff = AccessDiff {
            entitlements: (0..MARKDOWN_ROWS + 5)
                .map(|i| EntitlementChange {
                    org: "acme".to_string(),
                    entitlement: Entitlement::Cowork,
                    direction: Direction::Gained,
                    group: format!("g{i}"),
                    role: "r".to_string(),
                    users: 1_000,
                    first: vec![format!("u{i}@acme.com")],
                })
                .collect(),
            ..AccessDiff::default()
        };
        let markdown = diff_markdown(&diff);
        assert!(
            markdown.contains("**+25,000 users gain Cowork**"),
            "{markdown}"
        );
        assert_eq!(
            markdown.matches("| acme | + Cowork |").count(),
            MARKDOWN_ROWS
        );
        assert!(markdown.contains("_and 5 more; `--format json` lists them all_"));
        assert_eq!(diff_human(&diff).lines().count(), 3 + MARKDOWN_ROWS + 5);
    }
}
