//! Drift: the live org, as a snapshot shows it, against the policy. These rules have no check
//! function: `crate::drift` compares a policy with a snapshot and reports their findings; `check`
//! never does, since it has no snapshot.

pub(crate) mod effective_limit_mismatch;
pub(crate) mod group_limit_mismatch;
pub(crate) mod group_members_differ;
pub(crate) mod group_source_mismatch;
pub(crate) mod live_group_limit;
pub(crate) mod live_group_not_in_policy;
pub(crate) mod live_primary_owner_count;
pub(crate) mod member_not_provisioned;
pub(crate) mod org_setting_mismatch;
pub(crate) mod provisioned_user_not_member;
pub(crate) mod role_mismatch;
pub(crate) mod scim_group_missing_live;
pub(crate) mod seats_taken_live;
pub(crate) mod user_role_under_rbac;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &effective_limit_mismatch::RULE,
    &group_limit_mismatch::RULE,
    &group_members_differ::RULE,
    &group_source_mismatch::RULE,
    &live_group_limit::RULE,
    &live_group_not_in_policy::RULE,
    &member_not_provisioned::RULE,
    &org_setting_mismatch::RULE,
    &live_primary_owner_count::RULE,
    &provisioned_user_not_member::RULE,
    &role_mismatch::RULE,
    &scim_group_missing_live::RULE,
    &seats_taken_live::RULE,
    &user_role_under_rbac::RULE,
];
