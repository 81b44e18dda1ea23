//! Generated documents stay up to date: `docs/rules.md` (from the rules' doc comments) and
//! `docs/policy.schema.json` (from the loader's types). Run with `UPDATE_DOCS=1` to rewrite them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::fmt::Write;

fn check_or_update(relative: &str, expected: &str) {
    let path = common::root().join(relative);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is out of date: run `UPDATE_DOCS=1 cargo test -p cowork-policy --test docs`"
    );
}

/// `docs/rules.md`: an index, then every rule's documentation, by area.
fn rules_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from the rules' doc comments by `UPDATE_DOCS=1 cargo test -p cowork-policy --test docs`. Do not edit. -->\n\n# Rules\n\n\
         Every rule `cowork-policy check` runs, with its stable code, name and default severity. \
         `cowork-policy explain CODE` prints the same text.\n\n| code | name | severity | flags |\n|---|---|---|---|\n",
    );
    for rule in cowork_policy::rules() {
        let _ = writeln!(
            out,
            "| [{code}](#{anchor}) | `{name}` | {severity} | {summary} |",
            code = rule.code(),
            anchor = format!("{}-{}", rule.code(), rule.name()).to_lowercase(),
            name = rule.name(),
            severity = rule.severity().as_str(),
            summary = rule.summary().replace('|', "\\|"),
        );
    }
    for rule in cowork_policy::rules() {
        let _ = write!(
            out,
            "\n## {code}: {name}\n\nArea: {area}. Default severity: {severity}.\n\n{doc}\n",
            code = rule.code(),
            name = rule.name(),
            area = rule.area().as_str(),
            severity = rule.severity().as_str(),
            doc = rule.explain().replace("\n## ", "\n### "),
        );
    }
    out
}

#[test]
fn rules_doc_is_up_to_date() {
    check_or_update("docs/rules.md", &rules_markdown());
}

#[test]
fn schema_is_up_to_date() {
    check_or_update("docs/policy.schema.json", &cowork_policy::schema());
}

#[test]
fn examples_and_fixtures_validate_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&cowork_policy::schema()).unwrap();
    // Formats (dates) checked too, as an editor that checks them would.
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let mut files = Vec::new();
    for dir in common::example_dirs() {
        files.extend(common::yaml_files(&dir));
    }
    for dir in common::fixture_dirs() {
        files.extend(common::yaml_files(&dir));
    }
    assert!(
        files.len() > 20,
        "expected examples and fixtures, found {}",
        files.len()
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if !text
            .lines()
            .any(|l| l.starts_with("apiVersion: cowork-policy/"))
        {
            continue;
        }
        let documents: Vec<serde_json::Value> = serde_saphyr::from_str_multiple(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for document in documents {
            let errors: Vec<String> = validator
                .iter_errors(&document)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{}: {}",
                file.display(),
                errors.join("; ")
            );
        }
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema: serde_json::Value = serde_json::from_str(&cowork_policy::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let bad = [
        serde_json::json!({"apiVersion": "cowork-policy/v2"}),
        serde_json::json!({"apiVersion": "cowork-policy/v1", "groups": [{"name": "a", "membrs": []}]}),
        serde_json::json!({"apiVersion": "cowork-policy/v1", "orgs": [{"name": "a", "plan": "enterprize"}]}),
        serde_json::json!({"apiVersion": "cowork-policy/v1", "spendLimits": [{"name": "a", "amount": -1}]}),
    ];
    for document in bad {
        assert!(!validator.is_valid(&document), "schema accepts {document}");
    }
    let good = serde_json::json!({"apiVersion": "cowork-policy/v1", "spendLimits": [{"name": "a", "amount": "unlimited"}, {"name": "b", "amount": 19.99}]});
    assert!(validator.is_valid(&good));
}

/// The schema of a `desktop:` section is typed from the key reference, and an editor flags what
/// the loader refuses: each value below is accepted by the schema exactly when the loader
/// accepts it.
#[test]
fn the_schema_checks_desktop_settings_as_the_loader_does() {
    let schema: serde_json::Value = serde_json::from_str(&cowork_policy::schema()).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let loads = |yaml: &str| cowork_policy::load_sources([("p.yaml", yaml)]).is_ok();
    let cases = [
        ("autoUpdaterEnforcementHours: 24", true),
        ("autoUpdaterEnforcementHours: 1", true),
        ("autoUpdaterEnforcementHours: 73", false),
        ("autoUpdaterEnforcementHours: 0", false),
        ("autoUpdaterEnforcementHours: \"24\"", false),
        ("inferenceTokenWindowHours: 720", true),
        ("inferenceTokenWindowHours: 721", false),
        ("disableAutoUpdates: true", true),
        ("disableAutoUpdates: \"true\"", false),
        ("otlpProtocol: grpc", false),
        ("coworkEgressAllowedHosts: [a.com]", false),
        ("otlpDesktopLogLevel: warn", true),
        ("otlpDesktopLogLevel: verbose", false),
        ("otlpContentCapture: [userPrompts, toolContent]", true),
        ("otlpContentCapture: [everything]", false),
        ("otlpContentCapture: userPrompts", false),
        ("builtinToolPolicy: {Bash: ask}", true),
        ("builtinToolPolicy: {Bash: deny}", false),
        ("organizationPluginsUrl: https://plugins.acme.com", true),
        ("organizationPluginsUrl: http://plugins.acme.com", false),
        (
            "banner: {text: hi, backgroundColor: \"#1F2937\", linkUrl: https://acme.com}",
            true,
        ),
        ("banner: {text: hi, backgroundColor: red}", false),
        ("banner: {text: hi, linkUrl: http://acme.com}", false),
        ("isDxtEnabled: false", false),
        ("autoUpdaterEnforcementHour: 24", false),
        ("org: acme", true),
    ];
    for (line, valid) in cases {
        let yaml =
            format!("apiVersion: cowork-policy/v1\norgs:\n  - name: acme\ndesktop:\n  {line}\n");
        let value: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(validator.is_valid(&value), valid, "schema on {yaml}");
        assert_eq!(loads(&yaml), valid, "loader on {yaml}");
    }
}

/// An editor that validates formats flags the dates and emails the loader refuses, and only
/// those: each value below is accepted by the generated schema exactly when the loader accepts
/// it, in every field that holds a date or an email.
#[test]
fn the_schema_checks_dates_and_emails_as_the_loader_does() {
    let schema: serde_json::Value = serde_json::from_str(&cowork_policy::schema()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let loads = |yaml: &str| cowork_policy::load_sources([("p.yaml", yaml)]).is_ok();
    let dates = [
        ("2026-11-24", true),
        ("2028-02-29", true),
        ("2026-13-45", false),
        ("2026-02-30", false),
        ("2027-02-29", false),
        ("2026-1-5", false),
        ("24/11/2026", false),
        ("2026-11-24T10:00:00Z", false),
    ];
    for (date, valid) in dates {
        let documents = [
            format!(
                "apiVersion: cowork-policy/v1\nsteps:\n  - name: planning\n    date: \"{date}\"\n"
            ),
            format!("apiVersion: cowork-policy/v1\nlaunch:\n  date: \"{date}\"\n"),
            format!(
                "apiVersion: cowork-policy/v1\nlaunch:\n  communications:\n    - kind: other\n      date: \"{date}\"\n"
            ),
            format!("apiVersion: cowork-policy/v1\nplatform:\n  checkedOn: \"{date}\"\n"),
        ];
        for yaml in documents {
            let value: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(validator.is_valid(&value), valid, "schema on {yaml}");
            assert_eq!(loads(&yaml), valid, "loader on {yaml}");
        }
    }
    let emails = [
        ("ana@acme.com", true),
        ("ana.lopez+cowork@eu.acme.co.uk", true),
        (" ana@acme.com ", true),
        ("a..b@acme..com", true),
        ("not-an-email", false),
        ("ana@localhost", false),
        ("@acme.com", false),
        ("ana@.acme.com", false),
        ("ana@acme.com.", false),
        ("ana@b@acme.com", false),
        ("ana lopez@acme.com", false),
        ("", false),
    ];
    for (email, valid) in emails {
        let documents = [
            format!(
                "apiVersion: cowork-policy/v1\ngroups:\n  - name: g\n    members: [\"{email}\"]\n"
            ),
            format!(
                "apiVersion: cowork-policy/v1\nconnectors:\n  - name: slack\n    owner: \"{email}\"\n"
            ),
            format!(
                "apiVersion: cowork-policy/v1\nteam:\n  primaryOwners: [\"{email}\"]\n  dnsAdmins: [\"{email}\"]\n  idpAdmins: [\"{email}\"]\n  mdmAdmins: [\"{email}\"]\n"
            ),
            format!(
                "apiVersion: cowork-policy/v1\nteam:\n  champions:\n    - department: sales\n      people: [\"{email}\"]\n"
            ),
        ];
        for yaml in documents {
            let value: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(validator.is_valid(&value), valid, "schema on {yaml}");
            assert_eq!(loads(&yaml), valid, "loader on {yaml}");
        }
    }
    // The config's waiver dates: the same format and pattern.
    let config: serde_json::Value =
        serde_json::from_str(&cowork_policy::config::Config::schema()).unwrap();
    let config = jsonschema::options()
        .should_validate_formats(true)
        .build(&config)
        .unwrap();
    let waiver = |until: &str| serde_json::json!({"waiver": [{"rule": "IDP001", "entity": "group/a", "reason": "r", "until": until}]});
    assert!(config.is_valid(&waiver("2027-01-31")));
    assert!(!config.is_valid(&waiver("2026-13-45")));
    assert!(!config.is_valid(&waiver("2027-02-29")));
}

/// Both schemas name where they are published, derived from the repository address in the
/// workspace's `Cargo.toml`, the one place it is written.
#[test]
fn schemas_carry_their_published_id() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    for (text, file) in [
        (cowork_policy::schema(), "policy.schema.json"),
        (
            cowork_policy::config::Config::schema(),
            "config.schema.json",
        ),
    ] {
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$id"],
            format!("{repository}/raw/main/docs/{file}"),
            "{file}"
        );
    }
}

/// `docs/schemastore-catalog.json`: the entries to submit to SchemaStore's catalog, in the
/// catalog's own shape, each `url` the `$id` of the schema it names, so the address is the
/// workspace's one repository address.
fn schemastore_catalog() -> String {
    let id = |text: String| -> serde_json::Value {
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        schema["$id"].clone()
    };
    let catalog = serde_json::json!({
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1,
        "schemas": [
            {
                "name": "cowork-policy",
                "description": "cowork-policy document: a Claude Cowork rollout kept as code (orgs, identity providers, groups, roles, spend limits, rollout steps)",
                "fileMatch": [
                    "*.cowork-policy.yaml",
                    "*.cowork-policy.yml",
                    "**/cowork-policy/**/*.yaml",
                    "**/cowork-policy/**/*.yml"
                ],
                "url": id(cowork_policy::schema())
            },
            {
                "name": "cowork-policy.toml",
                "description": "cowork-policy configuration: rule selection, severities, options and waivers",
                "fileMatch": ["cowork-policy.toml"],
                "url": id(cowork_policy::config::Config::schema())
            }
        ]
    });
    let mut text = serde_json::to_string_pretty(&catalog).unwrap();
    text.push('\n');
    text
}

#[test]
fn schemastore_catalog_is_up_to_date() {
    check_or_update("docs/schemastore-catalog.json", &schemastore_catalog());
}

/// Every multi-document YAML example (`docs/*.md` blocks, `policies/`, `fixtures/`) gives each
/// document the yaml-language-server modeline when its first document has one: the server
/// reads it per document.
#[test]
fn multi_document_examples_have_a_modeline_per_document() {
    let modeline = "# yaml-language-server: $schema=";
    let mut texts: Vec<(String, String)> = Vec::new();
    for dir in common::example_dirs()
        .into_iter()
        .chain(common::fixture_dirs())
    {
        for file in common::yaml_files(&dir) {
            texts.push((
                file.display().to_string(),
                std::fs::read_to_string(&file).unwrap(),
            ));
        }
    }
    for doc in ["docs/format.md", "docs/editors.md", "README.md"] {
        let text = std::fs::read_to_string(common::root().join(doc)).unwrap();
        for (n, block) in text.split("```yaml\n").skip(1).enumerate() {
            let block = &block[..block.find("```").unwrap()];
            texts.push((format!("{doc} yaml block {}", n + 1), block.to_string()));
        }
    }
    let mut multi = 0;
    for (name, text) in texts {
        let documents: Vec<&str> = text.split("\n---\n").collect();
        if documents.len() < 2 || !documents[0].contains(modeline) {
            continue;
        }
        multi += 1;
        for (i, document) in documents.iter().enumerate() {
            assert!(
                document
                    .lines()
                    .next()
                    .is_some_and(|l| l.starts_with(modeline)),
                "{name}: document {} has no modeline of its own",
                i + 1
            );
        }
    }
    assert!(
        multi > 20,
        "docs/format.md and the fixtures have multi-document files"
    );
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
fn json_format_doc_shows_real_output() {
    let doc = std::fs::read_to_string(common::root().join("docs/json-format.md")).unwrap();
    let dir = std::env::temp_dir().join(format!("cowork-policy-json-doc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["org.yaml", "groups.yaml", "ci.yml"] {
        let text = block_after(&doc, &format!("`acme-policy/{file}`:"), "yaml");
        std::fs::write(dir.join(file), text).unwrap();
    }
    let policy = cowork_policy::load_dir(&dir).unwrap();
    let report = common::check(&policy);
    let shown = block_after(
        &doc,
        "`cowork-policy check acme-policy --format json` prints",
        "json",
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        cowork_policy::render::json(&report),
        shown,
        "docs/json-format.md's real example no longer matches the output"
    );
}

#[test]
fn readme_shows_the_day_one_findings_as_they_are() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let block = readme
        .split_once("<!-- day-one:begin")
        .and_then(|(_, rest)| rest.split_once("<!-- day-one:end -->"))
        .map(|(block, _)| block)
        .expect("README.md has a day-one block");
    let shown = block
        .split_once("--today 2026-11-24\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(lines, _)| lines)
        .expect("the block shows the command and its output");
    let policy = cowork_policy::load_dir(common::root().join("policies/day-one")).unwrap();
    let report = common::check(&policy);
    let actual = cowork_policy::render::concise(
        &report,
        &cowork_policy::render::CiOptions::new().path_prefix("policies/day-one"),
    );
    assert_eq!(
        shown, actual,
        "README.md's day-one block is out of date: paste the output of `cargo run -q -p cowork-policy-cli -- check policies/day-one --format concise --today 2026-11-24`"
    );
}
