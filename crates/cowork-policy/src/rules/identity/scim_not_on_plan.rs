use crate::diagnostic::{list_names, plural};
use crate::model::{Group, Provisioning, Span};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::identity::idps_of_org;

declare_rule! {
    /// ## What it flags
    ///
    /// SCIM provisioning in an org whose plan does not include SCIM (the profile's `scimPlans`:
    /// Enterprise only today). An org provisions by SCIM when it says `provisioning: scim`, when
    /// an identity provider it signs in with has `scim: true`, or when it has SCIM-synced groups.
    /// The finding points at the first of these that it finds, in that order. An org with no
    /// `plan` has a plan that is not recorded: unknown, not one with SCIM, so it is flagged too,
    /// with the plan named as not recorded (see "Settings not recorded" in docs/format.md).
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: "SCIM is not available for Team plans." The SCIM
    /// connection is never made, so nobody the IdP groups hold is provisioned, their groups never
    /// reach Claude, and the spend limits written for those groups reach nobody. The
    /// plans are a platform fact: `platform: {scimPlans: [...]}` changes them.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: team
    ///     provisioning: scim
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: team
    ///     provisioning: jit
    /// ```
    pub(crate) static RULE = {
        code: "IDP008",
        name: "scim-not-on-plan",
        area: Identity,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        // A plan not recorded is unknown, not one with SCIM.
        let plan = o.plan;
        if plan.is_some_and(|p| cx.facts.scim_plans.contains(&p.value)) {
            continue;
        }
        // What turns SCIM on, most explicit first.
        let mut sources: Vec<(Span, String)> = Vec::new();
        if let Some(p) = o.provisioning.filter(|p| p.value == Provisioning::Scim) {
            sources.push((p.span, "`provisioning: scim`".to_string()));
        }
        for idp in idps_of_org(policy, org) {
            let idp = &policy.idps[idp.index()];
            if let Some(scim) = idp.scim.filter(|s| s.value) {
                sources.push((
                    scim.span,
                    format!("identity provider `{}` has `scim: true`", idp.name.value),
                ));
            }
        }
        let synced: Vec<&Group> = policy
            .groups
            .iter()
            .filter(|g| g.org == Some(org) && g.scim_synced())
            .collect();
        let names: Vec<&str> = synced.iter().map(|g| g.name.value.as_str()).collect();
        if let Some(scim) = synced.first().and_then(|g| g.scim) {
            sources.push((
                scim.span,
                format!(
                    "SCIM syncs {} ({})",
                    plural(names.len(), "group"),
                    list_names(&names, 3)
                ),
            ));
        }
        let Some((span, why)) = sources.first() else {
            continue;
        };
        let plans: Vec<&str> = cx.facts.scim_plans.iter().map(|p| p.as_str()).collect();
        let Some(plan) = plan else {
            let mut draft = Draft::new(
                &RULE,
                *span,
                format!(
                    "org `{}` provisions by SCIM ({why}), but its plan is not recorded",
                    o.name.value
                ),
            )
            .label("SCIM turned on here")
            .related(o.name.span, "no `plan` on this org")
            .help(format!(
                "record org `{}`'s `plan`: SCIM is available on {} only",
                o.name.value,
                list_names(&plans, 3)
            ));
            for (span, why) in sources.iter().skip(1) {
                draft = draft.related(*span, why.as_str());
            }
            out.push(draft);
            continue;
        };
        let mut draft = Draft::new(
            &RULE,
            *span,
            format!(
                "org `{}` provisions by SCIM ({why}), but its plan `{}` does not include SCIM",
                o.name.value,
                plan.value.as_str()
            ),
        )
        .label("SCIM turned on here")
        .related(plan.span, format!("plan `{}` set here", plan.value.as_str()))
        .help(if plans.is_empty() {
            "provision by invite or JIT instead: no plan includes SCIM".to_string()
        } else {
            format!(
                "move `{}` to a plan with SCIM ({}), or provision by invite or JIT and create the groups in Claude",
                o.name.value,
                list_names(&plans, 3)
            )
        });
        for (span, why) in sources.iter().skip(1) {
            draft = draft.related(*span, why.as_str());
        }
        out.push(draft);
    }
}
