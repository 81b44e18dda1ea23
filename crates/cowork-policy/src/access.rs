//! Who gets what, and why: effective access explained for one user, one group, or every user.
//!
//! The rules read the effective-access table (`effective.rs`) to find problems; this module reads
//! the same table to answer an admin's question ("what does ana get, and which line decides
//! it?"), so an explanation can never disagree with a finding. Its types are plain data, with
//! names, emails and [`Location`]s: nothing of the model leaks out.
//!
//! Start with [`EffectiveAccess::new`], which builds the table once, then ask it about a user
//! ([`EffectiveAccess::user`]), a group ([`EffectiveAccess::group`]) or every user
//! ([`EffectiveAccess::table`]). [`explain_access`] and [`explain_group`] are the one-call
//! versions with the default options.
//!
//! ```
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     plan: enterprise
//!     coworkEnabled: true
//!     rbac: enforced
//! groups:
//!   - name: staff
//!     members: [ana@acme.com]
//!     memberGroups: [interns]
//!   - name: interns
//!     members: [bo@acme.com]
//! roles:
//!   - name: worker
//!     entitlements: [cowork, chat]
//!     groups: [staff]
//! ",
//! )])?;
//! let ana = cowork_policy::access::explain_access(&policy, "ana@acme.com").unwrap();
//! let grants: Vec<&str> = ana.orgs[0].entitlements.iter().map(|g| g.entitlement.as_str()).collect();
//! assert_eq!(grants, ["cowork", "chat"]);
//!
//! // bo is only in `interns`, which `staff` nests: nesting does not sync, so bo gets nothing.
//! let staff = cowork_policy::access::explain_group(&policy, "staff").unwrap();
//! assert_eq!(staff.nested_only[0].user, "bo@acme.com");
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::fmt;

use crate::check::CheckOptions;
use crate::diagnostic::list_names;
use crate::effective::{Access, Class, EffectiveLimit, LimitSource as Source};
use crate::model::LimitResolution;
use crate::model::Location;
use crate::model::{
    Entitlement, GroupId, OrgId, Policy, Provisioning, RbacState, SsoState, UserId,
};
use crate::policy::{Org, User};
use crate::profile::Facts;

pub use crate::model::Spend;

/// A user or group name the policy does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// `user`, `group` or (from [`crate::drift_org`]) `org`.
    pub kind: &'static str,
    /// The name asked for.
    pub name: String,
    /// The closest known name, when it is close enough to be a typo.
    pub did_you_mean: Option<String>,
}

/// `no user `x` in the policy`.
impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no {} `{}` in the policy", self.kind, self.name)
    }
}

impl std::error::Error for Unknown {}

/// A group that gives a user access: it lists them directly (or, on an identity provider whose
/// nested groups sync, through nesting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRef {
    /// The group.
    pub name: String,
    /// Whether SCIM syncs the group (so it provisions its members).
    pub scim: bool,
    /// Empty when the group lists the user directly; else the nested groups, in order, through
    /// which a syncing identity provider passes the user on.
    pub synced_through: Vec<String>,
    /// Where the user is listed: the member line, or the `memberGroups` entry.
    pub location: Location,
}

/// A group that lists a user only through a nested group, so gives them nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedRef {
    /// The outer group, which does not count.
    pub group: String,
    /// The nested groups from the outer group down to the one that lists the user, in order.
    pub through: Vec<String>,
    /// The `memberGroups` entry of the outer group.
    pub location: Location,
    /// Where the last group of [`NestedRef::through`] lists the user.
    pub member_location: Location,
}

/// A role on a group that grants an entitlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    /// The role.
    pub role: String,
    /// The group the role is on.
    pub group: String,
    /// Where the role lists the group.
    pub location: Location,
}

/// An entitlement and every role that grants it. Roles are additive: one grant is enough.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementGrant {
    /// What is granted.
    pub entitlement: Entitlement,
    /// The grants, the one the checker cites first (the first in group order). In an
    /// [`AccessClass`], only that one.
    pub granted_by: Vec<RoleGrant>,
}

/// What decided a spend limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitSource {
    /// A limit on one of the user's groups won.
    Group {
        /// The group.
        group: String,
        /// The spend limit's name.
        limit: String,
    },
    /// None of the user's groups has a limit: the org's `defaultSpendLimit` applies.
    OrgDefault,
    /// Neither a group nor the org sets a limit.
    None,
}

/// A spend limit on a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitRef {
    /// The spend limit's name.
    pub limit: String,
    /// The group it is on.
    pub group: String,
    /// Its amount.
    pub amount: Spend,
    /// Where its amount is written.
    pub location: Location,
}

/// A user's effective spend limit, what decided it, and what it overrode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitDecision {
    /// The limit in effect.
    pub amount: Spend,
    /// What decided it.
    pub decided_by: LimitSource,
    /// Where the deciding amount is written; `None` when nothing sets a limit.
    pub location: Option<Location>,
    /// The other limits on the user's groups, which lost: higher ones when the most restrictive
    /// wins, lower ones under `limitResolution: max`.
    pub overridden: Vec<LimitRef>,
    /// `min` (the most restrictive wins, the rollout guide) or `max`.
    pub resolution: &'static str,
}

/// A state of the rollout (RBAC, SSO) and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    /// As the policy writes it (`tested`), or its default (`off`, `planned`).
    pub state: &'static str,
    /// Whether it is enforced.
    pub enforced: bool,
    /// Where it is written; `None` when the policy leaves it out.
    pub location: Option<Location>,
}

/// Single sign-on for an org: its identity provider and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sso {
    /// The identity provider.
    pub idp: String,
    /// How far SSO has got with it.
    pub state: State,
}

/// What a user gets in one org, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgAccess {
    /// The org.
    pub org: String,
    /// The groups that give the user access. Empty when only nesting reaches them here.
    pub groups: Vec<GroupRef>,
    /// The groups that list the user only through nesting: they do not count.
    pub nested_only: Vec<NestedRef>,
    /// Each entitlement the user gets, in the order `cowork`, `chat`, `claude-code`.
    pub entitlements: Vec<EntitlementGrant>,
    /// The effective spend limit.
    pub limit: LimitDecision,
    /// The org's RBAC state.
    pub rbac: State,
    /// The org's SSO, when it names an identity provider.
    pub sso: Option<Sso>,
    /// What RBAC, SSO, provisioning and roles mean for this user today, one sentence each.
    pub notes: Vec<String>,
}

/// Everything one user gets, org by org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessExplanation {
    /// The email, as first written in the policy.
    pub user: String,
    /// Each org the user lands in or is listed for, in the policy's org order.
    pub orgs: Vec<OrgAccess>,
}

/// A role on a group, with what it grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleOnGroup {
    /// The role.
    pub role: String,
    /// What it grants.
    pub entitlements: Vec<&'static str>,
    /// Where the role lists the group.
    pub location: Location,
}

/// How many of a group's members get an entitlement, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementCount {
    /// What is granted.
    pub entitlement: Entitlement,
    /// Members who get it.
    pub users: usize,
    /// The deciding role and group, with how many members each decides for, most first.
    pub by: Vec<(RoleGrant, usize)>,
}

/// How many of a group's members have one effective spend limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitCount {
    /// The limit in effect.
    pub amount: Spend,
    /// What decided it.
    pub decided_by: LimitSource,
    /// Where the deciding amount is written.
    pub location: Option<Location>,
    /// Members with this limit.
    pub users: usize,
}

/// A user a group lists only through nesting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedMember {
    /// The user.
    pub user: String,
    /// The nested groups from the group down to the one that lists the user.
    pub through: Vec<String>,
}

/// What a group's members get, in aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupExplanation {
    /// The group.
    pub group: String,
    /// Its org, if it has one (a group without an org gives no access).
    pub org: Option<String>,
    /// Where the group is defined.
    pub location: Location,
    /// Whether SCIM syncs it.
    pub scim: bool,
    /// The members it counts for: direct members (and nested ones where they sync).
    pub members: usize,
    /// The roles on the group.
    pub roles: Vec<RoleOnGroup>,
    /// The spend limits on the group.
    pub limits: Vec<LimitRef>,
    /// For each entitlement any member gets, how many get it and which role and group decide.
    pub entitlements: Vec<EntitlementCount>,
    /// The members' effective spend limits, most members first.
    pub effective_limits: Vec<LimitCount>,
    /// Users the group lists only through nesting, who get nothing from it.
    pub nested_only: Vec<NestedMember>,
    /// What RBAC, SSO and provisioning mean for the members today.
    pub notes: Vec<String>,
}

/// Users of one org with the same groups, and what they all get: one line of the effective
/// access table, shared by every [`AccessRow`] of those users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClass {
    /// The org.
    pub org: String,
    /// The groups that count, in the policy's group order.
    pub groups: Vec<String>,
    /// Each entitlement, with only the deciding grant.
    pub entitlements: Vec<EntitlementGrant>,
    /// The effective spend limit.
    pub limit: LimitDecision,
    /// How many users share it.
    pub users: usize,
}

/// One user in one org of the effective-access table.
#[derive(Debug, Clone, Copy)]
pub struct AccessRow<'t> {
    /// The user's email.
    pub user: &'t str,
    /// What they get. Rows of the same class share it.
    pub access: &'t AccessClass,
    /// The index of [`AccessRow::access`] in the table: equal for rows that share it.
    pub class: usize,
}

/// The whole effective-access table: every user in every org they land in.
#[derive(Debug)]
pub struct AccessTable<'p> {
    policy: &'p Policy,
    classes: Vec<AccessClass>,
    /// (user, class), sorted by email, then org.
    order: Vec<(UserId, u32)>,
}

impl<'p> AccessTable<'p> {
    /// The rows, by email (then org), each borrowing its class.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = AccessRow<'_>> + '_ {
        self.order.iter().map(|&(user, class)| AccessRow {
            user: &self.policy.user(user).email,
            access: &self.classes[class as usize],
            class: class as usize,
        })
    }

    /// The classes: users of one org with the same groups, sorted by org, then groups.
    pub fn classes(&self) -> &[AccessClass] {
        &self.classes
    }
}

/// Effective access for a policy, computed once: the same table the rules read.
#[derive(Debug)]
pub struct EffectiveAccess<'p> {
    policy: &'p Policy,
    facts: Facts,
    access: Access,
    /// For each group, the spend limits on it (with where the limit names it), in limit order.
    limits_on: Vec<Vec<crate::model::LimitId>>,
}

impl<'p> EffectiveAccess<'p> {
    /// Build the table with the platform profile that `options` and the policy's `platform:`
    /// section choose, as [`crate::check_with`] does.
    pub fn new(policy: &'p Policy, options: &CheckOptions) -> EffectiveAccess<'p> {
        let facts = options.facts(policy);
        let access = Access::build(policy, &facts);
        let mut limits_on = vec![Vec::new(); policy.groups.len()];
        for id in policy.limit_ids() {
            for g in &policy.limit(id).groups {
                limits_on[g.value.index()].push(id);
            }
        }
        EffectiveAccess {
            policy,
            facts,
            access,
            limits_on,
        }
    }

    /// What the user with this email (in any case) gets, org by org.
    pub fn user(&self, email: &str) -> Result<AccessExplanation, Unknown> {
        let policy = self.policy;
        let Some(user) = (0..policy.users.len() as u32)
            .map(UserId)
            .find(|&u| policy.user(u).email.eq_ignore_ascii_case(email))
        else {
            return Err(Unknown {
                kind: "user",
                name: email.to_string(),
                did_you_mean: crate::suggest::did_you_mean(
                    email,
                    policy.users.iter().map(|u| u.email.as_str()),
                )
                .map(str::to_string),
            });
        };
        let mut orgs: Vec<(OrgId, Option<&Class>)> = self
            .access
            .classes
            .iter()
            .filter(|c| c.users.binary_search(&user).is_ok())
            .map(|c| (c.org, Some(c)))
            .collect();
        let nested = self.nested_only(user, &orgs);
        for n in &nested {
            if !orgs.iter().any(|(o, _)| *o == n.0) {
                orgs.push((n.0, None));
            }
        }
        orgs.sort_by_key(|(o, _)| *o);
        let orgs = orgs
            .into_iter()
            .map(|(org, class)| {
                let nested_only = nested
                    .iter()
                    .filter(|n| n.0 == org)
                    .map(|n| n.1.clone())
                    .collect();
                self.org_access(user, org, class, nested_only)
            })
            .collect();
        Ok(AccessExplanation {
            user: policy.user(user).email.clone(),
            orgs,
        })
    }

    /// What the members of the group with this name get, in aggregate.
    pub fn group(&self, name: &str) -> Result<GroupExplanation, Unknown> {
        let policy = self.policy;
        let Some(id) = policy
            .group_ids()
            .find(|&g| policy.group(g).name.value == name)
        else {
            return Err(Unknown {
                kind: "group",
                name: name.to_string(),
                did_you_mean: crate::suggest::did_you_mean(
                    name,
                    policy.groups.iter().map(|g| g.name.value.as_str()),
                )
                .map(str::to_string),
            });
        };
        Ok(self.group_explanation(id))
    }

    /// The whole table, sorted by email, then org. Each class is described once; a row costs
    /// only its place in the order.
    pub fn table(&self) -> AccessTable<'p> {
        let policy = self.policy;
        let classes: Vec<AccessClass> = self
            .access
            .classes
            .iter()
            .map(|class| AccessClass {
                org: policy.org(class.org).name.value.clone(),
                groups: class
                    .groups
                    .iter()
                    .map(|&g| policy.group(g).name.value.clone())
                    .collect(),
                entitlements: Entitlement::ALL
                    .iter()
                    .filter_map(|&e| {
                        let grant = class.grant(e)?;
                        Some(EntitlementGrant {
                            entitlement: e,
                            granted_by: vec![self.role_grant(grant.role, grant.group)],
                        })
                    })
                    .collect(),
                limit: self.limit_decision(&class.groups, class.limit),
                users: class.users.len(),
            })
            .collect();
        let mut order: Vec<(UserId, u32)> = self
            .access
            .classes
            .iter()
            .enumerate()
            .flat_map(|(i, class)| class.users.iter().map(move |&u| (u, i as u32)))
            .collect();
        // Classes are sorted by org first, so a stable sort by email keeps each user's orgs in
        // org order.
        order.sort_by(|a, b| {
            let (x, y) = (&policy.user(a.0).email, &policy.user(b.0).email);
            x.cmp(y).then(a.0.cmp(&b.0)).then(
                self.access.classes[a.1 as usize]
                    .org
                    .cmp(&self.access.classes[b.1 as usize].org),
            )
        });
        AccessTable {
            policy,
            classes,
            order,
        }
    }

    /// Whether a role on the groups that count for `user` in `org` grants `entitlement`: the
    /// table's answer, the one the rules read. It is what the roles give once RBAC is enforced;
    /// until then every member has what the org enables ([`Org::rbac`]), and Cowork needs
    /// `coworkEnabled` too ([`Org::cowork_enabled`]). `false` for a user or org of another
    /// policy.
    pub fn has(&self, user: User<'_>, org: Org<'_>, entitlement: Entitlement) -> bool {
        self.class_of(user, org)
            .is_some_and(|class| class.grant(entitlement).is_some())
    }

    /// The users whom the roles on their groups in `org` grant `entitlement` (as
    /// [`EffectiveAccess::has`] says), each once, users with the same groups together. Empty for
    /// an org of another policy.
    pub fn users_with(
        &self,
        org: Org<'_>,
        entitlement: Entitlement,
    ) -> impl Iterator<Item = User<'p>> + '_ {
        let policy = self.policy;
        self.org_classes(org)
            .iter()
            .filter(move |class| class.grant(entitlement).is_some())
            .flat_map(move |class| class.users.iter().map(move |&u| User::new(policy, u)))
    }

    /// The classes of `org` (classes are sorted by org); none for an org of another policy.
    fn org_classes(&self, org: Org<'_>) -> &[Class] {
        if !std::ptr::eq(org.policy(), self.policy) {
            return &[];
        }
        let classes = &self.access.classes;
        let start = classes.partition_point(|c| c.org < org.id());
        let end = classes.partition_point(|c| c.org <= org.id());
        &classes[start..end]
    }

    /// The class `user` is in for `org`, if the user lands in the org.
    fn class_of(&self, user: User<'_>, org: Org<'_>) -> Option<&Class> {
        if !std::ptr::eq(user.policy(), self.policy) {
            return None;
        }
        self.org_classes(org)
            .iter()
            .find(|class| class.users.binary_search(&user.id()).is_ok())
    }

    fn role_grant(&self, role: crate::model::RoleId, group: GroupId) -> RoleGrant {
        let policy = self.policy;
        let r = policy.role(role);
        let span = r
            .groups
            .iter()
            .find(|g| g.value == group)
            .map_or(r.name.span, |g| g.span);
        RoleGrant {
            role: r.name.value.clone(),
            group: policy.group(group).name.value.clone(),
            location: policy.sources.locate(span),
        }
    }

    fn limit_decision(&self, groups: &[GroupId], limit: Option<EffectiveLimit>) -> LimitDecision {
        let policy = self.policy;
        let (decided_by, location, winner) = match limit.map(|l| l.source) {
            Some(Source::Group { group, limit }) => (
                LimitSource::Group {
                    group: policy.group(group).name.value.clone(),
                    limit: policy.limit(limit).name.value.clone(),
                },
                Some(policy.sources.locate(policy.limit(limit).amount.span)),
                Some((group, limit)),
            ),
            Some(Source::OrgDefault(o)) => (
                LimitSource::OrgDefault,
                policy
                    .org(o)
                    .default_limit
                    .map(|d| policy.sources.locate(d.span)),
                None,
            ),
            None => (LimitSource::None, None, None),
        };
        let mut overridden = Vec::new();
        for &group in groups {
            for &id in &self.limits_on[group.index()] {
                if winner == Some((group, id)) {
                    continue;
                }
                let l = policy.limit(id);
                overridden.push(LimitRef {
                    limit: l.name.value.clone(),
                    group: policy.group(group).name.value.clone(),
                    amount: l.amount.value,
                    location: policy.sources.locate(l.amount.span),
                });
            }
        }
        LimitDecision {
            amount: limit.map_or(Spend::Unlimited, |l| l.amount),
            decided_by,
            location,
            overridden,
            resolution: match self.facts.limit_resolution {
                LimitResolution::Min => "min",
                LimitResolution::Max => "max",
            },
        }
    }

    /// The path of nested groups from `group` to each user they list who is not a direct
    /// member of `group`: (user, path, member span), in breadth-first order, each user once.
    fn nested_paths(&self, group: GroupId) -> Vec<(UserId, Vec<GroupId>, crate::model::Span)> {
        let policy = self.policy;
        let g = policy.group(group);
        let mut out: Vec<(UserId, Vec<GroupId>, crate::model::Span)> = Vec::new();
        let mut seen: Vec<GroupId> = vec![group];
        let mut queue: std::collections::VecDeque<Vec<GroupId>> =
            g.member_groups.iter().map(|m| vec![m.value]).collect();
        let mut found: std::collections::HashSet<UserId> = std::collections::HashSet::new();
        while let Some(path) = queue.pop_front() {
            let Some(&last) = path.last() else { continue };
            if seen.contains(&last) {
                continue;
            }
            seen.push(last);
            let n = policy.group(last);
            for m in &n.members {
                if g.members
                    .binary_search_by_key(&m.value, |x| x.value)
                    .is_err()
                    && found.insert(m.value)
                {
                    out.push((m.value, path.clone(), m.span));
                }
            }
            for next in &n.member_groups {
                let mut longer = path.clone();
                longer.push(next.value);
                queue.push_back(longer);
            }
        }
        out
    }

    /// Whether nesting under this group syncs (a profile fact, per IdP kind).
    fn nesting_syncs(&self, group: GroupId) -> bool {
        let policy = self.policy;
        policy
            .group(group)
            .idp
            .and_then(|idp| policy.idps[idp.index()].kind)
            .is_some_and(|kind| self.facts.nested_groups_sync.contains(&kind.value))
    }

    /// The groups that list `user` only through nesting, with their org.
    fn nested_only(
        &self,
        user: UserId,
        counted: &[(OrgId, Option<&Class>)],
    ) -> Vec<(OrgId, NestedRef)> {
        let policy = self.policy;
        let mut out = Vec::new();
        for group in policy.group_ids() {
            let g = policy.group(group);
            let Some(org) = g.org else { continue };
            if g.member_groups.is_empty() || self.nesting_syncs(group) {
                continue;
            }
            let counts = counted
                .iter()
                .any(|(o, c)| *o == org && c.is_some_and(|c| c.groups.contains(&group)));
            if counts {
                continue;
            }
            let Some((_, path, member_span)) = self
                .nested_paths(group)
                .into_iter()
                .find(|(u, ..)| *u == user)
            else {
                continue;
            };
            let first = path.first().copied();
            let entry = g
                .member_groups
                .iter()
                .find(|m| Some(m.value) == first)
                .map_or(g.name.span, |m| m.span);
            out.push((
                org,
                NestedRef {
                    group: g.name.value.clone(),
                    through: path
                        .iter()
                        .map(|&p| policy.group(p).name.value.clone())
                        .collect(),
                    location: policy.sources.locate(entry),
                    member_location: policy.sources.locate(member_span),
                },
            ));
        }
        out
    }

    /// The plan of `org`, when the policy records one without custom roles (the profile's
    /// `rbac_plans`): there RBAC never comes, and every member has what the org enables.
    fn plan_without_rbac(&self, org: OrgId) -> Option<&'static str> {
        self.policy
            .org(org)
            .plan
            .filter(|plan| !self.facts.rbac_plans.contains(&plan.value))
            .map(|plan| plan.value.as_str())
    }

    fn rbac(&self, org: OrgId) -> State {
        let o = self.policy.org(org);
        let state = o.rbac_state();
        State {
            state: match state {
                RbacState::Off => "off",
                RbacState::Configured => "configured",
                RbacState::Tested => "tested",
                RbacState::Enforced => "enforced",
            },
            enforced: state == RbacState::Enforced,
            location: o.rbac.map(|r| self.policy.sources.locate(r.span)),
        }
    }

    fn sso(&self, org: OrgId) -> Option<Sso> {
        let policy = self.policy;
        let idp = &policy.idps[policy.org(org).idp?.index()];
        let state = idp.sso.map_or(SsoState::Planned, |s| s.value);
        Some(Sso {
            idp: idp.name.value.clone(),
            state: State {
                state: match state {
                    SsoState::Planned => "planned",
                    SsoState::Configured => "configured",
                    SsoState::Tested => "tested",
                    SsoState::Enforced => "enforced",
                },
                enforced: state == SsoState::Enforced,
                location: idp.sso.map(|s| policy.sources.locate(s.span)),
            },
        })
    }

    fn org_access(
        &self,
        user: UserId,
        org: OrgId,
        class: Option<&Class>,
        nested_only: Vec<NestedRef>,
    ) -> OrgAccess {
        let policy = self.policy;
        let groups: &[GroupId] = class.map_or(&[], |c| &c.groups);
        let group_refs: Vec<GroupRef> = groups
            .iter()
            .map(|&group| {
                let g = policy.group(group);
                let (synced_through, span) =
                    match g.members.binary_search_by_key(&user, |m| m.value) {
                        Ok(i) => (Vec::new(), g.members[i].span),
                        Err(_) => {
                            let found = self
                                .nested_paths(group)
                                .into_iter()
                                .find(|(u, ..)| *u == user);
                            match found {
                                Some((_, path, _)) => {
                                    let first = path.first().copied();
                                    let span = g
                                        .member_groups
                                        .iter()
                                        .find(|m| Some(m.value) == first)
                                        .map_or(g.name.span, |m| m.span);
                                    let names = path
                                        .iter()
                                        .map(|&p| policy.group(p).name.value.clone())
                                        .collect();
                                    (names, span)
                                }
                                None => (Vec::new(), g.name.span),
                            }
                        }
                    };
                GroupRef {
                    name: g.name.value.clone(),
                    scim: g.scim_synced(),
                    synced_through,
                    location: policy.sources.locate(span),
                }
            })
            .collect();
        // Every grant, in group order; the first of each is the one the checker cites.
        let mut entitlements: Vec<EntitlementGrant> = Vec::new();
        for e in Entitlement::ALL {
            let mut granted_by = Vec::new();
            for &group in groups {
                for role in policy.role_ids() {
                    let r = policy.role(role);
                    if r.grant(e).is_some() && r.groups.iter().any(|g| g.value == group) {
                        granted_by.push(self.role_grant(role, group));
                    }
                }
            }
            if !granted_by.is_empty() {
                entitlements.push(EntitlementGrant {
                    entitlement: e,
                    granted_by,
                });
            }
        }
        let limit = self.limit_decision(groups, class.and_then(|c| c.limit));
        let rbac = self.rbac(org);
        let sso = self.sso(org);
        let notes = self.user_notes(org, groups, &entitlements, &limit, &rbac, sso.as_ref());
        OrgAccess {
            org: policy.org(org).name.value.clone(),
            groups: group_refs,
            nested_only,
            entitlements,
            limit,
            rbac,
            sso,
            notes,
        }
    }

    fn user_notes(
        &self,
        org: OrgId,
        groups: &[GroupId],
        entitlements: &[EntitlementGrant],
        limit: &LimitDecision,
        rbac: &State,
        sso: Option<&Sso>,
    ) -> Vec<String> {
        let policy = self.policy;
        let o = policy.org(org);
        let mut notes = Vec::new();
        if groups.is_empty() {
            notes.push(
                "no group lists this user directly: nested IdP groups do not sync, so they get nothing in this org"
                    .to_string(),
            );
            return notes;
        }
        let names: Vec<&str> = entitlements
            .iter()
            .map(|e| e.entitlement.as_str())
            .collect();
        let gets = if names.is_empty() {
            "zero permissions".to_string()
        } else {
            format!("exactly {}", list_names(&names, 3))
        };
        notes.push(if let Some(plan) = self.plan_without_rbac(org) {
            format!(
                "plan `{plan}` has no custom roles, so roles never decide access: this user has every feature the org enables"
            )
        } else if rbac.enforced {
            format!("RBAC is enforced: this user has {gets}")
        } else {
            format!(
                "RBAC is `{}`, not enforced: roles do not decide access yet; once RBAC is enforced this user gets {gets}",
                rbac.state
            )
        });
        if names.contains(&"cowork") && !o.cowork_enabled() {
            notes.push(
                if o.cowork_enabled.is_none() {
                    "a role grants `cowork`, but whether Cowork is enabled at the org level is not recorded (`coworkEnabled`): it has no effect unless it is"
                } else {
                    "a role grants `cowork`, but Cowork is not enabled at the org level: it has no effect until it is"
                }
                .to_string(),
            );
        }
        // A role meant to withhold what another of the user's roles grants (RBAC004).
        for role in policy.role_ids() {
            let r = policy.role(role);
            let Some(on) = r.groups.iter().find(|g| groups.contains(&g.value)) else {
                continue;
            };
            for w in &r.withholds {
                if let Some(e) = entitlements.iter().find(|e| e.entitlement == w.value)
                    && let Some(by) = e.granted_by.first()
                {
                    notes.push(format!(
                        "role `{}` on `{}` means to withhold `{}`, but roles are additive: role `{}` on `{}` grants it",
                        r.name.value,
                        policy.group(on.value).name.value,
                        e.entitlement,
                        by.role,
                        by.group
                    ));
                }
            }
        }
        let scim = o.provisioning.map(|p| p.value) == Some(Provisioning::Scim);
        let in_scim_group = groups.iter().any(|&g| policy.group(g).scim_synced());
        // A group that does not record `scim` may sync: unknown, not "not provisioned".
        let unrecorded = groups.iter().any(|&g| policy.group(g).scim.is_none());
        if scim && !in_scim_group && unrecorded {
            notes.push(
                "no group that lists this user records `scim: true`, and some do not record `scim` at all: whether SCIM provisions them is not recorded"
                    .to_string(),
            );
        }
        let in_scim_group = in_scim_group || (scim && unrecorded);
        match sso {
            Some(sso) if scim && !in_scim_group && sso.state.enforced => notes.push(format!(
                "SSO through `{}` is enforced and no SCIM-synced group lists this user: they are not provisioned, so they are locked out",
                sso.idp
            )),
            _ if scim && !in_scim_group => notes.push(
                "no SCIM-synced group lists this user: SCIM will not provision them".to_string(),
            ),
            Some(sso) if sso.state.enforced => {
                notes.push(format!("SSO is enforced: this user signs in through `{}` only", sso.idp));
            }
            Some(sso) => notes.push(format!(
                "SSO through `{}` is `{}`, not enforced: other sign-in methods still work",
                sso.idp, sso.state.state
            )),
            None => {}
        }
        if o.provisioning.map(|p| p.value) == Some(Provisioning::Jit) {
            notes.push("provisioned just in time, at their first SSO sign-in".to_string());
        }
        if limit.amount == Spend::Cents(0) {
            notes.push(
                match self.facts.zero_blocks(o.billing.map(|b| b.value)) {
                    Some(true) => "a spend limit of 0 leaves this user nothing to spend",
                    Some(false) => "a spend limit of 0 means only the plan's included usage",
                    None => "a spend limit of 0 means nothing beyond the plan's included usage, which the org's billing (not recorded) decides",
                }
                .to_string(),
            );
        }
        notes
    }

    fn group_explanation(&self, id: GroupId) -> GroupExplanation {
        let policy = self.policy;
        let g = policy.group(id);
        let classes: Vec<&Class> = self
            .access
            .classes
            .iter()
            .filter(|c| c.groups.binary_search(&id).is_ok())
            .collect();
        let members: usize = classes.iter().map(|c| c.users.len()).sum();
        let roles: Vec<RoleOnGroup> = policy
            .role_ids()
            .filter_map(|role| {
                let r = policy.role(role);
                let on = r.groups.iter().find(|x| x.value == id)?;
                Some(RoleOnGroup {
                    role: r.name.value.clone(),
                    entitlements: r.entitlements.iter().map(|e| e.value.as_str()).collect(),
                    location: policy.sources.locate(on.span),
                })
            })
            .collect();
        let limits: Vec<LimitRef> = policy
            .limit_ids()
            .filter(|&l| policy.limit(l).groups.iter().any(|x| x.value == id))
            .map(|l| {
                let l = policy.limit(l);
                LimitRef {
                    limit: l.name.value.clone(),
                    group: g.name.value.clone(),
                    amount: l.amount.value,
                    location: policy.sources.locate(l.amount.span),
                }
            })
            .collect();
        let mut entitlements = Vec::new();
        for e in Entitlement::ALL {
            let mut by: Vec<(crate::model::RoleId, GroupId, usize)> = Vec::new();
            for class in &classes {
                if let Some(grant) = class.grant(e) {
                    match by
                        .iter_mut()
                        .find(|(r, g, _)| (*r, *g) == (grant.role, grant.group))
                    {
                        Some(entry) => entry.2 += class.users.len(),
                        None => by.push((grant.role, grant.group, class.users.len())),
                    }
                }
            }
            if by.is_empty() {
                continue;
            }
            by.sort_by(|a, b| b.2.cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
            entitlements.push(EntitlementCount {
                entitlement: e,
                users: by.iter().map(|b| b.2).sum(),
                by: by
                    .into_iter()
                    .map(|(role, group, n)| (self.role_grant(role, group), n))
                    .collect(),
            });
        }
        let mut effective: Vec<(Option<EffectiveLimit>, usize)> = Vec::new();
        for class in &classes {
            match effective.iter_mut().find(|(l, _)| *l == class.limit) {
                Some(entry) => entry.1 += class.users.len(),
                None => effective.push((class.limit, class.users.len())),
            }
        }
        effective.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(a.0.map(|l| l.amount).cmp(&b.0.map(|l| l.amount)))
        });
        let org = g.org;
        let effective_limits = effective
            .into_iter()
            .map(|(limit, users)| {
                let d = self.limit_decision(&[], limit);
                LimitCount {
                    amount: d.amount,
                    decided_by: d.decided_by,
                    location: d.location,
                    users,
                }
            })
            .collect();
        let nested_only = if self.nesting_syncs(id) {
            Vec::new()
        } else {
            self.nested_paths(id)
                .into_iter()
                .map(|(user, path, _)| NestedMember {
                    user: policy.user(user).email.clone(),
                    through: path
                        .iter()
                        .map(|&p| policy.group(p).name.value.clone())
                        .collect(),
                })
                .collect()
        };
        let mut notes = Vec::new();
        if let Some(org) = org {
            let rbac = self.rbac(org);
            let without: usize = classes
                .iter()
                .filter(|c| c.grants.iter().all(Option::is_none))
                .map(|c| c.users.len())
                .sum();
            notes.push(match (self.plan_without_rbac(org), rbac.enforced, without) {
                (Some(plan), _, _) => format!(
                    "plan `{plan}` has no custom roles, so roles never decide access: every member has every feature the org enables"
                ),
                (None, true, 0) => "RBAC is enforced: every member has at least one role".to_string(),
                (None, true, n) => format!("RBAC is enforced: {n} of the members have zero permissions"),
                (None, false, 0) => format!(
                    "RBAC is `{}`, not enforced: once it is, every member keeps at least one role",
                    rbac.state
                ),
                (None, false, n) => format!(
                    "RBAC is `{}`, not enforced: once it is, {n} of the members get zero permissions",
                    rbac.state
                ),
            });
            let o = policy.org(org);
            if o.provisioning.map(|p| p.value) == Some(Provisioning::Scim) {
                let unprovisioned: usize = classes
                    .iter()
                    .filter(|c| !c.groups.iter().any(|&x| policy.group(x).scim_synced()))
                    .map(|c| c.users.len())
                    .sum();
                let enforced = self.sso(org).is_some_and(|s| s.state.enforced);
                if unprovisioned > 0 {
                    notes.push(if enforced {
                        format!("SSO is enforced and {unprovisioned} of the members are in no SCIM-synced group: they are locked out")
                    } else {
                        format!("{unprovisioned} of the members are in no SCIM-synced group: SCIM will not provision them")
                    });
                }
            }
            if !nested_only.is_empty() {
                notes.push(format!(
                    "{} listed only through nesting get nothing from this group: nested IdP groups do not sync",
                    crate::diagnostic::plural(nested_only.len(), "user")
                ));
            }
        } else {
            notes.push("the group has no org, so it gives no one access".to_string());
        }
        GroupExplanation {
            group: g.name.value.clone(),
            org: org.map(|o| policy.org(o).name.value.clone()),
            location: policy.sources.locate(g.name.span),
            scim: g.scim_synced(),
            members,
            roles,
            limits,
            entitlements,
            effective_limits,
            nested_only,
            notes,
        }
    }
}

/// What the user with this email (in any case) gets, org by org, with the policy's own platform
/// profile.
pub fn explain_access(policy: &Policy, email: &str) -> Result<AccessExplanation, Unknown> {
    EffectiveAccess::new(policy, &CheckOptions::default()).user(email)
}

/// What the members of this group get, in aggregate, with the policy's own platform profile.
pub fn explain_group(policy: &Policy, name: &str) -> Result<GroupExplanation, Unknown> {
    EffectiveAccess::new(policy, &CheckOptions::default()).group(name)
}
