//! The diagrams (`rollout_diagram`, `groups_diagram`) and their two renderers: snapshots of the
//! DOT and Mermaid text, every DOT output drawn by the real Graphviz (`dot -Tsvg`), the red edges
//! matched against rule ORDER001's findings, and the Mermaid examples in `docs/graph.md` kept up
//! to date (`UPDATE_DOCS=1 cargo test -p cowork-policy --test graph` rewrites them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use cowork_policy::render::{to_dot, to_mermaid};
use cowork_policy::{Diagram, DiagramError, groups_diagram, rollout_diagram};

fn load(relative: &str) -> cowork_policy::Policy {
    cowork_policy::load_dir(common::root().join(relative)).unwrap()
}

/// Every diagram the snapshots cover, by snapshot name.
fn diagrams() -> Vec<(&'static str, Diagram)> {
    let okta = load("policies/okta-single-org");
    let order = load("fixtures/ORDER001-step-before-prerequisite/fail.yaml");
    let nested = load("fixtures/IDP001-nested-idp-group/fail.yaml");
    vec![
        ("okta_single_org_rollout", rollout_diagram(&okta)),
        (
            "okta_single_org_groups",
            groups_diagram(&okta, None, None).unwrap(),
        ),
        ("order001_rollout", rollout_diagram(&order)),
        (
            "idp001_groups",
            groups_diagram(&nested, Some("acme"), None).unwrap(),
        ),
        (
            "idp001_around_contractors",
            groups_diagram(&nested, None, Some("contractors")).unwrap(),
        ),
    ]
}

#[test]
fn dot_snapshots() {
    for (name, diagram) in diagrams() {
        insta::assert_snapshot!(format!("{name}_dot"), to_dot(&diagram));
    }
}

#[test]
fn mermaid_snapshots() {
    for (name, diagram) in diagrams() {
        insta::assert_snapshot!(format!("{name}_mermaid"), to_mermaid(&diagram));
    }
}

/// Graphviz itself must accept every DOT output. `.ci/run` installs it; a machine without `dot`
/// fails here rather than skipping, so a missing install cannot pass unnoticed.
#[test]
fn graphviz_draws_every_dot_output() {
    for (name, diagram) in diagrams() {
        let mut child = match Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(error) => panic!(
                "cannot run Graphviz's `dot` ({error}): run `.ci/run`, which installs it, or \
                 install graphviz (`apt-get install graphviz`)"
            ),
        };
        child
            .stdin
            .take()
            .unwrap()
            .write_all(to_dot(&diagram).as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "dot failed on {name}: {stderr}");
        assert!(stderr.trim().is_empty(), "dot warned on {name}: {stderr}");
        let svg = String::from_utf8_lossy(&output.stdout);
        assert!(svg.contains("<svg"), "dot gave no SVG for {name}");
    }
}

/// A red edge is exactly a prerequisite that ORDER001 reports: every step with an ORDER001
/// finding has a red edge into it, and every red edge leads into such a step.
#[test]
fn red_edges_match_order001() {
    let mut policies = vec![
        "fixtures/ORDER001-step-before-prerequisite/fail.yaml".to_string(),
        "fixtures/ORDER001-step-before-prerequisite/pass.yaml".to_string(),
        "fixtures/ORDER001-step-before-prerequisite/regional-order.yaml".to_string(),
        "fixtures/ORDER001-step-before-prerequisite/regional-inherited-after.yaml".to_string(),
    ];
    for dir in common::example_dirs() {
        policies.push(
            dir.strip_prefix(common::root())
                .unwrap()
                .display()
                .to_string(),
        );
    }
    for relative in policies {
        let policy = load(&relative);
        let mut flagged: Vec<String> = common::check(&policy)
            .findings
            .iter()
            .filter(|f| f.code == "ORDER001")
            .map(|f| {
                // "step `name` ..." or, for an org's own entry, "step `name` of org `org` ...".
                let parts: Vec<&str> = f.message.split('`').collect();
                if parts[2] == " of org " {
                    format!("step/{}/{}", parts[3], parts[1])
                } else {
                    format!("step/{}", parts[1])
                }
            })
            .collect();
        flagged.sort();
        flagged.dedup();
        let mut red: Vec<String> = rollout_diagram(&policy)
            .edges
            .iter()
            .filter(|e| e.violated)
            .map(|e| e.to.clone())
            .collect();
        red.sort();
        red.dedup();
        assert_eq!(red, flagged, "{relative}");
    }
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let policy = load("fixtures/IDP001-nested-idp-group/fail.yaml");
    let error = groups_diagram(&policy, Some("acm"), None).unwrap_err();
    assert_eq!(error.to_string(), "no org is called `acm`");
    assert_eq!(error.help(), "did you mean `acme`?");
    let error = groups_diagram(&policy, Some("acme"), Some("contractor")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no group is called `contractor` in org `acme`"
    );
    assert_eq!(error.help(), "did you mean `contractors`?");
    let error = groups_diagram(&policy, None, Some("sales")).unwrap_err();
    assert!(matches!(error, DiagramError::UnknownGroup { .. }));
    assert_eq!(
        error.help(),
        "the groups are `all-staff`, `contractors`, `engineering`, `platform-team`"
    );
}

/// Names with quotes, backslashes and Mermaid's `#` survive both renderers.
#[test]
fn awkward_names_are_escaped() {
    let policy = cowork_policy::load_sources([(
        "policy.yaml",
        r#"apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
groups:
  - name: 'say "hi" \ #1 <b>'
    members: [ana@acme.com]
"#,
    )])
    .unwrap();
    let diagram = groups_diagram(&policy, None, None).unwrap();
    let dot = to_dot(&diagram);
    assert!(
        dot.contains(
            r#""group/say \"hi\" \\ #1 <b>" [label="say \"hi\" \\ #1 <b>\n1 direct member""#
        ),
        "{dot}"
    );
    let mermaid = to_mermaid(&diagram);
    assert!(
        mermaid
            .contains(r#"n0["say #quot;hi#quot; \ #35;1 #lt;b#gt;<br/>1 direct member"]:::group"#),
        "{mermaid}"
    );
}

/// `docs/graph.md` shows the Mermaid of two examples, each between a `<!-- generated: NAME -->`
/// line and the end of the ```` ```mermaid ```` block after it.
#[test]
fn docs_examples_are_up_to_date() {
    let path = common::root().join("docs/graph.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let examples: Vec<(&str, String)> = diagrams()
        .into_iter()
        .filter(|(name, _)| matches!(*name, "order001_rollout" | "idp001_groups"))
        .map(|(name, diagram)| (name, to_mermaid(&diagram)))
        .collect();
    let mut updated = String::new();
    let mut rest = text.as_str();
    for (name, mermaid) in &examples {
        let marker = format!("<!-- generated: {name} -->\n");
        let start = rest
            .find(&marker)
            .unwrap_or_else(|| panic!("docs/graph.md has no `{}` line", marker.trim()))
            + marker.len();
        let open = "```mermaid\n";
        let body = &rest[start..];
        assert!(
            body.starts_with(open),
            "docs/graph.md: a ```mermaid block must follow `{}`",
            marker.trim()
        );
        let close = body[open.len()..]
            .find("```\n")
            .unwrap_or_else(|| panic!("docs/graph.md: unclosed block after `{}`", marker.trim()));
        let end = start + open.len() + close + 4;
        updated.push_str(&rest[..start]);
        updated.push_str(&format!("```mermaid\n{mermaid}```\n"));
        rest = &rest[end..];
    }
    updated.push_str(rest);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &updated).unwrap();
        return;
    }
    assert!(
        text == updated,
        "docs/graph.md is out of date: run `UPDATE_DOCS=1 cargo test -p cowork-policy --test graph`"
    );
}
