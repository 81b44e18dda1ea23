//! The platform profile itself: whether the facts the rules check against are still current.

pub(crate) mod stale_platform_facts;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[&stale_platform_facts::RULE];
