//! Org architecture and plan eligibility.

pub(crate) mod architecture_mismatch;
pub(crate) mod plan_not_eligible;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[&architecture_mismatch::RULE, &plan_not_eligible::RULE];
