//! Which YAML files under a folder are policy: a file that looks like policy but lacks the exact
//! `apiVersion: cowork-policy/...` line is a load error, never a silent skip; other YAML (CI
//! configs, manifests) is skipped, and every output format says which files were.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use common::TempDir;

use cowork_policy::render::{self, CiOptions, HumanOptions};
use cowork_policy::{LoadErrors, Policy, load_dir};

const V1: &str = "apiVersion: cowork-policy/v1\n";
const ORG: &str = "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n";

fn expect_errors(result: Result<Policy, LoadErrors>) -> LoadErrors {
    match result {
        Ok(policy) => panic!(
            "the policy loaded (skipped: {:?}), but an error was expected",
            policy.skipped_files()
        ),
        Err(errors) => errors,
    }
}

/// The errors of loading a folder of `org.yaml` and one more file, as `(place, message, help)`.
fn errors_beside_org(test: &str, name: &str, text: &str) -> Vec<(String, String, String)> {
    let dir = TempDir::new(test);
    dir.write("org.yaml", ORG).write(name, text);
    let errors = expect_errors(load_dir(dir.path()));
    errors
        .errors()
        .iter()
        .map(|e| {
            (
                e.location().map_or_else(String::new, ToString::to_string),
                e.message(),
                e.help().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn one(place: &str, message: &str, help: &str) -> Vec<(String, String, String)> {
    vec![(place.into(), message.into(), help.into())]
}

const ADD_LINE: &str = "add `apiVersion: cowork-policy/v1` as its first line; if the file is not policy, list it under `exclude` in `cowork-policy.toml`";
const DID_YOU_MEAN: &str = "did you mean `apiVersion: cowork-policy/v1`?";

#[test]
fn a_policy_file_without_its_version_line_is_an_error_not_a_skip() {
    // The limits file of a rollout, its first line deleted: every spend limit would vanish.
    let limits = "spendLimits:\n  - name: default\n    amount: 40\n    groups: [eng]\n";
    assert_eq!(
        errors_beside_org("no-line", "limits.yaml", limits),
        one(
            "limits.yaml:1:1",
            "the file has top-level `spendLimits` but no `apiVersion: cowork-policy/v1` line, so it would be skipped",
            ADD_LINE
        )
    );
    // After a comment, in a second document, with a misspelt section beside a right one.
    let groups = "# the teams\n---\ngroups:\n  - name: eng\nrole:\n  - name: x\n";
    assert_eq!(
        errors_beside_org("no-line-2", "teams/groups.yml", groups),
        one(
            "teams/groups.yml:3:1",
            "the file has top-level `groups` but no `apiVersion: cowork-policy/v1` line, so it would be skipped",
            ADD_LINE
        )
    );
}

#[test]
fn a_misspelt_section_alone_still_looks_like_policy() {
    assert_eq!(
        errors_beside_org("misspelt", "limits.yaml", "# limits\nspendlimits: []\n"),
        one(
            "limits.yaml:2:1",
            "the file has top-level `spendlimits` but no `apiVersion: cowork-policy/v1` line, so it would be skipped",
            ADD_LINE
        )
    );
}

#[test]
fn a_version_line_near_ours_is_an_error_with_a_did_you_mean() {
    let body = "spendLimits:\n  - name: default\n    amount: 40\n";
    for (line, place, written, help) in [
        (
            "apiversion: cowork-policy/v1",
            "1:1",
            "apiversion: cowork-policy/v1",
            DID_YOU_MEAN,
        ),
        (
            "apiVersion: cowork-policy",
            "1:1",
            "apiVersion: cowork-policy",
            DID_YOU_MEAN,
        ),
        (
            "apiVersion: \"Cowork-Policy/v1\"",
            "1:1",
            "apiVersion: \"Cowork-Policy/v1\"",
            DID_YOU_MEAN,
        ),
        (
            "api_version: cowork-policy/v1",
            "1:1",
            "api_version: cowork-policy/v1",
            DID_YOU_MEAN,
        ),
        (
            "  apiVersion: cowork-policy/v1",
            "1:3",
            "apiVersion: cowork-policy/v1",
            "did you mean `apiVersion: cowork-policy/v1` at the start of the line, not indented?",
        ),
        ("apiVersion: v1", "1:1", "apiVersion: v1", DID_YOU_MEAN),
    ] {
        let text = format!("{line}\n{body}");
        assert_eq!(
            errors_beside_org("near", "limits.yaml", &text),
            one(
                &format!("limits.yaml:{place}"),
                &format!(
                    "`{written}` is not the line that marks a policy file, so the file would be skipped"
                ),
                help
            ),
            "for {line:?}"
        );
    }
    // The version line alone is enough: nobody else writes `cowork-policy` there.
    assert_eq!(
        errors_beside_org(
            "near-alone",
            "x.yaml",
            "apiVersion: cowork-policy\nkind: Something\n"
        ),
        one(
            "x.yaml:1:1",
            "`apiVersion: cowork-policy` is not the line that marks a policy file, so the file would be skipped",
            DID_YOU_MEAN
        )
    );
}

/// YAML that other tools read: none of it is policy, and none of it stops a check.
const OTHER_YAML: [(&str, &str); 8] = [
    (
        "semgrep.yml",
        "rules:\n  - id: no-eval\n    pattern: eval(...)\n",
    ),
    (
        "pre-commit-config.yaml",
        "repos:\n  - repo: local\n    hooks:\n      - id: cowork-policy\n        name: cowork-policy\n",
    ),
    (
        "ci/gitlab-ci.yml",
        "stages: [test]\ntest:\n  script:\n    - cowork-policy check policies\n",
    ),
    (
        "workflows/check.yml",
        "name: policy\non: [pull_request]\njobs:\n  check:\n    steps:\n      - run: |\n          cat > p.yaml <<EOF\n          apiVersion: cowork-policy/v1\n          EOF\n",
    ),
    (
        "k8s/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: acme\ndata:\n  groups: eng\n",
    ),
    (
        "k8s/rbac.yaml",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules: []\n",
    ),
    (
        "mkdocs.yml",
        "site_name: Policy\nplugins:\n  - search\nnav:\n  - index.md\n",
    ),
    (
        "compose.yaml",
        "services:\n  web:\n    image: nginx\nnetworks:\n  default: {}\n",
    ),
];

#[test]
fn other_yaml_is_still_skipped() {
    let dir = TempDir::new("other");
    dir.write("org.yaml", ORG);
    for (name, text) in OTHER_YAML {
        dir.write(name, text);
    }
    let policy = load_dir(dir.path()).unwrap();
    let mut names: Vec<&str> = OTHER_YAML.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    assert_eq!(policy.skipped_files(), names);
}

#[test]
fn the_error_for_a_near_policy_file_shows_its_line() {
    let dir = TempDir::new("snippet");
    dir.write("org.yaml", ORG).write(
        "limits.yaml",
        "# limits\napiversion: cowork-policy/v1\nspendLimits: []\n",
    );
    let errors = expect_errors(load_dir(dir.path()));
    let text = render::human_load_errors(&errors, &HumanOptions::new(false));
    assert!(
        text.contains("2 | apiversion: cowork-policy/v1\n  | ^^^^^^^^^^"),
        "{text}"
    );
}

// A file too large to be policy is classified from its first bytes.

#[test]
fn a_large_file_is_classified_from_its_first_bytes() {
    let dir = TempDir::new("large");
    dir.write("org.yaml", ORG);
    // 8 GiB with no line break at all (sparse: it takes no disk): only its first bytes are
    // read, so this neither fills the memory nor takes long.
    dir.write("dump.yaml", "data: ");
    std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("dump.yaml"))
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    // A policy too large to load is still an error.
    let mut policy = format!("{V1}orgs: []\n# ").into_bytes();
    policy.resize(cowork_policy::MAX_FILE_BYTES as usize + 10, b'x');
    dir.write("big/policy.yaml", &policy);
    let errors = expect_errors(load_dir(dir.path()));
    let messages: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [format!(
            "big/policy.yaml: file is {} bytes, over the {}-byte limit for one policy file",
            cowork_policy::MAX_FILE_BYTES + 10,
            cowork_policy::MAX_FILE_BYTES
        )]
    );
    std::fs::remove_file(dir.path().join("big/policy.yaml")).unwrap();
    let policy = load_dir(dir.path()).unwrap();
    assert_eq!(policy.skipped_files(), ["dump.yaml"]);
}

// The skipped files in every output.

fn skipped_report() -> cowork_policy::Report {
    let dir = TempDir::new("outputs");
    dir.write("org.yaml", ORG)
        .write("ci.yml", "stages: [test]\n")
        .write("k8s/a,b.yaml", "apiVersion: v1\nkind: ConfigMap\n");
    let policy = load_dir(dir.path()).unwrap();
    let report = cowork_policy::check(&policy);
    assert_eq!(report.skipped_files, ["ci.yml", "k8s/a,b.yaml"]);
    report
}

#[test]
fn github_output_notes_the_skipped_files() {
    let out = render::github(&skipped_report(), &CiOptions::new().path_prefix("policies"));
    assert!(
        out.contains(
            "::notice title=cowork-policy skipped 2 YAML files::not policy (no `apiVersion: cowork-policy/...` line), so not checked: policies/ci.yml, policies/k8s/a,b.yaml\n"
        ),
        "{out}"
    );
}

#[test]
fn sarif_output_notes_the_skipped_files() {
    let out = render::sarif(&skipped_report(), &CiOptions::new(), 0);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notifications = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(
        notifications,
        &serde_json::json!([
            {
                "level": "note",
                "message": {"text": "skipped `ci.yml`: not policy (no `apiVersion: cowork-policy/...` line), so not checked"},
                "descriptor": {"id": "skipped-file"}
            },
            {
                "level": "note",
                "message": {"text": "skipped `k8s/a,b.yaml`: not policy (no `apiVersion: cowork-policy/...` line), so not checked"},
                "descriptor": {"id": "skipped-file"}
            }
        ])
    );
}

#[test]
fn junit_output_lists_the_skipped_files_as_skipped_tests() {
    let out = render::junit(&skipped_report(), &CiOptions::new());
    assert!(
        out.contains(
            "  <testsuite name=\"cowork-policy skipped files\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"2\">\n    <testcase name=\"ci.yml\" classname=\"cowork-policy.skipped\">\n      <skipped message=\"not policy (no `apiVersion: cowork-policy/...` line), so not checked\"/>\n    </testcase>\n"
        ),
        "{out}"
    );
}

#[test]
fn markdown_json_and_text_outputs_list_the_skipped_files() {
    let report = skipped_report();
    let options = CiOptions::new();
    assert!(render::markdown(&report, &options).contains("`ci.yml`"));
    assert!(render::json(&report).contains("\"skippedFiles\""));
    assert!(render::concise(&report, &options).contains("ci.yml, k8s/a,b.yaml"));
}

// A skipped file that held what the policy refers to: the cause comes first.

#[test]
fn a_skipped_file_that_defines_the_org_is_named_first() {
    // The org file has a key the format does not know, so it is skipped as other YAML; then
    // every group that names its org would be an unknown reference.
    let dir = TempDir::new("org-skipped");
    dir.write(
        "org.yaml",
        "orgs:\n  - name: acme\n    seats: 50\nmetadata:\n  owner: it\n",
    );
    let mut groups = format!("{V1}groups:\n");
    for i in 0..16 {
        groups.push_str(&format!("  - {{name: g{i}, org: acme}}\n"));
    }
    dir.write("groups.yaml", &groups);
    let errors = expect_errors(load_dir(dir.path()));
    let seen: Vec<(String, String, Option<&str>)> = errors
        .errors()
        .iter()
        .map(|e| (e.location().unwrap().to_string(), e.message(), e.help()))
        .collect();
    assert_eq!(
        seen,
        [(
            "groups.yaml:3:21".to_string(),
            "`org.yaml` was skipped as not policy, but 16 references need what it defines: org `acme`".to_string(),
            Some("add `apiVersion: cowork-policy/v1` as the first line of `org.yaml`")
        )]
    );

    // Groups that leave out `org:` in a policy that then defines no org at all.
    let mut groups = format!("{V1}groups:\n");
    for i in 0..3 {
        groups.push_str(&format!("  - name: g{i}\n"));
    }
    dir.write("groups.yaml", &groups);
    let errors = expect_errors(load_dir(dir.path()));
    let seen: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    assert_eq!(
        seen,
        [
            "groups.yaml:3:11: `org.yaml` was skipped as not policy, but 3 references need what it defines: its top-level `orgs`"
        ]
    );

    // A skipped file that defines something else is not blamed.
    dir.write(
        "groups.yaml",
        format!("{V1}orgs: [{{name: acme}}]\ngroups:\n  - {{name: g, memberGroups: [nope]}}\n"),
    );
    assert!(load_dir(dir.path()).is_ok());
}
