use crate::model::{CommKind, for_org};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An enabled connector (`state: configured` or `live`) that needs each user's own OAuth
    /// (`userOAuth: true`, or left out: the default) when no launch communication of kind
    /// `oauth-directions` lists it under `connectors:`. The launch plan looked at is the one that
    /// applies to the connector's org. With no launch plan at all, the rule waits until the
    /// rollout reaches `pilot-launch`.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Connectors use a two-gate model: an admin enables the connector
    /// org-wide, then each user individually OAuths to link their account." Enabling the
    /// connector is only the first gate; until users link their accounts it does nothing for
    /// them, and the guide's launch plan says to "Share directions to authenticate if the
    /// connector requires individual OAuth setup."
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// connectors:
    ///   - name: slack
    ///     state: live
    ///     owner: ana@acme.com
    /// launch:
    ///   date: 2026-03-02
    ///   communications:
    ///     - kind: onboarding-guide
    ///       date: 2026-03-02
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// connectors:
    ///   - name: slack
    ///     state: live
    ///     owner: ana@acme.com
    /// launch:
    ///   date: 2026-03-02
    ///   communications:
    ///     - kind: onboarding-guide
    ///       date: 2026-03-02
    ///     - kind: oauth-directions
    ///       date: 2026-03-02
    ///       connectors: [slack]
    /// ```
    pub(crate) static RULE = {
        code: "CONN004",
        name: "oauth-directions-missing",
        area: Connectors,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for connector in policy.connector_ids() {
        let c = policy.connector(connector);
        let (Some(org), Some(state)) = (c.org, c.state) else {
            continue;
        };
        if !c.enabled() || !c.needs_user_oauth() {
            continue;
        }
        let launch = for_org(&policy.launches, org);
        let directions: Vec<_> = launch
            .iter()
            .flat_map(|l| &l.communications)
            .filter(|m| m.kind.value == CommKind::OauthDirections)
            .collect();
        if directions
            .iter()
            .any(|m| m.connectors.iter().any(|x| x.value == connector))
        {
            continue;
        }
        let (span, label) = match (launch, directions.first()) {
            (Some(_), Some(m)) => (m.kind.span, "these directions do not list it"),
            (Some(l), None) => (l.span, "no `oauth-directions` in this launch plan"),
            (None, _) => {
                // Where the connector's org shows it has reached `pilot-launch`.
                match cx.reached_at(Some(org), "pilot-launch") {
                    Some((span, _)) => (span, "the rollout has reached `pilot-launch` here"),
                    None => continue,
                }
            }
        };
        out.push(
            Draft::new(
                &RULE,
                state.span,
                format!(
                    "connector `{}` is `{}` and needs each user's OAuth, but no launch communication gives directions for it",
                    c.name.value,
                    state.value.as_str()
                ),
            )
            .label("users must link their accounts")
            .related(span, label)
            .help(format!(
                "add a launch communication with `kind: oauth-directions` and `connectors: [{}]`, or set `userOAuth: false` if the connector needs no per-user sign-in",
                c.name.value
            )),
        );
    }
}
