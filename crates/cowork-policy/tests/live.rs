//! `live::Snapshot`: reading a snapshot's files, and every way a file can be wrong, each an
//! error at its file, line and column. Also keeps the endpoint table of `docs/live.md` in step
//! with `live::ENDPOINTS` (`UPDATE_DOCS=1 cargo test -p cowork-policy --test live` rewrites it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::fmt::Write;

use cowork_policy::live::{ENDPOINTS, EffectiveLimit, Paging, ReadError, Scope, Snapshot, Status};

fn manifest(records: &str) -> String {
    format!(
        r#"{{"format": "cowork-policy-snapshot/1", "pulled_at": "2026-12-06T10:30:00Z",
"anthropic_version": "2023-06-01", "base_url": "https://api.anthropic.com",
"endpoints": [{records}]}}"#
    )
}

fn answered(name: &str, file: &str) -> String {
    format!(
        r#"{{"name": "{name}", "path": "/v1/x", "file": "{file}", "status": "answered", "pages": 1}}"#
    )
}

fn read(files: &[(&str, &str)]) -> Result<Snapshot, ReadError> {
    Snapshot::from_files(files.iter().map(|(n, t)| (n.to_string(), t.to_string())))
}

fn error(files: &[(&str, &str)]) -> String {
    read(files).unwrap_err().to_string()
}

#[test]
fn effective_limits_read_amounts_as_minor_units_and_null_as_unlimited() {
    let manifest = manifest(&answered("effective_spend_limits", "e.json"));
    let snapshot = read(&[
        ("manifest.json", &manifest),
        (
            "e.json",
            r#"{"pages": [
{"data": [{"scope": {"type": "user", "user_id": "u1"}, "amount": null, "period": "monthly",
           "source": {"type": "organization"}}], "next_page": "c2"},
{"data": [{"scope": {"type": "user", "user_id": "u2"}, "amount": "0", "period": "monthly",
           "source": {"type": "seat_tier", "seat_tier": "enterprise_standard"}},
          {"scope": {"type": "user", "user_id": "u3"}, "amount": "12345678901", "period": "monthly",
           "source": {"type": "something_new"}}], "next_page": null}]}"#,
        ),
    ])
    .unwrap();
    let limits: Vec<(&str, Option<u64>, &Scope)> = snapshot
        .effective_limits
        .iter()
        .map(|l: &EffectiveLimit| (l.user_id.as_str(), l.amount, &l.source))
        .collect();
    assert_eq!(
        limits,
        [
            ("u1", None, &Scope::Organization),
            (
                "u2",
                Some(0),
                &Scope::SeatTier {
                    seat_tier: "enterprise_standard".into()
                }
            ),
            (
                "u3",
                Some(12_345_678_901),
                &Scope::Other {
                    kind: "something_new".into()
                }
            ),
        ]
    );
}

#[test]
fn an_amount_that_is_not_minor_units_is_an_error_at_its_place() {
    let manifest = manifest(&answered("spend_limits", "s.json"));
    for (amount, found) in [
        ("\"12.50\"", "\"12.50\""),
        ("\"-5\"", "\"-5\""),
        ("\"\"", "\"\""),
    ] {
        let text = format!(
            "{{\"pages\": [{{\"data\": [\n  {{\"id\": \"spl_1\", \"period\": \"monthly\", \"scope\": {{\"type\": \"organization\"}},\n   \"amount\": {amount}}}]}}]}}"
        );
        let message = error(&[("manifest.json", &manifest), ("s.json", &text)]);
        assert!(message.starts_with("s.json:3:"), "{message}");
        assert!(
            message.ends_with(&format!(
                ": expected an amount in minor units as a string of digits, such as \"50000\", found {found}"
            )),
            "{message}"
        );
    }
    // A number where a string is documented is a type error, located too.
    let text = "{\"pages\": [{\"data\": [{\"id\": \"spl_1\", \"period\": \"monthly\", \"scope\": {\"type\": \"organization\"}, \"amount\": 5000}]}]}";
    assert_eq!(
        error(&[("manifest.json", &manifest), ("s.json", text)]),
        "s.json:1:107: invalid type: integer `5000`, expected a string"
    );
}

#[test]
fn a_scope_without_its_identifier_is_an_error_at_its_place() {
    let manifest = manifest(&answered("spend_limits", "s.json"));
    let text = "{\"pages\": [{\"data\": [\n{\"id\": \"spl_1\", \"period\": \"monthly\",\n \"scope\": {\"type\": \"rbac_group\"}}]}]}";
    assert_eq!(
        error(&[("manifest.json", &manifest), ("s.json", text)]),
        "s.json:3:33: a `rbac_group` has no `rbac_group_id`"
    );
}

#[test]
fn malformed_json_and_wrong_shapes_are_located() {
    let manifest_text = manifest(&answered("users", "users.json"));
    let cases: &[(&str, &str)] = &[
        (
            "{\"pages\": [\n  {\"data\": [}]}",
            "users.json:2:13: expected value",
        ),
        (
            "{\"pages\": {}}",
            "users.json:1:10: invalid type: map, expected a sequence",
        ),
        ("{}", "users.json:1:2: missing field `pages`"),
        (
            "{\"pages\": [{\"data\": [{\"id\": 7, \"email\": \"a@b.c\", \"role\": \"user\"}]}]}",
            "users.json:1:29: invalid type: integer `7`, expected a string",
        ),
        (
            "{\"pages\": [{\"data\": [{\"id\": \"u\", \"email\": \"a@b.c\"}]}]}",
            "users.json:1:50: missing field `role`",
        ),
        ("", "users.json:1:1: EOF while parsing a value"),
    ];
    for (text, expected) in cases {
        assert_eq!(
            error(&[("manifest.json", &manifest_text), ("users.json", text)]),
            *expected
        );
    }
    // The manifest itself.
    assert_eq!(
        error(&[("manifest.json", "{\"format\": 1}")]),
        "manifest.json:1:12: invalid type: integer `1`, expected a string"
    );
    assert_eq!(
        error(&[(
            "manifest.json",
            &manifest(r#"{"name": "users", "path": "/", "status": "maybe"}"#)
        )]),
        "manifest.json:3:62: unknown variant `maybe`, expected one of `answered`, `not_permitted`, `http_error`, `skipped`"
    );
    let other = manifest("").replace("cowork-policy-snapshot/1", "cowork-policy-snapshot/9");
    assert_eq!(
        error(&[("manifest.json", &other)]),
        "manifest.json: expected `format` to be `cowork-policy-snapshot/1`, found `cowork-policy-snapshot/9`"
    );
    assert_eq!(error(&[]), "manifest.json: no such file");
    // A file the manifest names that is not there, and a record that names none.
    assert_eq!(
        error(&[("manifest.json", &manifest_text)]),
        "users.json: no such file"
    );
    assert_eq!(
        error(&[(
            "manifest.json",
            &manifest(r#"{"name": "users", "path": "/", "status": "answered"}"#)
        )]),
        "manifest.json: the endpoint `users` answered but names no `file`"
    );
    let error = read(&[("manifest.json", &manifest_text), ("users.json", "[")]).unwrap_err();
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("users.json", Some(1), Some(1))
    );
}

#[test]
fn endpoints_that_did_not_answer_are_not_read_and_unknown_ones_are_skipped() {
    let records = format!(
        "{}, {}, {}",
        r#"{"name": "invites", "path": "/v1/organizations/invites", "status": "not_permitted", "http_status": 403}"#,
        r#"{"name": "rbac_group_members", "path": "/v1/organizations/rbac_groups/{id}/members", "status": "skipped"}"#,
        answered("from_a_later_version", "later.json")
    );
    let snapshot = read(&[
        ("manifest.json", &manifest(&records)),
        ("later.json", "anything at all"),
    ])
    .unwrap();
    assert!(snapshot.invites.is_empty());
    assert!(!snapshot.answered("invites"));
    assert!(!snapshot.answered("users"));
    assert_eq!(snapshot.manifest.endpoints[0].status, Status::NotPermitted);
    assert_eq!(snapshot.manifest.endpoints[0].http_status, Some(403));
}

#[test]
fn read_dir_reads_only_regular_files_inside_the_folder() {
    let dir = std::env::temp_dir().join(format!("cowork-policy-live-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("snap")).unwrap();
    std::fs::write(dir.join("outside.json"), "{\"pages\": [{\"data\": []}]}").unwrap();
    let snap = dir.join("snap");
    std::fs::write(
        snap.join("manifest.json"),
        manifest(&answered("users", "../outside.json")),
    )
    .unwrap();
    assert_eq!(
        Snapshot::read_dir(&snap).unwrap_err().to_string(),
        "../outside.json: outside the snapshot's folder"
    );
    std::fs::write(
        snap.join("manifest.json"),
        manifest(&answered("users", "/etc/passwd")),
    )
    .unwrap();
    assert_eq!(
        Snapshot::read_dir(&snap).unwrap_err().to_string(),
        "/etc/passwd: outside the snapshot's folder"
    );
    std::fs::create_dir_all(snap.join("users.json")).unwrap();
    std::fs::write(
        snap.join("manifest.json"),
        manifest(&answered("users", "users.json")),
    )
    .unwrap();
    assert_eq!(
        Snapshot::read_dir(&snap).unwrap_err().to_string(),
        "users.json: not a regular file"
    );
    assert_eq!(
        Snapshot::read_dir(dir.join("none"))
            .unwrap_err()
            .to_string(),
        "manifest.json: no such file or directory"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The endpoint table of `docs/live.md`, from `live::ENDPOINTS`.
fn endpoint_table() -> String {
    let mut out = String::from(
        "<!-- endpoints: generated from `live::ENDPOINTS` by `UPDATE_DOCS=1 cargo test -p cowork-policy --test live` -->\n\
         | name | path | paging | beta header | scope | documented at |\n|---|---|---|---|---|---|\n",
    );
    for e in ENDPOINTS {
        let paging = match e.paging {
            Paging::AfterId => "`after_id`",
            Paging::NextPage => "`page` / `next_page`",
            _ => "none",
        };
        let per = e
            .per
            .map(|per| format!(" (per item of `{per}`)"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| `{}` | `GET {}`{per} | {paging} | {} | `{}` | <{}> |",
            e.name,
            e.path,
            e.beta.map_or("none".to_string(), |b| format!("`{b}`")),
            e.scope,
            e.source
        );
    }
    out.push_str("<!-- end endpoints -->");
    out
}

#[test]
fn docs_live_lists_the_endpoints_of_the_table() {
    let path = common::root().join("docs/live.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find("<!-- endpoints:")
        .expect("docs/live.md has the endpoint table");
    let end = text.find("<!-- end endpoints -->").unwrap() + "<!-- end endpoints -->".len();
    let expected = endpoint_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &text[..start], &text[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        text[start..end] == expected,
        "docs/live.md's endpoint table is out of date: run `UPDATE_DOCS=1 cargo test -p cowork-policy --test live`"
    );
    assert!(text.contains(cowork_policy::live::CHECKED));
}
