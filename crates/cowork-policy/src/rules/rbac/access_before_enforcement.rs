use std::collections::BTreeMap;

use crate::diagnostic::{Severity, list_names, plural};
use crate::model::{Entitlement, GroupId, OrgId, RbacState, RoleId, Span, UserId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::{grants_in_org, plan_without_rbac};

declare_rule! {
    /// ## What it flags
    ///
    /// An org with `coworkEnabled: true` whose RBAC is not enforced yet, where members get
    /// Cowork today that their roles do not give them. RBAC counts as not enforced when `rbac`
    /// is `configured` or `tested`, or when `rbac` is left out, roles are assigned to the org's
    /// groups and the rollout has reached `rbac-roles-configured` but not `rbac-enforced`. An org
    /// with `rbac: off` has not started RBAC, and one whose plan has no custom roles has none to
    /// enforce (RBAC006): neither is flagged.
    ///
    /// Two findings per org at most, each at its `coworkEnabled` line, naming the groups, how
    /// many users and a few of them, and until when: the date of the `rbac-enforced` step if the
    /// policy gives one, else "until RBAC is enforced".
    ///
    /// - an error for members of groups whose role **withholds** `cowork` (`withholds:
    ///   [cowork]`) and who get it from no role: the policy says in so many words that they must
    ///   not have it. (Those who get it from another role keep it after enforcement too: that is
    ///   RBAC004.)
    /// - a warning for every other member whose roles grant no `cowork`, when roles grant it to
    ///   some groups of the org: the org gates Cowork with roles, and these members are on the
    ///   wrong side of the gate until it closes. When no role grants `cowork` at all, nothing is
    ///   gated by roles yet (RBAC005 says what happens at enforcement).
    ///
    /// Cowork is the only feature with an org setting in the policy format, so it is the only
    /// one checked this way.
    ///
    /// ## Why it matters
    ///
    /// The vendor's support article on custom roles (13930452): "Custom roles only affect
    /// members whose role is set to Custom roles." Until members are migrated to enforcement,
    /// each has every feature the org enables, whatever the roles on their groups say: turning
    /// Cowork on at the org level gives it to everyone, contractors included. The guide's order
    /// ("Enable Claude Cowork at the org level, then create custom roles ... Migrate to
    /// enforcement last") leaves that window open; a pilot gated to one group needs enforcement
    /// before Cowork is turned on, not after.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     rbac: tested
    /// groups:
    ///   - name: staff
    ///     members: [ana@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: staff
    ///     entitlements: [cowork, chat]
    ///     groups: [staff]
    ///   - name: contractor-chat
    ///     entitlements: [chat]
    ///     withholds: [cowork]
    ///     groups: [contractors]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     # Turned on once RBAC is enforced.
    ///     coworkEnabled: false
    ///     rbac: tested
    /// groups:
    ///   - name: staff
    ///     members: [ana@acme.com]
    ///   - name: contractors
    ///     members: [bo@acme.com]
    /// roles:
    ///   - name: staff
    ///     entitlements: [cowork, chat]
    ///     groups: [staff]
    ///   - name: contractor-chat
    ///     entitlements: [chat]
    ///     withholds: [cowork]
    ///     groups: [contractors]
    /// ```
    pub(crate) static RULE = {
        code: "RBAC007",
        name: "access-before-enforcement",
        area: Rbac,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // For each group, the first role on it that withholds `cowork`.
    let mut withheld_by: Vec<Option<RoleId>> = vec![None; policy.groups.len()];
    for role in policy.role_ids() {
        let r = policy.role(role);
        if r.withholds.iter().any(|w| w.value == Entitlement::Cowork) {
            for group in &r.groups {
                withheld_by[group.value.index()].get_or_insert(role);
            }
        }
    }
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(enabled) = o.cowork_enabled.filter(|c| c.value) else {
            continue;
        };
        if plan_without_rbac(cx, org).is_some() {
            continue;
        }
        let until = until(cx, org);
        let has_roles = policy.role_ids().any(|r| {
            policy
                .role(r)
                .groups
                .iter()
                .any(|g| policy.group(g.value).org == Some(org))
        });
        // How far RBAC has got, as the message says it, and where.
        let (state, rbac_span) = match o.rbac {
            Some(rbac) => match rbac.value {
                RbacState::Configured => ("RBAC `configured`, not enforced", Some(rbac.span)),
                RbacState::Tested => ("RBAC `tested`, not enforced", Some(rbac.span)),
                RbacState::Off | RbacState::Enforced => continue,
            },
            None if has_roles
                && cx.reached_at(Some(org), "rbac-roles-configured").is_some()
                && cx.reached_at(Some(org), "rbac-enforced").is_none() =>
            {
                ("RBAC not yet enforced", None)
            }
            None => continue,
        };
        // Members who get `cowork` from no role: in a withholding group, or not.
        let mut withheld: Vec<UserId> = Vec::new();
        let mut withholding_groups: Vec<GroupId> = Vec::new();
        let mut ungranted: Vec<UserId> = Vec::new();
        let mut ungranted_groups: BTreeMap<GroupId, usize> = BTreeMap::new();
        for class in cx.access.classes.iter().filter(|c| c.org == org) {
            if class.grant(Entitlement::Cowork).is_some() {
                continue;
            }
            let withholding: Vec<GroupId> = class
                .groups
                .iter()
                .copied()
                .filter(|g| withheld_by[g.index()].is_some())
                .collect();
            if withholding.is_empty() {
                ungranted.extend(class.users.iter());
                for &group in &class.groups {
                    *ungranted_groups.entry(group).or_default() += class.users.len();
                }
            } else {
                withheld.extend(class.users.iter());
                withholding_groups.extend(withholding);
            }
        }
        let org_name = &o.name.value;
        let help = format!(
            "keep `coworkEnabled: false` on org `{org_name}` until RBAC is enforced, or enforce it now: until members are migrated to custom roles, each has every feature the org enables"
        );
        if !withheld.is_empty() {
            withheld.sort_unstable();
            withholding_groups.sort_unstable();
            withholding_groups.dedup();
            let names: Vec<&str> = withholding_groups
                .iter()
                .map(|&g| policy.group(g).name.value.as_str())
                .collect();
            let mut draft = Draft::new(
                &RULE,
                enabled.span,
                format!(
                    "org `{org_name}` enables Cowork with {state}: {} in {}, whose {} `cowork`, {} it today ({}), {}",
                    plural(withheld.len(), "user"),
                    list_names(&names, 3),
                    if names.len() == 1 { "role withholds" } else { "roles withhold" },
                    if withheld.len() == 1 { "has" } else { "have" },
                    emails(cx, &withheld),
                    until.phrase
                ),
            )
            .label("Cowork is on for every member until RBAC is enforced")
            .help(help.clone());
            draft = related(draft, rbac_span, state, until.span);
            for &group in withholding_groups.iter().take(3) {
                if let Some(role) = withheld_by[group.index()]
                    && let Some(w) = policy
                        .role(role)
                        .withholds
                        .iter()
                        .find(|w| w.value == Entitlement::Cowork)
                {
                    draft = draft.related(
                        w.span,
                        format!(
                            "role `{}` withholds `cowork` from `{}` here",
                            policy.role(role).name.value,
                            policy.group(group).name.value
                        ),
                    );
                }
            }
            out.push(draft);
        }
        // Roles gate Cowork in this org only when some role grants it.
        if ungranted.is_empty() || grants_in_org(policy, org, Entitlement::Cowork).is_empty() {
            continue;
        }
        ungranted.sort_unstable();
        let mut groups: Vec<(GroupId, usize)> = ungranted_groups.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let names: Vec<&str> = groups
            .iter()
            .map(|&(g, _)| policy.group(g).name.value.as_str())
            .collect();
        let draft = Draft::new(
            &RULE,
            enabled.span,
            format!(
                "org `{org_name}` enables Cowork with {state}: {} whose roles grant no `cowork` {} it today, in {} ({}), {}",
                plural(ungranted.len(), "user"),
                if ungranted.len() == 1 { "has" } else { "have" },
                list_names(&names, 3),
                emails(cx, &ungranted),
                until.phrase
            ),
        )
        .severity(Severity::Warning)
        .label("Cowork is on for every member until RBAC is enforced")
        .help(help);
        out.push(related(draft, rbac_span, state, until.span));
    }
}

/// Until when members have what the org enables.
struct Until {
    phrase: String,
    span: Option<Span>,
}

/// The date of `org`'s `rbac-enforced` step (its own entry, else the shared one), if it gives
/// one.
fn until(cx: &Context<'_>, org: OrgId) -> Until {
    let dated = cx
        .policy
        .step_in(Some(org), "rbac-enforced")
        .and_then(|id| cx.policy.step(id).date);
    match dated {
        Some(date) if date.value >= cx.today => Until {
            phrase: format!("until RBAC is enforced on {}", date.value),
            span: Some(date.span),
        },
        Some(date) => Until {
            phrase: format!(
                "until RBAC is enforced (it was planned for {}, now past)",
                date.value
            ),
            span: Some(date.span),
        },
        None => Until {
            phrase: "until RBAC is enforced".to_string(),
            span: None,
        },
    }
}

fn related(mut draft: Draft, rbac: Option<Span>, state: &str, until: Option<Span>) -> Draft {
    if let Some(span) = rbac {
        draft = draft.related(span, state.to_string());
    }
    if let Some(span) = until {
        draft = draft.related(span, "RBAC enforcement planned here");
    }
    draft
}

/// A few emails, then a count.
fn emails(cx: &Context<'_>, users: &[UserId]) -> String {
    let emails: Vec<&str> = users
        .iter()
        .map(|&u| cx.policy.user(u).email.as_str())
        .collect();
    list_names(&emails, 3)
}
