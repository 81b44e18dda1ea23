//! The semantic diff (`diff`, `diff_with`) and its three renderers: snapshots of the text, JSON
//! and Markdown diff between `fixtures/diff/base` and `fixtures/diff/head`, the diff of every
//! example with itself (empty), and the Markdown example in `docs/diff.md` kept up to date
//! (`UPDATE_DOCS=1 cargo test -p cowork-policy --test diff` rewrites it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

mod common;

use cowork_policy::policy::Entitlement;
use cowork_policy::render::{diff_human, diff_json, diff_markdown};
use cowork_policy::{
    CheckOptions, Date, Policy,
    diff::{AccessDiff, Direction, diff_with},
};

fn load(relative: &str) -> Policy {
    cowork_policy::load_dir(common::root().join(relative)).unwrap()
}

fn options() -> CheckOptions {
    CheckOptions::default().today(Date::parse(common::TODAY).unwrap())
}

fn fixture_diff() -> AccessDiff {
    diff_with(
        &load("fixtures/diff/base"),
        &load("fixtures/diff/head"),
        &options(),
        &options(),
    )
}

#[test]
fn the_fixture_diff_sees_every_kind_of_change() {
    let diff = fixture_diff();
    assert_eq!(diff.users(Entitlement::Cowork, Direction::Gained), 41);
    assert_eq!(diff.users(Entitlement::Cowork, Direction::Lost), 0);
    assert_eq!(diff.limit_users(true), 6);
    assert_eq!(diff.limit_users(false), 48);
    let seats = &diff.seats[0];
    assert_eq!(
        (seats.seats_before, seats.seats_after, seats.scim_after),
        (Some(350), Some(310), Some(300))
    );
    assert_eq!(diff.connectors.len(), 1);
    assert_eq!(diff.plugins.len(), 1);
    assert_eq!(diff.enforcement.len(), 1);
    assert_eq!(diff.steps.len(), 2);
    assert_eq!(diff.findings_introduced.len(), 4);
    // The other way round, gains are losses and the findings are fixed.
    let back = diff_with(
        &load("fixtures/diff/head"),
        &load("fixtures/diff/base"),
        &options(),
        &options(),
    );
    assert_eq!(back.users(Entitlement::Cowork, Direction::Lost), 41);
    assert_eq!(back.findings_fixed.len(), 4);
}

#[test]
fn every_example_diffed_with_itself_is_empty() {
    for dir in common::example_dirs() {
        let policy = cowork_policy::load_dir(&dir).unwrap();
        let diff = cowork_policy::diff::diff(&policy, &policy);
        assert!(diff.is_empty(), "{}: {diff:#?}", dir.display());
        assert_eq!(
            diff_human(&diff),
            "no change in effective access\n",
            "{}",
            dir.display()
        );
    }
}

#[test]
fn snapshots() {
    let diff = fixture_diff();
    insta::assert_snapshot!("fixture_diff_human", diff_human(&diff));
    insta::assert_snapshot!("fixture_diff_json", diff_json(&diff));
    insta::assert_snapshot!("fixture_diff_markdown", diff_markdown(&diff));
}

#[test]
fn docs_example_is_up_to_date() {
    let path = common::root().join("docs/diff.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (open, close) = (
        "<!-- generated: fixtures/diff markdown -->\n",
        "<!-- end generated -->\n",
    );
    let start = text
        .find(open)
        .expect("docs/diff.md has no generated marker")
        + open.len();
    let end = start
        + text[start..]
            .find(close)
            .expect("docs/diff.md: unclosed block");
    let updated = format!(
        "{}{}{}",
        &text[..start],
        diff_markdown(&fixture_diff()),
        &text[end..]
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &updated).unwrap();
        return;
    }
    assert!(
        text == updated,
        "docs/diff.md is out of date: run `UPDATE_DOCS=1 cargo test -p cowork-policy --test diff`"
    );
}
