use crate::diagnostic::list_names;
use crate::model::{Entitlement, Plan};
use crate::rules::Context;
use crate::rules::Draft;
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
    /// Each finding points at the setting that turns the feature on. An org with no `plan` has
    /// a plan that is not recorded: it is flagged where it turns such a feature on, with the
    /// plan named as not recorded. Which plans include which feature is a fact of the platform
    /// profile.
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
        // A plan not recorded is unknown, not one that includes the feature.
        let plan = o.plan;
        let lacks = |it: &str| match plan {
            Some(p) => format!("its plan `{}` does not include {it}", p.value.as_str()),
            None => "its plan is not recorded".to_string(),
        };
        let plan_related = |draft: Draft| match plan {
            Some(p) => draft.related(p.span, format!("plan `{}` set here", p.value.as_str())),
            None => draft.related(o.name.span, "no `plan` on this org"),
        };
        if !plan.is_some_and(|p| cx.facts.cowork_plans.contains(&p.value)) {
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
                        "org `{}` enables Cowork, but {}",
                        o.name.value,
                        lacks("Cowork")
                    ),
                    "Cowork enabled here",
                )),
                (None, Some((role, span))) => Some((
                    span,
                    format!(
                        "role `{}` grants `cowork` to {} in org `{}`, whose {}",
                        role.name.value,
                        list_names(&groups, 3),
                        o.name.value,
                        lacks("Cowork").trim_start_matches("its ")
                    ),
                    "`cowork` granted here",
                )),
                (None, None) => None,
            };
            if let Some((span, message, label)) = found {
                let mut draft =
                    plan_related(Draft::new(&RULE, span, message).label(label)).help(match plan {
                        Some(_) => format!(
                            "move `{}` to a plan with Cowork ({})",
                            o.name.value,
                            plan_list(&cx.facts.cowork_plans)
                        ),
                        None => format!(
                            "record org `{}`'s `plan`: Cowork is on {} only",
                            o.name.value,
                            plan_list(&cx.facts.cowork_plans)
                        ),
                    });
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
            && !plan.is_some_and(|p| cx.facts.analytics_plans.contains(&p.value))
        {
            out.push(
                plan_related(
                    Draft::new(
                        &RULE,
                        analytics.span,
                        format!(
                            "org `{}` turns the Analytics API on, but {}",
                            o.name.value,
                            lacks("it")
                        ),
                    )
                    .label("Analytics API turned on here"),
                )
                .help(match plan {
                    Some(_) => format!(
                        "set `analyticsApi: false`, or move `{}` to a plan with the Analytics API ({})",
                        o.name.value,
                        plan_list(&cx.facts.analytics_plans)
                    ),
                    None => format!(
                        "record org `{}`'s `plan`: the Analytics API is on {} only",
                        o.name.value,
                        plan_list(&cx.facts.analytics_plans)
                    ),
                }),
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
