//! The order of rollout steps, against the built-in dependency graph and the policy's own steps.

pub(crate) mod step_before_prerequisite;
pub(crate) mod step_cycle;
