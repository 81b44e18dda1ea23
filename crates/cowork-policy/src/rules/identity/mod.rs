//! Identity providers, SSO and IdP groups.

pub(crate) mod group_cycle;
pub(crate) mod nested_idp_group;
pub(crate) mod role_assigned_to_user;
pub(crate) mod sso_enforced_early;
pub(crate) mod unknown_reference;
