//! Plugins and the private plugin marketplace.

pub(crate) mod marketplace_not_seeded;
pub(crate) mod plugin_needs_disabled_connector;
pub(crate) mod plugin_not_preapproved;
pub(crate) mod plugins_without_skills;

use crate::model::{At, Distribution, Marketplace, Plugin, Policy, for_org};
use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &plugin_not_preapproved::RULE,
    &marketplace_not_seeded::RULE,
    &plugin_needs_disabled_connector::RULE,
    &plugins_without_skills::RULE,
];

/// The marketplace section that applies to a plugin's org: the org's own, else the one that
/// names no org.
pub(crate) fn marketplace_of<'a>(policy: &'a Policy, plugin: &Plugin) -> Option<&'a Marketplace> {
    match plugin.org {
        Some(org) => for_org(&policy.marketplaces, org),
        None => policy.marketplaces.iter().find(|m| m.org.is_none()),
    }
}

/// How a plugin reaches users, and where that is decided.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    pub distribution: At<Distribution>,
    /// Whether it comes from the marketplace's `distributionPolicy` rather than the plugin's
    /// own `distribution`.
    pub from_marketplace: bool,
}

/// A plugin's distribution: its own `distribution`, else its marketplace's
/// `distributionPolicy`; `None` when neither is written.
pub(crate) fn reach(policy: &Policy, plugin: &Plugin) -> Option<Reach> {
    if let Some(distribution) = plugin.distribution {
        return Some(Reach {
            distribution,
            from_marketplace: false,
        });
    }
    marketplace_of(policy, plugin)
        .and_then(|m| m.distribution_policy)
        .map(|distribution| Reach {
            distribution,
            from_marketplace: true,
        })
}

/// Whether a marketplace section is a private marketplace: `private: true` or left out.
pub(crate) fn is_private(marketplace: &Marketplace) -> bool {
    marketplace.private.is_none_or(|p| p.value)
}
