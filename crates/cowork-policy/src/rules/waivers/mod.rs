//! The waivers themselves: a waiver that cannot be applied, one that matches nothing, one about
//! to expire. These rules have no check function: the waiver stage of `check_with`
//! (`crate::waiver`), which runs after every other rule, reports their findings.

pub(crate) mod invalid_waiver;
pub(crate) mod stale_waiver;
pub(crate) mod waiver_expiring;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &invalid_waiver::RULE,
    &stale_waiver::RULE,
    &waiver_expiring::RULE,
];
