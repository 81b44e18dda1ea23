use crate::diagnostic::list_names;
use crate::model::{Distribution, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::plugins::{is_private, reach};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A private plugin marketplace (`pluginMarketplace:` with `private: true` or left out)
    /// that is not seeded: the org or orgs it applies to offer no plugins (none at all, or only
    /// `hidden` ones); or that has no `distributionPolicy`. One finding per problem, at the
    /// section (or at its `private:`).
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Seed your private plugin marketplace if applicable. Configure
    /// distribution policies and pre-approve plugins before launch." and "A seeded marketplace
    /// gives users high-value workflows from day one instead of starting from scratch." The
    /// pre-launch checklist asks that the "Plugin marketplace is seeded with at least the
    /// Anthropic plugins relevant to your pilot teams". Without a distribution policy, a plugin
    /// that sets no `distribution` of its own has none: how it reaches users is left to chance.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     skillsEnabled: true
    /// pluginMarketplace:
    ///   distributionPolicy: available
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
    /// pluginMarketplace:
    ///   distributionPolicy: available
    /// plugins:
    ///   - name: financial-analysis
    ///     source: anthropic
    ///     preApproved: true
    /// ```
    pub(crate) static RULE = {
        code: "PLUG002",
        name: "marketplace-not-seeded",
        area: Plugins,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for marketplace in &policy.marketplaces {
        if !is_private(marketplace) {
            continue;
        }
        let orgs = orgs_of(policy, &policy.marketplaces, marketplace);
        if orgs.is_empty() {
            // An org-less section shadowed by every org's own: it applies to nothing.
            continue;
        }
        let span = marketplace.private.map_or(marketplace.span, |p| p.span);
        let in_orgs = |org: Option<crate::model::OrgId>| org.is_some_and(|o| orgs.contains(&o));

        // Seeded: every org it applies to offers at least one plugin users can see.
        let visible = |org| {
            policy.plugins.iter().any(|p| {
                p.org == Some(org)
                    && reach(policy, p).is_none_or(|r| r.distribution.value != Distribution::Hidden)
            })
        };
        let empty: Vec<_> = orgs.iter().copied().filter(|&o| !visible(o)).collect();
        if !empty.is_empty() {
            let hidden: Vec<&str> = policy
                .plugins
                .iter()
                .filter(|p| p.org.is_some_and(|o| empty.contains(&o)))
                .map(|p| p.name.value.as_str())
                .collect();
            let message = if hidden.is_empty() {
                format!(
                    "private plugin marketplace of {} has no plugins",
                    orgs_phrase(policy, &empty)
                )
            } else {
                format!(
                    "private plugin marketplace of {} offers no plugins users can see ({} {} hidden)",
                    orgs_phrase(policy, &empty),
                    list_names(&hidden, 3),
                    if hidden.len() == 1 { "is" } else { "are" }
                )
            };
            let mut draft = Draft::new(&RULE, span, message)
                .label("not seeded")
                .help(format!(
                    "add plugins for {} to `plugins:`, at least the Anthropic plugins relevant to your pilot teams, or set `private: false` if you use no private marketplace",
                    orgs_phrase(policy, &empty)
                ));
            // The launch checklist may claim otherwise.
            for &org in &empty {
                if let Some(claim) = for_org(&policy.launches, org)
                    .and_then(|l| l.checklist.as_ref())
                    .and_then(|c| c.value.marketplace_seeded)
                    .filter(|c| c.value)
                {
                    draft = draft.related(claim.span, "checklist says it is seeded here");
                    break;
                }
            }
            out.push(draft);
        }

        if marketplace.distribution_policy.is_none() {
            let undistributed: Vec<&str> = policy
                .plugins
                .iter()
                .filter(|p| in_orgs(p.org) && p.distribution.is_none())
                .map(|p| p.name.value.as_str())
                .collect();
            let mut message = format!(
                "private plugin marketplace of {} has no `distributionPolicy`",
                orgs_phrase(policy, &orgs)
            );
            if !undistributed.is_empty() {
                let one = undistributed.len() == 1;
                message.push_str(&format!(
                    ", and {} {} {} no `distribution` of {} own",
                    if one { "plugin" } else { "plugins" },
                    list_names(&undistributed, 3),
                    if one { "sets" } else { "set" },
                    if one { "its" } else { "their" }
                ));
            }
            out.push(
                Draft::new(&RULE, span, message)
                    .label("no `distributionPolicy`")
                    .help("set `distributionPolicy:` to `available` (users may install), `required` (installed for everyone) or `hidden`"),
            );
        }
    }
}
