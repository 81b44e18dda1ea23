//! A policy file whose `apiVersion` line was deleted fails the check in every format, as a
//! pre-commit hook or a pull-request check runs it; other YAML passes, with a notice.

use super::{run, stderr, stdout, temp_dir};

#[test]
fn a_limits_file_without_its_version_line_fails_the_check() {
    let dir = temp_dir("skipped-limits");
    std::fs::write(
        dir.join("org.yaml"),
        "apiVersion: cowork-policy/v1\norgs: [{name: acme}]\ngroups: [{name: eng, members: [a@acme.com]}]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("limits.yaml"),
        "spendLimits:\n  - {name: default, amount: 40, groups: [eng]}\n",
    )
    .unwrap();
    let path = dir.to_string_lossy().to_string();
    let full = run(&["check", &path]);
    assert_eq!(full.status.code(), Some(2), "{}", stderr(&full));
    assert!(
        stderr(&full).contains("limits.yaml:1:1"),
        "{}",
        stderr(&full)
    );
    let github = run(&["check", &path, "--format", "github"]);
    assert_eq!(github.status.code(), Some(2));
    assert!(
        stdout(&github).starts_with("::error file=limits.yaml,line=1,col=1,"),
        "{}",
        stdout(&github)
    );

    // A CI file instead: the check passes, and says what it left alone.
    std::fs::write(dir.join("limits.yaml"), "stages: [test]\n").unwrap();
    let github = run(&["check", &path, "--format", "github"]);
    assert_eq!(github.status.code(), Some(0));
    assert!(
        stdout(&github).starts_with("::notice title=cowork-policy skipped 1 YAML file::"),
        "{}",
        stdout(&github)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
