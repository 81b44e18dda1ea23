//! Reading a snapshot: the manifest, then each answered endpoint's file, each into its own
//! serde mirror of the documented answer, then into the plain data of `types.rs`.
//!
//! Every file is read with `serde_json` straight into those mirrors, so a malformed file or an
//! answer of the wrong shape is an error at its line and column, saying what was expected; a
//! fact that serde cannot check in place (a page outside the `pages` list) is an error at the
//! file. Fields this version does not read are ignored: the API adds fields.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::manifest::{FORMAT, Manifest, Status};
use super::types::{
    EffectiveLimit, Group, GroupMember, GroupSource, Invite, Member, Organization, Permission,
    Resource, Role, Scope, Setting, SettingValue, Snapshot, SpendLimit,
};

/// The most bytes one file of a snapshot may hold: 512 MiB, room for an org of a few hundred
/// thousand members.
pub const MAX_SNAPSHOT_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The name of the manifest in a snapshot's folder.
pub const MANIFEST: &str = "manifest.json";

/// Why a snapshot could not be read: which file, where in it, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadError {
    /// The file, relative to the snapshot's folder: `manifest.json`, `users.json`.
    pub file: String,
    /// The line (from 1), when the error is at a place in the file.
    pub line: Option<usize>,
    /// The column (from 1), when the error is at a place in the file.
    pub column: Option<usize>,
    /// What is wrong, in words: `missing field \`email\``.
    pub message: String,
}

impl ReadError {
    fn at_file(file: &str, message: impl Into<String>) -> ReadError {
        ReadError {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn json(file: &str, error: &serde_json::Error) -> ReadError {
        let text = error.to_string();
        // serde_json ends its message with " at line L column C"; the location is kept apart.
        let message = match text.rfind(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        let (line, column) = match error.line() {
            0 => (None, None),
            line => (Some(line), Some(error.column().max(1))),
        };
        ReadError {
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ReadError {}

impl Snapshot {
    /// Read the snapshot in the folder `dir`: its `manifest.json`, then the file of every
    /// endpoint that answered. Each file is read only if it is a regular file inside `dir`
    /// (links followed) of at most [`MAX_SNAPSHOT_FILE_BYTES`].
    pub fn read_dir(dir: impl AsRef<Path>) -> Result<Snapshot, ReadError> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            crate::confined::read(dir, Path::new(name), MAX_SNAPSHOT_FILE_BYTES).map_err(
                |refused| ReadError::at_file(name, refused.reason("the snapshot's folder")),
            )
        };
        let manifest = parse_manifest(&read(MANIFEST)?)?;
        let mut files = HashMap::new();
        for record in &manifest.endpoints {
            if let (Status::Answered, Some(file)) = (record.status, &record.file)
                && !files.contains_key(file.as_str())
            {
                files.insert(file.clone(), read(file)?);
            }
        }
        assemble(manifest, &files)
    }

    /// Read a snapshot from its files' names and texts, as a folder would hold them: one
    /// named `manifest.json`, and one for each name its answered endpoints give.
    ///
    /// ```
    /// use cowork_policy::live::Snapshot;
    ///
    /// let snapshot = Snapshot::from_files([
    ///     ("manifest.json", r#"{"format": "cowork-policy-snapshot/1",
    ///       "pulled_at": "2026-12-06T10:30:00Z", "anthropic_version": "2023-06-01",
    ///       "base_url": "https://api.anthropic.com",
    ///       "endpoints": [{"name": "users", "path": "/v1/organizations/users",
    ///                      "file": "users.json", "status": "answered", "pages": 1}]}"#),
    ///     ("users.json", r#"{"pages": [{"data": [{"id": "user_01", "email": "ana@acme.com",
    ///       "role": "primary_owner"}], "has_more": false}]}"#),
    /// ])?;
    /// assert_eq!(snapshot.members[0].role, "primary_owner");
    /// assert!(snapshot.answered("users"));
    /// assert!(!snapshot.answered("invites"));
    /// # Ok::<(), cowork_policy::live::ReadError>(())
    /// ```
    pub fn from_files<N, T>(files: impl IntoIterator<Item = (N, T)>) -> Result<Snapshot, ReadError>
    where
        N: Into<String>,
        T: Into<String>,
    {
        let files: HashMap<String, String> = files
            .into_iter()
            .map(|(name, text)| (name.into(), text.into()))
            .collect();
        let manifest = files
            .get(MANIFEST)
            .ok_or_else(|| ReadError::at_file(MANIFEST, "no such file"))?;
        let manifest = parse_manifest(manifest)?;
        assemble(manifest, &files)
    }
}

fn parse_manifest(text: &str) -> Result<Manifest, ReadError> {
    let manifest: Manifest =
        serde_json::from_str(text).map_err(|e| ReadError::json(MANIFEST, &e))?;
    if manifest.format != FORMAT {
        return Err(ReadError::at_file(
            MANIFEST,
            format!(
                "expected `format` to be `{FORMAT}`, found `{}`",
                manifest.format
            ),
        ));
    }
    Ok(manifest)
}

/// The pages of one endpoint's file, each a list answer (`data`).
#[derive(Deserialize)]
struct Pages<T> {
    pages: Vec<T>,
}

#[derive(Deserialize)]
struct List<T> {
    data: Vec<T>,
}

fn pages<T: DeserializeOwned>(file: &str, text: &str) -> Result<Vec<T>, ReadError> {
    let pages: Pages<T> = serde_json::from_str(text).map_err(|e| ReadError::json(file, &e))?;
    Ok(pages.pages)
}

fn items<T: DeserializeOwned>(file: &str, text: &str) -> Result<Vec<T>, ReadError> {
    let pages: Vec<List<T>> = pages(file, text)?;
    Ok(pages.into_iter().flat_map(|page| page.data).collect())
}

/// Put the snapshot together from its manifest and files.
fn assemble(manifest: Manifest, files: &HashMap<String, String>) -> Result<Snapshot, ReadError> {
    let mut snapshot = Snapshot::new(Manifest::default());
    let mut group_members: HashMap<String, Vec<GroupMember>> = HashMap::new();
    let mut role_permissions: HashMap<String, Vec<Permission>> = HashMap::new();
    let mut settings: HashMap<String, Vec<Setting>> = HashMap::new();
    let mut users: HashMap<String, Vec<Member>> = HashMap::new();
    for record in &manifest.endpoints {
        if record.status != Status::Answered {
            continue;
        }
        let Some(file) = record.file.as_deref() else {
            return Err(ReadError::at_file(
                MANIFEST,
                format!(
                    "the endpoint `{}` answered but names no `file`",
                    record.name
                ),
            ));
        };
        let text = files
            .get(file)
            .ok_or_else(|| ReadError::at_file(file, "no such file"))?;
        let parent = || {
            record.parent.clone().ok_or_else(|| {
                ReadError::at_file(
                    MANIFEST,
                    format!(
                        "the endpoint `{}` is read per item but its record names no `parent`",
                        record.name
                    ),
                )
            })
        };
        match record.name.as_str() {
            "users" => snapshot.members.extend(
                items::<RawUser>(file, text)?
                    .into_iter()
                    .map(RawUser::into_member),
            ),
            "invites" => snapshot.invites.extend(
                items::<RawInvite>(file, text)?
                    .into_iter()
                    .map(RawInvite::into_invite),
            ),
            "rbac_groups" => snapshot.groups.extend(
                items::<RawGroup>(file, text)?
                    .into_iter()
                    .map(RawGroup::into_group),
            ),
            "compliance_groups" => snapshot.compliance_groups.extend(
                items::<RawGroup>(file, text)?
                    .into_iter()
                    .map(RawGroup::into_group),
            ),
            "rbac_group_members" => group_members.entry(parent()?).or_default().extend(
                items::<RawGroupMember>(file, text)?
                    .into_iter()
                    .map(|m| GroupMember::new(m.user_id, m.email)),
            ),
            "rbac_roles" => snapshot.roles.extend(
                items::<RawRole>(file, text)?
                    .into_iter()
                    .map(RawRole::into_role),
            ),
            "rbac_role_permissions" => role_permissions.entry(parent()?).or_default().extend(
                items::<RawPermission>(file, text)?
                    .into_iter()
                    .map(|p| Permission::new(p.action, p.resource.0)),
            ),
            "spend_limits" => snapshot.spend_limits.extend(
                items::<RawSpendLimit>(file, text)?
                    .into_iter()
                    .map(RawSpendLimit::into_limit),
            ),
            "effective_spend_limits" => snapshot.effective_limits.extend(
                items::<RawEffective>(file, text)?
                    .into_iter()
                    .map(RawEffective::into_limit),
            ),
            "compliance_organizations" => snapshot.organizations.extend(
                items::<RawOrganization>(file, text)?
                    .into_iter()
                    .map(|o| Organization::new(o.uuid, o.name)),
            ),
            "compliance_settings" => {
                let parent = parent()?;
                let list = settings.entry(parent).or_default();
                for page in pages::<RawSettings>(file, text)? {
                    list.extend(page.settings.into_iter().map(RawSetting::into_setting));
                }
            }
            "compliance_users" => users.entry(parent()?).or_default().extend(
                items::<RawComplianceUser>(file, text)?
                    .into_iter()
                    .map(RawComplianceUser::into_member),
            ),
            // An endpoint a later version reads: its file is there, this version skips it.
            _ => {}
        }
    }
    for group in &mut snapshot.groups {
        group.members = group_members.remove(&group.id);
    }
    for role in &mut snapshot.roles {
        role.permissions = role_permissions.remove(&role.id);
    }
    for organization in &mut snapshot.organizations {
        organization.settings = settings.remove(&organization.id);
        organization.users = users.remove(&organization.id);
    }
    snapshot.manifest = manifest;
    Ok(snapshot)
}

// The answers as documented (see `endpoints.rs` for each page); only the fields read.

#[derive(Deserialize)]
struct RawUser {
    id: String,
    email: String,
    #[serde(default)]
    name: Option<String>,
    role: String,
    #[serde(default)]
    added_at: Option<String>,
}

impl RawUser {
    fn into_member(self) -> Member {
        Member {
            id: self.id,
            email: self.email,
            name: self.name,
            role: self.role,
            added_at: self.added_at,
        }
    }
}

#[derive(Deserialize)]
struct RawInvite {
    id: String,
    email: String,
    role: String,
    status: String,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    invited_at: Option<String>,
    #[serde(default)]
    rbac_group_ids: Option<Vec<String>>,
}

impl RawInvite {
    fn into_invite(self) -> Invite {
        Invite {
            id: self.id,
            email: self.email,
            role: self.role,
            status: self.status,
            expires_at: self.expires_at,
            invited_at: self.invited_at,
            group_ids: self.rbac_group_ids.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize)]
struct RawGroup {
    id: String,
    name: String,
    source_type: String,
    // The Admin API's reference names the attached roles `role_ids`, its examples and the
    // Compliance API `roles`; `null` means the role data was unavailable.
    #[serde(default)]
    role_ids: Option<Vec<String>>,
    #[serde(default)]
    roles: Option<Vec<String>>,
}

impl RawGroup {
    fn into_group(self) -> Group {
        Group {
            id: self.id,
            name: self.name,
            source: GroupSource::parse(&self.source_type),
            role_ids: self.role_ids.or(self.roles),
            members: None,
        }
    }
}

#[derive(Deserialize)]
struct RawGroupMember {
    user_id: String,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Deserialize)]
struct RawRole {
    id: String,
    // The reference names it `display_name`, its example `name`.
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

impl RawRole {
    fn into_role(self) -> Role {
        Role::new(self.id, self.display_name.or(self.name).unwrap_or_default())
    }
}

#[derive(Deserialize)]
struct RawPermission {
    action: String,
    resource: ResourceDe,
}

#[derive(Deserialize)]
struct RawResource {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    organization_id: Option<String>,
    #[serde(default)]
    connector_id: Option<String>,
    #[serde(default)]
    tool_name: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

/// A [`Resource`], read through [`RawResource`] so that a missing identifier is an error at
/// its place in the file.
#[derive(Deserialize)]
#[serde(try_from = "RawResource")]
struct ResourceDe(Resource);

fn required(value: Option<String>, kind: &str, field: &str) -> Result<String, String> {
    value.ok_or_else(|| format!("a `{kind}` has no `{field}`"))
}

impl TryFrom<RawResource> for ResourceDe {
    type Error = String;
    fn try_from(raw: RawResource) -> Result<ResourceDe, String> {
        let kind = raw.kind.as_str();
        let connector = |raw: Option<String>| required(raw, kind, "connector_id");
        Ok(ResourceDe(match kind {
            "organization" => Resource::Organization {
                organization_id: required(raw.organization_id, kind, "organization_id")?,
            },
            "connector" => Resource::Connector {
                connector_id: connector(raw.connector_id)?,
            },
            "connector_tool" => Resource::ConnectorTool {
                connector_id: connector(raw.connector_id)?,
                tool_name: required(raw.tool_name, kind, "tool_name")?,
            },
            "connector_scope" => Resource::ConnectorScope {
                connector_id: connector(raw.connector_id)?,
                scope: required(raw.scope, kind, "scope")?,
            },
            "all_connectors" => Resource::AllConnectors,
            _ => Resource::Other { kind: raw.kind },
        }))
    }
}

#[derive(Deserialize)]
struct RawScope {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    seat_tier: Option<String>,
    #[serde(default)]
    rbac_group_id: Option<String>,
    #[serde(default)]
    service: Option<String>,
}

/// A [`Scope`], read through [`RawScope`] so that a missing identifier is an error at its
/// place in the file.
#[derive(Deserialize)]
#[serde(try_from = "RawScope")]
struct ScopeDe(Scope);

impl TryFrom<RawScope> for ScopeDe {
    type Error = String;
    fn try_from(raw: RawScope) -> Result<ScopeDe, String> {
        let kind = raw.kind.as_str();
        Ok(ScopeDe(match kind {
            "organization" => Scope::Organization,
            "user" => Scope::User {
                user_id: required(raw.user_id, kind, "user_id")?,
            },
            "seat_tier" => Scope::SeatTier {
                seat_tier: required(raw.seat_tier, kind, "seat_tier")?,
            },
            "rbac_group" => Scope::RbacGroup {
                rbac_group_id: required(raw.rbac_group_id, kind, "rbac_group_id")?,
            },
            "organization_service" => Scope::OrganizationService {
                service: required(raw.service, kind, "service")?,
            },
            _ => Scope::Other { kind: raw.kind },
        }))
    }
}

/// An amount in minor units, written as a string of digits (`"50000"`), or `null`.
fn minor_units<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text {
        None => Ok(None),
        Some(text) => match text.parse::<u64>() {
            Ok(amount) if text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(amount)),
            _ => Err(serde::de::Error::custom(format!(
                "expected an amount in minor units as a string of digits, such as \"50000\", found {:?}",
                text
            ))),
        },
    }
}

#[derive(Deserialize)]
struct RawSpendLimit {
    id: String,
    scope: ScopeDe,
    #[serde(default, deserialize_with = "minor_units")]
    amount: Option<u64>,
    #[serde(default)]
    currency: Option<String>,
    period: String,
    #[serde(default)]
    is_enabled: Option<bool>,
}

impl RawSpendLimit {
    fn into_limit(self) -> SpendLimit {
        SpendLimit {
            id: self.id,
            scope: self.scope.0,
            amount: self.amount,
            currency: self.currency,
            period: self.period,
            is_enabled: self.is_enabled,
        }
    }
}

#[derive(Deserialize)]
struct RawActor {
    #[serde(default)]
    email_address: Option<String>,
}

#[derive(Deserialize)]
struct RawEffective {
    scope: ScopeDe,
    #[serde(default)]
    actor: Option<RawActor>,
    #[serde(default, deserialize_with = "minor_units")]
    amount: Option<u64>,
    #[serde(default)]
    currency: Option<String>,
    period: String,
    source: ScopeDe,
    #[serde(default)]
    spend_limit_id: Option<String>,
    #[serde(default)]
    period_to_date_spend: Option<String>,
}

impl RawEffective {
    fn into_limit(self) -> EffectiveLimit {
        let user_id = match self.scope.0 {
            Scope::User { user_id } => user_id,
            // The effective report is per member: its scope is always a user.
            other => other.kind().to_string(),
        };
        EffectiveLimit {
            user_id,
            email: self.actor.and_then(|actor| actor.email_address),
            amount: self.amount,
            currency: self.currency,
            period: self.period,
            source: self.source.0,
            spend_limit_id: self.spend_limit_id,
            period_to_date_spend: self.period_to_date_spend,
        }
    }
}

#[derive(Deserialize)]
struct RawOrganization {
    uuid: String,
    name: String,
}

#[derive(Deserialize)]
struct RawSettings {
    settings: Vec<RawSetting>,
}

#[derive(Deserialize)]
struct RawSetting {
    #[serde(default)]
    name: Option<String>,
    value: serde_json::Value,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

impl RawSetting {
    fn into_setting(self) -> Setting {
        // The provisioning mode and the retention periods may leave their one name out.
        let name = match (self.name, self.kind.as_deref()) {
            (Some(name), _) => name,
            (None, Some("provisioning_mode")) => "sso_provisioning_mode".to_string(),
            (None, Some("data_retention")) => "data_retention_periods".to_string(),
            (None, kind) => kind.unwrap_or_default().to_string(),
        };
        let value = match self.value {
            serde_json::Value::Bool(flag) => SettingValue::Bool(flag),
            serde_json::Value::Null if self.kind.as_deref() == Some("integer") => {
                SettingValue::Integer(None)
            }
            serde_json::Value::Number(ref number) if number.as_i64().is_some() => {
                SettingValue::Integer(number.as_i64())
            }
            serde_json::Value::String(text) => SettingValue::Text(text),
            serde_json::Value::Array(ref list) if list.iter().all(|v| v.is_string()) => {
                SettingValue::StringList(
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                )
            }
            other => SettingValue::Other(other.to_string()),
        };
        Setting { name, value }
    }
}

#[derive(Deserialize)]
struct RawComplianceUser {
    id: String,
    email: String,
    #[serde(default)]
    full_name: Option<String>,
    organization_role: String,
    #[serde(default)]
    created_at: Option<String>,
}

impl RawComplianceUser {
    fn into_member(self) -> Member {
        Member {
            id: self.id,
            email: self.email,
            name: self.full_name,
            role: self.organization_role,
            added_at: self.created_at,
        }
    }
}
