//! `directoryExports:` as the loader reads it: which files a pattern names, a group both written
//! and exported, emails across sources, and exports that cannot be read, each a load error at
//! its place.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::{LoadErrors, Policy};

const CSV: &str = "group,type,role,id,status,email\n\
eng@acme.com,USER,MEMBER,1,ACTIVE,Ana@Acme.com\n\
eng@acme.com,USER,MEMBER,2,ACTIVE,bo@acme.com\n";

/// A policy with one org and Google, naming `files`, with `extra` appended.
fn policy(files: &str, extra: &str) -> String {
    format!(
        "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 10
identityProviders:
  - name: google
    kind: google-workspace
directoryExports:
  - idp: google
    format: gam
    files: {files}
    assigned: [eng@acme.com]
{extra}"
    )
}

fn load(files: &[(&str, &str)]) -> Result<Policy, LoadErrors> {
    cowork_policy::load_sources(files.iter().copied())
}

fn errors(result: Result<Policy, LoadErrors>) -> Vec<String> {
    match result {
        Ok(_) => panic!("expected load errors"),
        Err(errors) => errors
            .errors()
            .iter()
            .map(|e| match e.location() {
                Some(l) => format!("{l}: {}", e.message()),
                None => e.message(),
            })
            .collect(),
    }
}

#[test]
fn patterns_are_relative_to_the_declaring_file_and_name_what_they_match() {
    let text = policy("[\"../exports/*.csv\"]", "");
    let loaded = load(&[
        ("org/policy.yaml", &text),
        ("exports/a.csv", CSV),
        (
            "exports/deeper/b.csv",
            "group,email\nother@acme.com,cy@acme.com\n",
        ),
        (
            "org/exports/c.csv",
            "group,email\nwrong@acme.com,dee@acme.com\n",
        ),
    ])
    .unwrap();
    // `*` stays within its folder: only exports/a.csv.
    assert_eq!(loaded.export_files().collect::<Vec<_>>(), ["exports/a.csv"]);
    assert_eq!(loaded.files().collect::<Vec<_>>(), ["org/policy.yaml"]);
    let group = loaded.find_group("eng@acme.com").unwrap();
    assert_eq!(group.scim(), Some(true));
    assert_eq!(group.location().to_string(), "exports/a.csv:2:1");

    let text = policy("[\"exports/**/*.csv\"]", "");
    let loaded = load(&[
        ("policy.yaml", &text),
        ("exports/a.csv", CSV),
        (
            "exports/deeper/b.csv",
            "group,email\nother@acme.com,cy@acme.com\n",
        ),
    ])
    .unwrap();
    assert_eq!(loaded.export_files().count(), 2);
    assert_eq!(
        loaded.find_group("other@acme.com").unwrap().scim(),
        Some(false)
    );
}

#[test]
fn a_pattern_that_matches_nothing_and_a_malformed_export_are_located_errors() {
    let text = policy("[exports/none.csv]", "");
    assert_eq!(
        errors(load(&[("policy.yaml", &text)])),
        ["policy.yaml:12:13: no file matches `exports/none.csv`"]
    );
    let text = policy("[groups.json]", "").replace("format: gam", "format: msgraph");
    let found = errors(load(&[
        ("policy.yaml", &text),
        (
            "groups.json",
            "{\n  \"value\": [\n    {\"id\": \"g1\", \"displayName\": \"eng\"},\n  ]\n}\n",
        ),
    ]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("groups.json:3:39: trailing comma"),
        "{found:?}"
    );
}

#[test]
fn a_group_both_written_and_exported_is_an_error_unless_the_policy_says_which_wins() {
    let written = "groups:\n  - name: eng@acme.com\n    scim: true\n    members: [cy@acme.com]\n";
    let text = policy("[members.csv]", written);
    let found = errors(load(&[("policy.yaml", &text), ("members.csv", CSV)]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("members.csv:2:1: "), "{found:?}");
    assert!(found[0].contains("eng@acme.com"), "{found:?}");
    let duplicate = match load(&[("policy.yaml", &text), ("members.csv", CSV)]) {
        Err(errors) => errors.errors()[0].clone(),
        Ok(_) => unreachable!(),
    };
    match duplicate {
        cowork_policy::LoadError::Duplicate { first, .. } => {
            assert_eq!(first.to_string(), "policy.yaml:15:11")
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }

    let members = |text: &str| {
        let loaded = load(&[("policy.yaml", text), ("members.csv", CSV)]).unwrap();
        let group = loaded.find_group("eng@acme.com").unwrap();
        let mut emails: Vec<String> = group.members().map(|u| u.email().to_string()).collect();
        emails.sort();
        emails
    };
    let export_wins = text.replace("    assigned:", "    prefer: export\n    assigned:");
    assert_eq!(members(&export_wins), ["ana@acme.com", "bo@acme.com"]);
    let policy_wins = text.replace("    assigned:", "    prefer: policy\n    assigned:");
    assert_eq!(members(&policy_wins), ["cy@acme.com"]);
}

#[test]
fn emails_are_one_user_across_written_and_exported_groups_whatever_their_case() {
    let written = "groups:\n  - name: pilot\n    scim: true\n    members: [ANA@acme.com]\n";
    let text = policy("[members.csv]", written);
    let loaded = load(&[("policy.yaml", &text), ("members.csv", CSV)]).unwrap();
    assert_eq!(loaded.user_count(), 2);
    let ana = loaded.find_user("ana@ACME.com").unwrap();
    let mut groups: Vec<&str> = ana.groups().map(|g| g.name()).collect();
    groups.sort();
    assert_eq!(groups, ["eng@acme.com", "pilot"]);
}

#[test]
fn on_disk_exports_never_leave_the_policy_folder() {
    let dir = common::TempDir::new("exports-outside");
    dir.write("outside.csv", CSV);
    dir.write("repo/policy.yaml", policy("[\"../outside.csv\"]", ""));
    // `..` stops at the loaded folder: the pattern names repo/outside.csv, which is not there.
    let found = errors(cowork_policy::load_dir(dir.path().join("repo")));
    assert_eq!(found, ["policy.yaml:12:13: no file matches `outside.csv`"]);
    dir.write("repo/outside.csv", CSV);
    let loaded = cowork_policy::load_dir(dir.path().join("repo")).unwrap();
    assert_eq!(loaded.export_files().collect::<Vec<_>>(), ["outside.csv"]);
}

/// Export files are read many at a time, each folder resolved once: a link is still followed
/// before the file is judged, whether it is the file or the folder it is in.
#[cfg(unix)]
#[test]
fn on_disk_exports_behind_links_are_judged_where_the_links_lead() {
    use std::os::unix::fs::symlink;
    let dir = common::TempDir::new("exports-links");
    dir.write("secret/members.csv", CSV);
    dir.write("repo/exports/a.csv", CSV);
    dir.write("repo/policy.yaml", policy("[\"exports/**/*.csv\"]", ""));
    let repo = dir.path().join("repo");
    // A link to a file inside the folder is read as that file.
    symlink(repo.join("exports/a.csv"), repo.join("exports/b.csv")).unwrap();
    let loaded = cowork_policy::load_dir(&repo).unwrap();
    assert_eq!(
        loaded.export_files().collect::<Vec<_>>(),
        ["exports/a.csv", "exports/b.csv"]
    );
    // A link to a file outside it, and a folder that is a link to one outside it, are refused.
    symlink(
        dir.path().join("secret/members.csv"),
        repo.join("exports/c.csv"),
    )
    .unwrap();
    let found = errors(cowork_policy::load_dir(&repo));
    assert_eq!(
        found,
        [
            "policy.yaml:12:13: cannot read `exports/**/*.csv`: `exports/c.csv` is outside the policy folder"
        ]
    );
    // A pattern naming a file in a folder that is a link to one outside it (a glob does not
    // walk into linked folders; a plain path goes through them, and is refused).
    std::fs::remove_file(repo.join("exports/c.csv")).unwrap();
    symlink(dir.path().join("secret"), repo.join("linked")).unwrap();
    dir.write(
        "repo/policy.yaml",
        policy("[\"exports/*.csv\", \"linked/members.csv\"]", ""),
    );
    let found = errors(cowork_policy::load_dir(&repo));
    assert_eq!(
        found,
        [
            "policy.yaml:12:30: cannot read `linked/members.csv`: `linked/members.csv` is outside the policy folder"
        ]
    );
}
