//! `cowork-policy pull` against a real HTTP server on loopback (a `TcpListener` in a thread,
//! answering HTTP/1.1 by hand), which answers the documented endpoints in their documented
//! shapes; then the library reads the snapshot it wrote.
//!
//! The answers follow the vendor's pages, checked 2026-12-06:
//! - members and invites: platform.claude.com/docs/en/api/admin/users/list (and invites/list):
//!   `data`, `has_more`, `first_id`, `last_id`, paged by `after_id`;
//! - RBAC groups, their members, roles and permissions:
//!   platform.claude.com/docs/en/manage-claude/user-management and the API reference's
//!   `rbac_groups`, `rbac_roles` pages: `data`, `has_more`, `next_page`, paged by `page`, behind
//!   `anthropic-beta: ce-user-management-2026-07-13`;
//! - spend limits: platform.claude.com/docs/en/manage-claude/spend-limits-api and the
//!   reference's `spend_limits/list` (beta `spend-limit-reads-2026-09-26`): amounts are minor
//!   units as strings, `null` means unlimited in an effective row;
//! - the Compliance API: platform.claude.com/docs/en/manage-claude/compliance-org-data and
//!   `api/compliance/organizations/settings/retrieve`;
//! - errors: `{"type": "error", "error": {"type", "message"}, "request_id"}`, 429 with
//!   `retry-after` (platform.claude.com/docs/en/api/errors, rate-limits).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cowork_policy::live::{GroupSource, Resource, Scope, SettingValue, Snapshot, Status};

use super::{stderr, stdout};

/// The admin key the tests use: it must appear in no output and no file.
const KEY: &str = "sk-ant-api01-TESTKEY-never-to-be-seen-0123456789";

/// One request the server received.
#[derive(Debug, Clone)]
struct Request {
    path: String,
    query: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server answers.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn ok(body: &str) -> Reply {
    Reply {
        status: 200,
        headers: vec![("content-type", "application/json".into())],
        body: body.to_string(),
    }
}

/// The documented error shape.
fn error(status: u16, kind: &str, message: &str) -> Reply {
    Reply {
        status,
        headers: vec![("content-type", "application/json".into())],
        body: format!(
            r#"{{"type": "error", "error": {{"type": "{kind}", "message": "{message}"}}, "request_id": "req_011"}}"#
        ),
    }
}

type Route = dyn Fn(&Request, usize) -> Reply + Send + Sync;

/// A server on 127.0.0.1 answering with `route` (given the request and how many requests to
/// the same path came before it). It lives until the test process ends.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start(route: Box<Route>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let mut headers = Vec::new();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = header.trim_end().split_once(':') {
                        headers.push((name.trim().to_string(), value.trim().to_string()));
                    }
                }
                let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                let request = Request {
                    path: path.to_string(),
                    query: query.to_string(),
                    headers,
                };
                let hit = {
                    let mut seen = seen.lock().unwrap();
                    let hit = seen
                        .iter()
                        .filter(|r: &&Request| r.path == request.path)
                        .count();
                    seen.push(request.clone());
                    hit
                };
                let reply = route(&request, hit);
                let reason = match reply.status {
                    200 => "OK",
                    401 => "Unauthorized",
                    403 => "Forbidden",
                    429 => "Too Many Requests",
                    500 => "Internal Server Error",
                    _ => "Status",
                };
                let mut head = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
                for (name, value) in &reply.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!(
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    reply.body.len()
                ));
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(reply.body.as_bytes());
                let _ = stream.flush();
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    fn hits(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }
}

fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

const ORG: &str = "91012d09-e48b-438e-a489-1bebfd8fa6f9";

/// A small Claude Enterprise org, every endpoint in its documented shape.
fn org(request: &Request) -> Reply {
    let q = request.query.as_str();
    match request.path.as_str() {
        // Two pages by `after_id`.
        "/v1/organizations/users" => match param(q, "after_id") {
            None => ok(r#"{"data": [
                {"type": "user", "id": "user_01", "email": "ana@acme.com", "name": "Ana", "role": "primary_owner", "added_at": "2026-06-12T09:14:03Z"},
                {"type": "user", "id": "user_02", "email": "bo@acme.com", "name": "Bo", "role": "managed", "added_at": "2026-06-12T09:15:03Z"}
              ], "has_more": true, "first_id": "user_01", "last_id": "user_02"}"#),
            Some("user_02") => ok(r#"{"data": [
                {"type": "user", "id": "user_03", "email": "cy@acme.com", "name": "Cy", "role": "user", "added_at": "2026-06-13T09:15:03Z"}
              ], "has_more": false, "first_id": "user_03", "last_id": "user_03"}"#),
            Some(other) => error(
                400,
                "invalid_request_error",
                &format!("unknown cursor {other}"),
            ),
        },
        "/v1/organizations/invites" => ok(r#"{"data": [
            {"type": "invite", "id": "invite_01", "email": "dee@acme.com", "role": "managed", "status": "pending",
             "invited_at": "2026-11-30T10:00:00Z", "expires_at": "2026-12-21T10:00:00Z", "rbac_group_ids": ["rbac_group_eng"]}
          ], "has_more": false, "first_id": "invite_01", "last_id": "invite_01"}"#),
        // Two pages by `next_page`.
        "/v1/organizations/rbac_groups" => match param(q, "page") {
            None => ok(r#"{"data": [
                {"type": "rbac_group", "id": "rbac_group_eng", "name": "Engineering", "role_ids": ["rbac_role_dev"], "source_type": "scim",
                 "created_at": "2026-03-18T10:01:42Z", "updated_at": "2026-05-02T08:55:09Z"}
              ], "has_more": true, "next_page": "eyJwYWdlIjogMn0="}"#),
            Some("eyJwYWdlIjogMn0%3D") => ok(r#"{"data": [
                {"type": "rbac_group", "id": "rbac_group_ops", "name": "Ops", "role_ids": null, "source_type": "direct",
                 "created_at": "2026-03-18T10:01:42Z", "updated_at": "2026-05-02T08:55:09Z"}
              ], "has_more": false, "next_page": null}"#),
            Some(other) => error(
                400,
                "invalid_request_error",
                &format!("unknown page {other}"),
            ),
        },
        "/v1/organizations/rbac_groups/rbac_group_eng/members" => ok(r#"{"data": [
            {"type": "rbac_group_member", "rbac_group_id": "rbac_group_eng", "user_id": "user_02", "email": "bo@acme.com", "created_at": "2026-03-18T10:01:42Z"},
            {"type": "rbac_group_member", "rbac_group_id": "rbac_group_eng", "user_id": "user_03", "email": "cy@acme.com", "created_at": "2026-03-18T10:01:42Z"}
          ], "has_more": false, "next_page": null}"#),
        "/v1/organizations/rbac_groups/rbac_group_ops/members" => {
            ok(r#"{"data": [], "has_more": false, "next_page": null}"#)
        }
        "/v1/organizations/rbac_roles" => ok(r#"{"data": [
            {"type": "rbac_role", "id": "rbac_role_dev", "display_name": "Developer", "created_at": "2026-03-18T10:01:42Z", "updated_at": "2026-03-18T10:01:42Z"}
          ], "has_more": false, "next_page": null}"#),
        "/v1/organizations/rbac_roles/rbac_role_dev/permissions" => ok(r#"{"data": [
            {"type": "rbac_role_permission", "action": "chat", "resource": {"type": "organization", "organization_id": "91012d09-e48b-438e-a489-1bebfd8fa6f9"}},
            {"type": "rbac_role_permission", "action": "use", "resource": {"type": "connector_tool", "connector_id": "conn_gh", "tool_name": "search"}}
          ], "has_more": false, "next_page": null}"#),
        "/v1/organizations/spend_limits" => ok(r#"{"data": [
            {"type": "spend_limit", "id": "spl_org", "amount": null, "currency": "USD", "period": "monthly", "is_enabled": true,
             "scope": {"type": "organization"}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"},
            {"type": "spend_limit", "id": "spl_eng", "amount": "50000", "currency": "USD", "period": "monthly", "is_enabled": true,
             "scope": {"type": "rbac_group", "rbac_group_id": "rbac_group_eng"}, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
          ], "next_page": null}"#),
        "/v1/organizations/spend_limits/effective" => ok(r#"{"data": [
            {"scope": {"type": "user", "user_id": "user_01"},
             "actor": {"type": "user_actor", "user_id": "user_01", "name": "Ana", "email_address": "ana@acme.com", "deleted": false},
             "amount": null, "currency": "USD", "period": "monthly", "source": {"type": "organization"},
             "spend_limit_id": "spl_org", "period_to_date_spend": "0"},
            {"scope": {"type": "user", "user_id": "user_02"},
             "actor": {"type": "user_actor", "user_id": "user_02", "name": "Bo", "email_address": "bo@acme.com", "deleted": false},
             "amount": "50000", "currency": "USD", "period": "monthly", "source": {"type": "rbac_group", "rbac_group_id": "rbac_group_eng"},
             "spend_limit_id": "spl_eng", "period_to_date_spend": "31402.5"},
            {"scope": {"type": "user", "user_id": "user_03"},
             "actor": {"type": "user_actor", "user_id": "user_03", "name": "Cy", "email_address": "cy@acme.com", "deleted": false},
             "amount": "0", "currency": "USD", "period": "monthly", "source": {"type": "user", "user_id": "user_03"},
             "spend_limit_id": "spl_cy", "period_to_date_spend": "0"}
          ], "next_page": null}"#),
        "/v1/compliance/organizations" => ok(
            r#"{"data": [{"uuid": "91012d09-e48b-438e-a489-1bebfd8fa6f9", "name": "Acme", "created_at": "2025-06-01T10:00:00Z"}]}"#,
        ),
        "/v1/compliance/organizations/91012d09-e48b-438e-a489-1bebfd8fa6f9/settings" => ok(r#"{
            "type": "effective_organization_settings", "organization_id": "91012d09-e48b-438e-a489-1bebfd8fa6f9",
            "api_keys": [],
            "settings": [
              {"name": "sso_claude_ai_enforced", "value": true, "type": "boolean"},
              {"name": "directory_sync_enabled", "value": true, "type": "boolean"},
              {"name": "account_session_duration_seconds", "value": null, "type": "integer"},
              {"name": "allowed_invite_domains", "value": ["acme.com"], "type": "string_list"},
              {"value": "scim_advanced", "name": "sso_provisioning_mode", "type": "provisioning_mode"},
              {"value": {"all": {"type": "indefinite"}}, "type": "data_retention"}
            ]}"#),
        "/v1/compliance/organizations/91012d09-e48b-438e-a489-1bebfd8fa6f9/users" => {
            ok(r#"{"data": [
            {"id": "user_01", "created_at": "2026-06-12T09:14:03Z", "email": "ana@acme.com", "full_name": "Ana", "organization_role": "primary_owner"}
          ], "has_more": false, "next_page": null}"#)
        }
        "/v1/compliance/groups" => ok(r#"{"data": [
            {"id": "rbac_group_eng", "created_at": "2026-03-18T10:01:42Z", "description": "", "name": "Engineering",
             "roles": ["rbac_role_dev"], "source_type": "scim", "updated_at": "2026-05-02T08:55:09Z"}
          ], "has_more": false, "next_page": null}"#),
        _ => error(404, "not_found_error", "no such endpoint"),
    }
}

/// A fresh folder for one test's snapshot.
fn out_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cowork-policy-pull-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `cowork-policy pull` with the key in the environment, and no proxy.
fn pull(server: &Server, out: &Path, extra: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cowork-policy"));
    command
        .args(["pull", "--out"])
        .arg(out)
        .args(["--base-url", &server.url])
        .args(extra)
        .env("NO_COLOR", "1")
        .env("ANTHROPIC_ADMIN_API_KEY", KEY)
        .env_remove("ANTHROPIC_ADMIN_KEY");
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(proxy);
    }
    command.output().unwrap()
}

/// The key appears nowhere: not on stdout or stderr, not in any file under `out`.
fn assert_key_nowhere(output: &Output, out: &Path) {
    assert!(!stdout(output).contains(KEY));
    assert!(!stderr(output).contains(KEY));
    assert!(!stderr(output).contains("TESTKEY"));
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains("TESTKEY"), "{}", path.display());
            }
        }
    }
}

#[test]
fn pull_reads_every_page_retries_a_429_and_the_library_reads_the_snapshot() {
    // The first request for invites is told to wait a second.
    let server = Server::start(Box::new(|request, hit| {
        if request.path == "/v1/organizations/invites" && hit == 0 {
            let mut reply = error(
                429,
                "rate_limit_error",
                "Number of requests has exceeded your rate limit",
            );
            reply.headers.push(("retry-after", "1".into()));
            return reply;
        }
        org(request)
    }));
    let out = out_dir("full");
    let started = Instant::now();
    let output = pull(&server, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        started.elapsed().as_millis() >= 1000,
        "retry-after was not honoured"
    );
    assert_eq!(server.hits("/v1/organizations/invites"), 2);
    assert!(
        stdout(&output).starts_with("wrote the snapshot to "),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains(": 13 of 13 endpoint reads answered, 15 pages"));

    // Every request carried the key in `x-api-key` (and nowhere else), the version, and the
    // beta header where the endpoint needs one.
    let requests = server.requests();
    for request in &requests {
        assert_eq!(request.header("x-api-key"), Some(KEY), "{}", request.path);
        assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
        assert!(request.header("authorization").is_none());
        assert!(!request.query.contains("TESTKEY"));
        let beta = request.header("anthropic-beta");
        if request.path.contains("/rbac_") {
            assert_eq!(
                beta,
                Some("ce-user-management-2026-07-13"),
                "{}",
                request.path
            );
        } else if request.path == "/v1/organizations/spend_limits" {
            assert_eq!(beta, Some("spend-limit-reads-2026-09-26"));
        } else {
            assert_eq!(beta, None, "{}", request.path);
        }
    }
    // Paging followed the documented cursors.
    let users: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/v1/organizations/users")
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(users, ["limit=1000", "limit=1000&after_id=user_02"]);
    assert_eq!(server.hits("/v1/organizations/rbac_groups"), 2);

    assert_key_nowhere(&output, &out);

    // Every page is kept as the API returned it.
    let users = std::fs::read_to_string(out.join("users.json")).unwrap();
    let users: serde_json::Value = serde_json::from_str(&users).unwrap();
    assert_eq!(users["pages"].as_array().unwrap().len(), 2);
    assert_eq!(users["pages"][1]["data"][0]["email"], "cy@acme.com");

    let snapshot = Snapshot::read_dir(&out).unwrap();
    let manifest = &snapshot.manifest;
    assert_eq!(manifest.format, "cowork-policy-snapshot/1");
    assert_eq!(manifest.anthropic_version, "2023-06-01");
    assert_eq!(manifest.base_url, server.url);
    assert_eq!(manifest.pulled_at.len(), "2026-12-06T10:30:00Z".len());
    assert!(
        manifest
            .endpoints
            .iter()
            .all(|r| r.status == Status::Answered)
    );

    let roles: Vec<_> = snapshot
        .members
        .iter()
        .map(|m| (m.email.as_str(), m.role.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("ana@acme.com", "primary_owner"),
            ("bo@acme.com", "managed"),
            ("cy@acme.com", "user")
        ]
    );
    assert!(snapshot.invites[0].is_pending());
    assert_eq!(snapshot.invites[0].group_ids, ["rbac_group_eng"]);

    let eng = snapshot.group("rbac_group_eng").unwrap();
    assert_eq!(eng.source, GroupSource::Scim);
    assert_eq!(
        eng.role_ids.as_deref(),
        Some(&["rbac_role_dev".to_string()][..])
    );
    let members: Vec<_> = eng
        .members
        .as_ref()
        .unwrap()
        .iter()
        .map(|m| m.user_id.as_str())
        .collect();
    assert_eq!(members, ["user_02", "user_03"]);
    let ops = snapshot.group("rbac_group_ops").unwrap();
    assert_eq!(
        (ops.source.as_str(), ops.role_ids.clone()),
        ("direct", None)
    );
    assert_eq!(ops.members, Some(vec![]));

    let role = snapshot.role("rbac_role_dev").unwrap();
    assert_eq!(role.name, "Developer");
    let permissions = role.permissions.as_ref().unwrap();
    assert_eq!(permissions[0].action, "chat");
    assert_eq!(
        permissions[1].resource,
        Resource::ConnectorTool {
            connector_id: "conn_gh".into(),
            tool_name: "search".into()
        }
    );

    // Amounts are minor units; `null` is unlimited (or no cap at that scope).
    assert_eq!(snapshot.spend_limits[0].amount, None);
    assert_eq!(snapshot.spend_limits[1].amount, Some(50_000));
    assert_eq!(
        snapshot.spend_limits[1].scope,
        Scope::RbacGroup {
            rbac_group_id: "rbac_group_eng".into()
        }
    );
    let effective: Vec<_> = snapshot
        .effective_limits
        .iter()
        .map(|l| (l.user_id.as_str(), l.amount, l.source.kind()))
        .collect();
    assert_eq!(
        effective,
        [
            ("user_01", None, "organization"),
            ("user_02", Some(50_000), "rbac_group"),
            ("user_03", Some(0), "user")
        ]
    );
    assert_eq!(
        snapshot.effective_limits[1].email.as_deref(),
        Some("bo@acme.com")
    );

    let acme = &snapshot.organizations[0];
    assert_eq!((acme.id.as_str(), acme.name.as_str()), (ORG, "Acme"));
    assert_eq!(
        acme.setting("sso_claude_ai_enforced"),
        Some(&SettingValue::Bool(true))
    );
    assert_eq!(
        acme.setting("directory_sync_enabled"),
        Some(&SettingValue::Bool(true))
    );
    assert_eq!(
        acme.setting("sso_provisioning_mode"),
        Some(&SettingValue::Text("scim_advanced".into()))
    );
    assert_eq!(
        acme.setting("account_session_duration_seconds"),
        Some(&SettingValue::Integer(None))
    );
    assert_eq!(
        acme.setting("allowed_invite_domains"),
        Some(&SettingValue::StringList(vec!["acme.com".into()]))
    );
    assert!(matches!(
        acme.setting("data_retention_periods"),
        Some(SettingValue::Other(_))
    ));
    assert_eq!(acme.users.as_ref().unwrap()[0].role, "primary_owner");
    assert_eq!(
        snapshot.compliance_groups[0].role_ids.as_ref().unwrap()[0],
        "rbac_role_dev"
    );
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_401_names_the_endpoint_and_the_scope_and_writes_no_manifest() {
    let server = Server::start(Box::new(|_, _| {
        error(401, "authentication_error", "invalid x-api-key")
    }));
    let out = out_dir("401");
    let output = pull(&server, &out, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: the API refused the admin key (401) for `users`: it needs a Claude Enterprise admin key with the `read:members` scope: the API says \"invalid x-api-key\"\n"
    );
    assert_eq!(server.hits("/v1/organizations/users"), 1);
    assert!(!out.join("manifest.json").exists());
    assert_key_nowhere(&output, &out);
}

#[test]
fn a_403_is_recorded_the_rest_is_read_and_the_exit_code_is_1() {
    let server = Server::start(Box::new(|request, _| {
        if request.path == "/v1/organizations/rbac_roles" {
            return error(
                403,
                "permission_error",
                "this key has scopes read:rbac_groups; the endpoint needs read:members",
            );
        }
        org(request)
    }));
    let out = out_dir("403");
    let output = pull(&server, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "warning: `rbac_roles` answered 403 (the key lacks the `read:members` scope): the API says \"this key has scopes read:rbac_groups; the endpoint needs read:members\"\n"
    );
    assert_key_nowhere(&output, &out);
    let snapshot = Snapshot::read_dir(&out).unwrap();
    let status = |name: &str| {
        snapshot
            .manifest
            .endpoints
            .iter()
            .find(|r| r.name == name)
            .map(|r| (r.status, r.http_status))
    };
    assert_eq!(
        status("rbac_roles"),
        Some((Status::NotPermitted, Some(403)))
    );
    assert_eq!(
        status("rbac_role_permissions"),
        Some((Status::Skipped, None))
    );
    assert!(!snapshot.answered("rbac_roles"));
    assert!(snapshot.answered("users"));
    assert!(snapshot.roles.is_empty());
    assert_eq!(snapshot.members.len(), 3);
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn a_500_past_the_retry_budget_stops_the_pull() {
    let server = Server::start(Box::new(|request, _| {
        if request.path == "/v1/organizations/users" {
            let mut reply = error(500, "api_error", "Internal server error");
            reply.headers.push(("retry-after", "0".into()));
            return reply;
        }
        org(request)
    }));
    let out = out_dir("500");
    // The manifest of an earlier pull does not survive a pull that fails.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("manifest.json"), "{}").unwrap();
    let output = pull(&server, &out, &["--max-attempts", "3"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `users` answered 500 3 times: giving up (retry budget: 3 attempts, `--max-attempts`): the API says \"Internal server error\"\n"
    );
    assert_eq!(server.hits("/v1/organizations/users"), 3);
    assert!(!out.join("manifest.json").exists());
    assert_key_nowhere(&output, &out);
}

#[test]
fn a_wait_past_the_budget_stops_the_pull_without_waiting() {
    let server = Server::start(Box::new(|_, _| {
        let mut reply = error(429, "rate_limit_error", "slow down");
        reply.headers.push(("retry-after", "3600".into()));
        reply
    }));
    let out = out_dir("wait");
    let started = Instant::now();
    let output = pull(&server, &out, &["--max-wait", "60"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(started.elapsed().as_secs() < 30);
    assert_eq!(
        stderr(&output),
        "error: `users` answered 429 and asks to wait 3600 s, past the retry budget (60 s left of `--max-wait 60`)\n"
    );
    assert_key_nowhere(&output, &out);
}

#[test]
fn a_body_that_is_not_json_is_a_located_error_naming_the_endpoint() {
    let server = Server::start(Box::new(|request, _| {
        if request.path == "/v1/organizations/invites" {
            return ok("{\"data\": [\n  <html>oops</html>");
        }
        org(request)
    }));
    let out = out_dir("not-json");
    let output = pull(&server, &out, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: the answer of `invites` (page 1) is not JSON: line 2, column 3: expected value\n"
    );
    assert!(!out.join("manifest.json").exists());
    assert_key_nowhere(&output, &out);
}

#[test]
fn an_answer_that_echoes_the_key_is_not_written() {
    let server = Server::start(Box::new(|request, _| {
        if request.path == "/v1/organizations/invites" {
            return ok(&format!(
                r#"{{"data": [], "has_more": false, "echo": "{KEY}"}}"#
            ));
        }
        org(request)
    }));
    let out = out_dir("echo");
    let output = pull(&server, &out, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: the answer of `invites` contains the admin key; nothing of it was written\n"
    );
    assert!(!out.join("invites.json").exists());
    assert_key_nowhere(&output, &out);
}

#[test]
fn the_key_comes_from_a_file_or_the_environment_never_an_argument() {
    let server = Server::start(Box::new(|request, _| org(request)));
    let out = out_dir("key-file");
    std::fs::create_dir_all(&out).unwrap();
    let key_file = out.join("key.txt");
    std::fs::write(&key_file, format!("{KEY}\n")).unwrap();
    let snapshot = out.join("snapshot");
    let mut command = Command::new(env!("CARGO_BIN_EXE_cowork-policy"));
    let output = command
        .args(["pull", "--out"])
        .arg(&snapshot)
        .args(["--base-url", &server.url, "--key-file"])
        .arg(&key_file)
        .env_remove("ANTHROPIC_ADMIN_API_KEY")
        .env_remove("ANTHROPIC_ADMIN_KEY")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("x-api-key") == Some(KEY))
    );
    std::fs::remove_file(&key_file).unwrap();
    assert_key_nowhere(&output, &out);

    // Without either, the command says where a key comes from.
    let output = Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(["pull", "--out"])
        .arg(&snapshot)
        .args(["--base-url", &server.url])
        .env_remove("ANTHROPIC_ADMIN_API_KEY")
        .env_remove("ANTHROPIC_ADMIN_KEY")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no admin key: set ANTHROPIC_ADMIN_API_KEY to a Claude Enterprise admin key, or give `--key-file PATH`\n"
    );
    // There is no flag to give the key itself.
    let output = Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(["pull", "--out", "x", "--key", KEY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains("TESTKEY"), "{}", stderr(&output));
    std::fs::remove_dir_all(&out).unwrap();
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused_before_any_request() {
    let out = out_dir("http");
    let output = Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(["pull", "--out"])
        .arg(&out)
        .args(["--base-url", "http://api.anthropic.com"])
        .env("ANTHROPIC_ADMIN_API_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `--base-url http://api.anthropic.com` is plain http to a host that is not loopback: the admin key would cross the network in clear; use https\n"
    );
    assert!(!out.exists());
}

/// The policy of the org `org` answers for: every drift comparison finds it as it is. Users
/// reach the policy through groups only, so Ana (the Primary Owner, in no live group) is in a
/// group created in Claude that the API does not list, and Cy's live limit of 0 (a per-user
/// override) is the policy's lowest group limit.
const MATCHING: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: Acme
    plan: enterprise
    seats: 4
    identityProvider: okta
identityProviders:
  - name: okta
    kind: okta
    sso: enforced
groups:
  - name: Engineering
    scim: true
    members: [bo@acme.com, cy@acme.com]
  - name: Ops
    scim: false
  - name: owners
    scim: false
    members: [ana@acme.com]
  - name: frozen
    scim: false
    members: [cy@acme.com]
roles:
  - name: Developer
    entitlements: [chat]
    groups: [Engineering]
spendLimits:
  - name: engineering
    amount: 500
    groups: [Engineering]
  - name: frozen
    amount: 0
    groups: [frozen]
";

/// `pull` against the loopback server into a temporary folder, then `drift` on what it wrote:
/// the policy of the org as it is finds nothing (exit 0); the same policy drifted finds each
/// difference (exit 1), in SARIF and Markdown too.
#[test]
fn pull_then_drift_end_to_end() {
    let server = Server::start(Box::new(|request, _| org(request)));
    let dir = out_dir("end-to-end");
    let snapshot = dir.join("snapshot");
    let output = pull(&server, &snapshot, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let drift = |name: &str, policy: &str, extra: &[&str]| {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("policy.yaml"), policy).unwrap();
        Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
            .arg("drift")
            .arg(&folder)
            .arg("--live")
            .arg(&snapshot)
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };

    let clean = drift("matching", MATCHING, &["--format", "concise"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean).starts_with("no findings in 1 policy file"),
        "{}",
        stdout(&clean)
    );

    let drifted = MATCHING
        .replace("seats: 4", "seats: 3\n    rbac: enforced")
        .replace("sso: enforced", "sso: tested")
        .replace(
            "- name: Engineering\n    scim: true",
            "- name: Engineering\n    scim: false",
        )
        .replace("- name: Ops", "- name: Operations")
        .replace("amount: 500", "amount: 150")
        .replace("entitlements: [chat]", "entitlements: [chat, claude-code]");
    let sarif = dir.join("drift.sarif");
    let markdown = dir.join("drift.md");
    let output = drift(
        "drifted",
        &drifted,
        &[
            "--format",
            "concise",
            "--format",
            "sarif",
            "-o",
            sarif.to_str().unwrap(),
            "--format",
            "markdown",
            "-o",
            markdown.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let mut codes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once("[DRIFT"))
        .map(|(_, rest)| &rest[..3])
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        ["003", "005", "006", "008", "009", "010", "013", "014"],
        "{text}"
    );
    // Each finding names the snapshot file and the live value.
    for expected in [
        "org `Acme` has 3 seats but `users.json` lists 3 members and `invites.json` 1 pending invite (4 taken, 1 over)",
        "`rbac_groups.json` lists 1 group that the policy of org `Acme` lacks: `Ops`",
        "group `Engineering` records `scim: false` but `rbac_groups.json` has it with `source_type` `scim`",
        "`users.json` lists 1 member on the `user` role, which custom roles do not govern: `cy@acme.com`",
        "`effective_spend_limits.json` gives 1 member another monthly limit than limit `engineering` of group `Engineering` (150.00/month): `bo@acme.com` 500.00/month from `rbac_group` `Engineering`",
        "has `sso_claude_ai_enforced` `true`",
        "role `Developer` grants `chat` and `claude-code` in the policy but `rbac_role_permissions/00001.json` gives it `chat`: live it lacks `claude-code`",
        "limit `engineering` gives group `Engineering` 150.00/month but `spend_limits.json` has `\"50000\"` (500.00/month) for it",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }

    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), codes.len());
    assert!(results.iter().all(|r| {
        r["ruleId"].as_str().unwrap().starts_with("DRIFT")
            && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("policy.yaml")
    }));
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 1);
    let summary = std::fs::read_to_string(&markdown).unwrap();
    for code in [
        "DRIFT003", "DRIFT005", "DRIFT006", "DRIFT008", "DRIFT009", "DRIFT010", "DRIFT013",
        "DRIFT014",
    ] {
        assert!(summary.contains(code), "{code}\n{summary}");
    }
    assert!(
        summary.contains("`effective_spend_limits.json`"),
        "{summary}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
