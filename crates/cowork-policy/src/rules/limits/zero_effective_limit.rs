use std::collections::BTreeMap;

use crate::access::LimitSource;
use crate::diagnostic::{Draft, list_names, plural};
use crate::model::{Entitlement, UserId};
use crate::rules::Context;

declare_rule! {
    /// ## What it flags
    ///
    /// Users granted `cowork` whose effective spend limit is zero: the lowest limit among their
    /// groups is 0, or none of their groups has a limit and the org default is 0. One finding per
    /// limit that sets the zero.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "the most restrictive limit across a user's groups wins." A zero limit
    /// on any one of a user's groups, or a zero default, leaves them with Cowork they cannot
    /// use: the role says yes and the budget says no.
    ///
    /// This depends on the platform profile's `zeroLimitBlocks`. The guide names no meaning for
    /// 0, so by default it is read literally: nothing to spend. The vendor's admin documentation
    /// says a limit of 0 means "nothing beyond the plan's included usage"; under a profile that
    /// says so (`zeroLimitBlocks: false`, as in `admin-docs-2026`), a zero limit still leaves
    /// the included usage, and the rule stays silent.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     defaultSpendLimit: 0
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork]
    ///     groups: [pilot]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     defaultSpendLimit: 0
    /// groups:
    ///   - name: pilot
    ///     members: [ana@acme.com]
    /// roles:
    ///   - name: cowork-users
    ///     entitlements: [cowork]
    ///     groups: [pilot]
    /// spendLimits:
    ///   - name: pilot-budget
    ///     amount: 100
    ///     groups: [pilot]
    /// ```
    pub(crate) static RULE = {
        code: "LIMIT002",
        name: "zero-effective-limit",
        area: Limits,
        severity: Error,
        check: check,
    };
}

/// What set a zero limit, ordered so findings come out stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Limit(crate::model::LimitId, crate::model::GroupId),
    Default(crate::model::OrgId),
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    if !cx.facts.zero_limit_blocks {
        return;
    }
    let policy = cx.policy;
    let mut zeros: BTreeMap<Source, (Vec<UserId>, Option<crate::access::Grant>)> = BTreeMap::new();
    for class in &cx.access.classes {
        let (Some(limit), Some(grant)) = (class.limit, class.grant(Entitlement::Cowork)) else {
            continue;
        };
        if !limit.amount.is_zero() {
            continue;
        }
        let source = match limit.source {
            LimitSource::Group { group, limit } => Source::Limit(limit, group),
            LimitSource::OrgDefault(org) => Source::Default(org),
        };
        let entry = zeros.entry(source).or_default();
        entry.0.extend(&class.users);
        entry.1.get_or_insert(grant);
    }
    for (source, (mut users, grant)) in zeros {
        users.sort();
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let (span, by, help) = match source {
            Source::Limit(limit, group) => {
                let l = policy.limit(limit);
                (
                    l.amount.span,
                    format!(
                        "spend limit `{}` on `{}`",
                        l.name.value,
                        policy.group(group).name.value
                    ),
                    format!(
                        "give spend limit `{}` an amount above 0, or take these users out of `{}`: the lowest limit across a user's groups wins",
                        l.name.value,
                        policy.group(group).name.value
                    ),
                )
            }
            Source::Default(org) => {
                let o = policy.org(org);
                (
                    o.default_limit.map_or(o.name.span, |d| d.span),
                    format!("the default of org `{}`", o.name.value),
                    "give the org a default above 0, or give these users' groups a spend limit"
                        .to_string(),
                )
            }
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "{} granted `cowork` {} an effective spend limit of 0, set by {by} ({})",
                plural(users.len(), "user"),
                if users.len() == 1 { "has" } else { "have" },
                list_names(&emails, 3)
            ),
        )
        .label("zero limit")
        .help(help);
        if let Some(grant) = grant
            && let Some(granted) = policy.role(grant.role).grant(Entitlement::Cowork)
        {
            draft = draft.related(
                granted.span,
                format!(
                    "`cowork` granted by `{}` on `{}` here",
                    policy.role(grant.role).name.value,
                    policy.group(grant.group).name.value
                ),
            );
        }
        out.push(draft);
    }
}
