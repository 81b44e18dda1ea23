use crate::model::TargetPlatform;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A deployment target platform other than `macos` or `windows`: `linux`, `web`, `ios` or
    /// `android`. One finding per such entry of `platforms`.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Claude Cowork requires the desktop app for macOS or Windows and is
    /// not currently available on web or mobile." Users counted on another platform get no
    /// Cowork at launch, and the deployment plan hides the gap.
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
    ///   platforms: [macos, windows, web]
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
    /// ```
    pub(crate) static RULE = {
        code: "DEPLOY002",
        name: "unsupported-platform",
        area: Deployment,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for deployment in &policy.deployments {
        let mut orgs = None;
        for platform in &deployment.platforms {
            let what = match platform.value {
                TargetPlatform::Macos | TargetPlatform::Windows => continue,
                TargetPlatform::Linux => "Cowork needs the desktop app for macOS or Windows",
                TargetPlatform::Web | TargetPlatform::Ios | TargetPlatform::Android => {
                    "Cowork is not available on web or mobile"
                }
            };
            let orgs = orgs.get_or_insert_with(|| orgs_of(policy, &policy.deployments, deployment));
            let name = platform.value.as_str();
            out.push(
                Draft::new(
                    &RULE,
                    platform.span,
                    format!(
                        "the deployment for {} targets `{name}`, but {what}",
                        orgs_phrase(policy, orgs)
                    ),
                )
                .label("not a Cowork platform")
                .help(format!(
                    "remove `{name}` from `platforms`: its users need a macOS or Windows machine to use Cowork"
                )),
            );
        }
    }
}
