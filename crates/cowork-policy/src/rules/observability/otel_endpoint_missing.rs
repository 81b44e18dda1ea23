use crate::desktop::settings::otlp_endpoint;
use crate::model::{OrgId, StepId, StepStatus};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase, step_name};

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
        if otlp_endpoint(section).is_some() {
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
    if !policy.observability.is_empty() {
        return;
    }
    // The orgs whose own rollout has reached the step, each with the step that shows it.
    let reached: Vec<(Option<OrgId>, StepId)> = policy
        .step_scopes()
        .into_iter()
        .filter_map(|scope| reached_by(cx, scope).map(|step| (scope, step)))
        .collect();
    let Some(&(_, step)) = reached.first() else {
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
    let all: Vec<OrgId> = reached.iter().filter_map(|&(org, _)| org).collect();
    let orgs = if all.is_empty() {
        String::new()
    } else {
        format!(" for {}", orgs_phrase(policy, &all))
    };
    let name = step_name(policy, step);
    let (message, label) = if s.name == STEP {
        (
            format!("{name} is {state} but no OTEL endpoint is set up{orgs}"),
            format!("{name} is {state}"),
        )
    } else {
        (
            format!(
                "{name} is {state}, which needs `{STEP}`, but no OTEL endpoint is set up{orgs}"
            ),
            format!("{name} is {state}"),
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

/// The step that shows the rollout of `org` has reached [`STEP`]: the org's entry of the step
/// itself when it is in progress or done, else the first started step of the org that needs it,
/// directly or through a chain.
fn reached_by(cx: &Context<'_>, org: Option<OrgId>) -> Option<StepId> {
    let policy = cx.policy;
    let applies = |s: StepId| policy.step_in(org, &policy.step(s).name) == Some(s);
    let started = |s: StepId| {
        matches!(
            policy.step(s).status(),
            StepStatus::InProgress | StepStatus::Done
        )
    };
    let target = policy.step_in(org, STEP)?;
    if started(target) {
        return Some(target);
    }
    // Every entry of this org that needs the target, directly or through a chain: one walk
    // from it.
    let mut needs = vec![false; policy.steps.len()];
    let mut stack = vec![target];
    while let Some(step) = stack.pop() {
        for &next in cx.graph.dependents(step) {
            if applies(next) && !std::mem::replace(&mut needs[next.index()], true) {
                stack.push(next);
            }
        }
    }
    policy.step_ids().find(|&s| needs[s.index()] && started(s))
}
