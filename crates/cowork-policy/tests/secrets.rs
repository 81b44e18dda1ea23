//! Inline secrets never reach any output: SEC005 names where a secret is written and how long it
//! is, every renderer masks it in the lines it shows, and a `Debug` of the loaded policy holds no
//! source text. Yet the findings still point at the exact lines of the secrets.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::render::{self, HumanOptions};

/// The inline secrets of `fixtures/SEC005-plaintext-secret/fail.yaml`, as written there (the
/// text between the quotes of a quoted one).
const SECRETS: [&str; 5] = [
    "SSWS fixture-00x9Qm3kLr7TzV2pW8nY4bHc6dJf",
    "fixture-0oa7g2kX9vQZr4tYb8WmN3pLs6dFh1jC",
    "fixture-slack-8812-4471-9a0c5e2d7b1f",
    "otel-ingest:fixture-Zq8vR2mX7kLp",
    "Bearer fixture-eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.4f2b9c",
];

/// Every output a caller can get for a loaded policy.
fn outputs(policy: &cowork_policy::Policy) -> Vec<(&'static str, String)> {
    let report = common::check(policy);
    vec![
        (
            "human",
            render::human(&report, policy, &HumanOptions::new(false)),
        ),
        (
            "human with colour",
            render::human(&report, policy, &HumanOptions::new(true)),
        ),
        ("json", render::json(&report)),
        ("policy Debug", format!("{policy:?}")),
        ("report Debug", format!("{report:?}")),
    ]
}

/// Fail with the output's name when it holds a secret or a recognisable piece of one.
fn assert_no_secret(name: &str, output: &str, secrets: &[&str]) {
    for secret in secrets {
        // The whole secret, and every 12 characters of it: half a token is still a leak.
        let chars: Vec<char> = secret.chars().collect();
        let pieces = chars.windows(12).map(|w| w.iter().collect::<String>());
        for piece in std::iter::once(secret.to_string()).chain(pieces) {
            assert!(
                !output.contains(&piece),
                "{name} shows `{piece}` of a secret:\n{output}"
            );
        }
    }
}

#[test]
fn no_output_shows_an_inline_secret() {
    let path = common::root().join("fixtures/SEC005-plaintext-secret/fail.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    for secret in SECRETS {
        assert!(
            text.contains(secret),
            "the fixture no longer holds `{secret}`"
        );
    }
    let policy = cowork_policy::load_sources([("fail.yaml", text.as_str())]).unwrap();
    for (name, output) in outputs(&policy) {
        assert_no_secret(name, &output, &SECRETS);
    }
}

#[test]
fn findings_still_point_at_the_lines_of_the_secrets() {
    let path = common::root().join("fixtures/SEC005-plaintext-secret/fail.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let policy = cowork_policy::load_sources([("fail.yaml", text.as_str())]).unwrap();
    let report = common::check(&policy);
    let mut lines: Vec<u32> = report
        .findings
        .iter()
        .filter(|f| f.code == "SEC005")
        .map(|f| {
            assert_eq!(f.location.line, f.location.end_line, "{}", f.message);
            f.location.line
        })
        .collect();
    lines.sort_unstable();
    let mut expected: Vec<u32> = SECRETS
        .iter()
        .map(|secret| {
            let at = text.find(secret).unwrap();
            text[..at].matches('\n').count() as u32 + 1
        })
        .collect();
    expected.sort_unstable();
    assert_eq!(lines, expected);
    // The masked line keeps its length, so columns line up with the file as written.
    let human = render::human(&report, &policy, &HumanOptions::new(false));
    assert!(
        human.contains("scimToken: *******************************************\n"),
        "{human}"
    );
    // The message says where and how long, never what.
    let scim = report
        .findings
        .iter()
        .find(|f| f.message.contains("`scimToken`"))
        .unwrap();
    assert_eq!(
        scim.message,
        "the SCIM token (`scimToken`) of identity provider `okta` is written inline (41 characters)"
    );
}

#[test]
fn a_multi_line_secret_is_masked_on_every_line() {
    let text = "apiVersion: cowork-policy/v1
orgs:
  - name: acme
connectors:
  - name: jira
    state: configured
    clientSecret: |
      fixture-first-line-4f2b9c
      fixture-second-line-81d7e0
  - name: slack
    clientSecret: ${SLACK_CLIENT_SECRET}
";
    let secrets = ["fixture-first-line-4f2b9c", "fixture-second-line-81d7e0"];
    let policy = cowork_policy::load_sources([("p.yaml", text)]).unwrap();
    for (name, output) in outputs(&policy) {
        assert_no_secret(name, &output, &secrets);
    }
    let report = common::check(&policy);
    let finding = report.findings.iter().find(|f| f.code == "SEC005").unwrap();
    assert_eq!(finding.location.line, 8);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.code == "SEC005")
            .count(),
        1,
        "a reference is not a secret"
    );
}

// Load errors: a secret beside a mistake is masked in every snippet and never quoted.

const LEAK: &str = "sk-ant-api03-LeakedToken-4f2b9c81d7e0aa";

/// Every output of a policy that did not load.
fn load_error_outputs(errors: &cowork_policy::LoadErrors) -> Vec<(&'static str, String)> {
    let ci = render::CiOptions::new();
    vec![
        (
            "human",
            render::human_load_errors(errors, &HumanOptions::new(false)),
        ),
        ("concise", render::concise_load_errors(errors, &ci)),
        ("json", render::json_load_errors(errors)),
        ("sarif", render::sarif_load_errors(errors, &ci)),
        ("github", render::github_load_errors(errors, &ci)),
        ("junit", render::junit_load_errors(errors, &ci)),
        ("gitlab", render::gitlab_load_errors(errors, &ci)),
        ("markdown", render::markdown_load_errors(errors, &ci)),
        ("errors Display", errors.to_string()),
        ("errors Debug", format!("{errors:?}")),
    ]
}

#[test]
fn a_secret_beside_a_load_error_is_masked() {
    let idp = |extra: &str, token: &str| {
        format!(
            "apiVersion: cowork-policy/v1\nidentityProviders:\n  - name: okta\n    kind: okta\n    protocol: saml\n    scimToken: {token}\n{extra}"
        )
    };
    let cases = [
        ("a wrong boolean", idp("    scim: yes\n", LEAK)),
        (
            "an unknown keyword",
            idp("", LEAK).replace("kind: okta", "kind: oktaa"),
        ),
        ("a list", idp("", &format!("[{LEAK}]"))),
        (
            "a list in block style",
            idp("", &format!("\n      - {LEAK}")),
        ),
        ("a tagged value", idp("", &format!("!vault {LEAK}"))),
        (
            "a misspelt key",
            idp("", LEAK).replace("scimToken:", "scimtoken:"),
        ),
        (
            "a repeated key",
            idp(&format!("    scimToken: {LEAK}\n"), "${OKTA_SCIM_TOKEN}"),
        ),
        (
            "a flow mapping",
            format!(
                "apiVersion: cowork-policy/v1\nidentityProviders: [{{name: okta, kind: oktaa, scimToken: {LEAK}}}]\n"
            ),
        ),
        (
            "a connector",
            format!(
                "apiVersion: cowork-policy/v1\nconnectors:\n  - name: slack\n    state: bogus\n    clientSecret: \"{LEAK}\"\n"
            ),
        ),
        (
            "a header",
            format!(
                "apiVersion: cowork-policy/v1\nobservability:\n  protocol: carrier-pigeon\n  headers:\n    - value: Bearer {LEAK}\n      name: Authorization\n"
            ),
        ),
        (
            "a syntax error",
            idp(
                &format!("    clientSecret: {LEAK}\n    domains: [acme.com\n"),
                LEAK,
            ),
        ),
        (
            "a block scalar before a syntax error",
            idp("    domains: [acme.com\n", &format!("|\n      {LEAK}")),
        ),
    ];
    for (case, text) in &cases {
        let errors = cowork_policy::load_sources([("idp.yaml", text.as_str())]).expect_err(case);
        for (name, output) in load_error_outputs(&errors) {
            assert_no_secret(&format!("{case}: {name}"), &output, &[LEAK]);
        }
    }
    // The masked line is still shown, at its length.
    let errors = cowork_policy::load_sources([("idp.yaml", cases[6].1.as_str())]).unwrap_err();
    let human = render::human_load_errors(&errors, &HumanOptions::new(false));
    assert!(
        human.contains(&format!("scimToken: {}", "*".repeat(LEAK.len()))),
        "{human}"
    );
}

#[test]
fn a_secret_in_a_file_that_would_be_skipped_is_masked() {
    let dir = std::env::temp_dir().join(format!("cowork-policy-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("org.yaml"),
        "apiVersion: cowork-policy/v1\norgs: [{name: acme}]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("idp.yaml"),
        format!("identityProviders:\n  - name: okta\n    scimToken: {LEAK}\n"),
    )
    .unwrap();
    let errors = cowork_policy::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    for (name, output) in load_error_outputs(&errors) {
        assert_no_secret(name, &output, &[LEAK]);
    }
}

// What counts as a reference: exactly the documented forms.

/// The SEC005 findings of a connector whose client secret is `value` (as written in YAML).
fn sec005(value: &str) -> Vec<String> {
    let text = format!(
        "apiVersion: cowork-policy/v1\norgs: [{{name: acme}}]\nconnectors:\n  - name: slack\n    clientSecret: {value}\n"
    );
    let policy = cowork_policy::load_sources([("c.yaml", text.as_str())]).unwrap();
    let report = common::check(&policy);
    let human = render::human(&report, &policy, &HumanOptions::new(false));
    assert!(!human.contains("sk-ant"), "{value}: {human}");
    report
        .findings
        .iter()
        .filter(|f| f.code == "SEC005")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn only_the_documented_forms_are_references() {
    for inline in [
        "\"secret: sk-ant-api03-abc\"",
        "\"sk-ant-api03-abc${}\"",
        "\"sk-ant-api03-abc${X}\"",
        "\"${X} sk-ant-api03-abc\"",
        "\"secret:\"",
        "\"${1X}sk-ant\"",
        "\"sk-ant-$TOKEN\"",
    ] {
        assert_eq!(sec005(inline).len(), 1, "{inline} is inline");
    }
    for reference in [
        "${SLACK_CLIENT_SECRET}",
        "secret:vault/slack",
        "\"Bearer ${SLACK_TOKEN}\"",
        "\"${SLACK_USER}:${SLACK_PASSWORD}\"",
        "\"\"",
    ] {
        assert_eq!(sec005(reference), Vec::<String>::new(), "{reference}");
    }
}

#[test]
fn a_tagged_secret_is_not_dropped() {
    // `!!null` would make the value vanish, and its secret with it, unseen.
    let text = format!(
        "apiVersion: cowork-policy/v1\norgs: [{{name: acme}}]\nidentityProviders:\n  - name: okta\n    kind: okta\n    protocol: saml\n    scimToken: !!null {LEAK}\n"
    );
    let errors = cowork_policy::load_sources([("idp.yaml", text.as_str())]).unwrap_err();
    let seen: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
    assert_eq!(
        seen,
        [
            "idp.yaml:7:16: the secret `scimToken` carries the tag `!!null`: expected a plain reference such as `${NAME}` or `secret:path`"
        ]
    );
    for (name, output) in load_error_outputs(&errors) {
        assert_no_secret(name, &output, &[LEAK]);
    }
}
