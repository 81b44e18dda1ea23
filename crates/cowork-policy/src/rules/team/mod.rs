//! The rollout team: owners, admins and champions.

pub(crate) mod champions_per_department;
pub(crate) mod primary_owner_count;
pub(crate) mod rollout_role_missing;

use crate::diagnostic::list_names;
use crate::model::rollout::PerOrg;
use crate::model::{OrgId, Policy, for_org};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &primary_owner_count::RULE,
    &rollout_role_missing::RULE,
    &champions_per_department::RULE,
];

/// The orgs that `sections[index]` applies to (see [`for_org`]), in org order. Empty for a
/// section without `org:` when every org has a section of its own.
pub(crate) fn applies_to<T: PerOrg>(policy: &Policy, sections: &[T], index: usize) -> Vec<OrgId> {
    policy
        .org_ids()
        .filter(|&org| {
            for_org(sections, org).is_some_and(|found| std::ptr::eq(found, &sections[index]))
        })
        .collect()
}

/// `` org `acme` `` or `` orgs `acme-us` and `acme-eu` ``, for messages.
pub(crate) fn org_names(policy: &Policy, orgs: &[OrgId]) -> String {
    let names: Vec<&str> = orgs
        .iter()
        .map(|&o| policy.org(o).name.value.as_str())
        .collect();
    format!(
        "{} {}",
        if names.len() == 1 { "org" } else { "orgs" },
        list_names(&names, 3)
    )
}
