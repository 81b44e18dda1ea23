//! `cowork-policy`: check a Claude Cowork policy repo from a terminal, a pre-commit hook or CI.
//!
//! Thin by design: each subcommand in `command/` maps its arguments to one library call and an
//! exit code. Exit codes: 0 nothing at or above the fail level, 1 findings that fail, 2 the policy
//! could not be loaded or the command line was wrong.

mod command;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Show the effective settings for checking PATH, and where each came from.
    Config(command::config::Args),
    /// List every rule.
    Rules(command::rules::Args),
    /// Explain one rule, by code (IDP001) or name (nested-idp-group).
    Explain(command::explain::Args),
    /// Print the JSON Schema of a policy document.
    Schema,
    /// Write a synthetic org of N users, for benchmarks (see docs/performance.md).
    Synth(command::synth::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(args) => command::check::run(&args),
        Command::Config(args) => command::config::run(&args),
        Command::Rules(args) => command::rules::run(&args),
        Command::Explain(args) => command::explain::run(&args),
        Command::Schema => command::schema::run(),
        Command::Synth(args) => command::synth::run(&args),
    }
}
