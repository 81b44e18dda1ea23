use crate::model::RbacState;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::plan_without_rbac;

declare_rule! {
    /// ## What it flags
    ///
    /// An enabled connector (`state: configured` or `live`) in an org whose RBAC is `off` or not
    /// written at all. One finding per connector.
    ///
    /// An org whose plan has no custom roles (the profile's plans with RBAC: Enterprise only
    /// today) is not flagged: it has no RBAC to put in place first, and every member has what the
    /// org enables whatever the order. An org with no `plan` is checked, its plan being unknown.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, on connectors and hardening: "Configure after RBAC is in place so
    /// access controls are set before connectors go live." A connector is enabled for everyone
    /// in the org at once; without roles deciding who can use Cowork, the connector's data is
    /// open to whoever can sign in.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: "off"
    /// connectors:
    ///   - name: google-drive
    ///     state: live
    ///     owner: ana@acme.com
    ///     userOAuth: false
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: "off"
    /// connectors:
    ///   - name: google-drive
    ///     state: planned
    ///     owner: ana@acme.com
    ///     userOAuth: false
    /// ```
    pub(crate) static RULE = {
        code: "CONN003",
        name: "connector-before-rbac",
        area: Connectors,
        severity: Error,
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
        let o = policy.org(org);
        if !c.enabled() || o.rbac_state() != RbacState::Off || plan_without_rbac(cx, org).is_some()
        {
            continue;
        }
        let (span, label, rbac) = match o.rbac {
            Some(rbac) => (rbac.span, "RBAC is off here", "off"),
            None => (o.name.span, "no `rbac:` on this org", "not set up"),
        };
        out.push(
            Draft::new(
                &RULE,
                state.span,
                format!(
                    "connector `{}` is `{}` in org `{}`, where RBAC is {rbac}",
                    c.name.value,
                    state.value.as_str(),
                    o.name.value
                ),
            )
            .label("enabled before RBAC is in place")
            .related(span, label)
            .help(format!(
                "set connector `{}` back to `planned` until org `{}` has its RBAC roles configured",
                c.name.value, o.name.value
            )),
        );
    }
}
