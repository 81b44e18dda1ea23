use std::collections::BTreeMap;

use crate::diagnostic::list_names;
use crate::model::{Entitlement, GroupId, RoleId, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::plan_without_rbac;

declare_rule! {
    /// ## What it flags
    ///
    /// A role that is meant to withhold an entitlement from its groups (`withholds`), whose
    /// members still get that entitlement from another role, on another of their groups or on
    /// the same one. One finding per withholding group and granting group, with the user count.
    /// Members of an org whose plan has no custom roles are left to RBAC006.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Roles are additive — a user in multiple groups gets the union of
    /// permissions." There is no deny: "If any of the member's custom roles grant the feature,
    /// they have it." A restricted group is only as restricted as every other group its members
    /// are in.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    /// groups:
    ///   - name: all-staff
    ///     members: [ana@acme.com, bo@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: staff
    ///     entitlements: [cowork, chat]
    ///     groups: [all-staff]
    ///   - name: contractor-chat-only
    ///     entitlements: [chat]
    ///     withholds: [cowork]
    ///     groups: [contractors]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    /// groups:
    ///   - name: employees
    ///     members: [ana@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: staff
    ///     entitlements: [cowork, chat]
    ///     groups: [employees]
    ///   - name: contractor-chat-only
    ///     entitlements: [chat]
    ///     withholds: [cowork]
    ///     groups: [contractors]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC004",
        name: "additive-role-override",
        area: Rbac,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // Every intent to withhold: (role, the withheld entitlement, a group the role is on).
    let mut intents = Vec::new();
    for role in policy.role_ids() {
        for withheld in &policy.role(role).withholds {
            for group in &policy.role(role).groups {
                intents.push((role, withheld, *group));
            }
        }
    }
    if intents.is_empty() {
        return;
    }
    let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); policy.groups.len()];
    for (i, (_, _, group)) in intents.iter().enumerate() {
        by_group[group.value.index()].push(i);
    }
    // For each entitlement and group, the roles on that group that grant it.
    let mut granting: [Vec<Vec<RoleId>>; 3] = Default::default();
    for entitlement in Entitlement::ALL {
        let table = &mut granting[entitlement as usize];
        table.resize(policy.groups.len(), Vec::new());
        for r in policy.role_ids() {
            if policy.role(r).grant(entitlement).is_some() {
                for g in &policy.role(r).groups {
                    table[g.value.index()].push(r);
                }
            }
        }
    }
    // One pass over the access table: (intent, granting group, granting role) -> users.
    let mut leaks: BTreeMap<(usize, GroupId, RoleId), Vec<UserId>> = BTreeMap::new();
    // Orgs on a plan without custom roles have no roles to add up: RBAC006 reports them.
    let no_rbac: Vec<bool> = policy
        .org_ids()
        .map(|org| plan_without_rbac(cx, org).is_some())
        .collect();
    for class in &cx.access.classes {
        if no_rbac[class.org.index()] {
            continue;
        }
        for group in &class.groups {
            for &intent in &by_group[group.index()] {
                let table = &granting[intents[intent].1.value as usize];
                for &other in &class.groups {
                    for &r in &table[other.index()] {
                        leaks
                            .entry((intent, other, r))
                            .or_default()
                            .extend(&class.users);
                    }
                }
            }
        }
    }
    for ((intent, granting_group, granting_role), mut users) in leaks {
        let (withholding_role, withheld, group) = intents[intent];
        let role = policy.role(withholding_role);
        users.sort();
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let entitlement = withheld.value.as_str();
        let source = if granting_group == group.value {
            format!(
                "role `{}`, also on `{}`",
                policy.role(granting_role).name.value,
                policy.group(granting_group).name.value
            )
        } else {
            format!(
                "role `{}` on group `{}`",
                policy.role(granting_role).name.value,
                policy.group(granting_group).name.value
            )
        };
        let mut draft = Draft::new(
            &RULE,
            withheld.span,
            format!(
                "role `{}` withholds `{entitlement}` from `{}`, but {} of its members still {} it from {source} ({})",
                role.name.value,
                policy.group(group.value).name.value,
                users.len(),
                if users.len() == 1 { "gets" } else { "get" },
                list_names(&emails, 3)
            ),
        )
        .label("roles cannot deny")
        .help(if granting_group == group.value {
            format!(
                "roles are additive: take role `{}` off `{}`, or stop it granting `{entitlement}`",
                policy.role(granting_role).name.value,
                policy.group(group.value).name.value
            )
        } else {
            format!(
                "roles are additive: take these users out of `{}`, or stop granting `{entitlement}` there",
                policy.group(granting_group).name.value
            )
        });
        if let Some(grant) = policy.role(granting_role).grant(withheld.value) {
            draft = draft.related(grant.span, format!("`{entitlement}` granted here"));
        }
        if let Some(assigned) = policy
            .role(granting_role)
            .groups
            .iter()
            .find(|g| g.value == granting_group)
        {
            draft = draft.related(
                assigned.span,
                format!(
                    "assigned to `{}` here",
                    policy.group(granting_group).name.value
                ),
            );
        }
        out.push(draft);
    }
}
