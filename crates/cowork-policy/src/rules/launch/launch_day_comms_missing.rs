use crate::model::CommKind;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A launch plan with a launch `date` that is missing one of the guide's launch-day
    /// communications, or plans it only after launch day: an `onboarding-guide` (with install
    /// instructions, or confirming the app is already pushed by MDM), a `support-channel`
    /// announcement and an `office-hours` schedule. An undated communication counts as planned.
    /// One finding per launch plan, naming what is missing or late.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide, "Launch Communications", for launch day: "Send the onboarding guide
    /// with install instructions (or confirm the app is already pushed via MDM)" and "Announce
    /// the support channel and office hours schedule." Users who open Cowork on launch day
    /// without a guide, a place to ask, or a time to get help turn into support tickets, or stop
    /// trying.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   date: 2027-03-01
    ///   communications:
    ///     - kind: onboarding-guide
    ///       date: 2027-03-01
    ///     - kind: support-channel
    ///       date: 2027-03-01
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// launch:
    ///   date: 2027-03-01
    ///   communications:
    ///     - kind: onboarding-guide
    ///       date: 2027-03-01
    ///     - kind: support-channel
    ///       date: 2027-03-01
    ///     - kind: office-hours
    ///       date: 2027-03-01
    /// ```
    pub(crate) static RULE = {
        code: "LAUNCH005",
        name: "launch-day-comms-missing",
        area: Launch,
        severity: Warning,
        check: check,
    };
}

/// The launch-day communications, each with its key and what it is.
const LAUNCH_DAY: [(CommKind, &str, &str); 3] = [
    (
        CommKind::OnboardingGuide,
        "onboarding-guide",
        "onboarding guide",
    ),
    (
        CommKind::SupportChannel,
        "support-channel",
        "support channel announcement",
    ),
    (
        CommKind::OfficeHours,
        "office-hours",
        "office hours schedule",
    ),
];

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for (index, launch) in policy.launches.iter().enumerate() {
        let Some(launch_date) = launch.date else {
            continue;
        };
        let orgs = orgs_of(policy, &policy.launches, &policy.launches[index]);
        if orgs.is_empty() {
            continue;
        }
        let mut missing = Vec::new();
        let mut late = Vec::new();
        for (kind, key, what) in LAUNCH_DAY {
            let planned: Vec<_> = launch
                .communications
                .iter()
                .filter(|c| c.kind.value == kind)
                .collect();
            if planned.is_empty() {
                missing.push((key, what));
            } else if planned
                .iter()
                .all(|c| c.date.is_some_and(|d| d.value > launch_date.value))
            {
                let first = planned
                    .iter()
                    .filter_map(|c| c.date)
                    .min_by_key(|d| d.value);
                late.push((key, what, first));
            }
        }
        if missing.is_empty() && late.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        if !missing.is_empty() {
            let whats: Vec<&str> = missing.iter().map(|&(_, what)| what).collect();
            parts.push(format!("plans no {}", or_list(&whats)));
        }
        if !late.is_empty() {
            let whats: Vec<&str> = late.iter().map(|&(_, what, _)| what).collect();
            parts.push(format!(
                "sends the {} only after launch day",
                and_list(&whats)
            ));
        }
        let mut draft = Draft::new(
            &RULE,
            launch_date.span,
            format!(
                "the launch of {} on {} {}",
                orgs_phrase(policy, &orgs),
                launch_date.value,
                parts.join(", and ")
            ),
        )
        .label("launch day");
        for &(key, _, first) in &late {
            if let Some(date) = first {
                draft = draft.related(
                    date.span,
                    format!("`{key}` goes out on {} here", date.value),
                );
            }
        }
        let keys: Vec<String> = missing
            .iter()
            .map(|&(key, _)| format!("`{key}`"))
            .chain(late.iter().map(|&(key, _, _)| format!("`{key}`")))
            .collect();
        out.push(draft.help(format!(
            "plan {} communications dated on launch day: the onboarding guide with install instructions (or confirming the app is pushed by MDM), the support channel and the office hours schedule",
            and_list(&keys.iter().map(String::as_str).collect::<Vec<_>>())
        )));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    joined(items, "and")
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[&str]) -> String {
    joined(items, "or")
}

fn joined(items: &[&str], word: &str) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, head)) => format!("{} {word} {last}", head.join(", ")),
    }
}
