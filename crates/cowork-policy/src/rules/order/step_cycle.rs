use crate::diagnostic::{RELATED_SHOWN, loop_names};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// Rollout steps that need each other through `after:`, directly or through a chain, so none
    /// of them can ever start. The built-in graph has no cycle, so a cycle always involves the
    /// policy's own `after:`.
    ///
    /// ## Why it matters
    ///
    /// The rollout plan is a dependency graph: "SSO before RBAC", "Migrate to enforcement last".
    /// A cycle makes the plan impossible to follow, and hides which step really comes first.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// steps:
    ///   - name: legal-review
    ///     after: [security-review]
    ///   - name: security-review
    ///     after: [legal-review]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// steps:
    ///   - name: legal-review
    ///     after: [planning]
    ///   - name: security-review
    ///     after: [legal-review]
    /// ```
    pub(crate) static RULE = {
        code: "ORDER002",
        name: "step-cycle",
        area: Order,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for cycle in cx.graph.step_cycles() {
        // The declared `after:` entries inside the cycle; the built-in graph has none.
        let mut edges = Vec::new();
        for &to in &cycle {
            let prerequisites = cx.graph.prerequisites(to);
            for after in &policy.step(to).after {
                // `after:` names a step; the entry it means is the one of the cycle with that
                // name that `to` needs (steps are per org).
                let name = &policy.step(after.value).name;
                if let Some(from) = prerequisites
                    .iter()
                    .map(|p| p.step)
                    .find(|&c| policy.step(c).name == *name && cycle.binary_search(&c).is_ok())
                {
                    edges.push((from, to, after.span));
                }
            }
        }
        edges.sort_by_key(|e| e.2);
        let Some(&(from, to, span)) = edges.first() else {
            continue;
        };
        let walk = cx.graph.step_walk(&cycle, from, to);
        // An org's own entry is named with its org (`acme-emea/pilot-launch`).
        let names: Vec<String> = walk.iter().map(|&s| policy.step_key(s)).collect();
        let message = if from == to {
            format!("step `{}` needs itself", names[0])
        } else {
            format!(
                "steps need each other, so none can start: {}",
                loop_names(&names, "step")
            )
        };
        let mut draft = Draft::new(&RULE, span, message)
            .label(format!(
                "`{}` after `{}`",
                policy.step(to).name,
                policy.step(from).name
            ))
            .help(if from == to {
                "a step cannot wait for itself: remove it from its own `after:`"
            } else {
                "remove one of these `after:` entries so the steps have a first one"
            });
        // The next few `after:` entries of the loop; a long loop names the rest by count.
        for &(from, to, span) in edges.iter().skip(1).take(RELATED_SHOWN) {
            draft = draft.related(
                span,
                format!(
                    "`{}` after `{}` here",
                    policy.step(to).name,
                    policy.step(from).name
                ),
            );
        }
        out.push(draft);
    }
}
