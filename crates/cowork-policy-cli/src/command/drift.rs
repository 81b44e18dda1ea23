//! `cowork-policy drift [PATH] --live DIR`: compare the policy with a snapshot of the live org
//! (written by `cowork-policy pull`) and report what differs as findings (DRIFT001...), with
//! every option of `check`: the formats, `--output-file`, `--fail-level`, baselines and the exit
//! codes (0 nothing fails, 1 findings fail, 2 the policy or the snapshot cannot be read or the
//! command line is wrong).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ArgMatches;
use cowork_policy::live::Snapshot;

use super::check::{self, Usage};

#[derive(Debug, clap::Args)]
#[group(id = "drift_args")]
pub(crate) struct Args {
    /// The snapshot folder of the live org, as `cowork-policy pull --out DIR` wrote it.
    #[arg(long, value_name = "DIR")]
    live: PathBuf,
    /// The policy's org the snapshot is of. Default: its first org without a parent.
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    #[command(flatten)]
    check: check::Args,
}

pub(crate) fn run(args: &Args, matches: Option<&ArgMatches>) -> Result<ExitCode, Usage> {
    let snapshot = match Snapshot::read_dir(&args.live) {
        Ok(snapshot) => snapshot,
        Err(error) => {
            let message = format!(
                "error: cannot read the snapshot `{}`: {error}",
                args.live.display()
            );
            eprintln!("{}", cowork_policy::render::sanitize(&message));
            return Ok(ExitCode::from(2));
        }
    };
    check::run_against(&args.check, matches, Some((&snapshot, args.org.as_deref())))
}
