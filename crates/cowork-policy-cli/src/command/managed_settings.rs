//! `cowork-policy managed-settings [PATH] --platform P --format F [--org NAME]`: compile the
//! policy into the file an MDM deploys; `--check FILE...`: check the managed files admins
//! already ship (`docs/managed-settings.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::managed::{self, Format as OutFormat, Platform as OutPlatform};
use cowork_policy::render::{self, HumanOptions};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The platform whose MDM deploys the file.
    #[arg(long, value_enum, required_unless_present = "check")]
    platform: Option<Platform>,
    /// The file format: `mobileconfig` (macOS), `reg` (Windows), `json` (Linux).
    #[arg(long, value_enum, required_unless_present = "check")]
    format: Option<Format>,
    /// The org to compile, when the policy has several.
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    /// Write the file here instead of to standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Check these managed files (`.mobileconfig`, `.plist`, `.reg`, `.json`) instead of
    /// compiling.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["platform", "format", "output"])]
    check: Vec<PathBuf>,
    /// With `--check`: also compare each file with what the policy at PATH decides for the org
    /// (`--org` when it has several).
    #[arg(long, requires = "check")]
    compare: bool,
    /// The config that chooses the rules whose findings are shown beside a compiled file.
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Platform {
    Macos,
    Windows,
    Linux,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Mobileconfig,
    Reg,
    Json,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let load = || match args
        .config
        .resolve(&args.path)
        .and_then(|config| Ok((cowork_policy::load_dir_with(&args.path, &config)?, config)))
    {
        Ok(loaded) => Ok(loaded),
        Err(errors) => {
            let color = super::auto_color(&std::io::stderr());
            eprint!(
                "{}",
                render::human_load_errors(&errors, &HumanOptions::new(color))
            );
            Err(ExitCode::from(2))
        }
    };
    if !args.check.is_empty() {
        let expected = if args.compare {
            let policy = match load() {
                Ok((policy, _)) => policy,
                Err(code) => return code,
            };
            match managed::desktop_settings(&policy, args.org.as_deref()) {
                Some(settings) => Some(settings),
                None => {
                    eprintln!(
                        "error: {}",
                        render::sanitize(&match &args.org {
                            Some(org) => format!("no org is called `{org}`"),
                            None => "the policy has several orgs, or none: name one with `--org`"
                                .to_string(),
                        })
                    );
                    return ExitCode::from(2);
                }
            }
        } else {
            None
        };
        return check(&args.check, expected.as_deref());
    }
    let (Some(platform), Some(format)) = (args.platform, args.format) else {
        eprintln!("error: `--platform` and `--format` are required");
        return ExitCode::from(2);
    };
    let (policy, config) = match load() {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let platform = match platform {
        Platform::Macos => OutPlatform::Macos,
        Platform::Windows => OutPlatform::Windows,
        Platform::Linux => OutPlatform::Linux,
    };
    let format = match format {
        Format::Mobileconfig => OutFormat::Mobileconfig,
        Format::Reg => OutFormat::Reg,
        Format::Json => OutFormat::Json,
    };
    let text = match managed::compile(&policy, args.org.as_deref(), platform, format) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: {}", render::sanitize(&error.to_string()));
            return ExitCode::from(2);
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(error) = std::fs::write(path, text) {
                eprintln!(
                    "error: cannot write {}: {error}",
                    render::sanitize(&path.display().to_string())
                );
                return ExitCode::from(2);
            }
        }
        None => print(&text),
    }
    // The policy's findings about what the profile carries and how it is deployed, on stderr
    // beside the file: the profile is what the policy says, mistakes included.
    // With the config `check` would use: its selection and severities (and waivers) apply.
    let report = cowork_policy::check_with(
        &policy,
        &cowork_policy::CheckOptions::default().config(config),
    );
    let about: Vec<_> = report
        .findings
        .iter()
        .filter(|f| managed::bears_on_profile(f))
        .collect();
    if !about.is_empty() {
        let (count, verb) = match about.len() {
            1 => ("1 finding".to_string(), "bears"),
            n => (format!("{n} findings"), "bear"),
        };
        eprintln!(
            "note: {count} of the policy {verb} on this profile or its deployment (`cowork-policy check` shows them all):"
        );
        let shown = cowork_policy::Report {
            findings: about.into_iter().cloned().collect(),
            ..cowork_policy::Report::default()
        };
        for line in render::concise(
            &shown,
            &render::CiOptions::new().path_prefix(&args.path.display().to_string()),
        )
        .lines()
        {
            if !line.starts_with("found ") {
                eprintln!("{line}");
            }
        }
    }
    ExitCode::SUCCESS
}

fn check(files: &[PathBuf], expected: Option<&[managed::Setting]>) -> ExitCode {
    let color = super::auto_color(&std::io::stdout());
    let mut failed = false;
    for path in files {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", render::sanitize(&name));
                return ExitCode::from(2);
            }
        };
        let checked = match expected {
            Some(expected) => managed::check_file_against(&name, &bytes, expected),
            None => managed::check_file(&name, &bytes),
        };
        match checked {
            Ok(checked) => {
                failed |= checked.report.fails_at(cowork_policy::Severity::Error);
                print(&render::human(
                    &checked.report,
                    &checked.source,
                    &HumanOptions::new(color),
                ));
            }
            Err(errors) => {
                eprint!(
                    "{}",
                    render::human_load_errors(&errors, &HumanOptions::new(color))
                );
                return ExitCode::from(2);
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
