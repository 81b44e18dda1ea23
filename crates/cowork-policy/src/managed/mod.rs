//! The desktop app's managed settings (MDM): the key reference, the policy compiled into the file
//! an MDM deploys, and the files admins already ship checked against the reference.
//!
//! ```
//! use cowork_policy::managed::{self, Format, Platform};
//! let policy = cowork_policy::load_sources([(
//!     "policy.yaml",
//!     "apiVersion: cowork-policy/v1
//! orgs:
//!   - name: acme
//!     plan: enterprise
//! security:
//!   egressAllowlist: [github.com, \"*.acme.com\"]
//! ",
//! )])?;
//! let profile = managed::compile(&policy, None, Platform::Macos, Format::Mobileconfig)?;
//! let checked = managed::check_file("acme.mobileconfig", profile.as_bytes())?;
//! assert!(checked.report.findings.is_empty());
//! assert_eq!(managed::key("isDxtEnabled").map(|k| k.name), Some("isDesktopExtensionEnabled"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Floors: the key reference and the reading of the policy into settings live in the floor-0
//! `desktop` module (the rules SEC001 to SEC003 and OBS001 to OBS005 read them there too, so
//! the file and the rules cannot disagree), `read` is a reader (floor 1, a sibling of `load`,
//! knowing file formats and no keys), `compile` writes files from floor-0 data, and `check` turns a file (and the policy's settings) into findings of the
//! `managed` rules, SEC005 and OBS003 (floor 5, a stage beside the pipeline, as `waiver` is).
//! So the module as a whole sits on floor 5; nothing below imports it.

mod check;
mod compile;
mod read;

pub use crate::desktop::keys::{
    CLAUDE_CODE_DEFAULT_MODES, Constraint, Key, Kind, LINUX_PATH, MACOS_DOMAIN, PLATFORMS,
    WINDOWS_KEY, constraint_text, explain, key, keys,
};
pub use crate::desktop::settings::{Setting, Value};
pub(crate) use check::carried_findings;
pub use check::{Checked, check_file, check_file_against};
pub use compile::{CompileError, Format, Platform, compile, compile_each};

/// Whether a finding of the policy's check bears on the profile [`compile()`] writes or on how
/// it reaches laptops: the rules of the sections the profile is compiled from (security,
/// including inline secrets, and observability) and of the desktop deployment (the Windows
/// installer, versions). `cowork-policy managed-settings` shows these beside the file it writes,
/// so a profile is never compiled from a section with an error without saying so.
pub fn bears_on_profile(finding: &crate::diagnostic::Finding) -> bool {
    use crate::rules::Area;
    crate::rules::find(finding.code).is_some_and(|rule| {
        matches!(
            rule.area,
            Area::Security | Area::Observability | Area::Deployment
        )
    })
}

/// The desktop settings the policy decides for the org called `org` (or its only org): what
/// [`compile()`] writes. `None` when no such org.
pub fn desktop_settings(policy: &crate::model::Policy, org: Option<&str>) -> Option<Vec<Setting>> {
    let id = match org {
        Some(name) => policy
            .org_ids()
            .find(|&id| policy.org(id).name.value == name)?,
        None if policy.orgs.len() == 1 => crate::model::OrgId(0),
        None => return None,
    };
    Some(crate::desktop::settings::desktop_settings(policy, id))
}
