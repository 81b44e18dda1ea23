//! When a rollout step is out of order: the one test that rule ORDER001 reports and the rollout
//! diagram draws as a red edge, kept here so the two cannot drift apart.

use std::cmp::Reverse;

use crate::graph::Graph;
use crate::model::{At, Date, Policy, StepId, StepStatus};
use crate::profile::Facts;

/// For every step, the four steps with the latest dates among the step itself and the steps it
/// needs, directly or through a chain: latest first, then by name. What ORDER001's date test
/// shows (the latest such step and three related ones) and what `edge_broken` asks, computed
/// once for all steps in one pass over the prerequisite graph; listing every step's ancestors
/// instead costs time squared on a long chain of steps. Four, so that three are left once a
/// step in a loop is left out of its own list.
pub(crate) struct Latest(Vec<Vec<StepId>>);

impl Latest {
    pub(crate) fn build(policy: &Policy, graph: &Graph) -> Latest {
        Latest(graph.first_upstream(4, |s| {
            let step = policy.step(s);
            step.date.map(|d| (Reverse(d.value), step.name.as_str()))
        }))
    }

    /// Steps that `step` needs, directly or through a chain, among which are its three latest
    /// dated ones, whichever order among equal dates a caller prefers (such as direct
    /// prerequisites first): its direct prerequisites, and the latest four upstream of each.
    /// Not `step` itself. Sorted by id.
    pub(crate) fn before(&self, graph: &Graph, step: StepId) -> Vec<StepId> {
        let mut found: Vec<StepId> = graph
            .prerequisites(step)
            .iter()
            .flat_map(|p| std::iter::once(p.step).chain(self.upstream(p.step).iter().copied()))
            .filter(|&s| s != step)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The latest four among `step` and the steps it needs.
    fn upstream(&self, step: StepId) -> &[StepId] {
        self.0.get(step.index()).map_or(&[][..], Vec::as_slice)
    }
}

/// Whether `step` is marked done while `prerequisite` is neither done nor skipped, nor a step
/// its orgs' plans do not have (see [`not_on_plan`]).
pub(crate) fn done_too_early(
    policy: &Policy,
    facts: &Facts,
    step: StepId,
    prerequisite: StepId,
) -> bool {
    policy.step(step).status() == StepStatus::Done
        && !policy.step(prerequisite).status().is_settled()
        && !not_on_plan(policy, facts, prerequisite)
}

/// The built-in steps of RBAC, which a plan without custom roles never takes.
const RBAC_STEPS: [&str; 3] = ["rbac-roles-configured", "rbac-tested", "rbac-enforced"];

/// Whether `step` is an RBAC step that no org it applies to can take: each records a plan
/// without custom roles (the profile's `rbac_plans`). On such a plan RBAC never comes, so
/// nothing waits for it; an org with no plan recorded is held to RBAC. The orgs an entry
/// applies to are its org, else every org without an entry of its own.
pub(crate) fn not_on_plan(policy: &Policy, facts: &Facts, step: StepId) -> bool {
    let entry = policy.step(step);
    if !RBAC_STEPS.contains(&entry.name.as_str()) {
        return false;
    }
    let without_rbac = |org| {
        policy
            .org(org)
            .plan
            .is_some_and(|plan| !facts.rbac_plans.contains(&plan.value))
    };
    match entry.org {
        Some(org) => without_rbac(org),
        None => {
            let mut orgs = policy
                .org_ids()
                .filter(|&org| policy.step_in(Some(org), &entry.name) == Some(step))
                .peekable();
            orgs.peek().is_some() && orgs.all(without_rbac)
        }
    }
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
    facts: &Facts,
    latest: &Latest,
    prerequisite: StepId,
    step: StepId,
) -> bool {
    done_too_early(policy, facts, step, prerequisite)
        || !dated_later(policy, step, latest.upstream(prerequisite).iter().copied()).is_empty()
}
