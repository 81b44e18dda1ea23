//! Spend limits, where the most restrictive limit across a user's groups wins.

pub(crate) mod limit_narrowed_by_other_group;
pub(crate) mod zero_effective_limit;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &limit_narrowed_by_other_group::RULE,
    &zero_effective_limit::RULE,
];
