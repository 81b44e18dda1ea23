//! One module per subcommand.

pub(crate) mod access;
pub(crate) mod baseline;
pub(crate) mod check;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod graph;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod synth;

use std::io::Write;

/// Print to stdout, ignoring a closed pipe (`cowork-policy rules | head`).
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
