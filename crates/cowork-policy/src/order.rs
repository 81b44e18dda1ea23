//! When a rollout step is out of order: the one test that rule ORDER001 reports and the rollout
//! diagram draws as a red edge, kept here so the two cannot drift apart.

use crate::graph::Graph;
use crate::model::{At, Date, Policy, StepId, StepStatus};

/// Whether `step` is marked done while `prerequisite` is neither done nor skipped.
pub(crate) fn done_too_early(policy: &Policy, step: StepId, prerequisite: StepId) -> bool {
    policy.step(step).status() == StepStatus::Done
        && !policy.step(prerequisite).status().is_settled()
}

/// The steps among `before` dated later than `step`, each with its date. Empty when `step` has
/// no date.
pub(crate) fn dated_later(
    policy: &Policy,
    step: StepId,
    before: impl IntoIterator<Item = StepId>,
) -> Vec<(StepId, At<Date>)> {
    let Some(date) = policy.step(step).date else {
        return Vec::new();
    };
    before
        .into_iter()
        .filter_map(|b| {
            policy
                .step(b)
                .date
                .filter(|d| d.value > date.value)
                .map(|d| (b, d))
        })
        .collect()
}

/// Whether the prerequisite edge `prerequisite` → `step` is broken: `step` is done while
/// `prerequisite` is not settled, or `step` is dated before `prerequisite` or before a step that
/// `prerequisite` needs, directly or through a chain. These are ORDER001's two tests, seen from
/// one edge: every finding of that rule has at least one broken edge into its step.
pub(crate) fn edge_broken(
    policy: &Policy,
    graph: &Graph,
    prerequisite: StepId,
    step: StepId,
) -> bool {
    done_too_early(policy, step, prerequisite)
        || !dated_later(
            policy,
            step,
            std::iter::once(prerequisite).chain(graph.step_ancestors(prerequisite)),
        )
        .is_empty()
}
