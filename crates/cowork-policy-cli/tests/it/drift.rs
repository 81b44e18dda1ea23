//! `cowork-policy drift PATH --live DIR`: the policy against a snapshot of the live org, with
//! `check`'s formats, output files, fail level and exit codes.

use super::{run, stderr, stdout, temp_dir};

const SEATS: &str = "fixtures/DRIFT003-seats-taken-live";
const MEMBERS: &str = "fixtures/DRIFT001-member-not-provisioned";

#[test]
fn reports_drift_with_checks_exit_codes_and_fail_level() {
    let error = run(&[
        "drift",
        &format!("{SEATS}/fail.yaml"),
        "--live",
        &format!("{SEATS}/fail.live"),
        "--format",
        "concise",
    ]);
    assert_eq!(error.status.code(), Some(1), "{}", stderr(&error));
    assert_eq!(
        stdout(&error).lines().next().unwrap(),
        "fixtures/DRIFT003-seats-taken-live/fail.yaml:8:12: error[DRIFT003]: org `acme` has 3 seats but `users.json` lists 2 members and `invites.json` 2 pending invites (4 taken, 1 over)"
    );

    let clean = run(&[
        "drift",
        &format!("{SEATS}/pass.yaml"),
        "--live",
        &format!("{SEATS}/pass.live"),
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));

    // A warning passes by default and fails from `--fail-level warning`, as with `check`.
    let member = |extra: &[&str]| {
        let policy = format!("{MEMBERS}/fail.yaml");
        let live = format!("{MEMBERS}/fail.live");
        let mut args = vec!["drift", policy.as_str(), "--live", live.as_str()];
        args.extend_from_slice(extra);
        run(&args)
    };
    let warned = member(&["--format", "concise"]);
    assert_eq!(warned.status.code(), Some(0), "{}", stderr(&warned));
    assert!(
        stdout(&warned).contains("warning[DRIFT001]"),
        "{}",
        stdout(&warned)
    );
    assert_eq!(member(&["--fail-level", "warning"]).status.code(), Some(1));
    // `check` alone finds none of it: drift needs the snapshot.
    let checked = run(&[
        "check",
        &format!("{MEMBERS}/fail.yaml"),
        "--format",
        "concise",
    ]);
    assert!(!stdout(&checked).contains("[DRIFT"), "{}", stdout(&checked));
}

#[test]
fn the_docs_example_is_real_output() {
    let doc = std::fs::read_to_string(super::root().join("docs/drift.md")).unwrap();
    let start = doc.find("```text\n$ cowork-policy drift").unwrap() + "```text\n".len();
    let block = &doc[start..start + doc[start..].find("```").unwrap()];
    let (_, shown) = block.split_once("--format concise\n").unwrap();
    let output = run(&[
        "drift",
        &format!("{MEMBERS}/fail.yaml"),
        "--live",
        &format!("{MEMBERS}/fail.live"),
        "--format",
        "concise",
    ]);
    assert_eq!(stdout(&output), shown);
}

#[test]
fn writes_every_format_to_files() {
    let dir = temp_dir("drift-formats");
    let sarif = dir.join("drift.sarif");
    let markdown = dir.join("drift.md");
    let output = run(&[
        "drift",
        &format!("{SEATS}/fail.yaml"),
        "--live",
        &format!("{SEATS}/fail.live"),
        "--format",
        "sarif",
        "-o",
        sarif.to_str().unwrap(),
        "--format",
        "markdown",
        "-o",
        markdown.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "DRIFT003");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        8
    );
    let markdown = std::fs::read_to_string(&markdown).unwrap();
    assert!(markdown.contains("DRIFT003"), "{markdown}");
    assert!(markdown.contains("`invites.json`"), "{markdown}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_snapshot_that_cannot_be_read_exits_2_naming_it() {
    let missing = run(&[
        "drift",
        &format!("{SEATS}/fail.yaml"),
        "--live",
        "fixtures/no-such-snapshot",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "error: cannot read the snapshot `fixtures/no-such-snapshot`: manifest.json: no such file or directory\n"
    );
    assert_eq!(stdout(&missing), "");

    let stdin = run(&["drift", "-", "--live", &format!("{SEATS}/fail.live")]);
    assert_eq!(stdin.status.code(), Some(2));
    assert!(
        stderr(&stdin).contains("give its path, not `-`"),
        "{}",
        stderr(&stdin)
    );

    let no_live = run(&["drift", &format!("{SEATS}/fail.yaml")]);
    assert_eq!(no_live.status.code(), Some(2));
    assert!(
        stderr(&no_live).contains("--live <DIR>"),
        "{}",
        stderr(&no_live)
    );
}

#[test]
fn org_names_the_org_the_snapshot_is_of() {
    let dir = temp_dir("drift-org");
    // Two top-level orgs: by default the first is compared; `--org` picks the second, whose
    // seats the snapshot's members and invites exceed.
    std::fs::write(
        dir.join("policy.yaml"),
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n    seats: 10\n  - name: globex\n    seats: 1\n",
    )
    .unwrap();
    let policy = dir.to_str().unwrap();
    let live = format!("{SEATS}/fail.live");
    let first = run(&["drift", policy, "--live", &live, "--format", "concise"]);
    assert_eq!(first.status.code(), Some(0), "{}", stdout(&first));
    let named = run(&[
        "drift", policy, "--live", &live, "--org", "globex", "--format", "concise",
    ]);
    assert_eq!(named.status.code(), Some(1), "{}", stderr(&named));
    assert!(
        stdout(&named).contains("error[DRIFT003]: org `globex` has 1 seat but"),
        "{}",
        stdout(&named)
    );

    let unknown = run(&["drift", policy, "--live", &live, "--org", "globx"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "error: no org `globx` in the policy\n  help: did you mean `globex`?\n"
    );
    assert_eq!(stdout(&unknown), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn synth_writes_a_live_org_that_drifts_from_nothing_and_one_that_drifts() {
    let dir = temp_dir("drift-synth");
    let (org, live) = (dir.join("org"), dir.join("live"));
    let output = run(&[
        "synth",
        "--users",
        "500",
        "--out",
        org.to_str().unwrap(),
        "--live",
        live.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(live.join("manifest.json").is_file());
    let clean = run(&[
        "drift",
        org.to_str().unwrap(),
        "--live",
        live.to_str().unwrap(),
        "--format",
        "concise",
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean).starts_with("no findings in "),
        "{}",
        stdout(&clean)
    );

    // The same org with its default limit changed in the policy: every member the default
    // governs differs, at `defaultSpendLimit`.
    let org_yaml = org.join("org.yaml");
    let text = std::fs::read_to_string(&org_yaml).unwrap();
    std::fs::write(
        &org_yaml,
        text.replace("defaultSpendLimit: 100", "defaultSpendLimit: 90"),
    )
    .unwrap();
    let drifted = run(&[
        "drift",
        org.to_str().unwrap(),
        "--live",
        live.to_str().unwrap(),
        "--format",
        "concise",
    ]);
    assert!(
        stdout(&drifted).contains("warning[DRIFT009]: `effective_spend_limits.json` gives "),
        "{}",
        stdout(&drifted)
    );
    assert!(
        stdout(&drifted).contains("than the default of org `synth` (90.00/month)"),
        "{}",
        stdout(&drifted)
    );
    // A snapshot folder that is not empty is refused, as `--out` is.
    let again = run(&[
        "synth",
        "--users",
        "5",
        "--out",
        dir.join("other").to_str().unwrap(),
        "--live",
        live.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("is not empty"),
        "{}",
        stderr(&again)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
