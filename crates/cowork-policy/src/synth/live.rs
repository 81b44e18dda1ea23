//! The synthetic org as the live org would answer for it: a snapshot folder, as
//! `cowork-policy pull` writes one (`docs/snapshot-format.md`), of the org the policy describes,
//! so that drift has the whole of it to compare and reports only what a synthetic org of that
//! size reports anyway (more live groups than the group limit).
//!
//! Every endpoint answers, paged as the API pages it (1,000 items a page, the documented
//! maximum): members, a few pending invites, each group with its source (`scim` or `direct`
//! as the policy's `scim`) and roles, each group's direct members, each role with permissions
//! for its entitlements, the configured limits (the org's default and each group's, in minor
//! units as strings, `null` for `unlimited`), each member's effective limit as the policy
//! computes it, and the Compliance API's one organization with its settings.

use serde_json::{Value, json};

use super::{PlannedGroup, PlannedLimit, PlannedRole};
use crate::live::{ANTHROPIC_VERSION, EndpointRecord, MANIFEST, Manifest};

/// Items a page, the documented maximum of `limit`.
const PAGE: usize = 1000;

/// The Compliance API's id of the synthetic org.
const ORG_ID: &str = "5e1f0c2a-7b4d-4c8e-9a61-3d2f8b9c0e17";

/// When the synthetic snapshot says it was pulled.
const PULLED_AT: &str = "2026-11-24T03:00:00Z";

/// The policy's org default in minor units (`defaultSpendLimit: 100` of `org_file`).
const DEFAULT_CENTS: u64 = 10_000;

fn user_id(i: usize) -> String {
    format!("user_{i:06}")
}

fn group_id(i: usize) -> String {
    format!("rbac_group_{i:05}")
}

fn role_id(i: usize) -> String {
    format!("rbac_role_{i:04}")
}

/// An amount of the plan in minor units: `None` for `unlimited`.
fn cents(amount: &str) -> Option<u64> {
    if amount == "unlimited" {
        return None;
    }
    let (units, fraction) = amount.split_once('.').unwrap_or((amount, "0"));
    let units: u64 = units.parse().unwrap_or(0);
    let fraction: u64 = format!("{fraction:0<2}")
        .get(..2)
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    Some(units * 100 + fraction)
}

/// An amount as the API writes it: minor units as a string, or `null`.
fn amount(cents: Option<u64>) -> Value {
    cents.map_or(Value::Null, |c| Value::String(c.to_string()))
}

/// The snapshot being written: its files and the manifest's records.
struct Writer {
    files: Vec<(String, String)>,
    manifest: Manifest,
}

impl Writer {
    /// An endpoint paged by `next_page`, its items in pages of [`PAGE`].
    fn next_page(&mut self, name: &str, path: &str, file: &str, items: Vec<Value>) {
        let count = items.len().div_ceil(PAGE).max(1);
        let mut pages = Vec::with_capacity(count);
        let mut items = items.into_iter().peekable();
        for page in 0..count {
            let data: Vec<Value> = items.by_ref().take(PAGE).collect();
            let more = items.peek().is_some();
            pages.push(json!({
                "data": data,
                "has_more": more,
                "next_page": if more { Value::String(format!("page_{}", page + 2)) } else { Value::Null },
            }));
        }
        self.write(name, path, file, pages);
    }

    fn write(&mut self, name: &str, path: &str, file: &str, pages: Vec<Value>) {
        let count = pages.len();
        self.files
            .push((file.to_string(), json!({ "pages": pages }).to_string()));
        self.manifest
            .endpoints
            .push(EndpointRecord::answered(name, path, file, count));
    }

    /// An endpoint read per item: `parent` is the item's id.
    fn per_item(&mut self, name: &str, path: &str, file: &str, parent: &str, items: Vec<Value>) {
        self.next_page(name, path, file, items);
        if let Some(record) = self.manifest.endpoints.pop() {
            self.manifest.endpoints.push(record.with_parent(parent));
        }
    }
}

pub(super) fn files(
    groups: &[PlannedGroup],
    roles: &[PlannedRole],
    limits: &[PlannedLimit],
    emails: &[String],
) -> Vec<(String, String)> {
    let mut out = Writer {
        files: Vec::new(),
        manifest: Manifest::new(PULLED_AT, ANTHROPIC_VERSION, "https://api.anthropic.com"),
    };

    // Members, paged by `after_id`; the first is the Primary Owner.
    let mut pages = Vec::new();
    for (page, chunk) in emails.chunks(PAGE).enumerate() {
        let start = page * PAGE;
        let data: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(k, email)| {
                let i = start + k;
                json!({
                    "type": "user", "id": user_id(i), "email": email,
                    "role": if i == 0 { "primary_owner" } else { "managed" },
                    "added_at": "2026-06-12T09:14:03Z",
                })
            })
            .collect();
        pages.push(json!({
            "data": data,
            "has_more": start + chunk.len() < emails.len(),
            "first_id": user_id(start),
            "last_id": user_id(start + chunk.len().saturating_sub(1)),
        }));
    }
    out.write("users", "/v1/organizations/users", "users.json", pages);

    let invites: Vec<Value> = (0..10)
        .map(|i| {
            json!({
                "type": "invite", "id": format!("invite_{i:02}"),
                "email": format!("new.hire{i}@synth.example"), "role": "managed",
                "status": "pending", "invited_at": "2026-11-20T10:00:00Z",
                "expires_at": "2026-12-11T10:00:00Z",
            })
        })
        .collect();
    out.write(
        "invites",
        "/v1/organizations/invites",
        "invites.json",
        vec![json!({"data": invites, "has_more": false})],
    );

    // Groups with their roles, then each group's direct members.
    let roles_of = |g: usize| -> Vec<String> {
        (0..roles.len())
            .filter(|&r| roles.get(r).is_some_and(|role| role.groups.contains(&g)))
            .map(role_id)
            .collect()
    };
    let live_groups: Vec<Value> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            json!({
                "type": "rbac_group", "id": group_id(g), "name": group.name,
                "role_ids": roles_of(g),
                "source_type": if group.scim { "scim" } else { "direct" },
                "created_at": "2026-03-18T10:01:42Z", "updated_at": "2026-05-02T08:55:09Z",
            })
        })
        .collect();
    out.next_page(
        "rbac_groups",
        "/v1/organizations/rbac_groups",
        "rbac_groups.json",
        live_groups,
    );
    for (g, group) in groups.iter().enumerate() {
        let id = group_id(g);
        let members: Vec<Value> = group
            .members
            .iter()
            .filter_map(|&u| emails.get(u).map(|e| (u, e)))
            .map(|(u, email)| {
                json!({
                    "type": "rbac_group_member", "rbac_group_id": id, "user_id": user_id(u),
                    "email": email, "created_at": "2026-03-18T10:01:42Z",
                })
            })
            .collect();
        out.per_item(
            "rbac_group_members",
            &format!("/v1/organizations/rbac_groups/{id}/members"),
            &format!("rbac_group_members/{:05}.json", g + 1),
            &id,
            members,
        );
    }

    // Roles and what they grant: `chat` and `claude_code` as documented, all three as the
    // blanket `capability_access_all`; for Cowork alone, whose action no page names, the
    // synthetic action `cowork`, which drift does not claim to read.
    let live_roles: Vec<Value> = roles
        .iter()
        .enumerate()
        .map(|(r, role)| {
            json!({
                "type": "rbac_role", "id": role_id(r), "display_name": role.name,
                "created_at": "2026-03-18T10:01:42Z", "updated_at": "2026-03-18T10:01:42Z",
            })
        })
        .collect();
    out.next_page(
        "rbac_roles",
        "/v1/organizations/rbac_roles",
        "rbac_roles.json",
        live_roles,
    );
    for (r, role) in roles.iter().enumerate() {
        let id = role_id(r);
        let actions: Vec<&str> = if role.entitlements.len() == 3 {
            vec!["capability_access_all"]
        } else {
            role.entitlements
                .iter()
                .map(|e| match *e {
                    "claude-code" => "claude_code",
                    other => other,
                })
                .collect()
        };
        let permissions: Vec<Value> = actions
            .into_iter()
            .map(|action| {
                json!({
                    "type": "rbac_role_permission", "action": action,
                    "resource": {"type": "organization", "organization_id": ORG_ID},
                })
            })
            .collect();
        out.per_item(
            "rbac_role_permissions",
            &format!("/v1/organizations/rbac_roles/{id}/permissions"),
            &format!("rbac_role_permissions/{:05}.json", r + 1),
            &id,
            permissions,
        );
    }

    // Configured limits: the org's default, then each limit on each of its groups.
    let limit_row = |id: String, scope: Value, cents: Option<u64>| {
        json!({
            "type": "spend_limit", "id": id, "amount": amount(cents), "currency": "USD",
            "period": "monthly", "is_enabled": true, "scope": scope,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        })
    };
    let mut configured = vec![limit_row(
        "spl_org".to_string(),
        json!({"type": "organization"}),
        Some(DEFAULT_CENTS),
    )];
    // Each group's lowest limit (the policy's most restrictive), with the group it is on.
    let mut group_limit: Vec<Option<Option<u64>>> = vec![None; groups.len()];
    for (l, limit) in limits.iter().enumerate() {
        let value = cents(limit.amount);
        for &g in &limit.groups {
            configured.push(limit_row(
                format!("spl_{l:03}_{g:05}"),
                json!({"type": "rbac_group", "rbac_group_id": group_id(g)}),
                value,
            ));
            if let Some(slot) = group_limit.get_mut(g) {
                let lower = match *slot {
                    Some(old) => old.map_or(value, |o| Some(value.map_or(o, |v| v.min(o)))),
                    None => value,
                };
                *slot = Some(lower);
            }
        }
    }
    out.next_page(
        "spend_limits",
        "/v1/organizations/spend_limits",
        "spend_limits.json",
        configured,
    );

    // Each member's effective limit: the lowest limit of their groups, else the default.
    let mut effective: Vec<(Option<Option<u64>>, Option<usize>)> = vec![(None, None); emails.len()];
    for (g, group) in groups.iter().enumerate() {
        // `value` is the group's limit, `None` for unlimited.
        let Some(&Some(value)) = group_limit.get(g) else {
            continue;
        };
        for &u in &group.members {
            if let Some((best, from)) = effective.get_mut(u) {
                let lower = match *best {
                    None => true,
                    Some(old) => value.unwrap_or(u64::MAX) < old.unwrap_or(u64::MAX),
                };
                if lower {
                    *best = Some(value);
                    *from = Some(g);
                }
            }
        }
    }
    let rows: Vec<Value> = effective
        .iter()
        .enumerate()
        .filter_map(|(u, &(best, from))| emails.get(u).map(|e| (u, e, best, from)))
        .map(|(u, email, best, from)| {
            let (value, source) = match (best, from) {
                (Some(value), Some(g)) => (
                    value,
                    json!({"type": "rbac_group", "rbac_group_id": group_id(g)}),
                ),
                _ => (Some(DEFAULT_CENTS), json!({"type": "organization"})),
            };
            json!({
                "scope": {"type": "user", "user_id": user_id(u)},
                "actor": {"type": "user_actor", "user_id": user_id(u), "email_address": email, "deleted": false},
                "amount": amount(value), "currency": "USD", "period": "monthly", "source": source,
                "period_to_date_spend": "0",
            })
        })
        .collect();
    out.next_page(
        "effective_spend_limits",
        "/v1/organizations/spend_limits/effective",
        "effective_spend_limits.json",
        rows,
    );

    // The Compliance API: the one organization and its settings.
    out.write(
        "compliance_organizations",
        "/v1/compliance/organizations",
        "compliance_organizations.json",
        vec![json!({"data": [{"uuid": ORG_ID, "name": "synth", "created_at": "2025-01-01T00:00:00Z"}]})],
    );
    out.write(
        "compliance_settings",
        &format!("/v1/compliance/organizations/{ORG_ID}/settings"),
        "compliance_settings/00001.json",
        vec![json!({
            "type": "effective_organization_settings", "organization_id": ORG_ID, "api_keys": [],
            "settings": [
                {"name": "sso_claude_ai_enforced", "value": true, "type": "boolean"},
                {"name": "directory_sync_enabled", "value": true, "type": "boolean"},
                {"name": "sso_provisioning_mode", "value": "scim_advanced", "type": "provisioning_mode"},
            ],
        })],
    );
    if let Some(record) = out.manifest.endpoints.pop() {
        out.manifest.endpoints.push(record.with_parent(ORG_ID));
    }

    let manifest = serde_json::to_string_pretty(&out.manifest).unwrap_or_default();
    out.files.insert(0, (MANIFEST.to_string(), manifest));
    out.files
}

#[cfg(test)]
mod tests {
    use super::cents;

    #[test]
    fn amounts_become_minor_units() {
        assert_eq!(cents("0"), Some(0));
        assert_eq!(cents("25"), Some(2_500));
        assert_eq!(cents("19.99"), Some(1_999));
        assert_eq!(cents("19.5"), Some(1_950));
        assert_eq!(cents("unlimited"), None);
    }
}
