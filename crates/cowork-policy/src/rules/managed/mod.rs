//! The managed files admins ship to the desktop app (a `.mobileconfig`, a `.reg` export, the
//! Linux JSON file), checked against the key reference. These rules have no check function:
//! `crate::managed::check_file` reports their findings, in the file it reads, and `check_with`
//! those of the Claude Code `managed-settings.json` a policy carries.

pub(crate) mod differs_from_policy;
pub(crate) mod hkcu_policy_ignored;
pub(crate) mod invalid_default_mode;
pub(crate) mod managed_value_invalid;
pub(crate) mod marketplaces_locked_down;
pub(crate) mod native_structure;
pub(crate) mod unknown_managed_key;
pub(crate) mod unreadable_value_type;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &native_structure::RULE,
    &unreadable_value_type::RULE,
    &unknown_managed_key::RULE,
    &managed_value_invalid::RULE,
    &hkcu_policy_ignored::RULE,
    &marketplaces_locked_down::RULE,
    &invalid_default_mode::RULE,
    &differs_from_policy::RULE,
];
