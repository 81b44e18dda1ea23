use std::collections::BTreeMap;

use crate::access::LimitSource;
use crate::diagnostic::{Draft, list_names, plural};
use crate::model::{GroupId, LimitId, Policy, Span, UserId};
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// Users given a spend limit by one group but capped lower by another group's limit. One
    /// finding per pair of groups, with the user count and both amounts.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Spend limits use the opposite rule: the most restrictive limit across
    /// a user's groups wins." A power user added to a second group with a lower limit silently
    /// loses the budget the first group was meant to give.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// groups:
    ///   - name: power-users
    ///     members: [ana@acme.com]
    ///   - name: sales
    ///     members: [ana@acme.com, bo@acme.com]
    /// spendLimits:
    ///   - name: power
    ///     amount: 500
    ///     groups: [power-users]
    ///   - name: standard
    ///     amount: 50
    ///     groups: [sales]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     defaultSpendLimit: 50
    /// groups:
    ///   - name: power-users
    ///     members: [ana@acme.com]
    ///   - name: sales
    ///     members: [ana@acme.com, bo@acme.com]
    /// spendLimits:
    ///   - name: power
    ///     amount: 500
    ///     groups: [power-users]
    /// ```
    pub(crate) static RULE = {
        code: "LIMIT001",
        name: "limit-narrowed-by-other-group",
        area: Limits,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // (narrowed group, capping group) -> users.
    let mut pairs: BTreeMap<(GroupId, GroupId), Vec<UserId>> = BTreeMap::new();
    for class in &cx.access.classes {
        let Some(effective) = class.limit else {
            continue;
        };
        let LimitSource::Group { group: capping, .. } = effective.source else {
            continue;
        };
        for &group in &class.groups {
            if let Some((amount, _)) = cx.access.group_limits[group.index()]
                && amount > effective.amount
            {
                pairs
                    .entry((group, capping))
                    .or_default()
                    .extend(&class.users);
            }
        }
    }
    for ((narrowed, capping), mut users) in pairs {
        users.sort();
        let (Some((high, high_limit)), Some((low, low_limit))) = (
            cx.access.group_limits[narrowed.index()],
            cx.access.group_limits[capping.index()],
        ) else {
            continue;
        };
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let narrowed_name = &policy.group(narrowed).name.value;
        let capping_name = &policy.group(capping).name.value;
        out.push(
            Draft::new(
                &RULE,
                attachment(policy, high_limit, narrowed),
                format!(
                    "{} of `{narrowed_name}` {} {low} from `{capping_name}` instead of {high} ({})",
                    plural(users.len(), "member"),
                    if users.len() == 1 { "gets" } else { "get" },
                    list_names(&emails, 3)
                ),
            )
            .label(format!("{high} for `{narrowed_name}`"))
            .related(
                attachment(policy, low_limit, capping),
                format!("capped at {low} for `{capping_name}` here"),
            )
            .help(format!(
                "the most restrictive limit across a user's groups wins: take these users out of `{capping_name}`, or raise spend limit `{}`",
                policy.limit(low_limit).name.value
            )),
        );
    }
}

/// Where a limit is attached to a group: the group's entry in the limit's `groups:`.
fn attachment(policy: &Policy, limit: LimitId, group: GroupId) -> Span {
    let limit = policy.limit(limit);
    limit
        .groups
        .iter()
        .find(|g| g.value == group)
        .map_or(limit.amount.span, |g| g.span)
}
