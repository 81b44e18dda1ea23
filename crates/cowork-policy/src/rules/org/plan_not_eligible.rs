use crate::diagnostic::{Draft, list_names};
use crate::model::{Entitlement, Plan};
use crate::rules::Context;
use crate::rules::rbac::grants_in_org;

declare_rule! {
    /// ## What it flags
    ///
    /// Features turned on in an org whose plan does not include them:
    ///
    /// - Cowork (`coworkEnabled: true`, or a role granting `cowork` to a group of the org) on a
    ///   plan without Cowork, such as `free`;
    /// - the Analytics API (`analyticsApi: true`) on a plan other than Enterprise.
    ///
    /// Each finding points at the setting that turns the feature on. An org with no `plan` is
    /// not checked. Which plans include which feature is a fact of the platform profile.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Claude Cowork is available to paid Claude plans (Pro, Max, Team, and
    /// Enterprise)", and "The Analytics API (Enterprise plan only) provides programmatic access
    /// to Claude Cowork usage data". On any other plan the setting does nothing: users get no
    /// Cowork, and the usage reporting built on the Analytics API gets no data.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: team
    ///     coworkEnabled: true
    ///     analyticsApi: true
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
    ///     analyticsApi: false
    /// ```
    pub(crate) static RULE = {
        code: "ORG002",
        name: "plan-not-eligible",
        area: Org,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        let Some(plan) = o.plan else {
            continue;
        };
        let plan_name = plan.value.as_str();
        if !cx.facts.cowork_plans.contains(&plan.value) {
            let grants = grants_in_org(policy, org, Entitlement::Cowork);
            let enabled = o.cowork_enabled.filter(|c| c.value);
            let first_grant = grants.first().and_then(|(role, _)| {
                let role = policy.role(*role);
                role.grant(Entitlement::Cowork).map(|g| (role, g.span))
            });
            // The groups of this org that the first granting role gives `cowork` to.
            let mut groups: Vec<&str> = grants
                .iter()
                .filter(|(role, _)| grants.first().is_some_and(|(first, _)| first == role))
                .map(|(_, g)| policy.group(g.value).name.value.as_str())
                .collect();
            groups.sort_unstable();
            groups.dedup();
            let found = match (enabled, first_grant) {
                (Some(setting), _) => Some((
                    setting.span,
                    format!(
                        "org `{}` enables Cowork, but its plan `{plan_name}` does not include Cowork",
                        o.name.value
                    ),
                    "Cowork enabled here",
                )),
                (None, Some((role, span))) => Some((
                    span,
                    format!(
                        "role `{}` grants `cowork` to {} in org `{}`, whose plan `{plan_name}` does not include Cowork",
                        role.name.value,
                        list_names(&groups, 3),
                        o.name.value
                    ),
                    "`cowork` granted here",
                )),
                (None, None) => None,
            };
            if let Some((span, message, label)) = found {
                let mut draft = Draft::new(&RULE, span, message)
                    .label(label)
                    .related(plan.span, format!("plan `{plan_name}` set here"))
                    .help(format!(
                        "move `{}` to a plan with Cowork ({})",
                        o.name.value,
                        plan_list(&cx.facts.cowork_plans)
                    ));
                if enabled.is_some()
                    && let Some((role, span)) = first_grant
                {
                    draft = draft.related(
                        span,
                        format!("`cowork` also granted by `{}` here", role.name.value),
                    );
                }
                out.push(draft);
            }
        }
        if let Some(analytics) = o.analytics_api.filter(|a| a.value)
            && !cx.facts.analytics_plans.contains(&plan.value)
        {
            out.push(
                Draft::new(
                    &RULE,
                    analytics.span,
                    format!(
                        "org `{}` turns the Analytics API on, but its plan `{plan_name}` does not include it",
                        o.name.value
                    ),
                )
                .label("Analytics API turned on here")
                .related(plan.span, format!("plan `{plan_name}` set here"))
                .help(format!(
                    "set `analyticsApi: false`, or move `{}` to a plan with the Analytics API ({})",
                    o.name.value,
                    plan_list(&cx.facts.analytics_plans)
                )),
            );
        }
    }
}

/// `` `team` and `enterprise` ``, or `none` for an empty list.
fn plan_list(plans: &[Plan]) -> String {
    let names: Vec<&str> = plans.iter().map(|p| p.as_str()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        list_names(&names, 4)
    }
}
