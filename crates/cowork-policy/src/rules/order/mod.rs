//! The order of rollout steps, against the built-in dependency graph and the policy's own steps,
//! and the SSO and RBAC settings against the steps that record them.

pub(crate) mod rbac_enforced_before_sso;
pub(crate) mod state_contradicts_step;
pub(crate) mod step_before_prerequisite;
pub(crate) mod step_cycle;

use crate::model::{IdpId, OrgId, Policy, RbacState, SsoState};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &step_before_prerequisite::RULE,
    &step_cycle::RULE,
    &state_contradicts_step::RULE,
    &rbac_enforced_before_sso::RULE,
];

/// The identity provider an org signs in with: the one it names, else its parent's, else the
/// policy's only one.
pub(crate) fn org_idp(policy: &Policy, org: OrgId) -> Option<IdpId> {
    let o = policy.org(org);
    o.idp
        .or_else(|| o.parent.and_then(|p| policy.org(p).idp))
        .or_else(|| (policy.idps.len() == 1).then_some(IdpId(0)))
}

/// An `rbac:` value as written.
pub(crate) fn rbac_word(state: RbacState) -> &'static str {
    match state {
        RbacState::Off => "off",
        RbacState::Configured => "configured",
        RbacState::Tested => "tested",
        RbacState::Enforced => "enforced",
    }
}

/// An `sso:` value as written.
pub(crate) fn sso_word(state: SsoState) -> &'static str {
    match state {
        SsoState::Planned => "planned",
        SsoState::Configured => "configured",
        SsoState::Tested => "tested",
        SsoState::Enforced => "enforced",
    }
}
