//! The live org: a snapshot of what the vendor's Admin and Compliance APIs answered, read as
//! plain data.
//!
//! `cowork-policy pull` writes a snapshot: a folder with a `manifest.json` (when, from where,
//! what each endpoint answered) and one JSON file per endpoint, every page as the API returned
//! it (`docs/snapshot-format.md`). This module reads it, without any network: [`Snapshot`] is
//! plain data, so an admin bot with its own API client can also build one field by field.
//! [`ENDPOINTS`] is the dated table of the endpoints, their documentation and the scopes they
//! need.
//!
//! ```
//! use cowork_policy::live::{EffectiveLimit, Member, Scope, Snapshot};
//!
//! // Built by hand, as an admin bot would from its own client...
//! let mut built = Snapshot::default();
//! built.members.push(Member::new("user_01", "ana@acme.com", "managed"));
//! let mut limit = EffectiveLimit::new(
//!     "user_01",
//!     Some(50_000), // minor units: 500.00 USD; `None` means unlimited
//!     Scope::RbacGroup { rbac_group_id: "rbac_group_01".into() },
//! );
//! limit.currency = Some("USD".into());
//! built.effective_limits.push(limit);
//!
//! // ...or read from the files `pull` wrote.
//! let read = Snapshot::from_files([
//!     ("manifest.json", r#"{"format": "cowork-policy-snapshot/1",
//!       "pulled_at": "2026-12-06T10:30:00Z", "anthropic_version": "2023-06-01",
//!       "base_url": "https://api.anthropic.com", "endpoints": [
//!       {"name": "effective_spend_limits", "path": "/v1/organizations/spend_limits/effective",
//!        "file": "effective_spend_limits.json", "status": "answered", "pages": 1}]}"#),
//!     ("effective_spend_limits.json", r#"{"pages": [{"data": [{
//!       "scope": {"type": "user", "user_id": "user_01"},
//!       "amount": "50000", "currency": "USD", "period": "monthly",
//!       "source": {"type": "rbac_group", "rbac_group_id": "rbac_group_01"}}],
//!       "next_page": null}]}"#),
//! ])?;
//! assert_eq!(read.effective_limits, built.effective_limits);
//!
//! // A file of the wrong shape is an error at its line and column.
//! let error = Snapshot::from_files([
//!     ("manifest.json", r#"{"format": "cowork-policy-snapshot/1", "pulled_at": "",
//!       "anthropic_version": "", "base_url": "", "endpoints": [{"name": "users",
//!       "path": "/v1/organizations/users", "file": "users.json", "status": "answered"}]}"#),
//!     ("users.json", "{\"pages\": [{\"data\": [{\"id\": \"user_01\", \"role\": \"user\"}]}]}"),
//! ])
//! .unwrap_err();
//! assert_eq!(error.to_string(), "users.json:1:54: missing field `email`");
//! # Ok::<(), cowork_policy::live::ReadError>(())
//! ```

pub(crate) mod currency;
mod endpoints;
mod manifest;
mod read;
mod types;

pub use endpoints::{
    ANTHROPIC_VERSION, Api, CHECKED, ENDPOINTS, Endpoint, Paging, ROLE_ACTIONS, RoleAction,
    endpoint,
};
pub use manifest::{EndpointRecord, FORMAT, Manifest, Status};
pub use read::{MANIFEST, MAX_SNAPSHOT_FILE_BYTES, ReadError};
pub use types::{
    EffectiveLimit, Group, GroupMember, GroupSource, Invite, Member, Organization, Permission,
    Resource, Role, Scope, Setting, SettingValue, Snapshot, SpendLimit,
};
