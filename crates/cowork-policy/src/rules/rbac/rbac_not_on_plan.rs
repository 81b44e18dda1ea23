use crate::diagnostic::list_names;
use crate::model::{At, GroupId, RbacState, RoleId};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::rbac::plan_without_rbac;

declare_rule! {
    /// ## What it flags
    ///
    /// An org whose plan has no custom roles (the profile's plans with RBAC: Enterprise only
    /// today) that declares RBAC all the same: `rbac` is `configured`, `tested` or `enforced`, or
    /// roles are assigned to its groups. One finding per org, at its `rbac` line, else at the
    /// first role assigned to one of its groups. An org with no `plan` is not checked: its plan
    /// is unknown.
    ///
    /// On such a plan the rules that demand RBAC state (IDP005, CONN003, RBAC001 to RBAC005,
    /// RBAC007) stay silent for the org: this finding is the one that says why.
    ///
    /// ## Why it matters
    ///
    /// The vendor's support article on custom roles (13930452): "Custom roles are available for
    /// Enterprise plan organizations." On another plan there is no role to create, no group to
    /// assign it to and nothing to enforce: every member has every feature the org enables. A
    /// policy that says otherwise describes access that does not exist, and a group whose role
    /// was meant to keep Cowork from contractors keeps nothing from them. The plans are a
    /// platform fact of the profile.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: team
    ///     coworkEnabled: true
    ///     rbac: tested
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: team
    ///     coworkEnabled: true
    /// ```
    pub(crate) static RULE = {
        code: "RBAC006",
        name: "rbac-not-on-plan",
        area: Rbac,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let Some(plan) = plan_without_rbac(cx, org) else {
            continue;
        };
        let o = policy.org(org);
        let declared = o.rbac.filter(|r| r.value != RbacState::Off);
        // Every role assigned to a group of this org, in role order.
        let assigned: Vec<(RoleId, At<GroupId>)> = policy
            .role_ids()
            .flat_map(|r| policy.role(r).groups.iter().map(move |g| (r, *g)))
            .filter(|(_, g)| policy.group(g.value).org == Some(org))
            .collect();
        let mut roles: Vec<&str> = Vec::new();
        for (role, _) in &assigned {
            let name = policy.role(*role).name.value.as_str();
            if !roles.contains(&name) {
                roles.push(name);
            }
        }
        let mut groups: Vec<&str> = assigned
            .iter()
            .map(|(_, g)| policy.group(g.value).name.value.as_str())
            .collect();
        groups.sort_unstable();
        groups.dedup();
        let plan_name = plan.value.as_str();
        let role_word = if roles.len() == 1 { "role" } else { "roles" };
        let what = match (declared, roles.is_empty()) {
            (None, true) => continue,
            (Some(rbac), true) => format!("declares `rbac: {}`", rbac_word(rbac.value)),
            (None, false) => format!(
                "assigns {role_word} {} to {} {}",
                list_names(&roles, 3),
                if groups.len() == 1 { "group" } else { "groups" },
                list_names(&groups, 3)
            ),
            (Some(rbac), false) => format!(
                "declares `rbac: {}` and assigns {role_word} {} to its groups",
                rbac_word(rbac.value),
                list_names(&roles, 3)
            ),
        };
        let (span, label) = match (declared, assigned.first()) {
            (Some(rbac), _) => (rbac.span, "RBAC declared here".to_string()),
            (None, Some((_, group))) => (
                group.span,
                format!(
                    "role assigned to `{}` here",
                    policy.group(group.value).name.value
                ),
            ),
            (None, None) => continue,
        };
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "org `{}` {what}, but its plan `{plan_name}` has no custom roles: every member has what the org enables",
                o.name.value
            ),
        )
        .label(label)
        .related(plan.span, format!("plan `{plan_name}` set here"));
        // The roles, when the finding points at `rbac:`; the others, when at the first role.
        let skip = usize::from(declared.is_none());
        for (role, group) in assigned.iter().skip(skip).take(3) {
            draft = draft.related(
                group.span,
                format!(
                    "role `{}` assigned to `{}` here",
                    policy.role(*role).name.value,
                    policy.group(group.value).name.value
                ),
            );
        }
        let plans: Vec<&str> = cx.facts.rbac_plans.iter().map(|p| p.as_str()).collect();
        out.push(draft.help(if plans.is_empty() {
            format!(
                "no plan has custom roles: remove `rbac:` and the roles of `{}`, and decide who gets what with the org settings",
                o.name.value
            )
        } else {
            format!(
                "remove `rbac:` and the roles of `{}` and decide who gets what with the org settings, or move it to a plan with custom roles ({})",
                o.name.value,
                list_names(&plans, 3)
            )
        }));
    }
}

fn rbac_word(state: RbacState) -> &'static str {
    match state {
        RbacState::Off => "off",
        RbacState::Configured => "configured",
        RbacState::Tested => "tested",
        RbacState::Enforced => "enforced",
    }
}
