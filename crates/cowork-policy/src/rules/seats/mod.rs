//! Seats against the users SCIM will try to provision.

pub(crate) mod seat_headroom;
pub(crate) mod seats_below_scim_target;
