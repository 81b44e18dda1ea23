use crate::diagnostic::Draft;
use crate::model::{StepId, StepStatus};
use crate::rules::Context;
use crate::rules::{orgs_of, orgs_phrase};

/// The built-in step that needs an OTEL endpoint.
const STEP: &str = "observability-live";

declare_rule! {
    /// ## What it flags
    ///
    /// An `observability:` section without an `otelEndpoint`, or no `observability:` section at
    /// all once the rollout has reached the `observability-live` step.
    ///
    /// "Reached" means the step, or a step that needs it such as `pilot-launch`, is in progress
    /// or done; the finding then points at that step's `status`. Before that, a policy without
    /// the section is left alone. A policy whose sections cover some orgs and not others is
    /// taken to have chosen which orgs export.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Set up your OTEL endpoint to export Claude Cowork session data to
    /// your SIEM or observability platform. OTEL provides real-time, event-level telemetry for
    /// Claude Cowork sessions." Without it there is no record of what Cowork did on users'
    /// machines, and the pre-launch checklist's "OTEL dashboards are live and receiving data"
    /// cannot be met.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// observability:
    ///   destination: splunk
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
    ///   protocol: http/protobuf
    ///   destination: splunk
    /// ```
    pub(crate) static RULE = {
        code: "OBS001",
        name: "otel-endpoint-missing",
        area: Observability,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.observability {
        if section.otel_endpoint.is_some() {
            continue;
        }
        let orgs = orgs_of(policy, &policy.observability, section);
        out.push(
            Draft::new(
                &RULE,
                section.span,
                format!(
                    "the observability section for {} has no `otelEndpoint`: Cowork session data is not exported",
                    orgs_phrase(policy, &orgs)
                ),
            )
            .label("no `otelEndpoint`")
            .help(help()),
        );
    }
    if !policy.observability.is_empty() || !cx.reached(STEP) {
        return;
    }
    let Some(step) = reached_by(cx) else {
        return;
    };
    let s = policy.step(step);
    let Some(status) = s.status else {
        return;
    };
    let state = match status.value {
        StepStatus::Done => "done",
        _ => "in progress",
    };
    let all: Vec<_> = policy.org_ids().collect();
    let orgs = if all.is_empty() {
        String::new()
    } else {
        format!(" for {}", orgs_phrase(policy, &all))
    };
    let (message, label) = if s.name == STEP {
        (
            format!("`{STEP}` is {state} but no OTEL endpoint is set up{orgs}"),
            format!("`{STEP}` is {state}"),
        )
    } else {
        (
            format!(
                "`{}` is {state}, which needs `{STEP}`, but no OTEL endpoint is set up{orgs}",
                s.name
            ),
            format!("`{}` is {state}", s.name),
        )
    };
    out.push(
        Draft::new(&RULE, status.span, message)
            .label(label)
            .help(format!("add an `observability:` section: {}", help())),
    );
}

fn help() -> &'static str {
    "set `otelEndpoint` to your OTLP collector's URL, such as `https://otel.acme.com:4318`, with its `protocol`"
}

/// The step that shows the rollout has reached [`STEP`]: the step itself when it is in progress
/// or done, else the first started step that needs it, directly or through a chain.
fn reached_by(cx: &Context<'_>) -> Option<StepId> {
    let policy = cx.policy;
    let started = |s: StepId| {
        matches!(
            policy.step(s).status(),
            StepStatus::InProgress | StepStatus::Done
        )
    };
    let target = policy.step_ids().find(|&s| policy.step(s).name == STEP)?;
    if started(target) {
        return Some(target);
    }
    // Every step that needs the target, directly or through a chain: one walk from it.
    let mut needs = vec![false; policy.steps.len()];
    let mut stack = vec![target];
    while let Some(step) = stack.pop() {
        for &next in cx.graph.dependents(step) {
            if !std::mem::replace(&mut needs[next.index()], true) {
                stack.push(next);
            }
        }
    }
    policy.step_ids().find(|&s| needs[s.index()] && started(s))
}
