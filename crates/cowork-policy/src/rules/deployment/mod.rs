//! Deploying the desktop app and verifying it.

pub(crate) mod deployment_unverified;
pub(crate) mod unsupported_platform;
pub(crate) mod windows_exe_installer;

use crate::diagnostic::list_names;
use crate::model::rollout::PerOrg;
use crate::model::{OrgId, Policy, for_org};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &windows_exe_installer::RULE,
    &unsupported_platform::RULE,
    &deployment_unverified::RULE,
];

/// The orgs that `section` (one of `sections`) applies to: its own org, or, for a section that
/// names none, every org without a section of its own.
pub(crate) fn orgs_of<T: PerOrg>(policy: &Policy, sections: &[T], section: &T) -> Vec<OrgId> {
    policy
        .org_ids()
        .filter(|&org| for_org(sections, org).is_some_and(|s| std::ptr::eq(s, section)))
        .collect()
}

/// The orgs a section applies to, for a message: `` org `acme` ``, `` orgs `a` and `b` ``, or
/// `every org` when the policy names none that it applies to.
pub(crate) fn whom(policy: &Policy, orgs: &[OrgId]) -> String {
    let names: Vec<&str> = orgs
        .iter()
        .map(|&o| policy.org(o).name.value.as_str())
        .collect();
    match names.len() {
        0 => "every org".to_string(),
        1 => format!("org {}", list_names(&names, 3)),
        _ => format!("orgs {}", list_names(&names, 3)),
    }
}
