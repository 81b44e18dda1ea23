//! Drift: a policy against a snapshot of the live org ([`crate::live::Snapshot`]). What the org
//! shows that the policy does not say becomes findings of the `drift` area (DRIFT001...), in an
//! ordinary [`Report`], so every renderer works on it unchanged.
//!
//! Each finding points at the policy line the live value contradicts (a group, its `scim` flag,
//! the org's `seats` or `rbac`), or at the org's name when nothing in the policy is there to
//! point at, and its message names the snapshot file and the live value. A comparison runs only
//! when the endpoints it reads answered: an endpoint that did not answer says nothing (no
//! invites read is not "no invites").
//!
//! The snapshot is of one org: the org of the admin key that pulled it. It is compared with the
//! policy's first org that has no parent (its first org, if each has one).
//!
//! ```
//! use cowork_policy::live::{Member, Snapshot};
//!
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     provisioning: scim
//! groups:
//!   - name: everyone
//!     scim: true
//!     members: [ana@acme.com]
//! ",
//! )])?;
//! let snapshot = Snapshot::from_files([
//!     ("manifest.json", r#"{"format": "cowork-policy-snapshot/1", "pulled_at": "",
//!       "anthropic_version": "", "base_url": "", "endpoints": [{"name": "users",
//!       "path": "/v1/organizations/users", "file": "users.json", "status": "answered"}]}"#),
//!     ("users.json", r#"{"pages": [{"data": [
//!       {"id": "user_01", "email": "ana@acme.com", "role": "primary_owner"},
//!       {"id": "user_02", "email": "eve@acme.com", "role": "managed"}]}]}"#),
//! ])
//! .unwrap();
//! let report = cowork_policy::drift(&policy, &snapshot);
//! assert_eq!(report.findings[0].code, "DRIFT001");
//! assert_eq!(
//!     report.findings[0].message,
//!     "`users.json` lists 1 member whom no SCIM-synced group of org `acme` holds: `eve@acme.com`"
//! );
//! # Ok::<(), cowork_policy::LoadErrors>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use crate::access::Unknown;
use crate::check::{self, CheckOptions};
use crate::config;
use crate::diagnostic::{Report, list_names, plural};
use crate::effective::{Access, LimitSource};
use crate::live::currency;
use crate::live::{GroupSource, ROLE_ACTIONS, Resource, SettingValue, Snapshot, Status};
use crate::live::{Scope, SpendLimit};
use crate::model::rollout::for_org;
use crate::model::{
    Entitlement, GroupId, LimitId, OrgId, Policy, Provisioning, RbacState, RoleId, Span, Spend,
    SsoState, UserId,
};
use crate::profile::Facts;
use crate::rules::Draft;
use crate::rules::drift::{
    effective_limit_mismatch, group_limit_mismatch, group_members_differ, group_source_mismatch,
    live_group_limit, live_group_not_in_policy, live_primary_owner_count, member_not_provisioned,
    org_setting_mismatch, provisioned_user_not_member, role_mismatch, scim_group_missing_live,
    seats_taken_live, user_role_under_rbac,
};
use crate::suggest;

/// How many names a message shows before "and N more".
const SHOWN: usize = 3;

/// Compare a policy with a snapshot of the live org, every drift rule at its default severity.
/// Never fails: what differs is findings.
pub fn drift(policy: &Policy, snapshot: &Snapshot) -> Report {
    drift_with(policy, snapshot, &CheckOptions::default())
}

/// Compare a policy with a snapshot of the live org, with options: the config selects the drift
/// rules and their severities as it does for `check`, and the platform profile decides how nested
/// groups sync. Waivers are not applied: they are about the policy's own findings.
pub fn drift_with(policy: &Policy, snapshot: &Snapshot, options: &CheckOptions) -> Report {
    compare(policy, snapshot, options, live_org(policy))
}

/// Compare a snapshot with the policy's org of this name (the snapshot of a child org, say),
/// with options as [`drift_with`]. An org the policy does not have is an error, with the
/// nearest name when it looks like a typo.
///
/// ```
/// # let policy = cowork_policy::load_sources([("p.yaml",
/// #     "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n  - name: acme-eu\n    parent: acme\n")])?;
/// let snapshot = cowork_policy::live::Snapshot::default();
/// let options = cowork_policy::CheckOptions::default();
/// assert!(cowork_policy::drift_org(&policy, &snapshot, &options, "acme-eu").is_ok());
/// let unknown = cowork_policy::drift_org(&policy, &snapshot, &options, "acme-us").unwrap_err();
/// assert_eq!(unknown.to_string(), "no org `acme-us` in the policy");
/// assert_eq!(unknown.did_you_mean.as_deref(), Some("acme-eu"));
/// # Ok::<(), cowork_policy::LoadErrors>(())
/// ```
pub fn drift_org(
    policy: &Policy,
    snapshot: &Snapshot,
    options: &CheckOptions,
    org: &str,
) -> Result<Report, Unknown> {
    match policy.org_ids().find(|&o| policy.org(o).name.value == org) {
        Some(id) => Ok(compare(policy, snapshot, options, Some(id))),
        None => Err(Unknown {
            kind: "org",
            name: org.to_string(),
            did_you_mean: suggest::did_you_mean(
                org,
                policy.org_ids().map(|o| policy.org(o).name.value.as_str()),
            )
            .map(str::to_string),
        }),
    }
}

fn compare(
    policy: &Policy,
    snapshot: &Snapshot,
    options: &CheckOptions,
    org: Option<OrgId>,
) -> Report {
    let facts = options.facts(policy);
    let mut drafts = Vec::new();
    if let Some(org) = org {
        let access = Access::build(policy, &facts);
        let compare = Compare {
            policy,
            snapshot,
            org,
            access: &access,
            facts: &facts,
            emails: snapshot
                .members
                .iter()
                .map(|m| (m.id.as_str(), m.email.as_str()))
                .collect(),
            by_name: {
                let mut by_name: HashMap<&str, Vec<&crate::live::Group>> = HashMap::new();
                for group in &snapshot.groups {
                    by_name.entry(group.name.as_str()).or_default().push(group);
                }
                by_name
            },
            item_files: snapshot
                .manifest
                .endpoints
                .iter()
                .filter(|r| r.status == Status::Answered)
                .filter_map(|r| Some(((r.name.as_str(), r.parent.as_deref()?), r.file.as_deref()?)))
                .collect(),
        };
        compare.membership(&mut drafts);
        compare.seats(&mut drafts);
        compare.groups(&mut drafts);
        compare.roles(&mut drafts);
        compare.custom_roles(&mut drafts);
        compare.limits(&mut drafts);
        compare.group_limits(&mut drafts);
        compare.settings(&mut drafts);
    }
    let mut findings: Vec<_> = drafts
        .into_iter()
        .filter_map(|draft| {
            let verdict = options.config.verdict(draft.rule);
            (verdict != config::Verdict::Off).then(|| check::finding(policy, draft, verdict))
        })
        .collect();
    findings.sort_by(check::report_order);
    Report {
        findings,
        waived: Vec::new(),
        files: policy.policy_file_count(),
        skipped_files: policy.skipped.clone(),
        platform: check::platform_info(policy, &facts),
    }
}

/// The policy org a snapshot is compared with: the first without a parent, else the first.
fn live_org(policy: &Policy) -> Option<OrgId> {
    policy
        .org_ids()
        .find(|&org| policy.org(org).parent.is_none())
        .or_else(|| policy.org_ids().next())
}

struct Compare<'a> {
    policy: &'a Policy,
    snapshot: &'a Snapshot,
    org: OrgId,
    access: &'a Access,
    facts: &'a Facts,
    /// Each member's email by id, for the answers that give only the id.
    emails: HashMap<&'a str, &'a str>,
    /// The live RBAC groups by name (names are not unique in the API).
    by_name: HashMap<&'a str, Vec<&'a crate::live::Group>>,
    /// The file of each answered endpoint read per item, by endpoint name and item id.
    item_files: HashMap<(&'a str, &'a str), &'a str>,
}

impl Compare<'_> {
    /// The policy's groups of the org: those it names, and those that name no org.
    fn groups_of_org(&self) -> impl Iterator<Item = GroupId> + '_ {
        self.policy
            .group_ids()
            .filter(|&g| self.policy.group(g).org.is_none_or(|o| o == self.org))
    }

    /// Each user SCIM provisions into the org, with the first synced group that holds them.
    fn provisioned(&self) -> Vec<(UserId, GroupId)> {
        let policy = self.policy;
        let mut users = Vec::new();
        for class in &self.access.classes {
            if class.org != self.org {
                continue;
            }
            let Some(&group) = class
                .groups
                .iter()
                .find(|&&g| policy.group(g).scim_synced())
            else {
                continue;
            };
            users.extend(class.users.iter().map(|&u| (u, group)));
        }
        users.sort();
        users
    }

    /// DRIFT001, DRIFT002 and DRIFT007: members against the users the policy provisions, and
    /// the Primary Owners.
    fn membership(&self, out: &mut Vec<Draft>) {
        if !self.snapshot.answered("users") {
            return;
        }
        let policy = self.policy;
        let org = policy.org(self.org);
        let members = &self.snapshot.members;

        let owners: Vec<&str> = members
            .iter()
            .filter(|m| m.role == "primary_owner")
            .map(|m| m.email.as_str())
            .collect();
        if owners.len() != 1 {
            let which = if owners.is_empty() {
                String::new()
            } else {
                format!(": {}", list_names(&owners, SHOWN))
            };
            out.push(
                Draft::new(
                    &live_primary_owner_count::RULE,
                    org.name.span,
                    format!(
                        "`users.json` lists {} for org `{}`, not exactly one{which}",
                        plural(owners.len(), "primary owner"),
                        org.name.value,
                    ),
                )
                .label(format!("{} live", plural(owners.len(), "primary owner")))
                .help("make exactly one member the Primary Owner in the admin console"),
            );
        }

        if !org.provisions_by_scim(policy) {
            return;
        }
        let provisioned = self.provisioned();
        let expected: HashSet<Cow<'_, str>> = provisioned
            .iter()
            .map(|&(u, _)| folded(&policy.user(u).email))
            .collect();
        let live: HashSet<Cow<'_, str>> = members.iter().map(|m| folded(&m.email)).collect();

        let extra: Vec<&str> = members
            .iter()
            .filter(|m| !expected.contains(folded(&m.email).as_ref()))
            .map(|m| m.email.as_str())
            .collect();
        if !extra.is_empty() {
            out.push(
                Draft::new(
                    &member_not_provisioned::RULE,
                    org.name.span,
                    format!(
                        "`users.json` lists {} whom no SCIM-synced group of org `{}` holds: {}",
                        plural(extra.len(), "member"),
                        org.name.value,
                        list_names(&extra, SHOWN),
                    ),
                )
                .label("provisions by SCIM")
                .help("add them to a synced group of the policy, or remove them from the org"),
            );
        }

        // The users missing live, by the synced group that holds them, in group order.
        let mut missing: HashMap<GroupId, Vec<UserId>> = HashMap::new();
        for &(user, group) in &provisioned {
            if !live.contains(folded(&policy.user(user).email).as_ref()) {
                missing.entry(group).or_default().push(user);
            }
        }
        let mut missing: Vec<(GroupId, Vec<UserId>)> = missing.into_iter().collect();
        missing.sort_by_key(|(group, _)| *group);
        for (group, users) in missing {
            let g = policy.group(group);
            let emails: Vec<&str> = users
                .iter()
                .map(|&u| policy.user(u).email.as_str())
                .collect();
            let mut draft = Draft::new(
                &provisioned_user_not_member::RULE,
                g.name.span,
                format!(
                    "group `{}` syncs {} missing from `users.json`: {}",
                    g.name.value,
                    plural(users.len(), "user"),
                    list_names(&emails, SHOWN),
                ),
            )
            .label(format!("{} not provisioned", plural(users.len(), "user")))
            .help("check that the group is assigned to the app in the identity provider and that SCIM pushed it");
            for &user in users.iter().take(SHOWN) {
                if let Some(entry) = g.members.iter().find(|m| m.value == user) {
                    draft = draft.related(
                        entry.span,
                        format!("`{}` is not a member", policy.user(user).email),
                    );
                }
            }
            out.push(draft);
        }
    }

    /// DRIFT003: members and pending invites against the org's seats.
    fn seats(&self, out: &mut Vec<Draft>) {
        let snapshot = self.snapshot;
        let org = self.policy.org(self.org);
        let Some(seats) = org.seats else {
            return;
        };
        if !snapshot.answered("users") || !snapshot.answered("invites") {
            return;
        }
        let members = snapshot.members.len();
        let pending = snapshot.invites.iter().filter(|i| i.is_pending()).count();
        let taken = (members + pending) as u64;
        if taken <= seats.value {
            return;
        }
        out.push(
            Draft::new(
                &seats_taken_live::RULE,
                seats.span,
                format!(
                    "org `{}` has {} but `users.json` lists {} and `invites.json` {} ({taken} taken, {} over)",
                    org.name.value,
                    plural(seats.value as usize, "seat"),
                    plural(members, "member"),
                    plural(pending, "pending invite"),
                    taken - seats.value,
                ),
            )
            .label(format!(
                "{} for {taken} taken live",
                plural(seats.value as usize, "seat")
            ))
            .help("buy and record more seats, or delete invites nobody will accept"),
        );
    }

    /// DRIFT004, DRIFT005 and DRIFT006: the policy's groups against the live RBAC groups.
    fn groups(&self, out: &mut Vec<Draft>) {
        if !self.snapshot.answered("rbac_groups") {
            return;
        }
        let policy = self.policy;
        let org = policy.org(self.org);
        let live = &self.snapshot.groups;
        let ours: Vec<GroupId> = self.groups_of_org().collect();
        let names: HashSet<&str> = ours
            .iter()
            .map(|&g| policy.group(g).name.value.as_str())
            .collect();

        for &group in &ours {
            let g = policy.group(group);
            let found: &[&crate::live::Group] = self
                .by_name
                .get(g.name.value.as_str())
                .map_or(&[], Vec::as_slice);
            if found.is_empty() {
                if g.scim_synced() {
                    out.push(
                        Draft::new(
                            &scim_group_missing_live::RULE,
                            g.name.span,
                            format!(
                                "group `{}` is synced by SCIM but `rbac_groups.json` has no group of that name",
                                g.name.value
                            ),
                        )
                        .label("not in the live org")
                        .help("assign the group to the app in the identity provider and push it, or rename it to the name it has there"),
                    );
                }
                continue;
            }
            if let [one] = found {
                self.members_of(group, one, out);
            }
            let Some(flag) = g.scim else {
                continue;
            };
            let wanted = if flag.value {
                GroupSource::Scim
            } else {
                GroupSource::Direct
            };
            if let Some(other) = found.iter().find(|l| l.source != wanted) {
                out.push(
                    Draft::new(
                        &group_source_mismatch::RULE,
                        flag.span,
                        format!(
                            "group `{}` records `scim: {}` but `rbac_groups.json` has it with `source_type` `{}`",
                            g.name.value,
                            flag.value,
                            other.source.as_str(),
                        ),
                    )
                    .label(format!("live: `{}`", other.source.as_str()))
                    .help(if flag.value {
                        "delete the hand-made group and let the identity provider push its own, or record `scim: false`"
                    } else {
                        "record `scim: true`: the identity provider owns this group"
                    }),
                );
            }
        }

        let limit = self.facts.group_limit;
        if live.len() as u64 > limit {
            out.push(
                Draft::new(
                    &live_group_limit::RULE,
                    org.name.span,
                    format!(
                        "`rbac_groups.json` lists {} for org `{}`, above the limit of {limit} per organization ({} over)",
                        plural(live.len(), "group"),
                        org.name.value,
                        live.len() as u64 - limit,
                    ),
                )
                .label(format!("{} live", plural(live.len(), "group")))
                .help("delete the groups nobody uses, or merge teams that share roles and limits"),
            );
        }

        let mut unknown: Vec<&str> = live
            .iter()
            .filter(|l| !names.contains(l.name.as_str()))
            .map(|l| l.name.as_str())
            .collect();
        unknown.dedup();
        if !unknown.is_empty() {
            out.push(
                Draft::new(
                    &live_group_not_in_policy::RULE,
                    org.name.span,
                    format!(
                        "`rbac_groups.json` lists {} that the policy of org `{}` lacks: {}",
                        plural(unknown.len(), "group"),
                        org.name.value,
                        list_names(&unknown, SHOWN),
                    ),
                )
                .label(format!(
                    "{} not in the policy",
                    plural(unknown.len(), "live group")
                ))
                .help("write them into the policy, or delete them in the admin console"),
            );
        }
    }

    /// DRIFT012: a group's live members against the members the policy gives it, for a group
    /// whose members were read: its direct members, and, where the platform profile says its
    /// identity provider syncs nested groups (and it is synced by SCIM), the members of the
    /// groups nested in it at any depth.
    fn members_of(&self, group: GroupId, live: &crate::live::Group, out: &mut Vec<Draft>) {
        let policy = self.policy;
        let g = policy.group(group);
        let Some(members) = &live.members else {
            return;
        };
        let Some(file) = self.item_file("rbac_group_members", &live.id) else {
            return;
        };
        // The members the policy gives the group, with the line of those it lists directly.
        let mut expected: Vec<(UserId, Option<Span>)> =
            g.members.iter().map(|m| (m.value, Some(m.span))).collect();
        let nesting_syncs = g.scim_synced()
            && g.idp
                .and_then(|idp| policy.idps[idp.index()].kind)
                .is_some_and(|kind| self.facts.nested_groups_sync.contains(&kind.value));
        if nesting_syncs && !g.member_groups.is_empty() {
            let mut seen: HashSet<GroupId> = HashSet::from([group]);
            let mut stack: Vec<GroupId> = g.member_groups.iter().map(|m| m.value).collect();
            let mut listed: HashSet<UserId> = g.members.iter().map(|m| m.value).collect();
            while let Some(next) = stack.pop() {
                if !seen.insert(next) {
                    continue;
                }
                let n = policy.group(next);
                for m in &n.members {
                    if listed.insert(m.value) {
                        expected.push((m.value, None));
                    }
                }
                stack.extend(n.member_groups.iter().map(|m| m.value));
            }
        }
        let live_emails: Vec<&str> = members
            .iter()
            .filter_map(|m| {
                m.email
                    .as_deref()
                    .or_else(|| self.emails.get(m.user_id.as_str()).copied())
            })
            .collect();
        let live_set: HashSet<Cow<'_, str>> = live_emails.iter().map(|e| folded(e)).collect();
        let ours: HashSet<Cow<'_, str>> = expected
            .iter()
            .map(|&(u, _)| folded(&policy.user(u).email))
            .collect();
        let missing: Vec<(UserId, Option<Span>)> = expected
            .iter()
            .copied()
            .filter(|&(u, _)| !live_set.contains(folded(&policy.user(u).email).as_ref()))
            .collect();
        let extra: Vec<&str> = live_emails
            .iter()
            .filter(|e| !ours.contains(folded(e).as_ref()))
            .copied()
            .collect();
        if missing.is_empty() && extra.is_empty() {
            return;
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            let names: Vec<&str> = missing
                .iter()
                .map(|&(u, _)| policy.user(u).email.as_str())
                .collect();
            parts.push(format!(
                "lacks {} the policy lists ({})",
                plural(missing.len(), "member"),
                list_names(&names, SHOWN)
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "has {} the policy does not ({})",
                plural(extra.len(), "member"),
                list_names(&extra, SHOWN)
            ));
        }
        let mut draft = Draft::new(
            &group_members_differ::RULE,
            g.name.span,
            format!(
                "`{file}` of group `{}` {}",
                g.name.value,
                parts.join(" and ")
            ),
        )
        .label(format!(
            "{} missing, {} extra live",
            missing.len(),
            extra.len()
        ))
        .help(if g.scim_synced() {
            "change the group in the identity provider, or the policy, until they agree"
        } else {
            "change the group in the console, or the policy, until they agree"
        });
        for &(user, span) in missing.iter().take(SHOWN) {
            if let Some(span) = span {
                draft = draft.related(
                    span,
                    format!("`{}` is not a live member", policy.user(user).email),
                );
            }
        }
        out.push(draft);
    }

    /// DRIFT009: each member's live effective monthly limit against the policy's, grouped by
    /// the policy line that sets the policy's amount.
    fn limits(&self, out: &mut Vec<Draft>) {
        let snapshot = self.snapshot;
        if !snapshot.answered("effective_spend_limits") {
            return;
        }
        let policy = self.policy;
        let org = policy.org(self.org);
        // The policy's limit for each of the org's users, by email.
        let mut ours: HashMap<Cow<'_, str>, Option<crate::effective::EffectiveLimit>> =
            HashMap::new();
        for class in &self.access.classes {
            if class.org != self.org {
                continue;
            }
            for &user in &class.users {
                ours.insert(folded(&policy.user(user).email), class.limit);
            }
        }
        // Per policy line: its amount, its description, and the members that differ.
        let mut differ: Vec<(Span, String, Spend, Vec<String>)> = Vec::new();
        for row in &snapshot.effective_limits {
            if row.period != "monthly" {
                continue;
            }
            let email = row
                .email
                .as_deref()
                .or_else(|| self.emails.get(row.user_id.as_str()).copied());
            let Some(email) = email else {
                continue;
            };
            let Some(limit) = ours.get(folded(email).as_ref()) else {
                continue;
            };
            let wanted = limit.map_or(Spend::Unlimited, |l| l.amount);
            let live = live_spend(row.amount, row.currency.as_deref());
            if live == Some(wanted) {
                continue;
            }
            let live = live_text(row.amount, row.currency.as_deref());
            let (span, what) = match limit.map(|l| l.source) {
                Some(LimitSource::Group { group, limit }) => {
                    let l = policy.limit(limit);
                    (
                        l.amount.span,
                        format!(
                            "limit `{}` of group `{}`",
                            l.name.value,
                            policy.group(group).name.value
                        ),
                    )
                }
                Some(LimitSource::OrgDefault(o)) => (
                    policy
                        .org(o)
                        .default_limit
                        .map_or(org.name.span, |d| d.span),
                    format!("the default of org `{}`", policy.org(o).name.value),
                ),
                None => (
                    org.name.span,
                    format!("no limit in org `{}`", org.name.value),
                ),
            };
            let source = match &row.source {
                Scope::RbacGroup { rbac_group_id } => match snapshot.group(rbac_group_id) {
                    Some(group) => format!("`rbac_group` `{}`", group.name),
                    None => format!("`rbac_group` `{rbac_group_id}`"),
                },
                other => format!("`{}`", other.kind()),
            };
            let text = format!("`{email}` {live} from {source}");
            match differ.iter_mut().find(|(s, ..)| *s == span) {
                Some((.., members)) => members.push(text),
                None => differ.push((span, what, wanted, vec![text])),
            }
        }
        for (span, what, wanted, members) in differ {
            let list = phrases(&members, SHOWN);
            out.push(
                Draft::new(
                    &effective_limit_mismatch::RULE,
                    span,
                    format!(
                        "`effective_spend_limits.json` gives {} another monthly limit than {what} ({wanted}): {list}",
                        plural(members.len(), "member"),
                    ),
                )
                .label(format!("{wanted} in the policy"))
                .help("change the limit in the policy or in the console until they agree"),
            );
        }
    }

    /// DRIFT010: the org settings in force against the states the policy records.
    fn settings(&self, out: &mut Vec<Draft>) {
        let snapshot = self.snapshot;
        let policy = self.policy;
        let org = policy.org(self.org);
        let with_settings: Vec<_> = snapshot
            .organizations
            .iter()
            .filter(|o| o.settings.is_some())
            .collect();
        // The Compliance API sees the parent and its linked orgs: the only one, or the one of
        // the policy org's name.
        let live = match with_settings.as_slice() {
            [only] => *only,
            several => match several.iter().find(|o| o.name == org.name.value) {
                Some(found) => *found,
                None => return,
            },
        };
        // Only settings that answered say anything, as for every other endpoint.
        let Some(file) = snapshot
            .manifest
            .endpoints
            .iter()
            .find(|r| {
                r.name == "compliance_settings"
                    && r.parent.as_deref() == Some(&live.id)
                    && r.status == Status::Answered
            })
            .and_then(|r| r.file.clone())
        else {
            return;
        };

        if let Some(idp) = org.idp
            && let Some(sso) = policy.idps[idp.index()].sso
            && let Some(SettingValue::Bool(enforced)) = live.setting("sso_claude_ai_enforced")
            && *enforced != (sso.value == SsoState::Enforced)
        {
            out.push(
                Draft::new(
                    &org_setting_mismatch::RULE,
                    sso.span,
                    format!(
                        "identity provider `{}` records SSO as `{}` but `{file}` has `sso_claude_ai_enforced` `{enforced}`",
                        policy.idps[idp.index()].name.value,
                        sso.value,
                    ),
                )
                .label(format!("live: `sso_claude_ai_enforced` `{enforced}`"))
                .help(if *enforced {
                    "record `sso: enforced` once the order rules pass with it, or turn \"Require SSO\" off until they do"
                } else {
                    "turn \"Require SSO\" on in the console, or record the state SSO is in"
                }),
            );
        }

        if let Some(provisioning) = org.provisioning
            && let Some(SettingValue::Text(mode)) = live.setting("sso_provisioning_mode")
        {
            let live_mode = match mode.as_str() {
                "login_only" => Some(Provisioning::InviteOnly),
                m if m.starts_with("jit_") => Some(Provisioning::Jit),
                m if m.starts_with("scim_") => Some(Provisioning::Scim),
                _ => None,
            };
            if live_mode.is_some_and(|m| m != provisioning.value) {
                out.push(
                    Draft::new(
                        &org_setting_mismatch::RULE,
                        provisioning.span,
                        format!(
                            "org `{}` records provisioning `{}` but `{file}` has `sso_provisioning_mode` `{mode}`",
                            org.name.value,
                            provisioning.value.as_str(),
                        ),
                    )
                    .label(format!("live: `{mode}`"))
                    .help("record the provisioning the org uses, or change it in the console"),
                );
            }
        }

        // Directory sync (SCIM), Skills and the desktop extension allowlist: each only where
        // the policy records it and the API lists it.
        if let Some(idp) = org.idp
            && let Some(scim) = policy.idps[idp.index()].scim
            && let Some(SettingValue::Bool(synced)) = live.setting("directory_sync_enabled")
            && *synced != scim.value
        {
            out.push(
                Draft::new(
                    &org_setting_mismatch::RULE,
                    scim.span,
                    format!(
                        "identity provider `{}` records `scim: {}` but `{file}` has `directory_sync_enabled` `{synced}`",
                        policy.idps[idp.index()].name.value,
                        scim.value,
                    ),
                )
                .label(format!("live: `directory_sync_enabled` `{synced}`"))
                .help(if *synced {
                    "record `scim: true`: the identity provider syncs the directory"
                } else {
                    "turn directory sync on in the console, or record `scim: false`"
                }),
            );
        }
        if let Some(skills) = org.skills_enabled
            && let Some(SettingValue::Bool(enabled)) = live.setting("skills_enabled")
            && *enabled != skills.value
        {
            out.push(
                Draft::new(
                    &org_setting_mismatch::RULE,
                    skills.span,
                    format!(
                        "org `{}` records `skillsEnabled: {}` but `{file}` has `skills_enabled` `{enabled}`",
                        org.name.value, skills.value,
                    ),
                )
                .label(format!("live: `skills_enabled` `{enabled}`"))
                .help("turn Skills on or off in the console, or record the state they are in"),
            );
        }
        if let Some(section) = for_org(&policy.security, self.org)
            && let Some(list) = &section.extension_allowlist
            && let Some(SettingValue::Bool(false)) =
                live.setting("desktop_extension_allowlist_enabled")
        {
            out.push(
                Draft::new(
                    &org_setting_mismatch::RULE,
                    list.span,
                    format!(
                        "org `{}` records an `extensionAllowlist` of {} but `{file}` has `desktop_extension_allowlist_enabled` `false`: users may install any extension",
                        org.name.value,
                        plural(list.value.len(), "extension"),
                    ),
                )
                .label("live: `desktop_extension_allowlist_enabled` `false`")
                .help("turn the desktop extension allowlist on in the console"),
            );
        }
    }

    /// The file an endpoint read once wrote, as the manifest names it.
    fn file_of(&self, name: &str) -> String {
        self.snapshot
            .manifest
            .endpoints
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.file.clone())
            .unwrap_or_else(|| format!("{name}.json"))
    }

    /// The file of an endpoint read per item, for the item `parent`, when it answered.
    fn item_file(&self, name: &str, parent: &str) -> Option<String> {
        self.item_files
            .get(&(name, parent))
            .map(|file| file.to_string())
    }

    /// The one live RBAC group of this group's name (none when several share it).
    fn live_group(&self, group: GroupId) -> Option<&crate::live::Group> {
        match self
            .by_name
            .get(self.policy.group(group).name.value.as_str())
            .map(Vec::as_slice)
        {
            Some([one]) => Some(one),
            _ => None,
        }
    }

    /// DRIFT013: the policy's roles against the live roles and what they grant, and the roles
    /// each group carries.
    fn custom_roles(&self, out: &mut Vec<Draft>) {
        let snapshot = self.snapshot;
        if !snapshot.answered("rbac_roles") {
            return;
        }
        let policy = self.policy;
        let org = policy.org(self.org);
        let in_org = |g: GroupId| policy.group(g).org.is_none_or(|o| o == self.org);
        let roles: Vec<RoleId> = policy
            .role_ids()
            .filter(|&r| {
                let groups = &policy.role(r).groups;
                groups.is_empty() || groups.iter().any(|g| in_org(g.value))
            })
            .collect();
        let roles_file = self.file_of("rbac_roles");
        for &role in &roles {
            let r = policy.role(role);
            let found: Vec<_> = snapshot
                .roles
                .iter()
                .filter(|l| l.name == r.name.value)
                .collect();
            match found.as_slice() {
                [] if org.rbac_state() != RbacState::Off => out.push(
                    Draft::new(
                        &role_mismatch::RULE,
                        r.name.span,
                        format!(
                            "role `{}` is not in `{roles_file}`, which lists {}",
                            r.name.value,
                            live_role_names(snapshot),
                        ),
                    )
                    .label("no live role of this name")
                    .help("create the role in the console (the API cannot), or give it the name it has there"),
                ),
                [one] => self.role_grants(role, one, out),
                _ => {}
            }
        }

        if !snapshot.answered("rbac_groups") {
            return;
        }
        let groups_file = self.file_of("rbac_groups");
        for group in self.groups_of_org() {
            let Some(live) = self.live_group(group) else {
                continue;
            };
            let Some(ids) = &live.role_ids else {
                continue;
            };
            let theirs: Vec<&str> = ids
                .iter()
                .map(|id| snapshot.role(id).map_or(id.as_str(), |r| r.name.as_str()))
                .collect();
            let ours: Vec<&str> = roles
                .iter()
                .filter(|&&r| policy.role(r).groups.iter().any(|g| g.value == group))
                .map(|&r| policy.role(r).name.value.as_str())
                .collect();
            if ours.iter().all(|n| theirs.contains(n)) && theirs.iter().all(|n| ours.contains(n)) {
                continue;
            }
            let g = policy.group(group);
            out.push(
                Draft::new(
                    &role_mismatch::RULE,
                    g.name.span,
                    format!(
                        "group `{}` carries {} in the policy but {} in `{groups_file}`",
                        g.name.value,
                        role_list(&ours),
                        role_list(&theirs),
                    ),
                )
                .label(format!("live: {}", role_list(&theirs)))
                .help("attach the roles in the console until they agree, or record the roles the group has"),
            );
        }
    }

    /// DRIFT013 for one role: the entitlements the live role's `organization` actions grant,
    /// by `live::ROLE_ACTIONS`, against the role's `entitlements`.
    fn role_grants(&self, role: RoleId, live: &crate::live::Role, out: &mut Vec<Draft>) {
        let Some(permissions) = &live.permissions else {
            return;
        };
        let Some(file) = self.item_file("rbac_role_permissions", &live.id) else {
            return;
        };
        let mut actions: Vec<&str> = permissions
            .iter()
            .filter(|p| matches!(p.resource, Resource::Organization { .. }))
            .map(|p| p.action.as_str())
            .filter(|a| !a.starts_with("permission_"))
            .collect();
        actions.sort_unstable();
        actions.dedup();
        let mut granted = BTreeSet::new();
        // An action the table does not know grants one feature it does not name; a blanket
        // grant of an unlisted subset may grant any.
        let (mut unknown, mut blanket) = (false, false);
        for action in &actions {
            match ROLE_ACTIONS.iter().find(|k| k.action == *action) {
                Some(known) => {
                    granted.extend(known.grants.iter().copied());
                    blanket |= known.unlisted;
                }
                None => unknown = true,
            }
        }
        let own_action =
            |e: Entitlement| ROLE_ACTIONS.iter().any(|k| !k.unlisted && k.grants == [e]);
        let policy = self.policy;
        let r = policy.role(role);
        let ours: BTreeSet<Entitlement> = r.entitlements.iter().map(|e| e.value).collect();
        let missing: Vec<Entitlement> = ours
            .iter()
            .copied()
            .filter(|&e| !granted.contains(&e) && !blanket && (!unknown || own_action(e)))
            .collect();
        let extra: Vec<Entitlement> = granted.difference(&ours).copied().collect();
        if missing.is_empty() && extra.is_empty() {
            return;
        }
        let names = |list: &[Entitlement]| {
            let names: Vec<&str> = list.iter().map(|e| e.as_str()).collect();
            list_names(&names, Entitlement::ALL.len())
        };
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("lacks {}", names(&missing)));
        }
        if !extra.is_empty() {
            parts.push(format!("also grants {}", names(&extra)));
        }
        let ours: Vec<Entitlement> = ours.into_iter().collect();
        let mut draft = Draft::new(
            &role_mismatch::RULE,
            r.name.span,
            format!(
                "role `{}` grants {} in the policy but `{file}` gives it {}: live it {}",
                r.name.value,
                if ours.is_empty() {
                    "nothing".to_string()
                } else {
                    names(&ours)
                },
                if actions.is_empty() {
                    "no product feature".to_string()
                } else {
                    list_names(&actions, SHOWN)
                },
                parts.join(" and "),
            ),
        )
        .label(format!("differs from live role `{}`", live.name))
        .help("change the role in the console until it grants what the policy says, or record what it grants");
        for e in &missing {
            if let Some(entry) = r.grant(*e) {
                draft = draft.related(entry.span, format!("`{e}` is not granted live"));
            }
        }
        out.push(draft);
    }

    /// DRIFT014: each group's configured monthly limit live against the policy's limit on it.
    fn group_limits(&self, out: &mut Vec<Draft>) {
        let snapshot = self.snapshot;
        if !snapshot.answered("spend_limits") || !snapshot.answered("rbac_groups") {
            return;
        }
        let policy = self.policy;
        let file = self.file_of("spend_limits");
        for group in self.groups_of_org() {
            let Some(live) = self.live_group(group) else {
                continue;
            };
            let row: Option<&SpendLimit> = snapshot
                .spend_limits
                .iter()
                .filter(|l| {
                    l.period == "monthly"
                        && l.is_enabled != Some(false)
                        && matches!(&l.scope, Scope::RbacGroup { rbac_group_id } if *rbac_group_id == live.id)
                })
                .min_by_key(|l| l.amount.map_or(Spend::Unlimited, Spend::Cents));
            // The policy's limit on the group: the lowest, if several name it.
            let ours: Option<LimitId> = policy
                .limit_ids()
                .filter(|&l| policy.limit(l).groups.iter().any(|g| g.value == group))
                .min_by_key(|&l| policy.limit(l).amount.value);
            let g = policy.group(group);
            let theirs = row.map_or(Some(Spend::Unlimited), |r| {
                live_spend(r.amount, r.currency.as_deref())
            });
            let wanted = ours.map(|l| policy.limit(l).amount.value);
            // No limit and an unlimited one cap nothing alike.
            if Some(wanted.unwrap_or(Spend::Unlimited)) == theirs {
                continue;
            }
            let live_text = match row {
                Some(row) => format!(
                    "{} ({})",
                    minor_units(row.amount),
                    live_text(row.amount, row.currency.as_deref())
                ),
                None => "no limit".to_string(),
            };
            let draft = match ours {
                Some(limit) => {
                    let l = policy.limit(limit);
                    Draft::new(
                        &group_limit_mismatch::RULE,
                        l.amount.span,
                        format!(
                            "limit `{}` gives group `{}` {} but `{file}` has {live_text} for it",
                            l.name.value, g.name.value, l.amount.value,
                        ),
                    )
                    .label(format!("live: {live_text}"))
                }
                None => Draft::new(
                    &group_limit_mismatch::RULE,
                    g.name.span,
                    format!(
                        "group `{}` has no spend limit in the policy but `{file}` has {live_text} for it",
                        g.name.value,
                    ),
                )
                .label(format!("live: {live_text}")),
            };
            out.push(
                draft.help(
                    "change the group's limit in the console or in the policy until they agree",
                ),
            );
        }
    }

    /// DRIFT008: members left on the `user` role while the policy records RBAC as enforced.
    fn roles(&self, out: &mut Vec<Draft>) {
        let org = self.policy.org(self.org);
        let Some(rbac) = org.rbac.filter(|r| r.value == RbacState::Enforced) else {
            return;
        };
        if !self.snapshot.answered("users") {
            return;
        }
        let on_user: Vec<&str> = self
            .snapshot
            .members
            .iter()
            .filter(|m| m.role == "user")
            .map(|m| m.email.as_str())
            .collect();
        if on_user.is_empty() {
            return;
        }
        out.push(
            Draft::new(
                &user_role_under_rbac::RULE,
                rbac.span,
                format!(
                    "org `{}` records RBAC as `enforced` but `users.json` lists {} on the `user` role, which custom roles do not govern: {}",
                    org.name.value,
                    plural(on_user.len(), "member"),
                    list_names(&on_user, SHOWN),
                ),
            )
            .label(format!("{} on `user` live", plural(on_user.len(), "member")))
            .help("set their role to `managed` (Custom roles), or record the RBAC state the org is in"),
        );
    }
}

/// An email folded for comparison without regard to case, copied only when it has capitals.
fn folded(email: &str) -> Cow<'_, str> {
    if email.chars().any(char::is_uppercase) {
        Cow::Owned(email.to_lowercase())
    } else {
        Cow::Borrowed(email)
    }
}

/// A live amount in minor units of its currency as the policy's [`Spend`] (`null` is
/// unlimited), or `None` when it has a finer fraction than the policy can write, so that it
/// equals no amount of the policy.
fn live_spend(amount: Option<u64>, currency: Option<&str>) -> Option<Spend> {
    match amount {
        None => Some(Spend::Unlimited),
        Some(minor) => currency::hundredths(minor, currency).map(Spend::Cents),
    }
}

/// A live amount as the policy prints its amounts (`5,000.00/month` for `"5000"` yen), or, when
/// it has a finer fraction than that, in the currency's own decimals and code.
fn live_text(amount: Option<u64>, currency: Option<&str>) -> String {
    match live_spend(amount, currency) {
        Some(spend) => spend.to_string(),
        None => {
            let minor = amount.unwrap_or_default();
            let per = 10u64.pow(currency::decimals(currency));
            format!(
                "{}.{:0width$} {}/month",
                minor / per,
                minor % per,
                currency.unwrap_or_default(),
                width = currency::decimals(currency) as usize
            )
        }
    }
}

/// An amount as the API writes it: minor units as a string (`"50000"`), or `null`.
fn minor_units(amount: Option<u64>) -> String {
    match amount {
        Some(amount) => format!("`\"{amount}\"`"),
        None => "`null`".to_string(),
    }
}

/// `role `a``, `roles `a` and `b``, or `no role`.
fn role_list(names: &[&str]) -> String {
    match names.len() {
        0 => "no role".to_string(),
        1 => format!("role {}", list_names(names, SHOWN)),
        _ => format!("roles {}", list_names(names, SHOWN)),
    }
}

/// The live roles' names, for a message: `no role` when there is none.
fn live_role_names(snapshot: &Snapshot) -> String {
    let names: Vec<&str> = snapshot.roles.iter().map(|r| r.name.as_str()).collect();
    if names.is_empty() {
        "no role".to_string()
    } else {
        list_names(&names, SHOWN)
    }
}

/// Join phrases that quote their own names, as `list_names` joins names: `a, b and c`, or
/// `a, b, c and 4 more` past `few`.
fn phrases(items: &[String], few: usize) -> String {
    let shown = &items[..items.len().min(few)];
    let rest = items.len() - shown.len();
    match (shown.split_last(), rest) {
        (None, _) => String::new(),
        (Some((last, [])), 0) => last.clone(),
        (Some((last, head)), 0) => format!("{} and {last}", head.join(", ")),
        (Some(_), rest) => format!("{} and {rest} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::phrases;

    #[test]
    fn phrases_join_like_names() {
        let items: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(phrases(&items[..0], 3), "");
        assert_eq!(phrases(&items[..1], 3), "a");
        assert_eq!(phrases(&items[..2], 3), "a and b");
        assert_eq!(phrases(&items[..3], 3), "a, b and c");
        assert_eq!(phrases(&items, 3), "a, b, c and 2 more");
    }
}
