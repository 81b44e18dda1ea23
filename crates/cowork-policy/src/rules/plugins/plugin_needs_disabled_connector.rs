use crate::model::Distribution;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::plugins::reach;

declare_rule! {
    /// ## What it flags
    ///
    /// A plugin offered to users (not `hidden`) that lists in `connectors:` a connector that is
    /// not enabled: its `state` is `planned`, written or left out. One finding per such
    /// connector, at the plugin's reference to it.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Connectors use a two-gate model: an admin enables the connector
    /// org-wide, then each user individually OAuths to link their account." Until an admin
    /// enables the connector (gate 1), no user can link it, and a plugin built on it fails on
    /// every run: the users' first experience of the workflow the plugin promised.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     skillsEnabled: true
    /// connectors:
    ///   - name: salesforce
    ///     state: planned
    /// plugins:
    ///   - name: pipeline-review
    ///     preApproved: true
    ///     distribution: available
    ///     connectors: [salesforce]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     skillsEnabled: true
    /// connectors:
    ///   - name: salesforce
    ///     state: configured
    ///     owner: maya.chen@acme.com
    /// plugins:
    ///   - name: pipeline-review
    ///     preApproved: true
    ///     distribution: available
    ///     connectors: [salesforce]
    /// ```
    pub(crate) static RULE = {
        code: "PLUG003",
        name: "plugin-needs-disabled-connector",
        area: Plugins,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for plugin in &policy.plugins {
        if reach(policy, plugin).is_some_and(|r| r.distribution.value == Distribution::Hidden) {
            continue;
        }
        let name = &plugin.name.value;
        for reference in &plugin.connectors {
            let connector = policy.connector(reference.value);
            if connector.enabled() {
                continue;
            }
            let connector_name = &connector.name.value;
            let (span, label) = match connector.state {
                Some(state) => (
                    state.span,
                    format!("`{connector_name}` is `{}` here", state.value.as_str()),
                ),
                None => (
                    connector.name.span,
                    format!("`{connector_name}` has no `state:`, so it is `planned`"),
                ),
            };
            out.push(
                Draft::new(
                    &RULE,
                    reference.span,
                    format!(
                        "plugin `{name}` needs connector `{connector_name}`, which is not enabled"
                    ),
                )
                .label("not enabled")
                .related(span, label)
                .help(format!(
                    "enable `{connector_name}` org-wide (`state: configured`) before offering `{name}`, or set `distribution: hidden` on the plugin until it is"
                )),
            );
        }
    }
}
