use crate::diagnostic::{list_names, plural};
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// A `network:` section whose `proxyAllowlist` does not let through every domain Cowork
    /// needs, as the platform profile lists them (`requiredDomains` under `platform:`). One
    /// finding per section, naming the missing domains. Entries match as in Cowork's egress
    /// allowlist: `*.corp.com` matches one subdomain level and not `corp.com` itself, `*`
    /// matches everything, and a required wildcard such as `*.claude.ai` is let through only by
    /// `*.claude.ai` or `*`. A section without `proxyAllowlist` does not filter traffic, so it
    /// is not flagged.
    ///
    /// ## Why it matters
    ///
    /// The rollout guide: "endpoint and network issues are the most common cause of deployment
    /// problems. Ensure that required domains are allowlisted, minimum OS versions are met, and
    /// any proxy or firewall rules permit Claude Cowork traffic." A blocked domain shows up on
    /// launch day as an app that will not sign in, a VM image that never downloads, or sessions
    /// that hang. The guide names no domains: the platform profile's `requiredDomains` fact
    /// does (`claude.ai`, `*.claude.ai`, `anthropic.com` and `*.anthropic.com` by default), and
    /// a policy can override it under `platform:` when the vendor's list changes.
    ///
    /// The default list is this project's own reading, with no documented source: neither the
    /// guide nor any vendor page the project could cite lists the domains (searched again on
    /// 2026-12-06). So against the built-in list the rule is a **warning**. A policy that
    /// overrides `requiredDomains` has taken its list from a source it names (write it in a
    /// comment beside the override), and the rule is then an **error**.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// network:
    ///   proxyAllowlist: [claude.ai, "*.claude.ai", "*.anthropic.com"]
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    /// network:
    ///   proxyAllowlist: [claude.ai, "*.claude.ai", anthropic.com, "*.anthropic.com"]
    /// ```
    pub(crate) static RULE = {
        code: "SEC004",
        name: "required-domains-blocked",
        area: Security,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.networks {
        let Some(list) = &section.proxy_allowlist else {
            continue;
        };
        let missing: Vec<&str> = cx
            .facts
            .required_domains
            .iter()
            .map(String::as_str)
            .filter(|required| {
                !list
                    .value
                    .iter()
                    .any(|entry| covers(&entry.value, required))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut draft = Draft::new(
            &RULE,
            list.span,
            format!(
                "proxy allowlist for {} blocks {} Cowork needs: {}",
                orgs_phrase(policy, &orgs_of(policy, &policy.networks, section)),
                plural(missing.len(), "domain"),
                list_names(&missing, 6)
            ),
        )
        .label(format!("no entry for {}", list_names(&missing, 2)))
        .help(format!(
            "add {} to `proxyAllowlist`: there, `*.x` matches one subdomain level and not `x` itself",
            list_names(&missing, 6)
        ));
        // The policy's own list has a source it names: an error. The built-in one has none yet.
        if policy.platform.required_domains.is_some() {
            draft = draft.severity(crate::diagnostic::Severity::Error);
            if let Some(span) = policy.platform.span {
                draft = draft.related(
                    span,
                    "`requiredDomains` set in the policy's platform profile here",
                );
            }
        }
        out.push(draft);
    }
}

/// Whether an allowlist entry lets a required domain through. `*` lets everything through;
/// `*.corp.com` lets through one subdomain level of `corp.com` but not `corp.com` itself; a
/// required wildcard (`*.corp.com`: any subdomain) is let through only by the same wildcard or
/// by `*`. Case and a trailing dot do not matter.
fn covers(entry: &str, required: &str) -> bool {
    let normal = |s: &str| s.trim().trim_end_matches('.').to_ascii_lowercase();
    let (entry, required) = (normal(entry), normal(required));
    if entry == "*" || entry == required {
        return true;
    }
    if required.starts_with("*.") {
        return false;
    }
    match entry.strip_prefix('*') {
        Some(suffix) if suffix.starts_with('.') => required
            .strip_suffix(suffix)
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_match_one_subdomain_level() {
        assert!(covers("claude.ai", "claude.ai"));
        assert!(covers("Claude.AI.", "claude.ai"));
        assert!(covers("*", "claude.ai"));
        assert!(covers("*", "*.claude.ai"));
        assert!(covers("*.claude.ai", "api.claude.ai"));
        assert!(covers("*.claude.ai", "*.claude.ai"));
        assert!(!covers("*.claude.ai", "claude.ai"));
        assert!(!covers("*.claude.ai", "a.b.claude.ai"));
        assert!(!covers("*.ai", "*.claude.ai"));
        assert!(!covers("*.ai", "api.claude.ai"));
        assert!(covers("*.ai", "claude.ai"));
        assert!(!covers("api.claude.ai", "*.claude.ai"));
        assert!(!covers("claude.ai", "*.claude.ai"));
        assert!(!covers("notclaude.ai", "claude.ai"));
        assert!(!covers("*claude.ai", "notclaude.ai"));
        assert!(!covers("*.claude.ai", "xclaude.ai"));
    }
}
