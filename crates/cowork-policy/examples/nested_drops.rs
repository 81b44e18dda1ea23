//! List the users each nested group drops, the way a SCIM bridge might before it syncs: only
//! direct members sync, so a user a group reaches only through `memberGroups` misses its roles
//! and spend limits, and one whom no SCIM-synced group lists directly is never provisioned.
//!
//! The groups come from the policy view (`cowork_policy::policy`); the users each drops, with
//! the nested groups they are reached through, from effective access
//! (`EffectiveAccess::group`), the same walk the rules make.
//!
//! Run it with `cargo run -p cowork-policy --example nested_drops -- policies/day-one`
//! (default: `policies/okta-single-org`).

use std::io::{self, Write};
use std::process::ExitCode;

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

/// For each group with nested groups, the users it reaches only through them, and whether
/// another SCIM-synced group lists them directly.
pub fn report(policy: &Policy, out: &mut dyn Write) -> io::Result<()> {
    let access = EffectiveAccess::new(policy, &CheckOptions::default());
    let mut nesting = 0;
    for group in policy.groups().filter(|g| g.member_groups().len() > 0) {
        nesting += 1;
        let Ok(explained) = access.group(group.name()) else {
            continue;
        };
        let dropped = &explained.nested_only;
        writeln!(
            out,
            "{} ({}): {} reached only through memberGroups",
            group.name(),
            group.location(),
            match dropped.len() {
                1 => "1 user".to_string(),
                n => format!("{n} users"),
            }
        )?;
        for member in dropped {
            let synced_by = policy
                .find_user(&member.user)
                .and_then(|user| user.groups().find(|g| g.scim() == Some(true)));
            let fate = match synced_by {
                Some(other) => format!("synced by `{}`, misses this group's roles", other.name()),
                None => "never synced".to_string(),
            };
            writeln!(
                out,
                "  {} via {}: {fate}",
                member.user,
                member.through.join(" > ")
            )?;
        }
    }
    if nesting == 0 {
        writeln!(out, "no group nests another")?;
    }
    Ok(())
}
