use crate::model::Distribution;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::plugins::reach;

declare_rule! {
    /// ## What it flags
    ///
    /// A plugin distributed to users that is not pre-approved: its `distribution` (else its
    /// org's marketplace `distributionPolicy`) is `required` or `available`, and it has no
    /// `preApproved: true`. A plugin that leaves `preApproved` out has not recorded its
    /// review: unknown, and flagged the same, saying it is not recorded (see "Settings not
    /// recorded" in docs/format.md).
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Configure distribution policies and pre-approve plugins before
    /// launch." A `required` plugin is installed for everyone and an `available` one is a click
    /// away: one that nobody has reviewed reaches every user's files and connectors the day it
    /// is distributed.
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
    /// plugins:
    ///   - name: deal-desk
    ///     source: third-party
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
    ///   - name: deal-desk
    ///     source: third-party
    ///     preApproved: true
    /// ```
    pub(crate) static RULE = {
        code: "PLUG001",
        name: "plugin-not-preapproved",
        area: Plugins,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for plugin in &policy.plugins {
        if plugin.pre_approved.is_some_and(|p| p.value) {
            continue;
        }
        let Some(reach) = reach(policy, plugin) else {
            continue;
        };
        let distribution = reach.distribution.value;
        if distribution == Distribution::Hidden {
            continue;
        }
        let name = &plugin.name.value;
        let (span, label, state) = match plugin.pre_approved {
            Some(p) => (p.span, "not pre-approved", "not pre-approved"),
            None => (
                plugin.name.span,
                "no `preApproved`",
                "its pre-approval (`preApproved`) is not recorded",
            ),
        };
        let how = match distribution {
            Distribution::Required => "installed for every user",
            _ => "available to every user",
        };
        let related = if reach.from_marketplace {
            format!(
                "`{}` by the marketplace's `distributionPolicy` here",
                distribution.as_str()
            )
        } else {
            format!("distributed as `{}` here", distribution.as_str())
        };
        out.push(
            Draft::new(
                &RULE,
                span,
                format!(
                    "plugin `{name}` is {how} (`{}`) but {state}",
                    distribution.as_str()
                ),
            )
            .label(label)
            .related(reach.distribution.span, related)
            .help(format!(
                "review `{name}` and set `preApproved: true` before launch, or set `distribution: hidden` until it is reviewed"
            )),
        );
    }
}
