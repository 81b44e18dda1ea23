//! The policy format as written: serde types that mirror the YAML one to one, with a span on
//! every value a finding or an error may point at. Their doc comments are the JSON Schema's
//! descriptions, so they are written for the admin editing the YAML.
//!
//! Every document has top-level sections rather than a `kind` field: serde-saphyr loses spans
//! inside internally tagged and untagged enums, and sections let one file hold any mix.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_saphyr::Spanned;

/// The only format version this build reads.
pub(crate) const API_VERSION: &str = "cowork-policy/v1";

/// A value with the place it was written. Transparent in YAML and in the schema.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub(crate) struct S<T>(pub Spanned<T>);

crate::schema::transparent_json_schema!(S);

/// One YAML document of a cowork-policy repo. A file may hold several documents (`---`), and a
/// repo may spread its entities over as many files as it likes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "cowork-policy document")]
pub(crate) struct Document {
    /// The format version. Always `cowork-policy/v1` for this release.
    #[schemars(extend("const" = "cowork-policy/v1"))]
    pub api_version: S<String>,
    /// Claude orgs: the only one, or a parent and its children.
    #[serde(default)]
    pub orgs: Vec<S<RawOrg>>,
    /// Identity providers that sign users in (SSO) and provision them (SCIM).
    #[serde(default)]
    pub identity_providers: Vec<S<RawIdp>>,
    /// IdP groups as Claude sees them.
    #[serde(default)]
    pub groups: Vec<S<RawGroup>>,
    /// Groups read from the identity provider's own exports (SCIM, Microsoft Graph, Okta,
    /// Google Directory, GAM), checked exactly like groups written here.
    #[serde(default)]
    pub directory_exports: Vec<S<RawDirectoryExport>>,
    /// Custom roles and the groups they are assigned to.
    #[serde(default)]
    pub roles: Vec<S<RawRole>>,
    /// Monthly spend limits per member and the groups they apply to.
    #[serde(default)]
    pub spend_limits: Vec<S<RawLimit>>,
    /// Where each rollout step stands, and custom steps with their prerequisites.
    #[serde(default)]
    pub steps: Vec<S<RawStep>>,
    /// Data sources Cowork reaches through connectors (Slack, Google Workspace, M365, ...).
    #[serde(default)]
    pub connectors: Vec<S<RawConnector>>,
    /// Plugins offered to users, from Anthropic or from the private marketplace.
    #[serde(default)]
    pub plugins: Vec<S<RawPlugin>>,
    /// The private plugin marketplace and its distribution policy.
    pub plugin_marketplace: Option<S<RawMarketplace>>,
    /// Cowork's security controls: network egress, mounts, desktop extensions.
    pub security: Option<S<RawSecurity>>,
    /// Network and fleet prerequisites: what the proxy or firewall lets through.
    pub network: Option<S<RawNetwork>>,
    /// How the desktop app reaches users' machines, and what was verified after.
    pub deployment: Option<S<RawDeployment>>,
    /// Where Cowork's OpenTelemetry data goes.
    pub observability: Option<S<RawObservability>>,
    /// Managed settings of the desktop app the policy sets directly (updates, telemetry,
    /// banner, ...), compiled by `cowork-policy managed-settings`.
    pub desktop: Option<S<RawDesktop>>,
    /// Who runs the rollout.
    pub team: Option<S<RawTeam>>,
    /// The launch: date, pilot departments, communications, checklist and success metrics.
    pub launch: Option<S<RawLaunch>>,
    /// Which facts about the platform to check against: a named profile and overrides.
    pub platform: Option<S<RawPlatform>>,
}

/// A Claude org.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Org")]
pub(crate) struct RawOrg {
    /// Unique among orgs.
    pub name: S<String>,
    /// The Claude plan. Cowork needs a paid plan.
    pub plan: Option<S<RawPlan>>,
    /// `single` (one org with RBAC and groups), `parent-child` or `multi-parent`. Set on the
    /// parent; children name their parent with `parent`.
    pub architecture: Option<S<RawArchitecture>>,
    /// `seats` or `consumption`. Seats gate SCIM provisioning either way.
    pub billing: Option<S<RawBilling>>,
    /// How many seats this org has.
    pub seats: Option<S<u64>>,
    /// Whether Cowork is turned on in this org's settings. No role can grant Cowork while it is
    /// off. Default: false.
    pub cowork_enabled: Option<S<bool>>,
    /// How far RBAC has got: `off`, `configured`, `tested` or `enforced` (migrated to enforcement).
    /// Default: off.
    pub rbac: Option<S<RawRbacState>>,
    /// The monthly spend limit of members whose groups set none: a number in the billing currency
    /// (`150`, `19.99`) or `unlimited`.
    pub default_spend_limit: Option<S<RawAmount>>,
    /// The identity provider this org signs users in with.
    pub identity_provider: Option<S<String>>,
    /// For a child org: the name of its parent org.
    pub parent: Option<S<String>>,
    /// How users get into the org: `invite-only`, `jit` (just in time, at first SSO sign-in) or
    /// `scim`. With `invite-only` or `jit`, only groups created in Claude can carry roles.
    pub provisioning: Option<S<RawProvisioning>>,
    /// Whether usage credits are turned on. Spend limits need them.
    pub usage_credits: Option<S<bool>>,
    /// Whether Skills are turned on. Plugins need both Cowork and Skills.
    pub skills_enabled: Option<S<bool>>,
    /// Whether the Analytics API is turned on (Enterprise plan only).
    pub analytics_api: Option<S<bool>>,
    /// Whether units of the organisation need their data isolated from each other, which a
    /// single org cannot give.
    pub data_isolation: Option<S<bool>>,
    /// Email domains verified for this org by DNS TXT record. Verification belongs to the
    /// parent org; one domain can be verified by only one parent.
    #[serde(default)]
    pub verified_domains: Vec<S<String>>,
}

/// An identity provider.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "IdentityProvider")]
pub(crate) struct RawIdp {
    /// Unique among identity providers.
    pub name: S<String>,
    /// Which product.
    pub kind: Option<S<RawIdpKind>>,
    /// `saml` or `oidc`.
    #[expect(
        dead_code,
        reason = "accepted and schema-documented now; read once a rule needs it"
    )]
    pub protocol: Option<S<RawProtocol>>,
    /// How far SSO has got: `planned`, `configured`, `tested` or `enforced` ("Require SSO").
    pub sso: Option<S<RawSsoState>>,
    /// Whether SCIM provisioning is on.
    pub scim: Option<S<bool>>,
    /// The email domains this IdP signs users in for. Each must be verified on the org
    /// (`verifiedDomains`), and all of an org's domains must sit on one IdP.
    #[serde(default)]
    pub domains: Vec<S<String>>,
    /// The IdP attribute SSO takes the user's email from, such as `user.email` or `upn`.
    pub sso_email_attribute: Option<S<String>>,
    /// The IdP attribute SCIM takes the user's email from. Must match SSO's: email is the key
    /// that joins a sign-in to a provisioned seat.
    pub scim_email_attribute: Option<S<String>>,
    /// The SCIM bearer token: a reference such as `${SCIM_TOKEN}` or `secret:vault/scim`,
    /// never the token itself.
    pub scim_token: Option<S<String>>,
    /// The OIDC client secret: a reference, never the secret itself.
    pub client_secret: Option<S<String>>,
}

/// An IdP group. Only direct members sync: nested groups are listed separately so that
/// cowork-policy can say who they leave out.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Group")]
pub(crate) struct RawGroup {
    /// Unique among groups.
    pub name: S<String>,
    /// The org this group belongs to. May be left out when the policy has exactly one org.
    pub org: Option<S<String>>,
    /// The identity provider the group lives in. Default: its org's.
    pub idp: Option<S<String>>,
    /// Whether SCIM syncs this group (and provisions its members into seats).
    pub scim: Option<S<bool>>,
    /// Direct members, by email.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub members: Vec<S<String>>,
    /// Groups nested in this one, by name. Their members do not sync into this group.
    #[serde(default)]
    pub member_groups: Vec<S<String>>,
}

/// An export of the identity provider's groups, and how its groups map to Claude.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "DirectoryExport")]
pub(crate) struct RawDirectoryExport {
    /// The identity provider the groups live in (a name under `identityProviders`).
    pub idp: S<String>,
    /// How the export was made: `scim`, `msgraph`, `okta`, `google` or `gam`.
    pub format: S<RawExportFormat>,
    /// The export's files: paths or glob patterns (`exports/entra/*.json`), relative to the
    /// folder of this policy file.
    pub files: Vec<S<String>>,
    /// The org the groups belong to. May be left out when the policy has exactly one org.
    pub org: Option<S<String>>,
    /// The groups assigned to the Claude app, by name or id: SCIM syncs them (and provisions
    /// their members into seats). The other groups of the export are known but not synced.
    #[serde(default)]
    pub assigned: Vec<S<String>>,
    /// The user attribute that is the email SSO and SCIM use (`userPrincipalName` or `mail` in
    /// Entra, `login` or `email` in Okta, `userName` or `emails` in SCIM). Default: the
    /// format's usual one (`docs/idp/`).
    pub email_attribute: Option<S<String>>,
    /// Which wins when a group is both written under `groups` and in this export: `export` or
    /// `policy`. Without it, such a group is an error that shows both places.
    pub prefer: Option<S<RawPrefer>>,
}

/// A custom role. Roles are additive: a user gets the union of the roles of all their groups.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Role")]
pub(crate) struct RawRole {
    /// Unique among roles.
    pub name: S<String>,
    /// What the role grants.
    #[serde(default)]
    pub entitlements: Vec<S<RawEntitlement>>,
    /// What the role's author means its groups not to have. Roles cannot deny, so this records
    /// the intent for cowork-policy to check against the other roles the same users get.
    #[serde(default)]
    pub withholds: Vec<S<RawEntitlement>>,
    /// The groups the role is assigned to, by name. RBAC takes groups, never individual users.
    #[serde(default)]
    pub groups: Vec<S<String>>,
}

/// A spend limit: an amount per member per month, on some groups.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "SpendLimit")]
pub(crate) struct RawLimit {
    /// Unique among spend limits.
    pub name: S<String>,
    /// Per member per month, in the billing currency (`150`, `19.99`), or `unlimited`. `0` is
    /// zero, not unlimited.
    pub amount: S<RawAmount>,
    /// The groups it applies to. A user in several limited groups gets the lowest limit.
    #[serde(default)]
    pub groups: Vec<S<String>>,
}

/// A rollout step: one of the built-in steps (by its name) or a custom one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Step")]
pub(crate) struct RawStep {
    /// A built-in step (`planning`, `sso-configured`, `idp-groups`, `rbac-roles-configured`,
    /// `rbac-tested`, `sso-enforced`, `connectors-live`, `plugins-approved`, `security-controls`,
    /// `observability-live`, `desktop-deployed`, `deployment-verified`, `prelaunch-checklist`,
    /// `pilot-launch`, `rbac-enforced`) or a custom step's name.
    pub name: S<String>,
    /// The org this entry is for, where orgs roll out on their own schedule (a regional child
    /// org launching later). Left out, the entry applies to every org without its own entry of
    /// the same step.
    pub org: Option<S<String>>,
    /// `pending`, `in-progress`, `done` or `skipped`. Default: pending.
    pub status: Option<S<RawStepStatus>>,
    /// When it was done, or is planned: `YYYY-MM-DD`.
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<S<String>>,
    /// Steps this one needs first. Required (even if empty) for a custom step; on a built-in
    /// step it adds to the built-in prerequisites.
    pub after: Option<Vec<S<String>>>,
}

/// A connector to a data source. Connectors have two gates: an admin enables the connector
/// org-wide (gate 1), then each user links their own account by OAuth (gate 2).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Connector")]
pub(crate) struct RawConnector {
    /// Unique among connectors.
    pub name: S<String>,
    /// The org it is enabled in. May be left out when the policy has exactly one org.
    pub org: Option<S<String>>,
    /// `planned`, `configured` (enabled org-wide by an admin: gate 1) or `live` (enabled and
    /// announced to users). Default: planned.
    pub state: Option<S<RawConnectorState>>,
    /// Whether each user must link their own account by OAuth (gate 2). Default: true.
    #[serde(rename = "userOAuth")]
    #[schemars(rename = "userOAuth")]
    pub user_oauth: Option<S<bool>>,
    /// Who owns this data source in the rollout team, by email.
    #[schemars(with = "Option<RawEmail>")]
    pub owner: Option<S<String>>,
    /// Groups the connector is meant for. There is no per-group connector control: an enabled
    /// connector is available to everyone in the org.
    #[serde(default)]
    pub groups: Vec<S<String>>,
    /// The OAuth client secret, if the connector needs one: a reference such as
    /// `${SLACK_CLIENT_SECRET}` or `secret:vault/slack`, never the secret itself.
    pub client_secret: Option<S<String>>,
}

/// A plugin offered to Cowork users.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Plugin")]
pub(crate) struct RawPlugin {
    /// Unique among plugins.
    pub name: S<String>,
    /// The org it is offered in. May be left out when the policy has exactly one org.
    pub org: Option<S<String>>,
    /// Where it comes from: `anthropic`, `internal` or `third-party`.
    #[expect(
        dead_code,
        reason = "recorded for reviewers of the policy; no rule depends on a plugin's source"
    )]
    pub source: Option<S<RawPluginSource>>,
    /// Whether an admin has reviewed and pre-approved it. Default: false.
    pub pre_approved: Option<S<bool>>,
    /// `required` (installed for everyone), `available` (users may install it) or `hidden`.
    /// Default: the marketplace's `distributionPolicy`.
    pub distribution: Option<S<RawDistribution>>,
    /// Connectors the plugin needs, by name.
    #[serde(default)]
    pub connectors: Vec<S<String>>,
}

/// The org's private plugin marketplace.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "PluginMarketplace")]
pub(crate) struct RawMarketplace {
    /// The org it belongs to. Left out: every org without a marketplace of its own.
    pub org: Option<S<String>>,
    /// Whether a private marketplace is used. Default: true.
    pub private: Option<S<bool>>,
    /// How plugins reach users unless a plugin says otherwise: `required`, `available` or
    /// `hidden`.
    pub distribution_policy: Option<S<RawDistribution>>,
}

/// Cowork's security controls, set in the admin console.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Security")]
pub(crate) struct RawSecurity {
    /// The org they belong to. Left out: every org without security controls of its own.
    pub org: Option<S<String>>,
    /// Hosts Cowork's VM may reach. `*.corp.com` matches one subdomain level and not `corp.com`
    /// itself; `*` allows everything. Left out: no allowlist.
    pub egress_allowlist: Option<S<Vec<S<String>>>>,
    /// Folders users may mount into Cowork. Left out: no mount controls.
    pub mount_allowlist: Option<S<Vec<S<String>>>>,
    /// Desktop extensions users may install, by id. Left out: no allowlist.
    pub extension_allowlist: Option<S<Vec<S<String>>>>,
}

/// Network and fleet prerequisites.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Network")]
pub(crate) struct RawNetwork {
    /// The org it applies to. Left out: every org without a network section of its own.
    pub org: Option<S<String>>,
    /// Domains the corporate proxy or firewall lets through. Left out: traffic is not
    /// filtered. The platform profile lists the domains Cowork needs.
    pub proxy_allowlist: Option<S<Vec<S<String>>>>,
}

/// How the desktop app is deployed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Deployment")]
pub(crate) struct RawDeployment {
    /// The org it applies to. Left out: every org without a deployment of its own.
    pub org: Option<S<String>>,
    /// `mdm` (pushed centrally) or `self-install`.
    pub method: Option<S<RawDeployMethod>>,
    /// The Windows installer: `msix` or `exe`.
    pub windows_installer: Option<S<RawWindowsInstaller>>,
    /// Target platforms: `macos`, `windows` (Cowork needs the desktop app on one of these),
    /// `linux`, `web`, `ios`, `android`.
    #[serde(default)]
    pub platforms: Vec<S<RawPlatformKind>>,
    /// The desktop app version being deployed, such as `1.1.4200`.
    pub desktop_version: Option<S<String>>,
    /// The oldest operating system version the fleet runs, per platform, checked against the
    /// desktop app's minimum OS versions: `macos: "14.0"`, `windows: "10.0.19045"`.
    pub min_os_versions: Option<S<RawMinOsVersions>>,
    /// `planned`, `in-progress` or `deployed`. Default: planned.
    pub state: Option<S<RawDeployState>>,
    /// What was checked after deployment.
    pub verified: Option<S<RawVerified>>,
}

/// The oldest operating system version of the fleet, per desktop platform.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "MinOsVersions")]
pub(crate) struct RawMinOsVersions {
    /// The oldest macOS version on the fleet's Macs, such as `"14.0"`.
    pub macos: Option<S<String>>,
    /// The oldest Windows version on the fleet's PCs, such as `"10.0.19045"`.
    pub windows: Option<S<String>>,
}

/// Post-deployment checks from the rollout guide.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "DeploymentChecks")]
pub(crate) struct RawVerified {
    /// The VM image downloads.
    pub vm_image_download: Option<S<bool>>,
    /// The app launches.
    pub app_launch: Option<S<bool>>,
    /// The user authenticates via SSO.
    pub sso_sign_in: Option<S<bool>>,
}

/// Cowork's OpenTelemetry export.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Observability")]
pub(crate) struct RawObservability {
    /// The org it applies to. Left out: every org without observability of its own.
    pub org: Option<S<String>>,
    /// The OTLP collector URL, such as `https://otel.acme.com:4318`.
    pub otel_endpoint: Option<S<String>>,
    /// `http/protobuf`, `http/json` or `grpc`.
    pub protocol: Option<S<RawOtelProtocol>>,
    /// Where the data ends up: the SIEM or observability platform.
    #[expect(
        dead_code,
        reason = "recorded for reviewers of the policy; no rule depends on the destination"
    )]
    pub destination: Option<S<String>>,
    /// Whether the export was tried in a sandbox org first.
    pub sandbox_tested: Option<S<bool>>,
    /// Headers sent with every export, such as `Authorization`. Credentials must be references
    /// (`Bearer ${OTEL_TOKEN}`, `secret:vault/otel`), never the secret itself.
    #[serde(default)]
    pub headers: Vec<S<RawHeader>>,
}

/// A `desktop:` section: `org`, and any key of the desktop app's managed-settings reference
/// that no other section decides, with a value of the key's type.
#[derive(Debug)]
pub(crate) struct RawDesktop {
    /// The org it applies to. Left out: every org without a desktop section of its own.
    pub org: Option<S<String>>,
    /// Claude Code's `managed-settings.json` that the same MDM ships, relative to this file:
    /// `check` reads and checks it.
    pub claude_code_settings: Option<S<String>>,
    /// The settings, in the order written: each key, and its value as YAML gave it.
    pub settings: Vec<(S<String>, S<serde_json::Value>)>,
}

impl<'de> Deserialize<'de> for RawDesktop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DesktopVisitor;

        impl<'de> Visitor<'de> for DesktopVisitor {
            type Value = RawDesktop;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of desktop managed-settings keys to values")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<RawDesktop, A::Error> {
                let mut out = RawDesktop {
                    org: None,
                    claude_code_settings: None,
                    settings: Vec::new(),
                };
                while let Some(key) = map.next_key::<S<String>>()? {
                    if key.0.value == "org" {
                        out.org = Some(map.next_value()?);
                    } else if key.0.value == "claudeCodeSettings" {
                        out.claude_code_settings = Some(map.next_value()?);
                    } else {
                        out.settings.push((key, map.next_value()?));
                    }
                }
                Ok(out)
            }
        }

        deserializer.deserialize_map(DesktopVisitor)
    }
}

impl JsonSchema for RawDesktop {
    fn schema_name() -> Cow<'static, str> {
        "Desktop".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        use crate::desktop::keys::{Constraint, Kind, keys};
        let mut properties = serde_json::Map::new();
        properties.insert(
            "org".into(),
            serde_json::json!({
                "description": "The org it applies to. Left out: every org without a desktop section of its own.",
                "type": "string"
            }),
        );
        properties.insert(
            "claudeCodeSettings".into(),
            serde_json::json!({
                "description": "Claude Code's `managed-settings.json` that the same MDM ships, relative to this file: `check` reads and checks it.",
                "type": "string"
            }),
        );
        let owned = crate::desktop::settings::OWNED;
        for key in keys()
            .iter()
            .filter(|k| !owned.iter().any(|(o, _)| *o == k.name))
        {
            let mut schema = match key.kind {
                Kind::Bool => serde_json::json!({ "type": "boolean" }),
                Kind::Integer => serde_json::json!({ "type": "integer" }),
                Kind::String => serde_json::json!({ "type": "string" }),
                Kind::StringList => {
                    serde_json::json!({ "type": "array", "items": { "type": "string" } })
                }
                Kind::Object => serde_json::json!({ "type": "object" }),
                Kind::ObjectList => {
                    serde_json::json!({ "type": "array", "items": { "type": ["object", "string"] } })
                }
            };
            match key.constraint {
                Constraint::Range { min, max } => {
                    schema["minimum"] = min.into();
                    schema["maximum"] = max.into();
                }
                Constraint::OneOf(values) => schema["enum"] = values.into(),
                Constraint::ItemsOneOf(values) => schema["items"]["enum"] = values.into(),
                Constraint::ValuesOneOf(values) => {
                    schema["additionalProperties"] = serde_json::json!({ "enum": values });
                }
                Constraint::HttpsUrl => schema["pattern"] = "^(https://.*)?$".into(),
                Constraint::Banner => {
                    schema["properties"] = serde_json::json!({
                        "enabled": { "type": "boolean" },
                        "text": { "type": "string", "maxLength": 200 },
                        "backgroundColor": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}$" },
                        "textColor": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}$" },
                        "linkUrl": { "type": "string", "pattern": "^https://" }
                    });
                }
                _ => {}
            }
            let default = key
                .default
                .map_or_else(String::new, |d| format!(" Default: {d}."));
            schema["description"] = format!("`{}`: {}.{default}", key.name, key.summary).into();
            if key.deprecated {
                schema["deprecated"] = true.into();
            }
            properties.insert(key.name.into(), schema);
        }
        json_schema!({
            "description": "Managed settings of the desktop app set directly: any key of the reference (`cowork-policy explain KEY`) that no other section decides, with a value of its type. `security:` and `observability:` decide the egress allowlist, workspace folders, extensions and the OTLP endpoint, protocol and headers.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false
        })
    }
}

/// One header of the OTEL export.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Header")]
pub(crate) struct RawHeader {
    /// The header name.
    pub name: S<String>,
    /// The value, or a reference to where it is kept.
    pub value: S<String>,
}

/// The rollout team.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Team")]
pub(crate) struct RawTeam {
    /// The org this team serves. Left out: every org without a team of its own.
    pub org: Option<S<String>>,
    /// The Primary Owner, by email: exactly one per org.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub primary_owners: Vec<S<String>>,
    /// Who can add DNS records to verify domains.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub dns_admins: Vec<S<String>>,
    /// Who administers the identity provider.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub idp_admins: Vec<S<String>>,
    /// Who pushes the desktop app by MDM.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub mdm_admins: Vec<S<String>>,
    /// Internal champions, 2 to 3 per pilot department.
    #[serde(default)]
    pub champions: Vec<S<RawChampions>>,
    /// The champions' dedicated communication channel, such as `#cowork-champions`.
    pub champions_channel: Option<S<String>>,
}

/// The champions of one department.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Champions")]
pub(crate) struct RawChampions {
    /// The department, as named in the launch plan's `pilotDepartments`.
    pub department: S<String>,
    /// The champions, by email.
    #[serde(default)]
    #[schemars(with = "Vec<RawEmail>")]
    pub people: Vec<S<String>>,
}

/// The launch plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Launch")]
pub(crate) struct RawLaunch {
    /// The org being launched. Left out: every org without a launch plan of its own.
    pub org: Option<S<String>>,
    /// Launch day for the pilot: `YYYY-MM-DD`.
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<S<String>>,
    /// The departments in the pilot.
    #[serde(default)]
    pub pilot_departments: Vec<S<String>>,
    /// Staged communications.
    #[serde(default)]
    pub communications: Vec<S<RawCommunication>>,
    /// The pre-launch checklist: each item true once confirmed.
    pub checklist: Option<S<RawChecklist>>,
    /// How success is measured.
    #[serde(default)]
    pub success_metrics: Vec<S<RawMetric>>,
}

/// One planned communication.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Communication")]
pub(crate) struct RawCommunication {
    /// `leadership-message`, `training-schedule`, `install-instructions`, `onboarding-guide`,
    /// `support-channel`, `office-hours`, `oauth-directions`, `usage-update` or `other`.
    pub kind: S<RawCommKind>,
    /// When it goes out: `YYYY-MM-DD`.
    #[schemars(with = "Option<RawDate>")]
    pub date: Option<S<String>>,
    /// For `oauth-directions`: the connectors whose OAuth steps it explains.
    #[serde(default)]
    pub connectors: Vec<S<String>>,
}

/// The rollout guide's pre-launch checklist.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Checklist")]
pub(crate) struct RawChecklist {
    /// One user has completed a real task end to end.
    pub end_to_end_task: Option<S<bool>>,
    /// OTEL dashboards are live and receiving data.
    pub otel_dashboards_live: Option<S<bool>>,
    /// The plugin marketplace is seeded (when one is used).
    pub marketplace_seeded: Option<S<bool>>,
    /// The support channel is live and escalation paths are documented.
    pub support_channel_live: Option<S<bool>>,
}

/// A success metric.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "SuccessMetric")]
pub(crate) struct RawMetric {
    /// What is measured, such as `activation rate`.
    #[expect(
        dead_code,
        reason = "names the metric for people; rules read only the question it answers"
    )]
    pub name: S<String>,
    /// Which question it answers: `adoption` (are people using it?), `depth` (how deeply?) or
    /// `value` (is it paying off?).
    pub question: S<RawMetricQuestion>,
}

/// The platform profile: dated facts about the platform that rules depend on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(rename = "Platform")]
pub(crate) struct RawPlatform {
    /// The base profile: `rollout-guide` (the default: the rollout guide's view) or
    /// `admin-docs-2026` (the vendor's admin documentation as published in 2026).
    pub profile: Option<S<String>>,
    /// How many groups one org may have.
    pub group_limit: Option<S<u64>>,
    /// Plans on which SCIM provisioning is available.
    pub scim_plans: Option<S<Vec<S<RawPlan>>>>,
    /// Whether custom roles can carry connector permissions (scoping a connector to groups).
    pub roles_scope_connectors: Option<S<bool>>,
    /// IdP kinds whose nested groups sync their members into the parent group.
    pub nested_groups_sync: Option<S<Vec<S<RawIdpKind>>>>,
    /// How a user's limit is chosen across their groups' limits: `min` or `max`.
    pub limit_resolution: Option<S<RawLimitResolution>>,
    /// Whether a limit of `0` leaves a user nothing to spend (`true`), or only nothing beyond
    /// the plan's included usage (`false`).
    pub zero_limit_blocks: Option<S<bool>>,
    /// The lowest desktop app version that exports OpenTelemetry, such as `1.1.4173`.
    pub otel_min_desktop_version: Option<S<String>>,
    /// Domains the proxy or firewall must let through for Cowork.
    pub required_domains: Option<S<Vec<S<String>>>>,
    /// The day (`YYYY-MM-DD`) this section's overrides were last checked against their
    /// sources. Older than the config's `max-age-days` (180 by default), they are reported.
    #[schemars(with = "Option<RawDate>")]
    pub checked_on: Option<S<String>>,
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident as $schema_name:literal { $($(#[$vmeta:meta])* $variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
        #[serde(rename_all = "kebab-case")]
        #[schemars(rename = $schema_name)]
        pub(crate) enum $name { $($(#[$vmeta])* $variant),* }
    };
}

keyword_enum!(
    /// A Claude plan.
    RawPlan as "Plan" { Free, Pro, Max, Team, Enterprise }
);
keyword_enum!(
    /// How the organisation is split into Claude orgs.
    RawArchitecture as "Architecture" { Single, ParentChild, MultiParent }
);
keyword_enum!(
    /// How the org pays.
    RawBilling as "Billing" { Seats, Consumption }
);
keyword_enum!(
    /// RBAC state.
    RawRbacState as "RbacState" { Off, Configured, Tested, Enforced }
);
keyword_enum!(
    /// SSO state.
    RawSsoState as "SsoState" { Planned, Configured, Tested, Enforced }
);
keyword_enum!(
    /// The identity provider product.
    RawIdpKind as "IdpKind" { Okta, EntraId, GoogleWorkspace, Other }
);
keyword_enum!(
    /// The sign-in protocol.
    RawProtocol as "Protocol" { Saml, Oidc }
);
keyword_enum!(
    /// An entitlement a custom role can grant.
    RawEntitlement as "Entitlement" { Cowork, Chat, ClaudeCode }
);
keyword_enum!(
    /// How users get into an org.
    RawProvisioning as "Provisioning" { InviteOnly, Jit, Scim }
);
keyword_enum!(
    /// How far a connector has got.
    RawConnectorState as "ConnectorState" { Planned, Configured, Live }
);
keyword_enum!(
    /// Where a plugin comes from.
    RawPluginSource as "PluginSource" { Anthropic, Internal, ThirdParty }
);
keyword_enum!(
    /// How a plugin reaches users.
    RawDistribution as "Distribution" { Required, Available, Hidden }
);
keyword_enum!(
    /// How the desktop app is deployed.
    RawDeployMethod as "DeployMethod" { Mdm, SelfInstall }
);
keyword_enum!(
    /// The Windows installer package.
    RawWindowsInstaller as "WindowsInstaller" { Msix, Exe }
);
keyword_enum!(
    /// A target platform.
    RawPlatformKind as "TargetPlatform" { Macos, Windows, Linux, Web, Ios, Android }
);
keyword_enum!(
    /// How far the desktop deployment has got.
    RawDeployState as "DeployState" { Planned, InProgress, Deployed }
);
keyword_enum!(
    /// What a launch communication is.
    RawCommKind as "CommunicationKind" {
        LeadershipMessage, TrainingSchedule, InstallInstructions, OnboardingGuide, SupportChannel,
        OfficeHours, OauthDirections, UsageUpdate, Other
    }
);
keyword_enum!(
    /// The three questions of the guide's success metrics.
    RawMetricQuestion as "MetricQuestion" { Adoption, Depth, Value }
);
keyword_enum!(
    /// How an identity provider's export was made.
    RawExportFormat as "ExportFormat" { Scim, Msgraph, Okta, Google, Gam }
);
keyword_enum!(
    /// Which wins when a group is both written and exported.
    RawPrefer as "Prefer" { Export, Policy }
);
keyword_enum!(
    /// How a user's limit is chosen across their groups.
    RawLimitResolution as "LimitResolution" { Min, Max }
);

/// An OTLP protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[schemars(rename = "OtelProtocol")]
pub(crate) enum RawOtelProtocol {
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
    #[serde(rename = "http/json")]
    HttpJson,
    #[serde(rename = "grpc")]
    Grpc,
}

keyword_enum!(
    /// Where a rollout step stands.
    RawStepStatus as "StepStatus" { Pending, InProgress, Done, Skipped }
);

/// The schema of a date field, which the loader reads as text: the calendar date it must be
/// (`format: date`, so an editor that checks formats flags `2026-02-30`), and a pattern for the
/// editors that do not (`2026-13-45`). Never deserialized: the fields stay `S<String>`.
pub(crate) struct RawDate;

impl JsonSchema for RawDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        crate::schema::date()
    }
}

/// The pattern of an email the loader accepts (`Builder::user` in `convert.rs`), surrounding
/// whitespace aside: no whitespace or second `@`, something before the `@`, and a domain with
/// a dot that neither starts nor ends it. Looser than `format: email` in some ways (`a..b@x.io`)
/// and stricter in others (`ana@localhost`), so the schema states the loader's rule instead.
pub(crate) const EMAIL_PATTERN: &str = r"^\s*[^\s@]+@[^\s@.][^\s@]*\.[^\s@]*[^\s@.]\s*$";

/// The schema of an email field, which the loader reads as text: [`EMAIL_PATTERN`].
pub(crate) struct RawEmail;

impl JsonSchema for RawEmail {
    fn schema_name() -> Cow<'static, str> {
        "Email".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An email address, such as `ana@acme.com`.",
            "type": "string",
            "pattern": EMAIL_PATTERN
        })
    }
}

/// A spend limit amount: a non-negative number with at most two decimals, or `unlimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawAmount {
    Cents(u64),
    Unlimited,
}

impl JsonSchema for RawAmount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Per member per month, in the billing currency, or `unlimited`.",
            "anyOf": [
                { "type": "number", "minimum": 0, "multipleOf": 0.01 },
                { "const": "unlimited" }
            ]
        })
    }
}

/// The largest amount accepted, in whole units: one trillion. A float holds every cent up to it
/// exactly, so an amount is never shown rounded; past it, one is refused.
const MAX_AMOUNT: u64 = 1_000_000_000_000;
const MAX_AMOUNT_SHOWN: &str = "1,000,000,000,000";

impl<'de> Deserialize<'de> for RawAmount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        const EXPECTED: &str = "an amount such as `150` or `19.99`, or `unlimited`";

        impl<'de> Visitor<'de> for AmountVisitor {
            type Value = RawAmount;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED)
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawAmount, E> {
                if v > MAX_AMOUNT {
                    return Err(E::custom(format!(
                        "amount `{v}` is too large: expected at most {MAX_AMOUNT_SHOWN}"
                    )));
                }
                Ok(RawAmount::Cents(v * 100))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawAmount, E> {
                match u64::try_from(v) {
                    Ok(v) => self.visit_u64(v),
                    Err(_) => Err(E::custom(format!(
                        "amount `{v}` is negative: expected {EXPECTED}"
                    ))),
                }
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawAmount, E> {
                if !v.is_finite() {
                    return Err(E::custom(format!(
                        "`{v}` is not an amount: expected {EXPECTED}"
                    )));
                }
                if v < 0.0 {
                    return Err(E::custom(format!(
                        "amount `{v}` is negative: expected {EXPECTED}"
                    )));
                }
                if v > MAX_AMOUNT as f64 {
                    return Err(E::custom(format!(
                        "amount `{v}` is too large: expected at most {MAX_AMOUNT_SHOWN}"
                    )));
                }
                let cents = (v * 100.0).round();
                // Up to the largest amount a float holds every cent exactly; what it rounds off
                // in `v * 100` grows with the amount, and stays far below a third decimal's 0.1.
                let tolerance = (v * 100.0 * f64::EPSILON * 2.0).max(1e-6);
                if (cents - v * 100.0).abs() > tolerance {
                    return Err(E::custom(format!(
                        "amount `{v}` has more than two decimals: expected whole cents, such as `19.99`"
                    )));
                }
                Ok(RawAmount::Cents(cents as u64))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawAmount, E> {
                if v == "unlimited" {
                    Ok(RawAmount::Unlimited)
                } else if v.trim().parse::<f64>().is_ok() {
                    Err(E::custom(format!(
                        "amount `{v}` is quoted text: expected a number without quotes, such as `150` or `19.99`"
                    )))
                } else {
                    Err(E::custom(format!(
                        "`{v}` is not an amount: expected {EXPECTED}"
                    )))
                }
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawAmount, E> {
                Err(E::custom(format!(
                    "`{v}` is not an amount: expected {EXPECTED}"
                )))
            }

            fn visit_unit<E: de::Error>(self) -> Result<RawAmount, E> {
                Err(E::custom(format!("expected {EXPECTED}, found nothing")))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<RawAmount, A::Error> {
                Err(de::Error::custom(format!(
                    "expected {EXPECTED}, found a list"
                )))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<RawAmount, A::Error> {
                Err(de::Error::custom(format!(
                    "expected {EXPECTED}, found a mapping"
                )))
            }
        }

        deserializer.deserialize_any(AmountVisitor)
    }
}
