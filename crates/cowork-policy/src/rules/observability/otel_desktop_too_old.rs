use std::cmp::Ordering;

use crate::desktop::settings::otlp_endpoint;
use crate::model::Version;
use crate::rules::Context;
use crate::rules::Draft;
use crate::rules::observability::{group_by_section, host_port};
use crate::rules::{orgs_of, orgs_phrase};

declare_rule! {
    /// ## What it flags
    ///
    /// An OTEL endpoint configured for orgs whose deployment ships a `desktopVersion` older than
    /// the first desktop app that exports OpenTelemetry (1.1.4173 today).
    ///
    /// One finding per pair of `observability:` and `deployment:` sections, naming the orgs
    /// they share. A deployment without a `desktopVersion` is left alone.
    ///
    /// ## Why it matters
    ///
    /// The vendor's documentation: Cowork OpenTelemetry "needs desktop app 1.1.4173 or later".
    /// Older desktops export nothing: the endpoint looks configured, and the sessions on those
    /// machines never reach the SIEM.
    ///
    /// The version is a fact of the platform profile, `otelMinDesktopVersion` under
    /// `platform:`; raise or lower it there when the vendor changes it.
    ///
    /// ## Example
    ///
    /// ```yaml
    /// apiVersion: cowork-policy/v1
    /// orgs:
    ///   - name: acme
    ///     plan: enterprise
    /// deployment:
    ///   windowsInstaller: msix
    ///   platforms: [macos, windows]
    ///   desktopVersion: "1.1.4100"
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
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
    /// deployment:
    ///   windowsInstaller: msix
    ///   platforms: [macos, windows]
    ///   desktopVersion: "1.1.4210"
    /// observability:
    ///   otelEndpoint: https://otel.acme.com:4318
    ///   protocol: http/protobuf
    /// ```
    pub(crate) static RULE = {
        code: "OBS005",
        name: "otel-desktop-too-old",
        area: Observability,
        severity: Warning,
        check: check,
    };
}

fn check(cx: &Context<'_>, out: &mut Vec<Draft>) {
    let policy = cx.policy;
    let min = &cx.facts.otel_min_desktop_version;
    for section in &policy.observability {
        let Some(endpoint) = otlp_endpoint(section) else {
            continue;
        };
        let orgs = orgs_of(policy, &policy.observability, section);
        for (deployment, orgs) in group_by_section(&policy.deployments, &orgs) {
            let Some(version) = &deployment.desktop_version else {
                continue;
            };
            if compare(&version.value, min) != Ordering::Less {
                continue;
            }
            out.push(
                Draft::new(
                    &RULE,
                    version.span,
                    format!(
                        "desktop app `{}` for {} is older than {min}, so it exports no telemetry to `{}`",
                        version.value,
                        orgs_phrase(policy, &orgs),
                        host_port(&endpoint.value)
                    ),
                )
                .label(format!("below {min}"))
                .related(endpoint.span, "OTEL export configured here")
                .help(format!(
                    "deploy desktop app {min} or later: Cowork OpenTelemetry needs it"
                )),
            );
        }
    }
}

/// Compare versions part by part, a missing part counting as 0 (`1.2` is `1.2.0`).
fn compare(a: &Version, b: &Version) -> Ordering {
    let len = a.0.len().max(b.0.len());
    let part = |v: &Version, i: usize| v.0.get(i).copied().unwrap_or(0);
    (0..len)
        .map(|i| part(a, i).cmp(&part(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::compare;
    use crate::model::Version;

    #[test]
    fn missing_parts_count_as_zero() {
        let v = |t: &str| Version::parse(t).unwrap();
        assert_eq!(compare(&v("1.2"), &v("1.2.0")), Ordering::Equal);
        assert_eq!(compare(&v("1.1.4100"), &v("1.1.4173")), Ordering::Less);
        assert_eq!(compare(&v("1.1.10000"), &v("1.1.4173")), Ordering::Greater);
        assert_eq!(compare(&v("2"), &v("1.1.4173")), Ordering::Greater);
    }
}
