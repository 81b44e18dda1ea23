//! Deploying the desktop app and verifying it.

pub(crate) mod deployment_unverified;
pub(crate) mod fleet_os_minimum_unrecorded;
pub(crate) mod install_method_undecided;
pub(crate) mod unsupported_platform;
pub(crate) mod windows_exe_installer;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &windows_exe_installer::RULE,
    &unsupported_platform::RULE,
    &deployment_unverified::RULE,
    &fleet_os_minimum_unrecorded::RULE,
    &install_method_undecided::RULE,
];
