//! The rest of a rollout beyond identity and access: connectors, plugins, security controls,
//! network prerequisites, desktop deployment, observability, the rollout team and the launch plan.
//!
//! Sections that exist once per org (security, deployment, ...) may name their org or leave it
//! out; one left out applies to every org that has no section of its own. [`for_org`] picks the
//! one that applies.

use super::{At, ConnectorId, Date, OrgId, Span, UserId};

/// A secret-bearing value: a reference to where the secret is kept, or the secret itself written
/// inline. The model never keeps the text of an inline secret, so no output can print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secret {
    /// Exactly one of the documented forms: `secret:<path>`, or `${NAME}` references, after an
    /// optional scheme word (`Bearer ${TOKEN}`) and joined by `:` (`${USER}:${PASSWORD}`).
    Reference,
    /// Written inline: only its length is kept.
    Plaintext { chars: usize },
}

impl Secret {
    /// Classify a value written in a secret-bearing field. Anything that is not exactly a
    /// documented reference is inline: the classification fails closed.
    pub fn classify(text: &str) -> Secret {
        if text.trim().is_empty() || is_reference(text) {
            Secret::Reference
        } else {
            Secret::Plaintext {
                chars: text.chars().count(),
            }
        }
    }
}

/// `secret:<path>` (a path without blanks), or `[Scheme ]${NAME}[:${NAME}...]`.
fn is_reference(text: &str) -> bool {
    if let Some(path) = text.strip_prefix("secret:") {
        return !path.is_empty() && !path.contains(char::is_whitespace);
    }
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let rest = match text.split_once(' ') {
        Some((scheme, rest)) if word(scheme) => rest,
        _ => text,
    };
    rest.split(':').all(|part| {
        part.strip_prefix("${")
            .and_then(|p| p.strip_suffix('}'))
            .is_some_and(|name| {
                name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
    })
}

/// Whether a header name says its value is a credential.
pub(crate) fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "authorization",
        "api-key",
        "apikey",
        "api_key",
        "token",
        "secret",
        "password",
        "cookie",
        "signature",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// A section that applies to one org, or to every org without its own.
pub(crate) trait PerOrg {
    fn org(&self) -> Option<OrgId>;
}

/// The section that applies to `org`: its own, else the one that names no org.
pub(crate) fn for_org<T: PerOrg>(sections: &[T], org: OrgId) -> Option<&T> {
    sections
        .iter()
        .find(|s| s.org() == Some(org))
        .or_else(|| sections.iter().find(|s| s.org().is_none()))
}

macro_rules! per_org {
    ($($ty:ident),*) => {$(
        impl PerOrg for $ty {
            fn org(&self) -> Option<OrgId> {
                self.org
            }
        }
    )*};
}

per_org!(
    Marketplace,
    Security,
    Network,
    Deployment,
    Observability,
    Desktop,
    Team,
    Launch
);

/// How far a connector has got. Ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ConnectorState {
    Planned,
    /// Enabled org-wide by an admin (gate 1).
    Configured,
    /// Enabled and announced.
    Live,
}

impl ConnectorState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectorState::Planned => "planned",
            ConnectorState::Configured => "configured",
            ConnectorState::Live => "live",
        }
    }
}

/// A connector to a data source.
#[derive(Debug)]
pub(crate) struct Connector {
    pub name: At<String>,
    pub org: Option<OrgId>,
    pub state: Option<At<ConnectorState>>,
    pub user_oauth: Option<At<bool>>,
    pub owner: Option<At<UserId>>,
    /// Groups the connector is scoped to, which the platform may not support.
    pub groups: Vec<At<super::GroupId>>,
    pub client_secret: Option<At<Secret>>,
}

impl Connector {
    pub fn state(&self) -> ConnectorState {
        self.state.map_or(ConnectorState::Planned, |s| s.value)
    }

    /// Enabled org-wide (gate 1): `configured` or `live`.
    pub fn enabled(&self) -> bool {
        self.state() >= ConnectorState::Configured
    }

    /// Whether each user must link their account by OAuth (gate 2). Default: true.
    pub fn needs_user_oauth(&self) -> bool {
        self.user_oauth.is_none_or(|o| o.value)
    }
}

/// How a plugin reaches users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Distribution {
    Required,
    Available,
    Hidden,
}

impl Distribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Required => "required",
            Distribution::Available => "available",
            Distribution::Hidden => "hidden",
        }
    }
}

/// A plugin offered to users.
#[derive(Debug)]
pub(crate) struct Plugin {
    pub name: At<String>,
    pub org: Option<OrgId>,
    pub pre_approved: Option<At<bool>>,
    pub distribution: Option<At<Distribution>>,
    pub connectors: Vec<At<ConnectorId>>,
}

/// The private plugin marketplace of an org.
#[derive(Debug)]
pub(crate) struct Marketplace {
    /// The `pluginMarketplace:` key.
    pub span: Span,
    pub org: Option<OrgId>,
    pub private: Option<At<bool>>,
    pub distribution_policy: Option<At<Distribution>>,
}

/// A list written in the policy, with where the whole list is.
pub(crate) type List<T> = At<Vec<At<T>>>;

/// Cowork's security controls.
#[derive(Debug)]
pub(crate) struct Security {
    pub span: Span,
    pub org: Option<OrgId>,
    pub egress_allowlist: Option<List<String>>,
    pub mount_allowlist: Option<List<String>>,
    pub extension_allowlist: Option<List<String>>,
}

/// Network and fleet prerequisites.
#[derive(Debug)]
pub(crate) struct Network {
    pub org: Option<OrgId>,
    pub proxy_allowlist: Option<List<String>>,
}

/// How the desktop app is deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeployMethod {
    Mdm,
    SelfInstall,
}

/// The Windows installer package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WindowsInstaller {
    Msix,
    Exe,
}

/// A target platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetPlatform {
    Macos,
    Windows,
    Linux,
    Web,
    Ios,
    Android,
}

impl TargetPlatform {
    pub fn as_str(self) -> &'static str {
        match self {
            TargetPlatform::Macos => "macos",
            TargetPlatform::Windows => "windows",
            TargetPlatform::Linux => "linux",
            TargetPlatform::Web => "web",
            TargetPlatform::Ios => "ios",
            TargetPlatform::Android => "android",
        }
    }
}

/// How far the deployment has got. Ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum DeployState {
    Planned,
    InProgress,
    Deployed,
}

/// A dotted version such as `1.1.4173`, compared part by part.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Version(pub Vec<u32>);

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let parts: Option<Vec<u32>> = text.trim().split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| !p.is_empty()).map(Version)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, part) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{part}")?;
        }
        Ok(())
    }
}

/// The oldest operating system version the fleet runs, per desktop platform.
#[derive(Debug)]
pub(crate) struct MinOsVersions {
    pub macos: Option<At<Version>>,
    pub windows: Option<At<Version>>,
}

/// Post-deployment checks.
#[derive(Debug)]
pub(crate) struct Verified {
    pub vm_image_download: Option<At<bool>>,
    pub app_launch: Option<At<bool>>,
    pub sso_sign_in: Option<At<bool>>,
}

/// The desktop deployment.
#[derive(Debug)]
pub(crate) struct Deployment {
    pub span: Span,
    pub org: Option<OrgId>,
    pub method: Option<At<DeployMethod>>,
    pub windows_installer: Option<At<WindowsInstaller>>,
    pub platforms: Vec<At<TargetPlatform>>,
    pub desktop_version: Option<At<Version>>,
    /// The oldest OS version of the fleet, per platform.
    pub min_os_versions: Option<At<MinOsVersions>>,
    pub state: Option<At<DeployState>>,
    pub verified: Option<At<Verified>>,
}

/// An OTLP protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtelProtocol {
    HttpProtobuf,
    HttpJson,
    Grpc,
}

impl OtelProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            OtelProtocol::HttpProtobuf => "http/protobuf",
            OtelProtocol::HttpJson => "http/json",
            OtelProtocol::Grpc => "grpc",
        }
    }
}

/// An OTLP endpoint URL, taken apart.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// The URL as written, without credentials written inline (a reference stays).
    pub url: String,
    pub host: String,
    /// The port written in the URL, if any.
    pub port: Option<u16>,
    /// Credentials written in the URL (`https://user:pass@host`), as a secret.
    pub credentials: Option<Secret>,
}

impl Endpoint {
    /// Parse `scheme://[user[:password]@]host[:port][/path]`.
    pub fn parse(text: &str) -> Option<Endpoint> {
        let (_, rest) = text.trim().split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        let (credentials, hostport) = match authority.rsplit_once('@') {
            Some((userinfo, hostport)) => (Some(Secret::classify(userinfo)), hostport),
            None => (None, authority),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || hostport.starts_with('[') => {
                (host, Some(port.parse().ok()?))
            }
            _ => (hostport, None),
        };
        if host.is_empty() {
            return None;
        }
        let url = match credentials {
            Some(Secret::Plaintext { .. }) => text.trim().replacen(authority, hostport, 1),
            _ => text.trim().to_string(),
        };
        Some(Endpoint {
            url,
            host: host.to_ascii_lowercase(),
            port,
            credentials,
        })
    }
}

/// Whether an egress allowlist entry lets `host` through: `*` allows everything, `*.d` one
/// subdomain level of `d`, anything else only itself. OBS003 and the managed-file check of a
/// profile's own egress list (`crate::managed`) both use it.
pub(crate) fn egress_allows(entry: &str, host: &str) -> bool {
    let entry = entry.trim_end_matches('.');
    if entry == "*" {
        return true;
    }
    match entry.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => entry == host,
    }
}

/// A header of the OTEL export.
#[derive(Debug)]
pub(crate) struct Header {
    pub name: At<String>,
    /// The value as a secret, for a header whose name says it carries a credential.
    pub secret: Option<At<Secret>>,
    /// The value as written, unless it is an inline secret: a plain value or a reference.
    pub value: Option<String>,
}

/// The OpenTelemetry export.
#[derive(Debug)]
pub(crate) struct Observability {
    pub span: Span,
    pub org: Option<OrgId>,
    pub otel_endpoint: Option<At<Endpoint>>,
    pub protocol: Option<At<OtelProtocol>>,
    pub sandbox_tested: Option<At<bool>>,
    pub headers: Vec<Header>,
}

/// The `desktop:` section: managed settings of the desktop app the policy sets itself, each a key
/// of the reference with a value the loader checked against it.
#[derive(Debug)]
pub(crate) struct Desktop {
    pub org: Option<OrgId>,
    pub settings: Vec<DesktopSetting>,
    /// `claudeCodeSettings`: Claude Code's `managed-settings.json` that the same MDM ships, as
    /// written (relative to the policy file).
    pub claude_code_settings: Option<At<String>>,
}

/// A managed-settings file the policy carries: Claude Code's `managed-settings.json` found in
/// the policy folder or named by a `desktop:` section. `check` checks it; its text is kept out
/// of the policy's sources, so no renderer prints a credential it may hold.
#[derive(Debug)]
pub(crate) struct ManagedFile {
    /// The path relative to the policy root, with `/` separators.
    pub path: String,
    pub text: std::sync::Arc<str>,
}

/// One setting of a `desktop:` section.
#[derive(Debug)]
pub(crate) struct DesktopSetting {
    /// The key, as the reference names it.
    pub key: At<&'static str>,
    /// The value as the app reads it: a boolean, a number, a string, or a list or object.
    pub value: At<serde_json::Value>,
}

/// The champions of one department.
#[derive(Debug)]
pub(crate) struct Champions {
    pub department: At<String>,
    pub people: Vec<At<UserId>>,
}

/// The rollout team.
#[derive(Debug)]
pub(crate) struct Team {
    pub span: Span,
    pub org: Option<OrgId>,
    pub primary_owners: Vec<At<UserId>>,
    pub dns_admins: Vec<At<UserId>>,
    pub idp_admins: Vec<At<UserId>>,
    pub mdm_admins: Vec<At<UserId>>,
    pub champions: Vec<Champions>,
    /// The champions' dedicated channel; `None` when left out or blank.
    pub champions_channel: Option<At<String>>,
}

/// What a launch communication is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CommKind {
    LeadershipMessage,
    TrainingSchedule,
    InstallInstructions,
    OnboardingGuide,
    SupportChannel,
    OfficeHours,
    OauthDirections,
    UsageUpdate,
    Other,
}

/// One planned communication.
#[derive(Debug)]
pub(crate) struct Communication {
    pub kind: At<CommKind>,
    pub date: Option<At<Date>>,
    pub connectors: Vec<At<ConnectorId>>,
}

/// The pre-launch checklist.
#[derive(Debug)]
pub(crate) struct Checklist {
    pub end_to_end_task: Option<At<bool>>,
    pub otel_dashboards_live: Option<At<bool>>,
    pub marketplace_seeded: Option<At<bool>>,
    pub support_channel_live: Option<At<bool>>,
}

/// The three questions success metrics answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MetricQuestion {
    Adoption,
    Depth,
    Value,
}

/// A success metric.
#[derive(Debug)]
pub(crate) struct Metric {
    pub question: At<MetricQuestion>,
}

/// The launch plan.
#[derive(Debug)]
pub(crate) struct Launch {
    pub span: Span,
    pub org: Option<OrgId>,
    pub date: Option<At<Date>>,
    pub pilot_departments: Vec<At<String>>,
    pub communications: Vec<Communication>,
    pub checklist: Option<At<Checklist>>,
    pub success_metrics: Vec<Metric>,
}

#[cfg(test)]
mod tests {
    use super::{Endpoint, Secret, Version};

    #[test]
    fn tells_references_from_inline_secrets() {
        assert_eq!(Secret::classify("${OTEL_TOKEN}"), Secret::Reference);
        assert_eq!(Secret::classify("Bearer ${OTEL_TOKEN}"), Secret::Reference);
        assert_eq!(Secret::classify("secret:vault/otel"), Secret::Reference);
        assert_eq!(
            Secret::classify("Bearer abc123"),
            Secret::Plaintext { chars: 13 }
        );
        assert_eq!(
            Secret::classify("${unterminated"),
            Secret::Plaintext { chars: 14 }
        );
        assert_eq!(Secret::classify("SSWS ${OKTA_TOKEN}"), Secret::Reference);
        assert_eq!(Secret::classify("${U}:${P}"), Secret::Reference);
        for inline in [
            "secret: sk-ant-x",
            "secret:",
            "sk-ant-x${}",
            "sk-ant-x${X}",
            "${X} sk-ant-x",
            "${1X}",
            "${X}:",
            "Bearer  ${X}",
            "$TOKEN",
        ] {
            assert!(
                matches!(Secret::classify(inline), Secret::Plaintext { .. }),
                "{inline}"
            );
        }
    }

    #[test]
    fn takes_endpoints_apart() {
        let e = Endpoint::parse("https://OTEL.acme.com:4318/v1/logs").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("otel.acme.com", Some(4318)));
        assert!(e.credentials.is_none());
        let e = Endpoint::parse("https://u:p@collector.acme.com").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("collector.acme.com", None));
        assert_eq!(e.credentials, Some(Secret::Plaintext { chars: 3 }));
        assert!(Endpoint::parse("collector.acme.com:4317").is_none());
        assert!(Endpoint::parse("https://host:notaport").is_none());
    }

    #[test]
    fn compares_versions_part_by_part() {
        assert!(Version::parse("1.1.4173") < Version::parse("1.1.10000"));
        assert!(Version::parse("1.2") > Version::parse("1.1.9999"));
        assert!(Version::parse("1.x").is_none());
    }
}
