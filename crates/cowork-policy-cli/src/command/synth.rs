//! `cowork-policy synth --users N [--seed S] [--export FORMAT] --out DIR`: write a synthetic
//! org, to benchmark with or to see what the checker says about a repo the size of a large
//! company; with `--export`, its groups as an identity provider's export instead of YAML; with
//! `--live DIR`, also a snapshot of the live org it describes, for `drift`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cowork_policy::import::Format;
use cowork_policy::synth::{self, Params};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How many users. Groups (one per 10 users), roles, spend limits and files scale with it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=400_000))]
    users: u64,
    /// The seed: the same seed writes the same files.
    #[arg(long, default_value_t = synth::DEFAULT_SEED)]
    seed: u64,
    /// Write the groups as this identity provider's export (under `groups/export/`, named by
    /// `groups/directory.yaml`) instead of YAML: scim, msgraph, okta, google or gam. The same
    /// org; Okta groups cannot nest, so the okta export leaves the nesting out.
    #[arg(long, value_name = "FORMAT", value_parser = ["scim", "msgraph", "okta", "google", "gam"])]
    export: Option<String>,
    /// The directory to write into. Created if missing; it must be empty.
    #[arg(long)]
    out: PathBuf,
    /// Also write a snapshot of the live org the policy describes, as `pull` writes one, into
    /// this directory (created if missing; it must be empty), for `drift --live DIR`.
    #[arg(long, value_name = "DIR")]
    live: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let params = Params {
        seed: args.seed,
        ..Params::for_users(args.users as usize)
    };
    let format = match args.export.as_deref().map(str::parse::<Format>).transpose() {
        Ok(format) => format,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(live) = &args.live
        && let Err(message) =
            empty(live).and_then(|()| write_files(live, synth::generate_live(&params)))
    {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    match write(&args.out, &params, format) {
        Ok(counts) => {
            print(&format!(
                "wrote {} files to {}: {} users, {} groups ({} nested), {} memberships, {} roles, {} spend limits\n",
                counts.files,
                args.out.display(),
                counts.users,
                counts.groups,
                counts.nested_groups,
                counts.memberships,
                counts.roles,
                counts.limits
            ));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn write(out: &Path, params: &Params, format: Option<Format>) -> Result<synth::Counts, String> {
    empty(out)?;
    let (files, counts) = match format {
        Some(format) => synth::generate_export_with_counts(params, format),
        None => synth::generate_with_counts(params),
    };
    write_files(out, files)?;
    Ok(counts)
}

/// A directory that is missing or empty.
fn empty(out: &Path) -> Result<(), String> {
    let shown = out.display();
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "`{shown}` is not empty: synth writes only into a new or empty directory"
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read `{shown}`: {e}")),
    }
    Ok(())
}

fn write_files(out: &Path, files: Vec<(String, String)>) -> Result<(), String> {
    for (path, text) in files {
        let file = out.join(&path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&file, text)
            .map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
    }
    Ok(())
}
