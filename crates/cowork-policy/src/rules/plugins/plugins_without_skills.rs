use crate::diagnostic::{list_names, plural};
use crate::model::for_org;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::plugins::is_private;
use crate::rules::rbac::pilot_ahead;

declare_rule! {
    /// ## What it flags
    ///
    /// Plugins, or a private plugin marketplace, in an org where Cowork (`coworkEnabled`) or
    /// Skills (`skillsEnabled`) is not turned on. One finding per org, at its first plugin, or
    /// at its marketplace when it has none. A setting the org leaves out is not recorded:
    /// unknown, not off. The finding then says which setting is not recorded rather than that
    /// the feature is off (see "Settings not recorded" in docs/format.md).
    ///
    /// Cowork left off while the policy shows the pilot still ahead (a `pilot-launch` step the
    /// rollout has not reached, or a launch date to come) is not counted: keeping Cowork off
    /// until RBAC is enforced is how a pilot stays gated to its groups (RBAC007), and plugins are
    /// approved before launch.
    ///
    /// ## Why it matters
    ///
    /// The vendor's admin documentation: plugins need both Cowork and Skills ("Cowork and
    /// Skills must both be enabled"). While either is off, the org's plugins and its
    /// marketplace reach nobody, however they are distributed.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    /// plugins:
    ///   - name: contract-review
    ///     source: anthropic
    ///     preApproved: true
    ///     distribution: available
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     coworkEnabled: true
    ///     skillsEnabled: true
    /// plugins:
    ///   - name: contract-review
    ///     source: anthropic
    ///     preApproved: true
    ///     distribution: available
    /// ```
    pub(crate) static RULE = {
        code: "PLUG004",
        name: "plugins-without-skills",
        area: Plugins,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for org in policy.org_ids() {
        let o = policy.org(org);
        // Cowork kept off while the pilot is still ahead is on purpose (RBAC007): not counted.
        let cowork = o.cowork_enabled() || pilot_ahead(cx, org);
        let skills = o.skills_enabled.is_some_and(|s| s.value);
        if cowork && skills {
            continue;
        }
        let plugins: Vec<_> = policy
            .plugins
            .iter()
            .filter(|p| p.org == Some(org))
            .collect();
        let marketplace = for_org(&policy.marketplaces, org).filter(|m| is_private(m));
        // The first plugin, else the marketplace: the message names what is pointed at.
        let (span, offers) = match (plugins.first(), marketplace) {
            (Some(first), _) => (first.name.span, plugins_phrase(&plugins)),
            (None, Some(m)) => (m.span, "a private plugin marketplace".to_string()),
            (None, None) => continue,
        };
        // Each setting that is not on: turned off, or not recorded (unknown, not off).
        let mut off: Vec<&str> = Vec::new();
        let mut unrecorded: Vec<&str> = Vec::new();
        for (setting, feature, key) in [
            (o.cowork_enabled, "Cowork", "`coworkEnabled`"),
            (o.skills_enabled, "Skills", "`skillsEnabled`"),
        ] {
            match setting.map(|s| s.value) {
                Some(true) => {}
                Some(false) => off.push(feature),
                None => unrecorded.push(key),
            }
        }
        let mut why = Vec::new();
        if !off.is_empty() {
            why.push(format!(
                "{} {} not enabled",
                off.join(" and "),
                if off.len() == 1 { "is" } else { "are" }
            ));
        }
        if !unrecorded.is_empty() {
            why.push(format!(
                "{} {} not recorded",
                unrecorded.join(" and "),
                if unrecorded.len() == 1 { "is" } else { "are" }
            ));
        }
        let name = &o.name.value;
        let mut draft = Draft::new(
            &RULE,
            span,
            format!(
                "org `{name}` offers {offers} but {} there",
                why.join(" and ")
            ),
        )
        .label("needs Cowork and Skills");
        let mut settings = Vec::new();
        let mut unset = Vec::new();
        for (enabled, setting, key, feature) in [
            (cowork, o.cowork_enabled, "coworkEnabled", "Cowork"),
            (skills, o.skills_enabled, "skillsEnabled", "Skills"),
        ] {
            if enabled {
                continue;
            }
            settings.push(format!("`{key}: true`"));
            match setting {
                Some(s) => draft = draft.related(s.span, format!("{feature} is off here")),
                None => unset.push(format!("`{key}`")),
            }
        }
        if !unset.is_empty() {
            draft = draft.related(
                o.name.span,
                format!("{} not recorded on `{name}`", unset.join(" nor ")),
            );
        }
        out.push(draft.help(format!(
            "set {} on org `{name}`: plugins need both Cowork and Skills",
            settings.join(" and ")
        )));
    }
}

fn plugins_phrase(plugins: &[&crate::model::Plugin]) -> String {
    let names: Vec<&str> = plugins.iter().map(|p| p.name.value.as_str()).collect();
    format!(
        "{} ({})",
        plural(plugins.len(), "plugin"),
        list_names(&names, 3)
    )
}
