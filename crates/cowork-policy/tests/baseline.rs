//! Baselines and comparisons, through the public API: findings are matched by rule, file and
//! entity (never lines), with counting; a baseline round-trips through its JSON, and a bad one
//! is an error with a clear message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::{
    Finding, Report,
    baseline::{Baseline, compare},
};

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

fn run(yaml: &str) -> Report {
    common::check(&cowork_policy::load_sources([("org.yaml", yaml)]).unwrap())
}

/// `code entity` of each finding, to compare sets of findings in one line.
fn keys(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.code, f.entity))
        .collect()
}

#[test]
fn the_policy_has_three_findings_on_three_entities() {
    assert_eq!(
        keys(&run(POLICY).findings),
        [
            "SEAT001 org/acme",
            "IDP001 group/everyone",
            "IDP003 role/users"
        ]
    );
}

#[test]
fn a_baseline_round_trips_and_carries_the_sarif_fingerprints() {
    let report = run(POLICY);
    let baseline = Baseline::from_report(&report);
    let text = baseline.to_json();
    assert!(text.ends_with("}\n"));
    assert_eq!(Baseline::from_json(&text).unwrap(), baseline);

    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "cowork-policy");
    let entries = json["findings"].as_array().unwrap();
    // Sorted by file, code and entity, not by line: rewriting after lines move changes nothing.
    let codes: Vec<&str> = entries
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["IDP001", "IDP003", "SEAT001"]);
    assert_eq!(entries[0]["file"], "org.yaml");
    assert_eq!(entries[0]["entity"], "group/everyone");
    assert!(
        entries[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("group `everyone` nests")
    );
    assert!(entries[0].get("line").is_none(), "no line numbers");

    // The fingerprints are the ones SARIF and GitLab show.
    let sarif: serde_json::Value = serde_json::from_str(&cowork_policy::render::sarif(
        &report,
        &cowork_policy::render::CiOptions::new(),
        1,
    ))
    .unwrap();
    let mut from_sarif: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["coworkPolicy/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut from_baseline: Vec<String> = baseline
        .entries()
        .iter()
        .map(|e| e.fingerprint.clone())
        .collect();
    from_sarif.sort();
    from_baseline.sort();
    assert_eq!(from_baseline, from_sarif);
}

#[test]
fn moved_lines_and_changed_messages_keep_findings_baselined() {
    let baseline = Baseline::from_report(&run(POLICY));
    // Lines above every finding, and one more user in the message of IDP001 and SEAT001.
    let edited = POLICY
        .replace(
            "orgs:\n",
            "# The production org.\n\n# Seats: see IT-1234.\norgs:\n",
        )
        .replace(
            "members: [dee@acme.com]",
            "members: [dee@acme.com, eve@acme.com]",
        );
    let report = run(&edited);
    assert_ne!(report.findings[1].message, run(POLICY).findings[1].message);
    let (new, stale) = baseline.filter(&report);
    assert!(new.is_empty(), "{:?}", keys(&new));
    assert!(stale.is_empty(), "{stale:?}");
}

#[test]
fn findings_that_share_a_key_are_counted() {
    let two = POLICY.replace("[everyone, nobody]", "[everyone, nobody, nowhere]");
    let three = POLICY.replace("[everyone, nobody]", "[everyone, nobody, nowhere, noone]");
    let baseline = Baseline::from_report(&run(&two));
    assert_eq!(
        baseline
            .entries()
            .iter()
            .filter(|e| e.code == "IDP003")
            .count(),
        2
    );
    // Two in the baseline, three now: the last one in report order is new.
    let (new, stale) = baseline.filter(&run(&three));
    assert_eq!(keys(&new), ["IDP003 role/users"]);
    assert!(new[0].message.contains("`noone`"), "{}", new[0].message);
    assert!(stale.is_empty());
    // Two in the baseline, one now: one entry is stale, and pruning removes just it.
    let one = run(POLICY);
    let (new, stale) = baseline.filter(&one);
    assert!(new.is_empty());
    assert_eq!(stale.len(), 1);
    assert_eq!(
        (stale[0].code.as_str(), stale[0].entity.as_str()),
        ("IDP003", "role/users")
    );
    let mut pruned = baseline.clone();
    assert_eq!(pruned.prune(&one), 1);
    assert_eq!(pruned.entries().len(), baseline.entries().len() - 1);
    assert_eq!(pruned.filter(&one), (Vec::new(), Vec::new()));
    // Pruning never adds: the new finding of `three` is still new after pruning with it.
    let mut unchanged = baseline.clone();
    assert_eq!(unchanged.prune(&run(&three)), 0);
    assert_eq!(unchanged, baseline);
}

#[test]
fn compare_splits_introduced_fixed_and_unchanged() {
    let before = run(POLICY);
    // Seats fixed, the nesting moved down two lines, a new unknown group in a spend limit.
    let after = run(&POLICY
        .replace("seats: 2", "seats: 10\n    # Ordered in IT-1234.\n")
        .replace(
            "roles:",
            "spendLimits:\n  - name: pilot\n    amount: 100\n    groups: [pilots]\nroles:",
        ));
    let comparison = compare(&before, &after);
    assert_eq!(keys(&comparison.introduced), ["IDP003 spend-limit/pilot"]);
    assert_eq!(keys(&comparison.fixed), ["SEAT001 org/acme"]);
    assert_eq!(
        keys(&comparison.unchanged),
        ["IDP001 group/everyone", "IDP003 role/users"]
    );
    // Unchanged findings are as they are now.
    assert_eq!(comparison.unchanged[0].location.line, 12);

    // Against nothing (the policy did not load at the revision), everything is introduced.
    let everything = compare(&Report::default(), &after);
    assert_eq!(everything.introduced, after.findings);
    assert!(everything.fixed.is_empty() && everything.unchanged.is_empty());
    // And compared with itself, nothing changed.
    let same = compare(&after, &after);
    assert!(same.introduced.is_empty() && same.fixed.is_empty());
    assert_eq!(same.unchanged, after.findings);
}

#[test]
fn waived_findings_are_not_baselined() {
    let waived = POLICY.replace(
        "groups: [everyone, nobody]",
        "groups: [everyone, nobody] # cowork-policy: allow IDP003 reason=\"renamed in IT-9\"",
    );
    let report = run(&waived);
    assert_eq!(report.waived.len(), 1);
    let baseline = Baseline::from_report(&report);
    assert!(baseline.entries().iter().all(|e| e.code != "IDP003"));
    // A baselined finding that gets waived later no longer occurs: its entry is stale.
    let (new, stale) = Baseline::from_report(&run(POLICY)).filter(&report);
    assert!(new.is_empty());
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].code, "IDP003");
}

#[test]
fn a_hand_written_baseline_needs_only_code_file_and_entity() {
    let baseline = Baseline::from_json(
        r#"{"version": 1, "findings": [
            {"code": "SEAT001", "file": "org.yaml", "entity": "org/acme", "note": "ordered"}
        ]}"#,
    )
    .unwrap();
    let (new, stale) = baseline.filter(&run(POLICY));
    assert_eq!(keys(&new), ["IDP001 group/everyone", "IDP003 role/users"]);
    assert!(stale.is_empty());
}

#[test]
fn a_bad_baseline_is_an_error_that_says_why() {
    let cases = [
        ("", "not valid JSON: "),
        ("[]", "not a cowork-policy baseline: expected a JSON object"),
        (
            r#"{"findings": []}"#,
            "not a cowork-policy baseline: it has no `version`",
        ),
        (
            r#"{"version": 2, "findings": []}"#,
            "baseline format version 2 is not one this cowork-policy reads (it reads version 1)",
        ),
        (
            r#"{"version": "1", "findings": []}"#,
            "baseline format version \"1\" is not one",
        ),
        (
            r#"{"version": 1}"#,
            "not a cowork-policy baseline: `findings` is missing or not a list",
        ),
        (
            r#"{"version": 1, "findings": [{"code": "IDP001", "file": "a.yaml", "entity": "group/a"}, {"file": "a.yaml", "entity": "group/a"}]}"#,
            "entry 2 of `findings` has no `code` string",
        ),
        (
            r#"{"version": 1, "findings": [{"code": 1, "file": "a.yaml", "entity": ""}]}"#,
            "entry 1 of `findings` has no `code` string",
        ),
        (
            r#"{"version": 1, "findings": [{"code": "IDP001", "file": "a.yaml", "entity": "", "message": null}]}"#,
            "entry 1 of `findings` has no `message` string",
        ),
    ];
    for (text, expected) in cases {
        let error = Baseline::from_json(text).unwrap_err().to_string();
        assert!(error.starts_with(expected), "{text}: {error}");
        assert!(!error.contains('\n'), "{error}");
    }
}

#[test]
fn compared_outputs_say_what_the_findings_were_compared_with() {
    use cowork_policy::render::{self, CiOptions, Compared};
    let before = run(POLICY);
    let after = run(&POLICY.replace("seats: 2", "seats: 10"));
    let comparison = compare(&before, &after);
    let introduced = Report {
        findings: comparison.introduced.clone(),
        ..after.clone()
    };
    let since = Compared::Revision {
        revision: "origin/main".into(),
        introduced: comparison.introduced.len(),
        fixed: comparison.fixed.len(),
        unchanged: comparison.unchanged.len(),
        loaded: true,
    };
    assert_eq!(
        since.summary(),
        "0 introduced, 1 fixed, 2 unchanged since origin/main\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&render::json_compared(&introduced, &since)).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
    assert_eq!(
        json["summary"]["newSince"],
        serde_json::json!({"revision": "origin/main", "introduced": 0, "fixed": 1, "unchanged": 2, "loadedAtRevision": true})
    );
    assert!(json.get("staleBaselineEntries").is_none());
    let markdown = render::markdown_compared(&introduced, &CiOptions::new(), &since);
    assert!(
        markdown.starts_with(
            "## cowork-policy\n\nNo findings introduced since `origin/main` in 1 policy file; 1 fixed, 2 unchanged.\n"
        ),
        "{markdown}"
    );

    let not_loaded = Compared::Revision {
        revision: "v1".into(),
        introduced: 2,
        fixed: 0,
        unchanged: 0,
        loaded: false,
    };
    assert_eq!(
        not_loaded.summary(),
        "2 introduced since v1, where the policy did not load: every finding counts as introduced\n"
    );
    let markdown = render::markdown_compared(&after, &CiOptions::new(), &not_loaded);
    assert!(
        markdown.contains("**Introduced 2 errors** since `v1` in 1 policy file. The policy did not load at `v1`, so every finding counts as introduced.\n"),
        "{markdown}"
    );

    // A baseline that lists SEAT001 twice: one entry hides it, the other is stale.
    let baseline = Baseline::from_json(
        r#"{"version": 1, "findings": [
            {"code": "SEAT001", "file": "org.yaml", "entity": "org/acme", "message": "org `acme` is short"},
            {"code": "SEAT001", "file": "org.yaml", "entity": "org/acme"}
        ]}"#,
    )
    .unwrap();
    let (new, stale) = baseline.filter(&before);
    let filtered = Report {
        findings: new,
        ..before.clone()
    };
    let compared = Compared::Baseline {
        file: "baseline.json".into(),
        hidden: before.findings.len() - filtered.findings.len(),
        stale,
        pruned: false,
    };
    assert_eq!(
        compared.summary(),
        "1 finding in baseline.json not shown\nwarning: 1 entry of baseline.json no longer occurs: `--update-baseline` removes it\n  SEAT001 org/acme in org.yaml\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&render::json_compared(&filtered, &compared)).unwrap();
    assert_eq!(json["summary"]["errors"], 2);
    assert_eq!(
        json["summary"]["baseline"],
        serde_json::json!({"file": "baseline.json", "hidden": 1, "stale": 1, "pruned": false})
    );
    assert_eq!(json["staleBaselineEntries"][0]["entity"], "org/acme");
    let markdown = render::markdown_compared(&filtered, &CiOptions::new(), &compared);
    assert!(
        markdown.contains("**Found 2 errors** in 1 policy file, not counting 1 finding in the baseline `baseline.json`.\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("<summary>1 baseline entry of <code>baseline.json</code> no longer occurs: <code>--update-baseline</code> removes it</summary>"),
        "{markdown}"
    );
    // Without a comparison, the formats are as they always were.
    assert_eq!(
        render::markdown(&filtered, &CiOptions::new())
            .lines()
            .nth(2),
        Some("**Found 2 errors** in 1 policy file.")
    );
}

#[test]
fn a_relocated_config_filters_a_copy_of_the_tree_as_the_original() {
    // The policy as of a git revision is written to another folder; the config's patterns,
    // relative to its own folder, must pick the same files there.
    let dir = std::env::temp_dir().join(format!("cowork-policy-relocated-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for side in ["now", "then"] {
        let policy = dir.join(side).join("policies/acme");
        std::fs::create_dir_all(policy.join("drafts")).unwrap();
        std::fs::write(policy.join("org.yaml"), POLICY).unwrap();
        std::fs::write(
            policy.join("drafts/more.yaml"),
            "apiVersion: cowork-policy/v1\ngroups:\n  - name: drafts\n    members: [zed@acme.com]\n",
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("now/cowork-policy.toml"),
        "exclude = [\"policies/acme/drafts\"]\n",
    )
    .unwrap();
    let config = cowork_policy::config::Config::discover(dir.join("now/policies/acme")).unwrap();
    let now = cowork_policy::load_dir_with(dir.join("now/policies/acme"), &config).unwrap();
    assert_eq!(run_files(&now), 1);
    let then = dir.join("then/policies/acme");
    let unmoved = cowork_policy::load_dir_with(&then, &config).unwrap();
    assert_eq!(run_files(&unmoved), 2, "the patterns miss the copy");
    let relocated = config.relocated(dir.join("now"), dir.join("then"));
    let moved = cowork_policy::load_dir_with(&then, &relocated).unwrap();
    assert_eq!(run_files(&moved), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn run_files(policy: &cowork_policy::Policy) -> usize {
    common::check(policy).files
}
