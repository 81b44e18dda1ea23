//! From parsed documents to the rollout sections of the model: connectors, plugins, the plugin
//! marketplace, security, network, deployment, observability, team, launch and platform.
//!
//! Runs after [`super::convert`] has named every entity, so references resolve across files.
//! Per-org sections may name their org or leave it out (then they apply to every org without one
//! of their own); two sections for the same org are a duplicate.

use std::collections::HashMap;

use super::builder::{self, Builder, at, opt, string};
use super::raw::{self, Document, S};
use super::span;
use crate::error::LoadError;
use crate::model::{
    At, Champions, Checklist, CommKind, Communication, Connector, ConnectorId, ConnectorState,
    Date, DeployMethod, DeployState, Deployment, Distribution, Endpoint, FileId, GroupId, Header,
    IdpKind, Kind, Launch, List, Marketplace, Metric, MetricQuestion, MinOsVersions, Network,
    Observability, OrgId, OtelProtocol, Plan, Plugin, Security, Span, TargetPlatform, Team, UserId,
    Verified, Version, WindowsInstaller,
};
use crate::model::{LimitResolution, Overrides};
use crate::profile::Profile;

/// The name tables the rollout sections refer to.
pub(super) struct Names<'a> {
    pub orgs: &'a builder::Names,
    pub groups: &'a builder::Names,
    pub connectors: &'a builder::Names,
}

/// The rollout sections of a policy.
#[derive(Default)]
pub(super) struct Rollout {
    pub connectors: Vec<Connector>,
    pub plugins: Vec<Plugin>,
    pub marketplaces: Vec<Marketplace>,
    pub security: Vec<Security>,
    pub networks: Vec<Network>,
    pub deployments: Vec<Deployment>,
    pub observability: Vec<Observability>,
    pub desktop: Vec<crate::model::Desktop>,
    pub teams: Vec<Team>,
    pub launches: Vec<Launch>,
    pub platform: Overrides,
}

pub(super) fn build(b: &mut Builder, docs: &[(FileId, &Document)], names: &Names<'_>) -> Rollout {
    let mut out = Rollout::default();
    let mut seen = Seen::default();

    // Connectors first: plugins and communications refer to them by id, in definition order.
    let mut defined = HashMap::new();
    for &(file, doc) in docs {
        for raw in &doc.connectors {
            let name = string(file, &raw.0.value.name);
            // A duplicate name was already reported; keep only the first definition.
            if defined.contains_key(&name.value) {
                continue;
            }
            defined.insert(name.value.clone(), ());
            out.connectors
                .push(connector(b, file, &raw.0.value, name, names));
        }
    }
    let mut defined = HashMap::new();
    for &(file, doc) in docs {
        for raw in &doc.plugins {
            let name = string(file, &raw.0.value.name);
            if defined.insert(name.value.clone(), ()).is_some() {
                continue;
            }
            out.plugins.push(plugin(b, file, &raw.0.value, name, names));
        }
    }

    for &(file, doc) in docs {
        if let Some(raw) = &doc.plugin_marketplace
            && let Some((span, org)) =
                seen.section(b, file, raw, "pluginMarketplace", &raw.0.value.org, names)
        {
            let r = &raw.0.value;
            out.marketplaces.push(Marketplace {
                span,
                org,
                private: opt(file, &r.private, |p| *p),
                distribution_policy: opt(file, &r.distribution_policy, distribution),
            });
        }
        if let Some(raw) = &doc.security
            && let Some((span, org)) =
                seen.section(b, file, raw, "security", &raw.0.value.org, names)
        {
            let r = &raw.0.value;
            out.security.push(Security {
                span,
                org,
                egress_allowlist: r.egress_allowlist.as_ref().map(|l| hosts(file, l)),
                mount_allowlist: r.mount_allowlist.as_ref().map(|l| strings(file, l)),
                extension_allowlist: r.extension_allowlist.as_ref().map(|l| strings(file, l)),
            });
        }
        if let Some(raw) = &doc.network
            && let Some((_, org)) = seen.section(b, file, raw, "network", &raw.0.value.org, names)
        {
            out.networks.push(Network {
                org,
                proxy_allowlist: raw.0.value.proxy_allowlist.as_ref().map(|l| hosts(file, l)),
            });
        }
        if let Some(raw) = &doc.deployment
            && let Some((span, org)) =
                seen.section(b, file, raw, "deployment", &raw.0.value.org, names)
        {
            out.deployments
                .push(deployment(b, file, &raw.0.value, span, org));
        }
        if let Some(raw) = &doc.observability
            && let Some((span, org)) =
                seen.section(b, file, raw, "observability", &raw.0.value.org, names)
        {
            out.observability
                .push(observability(b, file, &raw.0.value, span, org));
        }
        if let Some(raw) = &doc.desktop
            && let Some((_, org)) = seen.section(b, file, raw, "desktop", &raw.0.value.org, names)
        {
            out.desktop
                .push(super::desktop::desktop(b, file, &raw.0.value, org));
        }
        if let Some(raw) = &doc.team
            && let Some((span, org)) = seen.section(b, file, raw, "team", &raw.0.value.org, names)
        {
            out.teams.push(team(b, file, &raw.0.value, span, org));
        }
        if let Some(raw) = &doc.launch
            && let Some((span, org)) = seen.section(b, file, raw, "launch", &raw.0.value.org, names)
        {
            out.launches
                .push(launch(b, file, &raw.0.value, span, org, names));
        }
        if let Some(raw) = &doc.platform {
            let span = span(file, &raw.0);
            match out.platform.span {
                Some(first) => b.errors.push(LoadError::Duplicate {
                    kind: "platform section",
                    name: "platform".into(),
                    location: b.sources.locate(span),
                    first: b.sources.locate(first),
                }),
                None => out.platform = platform(b, file, &raw.0.value, span),
            }
        }
    }
    out
}

/// Mask every inline secret of every document in the sources, before anything else: an entity
/// that is later refused (a duplicate) must not show its secret in the error either.
pub(super) fn redact_secrets(b: &mut Builder, docs: &[(FileId, &Document)]) {
    fn redact(b: &mut Builder, file: FileId, value: &S<String>) {
        if crate::model::Secret::classify(&value.0.value) != crate::model::Secret::Reference {
            b.sources.redact(span(file, &value.0));
        }
    }
    for &(file, doc) in docs {
        for idp in &doc.identity_providers {
            let idp = &idp.0.value;
            for value in [&idp.scim_token, &idp.client_secret].into_iter().flatten() {
                redact(b, file, value);
            }
        }
        for connector in &doc.connectors {
            if let Some(value) = &connector.0.value.client_secret {
                redact(b, file, value);
            }
        }
        if let Some(d) = &doc.desktop {
            super::desktop::redact(b, file, d);
        }
        if let Some(o) = &doc.observability {
            for header in &o.0.value.headers {
                if crate::model::rollout::is_credential_header(&header.0.value.name.0.value) {
                    redact(b, file, &header.0.value.value);
                }
            }
            if let Some(endpoint) = &o.0.value.otel_endpoint {
                let credentials = Endpoint::parse(&endpoint.0.value).map(|e| e.credentials);
                // A URL with inline credentials, or one too malformed to tell: masked whole.
                if !matches!(
                    credentials,
                    Some(None | Some(crate::model::Secret::Reference))
                ) {
                    b.sources.redact(span(file, &endpoint.0));
                }
            }
        }
    }
}

/// Which per-org sections have been seen, to refuse a second one for the same org.
#[derive(Default)]
struct Seen(HashMap<(&'static str, Option<OrgId>), Span>);

impl Seen {
    /// Record a per-org section. Returns its span and org, or `None` when its org is unknown
    /// (an IDP003 finding) or it repeats another (a load error).
    fn section<T>(
        &mut self,
        b: &mut Builder,
        file: FileId,
        raw: &S<T>,
        key: &'static str,
        org: &Option<S<String>>,
        names: &Names<'_>,
    ) -> Option<(Span, Option<OrgId>)> {
        let at = span(file, &raw.0);
        let org = match org {
            Some(o) => {
                let from = format!("`{key}` section");
                Some(OrgId(names.orgs.resolve(b, &string(file, o), &from)?))
            }
            None => None,
        };
        let entity_name = org.map_or_else(String::new, |o| names.orgs.order[o.index()].clone());
        b.entity_at(
            at,
            if entity_name.is_empty() {
                Kind::Section(key).key().to_string()
            } else {
                format!("{key}/{entity_name}")
            },
        );
        if let Some(&first) = self.0.get(&(key, org)) {
            b.errors.push(LoadError::Duplicate {
                kind: match org {
                    Some(_) => section_for_org(key),
                    None => "section",
                },
                name: match org {
                    Some(_) => entity_name,
                    None => key.to_string(),
                },
                location: b.sources.locate(at),
                first: b.sources.locate(first),
            });
            return None;
        }
        self.0.insert((key, org), at);
        Some((at, org))
    }
}

/// The kind in a duplicate error for a section of one org: "duplicate `security` section for
/// org `acme`".
fn section_for_org(key: &'static str) -> &'static str {
    match key {
        "pluginMarketplace" => "`pluginMarketplace` section for org",
        "security" => "`security` section for org",
        "network" => "`network` section for org",
        "deployment" => "`deployment` section for org",
        "observability" => "`observability` section for org",
        "desktop" => "`desktop` section for org",
        "team" => "`team` section for org",
        "launch" => "`launch` section for org",
        _ => "section for org",
    }
}

fn strings(file: FileId, list: &S<Vec<S<String>>>) -> List<String> {
    At::new(
        list.0.value.iter().map(|s| string(file, s)).collect(),
        span(file, &list.0),
    )
}

/// Host names and domains, lowercased.
fn hosts(file: FileId, list: &S<Vec<S<String>>>) -> List<String> {
    At::new(
        list.0
            .value
            .iter()
            .map(|s| at(file, s, |h| h.trim().to_ascii_lowercase()))
            .collect(),
        span(file, &list.0),
    )
}

/// People named by email, interned as users.
fn people(b: &mut Builder, file: FileId, list: &[S<String>]) -> Vec<At<UserId>> {
    list.iter()
        .filter_map(|p| {
            let at = span(file, &p.0);
            b.user(&p.0.value, at, None).map(|u| At::new(u, at))
        })
        .collect()
}

fn date(b: &mut Builder, file: FileId, value: &S<String>) -> Option<At<Date>> {
    let text = string(file, value);
    match Date::parse(&text.value) {
        Some(d) => Some(At::new(d, text.span)),
        None => {
            b.errors.push(LoadError::Invalid {
                location: b.sources.locate(text.span),
                message: format!("`{}` is not a date: expected `YYYY-MM-DD`", text.value),
                help: None,
            });
            None
        }
    }
}

fn version(b: &mut Builder, file: FileId, value: &S<String>) -> Option<At<Version>> {
    let text = string(file, value);
    match Version::parse(&text.value) {
        Some(v) => Some(At::new(v, text.span)),
        None => {
            b.errors.push(LoadError::Invalid {
                location: b.sources.locate(text.span),
                message: format!(
                    "`{}` is not a version: expected numbers separated by dots, such as `1.1.4173`",
                    text.value
                ),
                help: None,
            });
            None
        }
    }
}

fn connector_refs(
    b: &mut Builder,
    file: FileId,
    list: &[S<String>],
    names: &Names<'_>,
    from: &str,
) -> Vec<At<ConnectorId>> {
    list.iter()
        .filter_map(|c| {
            let c = string(file, c);
            names
                .connectors
                .resolve(b, &c, from)
                .map(|id| At::new(ConnectorId(id), c.span))
        })
        .collect()
}

fn connector(
    b: &mut Builder,
    file: FileId,
    raw: &raw::RawConnector,
    name: At<String>,
    names: &Names<'_>,
) -> Connector {
    let from = format!("connector `{}`", name.value);
    let org = b.owner_org(file, &raw.org, names.orgs, &name, &from);
    let groups = raw
        .groups
        .iter()
        .filter_map(|g| {
            let g = string(file, g);
            names
                .groups
                .resolve(b, &g, &from)
                .map(|id| At::new(GroupId(id), g.span))
        })
        .collect();
    let owner = raw.owner.as_ref().and_then(|o| {
        let at = span(file, &o.0);
        b.user(&o.0.value, at, None).map(|u| At::new(u, at))
    });
    Connector {
        org,
        state: opt(file, &raw.state, |s| match s {
            raw::RawConnectorState::Planned => ConnectorState::Planned,
            raw::RawConnectorState::Configured => ConnectorState::Configured,
            raw::RawConnectorState::Live => ConnectorState::Live,
        }),
        user_oauth: opt(file, &raw.user_oauth, |o| *o),
        owner,
        groups,
        client_secret: raw.client_secret.as_ref().map(|s| b.secret(file, s)),
        name,
    }
}

fn plugin(
    b: &mut Builder,
    file: FileId,
    raw: &raw::RawPlugin,
    name: At<String>,
    names: &Names<'_>,
) -> Plugin {
    let from = format!("plugin `{}`", name.value);
    Plugin {
        org: b.owner_org(file, &raw.org, names.orgs, &name, &from),
        pre_approved: opt(file, &raw.pre_approved, |p| *p),
        distribution: opt(file, &raw.distribution, distribution),
        connectors: connector_refs(b, file, &raw.connectors, names, &from),
        name,
    }
}

fn distribution(raw: &raw::RawDistribution) -> Distribution {
    match raw {
        raw::RawDistribution::Required => Distribution::Required,
        raw::RawDistribution::Available => Distribution::Available,
        raw::RawDistribution::Hidden => Distribution::Hidden,
    }
}

fn deployment(
    b: &mut Builder,
    file: FileId,
    raw: &raw::RawDeployment,
    span: Span,
    org: Option<OrgId>,
) -> Deployment {
    Deployment {
        span,
        org,
        method: opt(file, &raw.method, |m| match m {
            raw::RawDeployMethod::Mdm => DeployMethod::Mdm,
            raw::RawDeployMethod::SelfInstall => DeployMethod::SelfInstall,
        }),
        windows_installer: opt(file, &raw.windows_installer, |w| match w {
            raw::RawWindowsInstaller::Msix => WindowsInstaller::Msix,
            raw::RawWindowsInstaller::Exe => WindowsInstaller::Exe,
        }),
        platforms: raw
            .platforms
            .iter()
            .map(|p| {
                at(file, p, |p| match p {
                    raw::RawPlatformKind::Macos => TargetPlatform::Macos,
                    raw::RawPlatformKind::Windows => TargetPlatform::Windows,
                    raw::RawPlatformKind::Linux => TargetPlatform::Linux,
                    raw::RawPlatformKind::Web => TargetPlatform::Web,
                    raw::RawPlatformKind::Ios => TargetPlatform::Ios,
                    raw::RawPlatformKind::Android => TargetPlatform::Android,
                })
            })
            .collect(),
        desktop_version: raw
            .desktop_version
            .as_ref()
            .and_then(|v| version(b, file, v)),
        min_os_versions: raw.min_os_versions.as_ref().map(|m| {
            let value = &m.0.value;
            At::new(
                MinOsVersions {
                    macos: value.macos.as_ref().and_then(|v| version(b, file, v)),
                    windows: value.windows.as_ref().and_then(|v| version(b, file, v)),
                },
                super::span(file, &m.0),
            )
        }),
        state: opt(file, &raw.state, |s| match s {
            raw::RawDeployState::Planned => DeployState::Planned,
            raw::RawDeployState::InProgress => DeployState::InProgress,
            raw::RawDeployState::Deployed => DeployState::Deployed,
        }),
        verified: raw.verified.as_ref().map(|v| {
            at(file, v, |v| Verified {
                vm_image_download: opt(file, &v.vm_image_download, |x| *x),
                app_launch: opt(file, &v.app_launch, |x| *x),
                sso_sign_in: opt(file, &v.sso_sign_in, |x| *x),
            })
        }),
    }
}

fn observability(
    b: &mut Builder,
    file: FileId,
    raw: &raw::RawObservability,
    span: Span,
    org: Option<OrgId>,
) -> Observability {
    let otel_endpoint = raw.otel_endpoint.as_ref().and_then(|e| {
        let text = string(file, e);
        match Endpoint::parse(&text.value) {
            Some(endpoint) => {
                if endpoint
                    .credentials
                    .is_some_and(|c| c != crate::model::Secret::Reference)
                {
                    b.sources.redact(text.span);
                }
                Some(At::new(endpoint, text.span))
            }
            None => {
                // The text is not quoted back, and `redact_secrets` masked it: a malformed URL
                // may still hold credentials.
                b.errors.push(LoadError::Invalid {
                    location: b.sources.locate(text.span),
                    message: "the OTEL endpoint is not a URL: expected `https://host[:port][/path]`"
                        .into(),
                    help: Some("credentials belong in `headers`, as a reference such as `Bearer ${OTEL_TOKEN}`".into()),
                });
                None
            }
        }
    });
    let headers = raw
        .headers
        .iter()
        .map(|h| {
            let name = string(file, &h.0.value.name);
            let secret = crate::model::rollout::is_credential_header(&name.value)
                .then(|| b.secret(file, &h.0.value.value));
            let value = secret
                .is_none_or(|s| s.value == crate::model::Secret::Reference)
                .then(|| h.0.value.value.0.value.clone());
            Header {
                name,
                secret,
                value,
            }
        })
        .collect();
    Observability {
        span,
        org,
        otel_endpoint,
        protocol: opt(file, &raw.protocol, |p| match p {
            raw::RawOtelProtocol::HttpProtobuf => OtelProtocol::HttpProtobuf,
            raw::RawOtelProtocol::HttpJson => OtelProtocol::HttpJson,
            raw::RawOtelProtocol::Grpc => OtelProtocol::Grpc,
        }),
        sandbox_tested: opt(file, &raw.sandbox_tested, |t| *t),
        headers,
    }
}

fn team(b: &mut Builder, file: FileId, raw: &raw::RawTeam, span: Span, org: Option<OrgId>) -> Team {
    Team {
        span,
        org,
        primary_owners: people(b, file, &raw.primary_owners),
        dns_admins: people(b, file, &raw.dns_admins),
        idp_admins: people(b, file, &raw.idp_admins),
        mdm_admins: people(b, file, &raw.mdm_admins),
        champions: raw
            .champions
            .iter()
            .map(|c| Champions {
                department: string(file, &c.0.value.department),
                people: people(b, file, &c.0.value.people),
            })
            .collect(),
        champions_channel: raw
            .champions_channel
            .as_ref()
            .map(|c| string(file, c))
            .filter(|c| !c.value.trim().is_empty()),
    }
}

fn launch(
    b: &mut Builder,
    file: FileId,
    raw: &raw::RawLaunch,
    span: Span,
    org: Option<OrgId>,
    names: &Names<'_>,
) -> Launch {
    let communications = raw
        .communications
        .iter()
        .map(|c| {
            let c = &c.0.value;
            let kind = at(file, &c.kind, |k| match k {
                raw::RawCommKind::LeadershipMessage => CommKind::LeadershipMessage,
                raw::RawCommKind::TrainingSchedule => CommKind::TrainingSchedule,
                raw::RawCommKind::InstallInstructions => CommKind::InstallInstructions,
                raw::RawCommKind::OnboardingGuide => CommKind::OnboardingGuide,
                raw::RawCommKind::SupportChannel => CommKind::SupportChannel,
                raw::RawCommKind::OfficeHours => CommKind::OfficeHours,
                raw::RawCommKind::OauthDirections => CommKind::OauthDirections,
                raw::RawCommKind::UsageUpdate => CommKind::UsageUpdate,
                raw::RawCommKind::Other => CommKind::Other,
            });
            Communication {
                kind,
                date: c.date.as_ref().and_then(|d| date(b, file, d)),
                connectors: connector_refs(b, file, &c.connectors, names, "a launch communication"),
            }
        })
        .collect();
    Launch {
        span,
        org,
        date: raw.date.as_ref().and_then(|d| date(b, file, d)),
        pilot_departments: raw
            .pilot_departments
            .iter()
            .map(|d| string(file, d))
            .collect(),
        communications,
        checklist: raw.checklist.as_ref().map(|c| {
            at(file, c, |c| Checklist {
                end_to_end_task: opt(file, &c.end_to_end_task, |x| *x),
                otel_dashboards_live: opt(file, &c.otel_dashboards_live, |x| *x),
                marketplace_seeded: opt(file, &c.marketplace_seeded, |x| *x),
                support_channel_live: opt(file, &c.support_channel_live, |x| *x),
            })
        }),
        success_metrics: raw
            .success_metrics
            .iter()
            .map(|m| Metric {
                question: at(file, &m.0.value.question, |q| match q {
                    raw::RawMetricQuestion::Adoption => MetricQuestion::Adoption,
                    raw::RawMetricQuestion::Depth => MetricQuestion::Depth,
                    raw::RawMetricQuestion::Value => MetricQuestion::Value,
                }),
            })
            .collect(),
    }
}

fn platform(b: &mut Builder, file: FileId, raw: &raw::RawPlatform, span: Span) -> Overrides {
    let profile = raw.profile.as_ref().and_then(|p| {
        let text = string(file, p);
        let all = Profile::all();
        match all.iter().find(|known| known.name() == text.value) {
            Some(known) => Some(known.name()),
            None => {
                let names: Vec<&str> = all.iter().map(Profile::name).collect();
                b.errors.push(LoadError::Invalid {
                    location: b.sources.locate(text.span),
                    message: format!("`{}` is not a platform profile", text.value),
                    help: Some(
                        match crate::suggest::did_you_mean(&text.value, names.iter().copied()) {
                            Some(hint) => format!("did you mean `{hint}`?"),
                            None => format!(
                                "expected one of {}",
                                crate::diagnostic::list_names(&names, 5)
                            ),
                        },
                    ),
                });
                None
            }
        }
    });
    let list = |l: &Option<S<Vec<S<String>>>>| {
        l.as_ref().map(|l| {
            l.0.value
                .iter()
                .map(|s| s.0.value.trim().to_ascii_lowercase())
                .collect()
        })
    };
    Overrides {
        span: Some(span),
        profile,
        group_limit: raw.group_limit.as_ref().map(|g| g.0.value),
        scim_plans: raw.scim_plans.as_ref().map(|l| {
            l.0.value
                .iter()
                .map(|p| match p.0.value {
                    raw::RawPlan::Free => Plan::Free,
                    raw::RawPlan::Pro => Plan::Pro,
                    raw::RawPlan::Max => Plan::Max,
                    raw::RawPlan::Team => Plan::Team,
                    raw::RawPlan::Enterprise => Plan::Enterprise,
                })
                .collect()
        }),
        roles_scope_connectors: raw.roles_scope_connectors.as_ref().map(|r| r.0.value),
        nested_groups_sync: raw.nested_groups_sync.as_ref().map(|l| {
            l.0.value
                .iter()
                .map(|k| match k.0.value {
                    raw::RawIdpKind::Okta => IdpKind::Okta,
                    raw::RawIdpKind::EntraId => IdpKind::EntraId,
                    raw::RawIdpKind::GoogleWorkspace => IdpKind::GoogleWorkspace,
                    raw::RawIdpKind::Other => IdpKind::Other,
                })
                .collect()
        }),
        limit_resolution: raw.limit_resolution.as_ref().map(|l| match l.0.value {
            raw::RawLimitResolution::Min => LimitResolution::Min,
            raw::RawLimitResolution::Max => LimitResolution::Max,
        }),
        zero_limit_blocks: raw.zero_limit_blocks.as_ref().map(|z| z.0.value),
        otel_min_desktop_version: raw
            .otel_min_desktop_version
            .as_ref()
            .and_then(|v| version(b, file, v))
            .map(|v| v.value),
        required_domains: list(&raw.required_domains),
        checked_on: raw.checked_on.as_ref().and_then(|d| date(b, file, d)),
    }
}
