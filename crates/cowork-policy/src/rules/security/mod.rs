//! Security controls and network prerequisites: egress, mounts, extensions, proxy allowlists, secrets.

pub(crate) mod egress_allowlist_missing;
pub(crate) mod extension_allowlist_missing;
pub(crate) mod mount_controls_missing;
pub(crate) mod plaintext_secret;
pub(crate) mod required_domains_blocked;

use std::collections::VecDeque;

use crate::diagnostic::list_names;
use crate::model::rollout::PerOrg;
use crate::model::{OrgId, Policy, Security, Span, StepStatus};
use crate::rules::{Context, Rule};

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &egress_allowlist_missing::RULE,
    &mount_controls_missing::RULE,
    &extension_allowlist_missing::RULE,
    &required_domains_blocked::RULE,
    &plaintext_secret::RULE,
];

/// The orgs a per-org section applies to: the org it names, else every org without a section
/// of its own.
pub(crate) fn applies_to<T: PerOrg>(policy: &Policy, sections: &[T], section: &T) -> Vec<OrgId> {
    match section.org() {
        Some(org) => vec![org],
        None => policy
            .org_ids()
            .filter(|&o| sections.iter().all(|s| s.org() != Some(o)))
            .collect(),
    }
}

/// `` org `acme` ``, `` orgs `acme-us` and `acme-eu` ``, for a message.
pub(crate) fn describe_orgs(policy: &Policy, orgs: &[OrgId]) -> String {
    let names: Vec<&str> = orgs
        .iter()
        .map(|&o| policy.org(o).name.value.as_str())
        .collect();
    match names.len() {
        0 => "no org".to_string(),
        1 => format!("org {}", list_names(&names, 1)),
        _ => format!("orgs {}", list_names(&names, 3)),
    }
}

/// The orgs of a per-org section, described for a message.
pub(crate) fn section_orgs<T: PerOrg>(policy: &Policy, sections: &[T], section: &T) -> String {
    describe_orgs(policy, &applies_to(policy, sections, section))
}

/// Where the policy shows that the rollout has reached `step`: the status of the step itself
/// when it is in progress or done, else that of the nearest step that needs it and is. `None`
/// when the rollout has not reached it ([`Context::reached`]).
pub(crate) fn reached_at(cx: &Context<'_>, step: &str) -> Option<(Span, String)> {
    if !cx.reached(step) {
        return None;
    }
    let policy = cx.policy;
    let target = policy.step_ids().find(|&s| policy.step(s).name == step)?;
    let steps: Vec<_> = policy.step_ids().collect();
    // Breadth first along "is needed by" edges, so the nearest started step wins.
    let mut seen = vec![false; steps.len()];
    let mut queue = VecDeque::from([target]);
    while let Some(s) = queue.pop_front() {
        if std::mem::replace(&mut seen[s.index()], true) {
            continue;
        }
        let found = policy.step(s);
        if let Some(status) = found.status
            && matches!(status.value, StepStatus::InProgress | StepStatus::Done)
        {
            let state = match status.value {
                StepStatus::Done => "done",
                _ => "in progress",
            };
            return Some((status.span, format!("`{}` is {state}", found.name)));
        }
        for &next in &steps {
            if cx.graph.prerequisites(next).iter().any(|p| p.step == s) {
                queue.push_back(next);
            }
        }
    }
    None
}

/// The orgs no `security:` section applies to, with where the rollout shows it has reached
/// `security-controls`: what SEC001, SEC002 and SEC003 report when there is no section to
/// point at. `None` when every org has one, or the rollout has not got that far.
pub(crate) fn unsecured(cx: &Context<'_>) -> Option<(Vec<OrgId>, Span, String)> {
    let policy = cx.policy;
    let sections: &[Security] = &policy.security;
    let uncovered: Vec<OrgId> = policy
        .org_ids()
        .filter(|&o| crate::model::for_org(sections, o).is_none())
        .collect();
    // A policy with no orgs at all is uncovered as a whole when it has no section.
    if uncovered.is_empty() && !(policy.orgs.is_empty() && sections.is_empty()) {
        return None;
    }
    let (span, label) = reached_at(cx, "security-controls")?;
    Some((uncovered, span, label))
}

/// The subject of an `unsecured` message: `` org `acme` `` or "the rollout".
pub(crate) fn unsecured_subject(policy: &Policy, orgs: &[OrgId]) -> String {
    if orgs.is_empty() {
        "the rollout".to_string()
    } else {
        describe_orgs(policy, orgs)
    }
}

#[cfg(test)]
mod tests {
    /// The SEC001 finding of a policy with one org and no `security:` section, by label.
    fn no_section(steps: &str) -> Option<(u32, String)> {
        let text = format!("apiVersion: cowork-policy/v1\norgs:\n  - name: acme\nsteps:\n{steps}");
        let policy = crate::load_sources([("p.yaml", text.as_str())]).unwrap();
        crate::check(&policy)
            .findings
            .into_iter()
            .find(|f| f.code == "SEC001")
            .map(|f| (f.location.line, f.label))
    }

    #[test]
    fn points_at_the_nearest_started_step_that_needs_security_controls() {
        // The step itself.
        assert_eq!(
            no_section("  - name: security-controls\n    status: done\n"),
            Some((6, "`security-controls` is done".to_string()))
        );
        // A later step that needs it: the nearest one, not the last one.
        assert_eq!(
            no_section(
                "  - name: rbac-enforced\n    status: in-progress\n  - name: pilot-launch\n    status: in-progress\n"
            ),
            Some((8, "`pilot-launch` is in progress".to_string()))
        );
        // Not reached: pending or skipped steps, or steps that do not need it.
        assert_eq!(
            no_section("  - name: security-controls\n    status: skipped\n"),
            None
        );
        assert_eq!(
            no_section("  - name: connectors-live\n    status: done\n"),
            None
        );
    }
}
