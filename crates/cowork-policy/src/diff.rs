//! What a change to the policy does to effective access: a semantic diff of two policies, not
//! of their text.
//!
//! Reviewers of a policy pull request want to know who gains or loses Cowork, whose spend limit
//! moves, whether an org now provisions more users than it has seats, which connectors go live
//! and what is enforced. [`diff`] answers with an [`AccessDiff`] of plain data, computed from the
//! same effective-access table the rules read (`effective.rs`), once per side. Users are joined by
//! lowercased email and org name; everything else by name.
//!
//! Each change is grouped, so a change that moves 10,000 users is one line: entitlements by
//! (org, entitlement, gained or lost, deciding group), limits by (org, old amount, new amount,
//! deciding group), each with a count and the first few emails in email order.
//!
//! ```
//! use cowork_policy::diff::{Direction, diff};
//! use cowork_policy::policy::Entitlement;
//!
//! let base = cowork_policy::load_sources([("p.yaml", "apiVersion: cowork-policy/v1
//! orgs: [{name: acme, plan: enterprise, coworkEnabled: true}]
//! groups: [{name: staff, members: [ana@acme.com, bo@acme.com]}]
//! roles: [{name: worker, entitlements: [chat], groups: [staff]}]
//! ")])?;
//! let head = cowork_policy::load_sources([("p.yaml", "apiVersion: cowork-policy/v1
//! orgs: [{name: acme, plan: enterprise, coworkEnabled: true}]
//! groups: [{name: staff, members: [ana@acme.com, bo@acme.com]}]
//! roles: [{name: worker, entitlements: [chat, cowork], groups: [staff]}]
//! ")])?;
//! let change = diff(&base, &head);
//! assert_eq!(change.users(Entitlement::Cowork, Direction::Gained), 2);
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::collections::HashMap;

use crate::access::{LimitSource, Spend};
use crate::check::{CheckOptions, check_with};
use crate::diagnostic::Finding;
use crate::effective::{Access, Class, LimitSource as Source};
use crate::model::{Amount, Entitlement, Policy, RbacState, SsoState, StepStatus};

/// How many emails each grouped change lists.
pub const FIRST_USERS: usize = 5;

/// Whether users gained or lost something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// They have it at the head and did not at the base.
    Gained,
    /// They had it at the base and do not at the head.
    Lost,
}

impl Direction {
    /// `gained` or `lost`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Gained => "gained",
            Direction::Lost => "lost",
        }
    }
}

/// Users of one org who gained (or lost) one entitlement through the same group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementChange {
    /// The org.
    pub org: String,
    /// `cowork`, `chat` or `claude-code`.
    pub entitlement: Entitlement,
    /// Gained or lost.
    pub direction: Direction,
    /// The group whose role grants it on the side where it is granted (the head for a gain,
    /// the base for a loss).
    pub group: String,
    /// The role on that group.
    pub role: String,
    /// How many users.
    pub users: usize,
    /// The first [`FIRST_USERS`] of them, by email.
    pub first: Vec<String>,
}

/// Users of one org whose effective spend limit moved from one amount to another, decided at
/// the head by the same source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitChange {
    /// The org.
    pub org: String,
    /// The limit at the base.
    pub old: Spend,
    /// The limit at the head.
    pub new: Spend,
    /// What decides the new limit (the group responsible).
    pub decided_by: LimitSource,
    /// How many users.
    pub users: usize,
    /// The first [`FIRST_USERS`] of them, by email.
    pub first: Vec<String>,
}

impl LimitChange {
    /// Whether the limit went up (more spend allowed).
    pub fn raised(&self) -> bool {
        self.new > self.old
    }
}

/// An org's seats and SCIM target (the distinct direct members of its SCIM-synced groups),
/// before and after. `None` where the org or its `seats` is not written on that side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatChange {
    /// The org.
    pub org: String,
    /// Seats at the base.
    pub seats_before: Option<u64>,
    /// Seats at the head.
    pub seats_after: Option<u64>,
    /// SCIM target at the base; `None` when the org is not there.
    pub scim_before: Option<u64>,
    /// SCIM target at the head; `None` when the org is not there.
    pub scim_after: Option<u64>,
}

impl SeatChange {
    /// Whether anything moved.
    pub fn changed(&self) -> bool {
        self.seats_before != self.seats_after || self.scim_before != self.scim_after
    }

    /// Whether the head would provision more users by SCIM than it has seats.
    pub fn exceeded(&self) -> bool {
        matches!((self.scim_after, self.seats_after), (Some(t), Some(s)) if t > s)
    }
}

/// A thing whose state changed: a connector's `state`, a plugin's effective distribution, an
/// org's RBAC or SSO. `None` on a side where it does not exist (or, for a plugin, where neither
/// the plugin nor its marketplace sets a distribution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// The org, when the thing names one.
    pub org: Option<String>,
    /// The connector, the plugin, `rbac` or `sso`.
    pub name: String,
    /// The state at the base.
    pub before: Option<&'static str>,
    /// The state at the head.
    pub after: Option<&'static str>,
}

/// A rollout step whose status or date moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepChange {
    /// The step.
    pub step: String,
    /// The status at the base (`pending` when left out); `None` when the step is not there.
    pub status_before: Option<&'static str>,
    /// The status at the head.
    pub status_after: Option<&'static str>,
    /// The date at the base, `YYYY-MM-DD`.
    pub date_before: Option<String>,
    /// The date at the head.
    pub date_after: Option<String>,
}

/// What changed in effective access between two policies. Every list is empty when nothing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessDiff {
    /// Entitlements gained or lost, by org, entitlement, direction, then most users first.
    pub entitlements: Vec<EntitlementChange>,
    /// Spend limits raised or lowered, by org, then most users first.
    pub limits: Vec<LimitChange>,
    /// Every org on either side, with seats and SCIM target before and after, in org order.
    pub seats: Vec<SeatChange>,
    /// Connectors whose state changed (or that appeared or went away).
    pub connectors: Vec<StateChange>,
    /// Plugins whose effective distribution changed.
    pub plugins: Vec<StateChange>,
    /// Orgs whose RBAC or SSO state changed (`name` is `rbac` or `sso`).
    pub enforcement: Vec<StateChange>,
    /// Rollout steps whose status or date moved.
    pub steps: Vec<StepChange>,
    /// Findings at the head that were not at the base.
    pub findings_introduced: Vec<Finding>,
    /// Findings at the base that are gone at the head.
    pub findings_fixed: Vec<Finding>,
}

impl AccessDiff {
    /// How many distinct (user, org) pairs gained (or lost) an entitlement.
    pub fn users(&self, entitlement: Entitlement, direction: Direction) -> usize {
        self.entitlements
            .iter()
            .filter(|c| c.entitlement == entitlement && c.direction == direction)
            .map(|c| c.users)
            .sum()
    }

    /// How many users' limit went up (`true`) or down (`false`).
    pub fn limit_users(&self, raised: bool) -> usize {
        self.limits
            .iter()
            .filter(|c| c.raised() == raised)
            .map(|c| c.users)
            .sum()
    }

    /// Whether nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.entitlements.is_empty()
            && self.limits.is_empty()
            && !self.seats.iter().any(SeatChange::changed)
            && self.connectors.is_empty()
            && self.plugins.is_empty()
            && self.enforcement.is_empty()
            && self.steps.is_empty()
            && self.findings_introduced.is_empty()
            && self.findings_fixed.is_empty()
    }
}

/// Diff two policies with the default options (each policy's own platform profile).
pub fn diff(base: &Policy, head: &Policy) -> AccessDiff {
    diff_with(
        base,
        head,
        &CheckOptions::default(),
        &CheckOptions::default(),
    )
}

/// Diff two policies, each with its options (the platform profile and the config choose how
/// access is computed and which findings exist; the day dates rules).
pub fn diff_with(
    base: &Policy,
    head: &Policy,
    base_options: &CheckOptions,
    head_options: &CheckOptions,
) -> AccessDiff {
    // The two sides are independent: build each one's table and report on its own core.
    let side = |policy, options: &CheckOptions| {
        let facts = policy_facts(policy, options);
        let access = Access::build(policy, &facts);
        let report = check_with(policy, options);
        let rows = rows(policy, &access);
        (access, report, rows)
    };
    let ((base_access, base_report, base_rows), (head_access, head_report, head_rows)) =
        rayon::join(|| side(base, base_options), || side(head, head_options));
    let comparison = crate::baseline::compare(&base_report, &head_report);
    let (entitlements, limits) = user_changes(
        (base, &base_access, base_rows),
        (head, &head_access, head_rows),
    );
    AccessDiff {
        entitlements,
        limits,
        seats: seats(base, &base_access, head, &head_access),
        connectors: connectors(base, head),
        plugins: plugins(base, head),
        enforcement: enforcement(base, head),
        steps: steps(base, head),
        findings_introduced: comparison.introduced,
        findings_fixed: comparison.fixed,
    }
}

fn policy_facts(policy: &Policy, options: &CheckOptions) -> crate::profile::Facts {
    options.facts(policy)
}

/// One (user, org) row of a side: the org's name, the lowercased email, and the class.
struct Row<'a> {
    org: &'a str,
    email: String,
    /// The index of the user's class in [`Access::classes`].
    class: usize,
}

fn rows<'a>(policy: &'a Policy, access: &Access) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for (index, class) in access.classes.iter().enumerate() {
        let org = policy.org(class.org).name.value.as_str();
        for &user in &class.users {
            rows.push(Row {
                org,
                email: policy.user(user).email.to_lowercase(),
                class: index,
            });
        }
    }
    rows.sort_unstable_by(|a, b| (a.org, &a.email).cmp(&(b.org, &b.email)));
    rows
}

/// A group of users sharing one change, with the first few emails.
#[derive(Default)]
struct Bucket {
    users: usize,
    first: Vec<String>,
}

impl Bucket {
    fn add(&mut self, email: &str) {
        self.users += 1;
        if self.first.len() < FIRST_USERS {
            self.first.push(email.to_string());
        }
    }
}

type EntitlementKey<'a> = (&'a str, Entitlement, Direction, &'a str, &'a str);
type LimitKey<'a> = (&'a str, Spend, Spend, LimitSourceKey<'a>);

#[derive(Clone, PartialEq, Eq, Hash)]
enum LimitSourceKey<'a> {
    Group(&'a str, &'a str),
    OrgDefault,
    None,
}

fn spend(limit: Option<crate::effective::EffectiveLimit>) -> Spend {
    match limit.map(|l| l.amount) {
        Some(Amount::Cents(cents)) => Spend::Cents(cents),
        Some(Amount::Unlimited) | None => Spend::Unlimited,
    }
}

fn source_key<'a>(policy: &'a Policy, class: &Class) -> LimitSourceKey<'a> {
    match class.limit.map(|l| l.source) {
        Some(Source::Group { group, limit }) => LimitSourceKey::Group(
            &policy.group(group).name.value,
            &policy.limit(limit).name.value,
        ),
        Some(Source::OrgDefault(_)) => LimitSourceKey::OrgDefault,
        None => LimitSourceKey::None,
    }
}

/// Per user and org: the entitlements gained or lost, and limits that moved. The rows of both
/// sides are sorted by (org, email) and merged, so each bucket's first emails are in order.
fn user_changes<'a>(
    (base, base_access, before): (&'a Policy, &Access, Vec<Row<'a>>),
    (head, head_access, after): (&'a Policy, &Access, Vec<Row<'a>>),
) -> (Vec<EntitlementChange>, Vec<LimitChange>) {
    let mut grants: HashMap<EntitlementKey<'a>, Bucket> = HashMap::new();
    let mut limits: HashMap<LimitKey<'a>, Bucket> = HashMap::new();
    let grant_key = |policy: &'a Policy, class: &Class, entitlement| {
        class.grant(entitlement).map(|g| {
            (
                policy.group(g.group).name.value.as_str(),
                policy.role(g.role).name.value.as_str(),
            )
        })
    };
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < after.len() {
        let order = match (before.get(i), after.get(j)) {
            (Some(b), Some(a)) => (b.org, &b.email).cmp(&(a.org, &a.email)),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (b, a) = match order {
            std::cmp::Ordering::Less => {
                i += 1;
                (before.get(i - 1), None)
            }
            std::cmp::Ordering::Greater => {
                j += 1;
                (None, after.get(j - 1))
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
                (before.get(i - 1), after.get(j - 1))
            }
        };
        let Some(row) = a.or(b) else { break };
        for entitlement in Entitlement::ALL {
            let old = b.and_then(|b| grant_key(base, &base_access.classes[b.class], entitlement));
            let new = a.and_then(|a| grant_key(head, &head_access.classes[a.class], entitlement));
            let change = match (old, new) {
                (None, Some((group, role))) => Some((Direction::Gained, group, role)),
                (Some((group, role)), None) => Some((Direction::Lost, group, role)),
                _ => None,
            };
            if let Some((direction, group, role)) = change {
                grants
                    .entry((row.org, entitlement, direction, group, role))
                    .or_default()
                    .add(&row.email);
            }
        }
        if let (Some(b), Some(a)) = (b, a) {
            let (b, a) = (&base_access.classes[b.class], &head_access.classes[a.class]);
            let (old, new) = (spend(b.limit), spend(a.limit));
            if old != new {
                limits
                    .entry((row.org, old, new, source_key(head, a)))
                    .or_default()
                    .add(&row.email);
            }
        }
    }
    let org_rank = org_order(base, head);
    let rank = |org: &str| org_rank.get(org).copied().unwrap_or(usize::MAX);
    let mut entitlements: Vec<EntitlementChange> = grants
        .into_iter()
        .map(
            |((org, entitlement, direction, group, role), bucket)| EntitlementChange {
                org: org.to_string(),
                entitlement,
                direction,
                group: group.to_string(),
                role: role.to_string(),
                users: bucket.users,
                first: bucket.first,
            },
        )
        .collect();
    entitlements.sort_by(|x, y| {
        let key = |c: &EntitlementChange| {
            (
                rank(&c.org),
                Entitlement::ALL.iter().position(|&e| e == c.entitlement),
                c.direction,
                std::cmp::Reverse(c.users),
            )
        };
        key(x).cmp(&key(y)).then_with(|| x.group.cmp(&y.group))
    });
    let mut limit_changes: Vec<LimitChange> = limits
        .into_iter()
        .map(|((org, old, new, source), bucket)| LimitChange {
            org: org.to_string(),
            old,
            new,
            decided_by: match source {
                LimitSourceKey::Group(group, limit) => LimitSource::Group {
                    group: group.to_string(),
                    limit: limit.to_string(),
                },
                LimitSourceKey::OrgDefault => LimitSource::OrgDefault,
                LimitSourceKey::None => LimitSource::None,
            },
            users: bucket.users,
            first: bucket.first,
        })
        .collect();
    limit_changes.sort_by(|x, y| {
        (rank(&x.org), std::cmp::Reverse(x.users), x.old, x.new)
            .cmp(&(rank(&y.org), std::cmp::Reverse(y.users), y.old, y.new))
            .then_with(|| format!("{:?}", x.decided_by).cmp(&format!("{:?}", y.decided_by)))
    });
    (entitlements, limit_changes)
}

/// Org names in the head's order, then the base's orgs that are gone.
fn org_order(base: &Policy, head: &Policy) -> HashMap<String, usize> {
    let mut rank = HashMap::new();
    for org in head.orgs.iter().chain(&base.orgs) {
        let next = rank.len();
        rank.entry(org.name.value.clone()).or_insert(next);
    }
    rank
}

fn seats(
    base: &Policy,
    base_access: &Access,
    head: &Policy,
    head_access: &Access,
) -> Vec<SeatChange> {
    let side = |policy: &Policy, access: &Access, name: &str| {
        policy
            .org_ids()
            .find(|&o| policy.org(o).name.value == name)
            .map(|o| {
                let target = access.scim.get(o.index()).map_or(0, |t| t.users as u64);
                (policy.org(o).seats.map(|s| s.value), target)
            })
    };
    let mut rank: Vec<(String, usize)> = org_order(base, head).into_iter().collect();
    rank.sort_by_key(|(_, r)| *r);
    rank.into_iter()
        .map(|(org, _)| {
            let before = side(base, base_access, &org);
            let after = side(head, head_access, &org);
            SeatChange {
                seats_before: before.and_then(|b| b.0),
                seats_after: after.and_then(|a| a.0),
                scim_before: before.map(|b| b.1),
                scim_after: after.map(|a| a.1),
                org,
            }
        })
        .collect()
}

/// Changes between two lists of named things, keyed by (org, name), in the head's order then
/// the base's things that are gone.
fn state_changes<'a>(
    base: impl Iterator<Item = (Option<String>, String, Option<&'static str>)>,
    head: impl Iterator<Item = (Option<String>, String, Option<&'static str>)> + 'a,
) -> Vec<StateChange> {
    let before: Vec<_> = base.collect();
    let after: Vec<_> = head.collect();
    let find = |list: &[(Option<String>, String, Option<&'static str>)],
                org: &Option<String>,
                name: &str| {
        list.iter()
            .find(|(o, n, _)| o == org && n == name)
            .map(|t| t.2)
    };
    let mut changes = Vec::new();
    for (org, name, state) in &after {
        let old = find(&before, org, name);
        if old != Some(*state) {
            changes.push(StateChange {
                org: org.clone(),
                name: name.clone(),
                before: old.flatten(),
                after: *state,
            });
        }
    }
    for (org, name, state) in &before {
        if find(&after, org, name).is_none() && state.is_some() {
            changes.push(StateChange {
                org: org.clone(),
                name: name.clone(),
                before: *state,
                after: None,
            });
        }
    }
    changes
}

fn org_name(policy: &Policy, org: Option<crate::model::OrgId>) -> Option<String> {
    org.map(|o| policy.org(o).name.value.clone())
}

fn connectors(base: &Policy, head: &Policy) -> Vec<StateChange> {
    let list = |policy: &'_ Policy| {
        policy
            .connectors
            .iter()
            .map(|c| {
                (
                    org_name(policy, c.org),
                    c.name.value.clone(),
                    Some(c.state().as_str()),
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
    };
    state_changes(list(base), list(head))
}

fn plugins(base: &Policy, head: &Policy) -> Vec<StateChange> {
    let list = |policy: &'_ Policy| {
        policy
            .plugins
            .iter()
            .map(|p| {
                (
                    org_name(policy, p.org),
                    p.name.value.clone(),
                    crate::rules::plugin_reach(policy, p).map(|r| r.distribution.value.as_str()),
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
    };
    state_changes(list(base), list(head))
}

fn rbac_str(state: RbacState) -> &'static str {
    match state {
        RbacState::Off => "off",
        RbacState::Configured => "configured",
        RbacState::Tested => "tested",
        RbacState::Enforced => "enforced",
    }
}

fn sso_str(state: SsoState) -> &'static str {
    match state {
        SsoState::Planned => "planned",
        SsoState::Configured => "configured",
        SsoState::Tested => "tested",
        SsoState::Enforced => "enforced",
    }
}

fn enforcement(base: &Policy, head: &Policy) -> Vec<StateChange> {
    let list = |policy: &'_ Policy| {
        let mut out = Vec::new();
        for org in &policy.orgs {
            let name = Some(org.name.value.clone());
            out.push((
                name.clone(),
                "rbac".to_string(),
                Some(rbac_str(org.rbac_state())),
            ));
            let sso = org.idp.map(|idp| {
                sso_str(
                    policy.idps[idp.index()]
                        .sso
                        .map_or(SsoState::Planned, |s| s.value),
                )
            });
            out.push((name, "sso".to_string(), sso));
        }
        out.into_iter()
    };
    state_changes(list(base), list(head))
}

fn step_str(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Pending => "pending",
        StepStatus::InProgress => "in-progress",
        StepStatus::Done => "done",
        StepStatus::Skipped => "skipped",
    }
}

/// Each step entry's index in `policy.steps`, by its key (`Policy::step_key`: the name, with
/// the org of an org's own entry).
fn steps_by_key(policy: &Policy) -> HashMap<String, usize> {
    let mut index = HashMap::with_capacity(policy.steps.len());
    for step in policy.step_ids() {
        index.entry(policy.step_key(step)).or_insert(step.index());
    }
    index
}

fn steps(base: &Policy, head: &Policy) -> Vec<StepChange> {
    // Entries are told apart by name and org (`acme-emea/pilot-launch`), and looked up in
    // constant time: a long step list must not cost its length squared.
    let (base_index, head_index) = (steps_by_key(base), steps_by_key(head));
    let find = |policy: &Policy, index: &HashMap<String, usize>, key: &str| {
        index
            .get(key)
            .map(|&i| &policy.steps[i])
            .map(|s| (step_str(s.status()), s.date.map(|d| d.value.to_string())))
    };
    let mut names: Vec<String> = head.step_ids().map(|s| head.step_key(s)).collect();
    for step in base.step_ids() {
        let key = base.step_key(step);
        if !head_index.contains_key(&key) {
            names.push(key);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let before = find(base, &base_index, &name);
            let after = find(head, &head_index, &name);
            (before != after).then(|| StepChange {
                step: name,
                status_before: before.as_ref().map(|b| b.0),
                status_after: after.as_ref().map(|a| a.0),
                date_before: before.and_then(|b| b.1),
                date_after: after.and_then(|a| a.1),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Policy {
        match crate::load_sources([("policy.yaml", text)]) {
            Ok(policy) => policy,
            Err(errors) => panic!("{errors:?}"),
        }
    }

    const BASE: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 3
groups:
  - name: eng
    org: acme
    scim: true
    members: [ana@acme.com, bo@acme.com]
  - name: sales
    org: acme
    scim: true
    members: [cy@acme.com]
roles:
  - name: cowork-users
    entitlements: [cowork]
    groups: [eng]
spendLimits:
  - name: eng-cap
    amount: 100
    groups: [eng]
";

    #[test]
    fn identical_policies_have_an_empty_diff() {
        let d = diff(&load(BASE), &load(BASE));
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn gains_losses_limits_and_seats_are_grouped() {
        let head = BASE
            .replace("groups: [eng]\nspendLimits", "groups: [sales]\nspendLimits")
            .replace("amount: 100", "amount: 50")
            .replace("[cy@acme.com]", "[cy@acme.com, di@acme.com, ed@acme.com]");
        let d = diff(&load(BASE), &load(&head));
        assert_eq!(d.users(Entitlement::Cowork, Direction::Gained), 3);
        assert_eq!(d.users(Entitlement::Cowork, Direction::Lost), 2);
        let lost = &d.entitlements[1];
        assert_eq!(
            (lost.direction, lost.group.as_str(), lost.first.clone()),
            (
                Direction::Lost,
                "eng",
                vec!["ana@acme.com".to_string(), "bo@acme.com".to_string()]
            )
        );
        assert_eq!(d.limit_users(false), 2);
        assert_eq!(d.limits[0].old, Spend::Cents(10_000));
        assert_eq!(d.limits[0].new, Spend::Cents(5_000));
        assert_eq!(d.seats[0].scim_before, Some(3));
        assert_eq!(d.seats[0].scim_after, Some(5));
        assert!(d.seats[0].exceeded());
        assert!(!d.findings_introduced.is_empty());
    }
}
