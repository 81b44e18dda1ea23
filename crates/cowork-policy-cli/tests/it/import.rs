//! `cowork-policy import FORMAT FILE...`: an export printed as policy YAML that loads, checks
//! like the export itself, and says where the export was unreadable.

use super::{run, stdout};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn an_export_prints_as_policy_yaml_that_loads_and_checks() {
    let folder = "fixtures/import/msgraph-nested-transitive";
    let mut files: Vec<String> = std::fs::read_dir(super::root().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|f| f.ends_with(".json"))
        .map(|f| format!("{folder}/{f}"))
        .collect();
    files.sort();
    let mut args = vec![
        "import",
        "msgraph",
        "--idp",
        "entra",
        "--assigned",
        "Claude Users",
    ];
    args.extend(files.iter().map(String::as_str));
    let output = run(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let yaml = stdout(&output);
    assert!(
        yaml.starts_with("# yaml-language-server: $schema="),
        "{yaml}"
    );
    assert!(
        yaml.contains("# Imported by `cowork-policy import msgraph` on "),
        "{yaml}"
    );
    for file in &files {
        assert!(yaml.contains(&format!("#   {file}\n")), "{yaml}");
    }
    assert!(
        yaml.contains("  - name: \"Claude Users\"\n    idp: entra\n    scim: true\n"),
        "{yaml}"
    );

    // The YAML, with an org and its identity provider, checks: the nested group is IDP001.
    let dir = std::env::temp_dir().join(format!("cowork-policy-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("org.yaml"),
        "apiVersion: cowork-policy/v1\nidentityProviders:\n  - name: entra\n    kind: entra-id\norgs:\n  - name: contoso\n    plan: enterprise\n    identityProvider: entra\n",
    )
    .unwrap();
    std::fs::write(dir.join("groups.yaml"), &yaml).unwrap();
    let check = run(&["check", dir.to_str().unwrap(), "--format", "concise"]);
    let text = stdout(&check);
    assert!(
        text.contains("error[IDP001]: group `Claude Users` nests group `Engineering`"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_format_a_missing_file_and_a_malformed_export_are_errors() {
    let output = run(&["import", "graph", "x.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown export format `graph`"),
        "{}",
        stderr(&output)
    );

    let output = run(&["import", "gam", "no/such/file.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: no/such/file.csv: "),
        "{}",
        stderr(&output)
    );

    let folder = "fixtures/import/msgraph-trailing-comma";
    let file = std::fs::read_dir(super::root().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .find(|f| f.ends_with(".json"))
        .unwrap();
    let path = format!("{folder}/{file}");
    let output = run(&["import", "msgraph", &path]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(errors.starts_with(&format!("{path}:")), "{errors}");
    assert!(errors.contains(": error: "), "{errors}");
    assert!(stdout(&output).is_empty());
}

/// `synth --export FORMAT` writes the synthetic org with its groups as an export that the
/// whole command checks from disk: the same IDP001 findings as the YAML org (none in Okta,
/// whose groups cannot nest), and nothing the export leaves unknown.
#[test]
fn synth_writes_an_export_that_checks_from_disk() {
    let base = std::env::temp_dir().join(format!("cowork-policy-synth-{}", std::process::id()));
    let idp001 = |dir: &std::path::Path| {
        let check = run(&["check", dir.to_str().unwrap(), "--format", "concise"]);
        let text = stdout(&check);
        assert!(
            !text.contains("IDP012") && !text.contains("IDP013"),
            "{text}"
        );
        text.lines().filter(|l| l.contains("[IDP001]")).count()
    };
    let yaml = base.join("yaml");
    let output = run(&["synth", "--users", "300", "--out", yaml.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let written = idp001(&yaml);
    assert!(written > 0);
    for format in ["scim", "msgraph", "okta", "google", "gam"] {
        let dir = base.join(format);
        let out = dir.to_str().unwrap();
        let output = run(&["synth", "--users", "300", "--export", format, "--out", out]);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        assert!(dir.join("groups/directory.yaml").is_file(), "{format}");
        let expected = if format == "okta" { 0 } else { written };
        assert_eq!(idp001(&dir), expected, "{format}");
    }
    let unknown = base.join("ldif");
    let out = unknown.to_str().unwrap();
    let output = run(&["synth", "--users", "3", "--export", "ldif", "--out", out]);
    assert_eq!(output.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&base);
}
