//! The CI integrations, as a policy repo copies them: the GitHub Action's script run with a
//! runner's environment, the GitLab job's script run as GitLab runs it, and the README's
//! snippets, which must be the files under `docs/ci/` that these tests and
//! `.ci/test-pre-commit` use. (The pre-commit hook itself needs the real pre-commit and a
//! release build: `.ci/test-pre-commit` runs it.)
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use super::{root, stderr, stdout, temp_dir};

/// A file of the repository, as text.
fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A YAML file of the repository, as a JSON value.
fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The names just after each `prefix` in a text: with `inputs.`, the inputs its expressions read.
fn expressions<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// What one run of the action's check step left behind.
struct ActionRun {
    output: Output,
    /// The job summary: `earlier step\n`, then what the step appended.
    summary: String,
    /// The step's outputs, from `$GITHUB_OUTPUT`.
    outputs: BTreeMap<String, String>,
    sarif: Option<Value>,
}

/// Run `scripts/action-check.sh` as the `check` step of action.yml runs it: each variable of
/// the step's `env` set from the action's inputs (their defaults, or `inputs` by input name),
/// with a runner's variables pointing at temporary files, and the test binary as `binary`.
fn run_action(name: &str, inputs: &[(&str, &str)]) -> ActionRun {
    let action = yaml("action.yml");
    let dir = temp_dir(&format!("action-{name}"));
    let summary = dir.join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let github_output = dir.join("github-output");
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_string())
            .or_else(|| action["inputs"][name]["default"].as_str().map(String::from))
            .unwrap_or_else(|| panic!("action.yml has no input `{name}`"))
    };
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "check")
        .expect("action.yml has a step with id `check`");
    let mut command = Command::new("bash");
    command
        .arg(root().join("scripts/action-check.sh"))
        .current_dir(&dir)
        .env("GITHUB_WORKSPACE", root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &github_output)
        .env("RUNNER_TEMP", &dir)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/policy")
        .env("GITHUB_SHA", "merge0123")
        .env("NO_COLOR", "1");
    for (key, value) in step["env"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        let simple = value
            .strip_prefix("${{ inputs.")
            .and_then(|rest| rest.strip_suffix(" }}"))
            .filter(|name| !name.contains(' '));
        let value = match (key.as_str(), simple) {
            ("COWORK_POLICY", _) => {
                assert!(
                    value.starts_with("${{ steps.release.outputs.binary || "),
                    "{value}"
                );
                env!("CARGO_BIN_EXE_cowork-policy").to_string()
            }
            ("LINK_BASE_SHA", _) => "head4567".to_string(),
            (_, Some(name)) => input(name),
            _ => panic!("the test does not know how to set `{key}: {value}` of action.yml"),
        };
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let outputs: BTreeMap<String, String> = std::fs::read_to_string(&github_output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let sarif = outputs.get("sarif-file").and_then(|file| {
        let file = root().join(file);
        let text = std::fs::read_to_string(file).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    });
    let run = ActionRun {
        output,
        summary: std::fs::read_to_string(&summary).unwrap(),
        outputs,
        sarif,
    };
    std::fs::remove_dir_all(&dir).unwrap();
    run
}

#[test]
fn the_action_passes_a_clean_policy_and_writes_its_files() {
    let dir = temp_dir("clean-sarif");
    let sarif = dir.join("reports/cowork-policy.sarif");
    let run = run_action(
        "clean",
        &[
            ("path", "policies/okta-single-org"),
            ("args", "--today 2026-11-24"),
            ("sarif-file", sarif.to_str().unwrap()),
        ],
    );
    assert_eq!(run.output.status.code(), Some(0), "{}", stderr(&run.output));
    assert_eq!(stdout(&run.output), "", "no finding, no annotation");
    assert!(
        run.summary
            .starts_with("earlier step\n## cowork-policy\n\nNo findings in 26 policy files."),
        "the summary is appended: {}",
        run.summary
    );
    assert_eq!(run.outputs["exit-code"], "0");
    assert_eq!(run.outputs["sarif-file"], sarif.to_str().unwrap());
    assert!(run.outputs["summary-file"].contains("cowork-policy-summary."));
    let log = run.sarif.expect("the SARIF log is written");
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_action_annotates_findings_and_fails_after_writing_its_files() {
    let dir = temp_dir("day-one-sarif");
    let sarif = dir.join("cowork-policy.sarif");
    let run = run_action(
        "day-one",
        &[
            ("path", "policies/day-one"),
            ("args", "--today 2026-11-24"),
            ("sarif-file", sarif.to_str().unwrap()),
        ],
    );
    assert_eq!(run.output.status.code(), Some(1), "{}", stderr(&run.output));
    let annotations = stdout(&run.output);
    assert_eq!(annotations.lines().count(), 13, "{annotations}");
    assert!(annotations.lines().all(|l| l.starts_with("::")));
    assert!(
        annotations
            .contains("::error file=policies/day-one/groups/engineering.yaml,line=7,col=20,"),
        "{annotations}"
    );
    assert!(stderr(&run.output).contains("findings at or above the fail level"));
    assert!(
        run.summary
            .starts_with("earlier step\n## cowork-policy\n\n**Found 5 errors and 8 warnings**"),
        "{}",
        run.summary
    );
    // Links point at the pull request's head, not the merge commit.
    assert!(
        run.summary.contains(
            "(https://github.com/acme/policy/blob/head4567/policies/day-one/groups/engineering.yaml#L7)"
        ),
        "{}",
        run.summary
    );
    assert_eq!(run.outputs["exit-code"], "1");
    let log = run.sarif.expect("the SARIF log is written");
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 13);
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_fail_level_input_decides_what_fails_and_args_split_at_white_space() {
    let dir = temp_dir("fail-level-sarif");
    let sarif = dir.join("out.sarif");
    let sarif = sarif.to_str().unwrap();
    let warning_only = "fixtures/SEAT002-seat-headroom/fail.yaml";
    let default = run_action(
        "warning-default",
        &[("path", warning_only), ("sarif-file", sarif)],
    );
    assert_eq!(default.output.status.code(), Some(0));
    assert!(stdout(&default.output).starts_with("::warning file="));
    let denied = run_action(
        "warning-denied",
        &[
            ("path", warning_only),
            ("fail-level", "warning"),
            ("sarif-file", sarif),
        ],
    );
    assert_eq!(denied.output.status.code(), Some(1));
    assert_eq!(denied.outputs["exit-code"], "1");
    // Words on several lines, as a YAML block gives them.
    let ignored = run_action(
        "warning-ignored",
        &[
            ("path", warning_only),
            ("fail-level", "warning"),
            ("args", "--ignore  SEAT002\n--today\t2026-11-24\n"),
            ("sarif-file", sarif),
            ("summary", "false"),
        ],
    );
    assert_eq!(
        ignored.output.status.code(),
        Some(0),
        "{}",
        stderr(&ignored.output)
    );
    assert_eq!(stdout(&ignored.output), "");
    assert_eq!(
        ignored.summary, "earlier step\n",
        "summary: false adds nothing"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_action_fails_on_a_policy_that_does_not_load_and_still_writes_sarif() {
    let dir = temp_dir("broken-policy");
    std::fs::write(
        dir.join("groups.yaml"),
        "apiVersion: cowork-policy/v1\ngroups:\n  - name: eng\n    membrs: [a@b.co]\n",
    )
    .unwrap();
    let sarif = dir.join("out.sarif");
    let run = run_action(
        "broken",
        &[
            ("path", dir.to_str().unwrap()),
            ("args", "--path-prefix policy"),
            ("sarif-file", sarif.to_str().unwrap()),
        ],
    );
    assert_eq!(run.output.status.code(), Some(2));
    assert!(stdout(&run.output).starts_with("::error file=policy/groups.yaml,line=4,"));
    assert!(stderr(&run.output).contains("could not run (exit code 2)"));
    assert!(
        run.summary.contains("Could not load the policy"),
        "{}",
        run.summary
    );
    assert_eq!(run.outputs["exit-code"], "2");
    let log = run.sarif.unwrap();
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn action_yml_declares_what_its_steps_use() {
    let text = read("action.yml");
    let action = yaml("action.yml");
    let inputs = action["inputs"].as_object().unwrap();
    for name in expressions(&text, "inputs.") {
        assert!(
            inputs.contains_key(name),
            "action.yml uses undeclared input `{name}`"
        );
    }
    let script = read("scripts/action-check.sh");
    for (name, output) in action["outputs"].as_object().unwrap() {
        assert_eq!(
            output["value"],
            format!("${{{{ steps.check.outputs.{name} }}}}"),
            "output `{name}`"
        );
        assert!(
            script.contains(&format!("echo \"{name}=")),
            "scripts/action-check.sh does not set the output `{name}`"
        );
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = |id: &str| {
        steps
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("action.yml has no step `{id}`"))
    };
    for (id, file) in [
        ("check", "scripts/action-check.sh"),
        ("release", "scripts/action-install.sh"),
    ] {
        let script = read(file);
        assert!(
            step(id)["run"].as_str().unwrap().contains(file),
            "step `{id}` runs {file}"
        );
        for key in step(id)["env"].as_object().unwrap().keys() {
            assert!(
                script.contains(&format!("#   {key} ")),
                "{file} does not document `{key}`"
            );
        }
    }
    // Each step output read is one its step sets, and the step comes before.
    let install = read("scripts/action-install.sh");
    for (at, _) in text.match_indices("steps.") {
        let rest = &text[at + "steps.".len()..];
        let (id, rest) = rest.split_once('.').unwrap();
        if id == "check" {
            continue; // the action's outputs, checked above
        }
        assert!(
            steps.iter().any(|s| s["id"] == id),
            "action.yml reads step `{id}`, which it does not have"
        );
        let line = text[..at].lines().count();
        let declared = text.find(&format!("id: {id}\n")).unwrap();
        assert!(
            text[..declared].lines().count() < line,
            "`{id}` is read before it runs"
        );
        let output = expressions(rest, "outputs.")[0];
        match id {
            "release" => assert!(
                install.contains(&format!("output {output} ")),
                "scripts/action-install.sh does not set `{output}`"
            ),
            "cache" => assert_eq!(output, "cache-hit"),
            _ => panic!("action.yml reads `{id}.outputs.{output}`"),
        }
    }
    // The build step builds the CLI crate (the root package is pre-commit's only), when there
    // is no release binary and the cache has no build.
    let build = steps
        .iter()
        .find(|s| s["name"] == "Build cowork-policy")
        .unwrap();
    assert_eq!(
        build["if"],
        "steps.release.outputs.binary == '' && steps.cache.outputs.cache-hit != 'true'"
    );
    assert_eq!(
        step("cache")["with"]["path"],
        "${{ runner.temp }}/cowork-policy"
    );
    let install = build["run"].as_str().unwrap();
    assert!(
        install.contains("--path \"$GITHUB_ACTION_PATH/crates/cowork-policy-cli\""),
        "{install}"
    );
    assert!(install.contains("--locked"));
    assert!(root().join("crates/cowork-policy-cli/Cargo.toml").exists());
}

#[test]
fn the_example_workflow_uses_the_action_as_declared() {
    let action = yaml("action.yml");
    let text = read("docs/ci/github-workflow.yml");
    let workflow = yaml("docs/ci/github-workflow.yml");
    let steps = workflow["jobs"]["check"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("OWNER/cowork-policy@"))
        })
        .expect("a step uses OWNER/cowork-policy");
    for key in step["with"].as_object().unwrap().keys() {
        assert!(
            action["inputs"].get(key).is_some(),
            "the workflow sets `{key}`, which action.yml does not declare"
        );
    }
    let id = step["id"].as_str().unwrap();
    let used = expressions(&text, &format!("steps.{id}.outputs."));
    assert!(!used.is_empty());
    for name in used {
        assert!(
            action["outputs"].get(name).is_some(),
            "the workflow reads `{name}`, which action.yml does not declare"
        );
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads the SARIF log");
    assert!(upload["if"].as_str().unwrap().contains("always()"));
    assert_eq!(workflow["permissions"]["security-events"], "write");
    // upload-sarif reads the workflow run's status, which a private repository's token can
    // only do with `actions: read` (GitHub's starter workflows for code scanning say so).
    assert_eq!(workflow["permissions"]["actions"], "read");
}

/// Copy a folder, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_gitlab_job_runs_as_written() {
    let job = &yaml("docs/ci/gitlab-ci.yml")["cowork-policy"];
    // The prebuilt wheel, of the version the job names, and never a build from source.
    let install = job["before_script"][0].as_str().unwrap();
    assert!(install.starts_with("pip install "), "{install}");
    assert!(
        install.contains(" --only-binary cowork-policy "),
        "{install}"
    );
    assert!(install.ends_with(" \"cowork-policy==$COWORK_POLICY_VERSION\""));
    let cache = job["cache"]["paths"][0].as_str().unwrap();
    assert_eq!(
        job["variables"]["PIP_CACHE_DIR"].as_str().unwrap(),
        format!("$CI_PROJECT_DIR/{}", cache.trim_end_matches('/'))
    );
    // A checkout of a policy repo (with findings), the command on PATH where pip puts it.
    let dir = temp_dir("gitlab");
    copy_dir(&root().join("fixtures/render"), &dir);
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    let bin = temp_dir("gitlab-bin");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_cowork-policy"),
        bin.join("cowork-policy"),
    )
    .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut status = None;
    for line in job["script"].as_array().unwrap() {
        let mut command = Command::new("bash");
        command
            .args(["-c", line.as_str().unwrap()])
            .current_dir(&dir)
            .env("CI_PROJECT_URL", "https://gitlab.example/acme/policy")
            .env("CI_COMMIT_SHA", "0123abc")
            .env("PATH", &path)
            .env("NO_COLOR", "1");
        for (key, value) in job["variables"].as_object().unwrap() {
            command.env(key, value.as_str().unwrap());
        }
        let output = command.output().unwrap();
        assert!(stderr(&output).is_empty(), "{}", stderr(&output));
        assert!(stdout(&output).starts_with("groups/teams.yaml:8:20: error[IDP001]: "));
        status = output.status.code();
    }
    assert_eq!(status, Some(1), "the findings fail the job");
    let artifacts = &job["artifacts"];
    assert_eq!(artifacts["when"], "always");
    let file = |name: &Value| std::fs::read_to_string(dir.join(name.as_str().unwrap())).unwrap();
    let quality: Value = serde_json::from_str(&file(&artifacts["reports"]["codequality"])).unwrap();
    assert_eq!(quality.as_array().unwrap().len(), 5);
    assert_eq!(quality[0]["location"]["path"], "groups/teams.yaml");
    assert!(file(&artifacts["reports"]["junit"]).contains("failures=\"5\""));
    let summary = file(&artifacts["paths"][0]);
    assert!(
        summary
            .contains("(https://gitlab.example/acme/policy/-/blob/0123abc/groups/teams.yaml#L8)"),
        "{summary}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&bin).unwrap();
}

/// The snippets of a Markdown file: each `<!-- snippet: PATH -->` line and the text of the
/// fenced block just after it.
fn snippets(markdown: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line
            .strip_prefix("<!-- snippet: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "no code block after `{line}`");
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        found.push((path.to_string(), body.join("\n") + "\n"));
    }
    found
}

#[test]
fn the_readme_snippets_are_the_tested_files() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("docs/ci"))
        .unwrap()
        .map(|e| format!("docs/ci/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    let readme = snippets(&read("README.md"));
    let mut shown: Vec<String> = readme.iter().map(|(path, _)| path.clone()).collect();
    shown.sort();
    assert_eq!(shown, files, "README.md shows every file of docs/ci/, once");
    for doc in ["README.md", "docs/output-formats.md"] {
        for (path, text) in snippets(&read(doc)) {
            assert_eq!(
                text,
                read(&path),
                "{doc}: the snippet of {path} is not the file: copy the file into it"
            );
        }
    }
    // The pre-commit snippet is the config .ci/test-pre-commit runs, for the hook this
    // repository declares, whose command the root package builds.
    assert!(read(".ci/test-pre-commit").contains("\nconfig=docs/ci/pre-commit-config.yaml\n"));
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = |language: &str| {
        hooks
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["language"] == language)
            .unwrap_or_else(|| panic!("no `language: {language}` hook"))
            .clone()
    };
    let config = yaml("docs/ci/pre-commit-config.yaml");
    assert_eq!(config["repos"][0]["hooks"][0]["id"], hook("rust")["id"]);
    let config = yaml("docs/ci/pre-commit-config-wheel.yaml");
    assert_eq!(config["repos"][0]["hooks"][0]["id"], hook("python")["id"]);
    // The two hooks differ only in how pre-commit installs them.
    for key in ["name", "pass_filenames", "require_serial", "files"] {
        assert_eq!(hook("rust")[key], hook("python")[key], "{key}");
    }
    let rust = hook("rust");
    let entry = rust["entry"].as_str().unwrap();
    let binary = entry.split_whitespace().next().unwrap();
    assert_eq!(entry, format!("{binary} check"));
    assert!(
        read("Cargo.toml").contains(&format!(
            "[[bin]]\nname = \"{binary}\"\npath = \"crates/cowork-policy-cli/src/main.rs\"\n"
        )),
        "the root package builds `{binary}` from the CLI's main.rs"
    );
}

/// The workspace's version, which the action downloads the release of.
fn workspace_version() -> String {
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    manifest["workspace"]["package"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A release of tag `tag` under `dir/releases`, as the release workflow attaches it: the Linux
/// x86_64 archive (a `cowork-policy/cowork-policy` that runs the test binary) and SHA256SUMS.
fn fake_release(dir: &Path, tag: &str) -> std::path::PathBuf {
    let build = dir.join("build/cowork-policy");
    std::fs::create_dir_all(&build).unwrap();
    std::fs::write(
        build.join("cowork-policy"),
        format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            env!("CARGO_BIN_EXE_cowork-policy")
        ),
    )
    .unwrap();
    let release = dir.join("releases").join(tag);
    std::fs::create_dir_all(&release).unwrap();
    let archive = "cowork-policy-x86_64-unknown-linux-musl.tar.gz";
    let status = Command::new("tar")
        .arg("-czf")
        .arg(release.join(archive))
        .arg("-C")
        .arg(dir.join("build"))
        .arg("cowork-policy")
        .status()
        .unwrap();
    assert!(status.success());
    let sums = Command::new("sh")
        .args(["-c", "sha256sum -- * >SHA256SUMS"])
        .current_dir(&release)
        .status()
        .unwrap();
    assert!(sums.success());
    dir.join("releases")
}

/// Run `scripts/action-install.sh` as the `release` step of action.yml runs it, at `ref`, on a
/// Linux x86_64 runner, with the releases under `releases` (a `file://` URL).
fn run_install(dir: &Path, reference: &str, releases: &Path, binary: &str) -> ActionRun {
    let action = yaml("action.yml");
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "release")
        .expect("action.yml has a step with id `release`");
    assert_eq!(step["env"]["INPUT_BINARY"], "${{ inputs.binary }}");
    let github_output = dir.join("github-output");
    let _ = std::fs::remove_file(&github_output);
    let output = Command::new("bash")
        .arg(root().join("scripts/action-install.sh"))
        .current_dir(dir)
        .env("GITHUB_ACTION_PATH", root())
        .env("GITHUB_ACTION_REF", reference)
        .env("GITHUB_ACTION_REPOSITORY", "acme/cowork-policy")
        .env("GITHUB_OUTPUT", &github_output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", dir)
        .env(
            "COWORK_POLICY_RELEASES",
            format!("file://{}", releases.display()),
        )
        .env("INPUT_BINARY", binary)
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(&github_output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ActionRun {
        output,
        summary: String::new(),
        outputs,
        sarif: None,
    }
}

#[test]
fn the_action_downloads_its_release_and_verifies_the_checksum() {
    let dir = temp_dir("action-download");
    let tag = format!("v{}", workspace_version());
    let releases = fake_release(&dir, &tag);
    let run = run_install(&dir, &tag, &releases, "");
    assert_eq!(run.output.status.code(), Some(0), "{}", stderr(&run.output));
    assert!(
        stderr(&run.output).contains(&format!(
            "downloaded cowork-policy-x86_64-unknown-linux-musl.tar.gz of release {tag} (SHA-256 "
        )),
        "{}",
        stderr(&run.output)
    );
    let binary = &run.outputs["binary"];
    assert!(binary.starts_with(dir.to_str().unwrap()), "{binary}");
    let version = Command::new(binary).arg("--version").output().unwrap();
    assert_eq!(
        stdout(&version).trim(),
        format!("cowork-policy {}", workspace_version())
    );
    assert!(run.outputs["cache-key"].starts_with("cowork-policy-Linux-X64-"));

    // A tampered archive is refused, and nothing is left to run.
    let archive = releases
        .join(&tag)
        .join("cowork-policy-x86_64-unknown-linux-musl.tar.gz");
    let mut bytes = std::fs::read(&archive).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&archive, bytes).unwrap();
    let run = run_install(&dir, &tag, &releases, "");
    assert_eq!(run.output.status.code(), Some(1));
    assert!(
        stderr(&run.output).contains("but its SHA256SUMS says"),
        "{}",
        stderr(&run.output)
    );
    assert!(!run.outputs.contains_key("binary"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_action_builds_when_there_is_no_release_to_download() {
    let dir = temp_dir("action-no-release");
    let tag = format!("v{}", workspace_version());
    let releases = fake_release(&dir, &tag);
    // Used at a branch or a commit: no download, whatever the releases hold.
    let run = run_install(&dir, "main", &releases, "");
    assert_eq!(run.output.status.code(), Some(0), "{}", stderr(&run.output));
    assert_eq!(run.outputs["binary"], "");
    assert!(stderr(&run.output).contains(&format!(
        "used at `main`, not at the release tag `{tag}` of its version: building it"
    )));
    // At its tag, before the release is published.
    let empty = dir.join("no-releases");
    std::fs::create_dir_all(&empty).unwrap();
    let run = run_install(&dir, &tag, &empty, "");
    assert_eq!(run.output.status.code(), Some(0), "{}", stderr(&run.output));
    assert_eq!(run.outputs["binary"], "");
    assert!(stderr(&run.output).contains(&format!("no release {tag} with ")));
    // A binary given: that one, nothing downloaded.
    let run = run_install(&dir, &tag, &empty, "/opt/cowork-policy");
    assert_eq!(run.outputs["binary"], "/opt/cowork-policy");
    assert!(run.outputs["cache-key"].starts_with("cowork-policy-Linux-X64-"));
    std::fs::remove_dir_all(&dir).unwrap();
}
