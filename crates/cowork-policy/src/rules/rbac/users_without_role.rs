use crate::diagnostic::{list_names, plural};
use crate::model::{GroupId, RbacState, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::plan_without_rbac;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `rbac: enforced` where some members of its groups get no entitlement at all:
    /// none of their direct groups carries a role that grants anything. One finding per org,
    /// naming a few of those users, their count and their groups.
    ///
    /// An org where no role is assigned to any group at all is left to RBAC001, which reports
    /// that every user drops to zero permissions; an org whose plan has no custom roles, to
    /// RBAC006.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "migrating before roles are configured drops every user to zero
    /// permissions." The same holds user by user: a member on custom roles has "no default
    /// capabilities or permissions", so once RBAC is enforced, a user whose groups carry no role
    /// is provisioned, holds a seat, signs in, and can use nothing.
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
    ///   - name: interns
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork, chat]
    ///     groups: [pilot]
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
    ///     members: [ana@acme.com]
    ///   - name: interns
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork, chat]
    ///     groups: [pilot]
    ///   - name: chat-only
    ///     entitlements: [chat]
    ///     groups: [interns]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC003",
        name: "users-without-role",
        area: Rbac,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // Whether each group has a role assigned at all, granting something or not.
    let mut has_role = vec![false; policy.groups.len()];
    for role in policy.role_ids() {
        for group in &policy.role(role).groups {
            has_role[group.value.index()] = true;
        }
    }
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(rbac) = o.rbac.filter(|r| r.value == RbacState::Enforced) else {
            continue;
        };
        if plan_without_rbac(cx, org).is_some() {
            // RBAC006: there is no RBAC to enforce on this plan.
            continue;
        }
        let mut users: Vec<UserId> = Vec::new();
        let mut groups: Vec<GroupId> = Vec::new();
        let mut any_role = false;
        for class in cx.access.classes.iter().filter(|c| c.org == org) {
            any_role |= class.groups.iter().any(|g| has_role[g.index()]);
            if class.grants.iter().all(Option::is_none) {
                users.extend(&class.users);
                groups.extend(&class.groups);
            }
        }
        // No role anywhere in the org: RBAC001 says every user drops to zero permissions.
        if users.is_empty() || !any_role {
            continue;
        }
        users.sort_unstable();
        users.dedup();
        groups.sort_unstable();
        groups.dedup();
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let group_names: Vec<&str> = groups
            .iter()
            .map(|&g| policy.group(g).name.value.as_str())
            .collect();
        let mut draft = Draft::new(
            &RULE,
            rbac.span,
            format!(
                "org `{}` enforces RBAC but {} in {} {} zero permissions: no role on their groups grants anything ({})",
                o.name.value,
                plural(users.len(), "user"),
                list_names(&group_names, 3),
                if users.len() == 1 { "has" } else { "have" },
                list_names(&emails, 3)
            ),
        )
        .label("enforced: members without a role can use nothing")
        .help(format!(
            "assign a role to {} (a `chat`-only role will do), or take these users out of the org's groups",
            list_names(&group_names, 3)
        ));
        for &group in groups.iter().take(3) {
            let g = policy.group(group);
            draft = draft.related(
                g.name.span,
                format!("no role grants `{}` anything", g.name.value),
            );
        }
        out.push(draft);
    }
}
