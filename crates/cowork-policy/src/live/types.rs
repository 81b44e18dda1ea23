//! The live org as plain data: what a snapshot holds once read, or what an admin bot builds from
//! its own API client. Every type has public fields, `Default` and a constructor taking what it
//! cannot do without.

use super::manifest::{Manifest, Status};

/// Everything a snapshot holds, read from its files ([`Snapshot::read_dir`],
/// [`Snapshot::from_files`]) or built field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshot {
    /// When, from where, and what each endpoint answered.
    pub manifest: Manifest,
    /// The organization's members (`users`), with their role.
    pub members: Vec<Member>,
    /// Invites, whatever their status (`invites`).
    pub invites: Vec<Invite>,
    /// RBAC groups (`rbac_groups`), each with its members (`rbac_group_members`).
    pub groups: Vec<Group>,
    /// Custom roles (`rbac_roles`), each with its permissions (`rbac_role_permissions`).
    pub roles: Vec<Role>,
    /// The configured spend limits, at every scope (`spend_limits`).
    pub spend_limits: Vec<SpendLimit>,
    /// Each member's effective spend limit per period, and where it comes from
    /// (`effective_spend_limits`).
    pub effective_limits: Vec<EffectiveLimit>,
    /// The organizations the Compliance API sees (`compliance_organizations`), each with its
    /// effective settings (`compliance_settings`) and users (`compliance_users`).
    pub organizations: Vec<Organization>,
    /// Groups as the Compliance API lists them (`compliance_groups`), without members.
    pub compliance_groups: Vec<Group>,
}

impl Snapshot {
    /// An empty snapshot whose manifest is `manifest`.
    pub fn new(manifest: Manifest) -> Snapshot {
        Snapshot {
            manifest,
            ..Snapshot::default()
        }
    }

    /// Whether every record of the endpoint `name` answered (and there is at least one), so
    /// that what it lists is the whole truth: an empty list then means none, not unknown.
    pub fn answered(&self, name: &str) -> bool {
        let mut records = self
            .manifest
            .endpoints
            .iter()
            .filter(|record| record.name == name)
            .peekable();
        records.peek().is_some() && records.all(|record| record.status == Status::Answered)
    }

    /// The member with this id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|member| member.id == id)
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|group| group.id == id)
    }

    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|role| role.id == id)
    }
}

/// A member of the organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// The member's id (`user_...`).
    pub id: String,
    /// Their email, as the API gives it.
    pub email: String,
    /// Their name, when given.
    pub name: Option<String>,
    /// Their organization role: in a Claude Enterprise organization `user`, `managed` (custom
    /// roles), `owner`, `membership_admin` or `primary_owner`; kept as the API wrote it.
    pub role: String,
    /// When they joined (RFC 3339), when given.
    pub added_at: Option<String>,
}

impl Member {
    /// A member with this id, email and role.
    pub fn new(id: impl Into<String>, email: impl Into<String>, role: impl Into<String>) -> Member {
        Member {
            id: id.into(),
            email: email.into(),
            role: role.into(),
            ..Member::default()
        }
    }
}

/// An invite to the organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invite {
    /// The invite's id (`invite_...`).
    pub id: String,
    /// The invited email.
    pub email: String,
    /// The role it gives.
    pub role: String,
    /// `pending`, `accepted`, `expired` or `deleted`, as the API wrote it.
    pub status: String,
    /// When it expires (RFC 3339), when given.
    pub expires_at: Option<String>,
    /// When it was sent (RFC 3339), when given.
    pub invited_at: Option<String>,
    /// The RBAC groups it assigns on acceptance (Claude Enterprise), when given.
    pub group_ids: Vec<String>,
}

impl Invite {
    /// An invite with this id, email, role and status.
    pub fn new(
        id: impl Into<String>,
        email: impl Into<String>,
        role: impl Into<String>,
        status: impl Into<String>,
    ) -> Invite {
        Invite {
            id: id.into(),
            email: email.into(),
            role: role.into(),
            status: status.into(),
            ..Invite::default()
        }
    }

    /// Whether it is still waiting for an answer (and so takes a seat).
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }
}

/// How a group came to be.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupSource {
    /// Created in Claude (`direct`).
    #[default]
    Direct,
    /// Provisioned by the identity provider (`scim`).
    Scim,
    /// A value this version does not know, as the API wrote it.
    Other(String),
}

impl GroupSource {
    /// The source as the API writes it.
    pub fn as_str(&self) -> &str {
        match self {
            GroupSource::Direct => "direct",
            GroupSource::Scim => "scim",
            GroupSource::Other(other) => other,
        }
    }

    pub(crate) fn parse(text: &str) -> GroupSource {
        match text {
            "direct" => GroupSource::Direct,
            "scim" => GroupSource::Scim,
            other => GroupSource::Other(other.to_string()),
        }
    }
}

/// An RBAC group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Group {
    /// The group's id (`rbac_group_...`).
    pub id: String,
    /// Its name (not unique in the API).
    pub name: String,
    /// Whether it was created in Claude or by SCIM.
    pub source: GroupSource,
    /// The roles attached to it; `None` when the API said the role data was unavailable.
    pub role_ids: Option<Vec<String>>,
    /// Its members; `None` when they were not read.
    pub members: Option<Vec<GroupMember>>,
}

impl Group {
    /// A group with this id, name and source, with no role and members not read.
    pub fn new(id: impl Into<String>, name: impl Into<String>, source: GroupSource) -> Group {
        Group {
            id: id.into(),
            name: name.into(),
            source,
            ..Group::default()
        }
    }
}

/// A member of an RBAC group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupMember {
    /// The member's id (`user_...`).
    pub user_id: String,
    /// Their email, when given.
    pub email: Option<String>,
}

impl GroupMember {
    /// A group member with this id and email.
    pub fn new(user_id: impl Into<String>, email: Option<String>) -> GroupMember {
        GroupMember {
            user_id: user_id.into(),
            email,
        }
    }
}

/// A custom (RBAC) role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Role {
    /// The role's id (`rbac_role_...`).
    pub id: String,
    /// Its name (`display_name`, else `name`).
    pub name: String,
    /// What it grants; `None` when its permissions were not read.
    pub permissions: Option<Vec<Permission>>,
}

impl Role {
    /// A role with this id and name, its permissions not read.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Role {
        Role {
            id: id.into(),
            name: name.into(),
            permissions: None,
        }
    }
}

/// One permission a role grants: an action on a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Permission {
    /// The action: on the organization a product feature (`chat`), an admin permission
    /// (`permission_*`) or a blanket mode (`capability_access_all`); on connectors `use`,
    /// `always_allow`, `grant`, `interactive` or `managed`.
    pub action: String,
    /// What it applies to.
    pub resource: Resource,
}

impl Permission {
    /// A permission granting `action` on `resource`.
    pub fn new(action: impl Into<String>, resource: Resource) -> Permission {
        Permission {
            action: action.into(),
            resource,
        }
    }
}

/// What a permission applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resource {
    /// The organization (product features and admin permissions).
    Organization {
        /// The organization's UUID.
        organization_id: String,
    },
    /// One connector.
    Connector {
        /// The connector's id.
        connector_id: String,
    },
    /// One tool of a connector.
    ConnectorTool {
        /// The connector's id.
        connector_id: String,
        /// The tool's published name (or its server-encoded form).
        tool_name: String,
    },
    /// One OAuth scope of a connector.
    ConnectorScope {
        /// The connector's id.
        connector_id: String,
        /// The scope (or its server-encoded form).
        scope: String,
    },
    /// Every connector.
    AllConnectors,
    /// A kind of resource this version does not know, as the API named it.
    Other {
        /// The resource's `type`.
        kind: String,
    },
}

impl Default for Resource {
    fn default() -> Resource {
        Resource::Organization {
            organization_id: String::new(),
        }
    }
}

/// What a spend limit applies to, or where an effective limit comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// The organization's default.
    #[default]
    Organization,
    /// One member (a per-user override).
    User {
        /// The member's id.
        user_id: String,
    },
    /// A seat tier.
    SeatTier {
        /// The tier, such as `enterprise_standard`.
        seat_tier: String,
    },
    /// An RBAC group: a per-member default for its members.
    RbacGroup {
        /// The group's id.
        rbac_group_id: String,
    },
    /// One service of the organization.
    OrganizationService {
        /// The service.
        service: String,
    },
    /// A scope this version does not know, as the API named it.
    Other {
        /// The scope's `type`.
        kind: String,
    },
}

impl Scope {
    /// The scope's type as the API writes it: `user`, `seat_tier`, `rbac_group`, ...
    pub fn kind(&self) -> &str {
        match self {
            Scope::Organization => "organization",
            Scope::User { .. } => "user",
            Scope::SeatTier { .. } => "seat_tier",
            Scope::RbacGroup { .. } => "rbac_group",
            Scope::OrganizationService { .. } => "organization_service",
            Scope::Other { kind } => kind,
        }
    }
}

/// A configured spend limit: a cap for one scope and period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpendLimit {
    /// The limit's id (`spl_...`).
    pub id: String,
    /// What it applies to.
    pub scope: Scope,
    /// The cap in minor units of `currency` (cents for USD); `None` when no numeric cap is
    /// configured at this scope.
    pub amount: Option<u64>,
    /// The ISO 4217 currency, when given.
    pub currency: Option<String>,
    /// `monthly` (the only period Claude Enterprise supports), `weekly` or `daily`.
    pub period: String,
    /// `false` when usage credits are off for the organization; `None` when not given.
    pub is_enabled: Option<bool>,
}

impl SpendLimit {
    /// A monthly limit with this id, scope and amount.
    pub fn new(id: impl Into<String>, scope: Scope, amount: Option<u64>) -> SpendLimit {
        SpendLimit {
            id: id.into(),
            scope,
            amount,
            period: "monthly".to_string(),
            ..SpendLimit::default()
        }
    }
}

/// A member's effective spend limit for one period, and where it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EffectiveLimit {
    /// The member's id.
    pub user_id: String,
    /// The member's email, when the API gives it.
    pub email: Option<String>,
    /// The limit in minor units (cents for USD): `None` means unlimited, `Some(0)` nothing
    /// beyond the plan's included usage.
    pub amount: Option<u64>,
    /// The ISO 4217 currency, when given.
    pub currency: Option<String>,
    /// The period it applies to (`monthly`).
    pub period: String,
    /// The scope the limit was resolved from: `user`, `seat_tier`, `rbac_group` or
    /// `organization`.
    pub source: Scope,
    /// The configured limit it comes from, when there is one.
    pub spend_limit_id: Option<String>,
    /// Spend since the period began, in minor units, as the API wrote it (it may have a
    /// fractional part, and reads `0` when unavailable).
    pub period_to_date_spend: Option<String>,
}

impl EffectiveLimit {
    /// A monthly effective limit for this member, of this amount, from this source.
    pub fn new(user_id: impl Into<String>, amount: Option<u64>, source: Scope) -> EffectiveLimit {
        EffectiveLimit {
            user_id: user_id.into(),
            amount,
            source,
            period: "monthly".to_string(),
            ..EffectiveLimit::default()
        }
    }
}

/// An organization the Compliance API sees (the parent and its linked organizations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Organization {
    /// Its UUID.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its effective settings; `None` when they were not read.
    pub settings: Option<Vec<Setting>>,
    /// Its users with their organization role; `None` when they were not read.
    pub users: Option<Vec<Member>>,
}

impl Organization {
    /// An organization with this id and name, nothing else read.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            settings: None,
            users: None,
        }
    }

    /// The setting of this name (`sso_claude_ai_enforced`, `sso_provisioning_mode`, ...).
    pub fn setting(&self, name: &str) -> Option<&SettingValue> {
        self.settings
            .as_ref()?
            .iter()
            .find(|setting| setting.name == name)
            .map(|setting| &setting.value)
    }
}

/// One effective organization setting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Setting {
    /// Its name, such as `sso_claude_ai_enforced`, `directory_sync_enabled`,
    /// `sso_provisioning_mode` or `code_execution_network_egress_enabled`.
    pub name: String,
    /// Its value in force.
    pub value: SettingValue,
}

impl Setting {
    /// A setting of this name and value.
    pub fn new(name: impl Into<String>, value: SettingValue) -> Setting {
        Setting {
            name: name.into(),
            value,
        }
    }
}

/// The value of a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingValue {
    /// A flag.
    Bool(bool),
    /// A whole number; `None` means no limit is in force.
    Integer(Option<i64>),
    /// A list of strings (allowed invite domains, IP ranges).
    StringList(Vec<String>),
    /// A word, such as the provisioning mode (`login_only`, `jit_permissive`, `jit_advanced`,
    /// `scim_permissive`, `scim_advanced`).
    Text(String),
    /// Any other value, as JSON text (the data retention periods).
    Other(String),
}

impl Default for SettingValue {
    fn default() -> SettingValue {
        SettingValue::Bool(false)
    }
}
