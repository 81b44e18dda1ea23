use crate::diagnostic::Draft;
use crate::model::StepId;
use crate::rules::Context;

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
            for after in &policy.step(to).after {
                if cycle.contains(&after.value) {
                    edges.push((after.value, to, after.span));
                }
            }
        }
        edges.sort_by_key(|e| e.2);
        let Some(&(from, to, span)) = edges.first() else {
            continue;
        };
        let walk = closed_walk(cx, &cycle, from, to);
        let names: Vec<String> = walk
            .iter()
            .map(|&s| format!("`{}`", policy.step(s).name))
            .collect();
        let message = if from == to {
            format!("step {} needs itself", names[0])
        } else {
            format!(
                "steps need each other, so none can start: {}",
                names.join(" → ")
            )
        };
        let mut draft = Draft::new(&RULE, span, message)
            .label(format!(
                "`{}` after `{}`",
                policy.step(to).name,
                policy.step(from).name
            ))
            .help("remove one of these `after:` entries so the steps have a first one");
        for &(from, to, span) in &edges[1..] {
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

/// The shortest loop through the declared edge `from` → `to`, in rollout order:
/// `from`, `to`, ..., `from`. Found by walking prerequisites back from `from` until `to`.
fn closed_walk(cx: &Context<'_>, cycle: &[StepId], from: StepId, to: StepId) -> Vec<StepId> {
    if from == to {
        return vec![from, from];
    }
    // Breadth-first over prerequisites, inside the cycle, from `from` back to `to`.
    let mut parent: Vec<(StepId, StepId)> = Vec::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = vec![from];
    while let Some(current) = queue.pop_front() {
        if current == to {
            break;
        }
        for p in cx.graph.prerequisites(current) {
            if cycle.contains(&p.step) && !seen.contains(&p.step) {
                seen.push(p.step);
                parent.push((p.step, current));
                queue.push_back(p.step);
            }
        }
    }
    // Follow the parents from `to` forward to `from`: to → ... → from.
    let mut walk = vec![from, to];
    let mut current = to;
    while current != from {
        match parent.iter().find(|(child, _)| *child == current) {
            Some(&(_, next)) => {
                walk.push(next);
                current = next;
            }
            None => break,
        }
    }
    walk
}
