//! `cowork-policy schema`: the JSON Schema of a policy document, or with `--config` of
//! `cowork-policy.toml`, for editors (docs/editors.md).

use std::process::ExitCode;

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the schema of `cowork-policy.toml` instead (docs/config.schema.json).
    #[arg(long)]
    config: bool,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if args.config {
        print(&cowork_policy::config::Config::schema());
    } else {
        print(&cowork_policy::schema());
    }
    ExitCode::SUCCESS
}
