//! Spend limits, where the most restrictive limit across a user's groups wins.

pub(crate) mod limit_narrowed_by_other_group;
pub(crate) mod zero_effective_limit;
