use crate::diagnostic::plural;
use crate::model::{CommKind, Date};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A launch plan with a launch `date` that plans no `leadership-message` communication, or
    /// whose leadership message is dated less than 14 days before the launch date, or on or after
    /// it (with several, the earliest counts). A leadership message not dated yet, and a launch
    /// plan without a date, are left alone.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide stages launch communications, starting "Pre-launch (2 weeks before)":
    /// "Send a message from leadership explaining what Claude Cowork is, why the org is adopting
    /// it, and what users can expect." Two weeks leave users time to install the desktop app, see
    /// the training schedule and learn who their department champion is before launch day; a
    /// message sent days before launch, or after it, lands as a surprise.
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
    ///     - kind: leadership-message
    ///       date: 2027-02-22
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
    ///     - kind: leadership-message
    ///       date: 2027-02-15
    /// ```
    pub(crate) static RULE = {
        code: "LAUNCH002",
        name: "comms-too-late",
        area: Launch,
        severity: Warning,
        check: check,
    };
}

/// How many days before launch the leadership message goes out, at the latest.
const LEAD_DAYS: i64 = 14;

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
        let scope = orgs_phrase(policy, &orgs);
        let latest = Date::from_days_since_epoch(launch_date.value.days_since_epoch() - LEAD_DAYS);
        let messages: Vec<_> = launch
            .communications
            .iter()
            .filter(|c| c.kind.value == CommKind::LeadershipMessage)
            .collect();
        if messages.is_empty() {
            out.push(
                Draft::new(
                    &RULE,
                    launch_date.span,
                    format!(
                        "no leadership message is planned before the launch of {scope} on {}",
                        launch_date.value
                    ),
                )
                .label("launch date set here")
                .help(format!(
                    "add a `leadership-message` communication dated {latest} or earlier, two weeks before launch, saying what Cowork is, why the org is adopting it and what users can expect"
                )),
            );
            continue;
        }
        // An undated message is not checked: only a dated one can be late.
        if messages.iter().any(|m| m.date.is_none()) {
            continue;
        }
        let Some(earliest) = messages
            .iter()
            .filter_map(|m| m.date)
            .min_by_key(|d| d.value)
        else {
            continue;
        };
        let lead = earliest.value.days_until(launch_date.value);
        if lead >= LEAD_DAYS {
            continue;
        }
        let (when, label) = match lead {
            0 => (
                "on launch day".to_string(),
                "sent on launch day".to_string(),
            ),
            l if l > 0 => (
                format!("{} before", plural(l as usize, "day")),
                format!("{} before launch", plural(l as usize, "day")),
            ),
            l => (
                format!("{} after", plural(l.unsigned_abs() as usize, "day")),
                format!("{} after launch", plural(l.unsigned_abs() as usize, "day")),
            ),
        };
        let message = if lead == 0 {
            format!(
                "the leadership message to {scope} goes out {when}, {}; the guide sends it 2 weeks before",
                earliest.value
            )
        } else {
            format!(
                "the leadership message to {scope} goes out on {}, {when} the launch on {}; the guide sends it 2 weeks before",
                earliest.value, launch_date.value
            )
        };
        let reschedule = Date::from_days_since_epoch(earliest.value.days_since_epoch() + LEAD_DAYS);
        out.push(
            Draft::new(&RULE, earliest.span, message)
                .label(label)
                .related(launch_date.span, "launch date set here")
                .help(format!(
                    "send the leadership message on {latest} or earlier, or move the launch to {reschedule} or later"
                )),
        );
    }
}
