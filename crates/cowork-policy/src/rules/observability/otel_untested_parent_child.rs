use crate::desktop::settings::otlp_endpoint;
use crate::model::{Architecture, Observability, OrgId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::observability::{group_by_section, host_port};
use crate::rules::orgs_phrase;

declare_rule! {
    /// ## What it flags
    ///
    /// An OTEL export with an `otelEndpoint` but not `sandboxTested: true`, for an org with
    /// `architecture: parent-child` or one of its child orgs.
    ///
    /// One finding per `observability:` section, naming the orgs of the parent-child set-up it
    /// serves. Single orgs are not asked for a sandbox test.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Set up your OTEL endpoint to export Claude Cowork session data to
    /// your SIEM or observability platform. [...] Test in a sandbox first if you're running
    /// parent-child." With several orgs exporting, a misconfigured export multiplies: try it
    /// from a sandbox org and check that the data arrives, attributed to the right org, before
    /// wiring production.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     architecture: parent-child
    ///   - name: acme-us
    ///     parent: acme
    ///     plan: enterprise
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
    ///   protocol: http/protobuf
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    ///     architecture: parent-child
    ///   - name: acme-us
    ///     parent: acme
    ///     plan: enterprise
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
    ///   protocol: http/protobuf
    ///   sandboxTested: true
    /// ```
    pub(crate) static RULE = {
        code: "OBS002",
        name: "otel-untested-parent-child",
        area: Observability,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // Each untested section, with the parent org that makes it parent-child and the orgs it
    // serves there.
    let mut found: Vec<(&Observability, OrgId, Vec<OrgId>)> = Vec::new();
    for parent in policy.org_ids() {
        let architecture = policy.org(parent).architecture;
        if architecture.is_none_or(|a| a.value != Architecture::ParentChild) {
            continue;
        }
        let family: Vec<OrgId> = policy
            .org_ids()
            .filter(|&o| o == parent || policy.org(o).parent == Some(parent))
            .collect();
        for (section, orgs) in group_by_section(&policy.observability, &family) {
            if otlp_endpoint(section).is_none() || section.sandbox_tested.is_some_and(|t| t.value) {
                continue;
            }
            if found.iter().any(|(s, _, _)| std::ptr::eq(*s, section)) {
                continue;
            }
            found.push((section, parent, orgs));
        }
    }
    for (section, parent, orgs) in found {
        let Some(endpoint) = otlp_endpoint(section) else {
            continue;
        };
        let (span, label) = match section.sandbox_tested {
            Some(tested) => (tested.span, "not tested in a sandbox"),
            None => (endpoint.span, "no `sandboxTested: true`"),
        };
        let p = policy.org(parent);
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "the OTEL export to `{}` for {} has not been tested in a sandbox, and `{}` runs parent-child",
                host_port(&endpoint.value),
                orgs_phrase(policy, &orgs),
                p.name.value
            ),
        )
        .label(label)
        .help("try the export from a sandbox org first and check the data arrives, then set `sandboxTested: true`");
        if let Some(architecture) = p.architecture {
            draft = draft.related(architecture.span, "parent-child architecture here");
        }
        out.push(draft);
    }
}
