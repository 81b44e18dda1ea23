// The same matching as the managed-file check of a profile's own egress list.
use crate::desktop::settings::{egress_hosts, otlp_endpoint};
use crate::model::rollout::egress_allows as allows;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::observability::group_by_section;
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// An OTEL endpoint whose host is not on the network egress allowlist, where egress is
    /// restricted: the `security:` section for the same orgs has an `egressAllowlist` without
    /// `*`.
    ///
    /// As on the platform, `*.acme.com` matches one subdomain level (`otel.acme.com`), and not
    /// `acme.com` itself nor `otel.eu.acme.com`. One finding per pair of `observability:` and
    /// `security:` sections, naming the orgs they share.
    ///
    /// ## Why it matters
    ///
    /// Cowork's OpenTelemetry export goes out through the same egress controls as the rest of
    /// Cowork. The vendor's documentation: where network egress is restricted, the collector's
    /// host must be on the egress allowlist, as "traffic to non-allowlisted domains is silently
    /// dropped". The export looks configured, and the SIEM receives nothing: no error says why.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// security:
    ///   egressAllowlist: [github.com, "*.acme.com"]
    ///   mountAllowlist: [~/Documents/Cowork]
    ///   extensionAllowlist: [com.acme.crm]
    /// observability:
    ///   otelEndpoint: https://otel.eu.acme.com:4318
    ///   protocol: http/protobuf
    /// ```
    ///
    /// ## Instead
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// security:
    ///   egressAllowlist: [github.com, "*.acme.com", otel.eu.acme.com]
    ///   mountAllowlist: [~/Documents/Cowork]
    ///   extensionAllowlist: [com.acme.crm]
    /// observability:
    ///   otelEndpoint: https://otel.eu.acme.com:4318
    ///   protocol: http/protobuf
    /// ```
    pub(crate) static RULE = {
        code: "OBS003",
        name: "otel-collector-not-allowlisted",
        area: Observability,
        severity: Error,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    for section in &policy.observability {
        // The `otlpEndpoint` and `coworkEgressAllowedHosts` the compiled profile writes.
        let Some(endpoint) = otlp_endpoint(section) else {
            continue;
        };
        let host = endpoint.value.host.trim_end_matches('.');
        let orgs = orgs_of(policy, &policy.observability, section);
        for (security, orgs) in group_by_section(&policy.security, &orgs) {
            let Some(allowlist) = egress_hosts(security) else {
                continue;
            };
            if allowlist
                .value
                .iter()
                .any(|entry| allows(&entry.value, host))
            {
                continue;
            }
            // A wildcard that nearly matches (the host is its bare domain, or deeper) is the
            // other half of the story; else the whole list.
            let near = allowlist.value.iter().find_map(|entry| {
                let domain = entry.value.strip_prefix("*.")?.trim_end_matches('.');
                let why = if host == domain {
                    format!("`{}` does not match `{domain}` itself", entry.value)
                } else if host.ends_with(&format!(".{domain}")) {
                    format!("`{}` matches one subdomain level only", entry.value)
                } else {
                    return None;
                };
                Some((entry.span, why))
            });
            let (span, label) =
                near.unwrap_or_else(|| (allowlist.span, "egress allowlist here".to_string()));
            out.push(
                Draft::new(
                    &RULE,
                    endpoint.span,
                    format!(
                        "the OTEL collector `{host}` is not on the egress allowlist of {}: its telemetry is silently dropped",
                        orgs_phrase(policy, &orgs)
                    ),
                )
                .label("host not allowlisted")
                .related(span, label)
                .help(format!("add `{host}` to `egressAllowlist`")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::allows;

    #[test]
    fn wildcards_match_one_subdomain_level() {
        assert!(allows("*", "otel.acme.com"));
        assert!(allows("otel.acme.com", "otel.acme.com"));
        assert!(allows("otel.acme.com.", "otel.acme.com"));
        assert!(allows("*.acme.com", "otel.acme.com"));
        assert!(!allows("*.acme.com", "acme.com"));
        assert!(!allows("*.acme.com", "otel.eu.acme.com"));
        assert!(!allows("*.acme.com", "notacme.com"));
        assert!(!allows("*.acme.com", "otel.notacme.com"));
        assert!(!allows("acme.com", "otel.acme.com"));
    }
}
