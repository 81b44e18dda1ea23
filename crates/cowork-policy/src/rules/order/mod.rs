//! The order of rollout steps, against the built-in dependency graph and the policy's own steps.

pub(crate) mod step_before_prerequisite;
pub(crate) mod step_cycle;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[&step_before_prerequisite::RULE, &step_cycle::RULE];
