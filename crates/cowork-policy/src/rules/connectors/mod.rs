//! Connectors: the two-gate model, owners, and when they go live.

pub(crate) mod connector_before_rbac;
pub(crate) mod connector_without_owner;
pub(crate) mod oauth_directions_missing;
pub(crate) mod per_group_connector;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &per_group_connector::RULE,
    &connector_without_owner::RULE,
    &connector_before_rbac::RULE,
    &oauth_directions_missing::RULE,
];
