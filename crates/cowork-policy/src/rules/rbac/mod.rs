//! Custom roles and RBAC, where roles are additive.

pub(crate) mod additive_role_override;
pub(crate) mod cowork_disabled_at_org;
pub(crate) mod no_cowork_role;
pub(crate) mod rbac_enforced_before_roles;
pub(crate) mod users_without_role;

use crate::model::{At, Entitlement, GroupId, OrgId, Policy, RoleId, Span, StepId, StepStatus};
use crate::rules::{Context, Rule};

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &rbac_enforced_before_roles::RULE,
    &cowork_disabled_at_org::RULE,
    &users_without_role::RULE,
    &additive_role_override::RULE,
    &no_cowork_role::RULE,
];

/// The roles granting `entitlement` and the groups of `org` they are assigned to, in role order.
pub(crate) fn grants_in_org(
    policy: &Policy,
    org: OrgId,
    entitlement: Entitlement,
) -> Vec<(RoleId, At<GroupId>)> {
    let mut found = Vec::new();
    for role in policy.role_ids() {
        if policy.role(role).grant(entitlement).is_none() {
            continue;
        }
        for group in &policy.role(role).groups {
            if policy.group(group.value).org == Some(org) {
                found.push((role, *group));
            }
        }
    }
    found
}

/// Where the policy shows that the rollout has reached the built-in step `name`: the status of
/// that step, or of a step that needs it, that is in progress or done. `None` when the rollout
/// has not got there ([`Context::reached`] is false).
pub(crate) fn reached_at(cx: &Context<'_>, name: &str) -> Option<Span> {
    let policy = cx.policy;
    if !cx.reached(name) {
        return None;
    }
    let target = policy.step_ids().find(|&s| policy.step(s).name == name)?;
    let started = |s: StepId| {
        matches!(
            policy.step(s).status(),
            StepStatus::InProgress | StepStatus::Done
        )
    };
    // The step itself first, then the steps that need it, in the order they are defined.
    let needs_target = |from: StepId| {
        let mut seen = vec![false; policy.steps.len()];
        let mut stack = vec![from];
        while let Some(s) = stack.pop() {
            if s == target {
                return true;
            }
            if !std::mem::replace(&mut seen[s.index()], true) {
                stack.extend(cx.graph.prerequisites(s).iter().map(|p| p.step));
            }
        }
        false
    };
    std::iter::once(target)
        .chain(policy.step_ids().filter(|&s| s != target))
        .filter(|&s| started(s) && needs_target(s))
        .find_map(|s| {
            let step = policy.step(s);
            step.status.map(|st| st.span).or(step.span)
        })
}
