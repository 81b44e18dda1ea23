use crate::diagnostic::{list_names, plural};
use crate::model::{DeployState, OrgId, StepStatus};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A deployment with `state: deployed` where one of the post-deployment checks under
    /// `verified:` is not `true`: `vmImageDownload`, `appLaunch` or `ssoSignIn`.
    ///
    /// A deployment that leaves `state` out counts as deployed once the `desktop-deployed` step
    /// is `done` for one of its orgs (steps are per org: see `docs/format.md`). One whose own `state` is `planned` or `in-progress` is left alone, whatever
    /// the step says: in a parent-child set-up one child may still be rolling out. Without any
    /// `deployment:` section there are no checks to read, and nothing is flagged.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "After deployment, verify: the VM image downloads, the app launches,
    /// and the user authenticates via SSO." Endpoint and network problems are, in the guide's
    /// words, "the most common cause of deployment problems": a VM image that cannot download
    /// or a sign-in that fails shows up on launch day instead, for every user at once.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// deployment:
    ///   windowsInstaller: msix
    ///   platforms: [macos, windows]
    ///   state: deployed
    ///   verified:
    ///     appLaunch: true
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// deployment:
    ///   windowsInstaller: msix
    ///   platforms: [macos, windows]
    ///   state: deployed
    ///   verified:
    ///     vmImageDownload: true
    ///     appLaunch: true
    ///     ssoSignIn: true
    /// ```
    pub(crate) static RULE = {
        code: "DEPLOY003",
        name: "deployment-unverified",
        area: Deployment,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for deployment in &policy.deployments {
        let orgs = orgs_of(policy, &policy.deployments, deployment);
        // The `desktop-deployed` step's status, when it is done for one of the section's orgs
        // (or, in a policy without orgs, at all).
        let scopes: Vec<Option<OrgId>> = if policy.orgs.is_empty() {
            vec![None]
        } else {
            orgs.iter().copied().map(Some).collect()
        };
        let step_done = scopes.into_iter().find_map(|scope| {
            policy
                .step_in(scope, "desktop-deployed")
                .and_then(|s| policy.step(s).status)
                .filter(|st| st.value == StepStatus::Done)
        });
        let deployed_by_step = match deployment.state {
            Some(state) if state.value == DeployState::Deployed => false,
            Some(_) => continue,
            None if step_done.is_some() => true,
            None => continue,
        };
        let verified = deployment.verified.as_ref();
        let checks = [
            (
                "vmImageDownload",
                "the VM image downloads",
                verified.and_then(|v| v.value.vm_image_download),
            ),
            (
                "appLaunch",
                "the app launches",
                verified.and_then(|v| v.value.app_launch),
            ),
            (
                "ssoSignIn",
                "users sign in via SSO",
                verified.and_then(|v| v.value.sso_sign_in),
            ),
        ];
        let missing: Vec<_> = checks
            .iter()
            .filter(|(_, _, v)| !v.is_some_and(|v| v.value))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<&str> = missing.iter().map(|(key, _, _)| *key).collect();
        let what: Vec<&str> = missing.iter().map(|(_, what, _)| *what).collect();
        let (span, label) = match (deployment.state, verified) {
            (Some(state), _) => (
                state.span,
                format!("deployed, {} not verified", plural(missing.len(), "check")),
            ),
            (None, Some(v)) => (
                v.span,
                format!("{} not verified", plural(missing.len(), "check")),
            ),
            (None, None) => (deployment.span, "no `verified:` checks".to_string()),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "the desktop app is deployed for {} but {} {} not verified: {}",
                orgs_phrase(policy, &orgs),
                plural(missing.len(), "post-deployment check"),
                if missing.len() == 1 { "is" } else { "are" },
                list_names(&keys, 3)
            ),
        )
        .label(label)
        .help(format!(
            "on a freshly deployed machine, check that {}, then set {} to `true` under `verified:`",
            and_list(&what),
            list_names(&keys, 3)
        ));
        if deployed_by_step && let Some(status) = step_done {
            draft = draft.related(status.span, "`desktop-deployed` is done here");
        }
        for (key, _, value) in &missing {
            if let Some(value) = value {
                draft = draft.related(value.span, format!("`{key}` is not verified"));
            }
        }
        out.push(draft);
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, head)) => format!("{} and {last}", head.join(", ")),
    }
}
