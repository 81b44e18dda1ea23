//! Security controls and network prerequisites: egress, mounts, extensions, proxy allowlists, secrets.

pub(crate) mod egress_allowlist_missing;
pub(crate) mod extension_allowlist_missing;
pub(crate) mod mount_controls_missing;
pub(crate) mod plaintext_secret;
pub(crate) mod required_domains_blocked;

use crate::model::{OrgId, Policy, Security, Span};
use crate::rules::orgs_phrase;
use crate::rules::{Context, Rule};

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &egress_allowlist_missing::RULE,
    &mount_controls_missing::RULE,
    &extension_allowlist_missing::RULE,
    &required_domains_blocked::RULE,
    &plaintext_secret::RULE,
];

/// The orgs no `security:` section applies to, with where the rollout shows it has reached
/// `security-controls`: what SEC001, SEC002 and SEC003 report when there is no section to
/// point at. `None` when every org has one, or the rollout has not got that far.
pub(crate) fn unsecured(cx: &Context<'_>) -> Option<(Vec<OrgId>, Span, String)> {
    let policy = cx.policy;
    let sections: &[Security] = &policy.security;
    // A policy with no orgs at all is uncovered as a whole when it has no section.
    if policy.orgs.is_empty() {
        if !sections.is_empty() {
            return None;
        }
        let (span, label) = cx.reached_at(None, "security-controls")?;
        return Some((Vec::new(), span, label));
    }
    // Each org whose own rollout has reached the step, with where it shows.
    let mut reached = policy
        .org_ids()
        .filter(|&o| crate::model::for_org(sections, o).is_none())
        .filter_map(|o| {
            cx.reached_at(Some(o), "security-controls")
                .map(|at| (o, at))
        });
    let (first, (span, label)) = reached.next()?;
    let mut uncovered = vec![first];
    uncovered.extend(reached.map(|(o, _)| o));
    Some((uncovered, span, label))
}

/// The subject of an `unsecured` message: `` org `acme` `` or "the rollout".
pub(crate) fn unsecured_subject(policy: &Policy, orgs: &[OrgId]) -> String {
    if orgs.is_empty() {
        "the rollout".to_string()
    } else {
        orgs_phrase(policy, orgs)
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
            Some((
                8,
                "`pilot-launch` is in progress: the rollout is past `security-controls`"
                    .to_string()
            ))
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
