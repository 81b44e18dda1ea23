use std::collections::BTreeMap;

use crate::diagnostic::{list_names, plural};
use crate::effective::LimitSource;
use crate::model::{Entitlement, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::limits::zero_reported;

declare_rule! {
    /// ## What it flags
    ///
    /// Users granted `cowork` whose effective spend limit is a zero that leaves them nothing to
    /// spend: the lowest limit among their groups is 0, or none of their groups has a limit and
    /// the org default is 0. One finding per limit that sets the zero.
    ///
    /// A limit of 0 means nothing beyond the plan's included usage, so whether it leaves
    /// anything follows the org's `billing`: on `seats` billing the seat's included usage
    /// stays ("seat usage only") and the rule is silent; on `consumption` billing nothing is
    /// included and the rule fires. When the org does not record `billing`, the rule fires and
    /// says that billing, which decides it, is not recorded (see "Settings not recorded" in
    /// docs/format.md).
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "the most restrictive limit across a user's groups wins." A zero limit
    /// on any one of a user's groups, or a zero default, on billing that includes no usage,
    /// leaves them with Cowork they cannot use: the role says yes and the budget says no.
    ///
    /// The vendor's admin documentation says a limit of 0 means "nothing beyond the plan's
    /// included usage", and spend limits cap what a member spends of usage credits (the Admin
    /// API reference, support article 15330651). Both built-in profiles follow that. The
    /// platform profile's `zeroLimitBlocks` overrides it for every org: `true` reads 0 as
    /// nothing at all, `false` as the included usage whatever the billing.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     billing: consumption
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
    ///     billing: consumption
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
    let policy = cx.policy;
    // Per source: the users, the first grant of `cowork`, and whether 0 surely leaves nothing
    // (`Some(true)`) or depends on a billing the policy does not record (`None`).
    type Zero = (Vec<UserId>, Option<crate::effective::Grant>, Option<bool>);
    let mut zeros: BTreeMap<Source, Zero> = BTreeMap::new();
    for class in &cx.access.classes {
        let (Some(limit), Some(blocks)) = (class.limit, zero_reported(cx, class)) else {
            continue;
        };
        let source = match limit.source {
            LimitSource::Group { group, limit } => Source::Limit(limit, group),
            LimitSource::OrgDefault(org) => Source::Default(org),
        };
        let entry = zeros.entry(source).or_insert((Vec::new(), None, blocks));
        entry.0.extend(&class.users);
        entry.1 = entry.1.or(class.grant(Entitlement::Cowork));
    }
    for (source, (mut users, grant, blocks)) in zeros {
        users.sort();
        let emails: Vec<&str> = users
            .iter()
            .map(|&u| policy.user(u).email.as_str())
            .collect();
        let (span, by, mut help, org) = match source {
            Source::Limit(limit, group) => {
                let l = policy.limit(limit);
                let g = policy.group(group);
                (
                    l.amount.span,
                    format!("spend limit `{}` on `{}`", l.name.value, g.name.value),
                    format!(
                        "give spend limit `{}` an amount above 0, or take these users out of `{}`: the lowest limit across a user's groups wins",
                        l.name.value, g.name.value
                    ),
                    g.org,
                )
            }
            Source::Default(org) => {
                let o = policy.org(org);
                (
                    o.default_limit.map_or(o.name.span, |d| d.span),
                    format!("the default of org `{}`", o.name.value),
                    "give the org a default above 0, or give these users' groups a spend limit"
                        .to_string(),
                    Some(org),
                )
            }
        };
        let o = org.map(|org| policy.org(org));
        let org_name = o.map_or("", |o| o.name.value.as_str());
        // Why 0 leaves nothing: the profile says so, the org bills by consumption, or billing,
        // which decides it, is not recorded.
        let why = match (blocks, cx.facts.zero_limit_blocks) {
            (None, _) => {
                help = format!(
                    "record org `{org_name}`'s `billing`: on seat billing a limit of 0 keeps the seat's included usage, on consumption billing it leaves nothing; or {help}"
                );
                format!(
                    ", which leaves nothing to spend unless billing includes usage, and org `{org_name}`'s `billing` is not recorded"
                )
            }
            (Some(_), None) => ", which leaves nothing to spend on consumption billing".to_string(),
            (Some(_), Some(_)) => String::new(),
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "{} granted `cowork` {} an effective spend limit of 0, set by {by}{why} ({})",
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
        if blocks.is_some()
            && cx.facts.zero_limit_blocks.is_none()
            && let Some(billing) = o.and_then(|o| o.billing)
        {
            draft = draft.related(billing.span, "consumption billing includes no usage");
        }
        out.push(draft);
    }
}
