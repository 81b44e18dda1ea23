use crate::model::{OrgId, Span, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::orgs_phrase;

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose pilot has a launch `date`, or whose rollout has reached the
    /// `desktop-deployed` step, while no deployment `method` says how the desktop app reaches
    /// users' machines: no `deployment:` section applies to it, or the one that does leaves
    /// `method` out. Orgs in the same situation (the same section, or none) share one finding.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Plan desktop app installation": "Claude Cowork requires the Claude
    /// Desktop app. Decide whether you'll push via MDM or have users self-install, and plan comms
    /// so users know to install it before launch day." The choice decides who does the work (an
    /// MDM admin, or every user), what the launch communications must say, and whether users
    /// have the app when the pilot opens.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// deployment:
    ///   platforms: [macos, windows]
    /// launch:
    ///   date: 2027-03-01
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
    /// launch:
    ///   date: 2027-03-01
    /// ```
    pub(crate) static RULE = {
        code: "DEPLOY005",
        name: "install-method-undecided",
        area: Deployment,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // Orgs without a method, grouped by the deployment section that applies (or none), each
    // group with where the first org shows the decision is due.
    let mut groups: Vec<(Option<usize>, Vec<OrgId>, Span, String)> = Vec::new();
    for org in policy.org_ids() {
        let section = for_org(&policy.deployments, org);
        if section.is_some_and(|d| d.method.is_some()) {
            continue;
        }
        let due = match for_org(&policy.launches, org).and_then(|l| l.date) {
            Some(date) => Some((date.span, format!("the pilot launches on {}", date.value))),
            None => cx.reached_at(Some(org), "desktop-deployed"),
        };
        let Some((span, label)) = due else {
            continue;
        };
        let key = section.and_then(|s| policy.deployments.iter().position(|d| std::ptr::eq(d, s)));
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(group) => group.1.push(org),
            None => groups.push((key, vec![org], span, label)),
        }
    }
    for (key, orgs, due_span, due_label) in groups {
        let scope = orgs_phrase(policy, &orgs);
        let section = key.map(|i| &policy.deployments[i]);
        let (span, label) = match section {
            Some(d) => (d.span, "no `method` in this deployment".to_string()),
            None => (due_span, due_label.clone()),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "{scope} {} not decided how the desktop app reaches users: no deployment `method`, though {due_label}",
                if orgs.len() == 1 { "has" } else { "have" }
            ),
        )
        .label(label)
        .help("decide whether to push the app by MDM or have users self-install, and record it as `method: mdm` or `method: self-install` in the `deployment:` section");
        if section.is_some() {
            draft = draft.related(due_span, due_label);
        }
        out.push(draft);
    }
}
