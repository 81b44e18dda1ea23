use crate::model::{CommKind, DeployMethod, OrgId, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A launch plan with a launch `date` for orgs whose users install the desktop app
    /// themselves (`deployment.method: self-install`) that plans no `install-instructions`
    /// communication before launch day: none at all, or only ones dated on or after the launch
    /// date. An undated one counts as planned. Orgs that push the app by MDM need none.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Plan desktop app installation": "Decide whether you'll push via MDM or
    /// have users self-install, and plan comms so users know to install it before launch day."
    /// Cowork runs only in the desktop app: users who learn on launch day that they must install
    /// it first spend the first session installing, and the pilot opens to people who cannot yet
    /// use it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// deployment:
    ///   method: self-install
    /// launch:
    ///   date: 2027-03-01
    ///   communications:
    ///     - kind: install-instructions
    ///       date: 2027-03-01
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// deployment:
    ///   method: self-install
    /// launch:
    ///   date: 2027-03-01
    ///   communications:
    ///     - kind: install-instructions
    ///       date: 2027-02-22
    /// ```
    pub(crate) static RULE = {
        code: "LAUNCH004",
        name: "install-comms-missing",
        area: Launch,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, launch) in policy.launches.iter().enumerate() {
        let Some(launch_date) = launch.date else {
            continue;
        };
        // The plan's orgs whose users install the app themselves, with where that is decided.
        let self_install: Vec<(OrgId, crate::model::Span)> =
            orgs_of(policy, &policy.launches, &policy.launches[index])
                .into_iter()
                .filter_map(|org| {
                    for_org(&policy.deployments, org)
                        .and_then(|d| d.method)
                        .filter(|m| m.value == DeployMethod::SelfInstall)
                        .map(|m| (org, m.span))
                })
                .collect();
        let Some(&(_, method_span)) = self_install.first() else {
            continue;
        };
        let instructions: Vec<_> = launch
            .communications
            .iter()
            .filter(|c| c.kind.value == CommKind::InstallInstructions)
            .collect();
        if instructions
            .iter()
            .any(|c| c.date.is_none_or(|d| d.value < launch_date.value))
        {
            continue;
        }
        let orgs: Vec<OrgId> = self_install.iter().map(|&(org, _)| org).collect();
        let scope = orgs_phrase(policy, &orgs);
        let earliest = instructions
            .iter()
            .filter_map(|c| c.date)
            .min_by_key(|d| d.value);
        let draft = match earliest {
            Some(date) => Draft::new(
                &RULE,
                date.span,
                format!(
                    "the install instructions to {scope} go out on {}, not before the launch on {}: users who install the app themselves learn it too late",
                    date.value, launch_date.value
                ),
            )
            .label("on or after launch day")
            .related(launch_date.span, "launch date set here"),
            None => Draft::new(
                &RULE,
                launch_date.span,
                format!(
                    "users of {scope} install the desktop app themselves, but no `install-instructions` communication tells them to before the launch on {}",
                    launch_date.value
                ),
            )
            .label("no install instructions before this day"),
        };
        out.push(
            draft
                .related(method_span, "self-install decided here")
                .help("add an `install-instructions` communication dated before launch day, such as with the leadership message two weeks out, or push the app by MDM"),
        );
    }
}
