use crate::diagnostic::{list_names, plural};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// A connector with `groups:`, an attempt to make it available to some groups only, where
    /// the platform has no per-group connector control. The finding says who gets it instead:
    /// everyone in its org, with the user count. Flagged whatever the connector's state: a
    /// `planned` connector written this way will reach everyone the day it is enabled.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "There is no per-group connector control — enabling a connector makes
    /// it available to everyone in the org." A connector meant for one team (the finance
    /// systems, the legal document store) goes live for all, and the `groups:` line in the
    /// policy makes reviewers believe otherwise.
    ///
    /// This depends on the platform profile's `rolesScopeConnectors` (false by default, as the
    /// guide says). Newer admin documentation lets custom roles carry connector permissions;
    /// under a profile that says so (`rolesScopeConnectors: true`, as in `admin-docs-2026`),
    /// scoping a connector to groups is supported, and the rule stays silent.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// groups:
    ///   - name: finance
    ///     members: [ana@acme.com]
    ///   - name: sales
    ///     members: [bo@acme.com]
    /// connectors:
    ///   - name: netsuite
    ///     state: configured
    ///     owner: ana@acme.com
    ///     userOAuth: false
    ///     groups: [finance]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// groups:
    ///   - name: finance
    ///     members: [ana@acme.com]
    ///   - name: sales
    ///     members: [bo@acme.com]
    /// connectors:
    ///   # Available to everyone in acme: approved for all staff.
    ///   - name: netsuite
    ///     state: configured
    ///     owner: ana@acme.com
    ///     userOAuth: false
    /// ```
    pub(crate) static RULE = {
        code: "CONN001",
        name: "per-group-connector",
        area: Connectors,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    if cx.facts.roles_scope_connectors {
        return;
    }
    let policy = cx.policy;
    for connector in policy.connector_ids() {
        let c = policy.connector(connector);
        let Some(first) = c.groups.first() else {
            continue;
        };
        let mut groups: Vec<_> = c.groups.iter().map(|g| g.value).collect();
        groups.sort_unstable();
        groups.dedup();
        let names: Vec<&str> = c
            .groups
            .iter()
            .map(|g| policy.group(g.value).name.value.as_str())
            .collect();
        // Who the groups hold, and who the connector reaches: every user of its org.
        let (mut members, mut everyone) = (0, 0);
        for class in cx.access.classes.iter().filter(|k| Some(k.org) == c.org) {
            everyone += class.users.len();
            if class.groups.iter().any(|g| groups.binary_search(g).is_ok()) {
                members += class.users.len();
            }
        }
        let reach = match c.org {
            Some(org) => format!(
                "everyone in org `{}` ({})",
                policy.org(org).name.value,
                plural(everyone, "user")
            ),
            None => "everyone in its org".to_string(),
        };
        let when = if c.enabled() {
            "it is available to"
        } else {
            "once enabled, it will be available to"
        };
        let mut draft = Draft::new(
            &RULE,
            first.span,
            format!(
                "connector `{}` is scoped to {} ({}), but connectors cannot be scoped to groups: {when} {reach}",
                c.name.value,
                list_names(&names, 3),
                plural(members, "member"),
            ),
        )
        .label("no per-group connector control")
        .help(format!(
            "{}; if your platform's custom roles carry connector permissions, set `platform: {{rolesScopeConnectors: true}}`",
            if c.enabled() {
                format!(
                    "remove `groups:` from connector `{}` if everyone may use it, else set it back to `planned`",
                    c.name.value
                )
            } else {
                format!(
                    "remove `groups:` from connector `{}` and enable it only if everyone may use it",
                    c.name.value
                )
            }
        ));
        if let Some(state) = c.state.filter(|_| c.enabled()) {
            draft = draft.related(state.span, "enabled org-wide here");
        }
        out.push(draft);
    }
}
