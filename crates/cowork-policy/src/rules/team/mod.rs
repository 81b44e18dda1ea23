//! The rollout team: owners, admins and champions.

pub(crate) mod champion_without_access;
pub(crate) mod champions_channel_missing;
pub(crate) mod champions_per_department;
pub(crate) mod primary_owner_count;
pub(crate) mod rollout_role_missing;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &primary_owner_count::RULE,
    &rollout_role_missing::RULE,
    &champions_per_department::RULE,
    &champion_without_access::RULE,
    &champions_channel_missing::RULE,
];
