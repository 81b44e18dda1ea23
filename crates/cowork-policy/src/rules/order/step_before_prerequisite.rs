use crate::diagnostic::RELATED_SHOWN;
use crate::model::{Step, StepStatus};
use crate::order;
use crate::rules::Draft;
use crate::rules::{Context, step_name};

declare_rule! {
    /// ## What it flags
    ///
    /// A rollout step marked `done` while one of its direct prerequisites is not done (or
    /// skipped), and a step dated before a step it depends on, directly or through a chain of
    /// prerequisites (one finding per step, naming the latest such date). Prerequisites are the
    /// rollout guide's built-in dependency graph plus the policy's own `after:`. A built-in step
    /// the policy does not list counts as pending. Steps are per org: an entry with `org:` is
    /// checked against the entries that org sees (its own, else the shared ones), and a shared
    /// entry against those of every org it covers; the message names the org of an org's own
    /// entry. The RBAC steps (`rbac-roles-configured`, `rbac-tested`, `rbac-enforced`) of orgs
    /// whose recorded plan has no custom roles (Team, per the profile's plans with RBAC) count as
    /// settled: RBAC never comes there, so nothing waits for it.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide orders the work: "SSO before RBAC", connectors "after RBAC is in
    /// place", deploy "after identity, access, and connectors are all confirmed working",
    /// "Migrate to enforcement last". A step taken before its prerequisite is the pattern behind
    /// lock-outs, zero-permission users and connectors live for everyone. Enforcement is last of
    /// the RBAC steps but comes before the pilot: "Custom roles only affect members whose role
    /// is set to Custom roles" (support article 13930452), so until RBAC is enforced every member
    /// has what the org enables, and a pilot meant for one group is open to all.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// steps:
    ///   - name: planning
    ///     status: done
    ///   - name: sso-configured
    ///     status: in-progress
    ///   - name: idp-groups
    ///     status: done
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// steps:
    ///   - name: planning
    ///     status: done
    ///   - name: sso-configured
    ///     status: done
    ///   - name: idp-groups
    ///     status: in-progress
    /// ```
    pub(crate) static RULE = {
        code: "ORDER001",
        name: "step-before-prerequisite",
        area: Order,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    let latest = order::Latest::build(policy, cx.graph);
    for id in policy.step_ids() {
        let step = policy.step(id);
        if step.span.is_none() {
            continue;
        }
        let prerequisites = cx.graph.prerequisites(id);

        // Done before a prerequisite is settled.
        if let Some(status) = step.status.filter(|s| s.value == StepStatus::Done) {
            let unmet: Vec<_> = prerequisites
                .iter()
                .filter(|p| order::done_too_early(policy, cx.facts, id, p.step))
                .collect();
            if !unmet.is_empty() {
                let described: Vec<String> = unmet
                    .iter()
                    .map(|p| {
                        let s = policy.step(p.step);
                        format!("{} ({})", step_name(policy, p.step), state(s))
                    })
                    .collect();
                let message = match described.as_slice() {
                    [one] => format!(
                        "step {} is done but its prerequisite {one} is not",
                        step_name(policy, id)
                    ),
                    many => format!(
                        "step {} is done but {} of its prerequisites are not: {}",
                        step_name(policy, id),
                        many.len(),
                        first_few(many)
                    ),
                };
                let mut draft = Draft::new(&RULE, status.span, message)
                .label("done too early")
                .help("finish the prerequisites first, or correct the status if this step is not really done");
                for p in unmet.iter().take(RELATED_SHOWN) {
                    let s = policy.step(p.step);
                    if let Some(span) = s.status.map(|st| st.span).or(s.span) {
                        draft = draft.related(span, format!("`{}` is {} here", s.name, state(s)));
                    } else if let Some(span) = p.declared_at {
                        draft = draft.related(span, format!("`{}` required here", s.name));
                    }
                }
                out.push(draft);
            }
        }

        // Dated before a prerequisite's date, directly or through a chain of prerequisites.
        if let Some(date) = step.date {
            let mut later: Vec<_> = order::dated_later(policy, id, latest.before(cx.graph, id))
                .into_iter()
                .map(|(a, d)| (d, policy.step(a)))
                .collect();
            // Latest first, then direct prerequisites, then by name: the worst conflict leads.
            let is_direct = |name: &str| {
                prerequisites
                    .iter()
                    .any(|p| policy.step(p.step).name == name)
            };
            later.sort_by(|a, b| {
                b.0.value
                    .cmp(&a.0.value)
                    .then(is_direct(&b.1.name).cmp(&is_direct(&a.1.name)))
                    .then(a.1.name.cmp(&b.1.name))
            });
            if let Some(&(latest, before)) = later.first() {
                let before_name = match before.org {
                    Some(org) if step.org != Some(org) => {
                        format!("`{}` of org `{}`", before.name, policy.org(org).name.value)
                    }
                    _ => format!("`{}`", before.name),
                };
                let message = if is_direct(&before.name) {
                    format!(
                        "step {} is dated {}, before its prerequisite {before_name} ({})",
                        step_name(policy, id),
                        date.value,
                        latest.value
                    )
                } else {
                    format!(
                        "step {} is dated {}, before {before_name} ({}), which it depends on through other steps",
                        step_name(policy, id),
                        date.value,
                        latest.value
                    )
                };
                let mut draft = Draft::new(&RULE, date.span, message)
                    .label("dated too early")
                    .help(format!(
                        "move `{}` to {} or later, or `{}` earlier",
                        step.name, latest.value, before.name
                    ));
                for (d, s) in later.iter().take(3) {
                    draft =
                        draft.related(d.span, format!("`{}` is dated {} here", s.name, d.value));
                }
                out.push(draft);
            }
        }
    }
}

/// The first three of a list for a message, then how many more: a step can list thousands of
/// prerequisites in `after:`.
fn first_few(described: &[String]) -> String {
    match described.len().checked_sub(3) {
        Some(rest) if rest > 0 => format!("{} and {rest} more", described[..3].join(", ")),
        _ => described.join(", "),
    }
}

fn state(step: &Step) -> &'static str {
    match (step.span, step.status()) {
        (None, _) => "not listed",
        (_, StepStatus::Pending) => "pending",
        (_, StepStatus::InProgress) => "in progress",
        (_, StepStatus::Done) => "done",
        (_, StepStatus::Skipped) => "skipped",
    }
}
