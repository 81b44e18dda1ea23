use crate::model::{TargetPlatform, WindowsInstaller};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A deployment with `windowsInstaller: exe` that targets Windows: `windows` is among its
    /// `platforms`, or `platforms` is left out. A deployment for macOS only is left alone.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Push the installer via your MDM tool or allow users to self-install.
    /// Use the MSIX installer on Windows (not .exe)." The MSIX package is the one provisioned
    /// per machine, which is how Cowork's desktop app is meant to reach a managed Windows fleet.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// deployment:
    ///   windowsInstaller: exe
    ///   platforms: [macos, windows]
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
        code: "DEPLOY001",
        name: "windows-exe-installer",
        area: Deployment,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for deployment in &policy.deployments {
        let Some(installer) = deployment
            .windows_installer
            .filter(|i| i.value == WindowsInstaller::Exe)
        else {
            continue;
        };
        let windows = deployment
            .platforms
            .iter()
            .find(|p| p.value == TargetPlatform::Windows);
        if windows.is_none() && !deployment.platforms.is_empty() {
            continue;
        }
        let orgs = orgs_of(policy, &policy.deployments, deployment);
        let mut draft = Draft::new(
            &RULE,
            installer.span,
            format!(
                "the Windows installer for {} is `exe`, not `msix`",
                orgs_phrase(policy, &orgs)
            ),
        )
        .label("the `.exe` installer")
        .help("set `windowsInstaller: msix`: the rollout guide says to use the MSIX installer on Windows, not the .exe");
        if let Some(windows) = windows {
            draft = draft.related(windows.span, "Windows targeted here");
        }
        out.push(draft);
    }
}
