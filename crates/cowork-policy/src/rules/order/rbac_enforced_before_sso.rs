use crate::model::{RbacState, SsoState};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::order::org_idp;

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `rbac: enforced` whose identity provider still has `sso: planned`: RBAC
    /// migrated to enforcement before single sign-on is configured. The org's identity provider
    /// is the one it names, else its parent's, else the policy's only one. An `sso:` the policy
    /// leaves out is not read as planned.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "SSO before RBAC. Do not enforce either until both are fully
    /// configured." RBAC references the IdP groups that SSO and provisioning bring in ("RBAC,
    /// connectors, and deployment all reference the groups you create here"); enforcing it
    /// before SSO is configured leaves members with only what roles on groups that do not sync
    /// yet give them, and there is no in-product undo.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     sso: planned
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     rbac: enforced
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// identityProviders:
    ///   - name: okta
    ///     sso: configured
    /// orgs:
    ///   - name: acme
    ///     identityProvider: okta
    ///     rbac: enforced
    /// ```
    pub(crate) static RULE = {
        code: "ORDER004",
        name: "rbac-enforced-before-sso",
        area: Order,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(rbac) = o.rbac.filter(|r| r.value == RbacState::Enforced) else {
            continue;
        };
        let Some(idp) = org_idp(policy, org).map(|i| &policy.idps[i.index()]) else {
            continue;
        };
        let Some(sso) = idp.sso.filter(|s| s.value < SsoState::Configured) else {
            continue;
        };
        out.push(
            Draft::new(
                &RULE,
                rbac.span,
                format!(
                    "org `{}` enforces RBAC while SSO on identity provider `{}` is only planned",
                    o.name.value, idp.name.value
                ),
            )
            .label("enforced before SSO is configured")
            .related(sso.span, "SSO still `planned` here")
            .help("SSO before RBAC: configure and test SSO and the IdP groups first, and set `rbac: tested` until then; there is no in-product undo of enforcement"),
        );
    }
}
