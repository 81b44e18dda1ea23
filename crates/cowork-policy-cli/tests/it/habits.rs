//! The habits users bring from ruff and conftest: `-q`, `--exit-zero`, `--statistics`, `-o`,
//! `check -` with `--stdin-filename`, shell completions, `FORCE_COLOR`, and `schema --config`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use super::{root, run, stderr, stdout, temp_dir};

const SEAT001: &str = "fixtures/SEAT001-seats-below-scim-target/fail.yaml";

/// Run the binary at the repository root with `environment` set and nothing else about colour.
fn run_with_env(args: &[&str], environment: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cowork-policy"));
    command
        .args(args)
        .current_dir(root())
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("NO_COLOR");
    for (name, value) in environment {
        command.env(name, value);
    }
    command.output().unwrap()
}

/// Run the binary at the repository root with `input` on standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(args)
        .current_dir(root())
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses its arguments exits without reading: the pipe may be closed
    // before the text is written (EPIPE), which is its answer, not the test's failure.
    if let Err(error) = child.stdin.take().unwrap().write_all(input) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
    }
    child.wait_with_output().unwrap()
}

#[test]
fn quiet_prints_only_the_findings() {
    let args = ["check", "policies/day-one", "--today", "2026-11-24"];
    let concise = run(&[&args[..], &["--format", "concise", "-q"]].concat());
    assert_eq!(concise.status.code(), Some(1));
    let text = stdout(&concise);
    assert_eq!(text.lines().count(), 13, "{text}");
    assert!(
        text.lines().all(|l| l.starts_with("policies/day-one/")),
        "{text}"
    );
    let full = run(&[&args[..], &["--quiet"]].concat());
    let text = stdout(&full);
    assert!(
        text.starts_with("error[") || text.starts_with("warning["),
        "{text}"
    );
    assert!(!text.contains("found 5 errors"), "{text}");
    assert!(!text.contains("checked against"), "{text}");
    // Without it, the summary is there; a machine format is whole either way.
    assert!(stdout(&run(&args)).contains("found 5 errors, 8 warnings"));
    let json = |quiet: &[&str]| stdout(&run(&[&args[..], &["--format", "json"], quiet].concat()));
    assert_eq!(json(&["-q"]), json(&[]));
    // Load errors are still printed.
    let broken = run(&["check", "fixtures/does-not-exist", "-q"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(stderr(&broken).contains("could not load the policy"));
}

#[test]
fn exit_zero_reports_but_never_fails_on_findings() {
    let output = run(&["check", SEAT001, "--exit-zero", "--format", "concise"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("error[SEAT001]"));
    let denied = run(&[
        "check",
        "fixtures/SEAT002-seat-headroom/fail.yaml",
        "--deny",
        "warnings",
        "--exit-zero",
    ]);
    assert_eq!(denied.status.code(), Some(0));
    // A policy that does not load still exits 2.
    let broken = run_with_stdin(
        &["check", "-", "--exit-zero"],
        b"apiVersion: cowork-policy/v1\norgs: [\n",
    );
    assert_eq!(broken.status.code(), Some(2));
}

#[test]
fn statistics_count_findings_per_rule_as_ruff_does() {
    let output = run(&[
        "check",
        "fixtures/SEAT001-seats-below-scim-target/fail.yaml",
        "--statistics",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "2\tSEAT001\terror\tseats-below-scim-target\nfound 2 errors in 1 policy file\n"
    );
    // docs/output-formats.md shows this very output.
    let doc = std::fs::read_to_string(root().join("docs/output-formats.md")).unwrap();
    let section = &doc[doc.find("## Less output").unwrap()..];
    let block = &section[section.find("```text\n").unwrap() + 8..];
    assert_eq!(&block[..block.find("```").unwrap()], stdout(&output));
    let day_one = run(&[
        "check",
        "policies/day-one",
        "--today",
        "2026-11-24",
        "--statistics",
        "-q",
    ]);
    let text = stdout(&day_one);
    assert_eq!(text.lines().count(), 13, "{text}");
    assert!(
        text.contains("1\tIDP001   \terror  \tnested-idp-group\n"),
        "{text}"
    );
    // With `--format json`, the same rows as an array, as ruff gives them.
    let json = run(&[
        "check",
        "policies/day-one",
        "--today",
        "2026-11-24",
        "--statistics",
        "--format",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(1));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 13);
    assert_eq!(
        rows[0],
        serde_json::json!({"code": "CONN001", "name": "per-group-connector", "severity": "error", "count": 1})
    );
    // Another machine format cannot share standard output with the table; in a file it is whole.
    let refused = run(&["check", SEAT001, "--statistics", "--format", "sarif"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("`--statistics`"),
        "{}",
        stderr(&refused)
    );
    let dir = temp_dir("statistics");
    let file = dir.join("report.json");
    let both = run(&[
        "check",
        SEAT001,
        "--statistics",
        "--format",
        "json",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(1));
    assert!(
        stdout(&both).starts_with("2\tSEAT001\t"),
        "{}",
        stdout(&both)
    );
    let json = std::fs::read_to_string(&file).unwrap();
    assert_eq!(json, stdout(&run(&["check", SEAT001, "--format", "json"])));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn short_o_writes_the_output_file_creating_its_folders() {
    let dir = temp_dir("short-o");
    let file = dir.join("reports/ci/cowork.sarif");
    let output = run(&[
        "check",
        SEAT001,
        "--format",
        "sarif",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    let sarif = std::fs::read_to_string(&file).unwrap();
    assert!(sarif.contains("\"ruleId\": \"SEAT001\""), "{sarif}");
    // A folder that cannot be made is an output that cannot be written: exit 2.
    std::fs::write(dir.join("blocked"), "").unwrap();
    let blocked = dir.join("blocked/out.sarif");
    let output = run(&[
        "check",
        SEAT001,
        "--format",
        "sarif",
        "-o",
        blocked.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("could not write"),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_dash_reads_standard_input_named_by_stdin_filename() {
    let text = std::fs::read(root().join(SEAT001)).unwrap();
    let named = run_with_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            SEAT001,
            "--format",
            "concise",
        ],
        &text,
    );
    assert_eq!(named.status.code(), Some(1));
    // The same output as checking the file by path.
    assert_eq!(
        stdout(&named),
        stdout(&run(&["check", SEAT001, "--format", "concise"]))
    );
    let anonymous = run_with_stdin(&["check", "-", "--format", "concise"], &text);
    assert!(
        stdout(&anonymous).starts_with("<stdin>:14:12: error[SEAT001]"),
        "{}",
        stdout(&anonymous)
    );
    // Load errors name the file too, in every format.
    let bad = run_with_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "emea/groups.yaml",
            "--format",
            "json",
        ],
        b"apiVersion: cowork-policy/v1\ngroups:\n  - name: a\n    members: [not-an-email]\n",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(stdout(&bad).contains("\"groups.yaml\""), "{}", stdout(&bad));
    let not_utf8 = run_with_stdin(&["check", "-"], b"apiVersion: cowork-policy/v1\n\xff\n");
    assert_eq!(not_utf8.status.code(), Some(2));
    assert!(
        stderr(&not_utf8).contains("not UTF-8"),
        "{}",
        stderr(&not_utf8)
    );
    // `--stdin-filename` without `-`, or `-` with `--new-since`, is a usage error.
    let misplaced = run(&["check", SEAT001, "--stdin-filename", "x.yaml"]);
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(stderr(&misplaced).contains("give `-` as the path"));
    let compared = run_with_stdin(&["check", "-", "--new-since", "HEAD"], &text);
    assert_eq!(compared.status.code(), Some(2));
    assert!(stderr(&compared).contains("standard input"));
}

#[test]
fn stdin_filename_finds_the_config_from_its_folder() {
    let dir = temp_dir("stdin-config");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::create_dir_all(dir.join("emea")).unwrap();
    std::fs::write(dir.join("cowork-policy.toml"), "ignore = [\"SEAT001\"]\n").unwrap();
    let text = std::fs::read(root().join(SEAT001)).unwrap();
    let path = dir.join("emea/org.yaml");
    let output = run_with_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            path.to_str().unwrap(),
            "--format",
            "concise",
        ],
        &text,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "-o default cowork-policy"),
        ("zsh", "#compdef cowork-policy"),
        ("fish", "complete -c cowork-policy -n"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("stdin-filename"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn force_color_turns_colour_on_unless_no_color_or_the_command_line_says_otherwise() {
    let escape = |output: &Output| stdout(output).contains('\u{1b}');
    let check = ["check", SEAT001];
    assert!(
        !escape(&run_with_env(&check, &[])),
        "stdout is not a terminal"
    );
    assert!(escape(&run_with_env(&check, &[("FORCE_COLOR", "1")])));
    assert!(
        escape(&run_with_env(&check, &[("FORCE_COLOR", "0")])),
        "any value forces"
    );
    assert!(
        !escape(&run_with_env(&check, &[("FORCE_COLOR", "")])),
        "empty is unset"
    );
    assert!(escape(&run_with_env(&check, &[("CLICOLOR_FORCE", "1")])));
    assert!(!escape(&run_with_env(
        &check,
        &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]
    )));
    let never = [&check[..], &["--color", "never"]].concat();
    assert!(!escape(&run_with_env(&never, &[("FORCE_COLOR", "1")])));
    let always = [&check[..], &["--color", "always"]].concat();
    assert!(escape(&run_with_env(&always, &[("NO_COLOR", "1")])));
}

#[test]
fn schema_config_prints_the_committed_config_schema() {
    let output = run(&["schema", "--config"]);
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read_to_string(root().join("docs/config.schema.json")).unwrap();
    assert_eq!(stdout(&output), committed);
}
