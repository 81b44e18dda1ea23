use std::collections::BTreeMap;

use crate::diagnostic::{list_names, plural};
use crate::effective::LimitSource;
use crate::model::LimitResolution;
use crate::model::{GroupId, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::limits::{attachment, zero_reported};

declare_rule! {
    /// ## What it flags
    ///
    /// Users given a spend limit by one group but capped lower by another group's limit. One
    /// finding per pair of groups, with the user count and both amounts.
    ///
    /// Where the platform profile says the most generous limit wins (`limitResolution: max`), no
    /// one is ever capped lower; the rule then flags the mirror case instead: users given a
    /// limit by one group but raised above it by another group's higher limit, so the lower
    /// limit (a contractor cap, a freeze) never holds for them.
    ///
    /// Users whose winning limit is a 0 that LIMIT002 reports (granted `cowork`, with nothing to
    /// spend) are left to LIMIT002: one cause, one finding.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Spend limits use the opposite rule: the most restrictive limit across
    /// a user's groups wins." A power user added to a second group with a lower limit silently
    /// loses the budget the first group was meant to give.
    ///
    /// This depends on the platform profile's `limitResolution` (`min` by default, as the guide
    /// says). One product exposes a setting to use the maximum across groups instead; under
    /// `max`, a group's limit is only as low as every other group its members are in, and a cap
    /// meant for a few users is silently lifted for anyone also in a better-funded group.
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
    let resolution = cx.facts.limit_resolution;
    // (overruled group, winning group) -> users: the group whose own limit a user does not get,
    // and the group whose limit they get instead.
    let mut pairs: BTreeMap<(GroupId, GroupId), Vec<UserId>> = BTreeMap::new();
    for class in &cx.access.classes {
        let Some(effective) = class.limit else {
            continue;
        };
        let LimitSource::Group { group: winning, .. } = effective.source else {
            continue;
        };
        // Capped to a 0 that leaves nothing to spend: LIMIT002 reports these users.
        if zero_reported(cx, class).is_some() {
            continue;
        }
        for &group in &class.groups {
            if let Some((amount, _)) = cx.access.group_limits[group.index()]
                && match resolution {
                    LimitResolution::Min => amount > effective.amount,
                    LimitResolution::Max => amount < effective.amount,
                }
            {
                pairs
                    .entry((group, winning))
                    .or_default()
                    .extend(&class.users);
            }
        }
    }
    for ((overruled, winning), mut users) in pairs {
        users.sort();
        let (Some((own, own_limit)), Some((got, got_limit))) = (
            cx.access.group_limits[overruled.index()],
            cx.access.group_limits[winning.index()],
        ) else {
            continue;
        };
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let overruled_name = &policy.group(overruled).name.value;
        let winning_name = &policy.group(winning).name.value;
        let got_limit_name = &policy.limit(got_limit).name.value;
        let own_limit_name = &policy.limit(own_limit).name.value;
        let (tail, related, help) = match resolution {
            LimitResolution::Min => (
                String::new(),
                format!("capped at {got} for `{winning_name}` here"),
                format!(
                    "the most restrictive limit across a user's groups wins: take these users out of `{winning_name}`, or raise spend limit `{got_limit_name}`"
                ),
            ),
            LimitResolution::Max => (
                ", as the most generous limit wins under `limitResolution: max`".to_string(),
                format!("raised to {got} for `{winning_name}` here"),
                format!(
                    "the most generous limit across a user's groups wins: take these users out of `{winning_name}` to hold them to spend limit `{own_limit_name}`, or lower spend limit `{got_limit_name}`"
                ),
            ),
        };
        out.push(
            Draft::new(
                &RULE,
                attachment(policy, own_limit, overruled),
                format!(
                    "{} of `{overruled_name}` {} {got} from `{winning_name}` instead of {own} ({}){tail}",
                    plural(users.len(), "member"),
                    if users.len() == 1 { "gets" } else { "get" },
                    list_names(&emails, 3)
                ),
            )
            .label(format!("{own} for `{overruled_name}`"))
            .related(attachment(policy, got_limit, winning), related)
            .help(help),
        );
    }
}
