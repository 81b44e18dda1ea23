//! The rules, tested as data: every fixture (`fail.yaml`, `pass.yaml` and any further case, such
//! as a profile switch) produces exactly the findings its header states, and
//! the human and JSON output of every failing fixture is snapshotted.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::render::{self, HumanOptions};

/// Load one fixture file on its own, as the CLI would load it, with the identity-provider
/// exports (`.json`, `.csv`) of its folder, which its `directoryExports:` may name.
fn run(name: &str, text: &str) -> (cowork_policy::Policy, cowork_policy::Report) {
    let mut files = vec![(name.to_string(), text.to_string())];
    let folder = name.rsplit_once('/').map_or("", |(f, _)| f);
    let dir = common::root().join("fixtures").join(folder);
    // A name without a folder is a file of its own: no exports.
    let mut pending = if folder.is_empty() {
        Vec::new()
    } else {
        vec![String::new()]
    };
    while let Some(sub) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&sub)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            let relative = if sub.is_empty() {
                name.clone()
            } else {
                format!("{sub}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                pending.push(relative);
            } else if name.ends_with(".json") || name.ends_with(".csv") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                files.push((format!("{folder}/{relative}"), text));
            }
        }
    }
    files[1..].sort();
    let policy =
        cowork_policy::load_sources(files).unwrap_or_else(|e| panic!("{name} does not load:\n{e}"));
    let report = common::check_on(&policy, common::today_of(text));
    (policy, report)
}

#[test]
fn fixtures_produce_exactly_their_stated_findings() {
    let mut failures = Vec::new();
    let dirs = common::fixture_dirs();
    assert!(!dirs.is_empty(), "no fixtures found");
    for dir in dirs {
        if common::is_managed_fixture(&dir) || common::is_drift_fixture(&dir) {
            continue;
        }
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        // fail.yaml and pass.yaml, then any further case (a profile switch, another near-miss).
        let mut cases = vec!["fail.yaml".to_string(), "pass.yaml".to_string()];
        let mut extra: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|f| f.ends_with(".yaml") && !cases.contains(f))
            .collect();
        extra.sort();
        cases.extend(extra);
        for case in &cases {
            let case = case.as_str();
            let name = format!("{folder}/{case}");
            let text =
                std::fs::read_to_string(dir.join(case)).unwrap_or_else(|e| panic!("{name}: {e}"));
            let expected = common::expectations(&text);
            let (policy, report) = run(&name, &text);
            let mut actual: Vec<(String, u32, u32)> = report
                .findings
                .iter()
                .map(|f| (f.code.to_string(), f.location.line, f.location.column))
                .collect();
            actual.sort();
            if actual != expected {
                failures.push(format!(
                    "{name}: expected {expected:?}, got {actual:?}\n{}",
                    render::human(&report, &policy, &HumanOptions::new(false))
                ));
            }
            if case == "fail.yaml" {
                let code = folder.split('-').next().unwrap();
                if !report.findings.iter().any(|f| f.code == code) {
                    failures.push(format!("{name}: does not fire {code}"));
                }
                insta::assert_snapshot!(
                    format!("{folder}__human"),
                    render::human(&report, &policy, &HumanOptions::new(false))
                );
                insta::assert_snapshot!(format!("{folder}__json"), render::json(&report));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The managed rules' fixtures (`fixtures/MDM*/`): each case file, a `.mobileconfig`, `.reg` or
/// `.json`, produces exactly the findings its `expect:` comments state, and the human and JSON
/// output of `fail.*` is snapshotted.
#[test]
fn managed_fixtures_produce_exactly_their_stated_findings() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for dir in common::fixture_dirs() {
        if !common::is_managed_fixture(&dir) {
            continue;
        }
        seen += 1;
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        let cases = common::managed_cases(&dir);
        assert!(
            cases.iter().any(|(n, _)| n.starts_with("fail."))
                && cases.iter().any(|(n, _)| n.starts_with("pass.")),
            "{folder}: needs a fail.* and a pass.* case"
        );
        for (case, bytes) in cases {
            let name = format!("{folder}/{case}");
            let expected = common::managed_case_expectations(&dir, &case, &bytes);
            let checked = common::check_managed_case(&dir, &name, &bytes);
            let human = render::human(&checked.report, &checked.source, &HumanOptions::new(false));
            let mut actual: Vec<(String, u32, u32)> = checked
                .report
                .findings
                .iter()
                .map(|f| (f.code.to_string(), f.location.line, f.location.column))
                .collect();
            actual.sort();
            if actual != expected {
                failures.push(format!(
                    "{name}: expected {expected:?}, got {actual:?}\n{human}"
                ));
            }
            if case.starts_with("fail.") {
                let code = folder.split('-').next().unwrap();
                if !checked.report.findings.iter().any(|f| f.code == code) {
                    failures.push(format!("{name}: does not fire {code}"));
                }
                insta::assert_snapshot!(format!("{folder}__human"), human);
                insta::assert_snapshot!(format!("{folder}__json"), render::json(&checked.report));
            }
        }
    }
    assert!(seen >= 8, "expected the managed fixtures, found {seen}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The drift rules' fixtures (`fixtures/DRIFT*/`): each policy case compared with its snapshot
/// folder produces exactly the findings its header states, and the human and JSON output of
/// `fail.yaml` is snapshotted.
#[test]
fn drift_fixtures_produce_exactly_their_stated_findings() {
    let mut failures = Vec::new();
    let mut seen = 0;
    for dir in common::fixture_dirs() {
        if !common::is_drift_fixture(&dir) {
            continue;
        }
        seen += 1;
        let folder = dir.file_name().unwrap().to_string_lossy().to_string();
        let cases = common::drift_cases(&dir);
        assert!(
            cases.starts_with(&["fail.yaml".to_string(), "pass.yaml".to_string()]),
            "{folder}: needs fail.yaml and pass.yaml"
        );
        for case in cases {
            let name = format!("{folder}/{case}");
            let text = std::fs::read_to_string(dir.join(&case)).unwrap();
            let expected = common::expectations(&text);
            let (policy, report) = common::drift_case(&dir, &case);
            let human = render::human(&report, &policy, &HumanOptions::new(false));
            let mut actual: Vec<(String, u32, u32)> = report
                .findings
                .iter()
                .map(|f| (f.code.to_string(), f.location.line, f.location.column))
                .collect();
            actual.sort();
            if actual != expected {
                failures.push(format!(
                    "{name}: expected {expected:?}, got {actual:?}\n{human}"
                ));
            }
            // Drift is about the live org: `check` alone finds none of it.
            if common::check(&policy)
                .findings
                .iter()
                .any(|f| f.code.starts_with("DRIFT"))
            {
                failures.push(format!("{name}: `check` reports a drift finding"));
            }
            if case == "fail.yaml" {
                let code = folder.split('-').next().unwrap();
                if !report.findings.iter().any(|f| f.code == code) {
                    failures.push(format!("{name}: does not fire {code}"));
                }
                insta::assert_snapshot!(format!("{folder}__human"), human);
                insta::assert_snapshot!(format!("{folder}__json"), render::json(&report));
            }
        }
    }
    assert!(seen >= 8, "expected the drift fixtures, found {seen}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Examples that show findings on purpose; every other example must check clean.
const EXAMPLES_WITH_FINDINGS: &[&str] = &["day-one"];

#[test]
fn examples_validate_clean() {
    let examples = common::example_dirs();
    assert!(
        examples.len() >= 3,
        "expected at least three example policies"
    );
    for dir in examples {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        if EXAMPLES_WITH_FINDINGS.contains(&name.as_str()) {
            continue;
        }
        let policy = cowork_policy::load_dir(&dir)
            .unwrap_or_else(|e| panic!("{} does not load:\n{e}", dir.display()));
        let report = common::check(&policy);
        assert!(
            report.findings.is_empty(),
            "{} is not clean:\n{}",
            dir.display(),
            render::human(&report, &policy, &HumanOptions::new(false))
        );
    }
}

/// The day-one example is a company midway through its rollout, with the mistakes real rollouts
/// make; its findings are what the README shows.
#[test]
fn day_one_example_findings() {
    let dir = common::root().join("policies/day-one");
    let policy =
        cowork_policy::load_dir(&dir).unwrap_or_else(|e| panic!("day-one does not load:\n{e}"));
    let report = common::check(&policy);
    assert!(report.fails_at(cowork_policy::Severity::Error));
    insta::assert_snapshot!(
        "examples__day-one__human",
        render::human(&report, &policy, &HumanOptions::new(false))
    );
}

#[test]
fn finding_messages_are_lowercase_without_final_period() {
    for dir in common::fixture_dirs() {
        let reports: Vec<cowork_policy::Report> = if common::is_managed_fixture(&dir) {
            common::managed_cases(&dir)
                .into_iter()
                .map(|(name, bytes)| common::check_managed_case(&dir, &name, &bytes).report)
                .collect()
        } else if common::is_drift_fixture(&dir) {
            common::drift_cases(&dir)
                .iter()
                .map(|case| common::drift_case(&dir, case).1)
                .collect()
        } else {
            let folder = dir.file_name().unwrap().to_string_lossy().to_string();
            ["fail.yaml", "pass.yaml"]
                .iter()
                .map(|case| {
                    let text = std::fs::read_to_string(dir.join(case)).unwrap();
                    run(&format!("{folder}/{case}"), &text).1
                })
                .collect()
        };
        for report in reports {
            for finding in &report.findings {
                let first = finding.message.chars().next().unwrap();
                assert!(
                    first.is_lowercase() || first == '`' || first.is_ascii_digit(),
                    "{}: message starts with `{first}`: {}",
                    finding.code,
                    finding.message
                );
                assert!(!finding.message.ends_with('.'), "{}", finding.message);
                assert!(!finding.message.contains('\n'), "{}", finding.message);
                if let Some(help) = &finding.help {
                    assert!(
                        !help.ends_with('.'),
                        "{}: help ends with a period",
                        finding.code
                    );
                }
            }
        }
    }
}

/// IDP001 keeps "will not sync" for users no synced group lists directly, and says what the
/// others, who sync through another group, miss (`fixtures/IDP001-nested-idp-group/unsynced.yaml`).
#[test]
fn nested_users_who_sync_elsewhere_are_told_what_they_miss() {
    let name = "IDP001-nested-idp-group/unsynced.yaml";
    let text = std::fs::read_to_string(common::root().join("fixtures").join(name)).unwrap();
    let (_, report) = run(name, &text);
    let messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "IDP001")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "group `support` nests group `support-emea`: 1 user reached only through it will not sync, as no synced group lists them directly (`gus.berg@acme.com`); 1 more (`ana.silva@acme.com`) syncs through another group but misses its role `support-desk` (chat)"
        ]
    );
}
