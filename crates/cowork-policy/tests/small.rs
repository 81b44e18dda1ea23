//! Small things an admin reads wrong: counts of one in the plural, a NUL byte reported where it
//! is not, files with CR-only line endings read as one line, and amounts shown rounded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::load_sources;
use cowork_policy::render::{self, HumanOptions};

/// `file:line:column: message` of every load error.
fn errors(name: &str, text: &str) -> Vec<String> {
    load_sources([(name, text)])
        .unwrap_err()
        .errors()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn one_user_is_not_users() {
    let text = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
    seats: 0
identityProviders:
  - {name: okta, kind: okta, protocol: saml, scim: true}
groups:
  - {name: eng, idp: okta, scim: true, members: [ana@acme.com]}
";
    let policy = load_sources([("org.yaml", text)]).unwrap();
    let report = common::check(&policy);
    let seat = report
        .findings
        .iter()
        .find(|f| f.code == "SEAT001")
        .unwrap();
    assert_eq!(seat.label, "0 seats for 1 user");
    assert_eq!(
        seat.message,
        "org `acme` would provision 1 user by SCIM but has 0 seats (1 over)"
    );

    // A group limit of 1 and 2 groups: one past the limit.
    let text = "apiVersion: cowork-policy/v1
orgs: [{name: acme}]
platform: {groupLimit: 0}
groups:
  - {name: eng, members: [ana@acme.com]}
";
    let policy = load_sources([("org.yaml", text)]).unwrap();
    let report = common::check(&policy);
    let groups = report.findings.iter().find(|f| f.code == "IDP007").unwrap();
    assert_eq!(groups.label, "1 group in this org");
    assert!(
        groups
            .message
            .starts_with("org `acme` has 1 group, 1 over the limit of 0 per org"),
        "{}",
        groups.message
    );
    assert_eq!(
        groups.help.as_deref(),
        Some(
            "merge or remove 1 of the groups of `acme`: each organization can have up to 0 groups"
        )
    );
}

#[test]
fn a_nul_byte_is_reported_where_it_is() {
    assert_eq!(
        errors("nul.yaml", "apiVersion: cowork-policy/v1\0\norgs: []\n"),
        ["nul.yaml:1:29: control character U+0000 in the text: YAML does not allow it"]
    );
    assert_eq!(
        errors(
            "nul.yaml",
            "apiVersion: cowork-policy/v1\norgs:\n  - name: \"ac\0me\"\n"
        ),
        ["nul.yaml:3:14: control character U+0000 in the text: YAML does not allow it"]
    );
}

#[test]
fn cr_only_line_endings_are_line_breaks() {
    let text = "apiVersion: cowork-policy/v1\rorgs:\r  - name: acme\r    plan: bogus\r";
    let errors = load_sources([("cr.yaml", text)]).unwrap_err();
    assert_eq!(
        errors.errors()[0].to_string(),
        "cr.yaml:4:11: unknown plan `bogus`: expected `free`, `pro`, `max`, `team` or `enterprise`"
    );
    let human = render::human_load_errors(&errors, &HumanOptions::new(false));
    assert!(human.contains("4 |     plan: bogus\n"), "{human}");
    // And a policy written so loads, with its findings on the right lines.
    let text = "apiVersion: cowork-policy/v1\rorgs:\r  - name: acme\rgroups:\r  - name: eng\r    org: acne\r";
    let policy = load_sources([("cr.yaml", text)]).unwrap();
    let report = common::check(&policy);
    let unknown = report.findings.iter().find(|f| f.code == "IDP003").unwrap();
    assert_eq!(unknown.location.to_string(), "cr.yaml:6:10");
}

/// The spend limit of `ana` when her group's limit is written as `amount`.
fn limit_of(amount: &str) -> Result<String, Vec<String>> {
    let text = format!(
        "apiVersion: cowork-policy/v1
orgs: [{{name: acme}}]
groups: [{{name: eng, members: [ana@acme.com]}}]
spendLimits: [{{name: eng, amount: {amount}, groups: [eng]}}]
"
    );
    match load_sources([("l.yaml", text.as_str())]) {
        Ok(policy) => {
            let access = cowork_policy::access::EffectiveAccess::new(
                &policy,
                &cowork_policy::CheckOptions::default(),
            );
            let mut csv = Vec::new();
            render::access_csv(&access.table(), &mut csv).unwrap();
            let csv = String::from_utf8(csv).unwrap();
            let row = csv.lines().nth(1).unwrap();
            Ok(row.split(',').nth(10).unwrap().to_string())
        }
        Err(errors) => Err(errors.errors().iter().map(|e| e.message()).collect()),
    }
}

#[test]
fn amounts_are_exact_or_refused() {
    assert_eq!(limit_of("19.99").unwrap(), "19.99");
    // The largest amount, and one just below it with cents: shown exactly, not rounded.
    assert_eq!(limit_of("1000000000000").unwrap(), "1000000000000.00");
    assert_eq!(limit_of("999999999999.99").unwrap(), "999999999999.99");
    for too_large in [
        "123456789012345.67",
        "99999999999999999",
        "1000000000000.01",
    ] {
        assert_eq!(
            limit_of(too_large),
            Err(vec![format!(
                "amount `{too_large}` is too large: expected at most 1,000,000,000,000"
            )]),
            "{too_large}"
        );
    }
    assert!(limit_of("19.999").is_err());
}
