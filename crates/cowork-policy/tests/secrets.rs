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
