//! The IdP export readers (`cowork_policy::import`), on fixtures written in the documented
//! shapes, on hostile input, and the SCIM PATCH normalisation.
//!
//! Each folder `fixtures/import/<format>-<quirk>/` holds an export (read with `read_dir`), a
//! `README.md` naming the reference page its shapes follow and what it shows, optionally an
//! `options.txt` (`email-attribute: mail`), and `expected.txt`: the groups, members, problems
//! (or errors) with their exact `file:line:column`, as [`summary`] prints them. With
//! `UPDATE_EXPECT=1` the test writes `expected.txt` instead of comparing: read the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cowork_policy::import::{self, Export, Format, ImportError, Options, PatchOp, normalize_patch};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/import")
}

/// One line per group, member, problem or error, with its location.
fn summary(result: &Result<Export, Vec<ImportError>>) -> String {
    let mut out = String::new();
    match result {
        Err(errors) => {
            for error in errors {
                writeln!(out, "error {error}").unwrap();
            }
        }
        Ok(export) => {
            for group in &export.groups {
                write!(
                    out,
                    "group {} `{}` at {}",
                    group.id, group.name, group.location
                )
                .unwrap();
                if let Some(kind) = &group.kind {
                    write!(out, " kind {kind}").unwrap();
                }
                if group.flattened {
                    write!(out, " flattened").unwrap();
                }
                out.push('\n');
                for user in &group.users {
                    writeln!(out, "  user {} at {}", user.name(), user.location).unwrap();
                }
                for user in &group.inactive {
                    let status = user.status.as_deref().unwrap_or("-");
                    writeln!(
                        out,
                        "  inactive {} ({status}) at {}",
                        user.name(),
                        user.location
                    )
                    .unwrap();
                }
                for nested in &group.groups {
                    writeln!(out, "  nested {} at {}", nested.id, nested.location).unwrap();
                }
                for user in &group.only_through_nesting {
                    writeln!(
                        out,
                        "  only-through-nesting {} at {}",
                        user.name(),
                        user.location
                    )
                    .unwrap();
                }
                if group.only_through_nesting.is_empty() {
                    for user in export.reachable_only_through_nesting(group) {
                        writeln!(
                            out,
                            "  computed-through-nesting {} at {}",
                            user.name(),
                            user.location
                        )
                        .unwrap();
                    }
                }
                for rule in &group.rules {
                    writeln!(
                        out,
                        "  rule {} `{}` active={} tests [{}] at {}",
                        rule.id,
                        rule.name,
                        rule.active,
                        rule.source_groups.join(", "),
                        rule.location
                    )
                    .unwrap();
                }
            }
            for problem in &export.problems {
                writeln!(out, "problem {}: {problem}", problem.location).unwrap();
            }
        }
    }
    out
}

fn options(folder: &Path) -> Options {
    let mut options = Options::default();
    if let Ok(text) = std::fs::read_to_string(folder.join("options.txt")) {
        for line in text.lines() {
            if let Some(value) = line.strip_prefix("email-attribute: ") {
                options.email_attribute = Some(value.trim().to_string());
            }
        }
    }
    options
}

#[test]
fn fixtures_read_as_expected() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut folders: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 15, "the import fixtures are missing");
    let mut failures = Vec::new();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        let format: Format = name.split('-').next().unwrap().parse().unwrap();
        let readme = std::fs::read_to_string(folder.join("README.md"))
            .unwrap_or_else(|_| panic!("{name}: a fixture needs a README.md citing its source"));
        assert!(
            readme.contains("https://"),
            "{name}: the README.md must cite the reference page the shapes follow"
        );
        let got = summary(&import::read_dir(format, &folder, &options(&folder)));
        let path = folder.join("expected.txt");
        if update {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {name}: expected\n{want}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every reader on input built to hurt: each must answer (an export or errors), never panic,
/// and stay fast.
#[test]
fn hostile_input_never_panics() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = "{\"value\":".repeat(50_000);
    let huge = format!(
        "{{\"totalResults\": 1{}, \"Resources\": [], \"value\": [{{\"id\": 1e99999}}]}}",
        "0".repeat(10_000)
    );
    let texts = [
        deep.as_str(),
        deep_object.as_str(),
        huge.as_str(),
        "",
        "\u{feff}",
        "{\"value\": [{\"id\": \"a\", \"@odata.type\": \"#microsoft.graph.group\"",
        "[{\"id\":\"x\",\"profile\":{\"login\":",
        "{\"members\": [{\"type\": \"GROUP\"}]}",
        "{\"Resources\": [{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:Group\"], \"id\": \"g\", \"members\": [{\"value\": \"g\", \"type\": \"Group\"}]}], \"totalResults\": 18446744073709551616}",
        "\"\\ud83d\\ude00\u{0}\"",
        "group,email\n\"unclosed",
        "group,email\nx@a.co,\n,,,\n",
        "\u{fffd}\u{fffd}{",
    ];
    let names = [
        "groups.json",
        "members-g.json",
        "transitive-members-g.json",
        "rules.json",
        "members-g.2.json",
        "export.csv",
        "other.json",
    ];
    for format in Format::ALL {
        for text in texts {
            for name in names {
                let files = [(name, text)];
                let _ = import::read(format, &files, &Options::default());
            }
        }
    }
    for text in texts {
        let _ = normalize_patch("patch.json", text);
    }
    // A self-containing group and a 10,000-long chain of nesting that closes on itself: one
    // cycle each, reported without looping.
    let mut chain = String::from("{\"Resources\": [");
    for i in 0..10_000 {
        let next = (i + 1) % 10_000;
        if i > 0 {
            chain.push(',');
        }
        write!(
            chain,
            "{{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"g{i}\",\"members\":[{{\"value\":\"g{next}\",\"type\":\"Group\"}}]}}"
        )
        .unwrap();
    }
    chain.push_str(",{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\"self\",\"members\":[{\"value\":\"self\",\"type\":\"Group\"}]}]}");
    let export = import::read(
        Format::Scim,
        &[("groups.json", &chain)],
        &Options::default(),
    )
    .unwrap();
    let cycles: Vec<String> = export.problems.iter().map(ToString::to_string).collect();
    assert_eq!(cycles.len(), 2, "{cycles:?}");
    assert!(cycles[0].starts_with("groups contain each other: `g0` → `g1` → "));
    assert_eq!(cycles[1], "groups contain each other: `self` → `self`");
}

/// Invalid UTF-8 is the caller's to handle: `read_dir` refuses the file with its name.
#[test]
fn invalid_utf8_is_a_located_error() {
    let dir = std::env::temp_dir().join(format!("cowork-import-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("groups.json"), b"{\"value\": [\xff]}").unwrap();
    let errors = import::read_dir(Format::Msgraph, &dir, &Options::default()).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "groups.json:1:1: cannot read this export file: not UTF-8 text"
    );
}

/// Microsoft's legacy (no `aadOptscim062020`) and compliant PATCH bodies, pair by pair, from
/// https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility
/// (the pairs there use different sample values on each side; here each pair is one change).
#[test]
fn legacy_and_compliant_patches_mean_the_same_change() {
    let pairs = [
        // Disable a user: `Replace` and the string `"False"`.
        (
            r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}"#,
            r#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "active", "value": false}]}"#,
        ),
        // Add a single-valued string attribute: `Add`.
        (
            r#"{"Operations": [{"op": "Add", "path": "nickName", "value": "Babs"}]}"#,
            r#"{"Operations": [{"op": "add", "path": "nickName", "value": "Babs"}]}"#,
        ),
        // Replace several attributes: one operation each, or one without a path.
        (
            r#"{"Operations": [
                {"op": "Replace", "path": "displayName", "value": "Pvlo"},
                {"op": "Replace", "path": "name.givenName", "value": "Gtfd"},
                {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "value": "Eqpj"}]}"#,
            r#"{"Operations": [{"op": "replace", "value": {
                "displayName": "Pvlo",
                "name.givenName": "Gtfd",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Eqpj"}}]}"#,
        ),
        // Remove group members: a `value` array, or one filter path each.
        (
            r#"{"Operations": [{"op": "Remove", "path": "members",
                "value": [{"value": "7f4bc1a3"}, {"value": "u1091"}]}]}"#,
            r#"{"Operations": [
                {"op": "remove", "path": "members[value eq \"7f4bc1a3\"]"},
                {"op": "remove", "path": "members[value eq \"u1091\"]"}]}"#,
        ),
    ];
    for (legacy, compliant) in pairs {
        let legacy = normalize_patch("legacy.json", legacy).unwrap();
        let compliant = normalize_patch("compliant.json", compliant).unwrap();
        assert_eq!(legacy, compliant);
    }
    // And a near miss: `"False"` stays a string where the attribute is not a boolean.
    let nick = normalize_patch(
        "p.json",
        r#"{"Operations": [{"op": "Replace", "path": "nickName", "value": "False"}]}"#,
    )
    .unwrap();
    assert_eq!(nick[0].op, PatchOp::Replace);
    assert_eq!(nick[0].value, Some(serde_json::json!("False")));
    let disable = normalize_patch(
        "p.json",
        r#"{"Operations": [{"op": "replace", "value": {"active": "False", "emails": [{"value": "a@b.co", "primary": "True"}]}}]}"#,
    )
    .unwrap();
    assert_eq!(disable[0].value, Some(serde_json::json!(false)));
    assert_eq!(
        disable[1].value,
        Some(serde_json::json!([{"value": "a@b.co", "primary": true}]))
    );
    let error = normalize_patch("p.json", "{\"Operations\": [{\"op\": \"Move\"}]}").unwrap_err();
    assert_eq!(
        error.to_string(),
        "p.json:1:24: expected `op` to be `add`, `remove` or `replace`"
    );
}
