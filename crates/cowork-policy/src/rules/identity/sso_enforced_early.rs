use crate::model::{Entitlement, Policy, RbacState, SsoState};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, plan_without_rbac};

declare_rule! {
    /// ## What it flags
    ///
    /// An identity provider with `sso: enforced` while an org it signs users into is not ready:
    /// RBAC is not yet `tested` (roles not configured and tested), or no group of the org has a
    /// role granting `cowork` (group mappings not configured).
    ///
    /// An org whose plan has no custom roles (the profile's plans with RBAC: Enterprise only
    /// today; Team has SSO but not custom roles) is held to neither: it has no roles to configure
    /// nor to map, and RBAC006 reports one that declares RBAC or roles anyway. An org with no
    /// `plan` is held to both, its plan being unknown.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Only enforce SSO after both groups/mappings and RBAC roles are fully
    /// configured and tested. Enforcing early locks out everyone who isn't yet provisioned, and
    /// there's no self-service recovery." And: "SSO before RBAC. Do not enforce either until
    /// both are fully configured."
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     sso: enforced
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     rbac: configured
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     sso: tested
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     rbac: configured
    /// ```
    pub(crate) static RULE = {
        code: "IDP005",
        name: "sso-enforced-early",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy: &Policy = cx.policy;
    for (index, idp) in policy.idps.iter().enumerate() {
        let Some(sso) = idp.sso.filter(|s| s.value == SsoState::Enforced) else {
            continue;
        };
        let only_idp = policy.idps.len() == 1;
        let mut problems = Vec::new();
        let mut related = Vec::new();
        for org in policy.org_ids() {
            let o = policy.org(org);
            // An org names its IdP; one that names none is served by the only IdP, if it has
            // groups to sign in (a parent org without users of its own is not).
            let has_groups = policy.groups.iter().any(|g| g.org == Some(org));
            let served = o.idp.map(|i| i.index()) == Some(index)
                || (o.idp.is_none() && only_idp && has_groups);
            // A plan without custom roles has no RBAC to configure, nor roles to map.
            if !served || plan_without_rbac(cx, org).is_some() {
                continue;
            }
            let rbac = o.rbac_state();
            if rbac < RbacState::Tested {
                problems.push(format!(
                    "org `{}` has RBAC `{}`, not yet tested",
                    o.name.value,
                    rbac_word(rbac)
                ));
                related.push((
                    o.rbac.map_or(o.name.span, |r| r.span),
                    format!("RBAC of `{}` is `{}` here", o.name.value, rbac_word(rbac)),
                ));
            }
            if grants_in_org(policy, org, Entitlement::Cowork).is_empty() {
                problems.push(format!(
                    "org `{}` has no group with a role granting `cowork`",
                    o.name.value
                ));
                related.push((o.name.span, format!("org `{}` defined here", o.name.value)));
            }
        }
        if problems.is_empty() {
            continue;
        }
        let mut draft = Draft::new(
            &RULE,
            sso.span,
            format!(
                "`{}` enforces SSO while {}",
                idp.name.value,
                problems.join(", and ")
            ),
        )
        .label("enforced before groups and roles are ready")
        .help("set `sso: tested` until group mappings and RBAC roles are configured and tested: enforcing early locks out everyone not yet provisioned, with no self-service recovery");
        for (span, label) in related {
            draft = draft.related(span, label);
        }
        out.push(draft);
    }
}

fn rbac_word(state: RbacState) -> &'static str {
    match state {
        RbacState::Off => "off",
        RbacState::Configured => "configured",
        RbacState::Tested => "tested",
        RbacState::Enforced => "enforced",
    }
}
