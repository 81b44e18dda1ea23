//! Custom roles and RBAC, where roles are additive.

pub(crate) mod additive_role_override;
pub(crate) mod cowork_disabled_at_org;
pub(crate) mod no_cowork_role;
pub(crate) mod rbac_enforced_before_roles;
pub(crate) mod users_without_role;

use crate::model::{At, Entitlement, GroupId, OrgId, Policy, RoleId};
use crate::rules::Rule;

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
