use std::collections::HashMap;

use crate::diagnostic::list_names;
use crate::effective::Class;
use crate::model::{Entitlement, OrgId, Provisioning, Span, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, plan_without_rbac};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// Champions of a rollout team (`team.champions`) who cannot use Cowork ahead of the
    /// others, in the orgs the team applies to:
    ///
    /// - **not provisioned**: the org provisions by SCIM (`provisioning: scim`, or SCIM-synced
    ///   groups) and no SCIM-synced group of it lists the champion directly, so SCIM never
    ///   creates their account. Checked once the org has groups.
    /// - **no Cowork**: none of the champion's groups in the org carries a role granting
    ///   `cowork` (or they are in no group of it at all), so once RBAC is enforced they have no
    ///   Cowork. Checked once roles are assigned to the org's groups, and not on a plan without
    ///   custom roles (RBAC006), where Cowork is the org setting for every member.
    ///
    /// A champion provisioned with Cowork in any one of the team's orgs is fine. One finding per
    /// team and reason, at the first such champion, naming a few of them and their count.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Identify internal champions in each department as part of your pilot
    /// group and equip them early so they can support their teams from day one", and "Give
    /// champions early access so they build fluency before launch." A champion whom SCIM does
    /// not provision, or whose roles leave out Cowork, finds out on launch day, with the people
    /// they were meant to help.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     rbac: enforced
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    ///   - name: staff
    ///     members: [ana@acme.com, bo@acme.com]
    /// roles:
    ///   - name: pilot-cowork
    ///     entitlements: [cowork, chat]
    ///     groups: [pilot]
    ///   - name: chat
    ///     entitlements: [chat]
    ///     groups: [staff]
    /// team:
    ///   champions:
    ///     - department: finance
    ///       people: [bo@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     rbac: enforced
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com, bo@acme.com]
    ///   - name: staff
    ///     members: [ana@acme.com, bo@acme.com]
    /// roles:
    ///   - name: pilot-cowork
    ///     entitlements: [cowork, chat]
    ///     groups: [pilot]
    ///   - name: chat
    ///     entitlements: [chat]
    ///     groups: [staff]
    /// team:
    ///   champions:
    ///     - department: finance
    ///       people: [bo@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "TEAM004",
        name: "champion-without-access",
        area: Team,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    if policy.teams.iter().all(|t| t.champions.is_empty()) {
        return;
    }
    // Every champion's classes, in one pass over the access table.
    let mut classes: HashMap<UserId, Vec<&Class>> = HashMap::new();
    for team in &policy.teams {
        for person in team.champions.iter().flat_map(|c| &c.people) {
            classes.entry(person.value).or_default();
        }
    }
    for class in &cx.access.classes {
        for user in &class.users {
            if let Some(found) = classes.get_mut(user) {
                found.push(class);
            }
        }
    }
    for (index, team) in policy.teams.iter().enumerate() {
        let orgs = orgs_of(policy, &policy.teams, &policy.teams[index]);
        // What the policy shows of each org: groups written, provisioning by SCIM, roles gating.
        let with_groups: Vec<OrgId> = orgs
            .iter()
            .copied()
            .filter(|&o| policy.groups.iter().any(|g| g.org == Some(o)))
            .collect();
        if with_groups.is_empty() {
            continue;
        }
        let by_scim = |org: OrgId| {
            policy.org(org).provisioning.map(|p| p.value) == Some(Provisioning::Scim)
                || policy
                    .groups
                    .iter()
                    .any(|g| g.org == Some(org) && g.scim_synced())
        };
        let gated: Vec<OrgId> = with_groups
            .iter()
            .copied()
            .filter(|&o| plan_without_rbac(cx, o).is_none())
            .filter(|&o| {
                policy.role_ids().any(|r| {
                    policy
                        .role(r)
                        .groups
                        .iter()
                        .any(|g| policy.group(g.value).org == Some(o))
                })
            })
            .collect();
        // Each champion once, at their first mention.
        let mut seen: Vec<UserId> = Vec::new();
        let mut unprovisioned: Vec<(UserId, Span)> = Vec::new();
        let mut without: Vec<(UserId, Span)> = Vec::new();
        for person in team.champions.iter().flat_map(|c| &c.people) {
            if seen.contains(&person.value) {
                continue;
            }
            seen.push(person.value);
            let mine = classes.get(&person.value).map_or(&[][..], Vec::as_slice);
            let provisioned = with_groups.iter().any(|&org| {
                mine.iter().any(|c| {
                    c.org == org
                        && (!by_scim(org)
                            || c.groups.iter().any(|&g| policy.group(g).scim_synced()))
                })
            });
            if !provisioned {
                unprovisioned.push((person.value, person.span));
                continue;
            }
            let cowork = gated.is_empty()
                || mine
                    .iter()
                    .any(|c| gated.contains(&c.org) && c.grant(Entitlement::Cowork).is_some());
            if !cowork {
                without.push((person.value, person.span));
            }
        }
        let scope = orgs_phrase(policy, &with_groups);
        if let Some(draft) = draft(
            cx,
            &unprovisioned,
            (
                ("is", "are"),
                format!("in no SCIM-synced group of {scope}: SCIM will not provision them"),
            ),
            ("champion not provisioned", "is not provisioned either"),
            format!(
                "add them to a SCIM-synced group of {scope}, such as the pilot group, so they are provisioned and get Cowork before launch"
            ),
        ) {
            out.push(draft);
        }
        let granting: Vec<&str> = gated
            .iter()
            .flat_map(|&o| grants_in_org(policy, o, Entitlement::Cowork))
            .map(|(_, g)| policy.group(g.value).name.value.as_str())
            .collect();
        let help = if granting.is_empty() {
            "give the pilot group a role granting `cowork`, and list the champions in it"
                .to_string()
        } else {
            format!(
                "add them to a group whose role grants `cowork` ({}), so they build fluency before launch",
                list_names(&granting, 3)
            )
        };
        if let Some(draft) = draft(
            cx,
            &without,
            (
                ("has", "have"),
                format!(
                    "no Cowork in {}: none of their groups has a role granting `cowork`",
                    orgs_phrase(policy, &gated)
                ),
            ),
            ("champion without Cowork", "has no Cowork either"),
            help,
        ) {
            out.push(draft);
        }
    }
}

/// One finding for the champions in `found`, at the first of them.
fn draft(
    cx: &Context<'_>,
    found: &[(UserId, Span)],
    ((one, many), why): ((&str, &str), String),
    (label, also): (&str, &str),
    help: String,
) -> Option<Draft> {
    let (_, first) = *found.first()?;
    let emails: Vec<&str> = found
        .iter()
        .map(|&(u, _)| cx.policy.user(u).email.as_str())
        .collect();
    let mut draft = Draft::new(
        &RULE,
        first,
        format!(
            "{} {} {} {why}",
            if found.len() == 1 {
                "champion"
            } else {
                "champions"
            },
            list_names(&emails, 3),
            if found.len() == 1 { one } else { many },
        ),
    )
    .label(label)
    .help(help);
    for &(user, span) in found.iter().skip(1).take(3) {
        draft = draft.related(
            span,
            format!("`{}` {also}", cx.policy.user(user).email.as_str()),
        );
    }
    Some(draft)
}
