//! The diagrams (`rollout_diagram`, `groups_diagram`) and their two renderers: snapshots of the
//! DOT and Mermaid text, every DOT output read back by a strict parser of the DOT subset that
//! `to_dot` writes (below) and checked against the attributes Graphviz knows, the red edges
//! matched against rule ORDER001's findings, and the Mermaid examples in `docs/graph.md` kept up
//! to date (`UPDATE_DOCS=1 cargo test -p cowork-policy --test graph` rewrites them).
//!
//! The real Graphviz (`dot -Tsvg`) draws every DOT output too, when `COWORK_POLICY_GRAPHVIZ=1`
//! says it is installed: `.ci/run` installs it and sets that, so `cargo test` itself needs
//! nothing but the Rust toolchain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use cowork_policy::diagram::{Diagram, DiagramError, groups_diagram, rollout_diagram};
use cowork_policy::render::{to_dot, to_mermaid};

fn load(relative: &str) -> cowork_policy::Policy {
    cowork_policy::load_dir(common::root().join(relative)).unwrap()
}

/// A groups diagram with names that need escaping: quotes, a backslash, `#`, `<b>`, a `·`.
fn awkward() -> Diagram {
    let policy = cowork_policy::load_sources([(
        "policy.yaml",
        r#"apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
groups:
  - name: 'say "hi" \ #1 <b>'
    members: [ana@acme.com]
    memberGroups: ['a·b\']
  - name: 'a·b\'
    members: [bo@acme.com]
"#,
    )])
    .unwrap();
    groups_diagram(&policy, None, None).unwrap()
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

/// A statement of the DOT subset `to_dot` writes (https://graphviz.org/doc/info/lang.html).
#[derive(Debug)]
enum Stmt {
    /// `name=value;` at the top: a graph attribute.
    Graph(Attr),
    /// `node [...]` or `edge [...]`: defaults.
    Defaults(&'static str, Vec<Attr>),
    /// `"id" [...]`.
    Node(String, Vec<Attr>),
    /// `"from" -> "to" [...]`.
    Edge(String, String, Vec<Attr>),
}

type Attr = (String, String);

/// A strict parser of the DOT `to_dot` writes: `digraph { stmt; ... }` where a statement is a
/// graph attribute, `node`/`edge` defaults, a node or an edge between two nodes, each with an
/// optional `[name=value, ...]` list. An ID is a name (`[A-Za-z_][A-Za-z0-9_]*`), a number, or a
/// quoted string whose only escapes are `\"`, `\\` and `\n`, with no control character inside.
/// Anything else is an error at its byte offset: the subset is small on purpose, so that a
/// change in the writer that Graphviz might read differently fails here.
///
/// A quoted ID comes back as its text: `\"` is DOT's own escape; `\\` and `\n` are Graphviz's
/// escapes in labels (a backslash, a centred line break), and in node names they keep distinct
/// names distinct, which is all a name needs.
struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn parse(text: &'a str) -> Result<Vec<Stmt>, String> {
        let mut parser = Parser { text, at: 0 };
        parser.keyword("digraph")?;
        parser.expect("{")?;
        let mut stmts = Vec::new();
        loop {
            parser.skip_space();
            if parser.rest().starts_with('}') {
                parser.at += 1;
                break;
            }
            stmts.push(parser.stmt()?);
            parser.expect(";")?;
        }
        parser.skip_space();
        if parser.at != text.len() {
            return Err(parser.error("nothing after the closing `}`"));
        }
        Ok(stmts)
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn error(&self, expected: &str) -> String {
        let context: String = self.rest().chars().take(30).collect();
        format!(
            "at byte {}: expected {expected}, found {context:?}",
            self.at
        )
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\n']).len();
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.at += token.len();
            Ok(())
        } else {
            Err(self.error(&format!("`{token}`")))
        }
    }

    fn keyword(&mut self, word: &str) -> Result<(), String> {
        self.skip_space();
        let start = self.at;
        match self.id()? {
            (id, false) if id == word => Ok(()),
            _ => {
                self.at = start;
                Err(self.error(&format!("`{word}`")))
            }
        }
    }

    /// An ID, and whether it was quoted.
    fn id(&mut self) -> Result<(String, bool), String> {
        self.skip_space();
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Err(self.error("an ID"));
        };
        if first == '"' {
            let mut out = String::new();
            let mut chars = rest.char_indices().skip(1);
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.at += i + 1;
                        return Ok((out, true));
                    }
                    '\\' => match chars.next() {
                        Some((_, '"')) => out.push('"'),
                        Some((_, '\\')) => out.push('\\'),
                        Some((_, 'n')) => out.push('\n'),
                        _ => {
                            self.at += i;
                            return Err(self.error("one of the escapes `\\\"`, `\\\\`, `\\n`"));
                        }
                    },
                    c if c.is_control() => {
                        self.at += i;
                        return Err(self.error("no control character in a quoted string"));
                    }
                    c => out.push(c),
                }
            }
            return Err(self.error("a closing `\"`"));
        }
        let name = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let len = if first.is_ascii_alphabetic() || first == '_' {
            rest.len() - rest.trim_start_matches(name).len()
        } else if first.is_ascii_digit() || first == '-' || first == '.' {
            let body = rest.strip_prefix('-').unwrap_or(rest);
            let digits = body.len()
                - body
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .len();
            let number = &body[..digits];
            if number.is_empty() || number.matches('.').count() > 1 || number == "." {
                return Err(self.error("a number"));
            }
            rest.len() - body.len() + digits
        } else {
            0
        };
        if len == 0 {
            return Err(self.error("an ID"));
        }
        self.at += len;
        Ok((rest[..len].to_string(), false))
    }

    /// `[name=value, ...]`, or nothing.
    fn attrs(&mut self) -> Result<Vec<Attr>, String> {
        self.skip_space();
        let mut list = Vec::new();
        if !self.rest().starts_with('[') {
            return Ok(list);
        }
        self.at += 1;
        loop {
            let (name, _) = self.id()?;
            self.expect("=")?;
            let (value, _) = self.id()?;
            list.push((name, value));
            self.skip_space();
            if self.rest().starts_with(',') {
                self.at += 1;
                continue;
            }
            self.expect("]")?;
            return Ok(list);
        }
    }

    fn stmt(&mut self) -> Result<Stmt, String> {
        let (first, quoted) = self.id()?;
        if !quoted && (first == "node" || first == "edge") {
            let defaults = self.attrs()?;
            return Ok(Stmt::Defaults(
                if first == "node" { "node" } else { "edge" },
                defaults,
            ));
        }
        self.skip_space();
        if !quoted && self.rest().starts_with('=') {
            self.at += 1;
            let (value, _) = self.id()?;
            return Ok(Stmt::Graph((first, value)));
        }
        if !quoted {
            return Err(self.error("a quoted node ID"));
        }
        if self.rest().starts_with("->") {
            self.at += 2;
            let (to, quoted) = self.id()?;
            if !quoted {
                return Err(self.error("a quoted node ID"));
            }
            let attrs = self.attrs()?;
            return Ok(Stmt::Edge(first, to, attrs));
        }
        let attrs = self.attrs()?;
        Ok(Stmt::Node(first, attrs))
    }
}

#[test]
fn the_dot_parser_is_strict() {
    let ok = "digraph {\n  rankdir=LR;\n  node [shape=box];\n  \"a\\\"b\\\\\" [label=\"x\\ny\"];\n  \"a\" -> \"b\";\n}\n";
    let stmts = Parser::parse(ok).unwrap();
    assert_eq!(stmts.len(), 4);
    assert!(matches!(&stmts[2], Stmt::Node(id, attrs) if id == "a\"b\\" && attrs[0].1 == "x\ny"));
    for bad in [
        "graph { }",
        "digraph { a -> b; }",
        "digraph { \"a\" -> \"b\" }",
        "digraph { \"a\\l\"; }",
        "digraph { \"a\nb\"; }",
        "digraph { \"a\" [label=]; }",
        "digraph { \"a; }",
        "digraph { } extra",
        "digraph { \"a\" -- \"b\"; }",
    ] {
        assert!(Parser::parse(bad).is_err(), "{bad:?} must not parse");
    }
}

/// The attributes `to_dot` may write, by where they apply, each value checked against what
/// Graphviz accepts (https://graphviz.org/doc/info/attrs.html): an unknown attribute or a bad
/// value is what makes `dot` warn.
fn check_attribute(context: &str, (name, value): &Attr) {
    let colour = |v: &str| {
        v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit())
    };
    let number = |v: &str| v.parse::<f64>().is_ok_and(|n| n > 0.0);
    let ok = match (context, name.as_str()) {
        ("graph", "rankdir") => matches!(value.as_str(), "TB" | "LR" | "BT" | "RL"),
        ("graph", "pack") => value == "true" || value.parse::<u32>().is_ok(),
        ("graph", "packmode") => {
            matches!(value.as_str(), "node" | "clust" | "graph")
                || value.strip_prefix("array").is_some_and(|flags| {
                    flags.is_empty()
                        || flags.strip_prefix('_').is_some_and(|f| {
                            f.chars()
                                .all(|c| "ctblru".contains(c) || c.is_ascii_digit())
                        })
                })
        }
        ("node" | "edge", "fontname") => !value.is_empty(),
        ("node" | "edge", "fontsize") => number(value),
        ("node" | "edge", "label") => true,
        ("node" | "edge", "color") | ("node", "fillcolor") | ("edge", "fontcolor") => colour(value),
        ("node", "shape") => matches!(value.as_str(), "box" | "note" | "ellipse" | "hexagon"),
        ("node", "style") => value
            .split(',')
            .all(|s| matches!(s, "rounded" | "filled" | "dashed" | "bold")),
        ("edge", "style") => value.split(',').all(|s| matches!(s, "dashed" | "bold")),
        ("edge", "penwidth") => number(value),
        _ => false,
    };
    assert!(
        ok,
        "{context} attribute `{name}={value}` is not one Graphviz accepts"
    );
}

/// Every DOT output parses, strictly, back to its diagram: the same nodes with the same labels,
/// the same edges, and only attributes Graphviz accepts. No Graphviz needed.
#[test]
fn every_dot_output_parses_back_to_its_diagram() {
    let mut all = diagrams();
    all.push(("awkward_names", awkward()));
    for (name, diagram) in all {
        let dot = to_dot(&diagram);
        let stmts = Parser::parse(&dot).unwrap_or_else(|e| panic!("{name}: {e}\n{dot}"));
        let label = |attrs: &[Attr]| {
            attrs
                .iter()
                .find(|(n, _)| n == "label")
                .map(|(_, v)| v.clone())
        };
        let mut nodes: Vec<(String, String)> = Vec::new();
        let mut edges: Vec<(String, String, Option<String>)> = Vec::new();
        for stmt in &stmts {
            match stmt {
                Stmt::Graph(attr) => check_attribute("graph", attr),
                Stmt::Defaults(context, attrs) => {
                    attrs.iter().for_each(|a| check_attribute(context, a));
                }
                Stmt::Node(id, attrs) => {
                    attrs.iter().for_each(|a| check_attribute("node", a));
                    let label =
                        label(attrs).unwrap_or_else(|| panic!("{name}: node {id} has no label"));
                    nodes.push((id.clone(), label));
                }
                Stmt::Edge(from, to, attrs) => {
                    attrs.iter().for_each(|a| check_attribute("edge", a));
                    edges.push((from.clone(), to.clone(), label(attrs)));
                }
            }
        }
        let mut expected_nodes: Vec<(String, String)> = diagram
            .nodes
            .iter()
            .map(|n| (n.id.clone(), n.label.clone()))
            .collect();
        expected_nodes.sort();
        nodes.sort();
        assert_eq!(nodes, expected_nodes, "{name}");
        let mut expected_edges: Vec<(String, String, Option<String>)> = diagram
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.to.clone(), e.label.clone()))
            .collect();
        expected_edges.sort();
        edges.sort();
        assert_eq!(edges, expected_edges, "{name}");
        for (from, to, _) in &edges {
            assert!(
                nodes.iter().any(|(id, _)| id == from) && nodes.iter().any(|(id, _)| id == to),
                "{name}: an edge between undeclared nodes: {from} -> {to}"
            );
        }
    }
}

/// Graphviz itself draws every DOT output without a warning. Only where
/// `COWORK_POLICY_GRAPHVIZ=1` says `dot` is installed (`.ci/run` installs it and sets that); there
/// a missing `dot` fails rather than passes.
#[test]
fn graphviz_draws_every_dot_output() {
    if std::env::var_os("COWORK_POLICY_GRAPHVIZ").is_none_or(|v| v != "1") {
        eprintln!(
            "skipped: set COWORK_POLICY_GRAPHVIZ=1 to draw every DOT output with Graphviz's `dot` (.ci/run does)"
        );
        return;
    }
    let mut all = diagrams();
    all.push(("awkward_names", awkward()));
    for (name, diagram) in all {
        let mut child = match Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => child,
            Err(error) => panic!(
                "COWORK_POLICY_GRAPHVIZ=1 but Graphviz's `dot` cannot run ({error}): install \
                 graphviz (`apt-get install graphviz`), as `.ci/run` does"
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
