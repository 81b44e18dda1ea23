//! One module per subcommand.

pub(crate) mod access;
pub(crate) mod baseline;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod diff;
pub(crate) mod drift;
pub(crate) mod explain;
pub(crate) mod graph;
pub(crate) mod import;
pub(crate) mod managed_settings;
#[cfg(feature = "pull")]
pub(crate) mod pull;
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

/// Whether to colour what goes to `stream` when the command line chose nothing (`--color
/// auto`). `NO_COLOR` turns colour off; else `FORCE_COLOR` or `CLICOLOR_FORCE` turn it on; else
/// `CLICOLOR=0` turns it off; else colour goes to a terminal that supports it. Each variable
/// counts when set to a non-empty value, whatever the value (no-color.org, force-color.org).
/// `--color always` and `--color never` win over all of them, the command line being the more
/// specific choice; between the variables, a request for no colour wins, as `NO_COLOR` is
/// often set for accessibility while the force variables come with CI environments.
pub(crate) fn auto_color(stream: &impl anstream::stream::RawStream) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if set("FORCE_COLOR") {
        return true;
    }
    // NO_COLOR, CLICOLOR_FORCE, CLICOLOR and the terminal, in that order.
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}
