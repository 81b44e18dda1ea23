//! `cowork-policy config [PATH]`: the effective settings for checking PATH, and where each came
//! from (a default, the config file at a line, or a flag).
//!
//! [`ConfigArgs`] are the flags that choose and override the config; `check` takes the same ones,
//! so `config` shows what a `check` with those flags would use.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::render::{self, HumanOptions};
use cowork_policy::{
    LoadErrors, Severity,
    config::{Config, Overrides, SettingSource},
};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file: the search for cowork-policy.toml starts
    /// in its folder and goes up.
    #[arg(default_value = ".")]
    path: PathBuf,
    #[command(flatten)]
    config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// One line of TOML per setting, with its source as a comment.
    Text,
    /// A JSON document, for tools.
    Json,
}

/// The flags that choose the config file and override its settings. Each flag replaces the
/// file's value for its key.
#[derive(Debug, clap::Args)]
pub(crate) struct ConfigArgs {
    /// Read this config file instead of searching for cowork-policy.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no config file: defaults and flags only.
    #[arg(long)]
    no_config: bool,
    /// Run only these rules: codes, code prefixes or names, comma-separated (IDP,SEAT001).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Do not run these rules: codes, code prefixes or names, comma-separated.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Option<Vec<String>>,
    /// The lowest severity that fails the check.
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_level: Option<Level>,
    /// The platform profile to check against (rollout-guide, admin-docs-2026).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    /// Errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Every finding fails.
    Info,
}

/// The folder that holds `path`: `path` itself for a folder, its parent for a file.
pub(crate) fn checked_dir(path: &Path) -> &Path {
    if path.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        path
    }
}

impl ConfigArgs {
    /// The folder of the config file that `config` (resolved for `path`) was read from, as a
    /// path from the current folder; `None` when no file was read.
    pub(crate) fn config_dir(&self, path: &Path, config: &Config) -> Option<PathBuf> {
        if self.no_config {
            return None;
        }
        let file = match &self.config {
            Some(file) => file.clone(),
            // A discovered config is shown relative to the checked folder.
            None => checked_dir(path).join(config.file()?),
        };
        Some(match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        })
    }

    /// The config for checking `path`: the file given, found or none, then the flags.
    pub(crate) fn resolve(&self, path: &Path) -> Result<Config, LoadErrors> {
        let config = if self.no_config {
            Config::default()
        } else if let Some(file) = &self.config {
            Config::load(file)?
        } else {
            Config::discover(path)?
        };
        let mut overrides = Overrides::default();
        if let Some(profile) = &self.profile {
            overrides = overrides.profile(profile.clone());
        }
        if let Some(level) = self.fail_level {
            overrides = overrides.fail_level(match level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info => Severity::Info,
            });
        }
        if let Some(select) = &self.select {
            overrides = overrides.select(select.iter().cloned());
        }
        if let Some(ignore) = &self.ignore {
            overrides = overrides.ignore(ignore.iter().cloned());
        }
        config.with_overrides(&overrides)
    }
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let config = match args.config.resolve(&args.path) {
        Ok(config) => config,
        Err(errors) => {
            match args.format {
                Format::Text => {
                    let color = super::auto_color(&std::io::stderr());
                    eprint!(
                        "{}",
                        render::human_load_errors(&errors, &HumanOptions::new(color))
                    );
                }
                Format::Json => print(&render::json_load_errors(&errors)),
            }
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Text => print(&text(&config)),
        Format::Json => print(&json(&config)),
    }
    ExitCode::SUCCESS
}

/// `key = value  # source`, the comments aligned.
fn text(config: &Config) -> String {
    let settings = config.settings();
    let lines: Vec<(String, String)> = settings
        .iter()
        .map(|s| (format!("{} = {}", s.key, s.value), s.source.to_string()))
        .collect();
    let width = lines
        .iter()
        .map(|(line, _)| line.chars().count())
        .filter(|&w| w <= 48)
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "# config: {}\n",
        config.file().unwrap_or("none (defaults and flags only)")
    );
    for (line, source) in lines {
        let pad = width.saturating_sub(line.chars().count());
        out.push_str(&format!("{line}{:pad$}  # {source}\n", ""));
    }
    out
}

fn json(config: &Config) -> String {
    let settings: Vec<serde_json::Value> = config
        .settings()
        .into_iter()
        .map(|s| {
            let source = match &s.source {
                SettingSource::File(location) => serde_json::json!({
                    "kind": "file",
                    "location": {
                        "file": location.file,
                        "line": location.line,
                        "column": location.column,
                        "endLine": location.end_line,
                        "endColumn": location.end_column,
                    },
                }),
                SettingSource::Flag(flag) => serde_json::json!({"kind": "flag", "flag": flag}),
                _ => serde_json::json!({"kind": "default"}),
            };
            serde_json::json!({"key": s.key, "value": s.value, "source": source})
        })
        .collect();
    let doc = serde_json::json!({
        "version": 1,
        "config": config.file(),
        "settings": settings,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}
