//! The endpoints `cowork-policy pull` reads, as dated data: where each is documented, when that
//! page was last checked, how it pages and which scope the key needs for it.
//!
//! The vendor's API changes (several of these endpoints are in beta), so this table is the one
//! place their paths, headers and paging live; `docs/live.md` prints the same table.

use crate::model::Entitlement;

/// The `anthropic-version` header every request sends. The Admin API reference marks it
/// required ("Create an Admin API key", platform.claude.com/docs/en/api/admin, "List Users").
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// The day the table below was last checked against the vendor's documentation.
pub const CHECKED: &str = "2026-12-06";

/// Which of the vendor's APIs an endpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Api {
    /// The Admin API (user management, spend limits), under `/v1/organizations/`.
    Admin,
    /// The Compliance API, under `/v1/compliance/`.
    Compliance,
}

/// How an endpoint pages its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Paging {
    /// One answer, no paging.
    None,
    /// `limit` and `after_id`; the answer has `has_more` and `last_id`, the next page's
    /// `after_id` (members and invites).
    AfterId,
    /// `limit` and `page`; the answer has `next_page`, an opaque cursor, `null` (or
    /// `has_more: false`) on the last page (groups, roles, spend limits, the Compliance API).
    NextPage,
}

/// One documented read endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The name the snapshot's manifest gives it, such as `users`.
    pub name: &'static str,
    /// The path, with `{id}` where the id of an item of [`Endpoint::per`] goes.
    pub path: &'static str,
    /// Which API it belongs to.
    pub api: Api,
    /// How it pages.
    pub paging: Paging,
    /// The page size asked for (`limit`), the documented maximum, when it pages.
    pub limit: Option<u32>,
    /// The `anthropic-beta` header it needs, if any.
    pub beta: Option<&'static str>,
    /// The scope a Claude Enterprise key needs for it (a 403 names it).
    pub scope: &'static str,
    /// For an endpoint read once per item of another (the members of each group), the name of
    /// that other endpoint.
    pub per: Option<&'static str>,
    /// For an endpoint that others are read per item of, the field of each item of its `data`
    /// that identifies the item.
    pub item_id: Option<&'static str>,
    /// The documentation page it follows.
    pub source: &'static str,
}

const USER_MANAGEMENT: &str = "https://platform.claude.com/docs/en/manage-claude/user-management";
const SPEND_LIMITS: &str = "https://platform.claude.com/docs/en/manage-claude/spend-limits-api";
const COMPLIANCE_ORG: &str =
    "https://platform.claude.com/docs/en/manage-claude/compliance-org-data";
const USER_MANAGEMENT_BETA: &str = "ce-user-management-2026-07-13";

/// Every endpoint `pull` reads, in the order it reads them (an endpoint read per item comes
/// after the one it reads the items of). Checked on [`CHECKED`].
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        name: "users",
        path: "/v1/organizations/users",
        api: Api::Admin,
        paging: Paging::AfterId,
        limit: Some(1000),
        beta: None,
        scope: "read:members",
        per: None,
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/admin/users/list",
    },
    Endpoint {
        name: "invites",
        path: "/v1/organizations/invites",
        api: Api::Admin,
        paging: Paging::AfterId,
        limit: Some(1000),
        beta: None,
        scope: "read:members",
        per: None,
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/admin/invites/list",
    },
    Endpoint {
        name: "rbac_groups",
        path: "/v1/organizations/rbac_groups",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: Some(USER_MANAGEMENT_BETA),
        scope: "read:rbac_groups",
        per: None,
        item_id: Some("id"),
        source: USER_MANAGEMENT,
    },
    Endpoint {
        name: "rbac_group_members",
        path: "/v1/organizations/rbac_groups/{id}/members",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: Some(USER_MANAGEMENT_BETA),
        scope: "read:rbac_groups",
        per: Some("rbac_groups"),
        item_id: None,
        source: USER_MANAGEMENT,
    },
    Endpoint {
        name: "rbac_roles",
        path: "/v1/organizations/rbac_roles",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: Some(USER_MANAGEMENT_BETA),
        scope: "read:members",
        per: None,
        item_id: Some("id"),
        source: "https://platform.claude.com/docs/en/api/admin/rbac_roles/list",
    },
    Endpoint {
        name: "rbac_role_permissions",
        path: "/v1/organizations/rbac_roles/{id}/permissions",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: Some(USER_MANAGEMENT_BETA),
        scope: "read:members",
        per: Some("rbac_roles"),
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/admin/rbac_roles/permissions/list",
    },
    Endpoint {
        name: "spend_limits",
        path: "/v1/organizations/spend_limits",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: Some("spend-limit-reads-2026-09-26"),
        scope: "read:spend_limits",
        per: None,
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/beta/organization/spend_limits/list",
    },
    Endpoint {
        name: "effective_spend_limits",
        path: "/v1/organizations/spend_limits/effective",
        api: Api::Admin,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: None,
        scope: "read:spend_limits",
        per: None,
        item_id: None,
        source: SPEND_LIMITS,
    },
    Endpoint {
        name: "compliance_organizations",
        path: "/v1/compliance/organizations",
        api: Api::Compliance,
        paging: Paging::None,
        limit: None,
        beta: None,
        scope: "read:compliance_org_data",
        per: None,
        item_id: Some("uuid"),
        source: COMPLIANCE_ORG,
    },
    Endpoint {
        name: "compliance_settings",
        path: "/v1/compliance/organizations/{id}/settings",
        api: Api::Compliance,
        paging: Paging::None,
        limit: None,
        beta: None,
        scope: "read:compliance_org_data",
        per: Some("compliance_organizations"),
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/compliance/organizations/settings/retrieve",
    },
    Endpoint {
        name: "compliance_users",
        path: "/v1/compliance/organizations/{id}/users",
        api: Api::Compliance,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: None,
        scope: "read:compliance_user_data",
        per: Some("compliance_organizations"),
        item_id: None,
        source: COMPLIANCE_ORG,
    },
    Endpoint {
        name: "compliance_groups",
        path: "/v1/compliance/groups",
        api: Api::Compliance,
        paging: Paging::NextPage,
        limit: Some(1000),
        beta: None,
        scope: "read:compliance_org_data",
        per: None,
        item_id: None,
        source: "https://platform.claude.com/docs/en/api/compliance/groups",
    },
];

/// What one `organization` action of a role's permissions (`rbac_role_permissions`) grants,
/// in the policy's entitlements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoleAction {
    /// The action as the API writes it, such as `chat`.
    pub action: &'static str,
    /// The entitlements it grants.
    pub grants: &'static [Entitlement],
    /// Whether it also grants product features no page lists (a blanket grant of a subset),
    /// so that what it grants cannot be told.
    pub unlisted: bool,
    /// The documentation page that says so.
    pub source: &'static str,
}

/// The `organization` actions whose meaning is documented, checked on [`CHECKED`]. The RBAC
/// Roles reference names product features by example only: `chat` there, `claude_code` in the
/// Compliance API's example of the same permissions; `capability_access_all` is a blanket row
/// that "grants every product-feature entitlement". Cowork's own action is not here (no page
/// names it); `capability_access_all_ga` grants a "generally-available subset" no page lists. An action not here, other than the admin-panel `permission_*` ones,
/// may grant an entitlement whose action is not here: drift then says nothing of that
/// entitlement being missing.
pub const ROLE_ACTIONS: &[RoleAction] = &[
    RoleAction {
        action: "chat",
        grants: &[Entitlement::Chat],
        unlisted: false,
        source: "https://platform.claude.com/docs/en/api/admin/rbac_roles/permissions/list",
    },
    RoleAction {
        action: "claude_code",
        grants: &[Entitlement::ClaudeCode],
        unlisted: false,
        source: "https://platform.claude.com/docs/en/api/compliance/organizations/roles/permissions/list",
    },
    RoleAction {
        action: "capability_access_all",
        grants: &[
            Entitlement::Cowork,
            Entitlement::Chat,
            Entitlement::ClaudeCode,
        ],
        unlisted: false,
        source: "https://platform.claude.com/docs/en/api/admin/rbac_roles/permissions/list",
    },
    RoleAction {
        action: "capability_access_all_ga",
        grants: &[],
        unlisted: true,
        source: "https://platform.claude.com/docs/en/api/admin/rbac_roles/permissions/list",
    },
];

/// The endpoint of this name.
pub fn endpoint(name: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|endpoint| endpoint.name == name)
}

#[cfg(test)]
mod tests {
    use super::{ENDPOINTS, endpoint};

    #[test]
    fn an_endpoint_read_per_item_comes_after_the_one_it_reads_the_items_of() {
        for (i, e) in ENDPOINTS.iter().enumerate() {
            assert_eq!(endpoint(e.name).map(|f| f.path), Some(e.path));
            if let Some(per) = e.per {
                let at = ENDPOINTS.iter().position(|p| p.name == per).unwrap();
                assert!(at < i, "{}", e.name);
                assert!(e.path.contains("{id}"), "{}", e.name);
            } else {
                assert!(!e.path.contains("{id}"), "{}", e.name);
            }
        }
    }
}
