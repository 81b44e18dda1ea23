//! A policy's `platform:` section: which platform profile it checks against and the single facts
//! it overrides. The facts themselves, and how the overrides apply, are in `crate::profile`.

use super::{At, Date, IdpKind, Plan, Span, Version};

/// How a user's spend limit is chosen across the limits of their groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitResolution {
    /// The most restrictive wins (the rollout guide).
    Min,
    /// The most generous wins (a setting one product exposes).
    Max,
}

/// A policy's `platform:` section: a base profile and single facts overridden.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    /// Where the section is, if the policy has one.
    pub span: Option<Span>,
    pub profile: Option<&'static str>,
    pub group_limit: Option<u64>,
    pub scim_plans: Option<Vec<Plan>>,
    pub roles_scope_connectors: Option<bool>,
    pub nested_groups_sync: Option<Vec<IdpKind>>,
    pub limit_resolution: Option<LimitResolution>,
    pub zero_limit_blocks: Option<bool>,
    pub otel_min_desktop_version: Option<Version>,
    pub required_domains: Option<Vec<String>>,
    /// The day the policy's own overrides were last checked against their sources.
    pub checked_on: Option<At<Date>>,
}

impl Overrides {
    /// The `platform:` keys of the facts this policy overrides, in the order of `docs/profile.md`.
    pub fn overridden(&self) -> Vec<&'static str> {
        [
            ("groupLimit", self.group_limit.is_some()),
            ("scimPlans", self.scim_plans.is_some()),
            (
                "rolesScopeConnectors",
                self.roles_scope_connectors.is_some(),
            ),
            ("nestedGroupsSync", self.nested_groups_sync.is_some()),
            ("limitResolution", self.limit_resolution.is_some()),
            ("zeroLimitBlocks", self.zero_limit_blocks.is_some()),
            (
                "otelMinDesktopVersion",
                self.otel_min_desktop_version.is_some(),
            ),
            ("requiredDomains", self.required_domains.is_some()),
        ]
        .into_iter()
        .filter_map(|(key, set)| set.then_some(key))
        .collect()
    }
}
