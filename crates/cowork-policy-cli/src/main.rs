//! `cowork-policy`: check a Claude Cowork policy repo from a terminal, a pre-commit hook or CI.
//!
//! Thin by design: each subcommand in `command/` maps its arguments to one library call and an
//! exit code. Exit codes: 0 nothing at or above the fail level, 1 findings that fail, 2 the policy
//! could not be loaded or the command line was wrong.

/// mimalloc rather than the system's allocator: a large export is millions of small strings
/// and vectors made and freed (about a third faster to load, docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod command;
mod git;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Validate a Claude Cowork rollout kept as code.
#[derive(Debug, Parser)]
#[command(name = "cowork-policy", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load a policy repo and report every finding.
    Check(command::check::Args),
    /// Compare a policy repo with a snapshot of the live org and report the drift.
    Drift(command::drift::Args),
    /// Write a baseline of the current findings, for `check --baseline`.
    Baseline(command::baseline::Args),
    /// Show the effective settings for checking PATH, and where each came from.
    Config(command::config::Args),
    /// List every rule.
    Rules(command::rules::Args),
    /// Who gets what, and why: a user's (or a group's) access, or the whole table.
    Access(command::access::Args),
    /// What a change does to effective access: a semantic diff of two policies.
    Diff(command::diff::Args),
    /// Explain one rule, by code (IDP001) or name (nested-idp-group), or a managed-settings key.
    Explain(command::explain::Args),
    /// Draw the rollout dependency graph or the group structure, as Graphviz DOT or Mermaid.
    Graph(command::graph::Args),
    /// Print an identity provider's export (scim, msgraph, okta, google, gam) as policy YAML.
    Import(command::import::Args),
    /// Compile the desktop app's managed settings (MDM profile, .reg, JSON), or check existing ones.
    ManagedSettings(command::managed_settings::Args),
    /// Print the JSON Schema of a policy document, or of `cowork-policy.toml`.
    Schema(command::schema::Args),
    /// Write a synthetic org of N users, for benchmarks (see docs/performance.md).
    Synth(command::synth::Args),
    /// Read the live org from the Admin and Compliance APIs into a snapshot folder.
    #[cfg(feature = "pull")]
    Pull(command::pull::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(command::completions::Args),
}

/// The exit code of a command line clap refused (2), or of `--help` and `--version` (0).
fn clap_exit(error: &clap::Error) -> ExitCode {
    let _ = error.print();
    if error.use_stderr() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let mut cli_command = Cli::command();
    let matches = match cli_command.try_get_matches_from_mut(std::env::args_os()) {
        Ok(matches) => matches,
        Err(error) => return clap_exit(&error),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return clap_exit(&error.format(&mut cli_command)),
    };
    match cli.command {
        Command::Check(args) => {
            match command::check::run(&args, matches.subcommand_matches("check")) {
                Ok(code) => code,
                Err(command::check::Usage(message)) => {
                    let message = cowork_policy::render::sanitize(&message).into_owned();
                    let check = cli_command.find_subcommand_mut("check");
                    let error = match check {
                        Some(check) => check.error(ErrorKind::ArgumentConflict, message),
                        None => cli_command.error(ErrorKind::ArgumentConflict, message),
                    };
                    clap_exit(&error)
                }
            }
        }
        Command::Drift(args) => {
            match command::drift::run(&args, matches.subcommand_matches("drift")) {
                Ok(code) => code,
                Err(command::check::Usage(message)) => {
                    let message = cowork_policy::render::sanitize(&message).into_owned();
                    let error = match cli_command.find_subcommand_mut("drift") {
                        Some(drift) => drift.error(ErrorKind::ArgumentConflict, message),
                        None => cli_command.error(ErrorKind::ArgumentConflict, message),
                    };
                    clap_exit(&error)
                }
            }
        }
        Command::Baseline(args) => command::baseline::run(&args),
        Command::Config(args) => command::config::run(&args),
        Command::Rules(args) => command::rules::run(&args),
        Command::Access(args) => command::access::run(&args),
        Command::Diff(args) => command::diff::run(&args),
        Command::Explain(args) => command::explain::run(&args),
        Command::Graph(args) => command::graph::run(&args),
        Command::Import(args) => command::import::run(&args),
        Command::ManagedSettings(args) => command::managed_settings::run(&args),
        Command::Schema(args) => command::schema::run(&args),
        Command::Synth(args) => command::synth::run(&args),
        #[cfg(feature = "pull")]
        Command::Pull(args) => command::pull::run(&args),
        Command::Completions(args) => command::completions::run(&args, &mut cli_command),
    }
}
