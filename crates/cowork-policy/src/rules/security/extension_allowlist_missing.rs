use crate::desktop::settings::{Extensions, extensions};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::security::{unsecured, unsecured_subject};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A `security:` section without an `extensionAllowlist`. With no `security:` section for an
    /// org at all, it fires once the rollout has reached the `security-controls` step (that
    /// step, or a later one that needs it, is in progress or done), at that step's status. An
    /// explicitly empty list (`extensionAllowlist: []`) is an allowlist that allows no
    /// extension: it is not flagged.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Harden your deployment by configuring network egress allowlists,
    /// mount controls, and desktop extension allowlists." Without an allowlist, users can
    /// install any desktop extension, and every extension they install runs with their access
    /// to their files and connectors.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: [api.acme.com]
    ///   mountAllowlist: [~/Documents/Cowork]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: [api.acme.com]
    ///   mountAllowlist: [~/Documents/Cowork]
    ///   extensionAllowlist: [com.acme.filesearch]
    /// ```
    pub(crate) static RULE = {
        code: "SEC003",
        name: "extension-allowlist-missing",
        area: Security,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.security {
        // `[]` is what the compiled profile writes as `isDesktopExtensionEnabled: false`.
        if !matches!(extensions(section), Extensions::Unset) {
            continue;
        }
        out.push(
            Draft::new(
                &RULE,
                section.span,
                format!(
                    "no desktop extension allowlist for {}: users may install any extension",
                    orgs_phrase(policy, &orgs_of(policy, &policy.security, section))
                ),
            )
            .label("no `extensionAllowlist`")
            .help("add `extensionAllowlist:` with the ids of the extensions users may install, or `[]` to allow none"),
        );
    }
    if let Some((orgs, span, label)) = unsecured(cx) {
        let subject = unsecured_subject(policy, &orgs);
        out.push(
            Draft::new(
                &RULE,
                span,
                format!(
                    "no desktop extension allowlist for {}, which has no `security:` section, though the rollout has reached `security-controls`",
                    subject
                ),
            )
            .label(label)
            .help(format!(
                "add a `security:` section for {subject} with an `extensionAllowlist` of the extensions users may install, or `[]` to allow none"
            )),
        );
    }
}
