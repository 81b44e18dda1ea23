//! Governed waivers, through the public API: a waiver accepts the findings of one rule on one
//! entity (config) or one line (inline comment), for a reason; an expired or invalid waiver
//! waives nothing; stale, expiring and non-waivable waivers are findings of their own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::{CheckOptions, Date, Finding, Report, Severity, config::Config};

/// One org, and `all-staff` nesting `contractors`: IDP001 on line 10, entity `group/all-staff`.
const POLICY: &str = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    plan: enterprise
    seats: 10
groups:
  - name: all-staff
    scim: true
    members: [ana@acme.com, bo@acme.com]
    memberGroups: [contractors]
  - name: contractors
    members: [cy@acme.com]
";

/// Check `yaml` (named `policy.yaml`) with the config `toml`, as of [`common::TODAY`].
fn run(yaml: &str, toml: &str) -> Report {
    let policy = cowork_policy::load_sources([("policy.yaml", yaml)]).unwrap();
    let config = Config::from_str("cowork-policy.toml", toml).unwrap();
    let today = Date::parse(common::TODAY).unwrap();
    cowork_policy::check_with(
        &policy,
        &CheckOptions::default().today(today).config(config),
    )
}

/// `POLICY` with `comment` at the end of line `line` (1-based).
fn with_comment(line: usize, comment: &str) -> String {
    POLICY
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                format!("{l} {comment}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

fn of<'a>(report: &'a Report, code: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn the_policy_has_one_nested_group_finding() {
    let report = run(POLICY, "");
    let idp = of(&report, "IDP001");
    assert_eq!(idp.len(), 1);
    assert_eq!(idp[0].location.line, 10);
    assert_eq!(idp[0].entity, "group/all-staff");
}

#[test]
fn an_inline_waiver_on_the_findings_line_waives_it() {
    let yaml = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"contractors need no role\" until=2027-01-31 owner=it-ops ticket=IT-7",
    );
    let report = run(&yaml, "");
    assert!(of(&report, "IDP001").is_empty());
    assert!(report.findings.iter().all(|f| !f.code.starts_with("WAIVE")));
    assert_eq!(report.waived.len(), 1);
    let waived = &report.waived[0];
    assert_eq!(waived.finding.code, "IDP001");
    assert_eq!(waived.waiver.reason, "contractors need no role");
    assert_eq!(waived.waiver.until.as_deref(), Some("2027-01-31"));
    assert_eq!(waived.waiver.owner.as_deref(), Some("it-ops"));
    assert_eq!(waived.waiver.ticket.as_deref(), Some("IT-7"));
    assert!(waived.waiver.inline);
    assert_eq!(waived.waiver.location.as_ref().unwrap().line, 10);
    // A waived error no longer fails the check.
    assert!(!report.fails_at(Severity::Error));
}

#[test]
fn an_inline_waiver_on_the_entitys_line_or_above_it_waives_its_findings() {
    let comment = "# cowork-policy: allow nested-idp-group reason=\"contractors need no role\"";
    let report = run(&with_comment(7, comment), "");
    assert!(of(&report, "IDP001").is_empty());
    assert_eq!(report.waived.len(), 1);

    let above = POLICY.replace(
        "  - name: all-staff\n",
        &format!("  {comment}\n\n  # another comment\n  - name: all-staff\n"),
    );
    let report = run(&above, "");
    assert!(of(&report, "IDP001").is_empty(), "{:?}", report.findings);
    assert_eq!(report.waived.len(), 1);

    // On another entity's line, it waives nothing and is stale.
    let report = run(&with_comment(11, comment), "");
    assert_eq!(of(&report, "IDP001").len(), 1);
    assert_eq!(of(&report, "WAIVE002").len(), 1);
}

#[test]
fn a_config_waiver_accepts_the_rule_on_the_entity() {
    let report = run(
        POLICY,
        r#"
[[waiver]]
rule = "IDP001"
entity = "group/all-staff"
reason = "contractors need no role"
until = 2027-01-31
"#,
    );
    assert!(of(&report, "IDP001").is_empty());
    assert_eq!(report.waived.len(), 1);
    let waiver = &report.waived[0].waiver;
    assert!(!waiver.inline);
    assert_eq!(waiver.until.as_deref(), Some("2027-01-31"));
    let location = waiver.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line),
        ("cowork-policy.toml", 3)
    );
}

#[test]
fn a_config_waiver_for_another_file_or_entity_is_stale() {
    for (entity, file) in [
        ("group/contractors", ""),
        ("group/all-staff", "file = \"groups.yaml\"\n"),
    ] {
        let report = run(
            POLICY,
            &format!(
                "[[waiver]]\nrule = \"IDP001\"\nentity = \"{entity}\"\n{file}reason = \"r\"\n"
            ),
        );
        assert_eq!(of(&report, "IDP001").len(), 1, "{entity} {file}");
        let stale = of(&report, "WAIVE002");
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].severity, Severity::Warning);
        assert_eq!(
            stale[0].message,
            format!("waiver of `IDP001` for `{entity}` matches no finding")
        );
        assert_eq!(stale[0].location.file, "cowork-policy.toml");
        assert_eq!(stale[0].location.line, 2);
    }
}

#[test]
fn an_expired_waiver_waives_nothing_and_the_finding_says_so() {
    let inline = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"temporary\" until=2026-11-23",
    );
    let config = "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"temporary\"\nuntil = \"2026-11-01\"\n";
    for (yaml, toml, expired) in [
        (inline.as_str(), "", "2026-11-23"),
        (POLICY, config, "2026-11-01"),
    ] {
        let report = run(yaml, toml);
        assert!(report.waived.is_empty());
        let idp = of(&report, "IDP001");
        assert_eq!(idp.len(), 1);
        let note = idp[0]
            .related
            .iter()
            .find(|r| r.label.starts_with("waiver expired"))
            .expect("a note that the waiver expired");
        assert_eq!(note.label, format!("waiver expired on {expired}"));
        // An expired waiver that still matches is not stale, nor invalid.
        assert!(report.findings.iter().all(|f| !f.code.starts_with("WAIVE")));
        assert!(report.fails_at(Severity::Error));
    }
}

#[test]
fn a_waiver_holds_through_its_until_day() {
    let yaml = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"temporary\" until=2026-11-24",
    );
    let report = run(&yaml, "");
    assert_eq!(report.waived.len(), 1);
    let expiring = of(&report, "WAIVE003");
    assert_eq!(expiring.len(), 1);
    assert_eq!(
        expiring[0].message,
        "waiver of `IDP001` expires today, on 2026-11-24"
    );
}

#[test]
fn a_malformed_date_fails_closed() {
    let inline = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"temporary\" until=2027-02-30",
    );
    let config = "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"temporary\"\nuntil = \"next spring\"\n";
    for (yaml, toml, date, line) in [
        (inline.as_str(), "", "2027-02-30", 10),
        (POLICY, config, "next spring", 5),
    ] {
        let report = run(yaml, toml);
        assert!(report.waived.is_empty());
        let idp = of(&report, "IDP001");
        assert_eq!(idp.len(), 1, "the waived finding fires too");
        assert!(
            idp[0]
                .related
                .iter()
                .any(|r| r.label.contains("is malformed"))
        );
        let invalid = of(&report, "WAIVE001");
        assert_eq!(invalid.len(), 1);
        assert_eq!(invalid[0].severity, Severity::Error);
        assert!(
            invalid[0]
                .message
                .ends_with(&format!("has a malformed `until` date `{date}`")),
            "{}",
            invalid[0].message
        );
        assert_eq!(invalid[0].location.line, line);
        assert!(of(&report, "WAIVE002").is_empty());
    }
}

#[test]
fn a_toml_date_with_a_time_is_malformed() {
    let report = run(
        POLICY,
        "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"r\"\nuntil = 2027-01-31T10:00:00\n",
    );
    assert_eq!(of(&report, "IDP001").len(), 1);
    assert_eq!(of(&report, "WAIVE001").len(), 1);
}

#[test]
fn a_waiver_expiring_within_the_window_gets_an_info() {
    let yaml = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"temporary\" until=2026-11-30",
    );
    let report = run(&yaml, "");
    assert_eq!(report.waived.len(), 1, "it still waives");
    let expiring = of(&report, "WAIVE003");
    assert_eq!(expiring.len(), 1);
    assert_eq!(expiring[0].severity, Severity::Info);
    assert_eq!(
        expiring[0].message,
        "waiver of `IDP001` expires in 6 days, on 2026-11-30"
    );
    assert!(!report.fails_at(Severity::Warning));

    // The window is the config's.
    let report = run(&yaml, "[waivers]\nexpiring-within-days = 5\n");
    assert!(of(&report, "WAIVE003").is_empty());
    let report = run(&yaml, "[waivers]\nexpiring-within-days = 6\n");
    assert_eq!(of(&report, "WAIVE003").len(), 1);
}

#[test]
fn a_waiver_without_a_reason_waives_nothing() {
    for (yaml, toml) in [
        (
            with_comment(10, "# cowork-policy: allow IDP001"),
            String::new(),
        ),
        (
            with_comment(10, "# cowork-policy: allow IDP001 reason=\"  \""),
            String::new(),
        ),
        (
            POLICY.to_string(),
            "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\n".to_string(),
        ),
    ] {
        let report = run(&yaml, &toml);
        assert_eq!(of(&report, "IDP001").len(), 1);
        let invalid = of(&report, "WAIVE001");
        assert_eq!(invalid.len(), 1);
        assert!(invalid[0].message.ends_with("has no reason"));
    }
}

#[test]
fn a_waiver_of_an_unknown_rule_is_invalid_with_a_suggestion() {
    let report = run(
        &with_comment(10, "# cowork-policy: allow IDP01, IDP001 reason=\"r\""),
        "",
    );
    // The known code still waives; the unknown one is an error.
    assert_eq!(report.waived.len(), 1);
    let invalid = of(&report, "WAIVE001");
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].message, "waiver names unknown rule `IDP01`");
    assert_eq!(invalid[0].help.as_deref(), Some("did you mean `IDP001`?"));

    let report = run(
        POLICY,
        "[[waiver]]\nrule = \"nested-idp-grop\"\nentity = \"group/all-staff\"\nreason = \"r\"\n",
    );
    assert_eq!(of(&report, "IDP001").len(), 1);
    let invalid = of(&report, "WAIVE001");
    assert_eq!(
        invalid[0].help.as_deref(),
        Some("did you mean `nested-idp-group`?")
    );
}

#[test]
fn non_waivable_rules_fire_with_an_error_unless_the_config_allows_them() {
    // Two seats for three SCIM users: SEAT001, which no waiver accepts by default.
    let yaml = POLICY.replace(
        "seats: 10",
        "seats: 1 # cowork-policy: allow SEAT001 reason=\"seats ordered\"",
    );
    let report = run(&yaml, "");
    assert_eq!(of(&report, "SEAT001").len(), 1);
    let invalid = of(&report, "WAIVE001");
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0].message,
        "waiver of `SEAT001` refused: the rule is not waivable"
    );
    assert!(report.waived.is_empty());

    // The config's list replaces the default one.
    let report = run(&yaml, "[waivers]\nnon-waivable = []\n");
    assert!(of(&report, "SEAT001").is_empty());
    assert!(of(&report, "WAIVE001").is_empty());
    assert_eq!(report.waived.len(), 1);

    let config = "[waivers]\nnon-waivable = [\"IDP\"]\n\n[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"r\"\n";
    let report = run(POLICY, config);
    assert_eq!(of(&report, "IDP001").len(), 1);
    assert_eq!(of(&report, "WAIVE001").len(), 1);
}

#[test]
fn the_default_non_waivable_rules_are_the_lockout_and_zero_permission_rules() {
    let defaults = Config::default()
        .settings()
        .into_iter()
        .find(|s| s.key == "waivers.non-waivable")
        .unwrap();
    assert_eq!(defaults.value, r#"["IDP005", "RBAC001", "SEAT001"]"#);
}

#[test]
fn the_config_can_forbid_inline_waivers() {
    let yaml = with_comment(10, "# cowork-policy: allow IDP001 reason=\"r\"");
    let report = run(&yaml, "[waivers]\ninline = false\n");
    assert_eq!(of(&report, "IDP001").len(), 1);
    let invalid = of(&report, "WAIVE001");
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0].message,
        "inline waiver of `IDP001` refused: the config forbids inline waivers"
    );
    // Config waivers still work.
    let report = run(
        &yaml,
        "[waivers]\ninline = false\n\n[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"r\"\n",
    );
    assert!(of(&report, "IDP001").is_empty());
    assert_eq!(report.waived.len(), 1);
    assert!(!report.waived[0].waiver.inline);
}

#[test]
fn a_waiver_of_a_rule_the_config_turns_off_is_stale_and_says_why() {
    let yaml = with_comment(10, "# cowork-policy: allow IDP001 reason=\"r\"");
    let report = run(&yaml, "ignore = [\"IDP001\"]\n");
    let stale = of(&report, "WAIVE002");
    assert_eq!(stale.len(), 1);
    assert_eq!(
        stale[0].message,
        "waiver of `IDP001` matches no finding: the config turns `IDP001` off"
    );
    // The waiver rules are rules like any other: the config can turn them off.
    let report = run(&yaml, "ignore = [\"IDP001\", \"WAIVE002\"]\n");
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn waiver_findings_cannot_be_waived() {
    let yaml = with_comment(10, "# cowork-policy: allow WAIVE002 reason=\"r\"");
    let report = run(&yaml, "");
    let invalid = of(&report, "WAIVE001");
    assert_eq!(invalid.len(), 1);
    assert!(
        invalid[0]
            .message
            .contains("findings about waivers cannot be waived")
    );
}

#[test]
fn a_malformed_comment_is_a_finding_not_a_load_error() {
    let yaml = with_comment(10, "# cowork-policy: allow IDP001 reson=\"typo\"");
    let report = run(&yaml, "");
    assert_eq!(of(&report, "IDP001").len(), 1);
    let invalid = of(&report, "WAIVE001");
    assert_eq!(invalid.len(), 1);
    assert!(
        invalid[0].message.starts_with("unknown key `reson`"),
        "{}",
        invalid[0].message
    );
}

#[test]
fn waived_findings_show_in_the_json_output() {
    let yaml = with_comment(
        10,
        "# cowork-policy: allow IDP001 reason=\"contractors need no role\"",
    );
    let report = run(&yaml, "");
    let json: serde_json::Value =
        serde_json::from_str(&cowork_policy::render::json(&report)).unwrap();
    assert_eq!(json["summary"]["waived"], 1);
    assert_eq!(json["summary"]["errors"], 0);
    let waived = &json["waived"][0];
    assert_eq!(waived["code"], "IDP001");
    assert_eq!(waived["entity"], "group/all-staff");
    assert_eq!(waived["waiver"]["reason"], "contractors need no role");
    assert_eq!(waived["waiver"]["inline"], true);
    assert_eq!(waived["waiver"]["location"]["line"], 10);

    // Without waivers, neither key is there.
    let json: serde_json::Value =
        serde_json::from_str(&cowork_policy::render::json(&run(POLICY, ""))).unwrap();
    assert!(json["summary"].get("waived").is_none());
    assert!(json.get("waived").is_none());
}

#[test]
fn a_waivers_file_holds_entries_like_the_config() {
    let dir = std::env::temp_dir().join(format!("cowork-policy-waivers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("policy.yaml"), POLICY).unwrap();
    std::fs::write(
        dir.join("cowork-policy.toml"),
        "[waivers]\nfile = \"waivers.toml\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("waivers.toml"),
        "[[waiver]]\nrule = \"IDP001\"\nentity = \"group/all-staff\"\nreason = \"r\"\n",
    )
    .unwrap();
    let config = Config::discover(&dir).unwrap();
    let policy = cowork_policy::load_dir_with(&dir, &config).unwrap();
    let today = Date::parse(common::TODAY).unwrap();
    let report = cowork_policy::check_with(
        &policy,
        &CheckOptions::default().today(today).config(config),
    );
    assert_eq!(report.waived.len(), 1);
    let location = report.waived[0].waiver.location.as_ref().unwrap();
    assert_eq!((location.file.as_str(), location.line), ("waivers.toml", 2));

    // Anything but `[[waiver]]` in a waivers file is an error at its place.
    std::fs::write(dir.join("waivers.toml"), "profile = \"rollout-guide\"\n").unwrap();
    let errors = Config::discover(&dir).unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!(error.location().unwrap().file, "waivers.toml");
    assert!(
        error.message().starts_with("unknown key `profile`"),
        "{}",
        error.message()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
