use crate::model::{Entitlement, RbacState};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, plan_without_rbac};

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `rbac: enforced` while no custom role granting `cowork` is assigned to any of
    /// its groups, or while the policy's `rbac-tested` step is not done. An org whose plan has no
    /// custom roles is left to RBAC006.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Migrate to enforcement last. There is no in-product undo — migrating
    /// before roles are configured drops every user to zero permissions." Members on custom
    /// roles have no default capabilities: their access comes entirely from the roles on their
    /// groups.
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
    ///   - name: everyone
    ///     members: [ana@acme.com]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     rbac: tested
    /// groups:
    ///   - name: everyone
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork, chat]
    ///     groups: [everyone]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC001",
        name: "rbac-enforced-before-roles",
        area: Rbac,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        // The org's `rbac-tested` step, when the policy lists it and it is not settled.
        let tested_step = policy
            .step_in(Some(org), "rbac-tested")
            .map(|s| policy.step(s))
            .filter(|s| s.span.is_some() && !s.status().is_settled());
        let o = policy.org(org);
        let Some(rbac) = o.rbac.filter(|r| r.value == RbacState::Enforced) else {
            continue;
        };
        if plan_without_rbac(cx, org).is_some() {
            // RBAC006: there is no RBAC to enforce on this plan.
            continue;
        }
        if grants_in_org(policy, org, Entitlement::Cowork).is_empty() {
            let any_role = policy.role_ids().any(|r| {
                policy
                    .role(r)
                    .groups
                    .iter()
                    .any(|g| policy.group(g.value).org == Some(org))
            });
            let consequence = if any_role {
                "no one keeps Cowork"
            } else {
                "every user drops to zero permissions"
            };
            out.push(
                Draft::new(
                    &RULE,
                    rbac.span,
                    format!(
                        "org `{}` enforces RBAC but no role granting `cowork` is assigned to any of its groups: {consequence}",
                        o.name.value
                    ),
                )
                .label("enforced with no Cowork role in place")
                .help("set `rbac: tested`, create a custom role with the `cowork` entitlement, assign it to groups, test, then enforce; there is no in-product undo"),
            );
        } else if let Some(step) = tested_step {
            let mut draft = Draft::new(
                &RULE,
                rbac.span,
                format!(
                    "org `{}` enforces RBAC but step `rbac-tested` is not done",
                    o.name.value
                ),
            )
            .label("enforced before roles were tested")
            .help("test the roles with real users of each group first: enforcing untested roles can drop users to zero permissions, with no undo");
            if let Some(span) = step.status.map(|s| s.span).or(step.span) {
                draft = draft.related(span, "`rbac-tested` is not done here");
            }
            out.push(draft);
        }
    }
}
