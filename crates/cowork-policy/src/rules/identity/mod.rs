//! Identity providers, SSO and IdP groups.

pub(crate) mod group_cycle;
pub(crate) mod nested_idp_group;
pub(crate) mod role_assigned_to_user;
pub(crate) mod sso_enforced_early;
pub(crate) mod unknown_reference;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &nested_idp_group::RULE,
    &group_cycle::RULE,
    &unknown_reference::RULE,
    &role_assigned_to_user::RULE,
    &sso_enforced_early::RULE,
];
