//! Count who has Cowork in each org, the way an admin bot might: the orgs come from the policy
//! view (`cowork_policy::policy`), who gets Cowork from effective access
//! (`EffectiveAccess::users_with`), the table the rules read.
//!
//! Run it with `cargo run -p cowork-policy --example cowork_per_org -- policies/day-one`
//! (default: `policies/okta-single-org`).

use std::collections::HashSet;
use std::io::{self, Write};
use std::process::ExitCode;

use cowork_policy::policy::{Entitlement, RbacState};
use cowork_policy::{CheckOptions, Policy, access::EffectiveAccess};

/// The policy read when no path is given.
const DEFAULT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../policies/okta-single-org"
);

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT.to_string());
    let policy = match cowork_policy::load_dir(&path) {
        Ok(policy) => policy,
        Err(errors) => {
            for error in errors.errors() {
                eprintln!("cannot load: {error}");
            }
            return ExitCode::from(2);
        }
    };
    match report(&policy, &mut io::stdout().lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cannot write: {error}");
            ExitCode::from(2)
        }
    }
}

/// One line per org: how many of the users its groups list directly get Cowork from their
/// roles, and what the org's `coworkEnabled` and `rbac` make of that today.
pub fn report(policy: &Policy, out: &mut dyn Write) -> io::Result<()> {
    let access = EffectiveAccess::new(policy, &CheckOptions::default());
    for org in policy.orgs() {
        let members: HashSet<_> = org.groups().flat_map(|g| g.members()).collect();
        let cowork = access.users_with(org, Entitlement::Cowork).count();
        // What the count means today (docs/format.md, `coworkEnabled` and `rbac`).
        let today = match org.cowork_enabled() {
            Some(true) if org.rbac() == RbacState::Enforced => {
                "RBAC is enforced, so the roles decide".to_string()
            }
            Some(true) => format!(
                "RBAC is {}, so every member has it until RBAC is enforced",
                org.rbac()
            ),
            Some(false) => "Cowork is off, so no one has it yet".to_string(),
            None => "Cowork is not recorded as on, so no one can rely on it".to_string(),
        };
        writeln!(
            out,
            "{}: roles give Cowork to {cowork} of {} members; {today}",
            org.name(),
            members.len(),
        )?;
    }
    Ok(())
}
