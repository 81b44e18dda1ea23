//! `cowork-policy access [PATH] USER`, `--group NAME`, `--all`: who gets what, and why.
//!
//! One user's orgs, groups, entitlements and spend limit with the line that decides each; a
//! group's members in aggregate; or the whole effective-access table as CSV or JSON, streamed.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::render;
use cowork_policy::{
    CheckOptions,
    access::{EffectiveAccess, Unknown},
};

use super::print;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").args(["group", "all"])))]
pub(crate) struct Args {
    /// `[PATH] USER`: the policy repo (default `.`) and the user's email. With `--group` or
    /// `--all`, only PATH.
    #[arg(value_name = "PATH_OR_USER", num_args = 0..=2)]
    targets: Vec<String>,
    /// Explain a group's members in aggregate instead of one user.
    #[arg(long, value_name = "NAME")]
    group: Option<String>,
    /// Write the whole effective-access table: a row per user per org.
    #[arg(long)]
    all: bool,
    /// Output format: `text` and `json` for a user or group; `csv` and `json` for `--all`.
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text with `file:line:column` of each deciding line.
    Text,
    /// A versioned JSON document (docs/access.md).
    Json,
    /// CSV, one row per user per org (only with `--all`).
    Csv,
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {}", render::sanitize(message));
    ExitCode::from(2)
}

pub(crate) fn unknown(error: &Unknown) -> ExitCode {
    // The name typed and the nearest name in the policy are shown, never obeyed.
    let shown = render::sanitize(&error.to_string()).into_owned();
    match &error.did_you_mean {
        Some(near) => eprintln!(
            "error: {shown}\n  help: did you mean `{}`?",
            render::sanitize(near)
        ),
        None if error.kind == "user" => {
            eprintln!("error: {shown}\n  help: users are listed by email under a group's `members`")
        }
        None => eprintln!("error: {shown}"),
    }
    ExitCode::from(2)
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let whole = args.group.is_some() || args.all;
    let (path, user) = match (whole, args.targets.as_slice()) {
        (true, []) => (".", None),
        (true, [path]) => (path.as_str(), None),
        (true, _) => {
            return usage("`--group` and `--all` take only a PATH, not a user");
        }
        (false, [user]) => (".", Some(user.as_str())),
        (false, [path, user]) => (path.as_str(), Some(user.as_str())),
        (false, _) => {
            return usage("name a user by email, a `--group NAME`, or `--all`");
        }
    };
    let format = args
        .format
        .unwrap_or(if args.all { Format::Csv } else { Format::Text });
    if format == Format::Csv && !args.all {
        return usage("`--format csv` writes the whole table: use it with `--all`");
    }
    if format == Format::Text && args.all {
        return usage("`--all` writes `csv` or `json`");
    }
    let path = PathBuf::from(path);
    let loaded = args
        .config
        .resolve(&path)
        .and_then(|config| Ok((cowork_policy::load_dir_with(&path, &config)?, config)));
    let (policy, config) = match loaded {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprint!(
                "{}",
                render::human_load_errors(&errors, &render::HumanOptions::new(false))
            );
            return ExitCode::from(2);
        }
    };
    let access = EffectiveAccess::new(&policy, &CheckOptions::default().config(config));
    if args.all {
        let table = access.table();
        let stdout = std::io::stdout().lock();
        let mut out = BufWriter::with_capacity(1 << 16, stdout);
        let written = match format {
            Format::Json => render::access_table_json(&table, &mut out),
            _ => render::access_csv(&table, &mut out),
        }
        .and_then(|()| out.flush());
        return match written {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`| head`) is not an error.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => usage(&format!("could not write the table: {e}")),
        };
    }
    let text = match (&args.group, user) {
        (Some(group), _) => match access.group(group) {
            Ok(e) if format == Format::Json => render::group_json(&e),
            Ok(e) => render::group_human(&e),
            Err(error) => return unknown(&error),
        },
        (None, Some(user)) => match access.user(user) {
            Ok(e) if format == Format::Json => render::access_json(&e),
            Ok(e) => render::access_human(&e),
            Err(error) => return unknown(&error),
        },
        (None, None) => return usage("name a user by email, a `--group NAME`, or `--all`"),
    };
    print(&text);
    ExitCode::SUCCESS
}
