//! `cowork-policy check [PATH]`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::Severity;
use cowork_policy::render::{self, HumanOptions};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// When to use colour. `auto` honours NO_COLOR and whether stdout is a terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also fail on findings of this severity (errors always fail).
    #[arg(long, value_enum)]
    deny: Option<Deny>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Findings with source lines, like rustc.
    Human,
    /// The versioned JSON of docs/json-format.md.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub(crate) fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
            }
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Deny {
    /// Warnings fail the check too.
    Warnings,
    /// Warnings and infos fail the check.
    Infos,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let options = HumanOptions::new(args.color.enabled());
    let policy = match cowork_policy::load_dir(&args.path) {
        Ok(policy) => policy,
        Err(errors) => {
            match args.format {
                Format::Human => eprint!("{}", render::human_load_errors(&errors, &options)),
                Format::Json => print(&render::json_load_errors(&errors)),
            }
            return ExitCode::from(2);
        }
    };
    let report = cowork_policy::check(&policy);
    match args.format {
        Format::Human => print(&render::human(&report, &policy, &options)),
        Format::Json => print(&render::json(&report)),
    }
    let fail_level = match args.deny {
        None => Severity::Error,
        Some(Deny::Warnings) => Severity::Warning,
        Some(Deny::Infos) => Severity::Info,
    };
    if report.fails_at(fail_level) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
