//! `manifest.json`: when the snapshot was pulled, from where, and what each endpoint answered.
//! `docs/snapshot-format.md` describes it field by field.

use serde::{Deserialize, Serialize};

/// The value of the manifest's `format` field this version reads and writes.
pub const FORMAT: &str = "cowork-policy-snapshot/1";

/// The manifest of a snapshot: `manifest.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// When the pull started, RFC 3339 in UTC: `2026-12-06T10:30:00Z`.
    pub pulled_at: String,
    /// The `anthropic-version` header every request sent.
    pub anthropic_version: String,
    /// The API's address the requests went to, such as `https://api.anthropic.com`.
    pub base_url: String,
    /// One record per endpoint read, in the order they were read; an endpoint read per item
    /// (the members of each group) has one record per item.
    pub endpoints: Vec<EndpointRecord>,
}

impl Manifest {
    /// A manifest of no endpoint yet, in the current format.
    pub fn new(
        pulled_at: impl Into<String>,
        anthropic_version: impl Into<String>,
        base_url: impl Into<String>,
    ) -> Manifest {
        Manifest {
            format: FORMAT.to_string(),
            pulled_at: pulled_at.into(),
            anthropic_version: anthropic_version.into(),
            base_url: base_url.into(),
            endpoints: Vec::new(),
        }
    }
}

/// What one endpoint answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EndpointRecord {
    /// The endpoint's name, from [`super::ENDPOINTS`]: `users`, `rbac_group_members`, ...
    pub name: String,
    /// The path requested, without the query: `/v1/organizations/rbac_groups/rbac_group_01/members`.
    pub path: String,
    /// For an endpoint read per item of another, the item's id (the group's, the role's, the
    /// organization's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The file holding its pages, relative to the snapshot's folder, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Whether it answered.
    pub status: Status,
    /// The HTTP status of an endpoint that did not answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// How many pages it answered.
    #[serde(default)]
    pub pages: usize,
}

impl EndpointRecord {
    /// The record of an endpoint that answered `pages` pages, kept in `file`.
    pub fn answered(
        name: impl Into<String>,
        path: impl Into<String>,
        file: impl Into<String>,
        pages: usize,
    ) -> EndpointRecord {
        EndpointRecord {
            name: name.into(),
            path: path.into(),
            parent: None,
            file: Some(file.into()),
            status: Status::Answered,
            http_status: None,
            pages,
        }
    }

    /// The record of an endpoint that did not answer: `status` says why, `http_status` with
    /// which HTTP status.
    pub fn refused(
        name: impl Into<String>,
        path: impl Into<String>,
        status: Status,
        http_status: Option<u16>,
    ) -> EndpointRecord {
        EndpointRecord {
            name: name.into(),
            path: path.into(),
            parent: None,
            file: None,
            status,
            http_status,
            pages: 0,
        }
    }

    /// The same record, for the item `parent` of the endpoint it is read per item of.
    pub fn with_parent(mut self, parent: impl Into<String>) -> EndpointRecord {
        self.parent = Some(parent.into());
        self
    }
}

/// Whether an endpoint answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// It answered every page (2xx).
    #[default]
    Answered,
    /// The key lacks the scope it needs (403).
    NotPermitted,
    /// It answered another error (404 on an organization without the feature, 400, ...).
    HttpError,
    /// It was not asked, because the endpoint it is read per item of did not answer.
    Skipped,
}

impl Status {
    /// The status as the manifest writes it: `answered`, `not_permitted`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Answered => "answered",
            Status::NotPermitted => "not_permitted",
            Status::HttpError => "http_error",
            Status::Skipped => "skipped",
        }
    }
}
