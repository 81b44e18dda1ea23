use crate::diagnostic::list_names;
use crate::model::{DeployState, TargetPlatform};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A deployment of the desktop app with no minimum OS version recorded under
    /// `minOsVersions` for one of its desktop platforms (`macos`, `windows`; both when
    /// `platforms` names neither), once the deployment is under way: its `state` is
    /// `in-progress` or `deployed`, or the rollout of one of its orgs has reached the
    /// `desktop-deployed` step. One finding per deployment, naming the platforms.
    ///
    /// The rule checks that the fleet's oldest OS versions are recorded, not that they meet the
    /// app's minimums: the vendor's minimum OS versions for Cowork could not be sourced from its
    /// documentation, so they are not a platform fact yet (see `docs/format.md`).
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Confirm endpoint and network prerequisites": "Verify your fleet and
    /// network can support it — endpoint and network issues are the most common cause of
    /// deployment problems. Ensure that required domains are allowlisted, minimum OS versions are
    /// met, and any proxy or firewall rules permit Claude Cowork traffic." A machine below the
    /// minimum gets an app that does not install or a VM that does not start, discovered by its
    /// user on launch day.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// deployment:
    ///   method: mdm
    ///   platforms: [macos, windows]
    ///   state: in-progress
    ///   minOsVersions:
    ///     macos: "14.0"
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// deployment:
    ///   method: mdm
    ///   platforms: [macos, windows]
    ///   state: in-progress
    ///   minOsVersions:
    ///     macos: "14.0"
    ///     windows: "10.0.19045"
    /// ```
    pub(crate) static RULE = {
        code: "DEPLOY004",
        name: "fleet-os-minimum-unrecorded",
        area: Deployment,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for deployment in &policy.deployments {
        let orgs = orgs_of(policy, &policy.deployments, deployment);
        if orgs.is_empty() {
            continue;
        }
        let under_way = deployment
            .state
            .is_some_and(|s| s.value >= DeployState::InProgress);
        let reached = orgs
            .iter()
            .find_map(|&org| cx.reached_at(Some(org), "desktop-deployed"));
        if !under_way && reached.is_none() {
            continue;
        }
        let listed: Vec<TargetPlatform> = deployment
            .platforms
            .iter()
            .map(|p| p.value)
            .filter(|p| matches!(p, TargetPlatform::Macos | TargetPlatform::Windows))
            .collect();
        let desktop = if listed.is_empty() {
            vec![TargetPlatform::Macos, TargetPlatform::Windows]
        } else {
            listed
        };
        let recorded = deployment.min_os_versions.as_ref();
        let missing: Vec<&str> = desktop
            .iter()
            .filter(|&&p| {
                let version = recorded.and_then(|m| match p {
                    TargetPlatform::Macos => m.value.macos.as_ref(),
                    _ => m.value.windows.as_ref(),
                });
                version.is_none()
            })
            .map(|p| p.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        // The first platform without a version, where `platforms` lists it.
        let target = deployment
            .platforms
            .iter()
            .find(|p| missing.contains(&p.value.as_str()));
        let (span, label) = match (target, recorded, deployment.state) {
            (Some(p), _, _) => (p.span, "no minimum OS version recorded".to_string()),
            (None, Some(m), _) => (
                m.span,
                format!("no version for {}", list_names(&missing, 2)),
            ),
            (None, None, Some(state)) => (state.span, "no `minOsVersions`".to_string()),
            (None, None, None) => (deployment.span, "no `minOsVersions`".to_string()),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "the deployment for {} records no minimum OS version for {}: nothing shows the fleet meets the desktop app's requirements",
                orgs_phrase(policy, &orgs),
                list_names(&missing, 2)
            ),
        )
        .label(label)
        .help("check the fleet's OS versions against the desktop app's system requirements, upgrade or leave out the machines below them, and record the oldest version per platform under `minOsVersions`, such as `windows: \"10.0.19045\"`");
        if target.is_some()
            && let Some(m) = recorded
        {
            draft = draft.related(m.span, "`minOsVersions` recorded here");
        }
        // When the step, not the section's state, says the deployment is under way.
        if !under_way && let Some((step_span, step_label)) = reached {
            draft = draft.related(step_span, step_label);
        }
        out.push(draft);
    }
}
