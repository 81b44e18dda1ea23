use crate::desktop::settings::egress_hosts;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::security::{unsecured, unsecured_subject};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// Cowork's network egress left open: a `security:` section without an `egressAllowlist`,
    /// or an allowlist that contains `*` (which allows every host). With no `security:` section
    /// for an org at all, it fires once the rollout has reached the `security-controls` step
    /// (that step, or a later one that needs it, is in progress or done), at that step's
    /// status; a policy that has not got that far is not told.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "Harden your deployment by configuring network egress allowlists,
    /// mount controls, and desktop extension allowlists." Without an allowlist, code running in
    /// Cowork's VM can reach any host on the internet, the first thing a security review asks
    /// about. In the allowlist, `*.corp.com` matches one subdomain level, and `*` allows
    /// everything: it is the same as no allowlist.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: ["*"]
    ///   mountAllowlist: [~/Documents/Cowork]
    ///   extensionAllowlist: []
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// security:
    ///   egressAllowlist: [api.acme.com, "*.github.com", pypi.org]
    ///   mountAllowlist: [~/Documents/Cowork]
    ///   extensionAllowlist: []
    /// ```
    pub(crate) static RULE = {
        code: "SEC001",
        name: "egress-allowlist-missing",
        area: Security,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.security {
        let orgs = orgs_phrase(policy, &orgs_of(policy, &policy.security, section));
        // The list the compiled profile writes as `coworkEgressAllowedHosts`.
        match egress_hosts(section) {
            None => out.push(
                Draft::new(
                    &RULE,
                    section.span,
                    format!("no network egress allowlist for {orgs}: Cowork's VM may reach any host"),
                )
                .label("no `egressAllowlist`")
                .help("add `egressAllowlist:` with the hosts Cowork's VM may reach, such as `pypi.org` or `*.github.com`"),
            ),
            Some(list) => {
                if let Some(star) = list.value.iter().find(|h| h.value == "*") {
                    out.push(
                        Draft::new(
                            &RULE,
                            star.span,
                            format!(
                                "network egress allowlist for {orgs} contains `*`, which allows every host"
                            ),
                        )
                        .label("allows every host")
                        .help("replace `*` with the hosts Cowork's VM needs; a wildcard such as `*.github.com` matches one subdomain level only"),
                    );
                }
            }
        }
    }
    if let Some((orgs, span, label)) = unsecured(cx) {
        let subject = unsecured_subject(policy, &orgs);
        out.push(
            Draft::new(
                &RULE,
                span,
                format!(
                    "no network egress allowlist for {}, which has no `security:` section, though the rollout has reached `security-controls`",
                    subject
                ),
            )
            .label(label)
            .help(format!(
                "add a `security:` section for {subject} with an `egressAllowlist` of the hosts Cowork's VM may reach"
            )),
        );
    }
}
