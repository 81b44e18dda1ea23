//! Identity providers, SSO and IdP groups.

pub(crate) mod domain_claimed_twice;
pub(crate) mod domain_not_verified;
pub(crate) mod email_attribute_mismatch;
pub(crate) mod export_incomplete;
pub(crate) mod export_member_unresolved;
pub(crate) mod group_cycle;
pub(crate) mod nested_idp_group;
pub(crate) mod role_assigned_to_user;
pub(crate) mod scim_group_without_scim;
pub(crate) mod scim_not_on_plan;
pub(crate) mod sso_enforced_early;
pub(crate) mod too_many_groups;
pub(crate) mod unknown_reference;
pub(crate) mod whole_domain_member;

use crate::model::{IdpId, OrgId, Policy};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &nested_idp_group::RULE,
    &group_cycle::RULE,
    &unknown_reference::RULE,
    &role_assigned_to_user::RULE,
    &sso_enforced_early::RULE,
    &domain_not_verified::RULE,
    &too_many_groups::RULE,
    &scim_not_on_plan::RULE,
    &scim_group_without_scim::RULE,
    &email_attribute_mismatch::RULE,
    &domain_claimed_twice::RULE,
    &export_incomplete::RULE,
    &export_member_unresolved::RULE,
    &whole_domain_member::RULE,
];

/// The identity providers an org's users sign in with, sorted: the org's `identityProvider`, the
/// `idp` of its groups, and, when the policy defines exactly one identity provider, that one for
/// an org that names none but has groups (as IDP005 reads it).
pub(crate) fn idps_of_org(policy: &Policy, org: OrgId) -> Vec<IdpId> {
    let o = policy.org(org);
    let mut idps: Vec<IdpId> = o.idp.into_iter().collect();
    let mut has_groups = false;
    for group in &policy.groups {
        if group.org == Some(org) {
            has_groups = true;
            idps.extend(group.idp);
        }
    }
    if idps.is_empty() && has_groups && policy.idps.len() == 1 {
        idps.push(IdpId(0));
    }
    idps.sort_unstable();
    idps.dedup();
    idps
}

/// The org that owns an org's domain verification: its top-level parent, or itself when it has
/// none. "Domain verification belongs to the parent organization."
pub(crate) fn verifying_parent(policy: &Policy, org: OrgId) -> OrgId {
    let mut current = org;
    // A loop of parents is not followed round: at most one step per org.
    for _ in 0..policy.orgs.len() {
        match policy.org(current).parent {
            Some(parent) if parent != org => current = parent,
            _ => break,
        }
    }
    current
}

/// The domains verified for a parent org: by it or by any org under it, lowercased, sorted.
pub(crate) fn verified_for_parent(policy: &Policy, parent: OrgId) -> Vec<&str> {
    let mut domains: Vec<&str> = policy
        .org_ids()
        .filter(|&o| verifying_parent(policy, o) == parent)
        .flat_map(|o| policy.org(o).verified_domains.iter())
        .map(|d| d.value.as_str())
        .collect();
    domains.sort_unstable();
    domains.dedup();
    domains
}
