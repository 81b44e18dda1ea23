use crate::diagnostic::list_names;
use crate::model::Entitlement;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, pilot_ahead, plan_without_rbac};

declare_rule! {
    /// ## What it flags
    ///
    /// Roles that grant `cowork` to groups of an org where Cowork is not enabled
    /// (`coworkEnabled: false`), or where `coworkEnabled` is not recorded: unknown, not off,
    /// and the message says so (see "Settings not recorded" in docs/format.md).
    ///
    /// Not while the policy shows the org's pilot still ahead (a `pilot-launch` step the rollout
    /// has not reached, or a launch date to come): keeping Cowork off until RBAC is enforced is
    /// how a pilot stays gated to the groups whose roles grant it, since until then every member
    /// has what the org enables (RBAC007). An org whose plan has no custom roles is left to
    /// RBAC006.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Enable Claude Cowork at the org level, then create custom roles with
    /// the Claude Cowork entitlement and assign them to groups." The organisation setting wins
    /// over roles: while Cowork is off for the org, no role can grant it, and the users the
    /// roles were written for get nothing.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: false
    /// groups:
    ///   - name: pilot
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
    ///     coworkEnabled: true
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork]
    ///     groups: [pilot]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC002",
        name: "cowork-disabled-at-org",
        area: Rbac,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        if o.cowork_enabled() || plan_without_rbac(cx, org).is_some() || pilot_ahead(cx, org) {
            continue;
        }
        let grants = grants_in_org(policy, org, Entitlement::Cowork);
        if grants.is_empty() {
            continue;
        }
        let mut roles: Vec<&str> = grants
            .iter()
            .map(|(r, _)| policy.role(*r).name.value.as_str())
            .collect();
        roles.dedup();
        let mut groups: Vec<&str> = grants
            .iter()
            .map(|(_, g)| policy.group(g.value).name.value.as_str())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        let (span, label, state) = match o.cowork_enabled {
            Some(setting) => (
                setting.span,
                "Cowork is off for this org",
                "Cowork is not enabled",
            ),
            None => (
                o.name.span,
                "no `coworkEnabled` on this org",
                "`coworkEnabled` is not recorded",
            ),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "{} {} {} `cowork` to {} in org `{}`, where {state}",
                if roles.len() == 1 { "role" } else { "roles" },
                list_names(&roles, 3),
                if roles.len() == 1 { "grants" } else { "grant" },
                list_names(&groups, 3),
                o.name.value
            ),
        )
        .label(label)
        .help(format!(
            "set `coworkEnabled: true` on org `{}`: no custom role can grant a feature that is disabled at the org level",
            o.name.value
        ));
        let mut shown = Vec::new();
        for (role, _) in &grants {
            if shown.contains(role) || shown.len() == 3 {
                continue;
            }
            shown.push(*role);
            if let Some(grant) = policy.role(*role).grant(Entitlement::Cowork) {
                draft = draft.related(
                    grant.span,
                    format!(
                        "`cowork` granted by `{}` here",
                        policy.role(*role).name.value
                    ),
                );
            }
        }
        out.push(draft);
    }
}
