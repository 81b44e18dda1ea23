//! The rollout guide's dependency graph of steps, as data.
//!
//! Source: `rules.md` ("The built-in rollout dependency graph"), from the guide's "SSO before
//! RBAC", "Configure \[connectors\] after RBAC is in place", "Deploy ... after identity, access, and
//! connectors are all confirmed working" and "Migrate to enforcement last", read against the
//! platform's documentation (`platform-facts.md`). A policy's own steps add edges to this table;
//! they never replace it.
//!
//! Where RBAC enforcement sits. `rules.md` once put `rbac-enforced` after everything, the pilot
//! included. But "Custom roles only affect members whose role is set to Custom roles" (support
//! article 13930452, *Manage custom roles*): until members are migrated to enforcement, each has
//! every feature the org enables, whatever the roles on their groups say. A pilot gated to one
//! group therefore needs enforcement *before* it opens, or every member of the org is in the
//! pilot. So "Migrate to enforcement last" is read as last *of the RBAC steps*: after the roles
//! are configured and tested ("migrating before roles are configured drops every user to zero
//! permissions"), and before the pilot. The guide's "Configure distribution policies and
//! pre-approve plugins before launch" puts `plugins-approved` before `pilot-launch` too, an edge
//! that used to come only through `rbac-enforced`. Enforcing SSO and enforcing RBAC are not
//! ordered against each other: "SSO before RBAC. Do not enforce either until both are fully
//! configured" orders the configuring, and both enforcements need `rbac-tested`.

use std::collections::HashMap;

use super::{Policy, Span, StepId};

/// Each built-in step and the steps it directly needs, in rollout order.
pub(crate) const BUILTIN: &[(&str, &[&str])] = &[
    ("planning", &[]),
    ("sso-configured", &["planning"]),
    ("idp-groups", &["sso-configured"]),
    ("rbac-roles-configured", &["idp-groups"]),
    ("rbac-tested", &["rbac-roles-configured"]),
    ("sso-enforced", &["rbac-tested"]),
    ("connectors-live", &["rbac-roles-configured"]),
    ("plugins-approved", &["connectors-live"]),
    ("security-controls", &["planning"]),
    ("observability-live", &["planning"]),
    (
        "desktop-deployed",
        &["sso-configured", "rbac-tested", "connectors-live"],
    ),
    ("deployment-verified", &["desktop-deployed"]),
    ("prelaunch-checklist", &["planning"]),
    // Enforcement needs tested roles, and a gated pilot needs enforcement (see above).
    ("rbac-enforced", &["rbac-tested"]),
    (
        "pilot-launch",
        &[
            "security-controls",
            "observability-live",
            "deployment-verified",
            "prelaunch-checklist",
            "plugins-approved",
            "rbac-enforced",
        ],
    ),
];

/// Every prerequisite edge between step entries, as (prerequisite, step, where the policy
/// declared it: `None` for a built-in edge), each once, sorted.
///
/// Steps are per org: each org sees its own entry of a step where it has one, else the shared
/// entry (see [`Policy::step_in`]), and every edge of the table above and of the policy's
/// `after:` joins two entries that the same org sees. An entry shared by several orgs is one
/// event for all of them, so it gets the edges of each: a shared `deployment-verified` needs
/// every org's `desktop-deployed`, and an org's own `pilot-launch` needs the shared steps before
/// it. With one org, or with no step naming an org, these are the table's edges and the policy's
/// `after:`, as they were before steps could name an org.
pub(crate) fn edges(policy: &Policy) -> Vec<(StepId, StepId, Option<Span>)> {
    let mut edges = Vec::new();
    for scope in policy.step_scopes() {
        // The entry of each name that this org sees: the shared ones, then its own over them.
        let mut seen: HashMap<&str, StepId> = HashMap::new();
        for own in [false, true] {
            for id in policy.step_ids() {
                let step = policy.step(id);
                let fits = if own {
                    step.org.is_some() && step.org == scope
                } else {
                    step.org.is_none()
                };
                if fits {
                    seen.insert(step.name.as_str(), id);
                }
            }
        }
        for (&name, &id) in &seen {
            if let Some((_, needs)) = BUILTIN.iter().find(|(n, _)| *n == name) {
                for need in *needs {
                    if let Some(&from) = seen.get(need) {
                        edges.push((from, id, None));
                    }
                }
            }
            for after in &policy.step(id).after {
                if let Some(&from) = seen.get(policy.step(after.value).name.as_str()) {
                    edges.push((from, id, Some(after.span)));
                }
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}
