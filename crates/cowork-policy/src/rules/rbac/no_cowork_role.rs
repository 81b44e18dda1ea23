use crate::model::{Entitlement, RbacState};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, plan_without_rbac};

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `coworkEnabled: true` whose groups carry roles, none of which grants
    /// `cowork`, once the org has got to roles: its `rbac` is `configured` or `tested`, or `rbac`
    /// is left out and the rollout has reached the `rbac-roles-configured` step.
    ///
    /// Turning Cowork on before the roles are written is the guide's own order, so an org with
    /// `rbac: off` (or no `rbac` before that step), or with no role on any of its groups yet, is
    /// not flagged. An org with `rbac: enforced` is left to RBAC001, which reports the same gap
    /// as an error. An org whose plan has no custom roles is not flagged: there the org setting
    /// alone gives Cowork to every member.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Enable Claude Cowork at the org level, then create custom roles with
    /// the Claude Cowork entitlement and assign them to groups." Enabling it at the org level is
    /// only the first half: under RBAC a member's access comes entirely from the roles on their
    /// groups, so with no role granting `cowork`, no one will be able to use it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     rbac: configured
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: chat-users
    ///     entitlements: [chat]
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
    ///     rbac: configured
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork, chat]
    ///     groups: [pilot]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC005",
        name: "no-cowork-role",
        area: Rbac,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(enabled) = o.cowork_enabled.filter(|c| c.value) else {
            continue;
        };
        if plan_without_rbac(cx, org).is_some() {
            // No custom roles on this plan: the org setting gives Cowork to every member.
            continue;
        }
        // Where the org shows it has got to roles.
        let (span, label) = match o.rbac {
            Some(rbac) if rbac.value == RbacState::Configured => {
                (rbac.span, "RBAC configured here")
            }
            Some(rbac) if rbac.value == RbacState::Tested => (rbac.span, "RBAC tested here"),
            None => match cx.reached_at(Some(org), "rbac-roles-configured") {
                Some((span, _)) => (span, "the rollout has reached `rbac-roles-configured` here"),
                None => continue,
            },
            _ => continue,
        };
        // Roles written for the org, none granting `cowork`.
        let has_roles = policy.role_ids().any(|r| {
            policy
                .role(r)
                .groups
                .iter()
                .any(|g| policy.group(g.value).org == Some(org))
        });
        if !has_roles || !grants_in_org(policy, org, Entitlement::Cowork).is_empty() {
            continue;
        }
        out.push(
            Draft::new(
                &RULE,
                enabled.span,
                format!(
                    "org `{}` enables Cowork but no role grants `cowork` to any of its groups, so no one will have it once RBAC is enforced",
                    o.name.value
                ),
            )
            .label("enabled with no role to grant it")
            .related(span, label)
            .help(format!(
                "create a custom role with the `cowork` entitlement and assign it to the groups of org `{}` that should have Cowork",
                o.name.value
            )),
        );
    }
}
