use crate::diagnostic::{list_names, plural};
use crate::model::{At, OrgId, StepStatus, for_org};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A launch plan whose pilot has launched while an item of its pre-launch `checklist` is not
    /// `true`: `endToEndTask`, `otelDashboardsLive`, `supportChannelLive`, and `marketplaceSeeded`
    /// when a private plugin marketplace applies to one of its orgs. The pilot of an org has
    /// launched when that org's `pilot-launch` step (its own entry, else the one without `org:`)
    /// is in progress or done, or when the launch `date` is today or past: in a parent-child
    /// set-up where one region has launched, the regions that launch later are not reported. A
    /// missing checklist leaves every item open. One finding per launch plan, naming the open
    /// items and the orgs whose pilot has launched.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide's "Pre-launch checklist": "Before opening Claude Cowork to your pilot
    /// group, confirm" that "One user has completed a real task end-to-end", "OTEL dashboards are
    /// live and receiving data", "Plugin marketplace is seeded with at least the Anthropic plugins
    /// relevant to your pilot teams (if applicable)" and "Support channel is live and escalation
    /// paths are documented". A pilot that opens without them meets first tasks that fail where
    /// nobody can see, an empty marketplace, and nowhere to ask for help.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   date: 2026-03-02
    ///   checklist:
    ///     endToEndTask: true
    ///     otelDashboardsLive: false
    ///     supportChannelLive: true
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   date: 2026-03-02
    ///   checklist:
    ///     endToEndTask: true
    ///     otelDashboardsLive: true
    ///     supportChannelLive: true
    /// ```
    pub(crate) static RULE = {
        code: "LAUNCH001",
        name: "prelaunch-checklist-incomplete",
        area: Launch,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    // An org's `pilot-launch` step, when it is in progress or done.
    let pilot_step = |org: OrgId| {
        policy
            .step_in(Some(org), "pilot-launch")
            .and_then(|s| policy.step(s).status)
            .filter(|s| matches!(s.value, StepStatus::InProgress | StepStatus::Done))
    };
    for (index, launch) in policy.launches.iter().enumerate() {
        let date_reached = launch.date.filter(|d| d.value <= cx.today);
        // The plan's orgs whose pilot has launched: by their own `pilot-launch` step, or by the
        // plan's date. A region that launches next year has not launched because another has.
        let orgs: Vec<OrgId> = orgs_of(policy, &policy.launches, &policy.launches[index])
            .into_iter()
            .filter(|&org| date_reached.is_some() || pilot_step(org).is_some())
            .collect();
        let pilot_step = orgs.iter().find_map(|&org| pilot_step(org));
        if orgs.is_empty() {
            continue;
        }
        // The private marketplace that applies to one of the orgs, if any.
        let marketplace = orgs.iter().find_map(|&org| {
            for_org(&policy.marketplaces, org).filter(|m| m.private.is_none_or(|p| p.value))
        });
        let checklist = launch.checklist.as_ref().map(|c| &c.value);
        let items: [(&str, Option<At<bool>>, bool); 4] = [
            (
                "endToEndTask",
                checklist.and_then(|c| c.end_to_end_task),
                true,
            ),
            (
                "otelDashboardsLive",
                checklist.and_then(|c| c.otel_dashboards_live),
                true,
            ),
            (
                "marketplaceSeeded",
                checklist.and_then(|c| c.marketplace_seeded),
                marketplace.is_some(),
            ),
            (
                "supportChannelLive",
                checklist.and_then(|c| c.support_channel_live),
                true,
            ),
        ];
        let open: Vec<(&str, Option<At<bool>>)> = items
            .into_iter()
            .filter(|&(_, value, applies)| applies && !value.is_some_and(|v| v.value))
            .map(|(key, value, _)| (key, value))
            .collect();
        if open.is_empty() {
            continue;
        }
        let keys: Vec<&str> = open.iter().map(|&(key, _)| key).collect();
        let scope = orgs_phrase(policy, &orgs);
        let open_text = format!(
            "{} open: {}",
            plural(open.len(), "pre-launch checklist item"),
            list_names(&keys, 4)
        );
        let message = match (pilot_step, launch.date) {
            (Some(step), _) => format!(
                "the pilot of {scope} has launched (`pilot-launch` is {}) with {open_text}",
                if step.value == StepStatus::Done {
                    "done"
                } else {
                    "in progress"
                }
            ),
            (None, Some(date)) if date.value == cx.today => {
                format!(
                    "the launch date of {scope} is today, {}, with {open_text}",
                    date.value
                )
            }
            (None, Some(date)) => format!(
                "the launch date of {scope}, {}, has passed with {open_text}",
                date.value
            ),
            // A pilot launched by neither the step nor the date was skipped above.
            (None, None) => continue,
        };
        let (span, label) = match (launch.date, &launch.checklist) {
            (Some(date), _) if date.value <= cx.today => (date.span, "launch date reached"),
            (Some(date), _) => (date.span, "launch date set here"),
            (None, Some(checklist)) => (checklist.span, "checklist not complete"),
            (None, None) => (launch.span, "no pre-launch checklist in this launch plan"),
        };
        let mut draft = Draft::new(&RULE, span, message).label(label);
        if let Some(step) = pilot_step {
            draft = draft.related(step.span, "`pilot-launch` started here");
        }
        for (key, value) in &open {
            if let Some(value) = value {
                draft = draft.related(value.span, format!("`{key}` not confirmed"));
            } else if *key == "marketplaceSeeded"
                && let Some(marketplace) = marketplace
            {
                let span = marketplace.private.map_or(marketplace.span, |p| p.span);
                draft = draft.related(span, "private plugin marketplace used here");
            }
        }
        out.push(draft.help(if pilot_step.is_some() {
            "confirm each open item and set it to `true` in the launch's `checklist`; until then, keep Cowork closed to the pilot group"
        } else {
            "confirm each open item and set it to `true` in the launch's `checklist`, or move the launch `date` if the pilot has not opened"
        }));
    }
}
