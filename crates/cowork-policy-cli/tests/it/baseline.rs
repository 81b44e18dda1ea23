//! Reporting only new findings: `check --new-since REF` on a real temporary git repository, and
//! `cowork-policy baseline` with `check --baseline FILE [--update-baseline]`.
//!
//! Every run is pinned: `--today` for the dated rules, and git without the machine's config
//! (`GIT_CONFIG_NOSYSTEM`, `HOME` in the test's folder, the identity in the environment).

use std::path::PathBuf;
use std::process::{Command, Output};

use super::{stderr, stdout};

const TODAY: &str = "2026-11-24";

/// SEAT001 on `org/acme`, IDP001 on `group/everyone` and IDP003 on `role/users`.
const POLICY: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 2
groups:
  - name: everyone
    scim: true
    members: [ana@acme.com, bo@acme.com, cy@acme.com]
    memberGroups: [contractors]
  - name: contractors
    scim: true
    members: [dee@acme.com]
roles:
  - name: users
    entitlements: [chat]
    groups: [everyone, nobody]
";

/// [`POLICY`] with SEAT001 fixed (more seats, and a comment that moves every line below) and a
/// new IDP003 on `spend-limit/pilot`.
fn changed_policy() -> String {
    POLICY
        .replace(
            "seats: 2",
            "seats: 10 # IT-1234\n    # Ordered for the pilot.\n    usageCredits: true",
        )
        .replace(
            "roles:",
            "spendLimits:\n  - name: pilot\n    amount: 100\n    groups: [pilots]\nroles:",
        )
}

/// A git repository in a fresh temporary folder, with a config at its root that excludes
/// `policies/acme/drafts`, and its own temporary folder and home.
pub(super) struct Repo {
    top: PathBuf,
}

impl Repo {
    pub(super) fn new(name: &str) -> Repo {
        let top = std::env::temp_dir().join(format!(
            "cowork-policy-it-git-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&top);
        for dir in ["repo", "home", "tmp"] {
            std::fs::create_dir_all(top.join(dir)).unwrap();
        }
        let repo = Repo { top };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.write(
            "cowork-policy.toml",
            "exclude = [\"policies/acme/drafts\"]\n",
        );
        // A draft with a finding of its own (SEAT001 on `org/draft`), which the config keeps
        // out on both sides of a comparison.
        repo.write(
            "policies/acme/drafts/next.yaml",
            "apiVersion: cowork-policy/v1\norgs:\n  - name: draft\n    seats: 0\ngroups:\n  - name: d\n    org: draft\n    scim: true\n    members: [x@acme.com]\n",
        );
        repo
    }

    pub(super) fn dir(&self) -> PathBuf {
        self.top.join("repo")
    }

    /// A command with the environment pinned, run in the repository.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(self.dir())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.top.join("home/.gitconfig"))
            .env("HOME", self.top.join("home"))
            .env("TMPDIR", self.top.join("tmp"))
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1");
        command
    }

    fn git(&self, args: &[&str]) {
        let output = self.command("git").args(args).output().unwrap();
        assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
    }

    pub(super) fn write(&self, path: &str, text: &str) {
        let file = self.dir().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.dir().join(path)).unwrap()
    }

    pub(super) fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// Run `cowork-policy` with `args` and `--today`, in the repository.
    pub(super) fn run(&self, args: &[&str]) -> Output {
        self.command(env!("CARGO_BIN_EXE_cowork-policy"))
            .args(args)
            .args(["--today", TODAY])
            .output()
            .unwrap()
    }

    /// Whether the command left nothing in its temporary folder.
    pub(super) fn temp_is_clean(&self) -> bool {
        std::fs::read_dir(self.top.join("tmp")).unwrap().count() == 0
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.top);
    }
}

/// The `code file` of each line of concise output but the summary lines.
fn listed(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .map(|l| {
            let (place, rest) = l.split_once(": ").unwrap();
            let code = rest.split(['[', ']']).nth(1).unwrap();
            format!("{code} {}", place.split(':').next().unwrap())
        })
        .collect()
}

#[test]
fn new_since_reports_what_a_commit_introduced_and_fails_only_on_that() {
    let repo = Repo::new("new-since");
    repo.write("policies/acme/org.yaml", POLICY);
    repo.commit("the policy");
    repo.write("policies/acme/org.yaml", &changed_policy());
    repo.commit("more seats, and a pilot spend limit");

    // One finding introduced (the unknown group of the spend limit), one fixed (the seats),
    // two unchanged though their lines moved; the excluded draft counts on neither side.
    let output = repo.run(&[
        "check",
        "policies/acme",
        "--new-since",
        "HEAD~1",
        "--format",
        "concise",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(listed(&output), ["IDP003 policies/acme/org.yaml"]);
    let text = stdout(&output);
    assert!(
        text.contains("spend limit `pilot` refers to unknown group `pilots`"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "found 1 error in 1 policy file\n1 introduced, 1 fixed, 2 unchanged since HEAD~1\n"
        ),
        "{text}"
    );
    assert!(repo.temp_is_clean(), "the snapshot is removed");

    // The human output ends with the same line; JSON has the counts in its summary.
    let full = repo.run(&["check", "policies/acme", "--new-since", "HEAD~1"]);
    assert_eq!(full.status.code(), Some(1));
    assert!(stdout(&full).starts_with("error[IDP003]: spend limit `pilot`"));
    assert!(
        stdout(&full).ends_with("\n1 introduced, 1 fixed, 2 unchanged since HEAD~1\n"),
        "{}",
        stdout(&full)
    );
    let json = repo.run(&[
        "check",
        "policies/acme",
        "--new-since",
        "HEAD~1",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        value["summary"]["newSince"],
        serde_json::json!({"revision": "HEAD~1", "introduced": 1, "fixed": 1, "unchanged": 2, "loadedAtRevision": true})
    );
    assert_eq!(value["findings"].as_array().unwrap().len(), 1);
    assert_eq!(value["findings"][0]["entity"], "spend-limit/pilot");

    // From inside the policy folder, and for a single file, the same.
    let mut inside = repo.command(env!("CARGO_BIN_EXE_cowork-policy"));
    let inside = inside
        .current_dir(repo.dir().join("policies/acme"))
        .args(["check", "--new-since", "HEAD~1", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(inside.status.code(), Some(1), "{}", stderr(&inside));
    assert!(stdout(&inside).ends_with("1 introduced, 1 fixed, 2 unchanged since HEAD~1\n"));
    let file = repo.run(&[
        "check",
        "policies/acme/org.yaml",
        "--new-since",
        "HEAD~1",
        "--format",
        "concise",
    ]);
    assert_eq!(file.status.code(), Some(1), "{}", stderr(&file));
    assert!(stdout(&file).ends_with("1 introduced, 1 fixed, 2 unchanged since HEAD~1\n"));

    // A working-tree change that only fixes (the spend limit's group now exists) passes, and
    // the unchanged findings of the commit are not reported again.
    repo.write(
        "policies/acme/org.yaml",
        &changed_policy().replace("groups: [pilots]", "groups: [everyone]"),
    );
    let fixed = repo.run(&[
        "check",
        "policies/acme",
        "--new-since",
        "HEAD",
        "--format",
        "concise",
    ]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
    assert_eq!(
        stdout(&fixed),
        "no findings in 1 policy file\n0 introduced, 1 fixed, 2 unchanged since HEAD\n"
    );
    // Without `--new-since`, the unchanged findings still fail the check.
    assert_eq!(repo.run(&["check", "policies/acme"]).status.code(), Some(1));
}

#[test]
fn new_since_counts_everything_as_introduced_where_there_was_no_policy() {
    let repo = Repo::new("no-policy-then");
    // Only the config and a draft it excludes: no policy to load.
    repo.commit("empty");
    repo.write("policies/acme/org.yaml", POLICY);
    let output = repo.run(&[
        "check",
        "policies/acme",
        "--new-since",
        "main",
        "--format",
        "concise",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(listed(&output).len(), 3);
    assert!(
        stdout(&output).ends_with("3 introduced since main, where the policy did not load: every finding counts as introduced\n"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("there is no policy at this path in `main`"),
        "{}",
        stderr(&output)
    );

    // A policy that did not load at the revision: the same, with the first error.
    repo.write(
        "policies/acme/org.yaml",
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n    seatz: 2\n",
    );
    repo.commit("a typo");
    repo.write("policies/acme/org.yaml", POLICY);
    let output = repo.run(&["check", "policies/acme", "--new-since", "main"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(
            "warning: the policy did not load at `main`: 1 error (first: unknown field `seatz`"
        ),
        "{}",
        stderr(&output)
    );
    assert!(repo.temp_is_clean());
}

/// A folder name is a path, not a git pathspec: `:acme` is not the `acme` folder, and
/// `:(exclude)acme` excludes nothing. Each side of the comparison reads the named folder.
#[test]
fn new_since_reads_folders_whose_names_look_like_pathspec_magic() {
    let repo = Repo::new("pathspec-magic");
    // The look-alike folders a pathspec would pick instead: a clean policy.
    let clean = "apiVersion: cowork-policy/v1\norgs:\n  - name: other\n    plan: enterprise\n";
    repo.write("acme/org.yaml", clean);
    repo.write("x/org.yaml", clean);
    for folder in [":acme", ":(exclude)acme", "[a]x", "x*"] {
        repo.write(&format!("{folder}/org.yaml"), POLICY);
    }
    repo.commit("the policies");
    for folder in [":acme", ":(exclude)acme", "[a]x", "x*"] {
        let output = repo.run(&[
            "check",
            folder,
            "--new-since",
            "HEAD",
            "--format",
            "concise",
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{folder}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).ends_with("0 introduced, 0 fixed, 3 unchanged since HEAD\n"),
            "{folder}: {}",
            stdout(&output)
        );
    }
    assert!(repo.temp_is_clean());
}

#[test]
fn new_since_needs_git_a_repository_and_a_commit() {
    let repo = Repo::new("new-since-usage");
    repo.write("policies/acme/org.yaml", POLICY);
    repo.commit("the policy");
    let cases: [(&[&str], &str); 3] = [
        (
            &["check", "policies/acme", "--new-since", "origin/nope"],
            "`origin/nope` is not a commit of the git repository that holds `policies/acme`",
        ),
        (
            &["check", "policies/acme", "--new-since=-p"],
            "`-p` is not a git revision",
        ),
        (
            &[
                "check",
                "policies/acme",
                "--new-since",
                "main",
                "--baseline",
                "b.json",
            ],
            "cannot be used with",
        ),
    ];
    for (args, expected) in cases {
        let output = repo.run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(expected),
            "{args:?}: {}",
            stderr(&output)
        );
    }

    // Outside a repository.
    let outside = repo.top.join("home/policy");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("org.yaml"), POLICY).unwrap();
    let output = repo.run(&["check", outside.to_str().unwrap(), "--new-since", "main"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not in a git repository"),
        "{}",
        stderr(&output)
    );

    // Without git on the PATH.
    let output = repo
        .command(env!("CARGO_BIN_EXE_cowork-policy"))
        .env("PATH", repo.top.join("home"))
        .args(["check", "policies/acme", "--new-since", "main"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("runs the `git` command, which was not found"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_baseline_hides_known_findings_and_reports_stale_entries() {
    let repo = Repo::new("baseline");
    repo.write("policies/acme/org.yaml", POLICY);

    // Written beside the config file (at the repository root) by default.
    let output = repo.run(&["baseline", "policies/acme"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "wrote a baseline of 3 findings to cowork-policy-baseline.json\n"
    );
    let first = repo.read("cowork-policy-baseline.json");
    let written: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["findings"].as_array().unwrap().len(), 3);

    // Checked with it: nothing to report, exit 0.
    let baseline = ["--baseline", "cowork-policy-baseline.json"];
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "policies/acme", "--format", "concise"];
        args.extend_from_slice(&baseline);
        args.extend_from_slice(extra);
        repo.run(&args)
    };
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "no findings in 1 policy file\n3 findings in cowork-policy-baseline.json not shown\n"
    );

    // A new finding, and lines moved: only the new finding is reported.
    repo.write(
        "policies/acme/org.yaml",
        &changed_policy().replace("seats: 10", "seats: 2"),
    );
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(listed(&output), ["IDP003 policies/acme/org.yaml"]);
    assert!(stdout(&output).contains("`pilots`"));

    // One fixed: its entry is stale, which warns but does not fail.
    repo.write(
        "policies/acme/org.yaml",
        &POLICY.replace("seats: 2", "seats: 10"),
    );
    let output = check(&[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "no findings in 1 policy file\n2 findings in cowork-policy-baseline.json not shown\nwarning: 1 entry of cowork-policy-baseline.json no longer occurs: `--update-baseline` removes it\n  SEAT001 org/acme in org.yaml\n"
    );
    let json = repo.run(&[
        "check",
        "policies/acme",
        "--baseline",
        "cowork-policy-baseline.json",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(
        value["summary"]["baseline"],
        serde_json::json!({"file": "cowork-policy-baseline.json", "hidden": 2, "stale": 1, "pruned": false})
    );
    assert_eq!(value["staleBaselineEntries"][0]["code"], "SEAT001");
    assert_eq!(
        repo.read("cowork-policy-baseline.json"),
        first,
        "checking never rewrites the baseline"
    );

    // `--update-baseline` prunes the stale entry, and adds nothing.
    repo.write(
        "policies/acme/org.yaml",
        &changed_policy().replace("groups: [everyone, nobody]", "groups: [everyone]"),
    );
    let output = check(&["--update-baseline"]);
    assert_eq!(output.status.code(), Some(1), "the new finding still fails");
    assert!(
        stdout(&output).ends_with("removed 2 entries that no longer occur from cowork-policy-baseline.json:\n  IDP003 role/users in org.yaml\n  SEAT001 org/acme in org.yaml\n"),
        "{}",
        stdout(&output)
    );
    let pruned: serde_json::Value =
        serde_json::from_str(&repo.read("cowork-policy-baseline.json")).unwrap();
    let codes: Vec<&str> = pruned["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["IDP001"]);
    let output = check(&[]);
    assert_eq!(listed(&output), ["IDP003 policies/acme/org.yaml"]);
    assert!(!stdout(&output).contains("warning:"), "{}", stdout(&output));

    // `--output` writes elsewhere.
    let output = repo.run(&["baseline", "policies/acme", "--output", "other.json"]);
    assert_eq!(
        stdout(&output),
        "wrote a baseline of 2 findings to other.json\n"
    );
    assert!(repo.dir().join("other.json").is_file());
}

#[test]
fn a_baseline_that_cannot_be_read_is_a_usage_error() {
    let repo = Repo::new("baseline-usage");
    repo.write("policies/acme/org.yaml", POLICY);
    repo.write("bad.json", "{\"version\": 7, \"findings\": []}");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--baseline", "missing.json"],
            "cannot read the baseline `missing.json`: it does not exist",
        ),
        (
            &["--baseline", "bad.json"],
            "`bad.json` is not a baseline: baseline format version 7 is not one this cowork-policy reads",
        ),
        (&["--update-baseline"], "--baseline <FILE>"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["check", "policies/acme"];
        args.extend_from_slice(extra);
        let output = repo.run(&args);
        assert_eq!(output.status.code(), Some(2), "{extra:?}");
        assert!(
            stderr(&output).contains(expected),
            "{extra:?}: {}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty());
    }
}
