//! `cowork-policy access`: a user, a group, the whole table, and unknown names.

use super::{run, stderr, stdout};

const OKTA: &str = "policies/okta-single-org";

#[test]
fn a_user_is_explained_with_the_lines_that_decide() {
    let output = run(&["access", OKTA, "Alexis.Kim@fabrikam.com"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.starts_with("alexis.kim@fabrikam.com\n"), "{out}");
    assert!(
        out.contains("spend limit: 150.00/month, decided by spend limit `pilot-budget` on group `cowork-pilot`  spend-limits.yaml:8:13"),
        "{out}"
    );
    let output = run(&[
        "access",
        OKTA,
        "alexis.kim@fabrikam.com",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["orgs"][0]["limit"]["amount"]["cents"], 15_000);
}

#[test]
fn a_group_is_explained_in_aggregate() {
    let output = run(&["access", OKTA, "--group", "contractors"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("members who count: 6"), "{out}");
    let output = run(&["access", OKTA, "--group", "contractors", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["members"], 6);
}

#[test]
fn the_whole_table_has_a_row_per_user() {
    let output = run(&["access", OKTA, "--all", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(cowork_policy_header()));
    let policy = cowork_policy::load_dir(super::root().join(OKTA)).unwrap();
    // One org, and every user is in at least one group of it.
    assert_eq!(lines.count(), policy.user_count());
    let output = run(&["access", OKTA, "--all", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["rows"].as_array().unwrap().len(), policy.user_count());
}

fn cowork_policy_header() -> &'static str {
    cowork_policy::render::ACCESS_CSV_HEADER
}

#[test]
fn unknown_names_exit_2_with_a_suggestion() {
    let output = run(&["access", OKTA, "alexis.kin@fabrikam.com"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no user `alexis.kin@fabrikam.com` in the policy\n  help: did you mean `alexis.kim@fabrikam.com`?\n"
    );
    let output = run(&["access", OKTA, "--group", "contractor"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `contractors`?"));
    let output = run(&["access", OKTA, "--group", "contractors", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("use it with `--all`"));
}

/// A name from the policy in the command's own error message is shown, never obeyed: the
/// suggestion names a group whose name holds line feeds and a workflow command.
#[test]
fn suggestions_from_the_policy_are_sanitised() {
    let dir = super::temp_dir("access-hostile");
    std::fs::write(
        dir.join("groups.yaml"),
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\ngroups:\n  - name: \"eng\\n::error::x\\e\"\n    members: [ana@acme.com]\n",
    )
    .unwrap();
    let output = run(&["access", dir.to_str().unwrap(), "--group", "eng ::error::x"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("did you mean `eng␊::error::x␛`?"), "{err}");
    assert!(
        !err.lines().any(|l| l.trim_start().starts_with("::")),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
