use crate::diagnostic::{list_names, plural};
use crate::model::{Date, FileId, Span};
use crate::rules::Context;
use crate::rules::Draft;

declare_rule! {
    /// ## What it flags
    ///
    /// Platform facts that may have drifted from their sources: the base platform profile or
    /// the policy's own `platform:` overrides, last checked more than a set age before today, or
    /// overrides that do not record when they were checked.
    ///
    /// - The base profile is flagged when its date (the day its facts were last checked against
    ///   their sources) is more than the set age before today.
    /// - The policy's overrides are flagged when their `checkedOn` date is more than that age
    ///   before today, or when they record no `checkedOn` at all (not recorded: the checker
    ///   cannot tell how current they are).
    ///
    /// The age is 180 days by default; set another in the config with
    /// `[rules.stale-platform-facts] max-age-days`. The finding is an info: it fails no check,
    /// and it lists which facts to check again.
    ///
    /// ## Why it matters
    ///
    /// Several rules depend on facts about the platform rather than on the policy: the group
    /// limit, the plans with SCIM, whether nested groups sync, which limit wins, what a limit of
    /// 0 means. The rollout guide is silent on most of them, and says of what it does describe
    /// that Cowork "is not currently available on web or mobile": the vendor changes the
    /// platform as it ships. A check against facts nobody has looked at for months is only as
    /// right as they still are. Every output names the profile and its date so a reviewer can
    /// see which facts a result assumed; this rule says when they are old.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// platform:
    ///   groupLimit: 250
    ///   checkedOn: 2025-10-01
    /// orgs:
    ///   - name: acme
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// platform:
    ///   groupLimit: 250
    ///   checkedOn: 2026-10-01
    /// orgs:
    ///   - name: acme
    /// ```
    pub(crate) static RULE = {
        code: "PLAT001",
        name: "stale-platform-facts",
        area: Platform,
        severity: Info,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    let platform = &policy.platform;
    let max_age = i64::from(cx.options.platform_max_age_days);
    // Where a finding about the whole profile points: the `platform:` section, else the first
    // org, else the top of the first file.
    let anchor = platform
        .span
        .or_else(|| policy.org_ids().next().map(|o| policy.org(o).name.span))
        .or_else(|| {
            (policy.sources.len() > 0).then_some(Span {
                file: FileId(0),
                start: 0,
                end: 0,
            })
        });
    let Some(anchor) = anchor else { return };
    let profile = cx.facts.profile;
    if let Some(date) = Date::parse(cx.facts.date) {
        let age = date.days_until(cx.today);
        if age > max_age {
            out.push(
                Draft::new(
                    &RULE,
                    anchor,
                    format!(
                        "platform profile `{profile}` is dated {}, {} before today: its facts may have drifted from their sources",
                        cx.facts.date,
                        plural(age as usize, "day")
                    ),
                )
                .label(format!("facts older than {max_age} days"))
                .help(
                    "check the facts this policy relies on against their sources (docs/profile.md), and update cowork-policy or override the facts that changed in `platform:`, with `checkedOn`",
                ),
            );
        }
    }
    let overridden = platform.overridden();
    if overridden.is_empty() {
        return;
    }
    let keys = list_names(&overridden, 4);
    match platform.checked_on {
        Some(checked) => {
            let age = checked.value.days_until(cx.today);
            if age > max_age {
                out.push(
                    Draft::new(
                        &RULE,
                        checked.span,
                        format!(
                            "the policy's platform overrides ({keys}) were last checked on {}, {} before today",
                            checked.value,
                            plural(age as usize, "day")
                        ),
                    )
                    .label(format!("older than {max_age} days"))
                    .help("check each override against its source again, then update `checkedOn`"),
                );
            }
        }
        None => out.push(
            Draft::new(
                &RULE,
                anchor,
                format!(
                    "the policy overrides platform facts ({keys}) but `checkedOn`, the day they were checked, is not recorded"
                ),
            )
            .label("overrides not dated")
            .help("add `checkedOn: YYYY-MM-DD` to `platform:`, the day you checked these overrides against their sources"),
        ),
    }
}
