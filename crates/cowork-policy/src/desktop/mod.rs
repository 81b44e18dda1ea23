//! The desktop app's managed settings as plain data (floor 0): the key reference (`keys`) and
//! the one reading of the policy into settings (`settings`). The rules that judge the same
//! sections (SEC001 to SEC003, OBS001 to OBS005) read them here, and `managed` (floor 5)
//! compiles and checks files from them, so the two cannot disagree. The public names are
//! re-exported by `managed`.

pub(crate) mod keys;
pub(crate) mod settings;
