//! Effective access as output: an explanation of one user or group as text or JSON, and the
//! whole table as CSV or JSON, written row by row to a [`Write`] so that 100,000 users never sit
//! in memory as text. `docs/access.md` describes every field.
//!
//! The JSON documents are versioned like the report's ([`ACCESS_FORMAT_VERSION`]): fields are
//! only ever added within a version.

use std::io::{self, Write};

use serde::Serialize;

use super::sanitize::sanitize;

use crate::access::{
    AccessExplanation, AccessTable, EntitlementGrant, GroupExplanation, LimitDecision, LimitSource,
    Spend, State,
};
use crate::model::Location;

/// The version of the access JSON formats (explanations and the table).
pub const ACCESS_FORMAT_VERSION: u32 = 1;

/// Write one line of text whose values come from the policy: sanitised, so that none of them
/// can end the line or send the terminal an escape sequence.
fn push_line(out: &mut String, line: &str) {
    out.push_str(&sanitize(line));
    out.push('\n');
}

fn at(location: &Location) -> String {
    location.to_string()
}

fn source_text(source: &LimitSource) -> String {
    match source {
        LimitSource::Group { group, limit } => format!("spend limit `{limit}` on group `{group}`"),
        LimitSource::OrgDefault => "the org's default spend limit".to_string(),
        LimitSource::None => "nothing: no group or org default sets a limit".to_string(),
    }
}

fn state_text(state: &State) -> String {
    match &state.location {
        Some(l) => format!("{} ({})", state.state, at(l)),
        None => format!("{} (not written: the default)", state.state),
    }
}

fn limit_lines(out: &mut String, limit: &LimitDecision) {
    out.push_str(&sanitize(&format!(
        "  spend limit: {}, decided by {}",
        limit.amount,
        source_text(&limit.decided_by)
    )));
    if let Some(l) = &limit.location {
        out.push_str(&sanitize(&format!("  {}", at(l))));
    }
    out.push('\n');
    let verb = if limit.resolution == "min" {
        "the most restrictive wins, so it overrides"
    } else {
        "`limitResolution: max`: the most generous wins, so it overrides"
    };
    for o in &limit.overridden {
        push_line(
            out,
            &format!(
                "    {verb} {} from `{}` on `{}`  {}",
                o.amount,
                o.limit,
                o.group,
                at(&o.location)
            ),
        );
    }
}

fn entitlement_lines(out: &mut String, entitlements: &[EntitlementGrant]) {
    if entitlements.is_empty() {
        out.push_str("  entitlements: none\n");
        return;
    }
    out.push_str("  entitlements:\n");
    for e in entitlements {
        for (i, g) in e.granted_by.iter().enumerate() {
            let name = if i == 0 { e.entitlement.as_str() } else { "" };
            let also = if i == 0 { "" } else { "also " };
            push_line(
                out,
                &format!(
                    "    {name:<12} {also}role `{}` on group `{}`  {}",
                    g.role,
                    g.group,
                    at(&g.location)
                ),
            );
        }
    }
}

/// One user's effective access as text, with the `file:line:column` of every deciding line.
pub fn access_human(explanation: &AccessExplanation) -> String {
    let mut out = String::new();
    push_line(&mut out, &explanation.user);
    if explanation.orgs.is_empty() {
        out.push_str("\nlisted in the policy, but no group of any org lists this user\n");
    }
    for org in &explanation.orgs {
        out.push('\n');
        push_line(&mut out, &format!("org `{}`", org.org));
        if org.groups.is_empty() {
            out.push_str("  groups that count: none\n");
        } else {
            out.push_str("  groups that count (direct members):\n");
            for g in &org.groups {
                let scim = if g.scim { ", scim" } else { "" };
                let through = if g.synced_through.is_empty() {
                    String::new()
                } else {
                    format!(", synced through `{}`", g.synced_through.join("` > `"))
                };
                push_line(
                    &mut out,
                    &format!("    `{}`{scim}{through}  {}", g.name, at(&g.location)),
                );
            }
        }
        if !org.nested_only.is_empty() {
            out.push_str("  only through nesting (do not count: nested IdP groups do not sync):\n");
            for n in &org.nested_only {
                push_line(
                    &mut out,
                    &format!(
                        "    `{}` through `{}`  {}",
                        n.group,
                        n.through.join("` > `"),
                        at(&n.location)
                    ),
                );
            }
        }
        entitlement_lines(&mut out, &org.entitlements);
        limit_lines(&mut out, &org.limit);
        push_line(&mut out, &format!("  rbac: {}", state_text(&org.rbac)));
        if let Some(sso) = &org.sso {
            push_line(
                &mut out,
                &format!("  sso: `{}` {}", sso.idp, state_text(&sso.state)),
            );
        }
        for note in &org.notes {
            push_line(&mut out, &format!("  note: {note}"));
        }
    }
    out
}

/// How many nested-only members the text output names before "and N more".
const NESTED_SHOWN: usize = 10;

/// One group's members' effective access, in aggregate, as text.
pub fn group_human(explanation: &GroupExplanation) -> String {
    let e = explanation;
    let mut out = String::new();
    push_line(
        &mut out,
        &format!("group `{}`  {}", e.group, at(&e.location)),
    );
    push_line(
        &mut out,
        &format!(
            "  org: {}",
            e.org
                .as_deref()
                .map_or("none".to_string(), |o| format!("`{o}`"))
        ),
    );
    push_line(
        &mut out,
        &format!("  scim: {}", if e.scim { "synced" } else { "not synced" }),
    );
    push_line(&mut out, &format!("  members who count: {}", e.members));
    if !e.roles.is_empty() {
        out.push_str("  roles on this group:\n");
        for r in &e.roles {
            push_line(
                &mut out,
                &format!(
                    "    `{}` grants {}  {}",
                    r.role,
                    r.entitlements.join(", "),
                    at(&r.location)
                ),
            );
        }
    }
    for l in &e.limits {
        push_line(
            &mut out,
            &format!(
                "  spend limit on this group: `{}` {}  {}",
                l.limit,
                l.amount,
                at(&l.location)
            ),
        );
    }
    if e.entitlements.is_empty() {
        out.push_str("  entitlements: no member gets any\n");
    } else {
        out.push_str("  entitlements:\n");
        for c in &e.entitlements {
            push_line(
                &mut out,
                &format!("    {:<12} {} of {}", c.entitlement, c.users, e.members),
            );
            for (g, n) in &c.by {
                push_line(
                    &mut out,
                    &format!(
                        "      {n} from role `{}` on group `{}`  {}",
                        g.role,
                        g.group,
                        at(&g.location)
                    ),
                );
            }
        }
    }
    if !e.effective_limits.is_empty() {
        out.push_str("  effective spend limits:\n");
        for l in &e.effective_limits {
            out.push_str(&sanitize(&format!(
                "    {} for {}, decided by {}",
                l.amount,
                l.users,
                source_text(&l.decided_by)
            )));
            if let Some(at_) = &l.location {
                out.push_str(&sanitize(&format!("  {}", at(at_))));
            }
            out.push('\n');
        }
    }
    if !e.nested_only.is_empty() {
        push_line(
            &mut out,
            &format!(
                "  listed only through nesting (get nothing from this group): {}",
                e.nested_only.len()
            ),
        );
        for n in e.nested_only.iter().take(NESTED_SHOWN) {
            push_line(
                &mut out,
                &format!("    {} through `{}`", n.user, n.through.join("` > `")),
            );
        }
        if e.nested_only.len() > NESTED_SHOWN {
            push_line(
                &mut out,
                &format!("    and {} more", e.nested_only.len() - NESTED_SHOWN),
            );
        }
    }
    for note in &e.notes {
        push_line(&mut out, &format!("  note: {note}"));
    }
    out
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

fn loc(l: &Location) -> JsonLocation<'_> {
    JsonLocation {
        file: &l.file,
        line: l.line,
        column: l.column,
        end_line: l.end_line,
        end_column: l.end_column,
    }
}

/// An amount as JSON: cents, or `null` for unlimited, beside the text.
#[derive(Serialize)]
struct JsonSpend {
    cents: Option<u64>,
    text: String,
}

fn spend(s: Spend) -> JsonSpend {
    JsonSpend {
        cents: match s {
            Spend::Cents(c) => Some(c),
            Spend::Unlimited => None,
        },
        text: s.to_string(),
    }
}

/// What decided a spend limit, in JSON: shared by the access and diff outputs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsonSource<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<&'a str>,
}

pub(super) fn json_source(s: &LimitSource) -> JsonSource<'_> {
    match s {
        LimitSource::Group { group, limit } => JsonSource {
            kind: "group",
            group: Some(group),
            limit: Some(limit),
        },
        LimitSource::OrgDefault => JsonSource {
            kind: "org-default",
            group: None,
            limit: None,
        },
        LimitSource::None => JsonSource {
            kind: "none",
            group: None,
            limit: None,
        },
    }
}

#[derive(Serialize)]
struct JsonRoleGrant<'a> {
    role: &'a str,
    group: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<JsonLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEntitlement<'a> {
    entitlement: &'static str,
    granted_by: Vec<JsonRoleGrant<'a>>,
}

fn entitlements(list: &[EntitlementGrant], locations: bool) -> Vec<JsonEntitlement<'_>> {
    list.iter()
        .map(|e| JsonEntitlement {
            entitlement: e.entitlement.as_str(),
            granted_by: e
                .granted_by
                .iter()
                .map(|g| JsonRoleGrant {
                    role: &g.role,
                    group: &g.group,
                    location: locations.then(|| loc(&g.location)),
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLimitRef<'a> {
    limit: &'a str,
    group: &'a str,
    amount: JsonSpend,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLimit<'a> {
    amount: JsonSpend,
    decided_by: JsonSource<'a>,
    location: Option<JsonLocation<'a>>,
    overridden: Vec<JsonLimitRef<'a>>,
    resolution: &'static str,
}

fn limit(l: &LimitDecision) -> JsonLimit<'_> {
    JsonLimit {
        amount: spend(l.amount),
        decided_by: json_source(&l.decided_by),
        location: l.location.as_ref().map(loc),
        overridden: l
            .overridden
            .iter()
            .map(|o| JsonLimitRef {
                limit: &o.limit,
                group: &o.group,
                amount: spend(o.amount),
                location: loc(&o.location),
            })
            .collect(),
        resolution: l.resolution,
    }
}

#[derive(Serialize)]
struct JsonState<'a> {
    state: &'static str,
    enforced: bool,
    location: Option<JsonLocation<'a>>,
}

fn state(s: &State) -> JsonState<'_> {
    JsonState {
        state: s.state,
        enforced: s.enforced,
        location: s.location.as_ref().map(loc),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonGroupRef<'a> {
    name: &'a str,
    scim: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    synced_through: &'a [String],
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonNested<'a> {
    group: &'a str,
    through: &'a [String],
    location: JsonLocation<'a>,
    member_location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct JsonSso<'a> {
    idp: &'a str,
    #[serde(flatten)]
    state: JsonState<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonOrgAccess<'a> {
    org: &'a str,
    groups: Vec<JsonGroupRef<'a>>,
    nested_only: Vec<JsonNested<'a>>,
    entitlements: Vec<JsonEntitlement<'a>>,
    limit: JsonLimit<'a>,
    rbac: JsonState<'a>,
    sso: Option<JsonSso<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonUser<'a> {
    version: u32,
    user: &'a str,
    orgs: Vec<JsonOrgAccess<'a>>,
}

fn pretty<T: Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// One user's effective access as JSON (format version [`ACCESS_FORMAT_VERSION`]).
pub fn access_json(explanation: &AccessExplanation) -> String {
    pretty(&JsonUser {
        version: ACCESS_FORMAT_VERSION,
        user: &explanation.user,
        orgs: explanation
            .orgs
            .iter()
            .map(|o| JsonOrgAccess {
                org: &o.org,
                groups: o
                    .groups
                    .iter()
                    .map(|g| JsonGroupRef {
                        name: &g.name,
                        scim: g.scim,
                        synced_through: &g.synced_through,
                        location: loc(&g.location),
                    })
                    .collect(),
                nested_only: o
                    .nested_only
                    .iter()
                    .map(|n| JsonNested {
                        group: &n.group,
                        through: &n.through,
                        location: loc(&n.location),
                        member_location: loc(&n.member_location),
                    })
                    .collect(),
                entitlements: entitlements(&o.entitlements, true),
                limit: limit(&o.limit),
                rbac: state(&o.rbac),
                sso: o.sso.as_ref().map(|s| JsonSso {
                    idp: &s.idp,
                    state: state(&s.state),
                }),
                notes: &o.notes,
            })
            .collect(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonGroup<'a> {
    version: u32,
    group: &'a str,
    org: Option<&'a str>,
    location: JsonLocation<'a>,
    scim: bool,
    members: usize,
    roles: Vec<JsonRoleOnGroup<'a>>,
    limits: Vec<JsonLimitRef<'a>>,
    entitlements: Vec<JsonEntitlementCount<'a>>,
    effective_limits: Vec<JsonLimitCount<'a>>,
    nested_only: Vec<JsonNestedMember<'a>>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonRoleOnGroup<'a> {
    role: &'a str,
    entitlements: &'a [&'static str],
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct JsonEntitlementCount<'a> {
    entitlement: &'static str,
    users: usize,
    by: Vec<JsonCountedGrant<'a>>,
}

#[derive(Serialize)]
struct JsonCountedGrant<'a> {
    role: &'a str,
    group: &'a str,
    users: usize,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonLimitCount<'a> {
    amount: JsonSpend,
    decided_by: JsonSource<'a>,
    location: Option<JsonLocation<'a>>,
    users: usize,
}

#[derive(Serialize)]
struct JsonNestedMember<'a> {
    user: &'a str,
    through: &'a [String],
}

/// One group's members' effective access as JSON (format version [`ACCESS_FORMAT_VERSION`]).
pub fn group_json(explanation: &GroupExplanation) -> String {
    let e = explanation;
    pretty(&JsonGroup {
        version: ACCESS_FORMAT_VERSION,
        group: &e.group,
        org: e.org.as_deref(),
        location: loc(&e.location),
        scim: e.scim,
        members: e.members,
        roles: e
            .roles
            .iter()
            .map(|r| JsonRoleOnGroup {
                role: &r.role,
                entitlements: &r.entitlements,
                location: loc(&r.location),
            })
            .collect(),
        limits: e
            .limits
            .iter()
            .map(|o| JsonLimitRef {
                limit: &o.limit,
                group: &o.group,
                amount: spend(o.amount),
                location: loc(&o.location),
            })
            .collect(),
        entitlements: e
            .entitlements
            .iter()
            .map(|c| JsonEntitlementCount {
                entitlement: c.entitlement.as_str(),
                users: c.users,
                by: c
                    .by
                    .iter()
                    .map(|(g, n)| JsonCountedGrant {
                        role: &g.role,
                        group: &g.group,
                        users: *n,
                        location: loc(&g.location),
                    })
                    .collect(),
            })
            .collect(),
        effective_limits: e
            .effective_limits
            .iter()
            .map(|l| JsonLimitCount {
                amount: spend(l.amount),
                decided_by: json_source(&l.decided_by),
                location: l.location.as_ref().map(loc),
                users: l.users,
            })
            .collect(),
        nested_only: e
            .nested_only
            .iter()
            .map(|n| JsonNestedMember {
                user: &n.user,
                through: &n.through,
            })
            .collect(),
        notes: &e.notes,
    })
}

/// The CSV header of [`access_csv`].
pub const ACCESS_CSV_HEADER: &str = "user,org,groups,entitlements,cowork_role,cowork_group,chat_role,chat_group,claude_code_role,claude_code_group,spend_limit,limit_source,limit_group,limit_name";

/// A CSV field: quoted when it holds a comma, a quote, a line break or leading or trailing
/// space, with quotes doubled (RFC 4180).
fn csv_field(out: &mut String, text: &str) {
    // A cell a spreadsheet would read as a formula (a group named `=HYPERLINK(...)`) gets a
    // leading `'`, which spreadsheets show as text (OWASP's advice on CSV injection).
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    let needs =
        text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ');
    if needs {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A spend limit for a table: `150.00` or `unlimited`, with no thousands separator, so a
/// spreadsheet reads it as a number.
fn plain_spend(s: Spend) -> String {
    match s {
        Spend::Cents(c) => format!("{}.{:02}", c / 100, c % 100),
        Spend::Unlimited => "unlimited".to_string(),
    }
}

/// Everything of a CSV row after the user, for one class.
fn csv_rest(class: &crate::access::AccessClass) -> String {
    let mut out = String::new();
    out.push(',');
    csv_field(&mut out, &class.org);
    out.push(',');
    csv_field(&mut out, &class.groups.join(";"));
    out.push(',');
    let names: Vec<&str> = class
        .entitlements
        .iter()
        .map(|e| e.entitlement.as_str())
        .collect();
    csv_field(&mut out, &names.join(";"));
    for name in ["cowork", "chat", "claude-code"] {
        let grant = class
            .entitlements
            .iter()
            .find(|e| e.entitlement.as_str() == name)
            .and_then(|e| e.granted_by.first());
        out.push(',');
        csv_field(&mut out, grant.map_or("", |g| g.role.as_str()));
        out.push(',');
        csv_field(&mut out, grant.map_or("", |g| g.group.as_str()));
    }
    out.push(',');
    out.push_str(&plain_spend(class.limit.amount));
    let (kind, group, limit) = match &class.limit.decided_by {
        LimitSource::Group { group, limit } => ("group", group.as_str(), limit.as_str()),
        LimitSource::OrgDefault => ("org-default", "", ""),
        LimitSource::None => ("none", "", ""),
    };
    out.push(',');
    out.push_str(kind);
    out.push(',');
    csv_field(&mut out, group);
    out.push(',');
    csv_field(&mut out, limit);
    out.push('\n');
    out
}

/// Write the whole effective-access table as CSV: a header, then one row per user per org,
/// by email. Lists (groups, entitlements) are joined with `;`. Each class's columns are
/// rendered once.
pub fn access_csv(table: &AccessTable<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rests: Vec<String> = table.classes().iter().map(csv_rest).collect();
    out.write_all(ACCESS_CSV_HEADER.as_bytes())?;
    out.write_all(b"\n")?;
    let mut user = String::new();
    for row in table.rows() {
        user.clear();
        csv_field(&mut user, row.user);
        out.write_all(user.as_bytes())?;
        out.write_all(rests[row.class].as_bytes())?;
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRowRest<'a> {
    org: &'a str,
    groups: &'a [String],
    entitlements: Vec<JsonEntitlement<'a>>,
    limit: JsonSpend,
    limit_decided_by: JsonSource<'a>,
}

/// Write the whole effective-access table as one JSON document,
/// `{"version": 1, "rows": [{"user": ..., "org": ..., ...}, ...]}`, a row per line, streamed.
pub fn access_table_json(table: &AccessTable<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rests: Vec<String> = table
        .classes()
        .iter()
        .map(|c| {
            let text = serde_json::to_string(&JsonRowRest {
                org: &c.org,
                groups: &c.groups,
                entitlements: entitlements(&c.entitlements, false),
                limit: spend(c.limit.amount),
                limit_decided_by: json_source(&c.limit.decided_by),
            })
            .unwrap_or_default();
            // Drop the opening brace: the row's user goes first.
            text.get(1..).unwrap_or_default().to_string()
        })
        .collect();
    write!(out, "{{\"version\":{ACCESS_FORMAT_VERSION},\"rows\":[")?;
    for (i, row) in table.rows().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        out.write_all(b"{\"user\":")?;
        serde_json::to_writer(&mut *out, row.user).map_err(io::Error::other)?;
        out.write_all(b",")?;
        out.write_all(rests[row.class].as_bytes())?;
    }
    out.write_all(b"\n]}\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{csv_field, plain_spend};
    use crate::access::Spend;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        for text in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            " pad",
            "",
            "=1+2",
            "@sum",
        ] {
            csv_field(&mut out, text);
            out.push('|');
        }
        assert_eq!(
            out,
            "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" pad\"||'=1+2|'@sum|"
        );
    }

    #[test]
    fn table_amounts_read_as_numbers() {
        assert_eq!(plain_spend(Spend::Cents(123_456)), "1234.56");
        assert_eq!(plain_spend(Spend::Cents(5)), "0.05");
        assert_eq!(plain_spend(Spend::Unlimited), "unlimited");
    }
}
