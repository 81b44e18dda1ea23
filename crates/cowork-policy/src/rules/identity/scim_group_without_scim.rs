use crate::diagnostic::list_names;
use crate::model::{At, GroupId, Provisioning};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A SCIM-synced group (`scim: true`) that a role is assigned to, in an org that provisions
    /// by invite (`provisioning: invite-only`) or just in time (`provisioning: jit`). One finding
    /// per group.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: with invite-only or JIT provisioning, "you can only use
    /// manually created groups for RBAC". The role on a SCIM group grants nobody anything, so the
    /// users the role was written for get no Cowork, and once RBAC is enforced, no access at
    /// all.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     provisioning: jit
    /// groups:
    ///   - name: pilot
    ///     scim: true
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork]
    ///     groups: [pilot]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     provisioning: jit
    /// groups:
    ///   - name: pilot
    ///     scim: false
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork]
    ///     groups: [pilot]
    /// ```
    pub(crate) static RULE = {
        code: "IDP009",
        name: "scim-group-without-scim",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for group in policy.group_ids() {
        let g = policy.group(group);
        let Some(scim) = g.scim.filter(|s| s.value) else {
            continue;
        };
        let Some(org) = g.org else {
            continue;
        };
        let o = policy.org(org);
        let Some(provisioning) = o
            .provisioning
            .filter(|p| matches!(p.value, Provisioning::InviteOnly | Provisioning::Jit))
        else {
            continue;
        };
        // Each role on this group, with where it is assigned.
        let assignments: Vec<(&str, At<GroupId>)> = policy
            .roles
            .iter()
            .flat_map(|r| {
                r.groups
                    .iter()
                    .filter(|a| a.value == group)
                    .map(move |a| (r.name.value.as_str(), *a))
            })
            .collect();
        if assignments.is_empty() {
            continue;
        }
        let mut roles: Vec<&str> = assignments.iter().map(|(r, _)| *r).collect();
        roles.dedup();
        let mut draft = Draft::new(
            &RULE,
            scim.span,
            format!(
                "group `{}` is synced by SCIM and carries {} {}, but org `{}` provisions by `{}`, where only groups created in Claude can be used for RBAC",
                g.name.value,
                if roles.len() == 1 { "role" } else { "roles" },
                list_names(&roles, 3),
                o.name.value,
                provisioning.value.as_str()
            ),
        )
        .label("synced by SCIM")
        .help(format!(
            "create `{}` in Claude and assign the {} there, or provision org `{}` by SCIM",
            g.name.value,
            if roles.len() == 1 { "role" } else { "roles" },
            o.name.value
        ));
        for (role, assignment) in assignments.iter().take(3) {
            draft = draft.related(assignment.span, format!("role `{role}` assigned here"));
        }
        draft = draft.related(
            provisioning.span,
            format!(
                "`{}` provisions by `{}` here",
                o.name.value,
                provisioning.value.as_str()
            ),
        );
        out.push(draft);
    }
}
