//! The config file, through the public API: parse errors with their place, discovery upward,
//! rule selection and severities, rule options, include and exclude, precedence of flags, the
//! effective settings, and the generated `docs/config.schema.json`. Run with `UPDATE_DOCS=1` to
//! rewrite the schema.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use std::path::{Path, PathBuf};

use cowork_policy::{
    CheckOptions, Date, LoadError, Report, Severity,
    config::{Config, Overrides, SettingSource},
};

/// IDP001 on line 10 (a nested group) and SEAT002 on line 5 (3 SCIM users on 3 seats).
const POLICY: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 3
groups:
  - name: all-staff
    scim: true
    members: [ana@acme.com, bo@acme.com, cy@acme.com]
    memberGroups: [contractors]
  - name: contractors
    members: [dee@acme.com]
";

fn config(toml: &str) -> Config {
    Config::from_str("cowork-policy.toml", toml).unwrap_or_else(|e| panic!("{e}"))
}

/// The one error a config text gives, as `line:column: message (help)`.
fn error(toml: &str) -> String {
    let errors = Config::from_str("cowork-policy.toml", toml).unwrap_err();
    assert_eq!(errors.errors().len(), 1, "{errors}");
    let error = &errors.errors()[0];
    let location = error.location().expect("a config error has a place");
    assert_eq!(location.file, "cowork-policy.toml");
    let help = error.help().map_or(String::new(), |h| format!(" ({h})"));
    format!(
        "{}:{}: {}{help}",
        location.line,
        location.column,
        error.message()
    )
}

fn check(yaml: &str, config: Config) -> Report {
    let policy = cowork_policy::load_sources([("policy.yaml", yaml)]).unwrap();
    let today = Date::parse(common::TODAY).unwrap();
    cowork_policy::check_with(
        &policy,
        &CheckOptions::default().today(today).config(config),
    )
}

fn codes(report: &Report) -> Vec<(&'static str, Severity)> {
    let mut codes: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.code, f.severity))
        .collect();
    codes.sort();
    codes
}

/// A fresh folder under the system's temp folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cowork-policy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_default_config_runs_every_rule_at_its_severity() {
    let report = check(POLICY, Config::default());
    assert_eq!(
        codes(&report),
        [("IDP001", Severity::Error), ("SEAT002", Severity::Warning)]
    );
    assert_eq!(Config::default().fail_level(), Severity::Error);
    assert_eq!(Config::default().file(), None);
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    assert_eq!(
        error("fail-levl = \"warning\"\n"),
        "1:1: unknown key `fail-levl`: expected `profile`, `fail-level`, `select`, `ignore`, `include`, `exclude`, `severity`, `rules`, `waivers` or `waiver` (did you mean `fail-level`?)"
    );
    assert_eq!(
        error("[waivers]\ninline = true\nexpiring-within-day = 3\n"),
        "3:1: unknown key `expiring-within-day`: expected `inline`, `non-waivable`, `expiring-within-days` or `file` (did you mean `expiring-within-days`?)"
    );
    assert!(
        error("[[waiver]]\nrule = \"IDP001\"\nentity = \"group/a\"\nreson = \"r\"\n")
            .starts_with("4:1: unknown key `reson`"),
    );
    assert!(
        error("[rules.seat-headroom]\nthreshold = 80\n")
            .ends_with("(did you mean `threshold-percent`?)"),
    );
}

#[test]
fn wrong_types_and_values_are_errors_at_the_value() {
    assert_eq!(
        error("fail-level = \"errors\"\n"),
        "1:14: unknown value `errors`: expected `error`, `warning` or `info` (did you mean `error`?)"
    );
    assert!(error("select = \"IDP\"\n").starts_with("1:10: invalid type"));
    assert!(error("[waivers]\ninline = \"no\"\n").starts_with("2:10: invalid type"));
    assert_eq!(
        error("[rules.seat-headroom]\nthreshold-percent = 120\n"),
        "2:21: `threshold-percent` is 120: expected a percentage from 0 to 100"
    );
    assert_eq!(
        error("[rules.stale-platform-facts]\nmax-age-days = -1\n"),
        "2:16: `max-age-days` is -1: expected a whole number of days, 0 or more"
    );
    assert_eq!(
        error("[severity]\nIDP001 = \"loud\"\n"),
        "2:10: unknown value `loud`: expected `error`, `warning`, `info` or `off`"
    );
    assert!(
        error("[[waiver]]\nentity = \"group/a\"\nreason = \"r\"\n").contains("missing key `rule`")
    );
}

#[test]
fn unknown_rules_profiles_and_bad_patterns_are_errors_with_a_suggestion() {
    assert_eq!(
        error("select = [\"IDP\", \"IDP09\"]\n"),
        "1:18: unknown rule `IDP09` (did you mean `IDP009`?)"
    );
    assert_eq!(
        error("ignore = [\"nested-idp-grop\"]\n"),
        "1:11: unknown rule `nested-idp-grop` (did you mean `nested-idp-group`?)"
    );
    assert_eq!(
        error("[severity]\nSAET002 = \"off\"\n"),
        "2:1: unknown rule `SAET002` (did you mean `SEAT002`?)"
    );
    assert_eq!(
        error("[waivers]\nnon-waivable = [\"SEAT\", \"RBC\"]\n"),
        "2:25: unknown rule `RBC` (did you mean `RBAC`?)"
    );
    assert_eq!(
        error("profile = \"admin-docs\"\n"),
        "1:11: unknown platform profile `admin-docs` (did you mean `admin-docs-2026`?)"
    );
    assert_eq!(
        error("exclude = [\"drafts/[ab\"]\n"),
        "1:12: invalid path pattern `drafts/[ab`: unclosed character class; missing ']'"
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let errors = Config::from_str(
        "cowork-policy.toml",
        "select = [\"IDP09\"]\nignore = [\"SEAT9\"]\n",
    )
    .unwrap_err();
    let lines: Vec<u32> = errors
        .errors()
        .iter()
        .map(|e| e.location().unwrap().line)
        .collect();
    assert_eq!(lines, [1, 2]);
}

#[test]
fn a_toml_syntax_error_has_its_place_on_one_line() {
    let errors = Config::from_str("cowork-policy.toml", "select = [\"IDP\"\n").unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!(error.location().unwrap().line, 1);
    assert!(!error.message().contains('\n'), "{}", error.message());
    assert!(!error.message().ends_with('.'), "{}", error.message());
}

#[test]
fn select_and_ignore_take_codes_prefixes_and_names() {
    let only = |toml: &str| {
        codes(&check(POLICY, config(toml)))
            .into_iter()
            .map(|(code, _)| code)
            .collect::<Vec<_>>()
    };
    assert_eq!(only("select = [\"IDP\"]"), ["IDP001"]);
    assert_eq!(only("select = [\"seat-headroom\"]"), ["SEAT002"]);
    assert_eq!(only("ignore = [\"IDP001\"]"), ["SEAT002"]);
    assert_eq!(only("ignore = [\"idp\", \"SEAT\"]"), Vec::<&str>::new());
    // The more specific selector wins; on a tie, ignore wins.
    assert_eq!(
        only("select = [\"IDP001\"]\nignore = [\"IDP\"]"),
        ["IDP001"]
    );
    assert_eq!(
        only("select = [\"IDP\"]\nignore = [\"IDP001\"]"),
        Vec::<&str>::new()
    );
    assert_eq!(
        only("select = [\"IDP001\"]\nignore = [\"nested-idp-group\"]"),
        Vec::<&str>::new()
    );
}

#[test]
fn severity_overrides_and_off() {
    let report = check(
        POLICY,
        config("[severity]\nSEAT002 = \"error\"\nIDP = \"info\"\n"),
    );
    assert_eq!(
        codes(&report),
        [("IDP001", Severity::Info), ("SEAT002", Severity::Error)]
    );
    // The most specific key wins, wherever it is written.
    let report = check(
        POLICY,
        config("[severity]\nnested-idp-group = \"warning\"\nIDP = \"off\"\n"),
    );
    assert_eq!(
        codes(&report),
        [
            ("IDP001", Severity::Warning),
            ("SEAT002", Severity::Warning)
        ]
    );
    let report = check(POLICY, config("[severity]\nSEAT002 = \"off\"\n"));
    assert_eq!(codes(&report), [("IDP001", Severity::Error)]);

    let config = config("ignore = [\"SEAT\"]\n[severity]\nIDP001 = \"warning\"\n");
    let seat002 = cowork_policy::rule("SEAT002").unwrap();
    let idp001 = cowork_policy::rule("IDP001").unwrap();
    let idp002 = cowork_policy::rule("IDP002").unwrap();
    assert_eq!(config.rule_severity(seat002), None);
    assert_eq!(config.rule_severity(idp001), Some(Severity::Warning));
    assert_eq!(config.rule_severity(idp002), Some(Severity::Error));
}

#[test]
fn the_seat_headroom_threshold_is_an_option() {
    // 8 SCIM users on 10 seats: 80%, under the default 90%.
    let yaml = POLICY
        .replace("seats: 3", "seats: 10")
        .replace(
            "[ana@acme.com, bo@acme.com, cy@acme.com]",
            "[a1@acme.com, a2@acme.com, a3@acme.com, a4@acme.com, a5@acme.com, a6@acme.com, a7@acme.com, a8@acme.com]",
        );
    let seat = |toml: &str| {
        check(&yaml, config(toml))
            .findings
            .into_iter()
            .filter(|f| f.code == "SEAT002")
            .collect::<Vec<_>>()
    };
    assert!(seat("").is_empty());
    assert!(seat("[rules.seat-headroom]\nthreshold-percent = 80\n").is_empty());
    let found = seat("[rules.seat-headroom]\nthreshold-percent = 75\n");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].label, "over 75% used");
}

#[test]
fn stale_platform_facts_age_is_configurable() {
    // The built-in profile is dated 2026-11-24; the overrides were checked 30 days before TODAY.
    let yaml = "apiVersion: cowork-policy/v1\nplatform:\n  groupLimit: 150\n  checkedOn: 2026-10-25\norgs:\n  - name: acme\n";
    let stale = |toml: &str| {
        check(yaml, config(toml))
            .findings
            .into_iter()
            .filter(|f| f.code == "PLAT001")
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    assert!(stale("").is_empty());
    assert_eq!(
        stale("[rules.stale-platform-facts]\nmax-age-days = 20\n"),
        [
            "the policy's platform overrides (`groupLimit`) were last checked on 2026-10-25, 30 days before today"
        ]
    );
    let setting = config("[rules.stale-platform-facts]\nmax-age-days = 20\n")
        .settings()
        .into_iter()
        .find(|s| s.key == "rules.stale-platform-facts.max-age-days")
        .unwrap();
    assert_eq!(setting.value, "20");
}

#[test]
fn the_report_names_the_platform_facts_it_assumed() {
    let yaml = "apiVersion: cowork-policy/v1\nplatform:\n  profile: rollout-guide\n  limitResolution: max\n  groupLimit: 150\n  checkedOn: 2026-10-25\norgs:\n  - name: acme\n";
    let policy = cowork_policy::load_sources([("policy.yaml", yaml)]).unwrap();
    let options = CheckOptions::default()
        .today(Date::parse(common::TODAY).unwrap())
        .profile(cowork_policy::Profile::named("admin-docs-2026").unwrap());
    let report = cowork_policy::check_with(&policy, &options);
    assert_eq!(
        report.platform,
        cowork_policy::PlatformInfo {
            profile: "admin-docs-2026".into(),
            date: "2026-11-24".into(),
            overrides: vec!["groupLimit".into(), "limitResolution".into()],
            overrides_checked_on: Some("2026-10-25".into()),
        }
    );
    assert_eq!(
        report.platform.summary(),
        "platform profile admin-docs-2026 (2026-11-24), overriding groupLimit, limitResolution (checked 2026-10-25)"
    );
}

#[test]
fn discovery_walks_up_from_the_checked_path() {
    let root = temp_dir("discover");
    write(
        &root.join("cowork-policy.toml"),
        "fail-level = \"warning\"\n",
    );
    write(&root.join("teams/emea/org.yaml"), POLICY);
    for start in [
        root.join("teams/emea"),
        root.join("teams/emea/org.yaml"),
        root.clone(),
    ] {
        let config = Config::discover(&start).unwrap();
        assert_eq!(config.fail_level(), Severity::Warning);
    }
    let config = Config::discover(root.join("teams/emea")).unwrap();
    assert_eq!(config.file(), Some("../../cowork-policy.toml"));
    let fail_level = config
        .settings()
        .into_iter()
        .find(|s| s.key == "fail-level")
        .unwrap();
    match fail_level.source {
        SettingSource::File(location) => {
            assert_eq!(location.to_string(), "../../cowork-policy.toml:1:14");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Config::discover(&root).unwrap().file(),
        Some("cowork-policy.toml")
    );

    // The search stops at the root of a git checkout.
    std::fs::create_dir_all(root.join("teams/.git")).unwrap();
    let config = Config::discover(root.join("teams/emea")).unwrap();
    assert_eq!(config.file(), None);
    assert_eq!(config.fail_level(), Severity::Error);

    // A malformed config found this way is a load error in that file.
    write(&root.join("teams/cowork-policy.toml"), "fail-level = 2\n");
    let errors = Config::discover(root.join("teams/emea")).unwrap_err();
    assert_eq!(
        errors.errors()[0].location().unwrap().to_string(),
        "../cowork-policy.toml:1:14"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn include_and_exclude_choose_the_files_read() {
    let root = temp_dir("paths");
    write(
        &root.join("org.yaml"),
        "apiVersion: cowork-policy/v1\norgs:\n  - name: acme\n",
    );
    write(
        &root.join("emea/groups.yaml"),
        "apiVersion: cowork-policy/v1\ngroups:\n  - name: emea\n",
    );
    write(
        &root.join("drafts/groups.yaml"),
        "apiVersion: cowork-policy/v1\ngroups:\n  - name: draft\n    org: nowhere\n",
    );
    write(
        &root.join("drafts/deep/more.yaml"),
        "apiVersion: cowork-policy/v1\n",
    );
    write(&root.join("ci.yml"), "name: ci\n");
    let files = |toml: &str| {
        write(&root.join("cowork-policy.toml"), toml);
        let config = Config::discover(&root).unwrap();
        let policy = cowork_policy::load_dir_with(&root, &config).unwrap();
        let mut files: Vec<String> = policy.files().map(str::to_string).collect();
        files.extend(
            policy
                .skipped_files()
                .iter()
                .map(|f| format!("skipped {f}")),
        );
        files
    };
    assert_eq!(
        files(""),
        [
            "drafts/deep/more.yaml",
            "drafts/groups.yaml",
            "emea/groups.yaml",
            "org.yaml",
            "skipped ci.yml"
        ]
    );
    for exclude in ["drafts", "drafts/", "drafts/**", "./drafts"] {
        assert_eq!(
            files(&format!("exclude = [\"{exclude}\"]\n")),
            ["emea/groups.yaml", "org.yaml", "skipped ci.yml"],
            "{exclude}"
        );
    }
    // `*` does not cross folders; `**` does.
    assert_eq!(
        files("exclude = [\"*.yaml\"]\n"),
        [
            "drafts/deep/more.yaml",
            "drafts/groups.yaml",
            "emea/groups.yaml",
            "skipped ci.yml"
        ]
    );
    assert_eq!(
        files("include = [\"emea\", \"org.yaml\"]\n"),
        ["emea/groups.yaml", "org.yaml"]
    );
    assert_eq!(
        files("include = [\"**/groups.yaml\", \"org.yaml\"]\nexclude = [\"drafts\"]\n"),
        ["emea/groups.yaml", "org.yaml"]
    );

    // Patterns are relative to the config's folder, even when a subfolder is checked.
    write(
        &root.join("cowork-policy.toml"),
        "exclude = [\"drafts/deep\"]\n",
    );
    let sub = root.join("drafts");
    let config = Config::discover(&sub).unwrap();
    let policy = cowork_policy::load_dir_with(&sub, &config).unwrap();
    assert_eq!(policy.files().collect::<Vec<_>>(), ["groups.yaml"]);

    // Excluding everything leaves no policy, which is a load error.
    write(&root.join("cowork-policy.toml"), "exclude = [\"**\"]\n");
    let config = Config::discover(&root).unwrap();
    let errors = cowork_policy::load_dir_with(&root, &config).unwrap_err();
    assert!(matches!(errors.errors()[0], LoadError::NoPolicy { .. }));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn flags_override_the_file_which_overrides_the_defaults() {
    let file = config(
        "profile = \"admin-docs-2026\"\nfail-level = \"warning\"\nselect = [\"IDP\"]\nignore = [\"IDP002\"]\n",
    );
    let source = |config: &Config, key: &str| {
        let setting = config
            .settings()
            .into_iter()
            .find(|s| s.key == key)
            .unwrap();
        (setting.value, setting.source.to_string())
    };
    assert_eq!(
        source(&file, "profile"),
        (
            "\"admin-docs-2026\"".into(),
            "cowork-policy.toml:1:11".into()
        )
    );
    assert_eq!(source(&file, "include"), ("[]".into(), "default".into()));
    let flags = Overrides::default()
        .fail_level(Severity::Info)
        .select(["SEAT"])
        .profile("rollout-guide");
    let both = file.clone().with_overrides(&flags).unwrap();
    assert_eq!(both.fail_level(), Severity::Info);
    assert_eq!(
        source(&both, "fail-level"),
        ("\"info\"".into(), "--fail-level".into())
    );
    assert_eq!(
        source(&both, "select"),
        ("[\"SEAT\"]".into(), "--select".into())
    );
    assert_eq!(
        source(&both, "profile"),
        ("\"rollout-guide\"".into(), "--profile".into())
    );
    // A key without a flag keeps the file's value.
    assert_eq!(
        source(&both, "ignore"),
        ("[\"IDP002\"]".into(), "cowork-policy.toml:4:10".into())
    );
    let report = check(POLICY, both);
    assert_eq!(codes(&report), [("SEAT002", Severity::Warning)]);
    assert!(report.fails_at(Severity::Info));
}

#[test]
fn a_flag_naming_no_rule_or_profile_is_an_error_naming_the_flag() {
    let errors = Config::default()
        .with_overrides(
            &Overrides::default()
                .ignore(["SEAT002", "IDP09"])
                .profile("nope"),
        )
        .unwrap_err();
    let texts: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "--profile: unknown platform profile `nope`",
            "--ignore: unknown rule `IDP09`",
        ]
    );
    assert_eq!(errors.errors()[1].help(), Some("did you mean `IDP009`?"));
}

#[test]
fn a_config_given_as_text_cannot_name_a_waivers_file() {
    assert_eq!(
        error("[waivers]\nfile = \"waivers.toml\"\n"),
        "2:8: `[waivers] file` needs a config read from a file (move the entries into this config as `[[waiver]]` tables)"
    );
}

#[test]
fn settings_list_every_key_with_its_source() {
    let config = config(
        "[severity]\nSEAT002 = \"error\"\n\n[[waiver]]\nrule = \"IDP001\"\nentity = \"group/a\"\nreason = \"r\"\n",
    );
    let keys: Vec<String> = config.settings().into_iter().map(|s| s.key).collect();
    assert_eq!(
        keys,
        [
            "profile",
            "fail-level",
            "select",
            "ignore",
            "include",
            "exclude",
            "severity.SEAT002",
            "rules.seat-headroom.threshold-percent",
            "rules.stale-platform-facts.max-age-days",
            "waivers.inline",
            "waivers.non-waivable",
            "waivers.expiring-within-days",
            "waiver",
        ]
    );
    let waiver = config.settings().pop().unwrap();
    assert_eq!(
        waiver.value,
        r#"{ rule = "IDP001", entity = "group/a", reason = "r" }"#
    );
    assert_eq!(waiver.source.to_string(), "cowork-policy.toml:5:8");
}

fn check_or_update(relative: &str, expected: &str) {
    let path = common::root().join(relative);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is out of date: run `UPDATE_DOCS=1 cargo test -p cowork-policy --test config`"
    );
}

#[test]
fn config_schema_is_up_to_date() {
    check_or_update("docs/config.schema.json", &Config::schema());
}

/// A TOML text as JSON, with dates as strings (as editors validating TOML see them).
fn toml_to_json(text: &str) -> serde_json::Value {
    fn convert(value: toml::Value) -> serde_json::Value {
        match value {
            toml::Value::String(s) => s.into(),
            toml::Value::Integer(i) => i.into(),
            toml::Value::Float(f) => f.into(),
            toml::Value::Boolean(b) => b.into(),
            toml::Value::Datetime(d) => d.to_string().into(),
            toml::Value::Array(items) => items.into_iter().map(convert).collect(),
            toml::Value::Table(table) => table
                .into_iter()
                .map(|(k, v)| (k, convert(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
    convert(toml::Value::Table(toml::from_str(text).unwrap()))
}

/// Every ```toml block of docs/config.md.
fn doc_blocks(language: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(common::root().join("docs/config.md")).unwrap();
    let fence = format!("```{language}\n");
    let mut blocks = Vec::new();
    let mut rest = doc.as_str();
    while let Some(start) = rest.find(&fence) {
        let after = &rest[start + fence.len()..];
        let end = after.find("```").unwrap();
        blocks.push(after[..end].to_string());
        rest = &after[end..];
    }
    blocks
}

#[test]
fn the_config_docs_examples_load_and_fit_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&Config::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let blocks = doc_blocks("toml");
    assert!(
        blocks.len() >= 5,
        "expected TOML examples in docs/config.md"
    );
    let dir = temp_dir("doc-examples");
    write(&dir.join("waivers.toml"), "");
    for block in blocks {
        // A config naming a waivers file is read from a file, next to an empty waivers file.
        let loaded = if block.contains("\nfile = ") && block.contains("[waivers]") {
            write(&dir.join("cowork-policy.toml"), &block);
            Config::load(dir.join("cowork-policy.toml"))
        } else {
            Config::from_str("cowork-policy.toml", &block)
        };
        if let Err(errors) = loaded {
            panic!("docs/config.md example does not load: {errors}\n{block}");
        }
        let json = toml_to_json(&block);
        let problems: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(problems.is_empty(), "{}\n{block}", problems.join("; "));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_config_docs_yaml_examples_have_valid_waivers() {
    let blocks = doc_blocks("yaml");
    assert!(
        !blocks.is_empty(),
        "expected YAML examples in docs/config.md"
    );
    for block in blocks {
        let report = check(&block, Config::default());
        let invalid: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.code == "WAIVE001")
            .map(|f| f.message.as_str())
            .collect();
        assert!(invalid.is_empty(), "{invalid:?}\n{block}");
    }
}

#[test]
fn the_schema_rejects_what_the_checker_refuses() {
    let schema: serde_json::Value = serde_json::from_str(&Config::schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for bad in [
        "fail-levl = \"error\"",
        "fail-level = \"errors\"",
        "[severity]\nIDP001 = \"loud\"",
        "[rules.seat-headroom]\nthreshold-percent = 120",
        "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/a\"",
    ] {
        assert!(
            !validator.is_valid(&toml_to_json(bad)),
            "schema accepts {bad}"
        );
    }
}

/// What a config that did not load shows, in every place an admin or a CI log would see it.
fn shown(errors: &cowork_policy::LoadErrors) -> String {
    use cowork_policy::render::{self, CiOptions, HumanOptions};
    let ci = CiOptions::new();
    [
        render::human_load_errors(errors, &HumanOptions::new(false)),
        render::json_load_errors(errors),
        render::sarif_load_errors(errors, &ci),
        render::github_load_errors(errors, &ci),
        render::markdown_load_errors(errors, &ci),
    ]
    .join("\n")
}

/// A file a config names is read only from the config's folder, only when it is a regular
/// file, and only up to a size: `[waivers] file = "/proc/self/environ"` printed the CI's
/// environment in the TOML error's source line. The error names the setting, never the content.
#[test]
fn a_waivers_file_is_confined_to_the_config_folder() {
    let root = temp_dir("confined-waivers");
    let dir = root.join("repo");
    write(&root.join("outside.toml"), "secret-key = \"sk-outside\"\n");
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    std::os::unix::fs::symlink(root.join("outside.toml"), dir.join("link.toml")).unwrap();
    let refused = [
        ("/proc/self/environ", "outside the folder of this config"),
        ("../outside.toml", "outside the folder of this config"),
        ("link.toml", "outside the folder of this config"),
        ("/dev/zero", "outside the folder of this config"),
        ("folder", "not a regular file"),
        ("missing.toml", "no such file or directory"),
    ];
    for (file, why) in refused {
        write(
            &dir.join("cowork-policy.toml"),
            &format!("[waivers]\nfile = \"{file}\"\n"),
        );
        let errors = Config::load(dir.join("cowork-policy.toml")).unwrap_err();
        assert_eq!(errors.errors().len(), 1, "{file}: {errors}");
        let error = &errors.errors()[0];
        let location = error.location().expect("the error is at the setting");
        assert_eq!((location.line, location.column), (2, 8), "{file}");
        assert!(location.file.ends_with("cowork-policy.toml"), "{file}");
        assert!(
            error.message().contains("`[waivers] file`"),
            "{file}: {error}"
        );
        assert!(error.message().contains(why), "{file}: {error}");
        let text = shown(&errors);
        assert!(!text.contains("sk-outside"), "{file}: {text}");
        assert!(!text.contains("CARGO_PKG_NAME"), "{file}: {text}");
    }
    // A waivers file in a folder under the config's, even through a link that stays inside, is
    // read as before.
    write(
        &dir.join("folder/waivers.toml"),
        "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/x\"\nreason = \"r\"\n",
    );
    std::os::unix::fs::symlink(dir.join("folder/waivers.toml"), dir.join("inside.toml")).unwrap();
    for file in ["folder/waivers.toml", "inside.toml"] {
        write(
            &dir.join("cowork-policy.toml"),
            &format!("[waivers]\nfile = \"{file}\"\n"),
        );
        Config::load(dir.join("cowork-policy.toml")).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// A config found by discovery is read only when it is a regular file in the folder it was
/// found in: a `cowork-policy.toml` that links to `/proc/self/environ` or out of the
/// repository is refused, naming the config, not showing what it links to.
#[test]
fn a_discovered_config_is_confined_to_its_folder() {
    let root = temp_dir("confined-config");
    let dir = root.join("repo");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    write(&root.join("outside.toml"), "secret-key = \"sk-outside\"\n");
    for target in [Path::new("/proc/self/environ"), &root.join("outside.toml")] {
        let _ = std::fs::remove_file(dir.join("cowork-policy.toml"));
        std::os::unix::fs::symlink(target, dir.join("cowork-policy.toml")).unwrap();
        let errors = Config::discover(&dir).unwrap_err();
        let text = shown(&errors);
        assert!(text.contains("cowork-policy.toml"), "{text}");
        assert!(text.contains("outside the folder"), "{text}");
        assert!(!text.contains("sk-outside"), "{text}");
        assert!(!text.contains("CARGO_PKG_NAME"), "{text}");
    }
    // A link to a config inside the folder is fine.
    write(&dir.join("configs/main.toml"), "fail-level = \"warning\"\n");
    std::fs::remove_file(dir.join("cowork-policy.toml")).unwrap();
    std::os::unix::fs::symlink(
        dir.join("configs/main.toml"),
        dir.join("cowork-policy.toml"),
    )
    .unwrap();
    assert_eq!(
        Config::discover(&dir).unwrap().fail_level(),
        Severity::Warning
    );
    // Neither a link nor a device: a config that is not a regular file.
    std::fs::remove_file(dir.join("cowork-policy.toml")).unwrap();
    std::fs::create_dir_all(dir.join("cowork-policy.toml")).unwrap();
    let errors = Config::load(dir.join("cowork-policy.toml")).unwrap_err();
    assert!(shown(&errors).contains("not a regular file"), "{errors}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// A config or waivers file too large is refused before it is read whole.
#[test]
fn a_config_file_has_a_size_limit() {
    let dir = temp_dir("config-size");
    let big = format!("# {}\n", "x".repeat(2 * 1024 * 1024));
    write(&dir.join("cowork-policy.toml"), &big);
    let errors = Config::load(dir.join("cowork-policy.toml")).unwrap_err();
    assert!(shown(&errors).contains("larger than"), "{errors}");
    write(
        &dir.join("cowork-policy.toml"),
        "[waivers]\nfile = \"waivers.toml\"\n",
    );
    write(&dir.join("waivers.toml"), &big);
    let errors = Config::load(dir.join("cowork-policy.toml")).unwrap_err();
    let error = &errors.errors()[0];
    assert!(error.message().contains("`[waivers] file`"), "{error}");
    assert!(error.message().contains("larger than"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}
