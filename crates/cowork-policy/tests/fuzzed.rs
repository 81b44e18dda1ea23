//! Inputs the fuzz target (`fuzz/`, docs/fuzzing.md) found to crash, shrunk: each goes through
//! loading, checking and every renderer here, and must give the right answer, not a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly by design"
)]

use cowork_policy::render::{self, CiOptions, HumanOptions};
use cowork_policy::{LoadError, LoadErrors, load_sources};

/// Every renderer of load errors, as the fuzz target runs them.
fn render_all(errors: &LoadErrors) {
    let ci = CiOptions::new();
    for color in [false, true] {
        render::human_load_errors(errors, &HumanOptions::new(color));
    }
    render::concise_load_errors(errors, &ci);
    render::json_load_errors(errors);
    render::sarif_load_errors(errors, &ci);
    render::github_load_errors(errors, &ci);
    render::junit_load_errors(errors, &ci);
    render::gitlab_load_errors(errors, &ci);
    render::markdown_load_errors(errors, &ci);
}

/// Fuzz input `%% \n\xff\n%% \n#`: two in-memory sources with one name. Locations name files by
/// name, so every location in either was ambiguous: the human renderer took the first file's
/// text (`\u{FFFD}`, three bytes) for an error at byte 1 of the second, and panicked slicing
/// inside the character. Two sources with one name are a load error naming it.
#[test]
fn two_sources_with_one_name_are_a_load_error() {
    let errors = load_sources([("policy.yaml", "\u{FFFD}\n"), ("policy.yaml", "#")]).unwrap_err();
    render_all(&errors);
    let duplicate = errors
        .errors()
        .iter()
        .find(|e| matches!(e, LoadError::Duplicate { .. }))
        .unwrap_or_else(|| panic!("no error names the duplicate: {errors}"));
    assert_eq!(
        duplicate.to_string(),
        "policy.yaml:1:1: duplicate file `policy.yaml`: first defined at policy.yaml:1:1"
    );

    // Distinct names load as before.
    let errors = load_sources([("a.yaml", "\u{FFFD}\n"), ("b.yaml", "#")]).unwrap_err();
    render_all(&errors);
    assert!(
        errors
            .errors()
            .iter()
            .all(|e| !matches!(e, LoadError::Duplicate { .. })),
        "{errors}"
    );
}
