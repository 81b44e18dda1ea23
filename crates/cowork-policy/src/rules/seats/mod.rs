//! Seats against the users SCIM will try to provision.

pub(crate) mod seat_headroom;
pub(crate) mod seats_below_scim_target;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[&seats_below_scim_target::RULE, &seat_headroom::RULE];
