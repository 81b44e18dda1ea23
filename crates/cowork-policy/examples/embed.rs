//! A small program embedding cowork-policy: load a policy repo, check it, and print one line per
//! finding, the way an admin bot or a provisioning job might.
//!
//! Run it with `cargo run -p cowork-policy --example embed -- policies/okta-single-org`.

use std::process::ExitCode;

use cowork_policy::Severity;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let policy = match cowork_policy::load_dir(&path) {
        Ok(policy) => policy,
        Err(errors) => {
            for error in errors.errors() {
                eprintln!("cannot load: {error}");
            }
            return ExitCode::from(2);
        }
    };
    let report = cowork_policy::check(&policy);
    for finding in &report.findings {
        println!(
            "{}: {} {} {}",
            finding.location, finding.severity, finding.code, finding.message
        );
    }
    println!(
        "{} users in {} groups; {} errors, {} warnings",
        policy.user_count(),
        policy.group_count(),
        report.count(Severity::Error),
        report.count(Severity::Warning)
    );
    if report.fails_at(Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
