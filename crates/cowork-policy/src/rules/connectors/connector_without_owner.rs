use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// An enabled connector (`state: configured` or `live`) with no `owner`. A `planned`
    /// connector may still be looking for one.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide lists, in the rollout team to assemble before anything else:
    /// "Connector owners — one per data source (M365, Slack, Google Workspace)". An enabled
    /// connector reaches everyone in the org and reads real work data; with no owner, no one
    /// answers for its scopes, its OAuth app, its incidents or the questions users bring to
    /// support.
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
    ///     userOAuth: false
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
    ///     userOAuth: false
    ///     owner: ana@acme.com
    /// ```
    pub(crate) static RULE = {
        code: "CONN002",
        name: "connector-without-owner",
        area: Connectors,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for connector in policy.connector_ids() {
        let c = policy.connector(connector);
        if c.owner.is_some() || !c.enabled() {
            continue;
        }
        let Some(state) = c.state else {
            continue;
        };
        out.push(
            Draft::new(
                &RULE,
                state.span,
                format!(
                    "connector `{}` is `{}` with no owner",
                    c.name.value,
                    state.value.as_str()
                ),
            )
            .label("enabled without an owner")
            .help(format!(
                "name the rollout team's owner of this data source: add `owner:` with their email to connector `{}`",
                c.name.value
            )),
        );
    }
}
