//! The launch plan: checklist, communications and success metrics.

pub(crate) mod comms_too_late;
pub(crate) mod install_comms_missing;
pub(crate) mod launch_day_comms_missing;
pub(crate) mod prelaunch_checklist_incomplete;
pub(crate) mod success_metrics_missing;

use crate::rules::Rule;

/// This area's rules, in any order: the registry sorts them by code.
pub(crate) static RULES: &[&Rule] = &[
    &prelaunch_checklist_incomplete::RULE,
    &comms_too_late::RULE,
    &success_metrics_missing::RULE,
    &install_comms_missing::RULE,
    &launch_day_comms_missing::RULE,
];
