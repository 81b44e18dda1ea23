use crate::model::{RbacState, SsoState, StepStatus};
use crate::rules::Draft;
use crate::rules::order::{org_idp, rbac_word, sso_word};
use crate::rules::{Context, step_name};

declare_rule! {
    /// ## What it flags
    ///
    /// An org's `rbac:`, or its identity provider's `sso:`, that says something different from
    /// the rollout step that records the same fact:
    ///
    /// | setting                                     | step                    |
    /// |---------------------------------------------|-------------------------|
    /// | `rbac:` `configured` or further             | `rbac-roles-configured` |
    /// | `rbac:` `tested` or further                 | `rbac-tested`           |
    /// | `rbac: enforced`                            | `rbac-enforced`         |
    /// | `sso:` `configured` or further              | `sso-configured`        |
    /// | `sso: enforced`                             | `sso-enforced`          |
    ///
    /// The setting has got that far while the step is listed and not `done`, or the step is
    /// `done` while the setting has not got that far. Steps are read per org (the org's own
    /// entry, else the shared one). A setting the policy leaves out, or a step it does not list,
    /// contradicts nothing. One finding per contradiction, at the step's status. `rbac: enforced`
    /// with `rbac-tested` not done is left to RBAC001, which reports it as enforcement before
    /// the roles were tested.
    ///
    /// ## Why it matters
    ///
    /// The settings and the steps record the same facts twice, and different rules read each:
    /// SSO and RBAC rules read the settings ("Only enforce SSO after both groups/mappings and RBAC
    /// roles are fully configured and tested"), the order and launch rules read the steps. When
    /// they disagree, one set of rules checks a rollout that is not the real one: a step marked
    /// `done` while SSO is still `planned` passes the order checks for work nobody did, and an
    /// `rbac: enforced` whose step is pending hides that every user lost the permissions no role
    /// gives them. The settings are authoritative, since they say what the admin console is set
    /// to; the step is the record to correct, unless the setting is the one out of date.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// steps:
    ///   - name: rbac-tested
    ///     status: in-progress
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     rbac: tested
    /// steps:
    ///   - name: rbac-tested
    ///     status: done
    /// ```
    pub(crate) static RULE = {
        code: "ORDER003",
        name: "state-contradicts-step",
        area: Order,
        severity: Warning,
        check: check,
    };
}

/// The RBAC steps and the `rbac:` state each records.
const RBAC_STEPS: [(&str, RbacState); 3] = [
    ("rbac-roles-configured", RbacState::Configured),
    ("rbac-tested", RbacState::Tested),
    ("rbac-enforced", RbacState::Enforced),
];

/// The SSO steps and the `sso:` state each records.
const SSO_STEPS: [(&str, SsoState); 2] = [
    ("sso-configured", SsoState::Configured),
    ("sso-enforced", SsoState::Enforced),
];

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // An identity provider serves several orgs that may share a step entry: each pair once.
    let mut seen = Vec::new();
    for org in policy.org_ids() {
        let o = policy.org(org);
        let mut pairs = Vec::new();
        if let Some(rbac) = o.rbac {
            for (step, state) in RBAC_STEPS {
                pairs.push((
                    step,
                    rbac.value >= state,
                    rbac.span,
                    format!(
                        "org `{}` has `rbac: {}`",
                        o.name.value,
                        rbac_word(rbac.value)
                    ),
                    format!("`rbac: {}`", rbac_word(state)),
                ));
            }
        }
        if let Some(idp) = org_idp(policy, org)
            && let Some(sso) = policy.idps[idp.index()].sso
        {
            for (step, state) in SSO_STEPS {
                pairs.push((
                    step,
                    sso.value >= state,
                    sso.span,
                    format!(
                        "identity provider `{}` has `sso: {}`",
                        policy.idps[idp.index()].name.value,
                        sso_word(sso.value)
                    ),
                    format!("`sso: {}`", sso_word(state)),
                ));
            }
        }
        for (name, reached, setting_span, setting, target) in pairs {
            let Some(id) = policy.step_in(Some(org), name) else {
                continue;
            };
            let step = policy.step(id);
            let Some(step_span) = step.span else {
                continue;
            };
            let done = step.status() == StepStatus::Done;
            if reached == done || seen.contains(&(setting_span, id)) {
                continue;
            }
            // RBAC001 reports enforcement with untested roles: one cause, one finding.
            if name == "rbac-tested" && o.rbac_state() == RbacState::Enforced {
                continue;
            }
            seen.push((setting_span, id));
            let at = step.status.map_or(step_span, |s| s.span);
            let state = match step.status() {
                StepStatus::Pending => "pending",
                StepStatus::InProgress => "in progress",
                StepStatus::Done => "done",
                StepStatus::Skipped => "skipped",
            };
            let step_text = step_name(policy, id);
            let draft = if reached {
                Draft::new(
                    &RULE,
                    at,
                    format!("{setting} but step {step_text} is {state}"),
                )
                .label(format!("{state}, though the setting says otherwise"))
                .help(format!(
                    "the setting says what the admin console is set to: if it is right, mark `{name}` `done` with its date; if not, correct the setting"
                ))
            } else {
                Draft::new(
                    &RULE,
                    at,
                    format!("step {step_text} is done but {setting}"),
                )
                .label(format!("done, though the setting is not yet {target}"))
                .help(format!(
                    "the setting says what the admin console is set to: if the step is really done, set it to {target} or further; if not, correct the step's status"
                ))
            };
            out.push(draft.related(setting_span, "the setting is written here"));
        }
    }
}
