//! Effective access: for each user in each org, the groups that count, the entitlements they add
//! up to, and the spend limit that wins, each with the group, role or limit that decided it.
//!
//! The semantics are the rollout guide's: only groups that list a user directly count ("only
//! direct members sync"); entitlements are the union over those groups' roles ("roles are
//! additive"); the limit is the lowest of those groups' limits, else the org default ("the most
//! restrictive limit across a user's groups wins").
//!
//! Two of these are platform facts the profile may change: the IdP kinds whose nested groups do
//! sync (their members then count as members of the outer group), and whether the lowest or the
//! highest limit wins.
//!
//! Users with the same direct groups in an org form one [`Class`] and share one computation, so
//! the cost follows the number of distinct group sets, not the number of users.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::model::LimitResolution;
use crate::model::{Amount, Entitlement, GroupId, LimitId, OrgId, Policy, RoleId, UserId};
use crate::profile::Facts;

/// The role and group that grant an entitlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grant {
    pub role: RoleId,
    pub group: GroupId,
}

/// What decided a user's spend limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LimitSource {
    /// The lowest limit among the user's groups, set on this group by this limit.
    Group { group: GroupId, limit: LimitId },
    /// None of the user's groups has a limit: the org default applies.
    OrgDefault(OrgId),
}

/// A spend limit and what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EffectiveLimit {
    pub amount: Amount,
    pub source: LimitSource,
}

/// A run of ids in an array that every [`Class`] shares: reads like a `Vec` (it derefs to a
/// slice, and `&ids` iterates), without two allocations per class. A large org can have nearly
/// as many classes as users: hundreds of thousands of allocations and frees saved.
pub(crate) struct Ids<T> {
    all: Arc<[T]>,
    start: usize,
    end: usize,
}

impl<T> Deref for Ids<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.all[self.start..self.end]
    }
}

impl<'a, T> IntoIterator for &'a Ids<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for Ids<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Users of one org who have exactly the same direct groups there, and what they get.
#[derive(Debug)]
pub(crate) struct Class {
    pub org: OrgId,
    /// The direct groups, sorted.
    pub groups: Ids<GroupId>,
    /// The users, sorted.
    pub users: Ids<UserId>,
    /// For each entitlement (indexed by [`Entitlement`] as `usize`), the first role and group, in
    /// group order, that grant it.
    pub grants: [Option<Grant>; 3],
    /// `None` when neither a group nor the org sets a limit: unlimited.
    pub limit: Option<EffectiveLimit>,
}

impl Class {
    pub fn grant(&self, entitlement: Entitlement) -> Option<Grant> {
        self.grants[entitlement as usize]
    }
}

/// Who SCIM will try to provision into an org: the distinct members of its SCIM-synced groups
/// (direct members, and those nested groups pass on where the profile says they sync).
#[derive(Debug, Default)]
pub(crate) struct ScimTarget {
    /// How many distinct users.
    pub users: usize,
    /// The org's SCIM-synced groups and their sizes, largest first.
    pub groups: Vec<(GroupId, usize)>,
    /// In an org that provisions by SCIM, how many more distinct users SCIM would provision if
    /// the groups that do not record `scim` sync.
    pub unrecorded_users: usize,
    /// Those groups and their sizes, largest first.
    pub unrecorded_groups: Vec<(GroupId, usize)>,
}

/// The effective-access table.
#[derive(Debug)]
pub(crate) struct Access {
    pub classes: Vec<Class>,
    /// For each group, its own lowest limit and the limit that sets it.
    pub group_limits: Vec<Option<(Amount, LimitId)>>,
    /// For each org, who SCIM will try to provision.
    pub scim: Vec<ScimTarget>,
}

impl Access {
    pub fn build(policy: &Policy, facts: &Facts) -> Access {
        let wins = |new: Amount, current: Amount| match facts.limit_resolution {
            LimitResolution::Min => new < current,
            LimitResolution::Max => new > current,
        };
        // Each group's roles and own limit, once.
        let mut group_roles: Vec<Vec<RoleId>> = vec![Vec::new(); policy.groups.len()];
        for role in policy.role_ids() {
            for group in &policy.role(role).groups {
                group_roles[group.value.index()].push(role);
            }
        }
        let mut group_limits: Vec<Option<(Amount, LimitId)>> = vec![None; policy.groups.len()];
        for limit in policy.limit_ids() {
            let amount = policy.limit(limit).amount.value;
            for group in &policy.limit(limit).groups {
                let slot = &mut group_limits[group.value.index()];
                if slot.is_none_or(|(current, _)| wins(amount, current)) {
                    *slot = Some((amount, limit));
                }
            }
        }

        // Each user's direct groups, in group id order, as one flat array with an offset per
        // user (counting sort: one allocation, not one per user).
        let group_org: Vec<Option<OrgId>> = policy.groups.iter().map(|g| g.org).collect();
        let nested = synced_nested_members(policy, facts);
        let members = |group: GroupId| {
            policy
                .group(group)
                .members
                .iter()
                .map(|m| m.value)
                .chain(nested.get(&group).into_iter().flatten().copied())
        };
        let mut starts: Vec<u32> = vec![0; policy.users.len() + 1];
        for group in policy.group_ids() {
            if group_org[group.index()].is_none() {
                continue;
            }
            for member in members(group) {
                starts[member.index() + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut flat: Vec<GroupId> = vec![GroupId(0); starts.last().map_or(0, |&n| n as usize)];
        let mut fill: Vec<u32> = starts.clone();
        for group in policy.group_ids() {
            if group_org[group.index()].is_none() {
                continue;
            }
            for member in members(group) {
                let slot = &mut fill[member.index()];
                flat[*slot as usize] = group;
                *slot += 1;
            }
        }
        // The SCIM targets count those nested users too. `flat` holds the same pairs now: with
        // nested groups syncing down a long chain they are many, so free these before the
        // classes copy them again.
        let scim = scim_targets(policy, &members);
        drop(nested);
        drop(fill);

        // Split each user's groups by org (usually there is only one): a user in several orgs
        // has their groups regrouped by org, in order of each org's first group, so that every
        // (user, org) entry is a contiguous range of `flat`, still in group id order.
        let mut entries: Vec<(UserId, OrgId, u32, u32)> = Vec::with_capacity(policy.users.len());
        let mut orgs_seen: Vec<OrgId> = Vec::new();
        for user in 0..policy.users.len() {
            let (start, end) = (starts[user], starts[user + 1]);
            let user = UserId(user as u32);
            let groups = &mut flat[start as usize..end as usize];
            let Some(first) = groups.first().and_then(|g| group_org[g.index()]) else {
                continue;
            };
            if groups.iter().all(|g| group_org[g.index()] == Some(first)) {
                entries.push((user, first, start, end));
                continue;
            }
            orgs_seen.clear();
            for g in groups.iter() {
                if let Some(org) = group_org[g.index()]
                    && !orgs_seen.contains(&org)
                {
                    orgs_seen.push(org);
                }
            }
            let rank = |g: &GroupId| {
                group_org[g.index()]
                    .and_then(|org| orgs_seen.iter().position(|&o| o == org))
                    .unwrap_or(usize::MAX)
            };
            groups.sort_by_key(rank);
            let mut from = start;
            for &org in &orgs_seen {
                let len = flat[from as usize..end as usize]
                    .iter()
                    .take_while(|g| group_org[g.index()] == Some(org))
                    .count() as u32;
                entries.push((user, org, from, from + len));
                from += len;
            }
        }

        // Distinct (org, groups) keys, then classes in key order: sorting the keys, not the
        // classes, and appending users in user order, so each class's users come out sorted.
        let mut index: HashMap<(OrgId, &[GroupId]), u32> = HashMap::with_capacity(entries.len());
        let mut keys: Vec<(OrgId, &[GroupId])> = Vec::new();
        let mut class_of: Vec<u32> = Vec::with_capacity(entries.len());
        for &(_, org, start, end) in &entries {
            let key = (org, &flat[start as usize..end as usize]);
            let next = keys.len() as u32;
            let id = *index.entry(key).or_insert(next);
            if id == next {
                keys.push(key);
            }
            class_of.push(id);
        }
        drop(index);
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let mut rank: Vec<u32> = vec![0; keys.len()];
        for (position, &key) in order.iter().enumerate() {
            rank[key as usize] = position as u32;
        }

        // Every class's groups, in class order, in one array; likewise its users, placed by a
        // counting sort over the entries, which come in user order.
        // Written in place into the shared array, which is allocated once at its full length:
        // collecting a `Vec` and turning it into an `Arc` would hold two copies at once, which
        // with nested groups syncing down a long chain is a few hundred megabytes.
        let total: usize = order.iter().map(|&key| keys[key as usize].1.len()).sum();
        let mut all_groups: Arc<[GroupId]> = std::iter::repeat_n(GroupId(0), total).collect();
        let mut group_ranges: Vec<(usize, usize)> = Vec::with_capacity(keys.len());
        if let Some(slots) = Arc::get_mut(&mut all_groups) {
            let mut at = 0;
            for &key in &order {
                let groups = keys[key as usize].1;
                slots[at..at + groups.len()].copy_from_slice(groups);
                group_ranges.push((at, at + groups.len()));
                at += groups.len();
            }
        }
        let mut user_starts: Vec<usize> = vec![0; keys.len() + 1];
        for &id in &class_of {
            user_starts[rank[id as usize] as usize + 1] += 1;
        }
        for i in 1..user_starts.len() {
            user_starts[i] += user_starts[i - 1];
        }
        let mut all_users: Vec<UserId> = vec![UserId(0); entries.len()];
        let mut fill = user_starts.clone();
        for (&(user, ..), &id) in entries.iter().zip(&class_of) {
            let slot = &mut fill[rank[id as usize] as usize];
            all_users[*slot] = user;
            *slot += 1;
        }

        let all_users: Arc<[UserId]> = Arc::from(all_users);
        let classes: Vec<Class> = order
            .iter()
            .enumerate()
            .map(|(position, &key)| {
                let (org, groups) = keys[key as usize];
                let (grants, limit) =
                    compute(policy, &group_roles, &group_limits, org, groups, &wins);
                let (start, end) = group_ranges[position];
                Class {
                    org,
                    groups: Ids {
                        all: Arc::clone(&all_groups),
                        start,
                        end,
                    },
                    users: Ids {
                        all: Arc::clone(&all_users),
                        start: user_starts[position],
                        end: user_starts[position + 1],
                    },
                    grants,
                    limit,
                }
            })
            .collect();
        debug_assert!(
            classes
                .windows(2)
                .all(|w| (w[0].org, &*w[0].groups) < (w[1].org, &*w[1].groups)),
            "classes are sorted by org, then groups"
        );
        Access {
            classes,
            group_limits,
            scim,
        }
    }
}

/// Each org's SCIM target, in one pass over the SCIM-synced groups, then over the groups that
/// do not record `scim` in orgs that provision by SCIM. `members` gives a group's members as
/// effective access counts them (nested ones too where they sync).
fn scim_targets<I: Iterator<Item = UserId>>(
    policy: &Policy,
    members: &impl Fn(GroupId) -> I,
) -> Vec<ScimTarget> {
    let mut targets: Vec<ScimTarget> = policy.orgs.iter().map(|_| ScimTarget::default()).collect();
    // The last org each user was counted for: a user is counted once per org.
    let mut counted: Vec<Option<OrgId>> = vec![None; policy.users.len()];
    let mut synced: Vec<Vec<GroupId>> = vec![Vec::new(); policy.orgs.len()];
    let mut unrecorded: Vec<Vec<GroupId>> = vec![Vec::new(); policy.orgs.len()];
    for group in policy.group_ids() {
        let g = policy.group(group);
        let Some(org) = g.org else { continue };
        if g.scim_synced() {
            synced[org.index()].push(group);
        } else if g.scim.is_none() && policy.org(org).provisions_by_scim(policy) {
            unrecorded[org.index()].push(group);
        }
    }
    // Each group's size, and how many of its members no group counted before for `org`.
    let mut tally = |org: OrgId, groups: &[GroupId], users: &mut usize, sizes: &mut Vec<_>| {
        for &group in groups {
            let mut size = 0;
            for member in members(group) {
                size += 1;
                let slot = &mut counted[member.index()];
                if *slot != Some(org) {
                    *slot = Some(org);
                    *users += 1;
                }
            }
            sizes.push((group, size));
        }
    };
    for (index, target) in targets.iter_mut().enumerate() {
        let org = OrgId(index as u32);
        tally(org, &synced[index], &mut target.users, &mut target.groups);
        tally(
            org,
            &unrecorded[index],
            &mut target.unrecorded_users,
            &mut target.unrecorded_groups,
        );
        for groups in [&mut target.groups, &mut target.unrecorded_groups] {
            groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
    }
    targets
}

/// For groups of an IdP whose nested groups sync (a profile fact; none by default), the users
/// reached only through nesting, directly or through a chain.
///
/// One walk per such group, marking the groups it has seen with the group's id, so a walk
/// costs the groups and members it reaches: as much as its answer holds, which on a chain of
/// nested groups is the chain below it.
fn synced_nested_members(policy: &Policy, facts: &Facts) -> HashMap<GroupId, Vec<UserId>> {
    let mut out = HashMap::new();
    if facts.nested_groups_sync.is_empty() {
        return out;
    }
    // For each group, the last group whose walk reached it.
    let mut seen_by: Vec<Option<GroupId>> = vec![None; policy.groups.len()];
    for group in policy.group_ids() {
        let g = policy.group(group);
        let syncs = g
            .idp
            .and_then(|idp| policy.idps[idp.index()].kind)
            .is_some_and(|kind| facts.nested_groups_sync.contains(&kind.value));
        if !syncs || g.member_groups.is_empty() {
            continue;
        }
        seen_by[group.index()] = Some(group);
        let mut stack: Vec<GroupId> = g.member_groups.iter().map(|m| m.value).collect();
        let mut users = Vec::new();
        while let Some(next) = stack.pop() {
            if seen_by[next.index()].replace(group) == Some(group) {
                continue;
            }
            let n = policy.group(next);
            users.extend(n.members.iter().map(|m| m.value));
            stack.extend(n.member_groups.iter().map(|m| m.value));
        }
        users.sort();
        users.dedup();
        users.retain(|u| g.members.binary_search_by_key(u, |m| m.value).is_err());
        out.insert(group, users);
    }
    out
}

/// What a class's users get: the first grant of each entitlement, in group order, and the
/// lowest limit of their groups, else the org default.
fn compute(
    policy: &Policy,
    group_roles: &[Vec<RoleId>],
    group_limits: &[Option<(Amount, LimitId)>],
    org: OrgId,
    groups: &[GroupId],
    wins: &dyn Fn(Amount, Amount) -> bool,
) -> ([Option<Grant>; 3], Option<EffectiveLimit>) {
    let mut grants = [None; 3];
    let mut limit: Option<EffectiveLimit> = None;
    for &group in groups {
        for &role in &group_roles[group.index()] {
            for entitlement in &policy.role(role).entitlements {
                grants[entitlement.value as usize].get_or_insert(Grant { role, group });
            }
        }
        if let Some((amount, id)) = group_limits[group.index()]
            && limit.is_none_or(|l| wins(amount, l.amount))
        {
            limit = Some(EffectiveLimit {
                amount,
                source: LimitSource::Group { group, limit: id },
            });
        }
    }
    let limit = limit.or_else(|| {
        policy.org(org).default_limit.map(|d| EffectiveLimit {
            amount: d.value,
            source: LimitSource::OrgDefault(org),
        })
    });
    (grants, limit)
}
