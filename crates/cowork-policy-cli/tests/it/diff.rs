//! `cowork-policy diff`: two directories, and a git revision against the working tree of a real
//! temporary repository, with the `--fail-on` gates and their exit codes.

use super::baseline::Repo;
use super::{run, stderr, stdout};

const POLICY: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 5
groups:
  - name: eng
    org: acme
    scim: true
    members: [ana@acme.com, bo@acme.com]
  - name: sales
    org: acme
    scim: true
    members: [cy@acme.com]
roles:
  - name: cowork-users
    entitlements: [cowork]
    groups: [eng]
spendLimits:
  - name: eng-cap
    amount: 100
    groups: [eng]
";

#[test]
fn a_revision_against_the_working_tree_sees_the_change_and_gates_trip() {
    let repo = Repo::new("diff");
    repo.write("policies/acme/policy.yaml", POLICY);
    repo.commit("base");
    // Nothing changed yet: an empty diff, and no gate trips.
    let output = repo.run(&[
        "diff",
        "HEAD",
        "policies/acme",
        "--fail-on",
        "access-gained",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "no change in effective access\n");
    repo.write(
        "policies/acme/policy.yaml",
        &POLICY
            .replace(
                "groups: [eng]\nspendLimits",
                "groups: [eng, sales]\nspendLimits",
            )
            .replace("amount: 100", "amount: 250"),
    );
    let output = repo.run(&["diff", "HEAD", "policies/acme"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("+1 user gain Cowork, 2 users' limit raised\n"),
        "{out}"
    );
    assert!(out.contains("cy@acme.com"), "{out}");
    // `--base REV [PATH]` is the same comparison.
    let output = repo.run(&[
        "diff",
        "--base",
        "HEAD",
        "policies/acme",
        "--format",
        "json",
        "--fail-on",
        "access-gained,seats-exceeded",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("gate tripped: access-gained"));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["entitlements"][0]["users"], 1);
    assert_eq!(json["limits"][0]["raised"], true);
    let output = repo.run(&["diff", "HEAD", "policies/acme", "--fail-on", "limit-raised"]);
    assert_eq!(output.status.code(), Some(1));
    let output = repo.run(&[
        "diff",
        "HEAD",
        "policies/acme",
        "--fail-on",
        "seats-exceeded",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(repo.temp_is_clean());
}

#[test]
fn two_directories_and_bad_sides() {
    let output = run(&[
        "diff",
        "fixtures/diff/base",
        "fixtures/diff/head",
        "--today",
        "2026-11-24",
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("### Cowork policy diff\n\n**+41 users gain Cowork"));
    let output = run(&["diff", "fixtures/diff/nope", "fixtures/diff/head"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("`fixtures/diff/nope` is neither a directory nor a usable git revision"),
        "{}",
        stderr(&output)
    );
    // A single policy file is a side too.
    let output = run(&[
        "diff",
        "fixtures/IDP001-nested-idp-group/pass.yaml",
        "fixtures/IDP001-nested-idp-group/fail.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run(&["diff"]);
    assert_eq!(output.status.code(), Some(2));
}

/// A policy whose groups come from an export: the export is read at the revision too, so a
/// member added in the IdP shows as access gained.
#[test]
fn a_revision_reads_the_exports_of_its_time() {
    const ORG: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 5
identityProviders:
  - name: google
    kind: google-workspace
directoryExports:
  - idp: google
    format: gam
    files: [exports/members.csv]
    assigned: [eng@acme.com]
roles:
  - name: cowork-users
    entitlements: [cowork]
    groups: [eng@acme.com]
";
    const CSV: &str =
        "group,type,role,id,status,email\neng@acme.com,USER,MEMBER,1,ACTIVE,ana@acme.com\n";
    let repo = Repo::new("diff-export");
    repo.write("policies/acme/policy.yaml", ORG);
    repo.write("policies/acme/exports/members.csv", CSV);
    repo.commit("base");
    let output = repo.run(&["diff", "HEAD", "policies/acme"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "no change in effective access\n");
    repo.write(
        "policies/acme/exports/members.csv",
        &format!("{CSV}eng@acme.com,USER,MEMBER,2,ACTIVE,bo@acme.com\n"),
    );
    let output = repo.run(&["diff", "HEAD", "policies/acme"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("+1 user gain Cowork"), "{out}");
    assert!(out.contains("bo@acme.com"), "{out}");
    // And `check --new-since` reads the base's export too: nothing new.
    let output = repo.run(&["check", "policies/acme", "--new-since", "HEAD"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}
