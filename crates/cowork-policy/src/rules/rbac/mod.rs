//! Custom roles and RBAC, where roles are additive.

pub(crate) mod access_before_enforcement;
pub(crate) mod additive_role_override;
pub(crate) mod cowork_disabled_at_org;
pub(crate) mod no_cowork_role;
pub(crate) mod rbac_enforced_before_roles;
pub(crate) mod rbac_not_on_plan;
pub(crate) mod users_without_role;

use crate::model::{At, Entitlement, GroupId, OrgId, Plan, Policy, RoleId, for_org};
use crate::rules::{Context, Rule};

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &rbac_enforced_before_roles::RULE,
    &cowork_disabled_at_org::RULE,
    &users_without_role::RULE,
    &additive_role_override::RULE,
    &no_cowork_role::RULE,
    &rbac_not_on_plan::RULE,
    &access_before_enforcement::RULE,
];

/// The plan of `org` when the policy records one without custom roles (the profile's
/// `rbac_plans`: Enterprise only today). On such a plan there is no RBAC: every member has what
/// the org enables, rules that demand RBAC state stay silent for the org, and RBAC006 reports
/// what it declares. An org with no `plan` is unknown, not a plan without RBAC: it is held to
/// RBAC as before.
pub(crate) fn plan_without_rbac(cx: &Context<'_>, org: OrgId) -> Option<At<Plan>> {
    cx.policy
        .org(org)
        .plan
        .filter(|plan| !cx.facts.rbac_plans.contains(&plan.value))
}

/// Whether the policy shows `org`'s pilot still ahead: it records a `pilot-launch` step or a
/// launch date, the rollout has not reached `pilot-launch`, and neither date has come. Until
/// then Cowork may be off at the org level on purpose, kept off until RBAC is enforced so that
/// only the groups whose roles grant it get it (RBAC007); a policy that records no launch at all
/// shows nothing of the kind.
pub(crate) fn pilot_ahead(cx: &Context<'_>, org: OrgId) -> bool {
    if cx.reached_at(Some(org), "pilot-launch").is_some() {
        return false;
    }
    let step = cx
        .policy
        .step_in(Some(org), "pilot-launch")
        .map(|id| cx.policy.step(id))
        .filter(|s| s.span.is_some());
    let launch = for_org(&cx.policy.launches, org).and_then(|l| l.date);
    let dates = step.and_then(|s| s.date).into_iter().chain(launch);
    (step.is_some() || launch.is_some()) && dates.into_iter().all(|d| d.value > cx.today)
}

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
