//! Effective access: for each user in each org, the groups that count, the entitlements they add
//! up to, and the spend limit that wins, each with the group, role or limit that decided it.
//!
//! The semantics are the rollout guide's: only groups that list a user directly count ("only
//! direct members sync"); entitlements are the union over those groups' roles ("roles are
//! additive"); the limit is the lowest of those groups' limits, else the org default ("the most
//! restrictive limit across a user's groups wins").
//!
//! Users with the same direct groups in an org form one [`Class`] and share one computation, so
//! the cost follows the number of distinct group sets, not the number of users.

use std::collections::HashMap;

use crate::model::{Amount, Entitlement, GroupId, LimitId, OrgId, Policy, RoleId, UserId};

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

/// Users of one org who have exactly the same direct groups there, and what they get.
#[derive(Debug)]
pub(crate) struct Class {
    pub org: OrgId,
    /// The direct groups, sorted.
    pub groups: Vec<GroupId>,
    /// The users, sorted.
    pub users: Vec<UserId>,
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

/// The effective-access table.
#[derive(Debug)]
pub(crate) struct Access {
    pub classes: Vec<Class>,
    /// For each group, its own lowest limit and the limit that sets it.
    pub group_limits: Vec<Option<(Amount, LimitId)>>,
}

impl Access {
    pub fn build(policy: &Policy) -> Access {
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
                if slot.is_none_or(|(current, _)| amount < current) {
                    *slot = Some((amount, limit));
                }
            }
        }

        // Each user's direct groups, in group id order, per org.
        let mut user_groups: Vec<Vec<GroupId>> = vec![Vec::new(); policy.users.len()];
        for group in policy.group_ids() {
            if policy.group(group).org.is_none() {
                continue;
            }
            for member in &policy.group(group).members {
                user_groups[member.value.index()].push(group);
            }
        }

        let mut index: HashMap<(OrgId, Vec<GroupId>), usize> = HashMap::new();
        let mut classes: Vec<Class> = Vec::new();
        for (user, groups) in user_groups.into_iter().enumerate() {
            let user = UserId(user as u32);
            // Split the user's groups by org; usually there is only one.
            let mut by_org: Vec<(OrgId, Vec<GroupId>)> = Vec::with_capacity(1);
            for group in groups {
                let Some(org) = policy.group(group).org else {
                    continue;
                };
                match by_org.iter_mut().find(|(o, _)| *o == org) {
                    Some((_, list)) => list.push(group),
                    None => by_org.push((org, vec![group])),
                }
            }
            for key in by_org {
                let class = match index.get(&key) {
                    Some(&i) => i,
                    None => {
                        classes.push(compute(policy, &group_roles, &group_limits, key.0, &key.1));
                        index.insert(key, classes.len() - 1);
                        classes.len() - 1
                    }
                };
                classes[class].users.push(user);
            }
        }
        classes.sort_by(|a, b| (a.org, &a.groups).cmp(&(b.org, &b.groups)));
        Access {
            classes,
            group_limits,
        }
    }
}

fn compute(
    policy: &Policy,
    group_roles: &[Vec<RoleId>],
    group_limits: &[Option<(Amount, LimitId)>],
    org: OrgId,
    groups: &[GroupId],
) -> Class {
    let mut grants = [None; 3];
    let mut limit: Option<EffectiveLimit> = None;
    for &group in groups {
        for &role in &group_roles[group.index()] {
            for entitlement in &policy.role(role).entitlements {
                grants[entitlement.value as usize].get_or_insert(Grant { role, group });
            }
        }
        if let Some((amount, id)) = group_limits[group.index()]
            && limit.is_none_or(|l| amount < l.amount)
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
    Class {
        org,
        groups: groups.to_vec(),
        users: Vec::new(),
        grants,
        limit,
    }
}
