use std::collections::HashMap;

use crate::diagnostic::{list_first, plural};
use crate::model::{Entitlement, GroupId, OrgId, Policy, UserId};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A group that lists another group among its members (`memberGroups`). The finding names
    /// the users who are in the group only through the nested one, and says exactly what they
    /// miss:
    ///
    /// - those whom another synced group of the same org lists directly still sync, through that
    ///   group; they miss this group's roles (those not also on the nested group) and its spend
    ///   limit, which the message names. A synced group is a SCIM-synced one (`scim: true`) when
    ///   this group is SCIM-synced, else any group of the org, the nested group itself included
    ///   when it belongs to the org.
    /// - those whom no such group lists directly "will not sync": they are not provisioned into
    ///   the org through its groups at all.
    ///
    /// A group whose identity provider's kind is listed in the profile's `nestedGroupsSync` is
    /// left alone: there nested members do sync, and effective access counts them.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Nested IdP groups are not supported; only direct members sync." The
    /// IdP shows the nested users as members, so the admin believes they have access; Claude
    /// never sees them, and nothing reports it. Some identity providers can pass nested members
    /// on (Google Workspace groups can nest); where the platform syncs them, say so with
    /// `platform: {nestedGroupsSync: [google-workspace]}`.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: all-staff
    ///     members: [ana@acme.com]
    ///     memberGroups: [contractors]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: all-staff
    ///     members: [ana@acme.com, bo@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// ```
    pub(crate) static RULE = {
        code: "IDP001",
        name: "nested-idp-group",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    if policy.groups.iter().all(|g| g.member_groups.is_empty()) {
        return;
    }
    let direct = direct_groups(policy);
    // Whether a user left out of a group still syncs into its org through a group that lists
    // them directly: a SCIM-synced one when the nesting group is SCIM-synced, else any group of
    // the org. That depends on the nesting group only through its org and its `scim`: one kind
    // for each, and a last kind, never held, for a group with no org.
    let orgs: Vec<OrgId> = policy.org_ids().collect();
    let kinds = orgs.len() * 2 + 1;
    let kind = |g: GroupId| {
        let group = policy.group(g);
        group.org.map_or(kinds - 1, |o| {
            o.index() * 2 + usize::from(group.scim_synced())
        })
    };
    let held = |k: usize, user: UserId| {
        let Some(&org) = orgs.get(k / 2) else {
            return false;
        };
        let scim_only = k % 2 == 1;
        direct[user.index()].iter().any(|&g| {
            let other = policy.group(g);
            other.org == Some(org) && (other.scim_synced() || !scim_only)
        })
    };
    // Who each nesting leaves out, split by whether they are held, for every nesting at once:
    // one pass over the nesting graph, not a walk per nesting, which a long chain of groups
    // makes quadratic.
    let left_out: HashMap<_, _> = cx
        .graph
        .nested_only(3, kinds, kind, held)
        .into_iter()
        .map(|n| ((n.group, n.nested), n))
        .collect();
    for id in policy.group_ids() {
        let group = policy.group(id);
        let syncs_nested = group
            .idp
            .and_then(|idp| policy.idps[idp.index()].kind)
            .is_some_and(|kind| cx.facts.nested_groups_sync.contains(&kind.value));
        if syncs_nested {
            // Effective access counts the nested members as members of this group.
            continue;
        }
        for nested in &group.member_groups {
            if nested.value == id {
                // A group that nests itself adds no one; IDP002 reports the loop.
                continue;
            }
            let Some(left_out) = left_out.get(&(id, nested.value)) else {
                continue;
            };
            // Who still syncs into the org through a group that lists them directly.
            let held = left_out.held;
            let unsynced = left_out.count - held;
            let emails = |users: &[UserId]| -> Vec<&str> {
                users
                    .iter()
                    .map(|&u| policy.user(u).email.as_str())
                    .collect()
            };
            let mut missed = Vec::new();
            for role in policy.role_ids() {
                let role = policy.role(role);
                // A role also on the nested group reaches its direct members anyway.
                let on_group = role.groups.iter().any(|g| g.value == id);
                let on_nested = role.groups.iter().any(|g| g.value == nested.value);
                if on_group && !on_nested {
                    let grants: Vec<&str> = Entitlement::ALL
                        .iter()
                        .filter(|&&e| role.grant(e).is_some())
                        .map(|e| e.as_str())
                        .collect();
                    missed.push(format!(
                        "role `{}` ({})",
                        role.name.value,
                        grants.join(", ")
                    ));
                }
            }
            if let Some((_, limit)) = cx.access.group_limits[id.index()] {
                missed.push(format!("spend limit `{}`", policy.limit(limit).name.value));
            }
            // What the users who do sync elsewhere miss: this group's roles and limit.
            let syncs_but = || {
                let one = held == 1;
                format!(
                    "({}) {} but {}",
                    list_first(&emails(&left_out.held_first), held),
                    if one {
                        "syncs through another group"
                    } else {
                        "sync through other groups"
                    },
                    match (missed.is_empty(), one) {
                        (true, true) => "is not its member in Claude".to_string(),
                        (true, false) => "are not its members in Claude".to_string(),
                        (false, true) => format!("misses its {}", missed.join(" and ")),
                        (false, false) => format!("miss its {}", missed.join(" and ")),
                    }
                )
            };
            let nested_name = &policy.group(nested.value).name;
            let head = format!(
                "group `{}` nests group `{}`",
                group.name.value, nested_name.value
            );
            let will_not_sync = format!(
                "{} reached only through it will not sync, as no synced group lists them directly ({})",
                plural(unsynced, "user"),
                list_first(&emails(&left_out.unheld_first), unsynced)
            );
            let message = match (unsynced == 0, held == 0) {
                (true, true) => format!(
                    "{head}: nested groups do not sync, though today every user in it is also a direct member"
                ),
                (false, true) => format!("{head}: {will_not_sync}"),
                (true, false) => format!(
                    "{head}: {} reached only through it {}",
                    plural(held, "user"),
                    syncs_but()
                ),
                (false, false) => format!("{head}: {will_not_sync}; {held} more {}", syncs_but()),
            };
            let help = if missed.is_empty() {
                format!(
                    "list these users directly in `{}`, or flatten the groups in the IdP",
                    group.name.value
                )
            } else {
                format!(
                    "list these users directly in `{}`, or flatten the groups in the IdP; until then they miss its {}",
                    group.name.value,
                    missed.join(" and ")
                )
            };
            out.push(
                Draft::new(&RULE, nested.span, message)
                    .label(format!(
                        "nested group: its members are not members of `{}`",
                        group.name.value
                    ))
                    .related(
                        nested_name.span,
                        format!("`{}` defined here", nested_name.value),
                    )
                    .help(help),
            );
        }
    }
}

/// Each user's direct groups, by user id.
fn direct_groups(policy: &Policy) -> Vec<Vec<GroupId>> {
    let mut direct = vec![Vec::new(); policy.users.len()];
    for id in policy.group_ids() {
        for member in &policy.group(id).members {
            direct[member.value.index()].push(id);
        }
    }
    direct
}
