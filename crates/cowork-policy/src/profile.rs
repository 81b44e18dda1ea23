//! The platform profile: dated facts about Claude and the identity providers that rules depend
//! on, kept as data so that a rule follows the platform when it changes.
//!
//! Two profiles are built in. `rollout-guide` (the default) is the vendor's rollout guide's view;
//! `admin-docs-2026` is what the vendor's admin documentation added as published in 2026, where
//! it differs from the guide. A policy picks one with `platform: {profile: ...}` and may override
//! any single fact there; `docs/profile.md` lists the facts and their sources.

use crate::model::{Billing, IdpKind, LimitResolution, Overrides, Plan, Version};

/// The facts rules read. Each field names the rules that depend on it.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    /// IDP007: groups one org may have.
    pub group_limit: u64,
    /// IDP008: plans with SCIM provisioning.
    pub scim_plans: Vec<Plan>,
    /// ORG002: plans that include Cowork.
    pub cowork_plans: Vec<Plan>,
    /// ORG002: plans that include the Analytics API.
    pub analytics_plans: Vec<Plan>,
    /// RBAC006, and the rules that demand RBAC (IDP005, CONN003, RBAC001 to RBAC005, RBAC007,
    /// TEAM004's Cowork check): plans with custom roles, so with RBAC.
    pub rbac_plans: Vec<Plan>,
    /// CONN001: whether custom roles can scope connectors to groups.
    pub roles_scope_connectors: bool,
    /// IDP001, effective access and DRIFT012: IdP kinds whose nested groups sync their members.
    pub nested_groups_sync: Vec<IdpKind>,
    /// LIMIT001 and effective access: min or max across a user's group limits.
    pub limit_resolution: LimitResolution,
    /// LIMIT001 and LIMIT002: whether a limit of 0 leaves nothing to spend. `None` (both
    /// built-in profiles): 0 means nothing beyond the plan's included usage, so whether it
    /// leaves anything follows each org's billing (seat billing includes usage, consumption
    /// billing does not).
    pub zero_limit_blocks: Option<bool>,
    /// OBS005: the lowest desktop version that exports OpenTelemetry.
    pub otel_min_desktop_version: Version,
    /// SEC004: domains the proxy or firewall must let through.
    pub required_domains: Vec<String>,
    /// PLAT001 and every output: the base profile's name.
    pub profile: &'static str,
    /// PLAT001: the day the base profile's facts were last checked (`YYYY-MM-DD`).
    pub date: &'static str,
}

impl Facts {
    /// Whether a limit of 0 leaves an org's members nothing to spend, given its billing: the
    /// profile's `zeroLimitBlocks` when it says, else `false` on seat billing (the seat's
    /// included usage stays) and `true` on consumption billing (nothing is included). `None`
    /// when that depends on a billing the policy does not record.
    pub fn zero_blocks(&self, billing: Option<Billing>) -> Option<bool> {
        match (self.zero_limit_blocks, billing) {
            (Some(blocks), _) => Some(blocks),
            (None, Some(Billing::Seats)) => Some(false),
            (None, Some(Billing::Consumption)) => Some(true),
            (None, None) => None,
        }
    }
}

/// A named, dated set of platform facts. Pick one with [`Profile::named`] and pass it in
/// [`crate::CheckOptions`]; a policy's own `platform:` overrides still apply on top.
#[derive(Debug, Clone)]
pub struct Profile {
    name: &'static str,
    date: &'static str,
    pub(crate) facts: Facts,
}

impl Profile {
    /// The built-in profile with this name: `rollout-guide` or `admin-docs-2026`.
    pub fn named(name: &str) -> Option<Profile> {
        Profile::all().into_iter().find(|p| p.name == name)
    }

    /// Every built-in profile, the default first.
    pub fn all() -> Vec<Profile> {
        vec![rollout_guide(), admin_docs_2026()]
    }

    /// The profile's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The date its facts were last checked against their sources (`YYYY-MM-DD`).
    pub fn date(&self) -> &'static str {
        self.date
    }
}

impl Default for Profile {
    fn default() -> Profile {
        rollout_guide()
    }
}

/// The rollout guide's view, with the platform facts the guide is silent on.
fn rollout_guide() -> Profile {
    Profile {
        name: "rollout-guide",
        date: "2026-11-24",
        facts: Facts {
            // "Each organization can have up to 100 groups." (admin docs; the guide is silent)
            group_limit: 100,
            // The admin docs: "SCIM is not available for Team plans." (the guide is silent)
            scim_plans: vec![Plan::Enterprise],
            // "available to paid Claude plans (Pro, Max, Team, and Enterprise)"
            cowork_plans: vec![Plan::Pro, Plan::Max, Plan::Team, Plan::Enterprise],
            // "The Analytics API (Enterprise plan only)"
            analytics_plans: vec![Plan::Enterprise],
            // "Custom roles are available for Enterprise plan organizations." (support article
            // 13930452, "Manage custom roles on Enterprise plans", checked 2026-12-06; the guide
            // is silent)
            rbac_plans: vec![Plan::Enterprise],
            // "There is no per-group connector control."
            roles_scope_connectors: false,
            // "Nested IdP groups are not supported; only direct members sync."
            nested_groups_sync: Vec::new(),
            // "the most restrictive limit across a user's groups wins"
            limit_resolution: LimitResolution::Min,
            // The guide names no meaning for 0. The admin docs: "0 means nothing beyond the
            // plan's included usage", and spend limits cap the spend of usage credits (support
            // article 15330651, the Admin API reference): a seat's included usage stays, and
            // consumption billing includes none. So 0 follows each org's billing.
            zero_limit_blocks: None,
            // Cowork OpenTelemetry "needs desktop app 1.1.4173 or later".
            otel_min_desktop_version: Version(vec![1, 1, 4173]),
            // "Ensure that required domains are allowlisted": the guide names none. These are
            // the hosts the desktop app and Cowork talk to; check them against the vendor's
            // current network page and override `requiredDomains` where they differ. No
            // documented source lists them (searched 2026-12-06), so SEC004 is a warning
            // against this list.
            required_domains: vec![
                "claude.ai".into(),
                "*.claude.ai".into(),
                "anthropic.com".into(),
                "*.anthropic.com".into(),
            ],
            profile: "rollout-guide",
            date: "2026-11-24",
        },
    }
}

/// The vendor's admin documentation as published in 2026, where it differs from the guide.
fn admin_docs_2026() -> Profile {
    let mut profile = rollout_guide();
    profile.name = "admin-docs-2026";
    profile.date = "2026-11-24";
    profile.facts.profile = profile.name;
    profile.facts.date = profile.date;
    // Custom roles can carry connector permissions, per connector and per tool.
    profile.facts.roles_scope_connectors = true;
    profile
}

/// The facts to check with: `base` (else the policy's named profile, else the default), then
/// the policy's overrides (its `platform:` section).
pub(crate) fn resolve(overrides: &Overrides, base: Option<&Profile>) -> Facts {
    let base = base
        .cloned()
        .or_else(|| overrides.profile.and_then(Profile::named))
        .unwrap_or_default();
    let mut facts = base.facts;
    macro_rules! apply {
        ($($field:ident),*) => {$(
            if let Some(value) = &overrides.$field {
                facts.$field = value.clone();
            }
        )*};
    }
    apply!(
        group_limit,
        scim_plans,
        roles_scope_connectors,
        nested_groups_sync,
        limit_resolution,
        otel_min_desktop_version,
        required_domains
    );
    if let Some(blocks) = overrides.zero_limit_blocks {
        facts.zero_limit_blocks = Some(blocks);
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::{Profile, resolve};
    use crate::model::Overrides;

    #[test]
    fn overrides_apply_on_top_of_the_chosen_base() {
        let overrides = Overrides {
            profile: Some("admin-docs-2026"),
            group_limit: Some(250),
            ..Overrides::default()
        };
        let facts = resolve(&overrides, None);
        assert!(facts.roles_scope_connectors);
        assert_eq!(facts.group_limit, 250);
        let facts = resolve(&overrides, Profile::named("rollout-guide").as_ref());
        assert!(!facts.roles_scope_connectors);
        assert_eq!(facts.group_limit, 250);
        assert!(Profile::named("nope").is_none());
    }
}
