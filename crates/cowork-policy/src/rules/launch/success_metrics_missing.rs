use crate::diagnostic::list_names;
use crate::model::MetricQuestion;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A launch plan whose `successMetrics` leave one of the guide's three questions without a
    /// metric: `adoption` (are people using it?), `depth` (how deeply?) and `value` (is it paying
    /// off?). One finding per launch plan, naming the questions left open; the help lists the
    /// guide's example metrics for each.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Define Success Metrics": "The metrics that prove your rollout is
    /// working answer three questions — and the answers should improve week over week." The
    /// columns build on each other: "If any column is underperforming, look left first. Low value
    /// almost always traces back to an engagement or adoption problem upstream." A plan that
    /// measures only adoption cannot tell a pilot that logs in from one that pays off, and one
    /// that measures only value cannot say why it does not.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   successMetrics:
    ///     - name: activation rate (logged in / licensed)
    ///       question: adoption
    ///     - name: sessions per active user
    ///       question: depth
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   successMetrics:
    ///     - name: activation rate (logged in / licensed)
    ///       question: adoption
    ///     - name: sessions per active user
    ///       question: depth
    ///     - name: workflows now running on Claude
    ///       question: value
    /// ```
    pub(crate) static RULE = {
        code: "LAUNCH003",
        name: "success-metrics-missing",
        area: Launch,
        severity: Info,
        check: check,
    };
}

/// The three questions, in the guide's order: the key, the question, and the guide's example
/// metrics.
const QUESTIONS: [(MetricQuestion, &str, &str, &str); 3] = [
    (
        MetricQuestion::Adoption,
        "adoption",
        "are people using it?",
        "activation rate (logged in / licensed), weekly actives by cohort, return rate (week-2 retention) or days from training to first real task",
    ),
    (
        MetricQuestion::Depth,
        "depth",
        "how deeply?",
        "sessions per active user, advanced-feature uptake (connectors, skills, plugins), champion-to-user touchpoints or help-session participation",
    ),
    (
        MetricQuestion::Value,
        "value",
        "is it paying off?",
        "hours re-allocated per week (self-reported), named wins per cohort, workflows now running on Claude or cost-to-value comparison",
    ),
];

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, launch) in policy.launches.iter().enumerate() {
        let orgs = orgs_of(policy, &policy.launches, &policy.launches[index]);
        if orgs.is_empty() {
            continue;
        }
        let missing: Vec<_> = QUESTIONS
            .iter()
            .filter(|(question, ..)| {
                !launch
                    .success_metrics
                    .iter()
                    .any(|m| m.question.value == *question)
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<&str> = missing.iter().map(|&&(_, key, ..)| key).collect();
        let asked: Vec<String> = missing
            .iter()
            .map(|&&(_, key, question, _)| format!("`{key}` ({question})"))
            .collect();
        let examples: Vec<String> = missing
            .iter()
            .map(|&&(_, key, _, examples)| format!("for `{key}`, such as {examples}"))
            .collect();
        let message = format!(
            "the launch plan of {} has no success metric for {}",
            orgs_phrase(policy, &orgs),
            join(&asked)
        );
        out.push(
            Draft::new(&RULE, launch.span, message)
                .label(format!("no metric for {}", list_names(&keys, 3)))
                .help(format!(
                    "add `successMetrics` entries {}",
                    examples.join("; ")
                )),
        );
    }
}

/// `a`, `a and b`, `a, b and c`: for phrases that already carry their own backticks.
fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [only] => only.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}
