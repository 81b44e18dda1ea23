//! Meta-tests over the rule registry: every rule is documented, reachable by code and name, has
//! its fixture pair and snapshots, and its documented example does what the doc says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

const SECTIONS: [&str; 4] = [
    "## What it flags",
    "## Why it matters",
    "## Example",
    "## Instead",
];

/// The YAML code block under a section of a rule's doc.
fn yaml_block(explain: &str, section: &str) -> String {
    let after = explain.split_once(section).unwrap().1;
    let start = after.find("```yaml\n").unwrap() + "```yaml\n".len();
    let end = after[start..].find("```").unwrap();
    after[start..start + end].to_string()
}

/// The files of a section of a rule's doc: its YAML block as `example.yaml`, and each further
/// block whose fence names a file (```` ```json members.json ````), such as an export.
fn section_files(explain: &str, section: &str) -> Vec<(String, String)> {
    let after = explain.split_once(section).unwrap().1;
    let body = after.split("\n## ").next().unwrap();
    let mut files = vec![("example.yaml".to_string(), yaml_block(explain, section))];
    let mut rest = body;
    while let Some(open) = rest.find("```") {
        let info_end = rest[open..].find('\n').unwrap() + open;
        let info = rest[open + 3..info_end].trim();
        let close = rest[info_end..].find("```").unwrap() + info_end;
        if let Some((_, name)) = info.split_once(' ') {
            files.push((
                name.trim().to_string(),
                rest[info_end + 1..close].to_string(),
            ));
        }
        rest = &rest[close + 3..];
    }
    files
}

#[test]
fn every_rule_has_its_doc_sections_in_order() {
    for rule in cowork_policy::rules() {
        let explain = rule.explain();
        let mut last = 0;
        for section in SECTIONS {
            let at = explain
                .find(section)
                .unwrap_or_else(|| panic!("{} lacks `{section}`", rule.code()));
            assert!(at >= last, "{}: `{section}` is out of order", rule.code());
            last = at;
        }
        assert!(!rule.summary().is_empty(), "{} has no summary", rule.code());
    }
}

#[test]
fn every_summary_is_one_sentence_that_stands_alone() {
    for rule in cowork_policy::rules() {
        let summary = rule.summary();
        assert!(
            !summary.is_empty() && summary.len() <= 400,
            "{}: a summary of {} characters: {summary}",
            rule.code(),
            summary.len()
        );
        assert!(
            !summary.ends_with(':') && !summary.contains('\n'),
            "{}: {summary:?}",
            rule.code()
        );
    }
}

#[test]
fn codes_and_names_round_trip_and_are_unique() {
    let mut codes = Vec::new();
    let mut names = Vec::new();
    for rule in cowork_policy::rules() {
        let code = rule.code();
        let letters = code.trim_end_matches(|c: char| c.is_ascii_digit());
        assert!(
            letters.len() + 3 == code.len() && letters.chars().all(|c| c.is_ascii_uppercase()),
            "bad code {code}"
        );
        assert!(
            rule.name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "bad name {}",
            rule.name()
        );
        assert_eq!(cowork_policy::rule(code).unwrap().code(), code);
        assert_eq!(cowork_policy::rule(rule.name()).unwrap().code(), code);
        assert_eq!(
            cowork_policy::rule(&code.to_lowercase()).unwrap().code(),
            code
        );
        codes.push(code);
        names.push(rule.name());
    }
    codes.sort_unstable();
    codes.dedup();
    names.sort_unstable();
    names.dedup();
    assert_eq!(codes.len(), cowork_policy::rules().len());
    assert_eq!(names.len(), cowork_policy::rules().len());
    assert!(cowork_policy::rule("NOPE001").is_none());
}

#[test]
fn every_rule_has_a_fixture_pair_and_snapshots() {
    let snapshots = common::root().join("crates/cowork-policy/tests/snapshots");
    for rule in cowork_policy::rules() {
        let folder = format!("{}-{}", rule.code(), rule.name());
        let dir = common::root().join("fixtures").join(&folder);
        if rule.area() == cowork_policy::Area::Managed {
            // A managed file's rule: a failing and a passing managed file, of any format.
            let cases: Vec<String> = common::managed_cases(&dir)
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            for prefix in ["fail.", "pass."] {
                assert!(
                    cases.iter().any(|n| n.starts_with(prefix)),
                    "missing fixtures/{folder}/{prefix}*"
                );
            }
        } else {
            for case in ["fail.yaml", "pass.yaml"] {
                assert!(dir.join(case).is_file(), "missing fixtures/{folder}/{case}");
            }
        }
        if rule.area() == cowork_policy::Area::Drift {
            // A drift rule's policy is compared with the snapshot folder next to it.
            for case in ["fail.live", "pass.live"] {
                assert!(dir.join(case).is_dir(), "missing fixtures/{folder}/{case}/");
            }
        }
        for kind in ["human", "json"] {
            let snap = snapshots.join(format!("rules__{folder}__{kind}.snap"));
            assert!(snap.is_file(), "missing snapshot {}", snap.display());
        }
    }
}

/// The first code block under a section of a managed rule's doc, with a file name for its
/// language (`xml` a profile, `reg` a registry export, `json` the Linux file).
fn managed_block(explain: &str, section: &str) -> (String, String) {
    let after = explain.split_once(section).unwrap().1;
    let mut start = after.find("```").unwrap() + 3;
    // Past a policy that opens the section (MDM008): the managed file follows it.
    if after[start..].starts_with("yaml\n") {
        let end = start + after[start..].find("```").unwrap() + 3;
        start = end + after[end..].find("```").unwrap() + 3;
    }
    let (lang, rest) = after[start..].split_once('\n').unwrap();
    let end = rest.find("```").unwrap();
    let name = match lang {
        "xml" => "example.mobileconfig",
        "reg" => "example.reg",
        "json" => "managed-settings.json",
        other => panic!("a managed example in `{other}`"),
    };
    (name.to_string(), rest[..end].to_string())
}

#[test]
fn managed_doc_examples_fire_once_and_their_fixes_do_not() {
    for rule in cowork_policy::rules() {
        if rule.area() != cowork_policy::Area::Managed {
            continue;
        }
        let explain = rule.explain();
        let count = |section: &str| {
            let (name, text) = managed_block(&explain, section);
            // A section that opens with a policy (MDM008) checks the file against it.
            let body = explain.split_once(section).unwrap().1;
            let first = body.find("```").unwrap();
            let checked = if body[first..].starts_with("```yaml") {
                let policy =
                    cowork_policy::load_sources([("example.yaml", yaml_block(&explain, section))])
                        .unwrap();
                let expected = cowork_policy::managed::desktop_settings(&policy, None).unwrap();
                cowork_policy::managed::check_file_against(&name, text.as_bytes(), &expected)
            } else {
                cowork_policy::managed::check_file(&name, text.as_bytes())
            };
            checked
                .unwrap_or_else(|e| panic!("{} example does not read: {e}", rule.code()))
                .report
                .findings
                .iter()
                .filter(|f| f.code == rule.code())
                .count()
        };
        assert_eq!(
            count("## Example"),
            1,
            "{}: the example should fire exactly once",
            rule.code()
        );
        assert_eq!(
            count("## Instead"),
            0,
            "{}: the fixed example should not fire",
            rule.code()
        );
    }
}

/// A drift rule's example is a policy and a sentence about the snapshot: the policy of both
/// sections loads, and the example names the snapshot file it reads. (Its fixtures show it
/// firing and silent.)
#[test]
fn drift_doc_examples_load_and_name_their_snapshot_file() {
    for rule in cowork_policy::rules() {
        if rule.area() != cowork_policy::Area::Drift {
            continue;
        }
        let explain = rule.explain();
        for section in ["## Example", "## Instead"] {
            if let Some(block) = explain.split_once(section).unwrap().1.split("## ").next()
                && block.contains("```yaml")
            {
                cowork_policy::load_sources(section_files(&explain, section))
                    .unwrap_or_else(|e| panic!("{} {section} does not load: {e}", rule.code()));
            }
        }
        let example = explain.split_once("## Example").unwrap().1;
        let example = example.split("## Instead").next().unwrap();
        assert!(
            example.contains("The snapshot's `") && example.contains(".json`"),
            "{}: the example should say what the snapshot's file holds",
            rule.code()
        );
    }
}

#[test]
fn doc_examples_fire_once_and_their_fixes_do_not() {
    for rule in cowork_policy::rules() {
        // A managed file's rule reads a file, a drift rule a snapshot: neither fires on a policy.
        if matches!(
            rule.area(),
            cowork_policy::Area::Managed | cowork_policy::Area::Drift
        ) {
            continue;
        }
        let count = |files: Vec<(String, String)>| {
            let policy = cowork_policy::load_sources(files)
                .unwrap_or_else(|e| panic!("{} example does not load: {e}", rule.code()));
            common::check(&policy)
                .findings
                .iter()
                .filter(|f| f.code == rule.code())
                .count()
        };
        let explain = rule.explain();
        assert_eq!(
            count(section_files(&explain, "## Example")),
            1,
            "{}: the example should fire exactly once",
            rule.code()
        );
        assert_eq!(
            count(section_files(&explain, "## Instead")),
            0,
            "{}: the fixed example should not fire",
            rule.code()
        );
    }
}
