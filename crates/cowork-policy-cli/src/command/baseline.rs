//! `cowork-policy baseline [PATH]`: write the current findings to a baseline file, so that
//! `check --baseline FILE` reports only findings that are not in it.
//!
//! The baseline is checked with the same config and flags as `check`, and replaces the file.
//! Its default place is `cowork-policy-baseline.json` in the config file's folder, else in
//! PATH (the folder of PATH, for a file), so it sits beside what it belongs to.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use cowork_policy::render::{self, HumanOptions};
use cowork_policy::{CheckOptions, baseline::Baseline};

use super::print;

/// The file name of a baseline when `--output` does not give one.
const DEFAULT_FILE_NAME: &str = "cowork-policy-baseline.json";

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Write the baseline to FILE. Default: cowork-policy-baseline.json beside the config
    /// file, else in PATH.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Check as of this day (YYYY-MM-DD) instead of today, as `check --today` does.
    #[arg(long, value_name = "DATE", value_parser = super::check::parse_date)]
    today: Option<cowork_policy::Date>,
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

/// `path` with `.` and `a/..` taken out, for showing it: `policies/acme/../../x` is `x`.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let loaded = args.config.resolve(&args.path).and_then(|config| {
        let policy = cowork_policy::load_dir_with(&args.path, &config)?;
        Ok((policy, config))
    });
    let (policy, config) = match loaded {
        Ok(loaded) => loaded,
        Err(errors) => {
            let color = super::auto_color(&std::io::stderr());
            eprint!(
                "{}",
                render::human_load_errors(&errors, &HumanOptions::new(color))
            );
            return ExitCode::from(2);
        }
    };
    let file = match &args.output {
        Some(file) => file.clone(),
        None => {
            let dir = args
                .config
                .config_dir(&args.path, &config)
                .unwrap_or_else(|| super::config::checked_dir(&args.path).to_path_buf());
            tidy(&dir.join(DEFAULT_FILE_NAME))
        }
    };
    let mut options = CheckOptions::default().config(config);
    if let Some(today) = args.today {
        options = options.today(today);
    }
    let report = cowork_policy::check_with(&policy, &options);
    let baseline = Baseline::from_report(&report);
    if let Err(error) = std::fs::write(&file, baseline.to_json()) {
        eprintln!("error: could not write `{}`: {error}", file.display());
        return ExitCode::from(2);
    }
    let count = baseline.entries().len();
    print(&format!(
        "wrote a baseline of {} to {}\n",
        if count == 1 {
            "1 finding".to_string()
        } else {
            format!("{count} findings")
        },
        file.display()
    ));
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::tidy;

    #[test]
    fn paths_are_tidied_for_showing() {
        assert_eq!(
            tidy(Path::new("policies/acme/../../x.json")),
            Path::new("x.json")
        );
        assert_eq!(tidy(Path::new("./a/./b.json")), Path::new("a/b.json"));
        assert_eq!(tidy(Path::new("../x.json")), Path::new("../x.json"));
        assert_eq!(tidy(Path::new("a/..")), Path::new("."));
    }
}
