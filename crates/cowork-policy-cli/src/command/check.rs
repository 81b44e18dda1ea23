//! `cowork-policy check [PATH]`: load, check, and write the report in one or more formats.
//!
//! Each `--format` may be followed by an `--output-file` that receives it; a format without one
//! goes to standard output, and at most one may. So a CI job gets annotations in its log and
//! files for other systems from one run:
//!
//! ```text
//! cowork-policy check policies/acme --format github \
//!     --format sarif --output-file results.sarif --format markdown --output-file summary.md
//! ```
//!
//! Two options report only new findings, and fail only on them. `--new-since REF` checks the
//! policy as it was at a git revision too (see `git.rs`) and keeps the findings introduced
//! since; `--baseline FILE` leaves out the findings a baseline file lists (`cowork-policy
//! baseline` writes it) and warns about its entries that no longer occur, which
//! `--update-baseline` removes from the file. The library decides which findings are new
//! (`cowork_policy::baseline::compare`, `Baseline::filter`); this module reads the files and runs git.
//!
//! `check -` reads one policy file from standard input, for editors and pipes; with
//! `--stdin-filename PATH` it is checked as `check PATH` would check that file (the same names
//! in findings, the same config), without reading PATH.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgAction, ArgMatches, ValueEnum};
use cowork_policy::render::{self, CiOptions, Compared, HumanOptions};
use cowork_policy::{CheckOptions, LoadErrors, Policy, Report, Severity, baseline::Baseline};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file; `-` reads one policy file from
    /// standard input.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Output format (default `full`). Repeat it to write several formats in one run.
    #[arg(long, value_enum, value_name = "FORMAT", action = ArgAction::Append)]
    format: Vec<Format>,
    /// Write the `--format` just before this option to FILE instead of standard output,
    /// creating its missing folders.
    #[arg(short = 'o', long, value_name = "FILE", action = ArgAction::Append)]
    output_file: Vec<PathBuf>,
    /// Print only the findings in `full` and `concise` (and only the table with
    /// `--statistics`): no summary, no waived findings, no warnings. Load errors are printed
    /// as ever, and the other formats are complete.
    #[arg(short, long)]
    quiet: bool,
    /// Exit 0 even when findings fail the check; they are still reported. A policy that does
    /// not load, or an output that cannot be written, still exits 2.
    #[arg(long)]
    exit_zero: bool,
    /// Print how many findings each rule has, in place of the findings on standard output: a
    /// table for `full` and `concise`, an array for `json`. Formats written to files are
    /// unchanged.
    #[arg(long)]
    statistics: bool,
    /// With `check -`: the path of the file read from standard input. Findings name it, and
    /// the config is found from its folder, as `check PATH` would do. Default: `<stdin>`, with
    /// the config found from the current folder.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// The policy directory relative to the repository root, put in front of file paths in
    /// every format but `full` and `json`. Default: found from the enclosing git repository.
    #[arg(long, value_name = "DIR")]
    path_prefix: Option<String>,
    /// Link each location in `markdown` output to its line under this URL, such as
    /// `https://github.com/OWNER/REPO/blob/COMMIT`.
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// When to use colour in `full` output on standard output. `auto` honours NO_COLOR, then
    /// FORCE_COLOR and CLICOLOR_FORCE, then whether stdout is a terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also fail on findings of this severity (errors always fail). Same as `--fail-level`.
    #[arg(long, value_enum, conflicts_with = "fail_level")]
    deny: Option<Deny>,
    /// Check as of this day (YYYY-MM-DD) instead of today: launch dates reached, waivers expired.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<cowork_policy::Date>,
    /// Report only the findings introduced since this git revision (a branch, tag or commit):
    /// check the policy as it was there and as it is now, and fail only on new findings.
    #[arg(long, value_name = "REF", conflicts_with = "baseline")]
    new_since: Option<String>,
    /// Leave out the findings listed in this baseline file (written by `cowork-policy
    /// baseline`), and warn about its entries that no longer occur.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// With `--baseline`: remove the entries that no longer occur from the file. Never adds any.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

pub(crate) fn parse_date(text: &str) -> Result<cowork_policy::Date, String> {
    cowork_policy::Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date: expected YYYY-MM-DD"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Findings with source lines, like rustc.
    #[value(alias = "human")]
    Full,
    /// One line per finding: `path:line:column: severity[CODE]: message`.
    Concise,
    /// The versioned JSON of docs/json-format.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// JUnit XML, a test suite per rule.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// A Markdown summary for a pull-request comment or job summary.
    Markdown,
}

impl Format {
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    }
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
            Color::Auto => super::auto_color(&std::io::stdout()),
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

/// A command line that parses but does not make sense, worded for the user.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

/// One format and where it goes: a file, or standard output.
#[derive(Debug)]
struct Output {
    format: Format,
    file: Option<PathBuf>,
}

/// Pair each `--output-file` with the `--format` just before it, by their positions on the
/// command line.
fn outputs(args: &Args, matches: Option<&ArgMatches>) -> Result<Vec<Output>, Usage> {
    let indices = |id: &str| -> Vec<usize> {
        matches
            .and_then(|m| m.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let formats: Vec<(usize, Format)> = indices("format")
        .into_iter()
        .zip(args.format.iter().copied())
        .collect();
    let files: Vec<(usize, &PathBuf)> = indices("output_file")
        .into_iter()
        .zip(&args.output_file)
        .collect();
    let mut outputs: Vec<Output> = formats
        .iter()
        .map(|&(_, format)| Output { format, file: None })
        .collect();
    if outputs.is_empty() {
        outputs.push(Output {
            format: Format::Full,
            file: None,
        });
    }
    for (index, file) in files {
        let Some(owner) = formats.iter().rposition(|&(i, _)| i < index) else {
            return Err(Usage(format!(
                "`--output-file {}` has no `--format` before it: write `--format FORMAT --output-file FILE`",
                file.display()
            )));
        };
        if let Some(first) = &outputs[owner].file {
            return Err(Usage(format!(
                "`--format {}` has two output files, `{}` and `{}`: repeat `--format` to write the same format twice",
                outputs[owner].format.name(),
                first.display(),
                file.display()
            )));
        }
        if let Some(other) = outputs.iter().find(|o| o.file.as_ref() == Some(file)) {
            return Err(Usage(format!(
                "`--format {}` and `--format {}` both write to `{}`",
                other.format.name(),
                outputs[owner].format.name(),
                file.display()
            )));
        }
        outputs[owner].file = Some(file.clone());
    }
    let to_stdout: Vec<String> = outputs
        .iter()
        .filter(|o| o.file.is_none())
        .map(|o| format!("`{}`", o.format.name()))
        .collect();
    if let Some((last, rest)) = to_stdout.split_last().filter(|(_, rest)| !rest.is_empty()) {
        let (all, one) = if rest.len() == 1 {
            ("both", "one of them")
        } else {
            ("all", "all but one of them")
        };
        return Err(Usage(format!(
            "{} and {last} would {all} go to standard output: give {one} an `--output-file`",
            rest.join(", ")
        )));
    }
    if args.statistics
        && let Some(output) = outputs.iter().find(|o| {
            o.file.is_none() && !matches!(o.format, Format::Full | Format::Concise | Format::Json)
        })
    {
        return Err(Usage(format!(
            "`--statistics` prints a table in place of the findings on standard output, where `--format {}` goes: give it an `--output-file`",
            output.format.name()
        )));
    }
    Ok(outputs)
}

/// The directory that holds the policy, relative to the root of the git repository around it,
/// with `/` separators: what CI systems want file paths relative to. Without a repository, the
/// path as given when it is relative and stays below the current directory, else nothing.
fn detect_path_prefix(path: &Path) -> String {
    let dir = if path.is_file() {
        path.parent().unwrap_or(Path::new(""))
    } else {
        path
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let relative = |p: &Path| -> String {
        p.components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("/")
    };
    if let Ok(absolute) = dir.canonicalize()
        && let Some(root) = absolute.ancestors().find(|a| a.join(".git").exists())
        && let Ok(inside) = absolute.strip_prefix(root)
    {
        return relative(inside);
    }
    let climbs = dir
        .components()
        .any(|c| matches!(c, std::path::Component::ParentDir));
    if dir.is_relative() && !climbs {
        relative(dir)
    } else {
        String::new()
    }
}

/// Everything the renderers need, gathered once.
struct Context {
    ci: CiOptions,
    color: bool,
    quiet: bool,
    statistics: bool,
}

impl Context {
    /// The text of one output for a policy that loaded. With `compared`, the report holds only
    /// the new findings; the formats with a summary say what they were compared with.
    fn render(
        &self,
        policy: &Policy,
        report: &Report,
        compared: Option<&Compared>,
        output: &Output,
        exit: u8,
    ) -> String {
        let ci = &self.ci;
        let trailer = match compared {
            Some(compared) if !self.quiet => compared.summary(),
            _ => String::new(),
        };
        if self.statistics && output.file.is_none() {
            if output.format == Format::Json {
                return render::statistics_json(report);
            }
            return render::statistics(report, ci) + &trailer;
        }
        match (output.format, compared) {
            (Format::Full, _) => {
                let color = self.color && output.file.is_none();
                let options = HumanOptions::new(color).quiet(self.quiet);
                render::human(report, policy, &options) + &trailer
            }
            (Format::Concise, _) => render::concise(report, ci) + &trailer,
            (Format::Json, None) => render::json(report),
            (Format::Json, Some(compared)) => render::json_compared(report, compared),
            (Format::Sarif, _) => render::sarif(report, ci, i32::from(exit)),
            (Format::Github, _) => render::github(report, ci),
            (Format::Junit, _) => render::junit(report, ci),
            (Format::Gitlab, _) => render::gitlab(report, ci),
            (Format::Markdown, None) => render::markdown(report, ci),
            (Format::Markdown, Some(compared)) => render::markdown_compared(report, ci, compared),
        }
    }

    /// The text of one output for a policy that did not load.
    fn render_load_errors(&self, errors: &LoadErrors, output: &Output) -> String {
        let ci = &self.ci;
        match output.format {
            Format::Full => {
                let color = self.color && output.file.is_none();
                render::human_load_errors(errors, &HumanOptions::new(color))
            }
            Format::Concise => render::concise_load_errors(errors, ci),
            Format::Json => render::json_load_errors(errors),
            Format::Sarif => render::sarif_load_errors(errors, ci),
            Format::Github => render::github_load_errors(errors, ci),
            Format::Junit => render::junit_load_errors(errors, ci),
            Format::Gitlab => render::gitlab_load_errors(errors, ci),
            Format::Markdown => render::markdown_load_errors(errors, ci),
        }
    }
}

/// Write one output where it goes; say so on stderr if it cannot be written.
fn write(output: &Output, text: &str, to_stderr: bool) -> bool {
    match &output.file {
        None if to_stderr => {
            eprint!("{text}");
            true
        }
        None => {
            print(text);
            true
        }
        Some(file) => match write_creating_folders(file, text) {
            Ok(()) => true,
            Err(error) => {
                eprintln!("error: could not write `{}`: {error}", file.display());
                false
            }
        },
    }
}

/// Write a file, creating the folders it needs, as `-o reports/cowork.sarif` in a fresh CI
/// checkout expects.
fn write_creating_folders(file: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, text)
}

/// Read a baseline file, or say why it cannot be read.
fn read_baseline(file: &Path) -> Result<Baseline, Usage> {
    let text = std::fs::read_to_string(file).map_err(|error| {
        let reason = if error.kind() == std::io::ErrorKind::NotFound {
            "it does not exist".to_string()
        } else {
            error.to_string()
        };
        Usage(format!(
            "cannot read the baseline `{}`: {reason} (`cowork-policy baseline` writes one)",
            file.display()
        ))
    })?;
    Baseline::from_json(&text)
        .map_err(|error| Usage(format!("`{}` is not a baseline: {error}", file.display())))
}

/// What `check -` reads: the name findings give the file, and the folder that stands for the
/// policy's (where the config is found, and what the path prefix is found from).
struct Stdin {
    name: String,
    folder: PathBuf,
}

/// `check -`: where standard input stands, from `--stdin-filename`.
fn stdin_source(args: &Args) -> Result<Option<Stdin>, Usage> {
    if args.path.as_os_str() != "-" {
        return match &args.stdin_filename {
            Some(name) => Err(Usage(format!(
                "`--stdin-filename {}` names the policy read from standard input: give `-` as the path to read it",
                name.display()
            ))),
            None => Ok(None),
        };
    }
    if args.new_since.is_some() {
        return Err(Usage(
            "`--new-since` checks a path as it was in git: it cannot compare standard input (`-`)"
                .into(),
        ));
    }
    let Some(path) = &args.stdin_filename else {
        return Ok(Some(Stdin {
            name: "<stdin>".into(),
            folder: PathBuf::from("."),
        }));
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Usage(format!(
                "`--stdin-filename {}` does not name a file",
                path.display()
            ))
        })?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    Ok(Some(Stdin { name, folder }))
}

pub(crate) fn run(args: &Args, matches: Option<&ArgMatches>) -> Result<ExitCode, Usage> {
    run_against(args, matches, None)
}

/// `check`, or with a snapshot of the live org `drift` (`command::drift`): the same loading,
/// outputs and exit codes, with the report of `cowork_policy::drift_with` in place of
/// `check_with`'s.
pub(crate) fn run_against(
    args: &Args,
    matches: Option<&ArgMatches>,
    live: Option<(&cowork_policy::live::Snapshot, Option<&str>)>,
) -> Result<ExitCode, Usage> {
    if live.is_some() {
        if args.path.as_os_str() == "-" {
            return Err(Usage(
                "`drift` reads a policy repo: give its path, not `-`".into(),
            ));
        }
        if args.new_since.is_some() {
            return Err(Usage(
                "`--new-since` compares the policy's own findings across revisions: it does not apply to `drift`".into(),
            ));
        }
    }
    let outputs = outputs(args, matches)?;
    let stdin = stdin_source(args)?;
    let mut baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    // A path that does not exist is the loader's to report, as without `--new-since`.
    let snapshot = match &args.new_since {
        Some(revision) if args.path.exists() => {
            Some(crate::git::snapshot(&args.path, revision).map_err(Usage)?)
        }
        _ => None,
    };
    let prefix = match (&args.path_prefix, &stdin) {
        (Some(prefix), _) => prefix.clone(),
        (None, Some(stdin)) if args.stdin_filename.is_some() => detect_path_prefix(&stdin.folder),
        (None, Some(_)) => String::new(),
        (None, None) => detect_path_prefix(&args.path),
    };
    let mut ci = CiOptions::new().path_prefix(&prefix).quiet(args.quiet);
    if let Some(url) = &args.link_base {
        ci = ci.link_base(url);
    }
    let context = Context {
        ci,
        color: args.color.enabled(),
        quiet: args.quiet,
        statistics: args.statistics,
    };
    let mut written = true;
    let loaded = match &stdin {
        Some(stdin) => args.config.resolve(&stdin.folder).and_then(|config| {
            let policy = cowork_policy::load_reader(&stdin.name, std::io::stdin().lock())?;
            Ok((policy, config))
        }),
        None => args
            .config
            .resolve(&args.path)
            .and_then(|config| Ok((cowork_policy::load_dir_with(&args.path, &config)?, config))),
    };
    let exit = match loaded {
        Err(errors) => {
            for output in &outputs {
                let text = context.render_load_errors(&errors, output);
                // The human report of load errors has always gone to stderr.
                written &= write(output, &text, output.format == Format::Full);
            }
            2
        }
        Ok((policy, config)) => {
            let fail_level = match args.deny {
                None => config.fail_level(),
                Some(Deny::Warnings) => Severity::Warning,
                Some(Deny::Infos) => Severity::Info,
            };
            let mut options = CheckOptions::default().config(config);
            if let Some(today) = args.today {
                options = options.today(today);
            }
            let report = match live {
                Some((snapshot, None)) => cowork_policy::drift_with(&policy, snapshot, &options),
                Some((snapshot, Some(org))) => {
                    match cowork_policy::drift_org(&policy, snapshot, &options, org) {
                        Ok(report) => report,
                        Err(unknown) => return Ok(super::access::unknown(&unknown)),
                    }
                }
                None => cowork_policy::check_with(&policy, &options),
            };
            let (report, compared) =
                if let (Some(snapshot), Some(revision)) = (&snapshot, &args.new_since) {
                    let (report, compared) =
                        new_since(report, &options, snapshot, revision, args.quiet);
                    (report, Some(compared))
                } else if let (Some(baseline), Some(file)) = (&mut baseline, &args.baseline) {
                    let (report, compared) =
                        filter(report, baseline, file, args.update_baseline, &mut written);
                    (report, Some(compared))
                } else {
                    (report, None)
                };
            // `--exit-zero` changes the exit code only: the report, SARIF's `exitCode` aside,
            // is the same, and a load error or an unwritable output still exits 2.
            let exit = u8::from(report.fails_at(fail_level) && !args.exit_zero);
            for output in &outputs {
                let text = context.render(&policy, &report, compared.as_ref(), output, exit);
                written &= write(output, &text, false);
            }
            // Every format went to a file: the table still goes to standard output.
            if args.statistics && outputs.iter().all(|o| o.file.is_some()) {
                print(&render::statistics(&report, &context.ci));
            }
            // The process ends next: the system takes its memory back at once, where freeing a
            // large org's policy string by string (100 MB of export texts, half a million
            // names) is a twentieth of the whole run.
            std::mem::forget(policy);
            exit
        }
    };
    Ok(ExitCode::from(if written { exit } else { 2 }))
}

/// `--new-since`: check the policy at the revision with the same options, and keep the
/// findings introduced since. A policy that does not load there counts as having no findings,
/// so every finding is introduced.
fn new_since(
    report: Report,
    options: &CheckOptions,
    snapshot: &crate::git::Snapshot,
    revision: &str,
    quiet: bool,
) -> (Report, Compared) {
    let mut config = options.config.clone();
    if let Some((from, to)) = snapshot.relocation() {
        config = config.relocated(from, to);
    }
    let then = options.clone().config(config);
    let before = match cowork_policy::load_dir_with(snapshot.path(), &then.config) {
        Ok(policy) => Some(cowork_policy::check_with(&policy, &then)),
        Err(errors) => {
            let nothing = matches!(errors.errors(), [cowork_policy::LoadError::NoPolicy { .. }]);
            let revision = render::sanitize(revision);
            let warning = if snapshot.is_empty() || nothing {
                format!(
                    "warning: there is no policy at this path in `{revision}`: every finding counts as introduced"
                )
            } else {
                let first = errors
                    .errors()
                    .first()
                    .map(|e| format!(" (first: {})", render::sanitize(&e.message())))
                    .unwrap_or_default();
                let count = match errors.errors().len() {
                    1 => "1 error".to_string(),
                    n => format!("{n} errors"),
                };
                format!(
                    "warning: the policy did not load at `{revision}`: {count}{first}; every finding counts as introduced"
                )
            };
            // `--quiet` leaves it out, as it leaves out the summary that says it again.
            if !quiet {
                eprintln!("{warning}");
            }
            None
        }
    };
    let comparison =
        cowork_policy::baseline::compare(before.as_ref().unwrap_or(&Report::default()), &report);
    let compared = Compared::Revision {
        revision: revision.to_string(),
        introduced: comparison.introduced.len(),
        fixed: comparison.fixed.len(),
        unchanged: comparison.unchanged.len(),
        loaded: before.is_some(),
    };
    let report = Report {
        findings: comparison.introduced,
        ..report
    };
    (report, compared)
}

/// `--baseline`: leave out the findings the baseline lists; with `--update-baseline`, remove
/// its stale entries from the file (clearing `written` if it cannot be written).
fn filter(
    report: Report,
    baseline: &mut Baseline,
    file: &Path,
    update: bool,
    written: &mut bool,
) -> (Report, Compared) {
    let (new, stale) = baseline.filter(&report);
    let hidden = report.findings.len() - new.len();
    let mut pruned = false;
    if update && !stale.is_empty() {
        baseline.prune(&report);
        match std::fs::write(file, baseline.to_json()) {
            Ok(()) => pruned = true,
            Err(error) => {
                eprintln!("error: could not write `{}`: {error}", file.display());
                *written = false;
            }
        }
    }
    let compared = Compared::Baseline {
        file: file.display().to_string(),
        hidden,
        stale,
        pruned,
    };
    let report = Report {
        findings: new,
        ..report
    };
    (report, compared)
}
