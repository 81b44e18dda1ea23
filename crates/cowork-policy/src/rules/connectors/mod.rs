//! Connectors: the two-gate model, owners, and when they go live.

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[];
