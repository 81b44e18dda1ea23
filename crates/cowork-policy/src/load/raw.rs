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

impl<T: JsonSchema> JsonSchema for S<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

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
    /// Custom roles and the groups they are assigned to.
    #[serde(default)]
    pub roles: Vec<S<RawRole>>,
    /// Monthly spend limits per member and the groups they apply to.
    #[serde(default)]
    pub spend_limits: Vec<S<RawLimit>>,
    /// Where each rollout step stands, and custom steps with their prerequisites.
    #[serde(default)]
    pub steps: Vec<S<RawStep>>,
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
    /// Domains verified for this IdP.
    #[serde(default)]
    pub domains: Vec<S<String>>,
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
    pub members: Vec<S<String>>,
    /// Groups nested in this one, by name. Their members do not sync into this group.
    #[serde(default)]
    pub member_groups: Vec<S<String>>,
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
    /// `pending`, `in-progress`, `done` or `skipped`. Default: pending.
    pub status: Option<S<RawStepStatus>>,
    /// When it was done, or is planned: `YYYY-MM-DD`.
    pub date: Option<S<String>>,
    /// Steps this one needs first. Required (even if empty) for a custom step; on a built-in
    /// step it adds to the built-in prerequisites.
    pub after: Option<Vec<S<String>>>,
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
    /// Where a rollout step stands.
    RawStepStatus as "StepStatus" { Pending, InProgress, Done, Skipped }
);

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
                v.checked_mul(100)
                    .map(RawAmount::Cents)
                    .ok_or_else(|| E::custom(format!("amount `{v}` is too large")))
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
                let cents = (v * 100.0).round();
                if cents > 1e17 {
                    return Err(E::custom(format!("amount `{v}` is too large")));
                }
                if (cents - v * 100.0).abs() > 1e-6 {
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
