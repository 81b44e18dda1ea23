//! Spend limits, where the most restrictive limit across a user's groups wins (unless the
//! platform profile says the most generous does).

pub(crate) mod limit_narrowed_by_other_group;
pub(crate) mod limits_without_usage_credits;
pub(crate) mod zero_effective_limit;

use crate::effective::Class;
use crate::model::{Entitlement, GroupId, LimitId, Policy, Span};
use crate::rules::{Context, Rule};

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &limit_narrowed_by_other_group::RULE,
    &zero_effective_limit::RULE,
    &limits_without_usage_credits::RULE,
];

/// Where a limit is attached to a group: the group's entry in the limit's `groups:`.
pub(crate) fn attachment(policy: &Policy, limit: LimitId, group: GroupId) -> Span {
    let limit = policy.limit(limit);
    limit
        .groups
        .iter()
        .find(|g| g.value == group)
        .map_or(limit.amount.span, |g| g.span)
}

/// Whether LIMIT002 reports this class's users: granted `cowork`, with an effective limit of 0
/// that leaves them nothing to spend, or may (their org's billing, which decides it, is not
/// recorded). LIMIT001 leaves these users to it: one cause, one finding.
pub(crate) fn zero_reported(cx: &Context<'_>, class: &Class) -> Option<Option<bool>> {
    let limit = class.limit?;
    class.grant(Entitlement::Cowork)?;
    if !limit.amount.is_zero() {
        return None;
    }
    let billing = cx.policy.org(class.org).billing.map(|b| b.value);
    match cx.facts.zero_blocks(billing) {
        Some(false) => None,
        blocks => Some(blocks),
    }
}
