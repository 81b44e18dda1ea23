//! `cowork-policy config`: the effective settings and their sources, as text and JSON; a
//! malformed config or a flag naming no rule exits 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Run the binary in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cowork-policy"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A policy repo with a config at its root and a policy in `emea/`.
fn repo(name: &str, config: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cowork-policy-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("emea")).unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("cowork-policy.toml"), config).unwrap();
    std::fs::write(
        dir.join("emea/org.yaml"),
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n",
    )
    .unwrap();
    dir
}

#[test]
fn config_shows_each_setting_and_its_source() {
    let dir = repo(
        "config-text",
        "fail-level = \"warning\"\nselect = [\"IDP\"]\n",
    );
    let output = run_in(&dir, &["config", "emea", "--ignore", "IDP004,IDP005"]);
    assert_eq!(output.status.code(), Some(0), "{}", super::stderr(&output));
    let text = super::stdout(&output);
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no `{key}` in:\n{text}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        text.starts_with("# config: ../cowork-policy.toml\n"),
        "{text}"
    );
    assert_eq!(
        line("fail-level"),
        "fail-level = \"warning\" # ../cowork-policy.toml:1:14"
    );
    assert_eq!(
        line("select"),
        "select = [\"IDP\"] # ../cowork-policy.toml:2:10"
    );
    assert_eq!(
        line("ignore"),
        "ignore = [\"IDP004\", \"IDP005\"] # --ignore"
    );
    assert_eq!(line("include"), "include = [] # default");

    let output = run_in(&dir, &["config", "emea", "--no-config", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&super::stdout(&output)).unwrap();
    assert_eq!(json["version"], 1);
    assert!(json["config"].is_null());
    let fail_level = json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "fail-level")
        .unwrap();
    assert_eq!(fail_level["value"], "\"error\"");
    assert_eq!(fail_level["source"]["kind"], "default");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_config_or_an_unknown_rule_flag_exits_2() {
    let dir = repo("config-bad", "fail-levl = \"warning\"\n");
    let output = run_in(&dir, &["config", "emea"]);
    assert_eq!(output.status.code(), Some(2));
    let err = super::stderr(&output);
    assert!(err.contains("unknown key `fail-levl`"), "{err}");
    assert!(err.contains("--> ../cowork-policy.toml:1:1"), "{err}");
    assert!(err.contains("did you mean `fail-level`?"), "{err}");

    let output = run_in(&dir, &["config", "--format", "json", "emea"]);
    assert_eq!(output.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_str(&super::stdout(&output)).unwrap();
    assert_eq!(json["loadErrors"][0]["location"]["line"], 1);

    let output = run_in(&dir, &["config", "--no-config", "--select", "IDP09"]);
    assert_eq!(output.status.code(), Some(2));
    let err = super::stderr(&output);
    assert!(err.contains("--select: unknown rule `IDP09`"), "{err}");
    assert!(err.contains("did you mean `IDP009`?"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_finding_about_a_config_waiver_points_at_the_config_file() {
    let dir = repo(
        "config-stale-waiver",
        "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/nothing\"\nreason = \"left over\"\n",
    );
    let output = run_in(&dir, &["check", "emea", "--today", "2026-11-24"]);
    let out = super::stdout(&output);
    assert!(out.contains("warning[WAIVE002]"), "{out}");
    // The config's text is not a policy file, so there is no snippet, but the place is given.
    assert!(out.contains("--> ../cowork-policy.toml:2:8"), "{out}");
    assert!(out.contains("= note: nothing to waive"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
