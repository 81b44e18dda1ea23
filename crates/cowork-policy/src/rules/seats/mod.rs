//! Seats against the users SCIM will try to provision.

pub(crate) mod seat_headroom;
pub(crate) mod seats_below_scim_target;

use crate::model::{GroupId, OrgId, Policy};

/// The users SCIM will try to provision into an org: the distinct direct members of its
/// SCIM-synced groups (nested members do not sync). Also returns those groups with their sizes,
/// largest first.
pub(crate) fn scim_target(
    policy: &Policy,
    org: OrgId,
    seen: &mut Vec<bool>,
) -> (usize, Vec<(GroupId, usize)>) {
    seen.clear();
    seen.resize(policy.users.len(), false);
    let mut target = 0;
    let mut groups = Vec::new();
    for id in policy.group_ids() {
        let group = policy.group(id);
        if group.org != Some(org) || !group.scim_synced() {
            continue;
        }
        groups.push((id, group.members.len()));
        for member in &group.members {
            let slot = &mut seen[member.value.index()];
            if !*slot {
                *slot = true;
                target += 1;
            }
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    (target, groups)
}
