//! Every output format, snapshotted over one shared set of findings (`fixtures/render/`), and the
//! SARIF output validated against the official SARIF 2.1.0 schema (`tests/data/`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::render::{self, CiOptions};
use cowork_policy::{Report, Severity, Waived, Waiver};

/// The shared report: `fixtures/render/` checked, then one finding demoted to info and one
/// waived, so that every format shows every kind of finding.
fn report() -> Report {
    let policy = cowork_policy::load_dir(common::root().join("fixtures/render")).unwrap();
    let mut report = common::check(&policy);
    let found: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {} {}", f.code, f.location, f.entity))
        .collect();
    assert_eq!(
        found,
        [
            "IDP001 groups/teams.yaml:8:20 group/engineering",
            "SEAT002 org.yaml:9:12 org/acme",
            "IDP003 org.yaml:15:34 role/cowork-users",
            "LIMIT001 org.yaml:19:14 spend-limit/engineering",
            "IDP003 org.yaml:25:14 spend-limit/partners",
        ],
        "fixtures/render/ no longer produces the findings this test is written for"
    );
    // No rule defaults to info; a severity override in the config would do this.
    report.findings[3].severity = Severity::Info;
    let finding = report.findings.remove(4);
    report.waived.push(Waived {
        finding,
        waiver: Waiver {
            reason: "partners are onboarded in Q3; the group is created then".to_string(),
            until: Some("2030-09-30".to_string()),
            owner: Some("it-platform@acme.com".to_string()),
            ticket: Some("IT-1234".to_string()),
            location: None,
            inline: false,
        },
    });
    report
}

/// As the CLI would be run from the repository root on `fixtures/render`, with links.
fn options() -> CiOptions {
    CiOptions::new()
        .path_prefix("fixtures/render")
        .link_base("https://github.com/acme/policy/blob/0123abc")
}

/// A policy that does not load: a misspelt field, and a second file that is not YAML.
fn load_errors() -> cowork_policy::LoadErrors {
    cowork_policy::load_sources([
        (
            "groups.yaml",
            "apiVersion: cowork-policy/v1\ngroups:\n  - name: eng\n    membrs: [a@b.co]\n",
        ),
        ("org.yaml", "apiVersion: cowork-policy/v1\norgs: [\n"),
    ])
    .unwrap_err()
}

#[test]
fn concise() {
    insta::assert_snapshot!("concise", render::concise(&report(), &options()));
    insta::assert_snapshot!(
        "concise_load_errors",
        render::concise_load_errors(&load_errors(), &options())
    );
}

#[test]
fn github() {
    let report = report();
    let text = render::github(&report, &options());
    assert_eq!(text.lines().count(), report.findings.len());
    insta::assert_snapshot!("github", text);
    insta::assert_snapshot!(
        "github_load_errors",
        render::github_load_errors(&load_errors(), &options())
    );
}

#[test]
fn junit() {
    insta::assert_snapshot!("junit", render::junit(&report(), &options()));
    insta::assert_snapshot!(
        "junit_load_errors",
        render::junit_load_errors(&load_errors(), &options())
    );
}

#[test]
fn junit_has_a_suite_for_every_rule() {
    let xml = render::junit(&report(), &options());
    for rule in cowork_policy::rules() {
        let suite = format!("<testsuite name=\"{} {}\"", rule.code(), rule.name());
        assert_eq!(xml.matches(&suite).count(), 1, "{suite}");
    }
}

/// What Jenkins' `junit-10.xsd` (vendored in `tests/data/`, the schema the xUnit plugin
/// validates reports against) declares for each element: its attributes, whether each is
/// required, and the elements it may hold.
struct JunitSchema {
    elements: std::collections::BTreeMap<String, Declared>,
}

/// An element's attributes (each with whether it is required) and the elements it may hold.
type Declared = (Vec<(String, bool)>, Vec<String>);

impl JunitSchema {
    fn load() -> JunitSchema {
        let text = std::fs::read_to_string(
            common::root().join("crates/cowork-policy/tests/data/junit-10.xsd"),
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let schema = doc.root_element();
        let named_type = |name: &str| {
            schema
                .children()
                .find(|n| n.has_tag_name("complexType") && n.attribute("name") == Some(name))
        };
        let mut elements = std::collections::BTreeMap::new();
        for element in schema.children().filter(|n| n.has_tag_name("element")) {
            let name = element.attribute("name").unwrap().to_string();
            let complex = element
                .children()
                .find(|n| n.has_tag_name("complexType"))
                .or_else(|| element.attribute("type").and_then(named_type));
            let (mut attributes, mut children) = (Vec::new(), Vec::new());
            if let Some(complex) = complex {
                for node in complex.descendants() {
                    if node.has_tag_name("attribute") {
                        let required = node.attribute("use") == Some("required");
                        attributes.push((node.attribute("name").unwrap().to_string(), required));
                    } else if node.has_tag_name("element") {
                        let child = node.attribute("ref").or(node.attribute("name")).unwrap();
                        children.push(child.to_string());
                    }
                }
            }
            elements.insert(name, (attributes, children));
        }
        JunitSchema { elements }
    }

    /// Every way `xml` departs from the schema's declarations: undeclared elements, children
    /// or attributes, and missing required attributes.
    fn problems(&self, xml: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut problems = Vec::new();
        for node in doc.descendants().filter(roxmltree::Node::is_element) {
            let name = node.tag_name().name();
            let Some((attributes, children)) = self.elements.get(name) else {
                problems.push(format!("<{name}> is not declared"));
                continue;
            };
            for attribute in node.attributes() {
                if !attributes.iter().any(|(a, _)| a == attribute.name()) {
                    problems.push(format!("<{name} {}> is not declared", attribute.name()));
                }
            }
            for (attribute, required) in attributes {
                if *required && node.attribute(attribute.as_str()).is_none() {
                    problems.push(format!("<{name}> lacks required `{attribute}`"));
                }
            }
            for child in node.children().filter(roxmltree::Node::is_element) {
                let child = child.tag_name().name();
                if !children.iter().any(|c| c == child) {
                    problems.push(format!("<{child}> may not be in <{name}>"));
                }
            }
        }
        problems.sort();
        problems.dedup();
        problems
    }
}

/// Jenkins' xUnit plugin rejects a report that does not match `junit-10.xsd`: no attribute or
/// element it does not declare (`.ci/validate-junit` also runs `xmllint --schema`).
#[test]
fn junit_fits_the_jenkins_schema() {
    let schema = JunitSchema::load();
    let mut outputs = vec![
        ("render fixture", render::junit(&report(), &options())),
        (
            "load errors",
            render::junit_load_errors(&load_errors(), &options()),
        ),
    ];
    for dir in common::example_dirs() {
        let report = common::check(&cowork_policy::load_dir(&dir).unwrap());
        outputs.push(("example", render::junit(&report, &CiOptions::new())));
    }
    for (what, xml) in &outputs {
        assert_eq!(schema.problems(xml), Vec::<String>::new(), "{what}");
    }
    // The check does see what the schema leaves out.
    let extra = outputs[0]
        .1
        .replacen("<testsuites ", "<testsuites bogus=\"1\" ", 1);
    assert_eq!(
        schema.problems(&extra),
        ["<testsuites bogus> is not declared"]
    );
}

#[test]
fn gitlab() {
    let text = render::gitlab(&report(), &options());
    let issues: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), report().findings.len());
    insta::assert_snapshot!("gitlab", text);
    insta::assert_snapshot!(
        "gitlab_load_errors",
        render::gitlab_load_errors(&load_errors(), &options())
    );
}

#[test]
fn markdown() {
    insta::assert_snapshot!("markdown", render::markdown(&report(), &options()));
    insta::assert_snapshot!(
        "markdown_without_links",
        render::markdown(&report(), &CiOptions::new())
    );
    insta::assert_snapshot!(
        "markdown_load_errors",
        render::markdown_load_errors(&load_errors(), &options())
    );
}

#[test]
fn markdown_reads_well_with_no_findings() {
    let dir = common::root().join("policies/okta-single-org");
    let policy = cowork_policy::load_dir(&dir).unwrap();
    let report = common::check(&policy);
    assert!(report.findings.is_empty());
    let text = render::markdown(&report, &options());
    assert_eq!(
        text,
        format!(
            "## cowork-policy\n\nNo findings in {} policy files.\n\nChecked against platform profile `rollout-guide` (2026-11-24).\n",
            report.files
        )
    );
}

/// The SARIF output with each rule's documentation replaced by a placeholder, after checking
/// that it is the rule's `explain()` text, four times (`fullDescription` and `help`, as text
/// and Markdown): the snapshot stays short enough to read, in the output's own key order.
fn sarif_for_snapshot(text: &str) -> String {
    let mut out = text.to_string();
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    for (rule, descriptor) in cowork_policy::rules().zip(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap(),
    ) {
        assert_eq!(descriptor["id"], rule.code());
        let doc = serde_json::to_string(&rule.explain()).unwrap();
        assert_eq!(out.matches(&doc).count(), 2, "{}", rule.code());
        out = out.replace(&doc, &format!("\"<explain() of {}>\"", rule.code()));
        let full = descriptor["fullDescription"]["text"].as_str().unwrap();
        assert!(
            full_description_starts_what_it_flags(rule, full),
            "{}: {full}",
            rule.code()
        );
        let full = serde_json::to_string(full).unwrap();
        out = out.replace(&full, &format!("\"<first paragraph of {}>\"", rule.code()));
    }
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        cowork_policy::rules().len()
    );
    out
}

/// Whether a `fullDescription` is the start of the rule's "What it flags" section, cut at a
/// sentence or word (then ending with `…`).
fn full_description_starts_what_it_flags(rule: &cowork_policy::Rule, full: &str) -> bool {
    let explain = rule.explain();
    let flags = explain
        .split_once("## What it flags")
        .unwrap()
        .1
        .split("\n## ")
        .next()
        .unwrap();
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flags = words(flags);
    let full = words(full.strip_suffix('…').unwrap_or(full));
    !full.is_empty() && flags.starts_with(&full)
}

/// GitHub code scanning rejects a rule whose `fullDescription.text` is longer than 1,024
/// characters (docs.github.com, "SARIF support for code scanning", `reportingDescriptor`).
/// The whole documentation goes in `help`.
#[test]
fn sarif_rule_descriptions_fit_in_code_scanning() {
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif(&report(), &options(), 1)).unwrap();
    let descriptors = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(descriptors.len(), cowork_policy::rules().len());
    for (rule, descriptor) in cowork_policy::rules().zip(descriptors) {
        let code = rule.code();
        for field in ["text", "markdown"] {
            let full = descriptor["fullDescription"][field].as_str().unwrap();
            assert!(
                full.chars().count() <= 1024,
                "{code}: fullDescription.{field} has {} characters",
                full.chars().count()
            );
            assert!(
                full_description_starts_what_it_flags(rule, full),
                "{code}: {full}"
            );
            assert_eq!(
                descriptor["help"][field],
                rule.explain(),
                "{code}: help.{field}"
            );
        }
        let short = descriptor["shortDescription"]["text"].as_str().unwrap();
        assert!(short.chars().count() <= 1024, "{code}: shortDescription");
        assert!(
            descriptor["name"].as_str().unwrap().len() <= 255,
            "{code}: name"
        );
    }
}

/// Security rules carry `security-severity` (a number from 0.1 to 10.0, as a string) and the
/// `security` tag, which code scanning reads to rank them as security alerts; the others
/// carry neither.
#[test]
fn sarif_marks_security_rules() {
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif(&report(), &options(), 1)).unwrap();
    let mut security = Vec::new();
    for descriptor in log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let code = descriptor["id"].as_str().unwrap();
        let tags: Vec<&str> = descriptor["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        match descriptor["properties"].get("security-severity") {
            Some(score) => {
                let score: f64 = score.as_str().unwrap().parse().unwrap();
                assert!(score > 0.0 && score <= 10.0, "{code}: {score}");
                assert!(tags.contains(&"security"), "{code}: {tags:?}");
                security.push(code);
            }
            None => assert!(!tags.contains(&"security"), "{code}: {tags:?}"),
        }
    }
    for code in [
        "SEC001", "SEC002", "SEC003", "SEC004", "SEC005", "CONN001", "CONN003", "RBAC004",
    ] {
        assert!(
            security.contains(&code),
            "{code} is not marked as security: {security:?}"
        );
    }
    assert_eq!(security.len(), 8, "{security:?}");
}

/// GitHub's upload action refuses a run without `results` ("Missing 'results' array in run"),
/// so a policy that does not load still gets an empty list, beside the failed invocation.
#[test]
fn sarif_of_a_policy_that_did_not_load_has_empty_results() {
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif_load_errors(&load_errors(), &options())).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["results"], serde_json::json!([]));
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run["invocations"][0]["exitCode"], 2);
}

#[test]
fn sarif() {
    let text = render::sarif(&report(), &options(), 1);
    insta::assert_snapshot!("sarif", sarif_for_snapshot(&text));
    let errors = render::sarif_load_errors(&load_errors(), &options());
    insta::assert_snapshot!("sarif_load_errors", sarif_for_snapshot(&errors));
}

/// The official SARIF 2.1.0 schema, with its one known defect repaired in memory: the
/// `anyOf` that says a region needs `startLine`, `charOffset` or `byteOffset` is written inside
/// `region.properties`, as if it were a property, which the JSON Schema meta-schema (and so
/// the `jsonschema` crate) rejects. Moved one level up, it constrains regions as intended.
fn sarif_validator() -> jsonschema::Validator {
    let path = common::root().join("crates/cowork-policy/tests/data/sarif-schema-2.1.0.json");
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let region = schema["definitions"]["region"].as_object_mut().unwrap();
    let misplaced = region["properties"]
        .as_object_mut()
        .unwrap()
        .remove("anyOf")
        .expect("the vendored schema no longer has the misplaced `anyOf`: drop this repair");
    region.insert("anyOf".to_string(), misplaced);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, what: &str, text: &str) {
    let log: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
}

#[test]
fn sarif_matches_the_official_schema() {
    let validator = sarif_validator();
    assert_valid_sarif(
        &validator,
        "render fixture",
        &render::sarif(&report(), &options(), 1),
    );
    assert_valid_sarif(
        &validator,
        "load errors",
        &render::sarif_load_errors(&load_errors(), &options()),
    );
    for dir in common::example_dirs() {
        let report = common::check(&cowork_policy::load_dir(&dir).unwrap());
        assert_valid_sarif(
            &validator,
            &dir.display().to_string(),
            &render::sarif(&report, &CiOptions::new(), 0),
        );
    }
    // The validator does reject what the schema forbids.
    let mut broken: serde_json::Value =
        serde_json::from_str(&render::sarif(&report(), &options(), 1)).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_never_copies_source_text() {
    let text = render::sarif(&report(), &options(), 1);
    assert!(!text.contains("\"snippet\""));
    assert!(!text.contains("\"contextRegion\""));
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results = log["runs"][0]["results"].to_string();
    let dir = common::root().join("fixtures/render");
    for file in common::yaml_files(&dir) {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let line = line.trim().trim_start_matches("- ");
            if line.len() > 8 && !line.starts_with('#') {
                assert!(!results.contains(line), "source line `{line}` leaked");
            }
        }
    }
}

/// The `coworkPolicy/v1` fingerprints of a policy's SARIF results, by rule code.
fn fingerprints(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let policy = cowork_policy::load_sources(files.iter().copied()).unwrap();
    let report = common::check(&policy);
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif(&report, &CiOptions::new(), 1)).unwrap();
    let gitlab: serde_json::Value =
        serde_json::from_str(&render::gitlab(&report, &CiOptions::new())).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .zip(gitlab.as_array().unwrap())
        .map(|(result, issue)| {
            let print = result["partialFingerprints"]["coworkPolicy/v1"]
                .as_str()
                .unwrap()
                .to_string();
            assert_eq!(
                issue["fingerprint"],
                print.as_str(),
                "SARIF and GitLab agree"
            );
            (result["ruleId"].as_str().unwrap().to_string(), print)
        })
        .collect()
}

#[test]
fn fingerprints_survive_moved_lines_and_new_messages_but_not_another_entity_or_file() {
    let policy = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
roles:
  - name: users
    entitlements: [chat]
    groups: [engineerng, salse]
spendLimits:
  - name: budget
    amount: 10
    groups: [engineerng]
";
    let before = fingerprints(&[("org.yaml", policy)]);
    assert_eq!(before.len(), 3);
    let unique: std::collections::HashSet<_> = before.iter().map(|(_, p)| p).collect();
    assert_eq!(
        unique.len(),
        3,
        "two unknown groups in one role still differ"
    );

    let moved = format!(
        "# a comment\n\n{}",
        policy.replace("amount: 10", "amount: 20")
    );
    assert_eq!(fingerprints(&[("org.yaml", &moved)]), before);

    let retyped = policy.replace("salse", "sles");
    assert_eq!(
        fingerprints(&[("org.yaml", &retyped)]),
        before,
        "the message is not hashed"
    );

    let renamed = policy.replace("name: budget", "name: cap");
    let after = fingerprints(&[("org.yaml", &renamed)]);
    assert_eq!(after[..2], before[..2]);
    assert_ne!(after[2], before[2], "another entity, another fingerprint");

    let other_file = fingerprints(&[("limits.yaml", policy)]);
    assert_ne!(other_file, before);
}

/// The fenced block of `language` that follows the first line containing `marker`.
fn block_after<'a>(text: &'a str, marker: &str, language: &str) -> &'a str {
    let after = &text[text.find(marker).unwrap()..];
    let fence = format!("```{language}\n");
    let start = after.find(&fence).unwrap() + fence.len();
    let end = after[start..].find("```").unwrap();
    &after[start..start + end]
}

#[test]
fn output_formats_doc_shows_real_output() {
    let doc = std::fs::read_to_string(common::root().join("docs/output-formats.md")).unwrap();
    let policy = cowork_policy::load_dir(common::root().join("fixtures/render")).unwrap();
    let report = common::check(&policy);
    let options = CiOptions::new().path_prefix("fixtures/render");
    assert_eq!(
        block_after(&doc, "## `concise`", "text"),
        render::concise(&report, &options),
        "docs/output-formats.md's concise example is not the real output"
    );
    let github = render::github(&report, &options);
    for line in block_after(&doc, "## `github`", "text").lines() {
        assert!(
            github.lines().any(|l| l == line),
            "docs/output-formats.md's github example is not the real output: {line}"
        );
    }
    let shown: serde_json::Value =
        serde_json::from_str(block_after(&doc, "## `gitlab`", "json")).unwrap();
    let issues: serde_json::Value =
        serde_json::from_str(&render::gitlab(&report, &options)).unwrap();
    assert_eq!(
        shown, issues[0],
        "docs/output-formats.md's gitlab example is not the real output"
    );
}
