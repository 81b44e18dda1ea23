//! The `cowork-policy` command, run as a user runs it: exit codes, formats, colour, and the
//! subcommands around `check`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod access;
mod baseline;
mod ci;
mod config;
mod diff;
mod drift;
mod habits;
mod import;
mod managed;
#[cfg(feature = "pull")]
mod pull;
mod release;
mod skipped;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(args)
        .current_dir(root())
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn examples() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| format!("policies/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn the_day_one_example_fails_with_its_findings() {
    let output = run(&[
        "check",
        "policies/day-one",
        "--today",
        "2026-11-24",
        "--format",
        "concise",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(
        out.ends_with("found 5 errors, 8 warnings in 17 policy files\n"),
        "{out}"
    );
    // The inline API key is never printed, in any format.
    assert!(!out.contains("nw-dd-ingest"), "{out}");
    let output = run(&["check", "policies/day-one", "--today", "2026-11-24"]);
    assert!(!stdout(&output).contains("nw-dd-ingest"));
    assert!(stdout(&output).contains("value: *************************"));
}

#[test]
fn every_example_checks_clean_with_exit_0() {
    let examples = examples();
    assert!(examples.len() >= 2);
    for example in examples {
        // day-one shows findings on purpose (its own test below).
        if example == "policies/day-one" {
            continue;
        }
        let output = run(&["check", "--today", "2026-11-24", &example]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{example}:\n{}",
            stdout(&output)
        );
        // The platform line, then the summary.
        assert!(
            stdout(&output).starts_with("checked against platform profile rollout-guide (")
                && stdout(&output)
                    .lines()
                    .last()
                    .is_some_and(|l| l.starts_with("no findings in ")),
            "{}",
            stdout(&output)
        );
    }
}

#[test]
fn errors_exit_1_and_render_like_rustc() {
    let output = run(&[
        "check",
        "fixtures/SEAT001-seats-below-scim-target/fail.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.starts_with("error[SEAT001]: org `"), "{text}");
    assert!(text.contains("--> fail.yaml:"), "{text}");
    assert!(text.contains("= help: "), "{text}");
    assert!(
        text.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("found "),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "NO_COLOR must turn colour off");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let fixture = "fixtures/SEAT002-seat-headroom/fail.yaml";
    assert_eq!(run(&["check", fixture]).status.code(), Some(0));
    let denied = run(&["check", fixture, "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(stdout(&denied).starts_with("warning[SEAT002]"));
}

#[test]
fn colour_can_be_forced() {
    let output = run(&[
        "check",
        "fixtures/SEAT001-seats-below-scim-target/fail.yaml",
        "--color",
        "always",
    ]);
    assert!(stdout(&output).contains('\u{1b}'));
    let never = run(&[
        "check",
        "fixtures/SEAT001-seats-below-scim-target/fail.yaml",
        "--color",
        "never",
    ]);
    assert!(!stdout(&never).contains('\u{1b}'));
}

#[test]
fn json_output_is_versioned_and_machine_readable() {
    let output = run(&[
        "check",
        "fixtures/IDP001-nested-idp-group/fail.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "cowork-policy");
    let first = &json["findings"][0];
    assert_eq!(first["code"], "IDP001");
    assert_eq!(first["name"], "nested-idp-group");
    assert_eq!(first["severity"], "error");
    assert!(first["location"]["line"].as_u64().unwrap() > 0);
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn load_errors_exit_2_with_location() {
    let dir = std::env::temp_dir().join(format!("cowork-policy-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("groups.yaml"),
        "apiVersion: cowork-policy/v1\ngroups:\n  - name: eng\n    membrs: [a@b.co]\n",
    )
    .unwrap();
    let path = dir.to_string_lossy().to_string();
    let output = run(&["check", &path]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.contains("unknown field `membrs`"), "{text}");
    assert!(text.contains("groups.yaml:4:5"), "{text}");
    assert!(text.contains("did you mean `members`?"), "{text}");
    let json = run(&["check", &path, "--format", "json"]);
    assert_eq!(json.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["loadErrors"][0]["location"]["line"], 4);
    std::fs::remove_dir_all(&dir).unwrap();

    let missing = run(&["check", "does/not/exist"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("does/not/exist"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["--help"]).status.code(), Some(0));
}

/// A fresh, empty directory for one test's output files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cowork-policy-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn several_formats_in_one_run() {
    let dir = temp_dir("formats");
    let file = |name: &str| dir.join(name).to_string_lossy().to_string();
    let (sarif, summary, junit, gitlab, concise) = (
        file("results.sarif"),
        file("summary.md"),
        file("junit.xml"),
        file("gl-code-quality.json"),
        file("concise.txt"),
    );
    let output = run(&[
        "check",
        "fixtures/render",
        "--format",
        "github",
        "--format",
        "sarif",
        "--output-file",
        &sarif,
        "--format",
        "markdown",
        "--output-file",
        &summary,
        "--format=junit",
        "--output-file",
        &junit,
        "--output-file",
        &gitlab,
        "--format",
        "gitlab",
        "--format",
        "concise",
    ]);
    // `--output-file gl-code-quality.json` binds to `--format junit`, the format before it:
    // a usage error, since junit already has a file.
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("`--format junit` has two output files"));
    assert!(!Path::new(&sarif).exists(), "nothing is written");

    let output = run(&[
        "check",
        "fixtures/render",
        "--format",
        "github",
        "--format",
        "sarif",
        "--output-file",
        &sarif,
        "--format",
        "markdown",
        "--output-file",
        &summary,
        "--format=junit",
        "--output-file",
        &junit,
        "--format",
        "gitlab",
        "--output-file",
        &gitlab,
        "--format",
        "concise",
        "--output-file",
        &concise,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // GitHub annotations on stdout, with paths from the repository root.
    let annotations = stdout(&output);
    assert!(
        annotations.starts_with("::error file=fixtures/render/groups/teams.yaml,line=8,"),
        "{annotations}"
    );
    assert_eq!(annotations.lines().count(), 5);
    assert!(annotations.lines().all(|l| l.starts_with("::")));

    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let run0 = &log["runs"][0];
    assert_eq!(run0["invocations"][0]["exitCode"], 1);
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    assert_eq!(run0["results"].as_array().unwrap().len(), 5);
    assert_eq!(
        run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/render/groups/teams.yaml"
    );

    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(markdown.starts_with("## cowork-policy\n\n**Found 3 errors and 2 warnings**"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuites name=\"cowork-policy\" tests=\""));
    assert!(xml.contains("\" failures=\"5\" errors=\"0\""));
    let issues: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gitlab).unwrap()).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), 5);
    let lines = std::fs::read_to_string(&concise).unwrap();
    assert!(lines.starts_with("fixtures/render/groups/teams.yaml:8:20: error[IDP001]: "));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn full_is_the_default_and_human_an_alias() {
    let fixture = "fixtures/IDP001-nested-idp-group/fail.yaml";
    let default = stdout(&run(&["check", fixture]));
    assert!(default.starts_with("error[IDP001]"), "{default}");
    assert_eq!(
        stdout(&run(&["check", fixture, "--format", "full"])),
        default
    );
    assert_eq!(
        stdout(&run(&["check", fixture, "--format", "human"])),
        default
    );
}

#[test]
fn the_path_prefix_is_found_from_the_repository_and_can_be_given() {
    let fixture = "fixtures/IDP001-nested-idp-group/fail.yaml";
    let found = stdout(&run(&["check", fixture, "--format", "concise"]));
    assert!(
        found.starts_with("fixtures/IDP001-nested-idp-group/fail.yaml:20:20: error[IDP001]: "),
        "{found}"
    );
    let given = stdout(&run(&[
        "check",
        fixture,
        "--format",
        "concise",
        "--path-prefix",
        "./policy/",
    ]));
    assert!(given.starts_with("policy/fail.yaml:20:20: "), "{given}");
    let linked = stdout(&run(&[
        "check",
        fixture,
        "--format",
        "markdown",
        "--link-base",
        "https://github.com/acme/policy/blob/abc123",
    ]));
    assert!(
        linked.contains("[fixtures/IDP001-nested-idp-group/fail.yaml:20](https://github.com/acme/policy/blob/abc123/fixtures/IDP001-nested-idp-group/fail.yaml#L20)"),
        "{linked}"
    );
}

#[test]
fn output_files_and_formats_must_pair_up() {
    let dir = temp_dir("usage");
    let file = dir.join("out.txt").to_string_lossy().to_string();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--output-file", &file, "--format", "sarif"],
            "has no `--format` before it",
        ),
        (
            &["--format", "sarif", "--format", "github"],
            "`sarif` and `github` would both go to standard output",
        ),
        (
            &[
                "--format",
                "sarif",
                "--output-file",
                &file,
                "--format",
                "json",
                "--output-file",
                &file,
            ],
            "`--format sarif` and `--format json` both write to",
        ),
        (
            &[
                "--format",
                "json",
                "--output-file",
                &file,
                "--output-file",
                &file,
            ],
            "`--format json` has two output files",
        ),
    ];
    for (args, expected) in cases {
        let mut command = vec!["check", "fixtures/render"];
        command.extend_from_slice(args);
        let output = run(&command);
        assert_eq!(output.status.code(), Some(2), "{command:?}");
        let text = stderr(&output);
        assert!(text.starts_with("error: "), "{text}");
        assert!(text.contains(expected), "{command:?}: {text}");
        assert!(text.contains("Usage: cowork-policy check"), "{text}");
        assert!(stdout(&output).is_empty());
        assert!(!Path::new(&file).exists(), "{command:?} wrote a file");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_errors_reach_every_machine_format() {
    let dir = temp_dir("load-errors");
    let policy = dir.join("policy");
    std::fs::create_dir_all(&policy).unwrap();
    std::fs::write(
        policy.join("groups.yaml"),
        "apiVersion: cowork-policy/v1\ngroups:\n  - name: eng\n    membrs: [a@b.co]\n",
    )
    .unwrap();
    let path = policy.to_string_lossy().to_string();
    let sarif = dir.join("out.sarif").to_string_lossy().to_string();
    let junit = dir.join("junit.xml").to_string_lossy().to_string();
    let output = run(&[
        "check",
        &path,
        "--format",
        "github",
        "--format",
        "sarif",
        "--output-file",
        &sarif,
        "--format",
        "junit",
        "--output-file",
        &junit,
        "--path-prefix",
        "policy",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let annotations = stdout(&output);
    assert!(
        annotations.starts_with(
            "::error file=policy/groups.yaml,line=4,col=5,endLine=4,endColumn=11,title=cowork-policy could not load the policy::unknown field `membrs` in a group%0Ahelp: did you mean `members`?"
        ),
        "{annotations}"
    );
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policy/groups.yaml"
    );
    // An empty list: GitHub's upload action refuses a run without one; the failed
    // invocation and the exit code say the check did not run.
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<error type=\"load-error\""), "{xml}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rules_lists_every_rule() {
    let table = stdout(&run(&["rules"]));
    assert_eq!(table.lines().count(), cowork_policy_rule_count());
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("IDP001") && l.contains("nested-idp-group"))
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["rules", "--format", "json"]))).unwrap();
    assert_eq!(
        json["rules"].as_array().unwrap().len(),
        cowork_policy_rule_count()
    );
}

fn cowork_policy_rule_count() -> usize {
    cowork_policy::rules().len()
}

#[test]
fn explain_takes_a_code_or_a_name() {
    let by_code = run(&["explain", "IDP001"]);
    assert_eq!(by_code.status.code(), Some(0));
    let text = stdout(&by_code);
    assert!(
        text.starts_with("# IDP001 nested-idp-group (error by default)"),
        "{text}"
    );
    assert!(text.contains("## Why it matters"));
    assert_eq!(stdout(&run(&["explain", "nested-idp-group"])), text);
    let unknown = run(&["explain", "IDP999"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("`cowork-policy rules`"));
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = run(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read_to_string(root().join("docs/policy.schema.json")).unwrap();
    assert_eq!(stdout(&output), committed);
}

#[test]
fn graph_draws_the_rollout_as_dot_by_default_and_groups_as_mermaid() {
    let output = run(&[
        "graph",
        "fixtures/ORDER001-step-before-prerequisite/fail.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let dot = stdout(&output);
    assert!(dot.starts_with("digraph {\n"), "{dot}");
    assert!(
        dot.contains(
            r#""step/rbac-roles-configured" -> "step/connectors-live" [label="out of order""#
        ),
        "{dot}"
    );

    let output = run(&[
        "graph",
        "fixtures/IDP001-nested-idp-group/fail.yaml",
        "--groups",
        "--around",
        "contractors",
        "--format",
        "mermaid",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mermaid = stdout(&output);
    assert!(mermaid.starts_with("flowchart LR\n"), "{mermaid}");
    assert!(
        mermaid.contains(r#"-.->|"nested: does not sync"|"#),
        "{mermaid}"
    );
    assert!(!mermaid.contains("engineering"), "{mermaid}");
}

#[test]
fn graph_of_an_unknown_org_or_group_exits_2_with_a_suggestion() {
    let output = run(&[
        "graph",
        "fixtures/IDP001-nested-idp-group/fail.yaml",
        "--groups",
        "--org",
        "acme",
        "--around",
        "contractor",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no group is called `contractor` in org `acme`\n  help: did you mean `contractors`?\n"
    );
    let output = run(&[
        "graph",
        "fixtures/IDP001-nested-idp-group/fail.yaml",
        "--org",
        "acme",
    ]);
    assert_eq!(output.status.code(), Some(2), "--org needs --groups");
}
