//! `cowork-policy diff BASE [HEAD]`, `diff --base REV [PATH]`: what a change does to effective
//! access, as text, JSON or Markdown for a pull-request comment, with optional CI gates.
//!
//! Each side is a directory (or file) that exists, or else a git revision of the policy path
//! (HEAD when it exists, else `--path`, else `.`), read with `git.rs` as `check --new-since` does. The two
//! sides load in parallel; the library's [`cowork_policy::diff::diff_with`] does the rest.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::{CheckOptions, Policy, config::Config, diff::AccessDiff, render};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// `BASE [HEAD]`: each a policy directory or a git revision (HEAD default: `.`, the working
    /// tree). With `--base REV`, only the policy directory (default `.`).
    #[arg(value_name = "BASE_OR_PATH", num_args = 0..=2)]
    targets: Vec<String>,
    /// Compare the policy at this git revision (`origin/main`) with the working tree.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// The policy directory inside the repository, for sides given as git revisions.
    #[arg(long, value_name = "PATH")]
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when the diff does this (repeatable, or comma-separated).
    #[arg(long, value_enum, value_name = "GATE", value_delimiter = ',')]
    fail_on: Vec<Gate>,
    /// Date the rules as of this day (YYYY-MM-DD) on both sides instead of today.
    #[arg(long, value_name = "DATE", value_parser = super::check::parse_date)]
    today: Option<cowork_policy::Date>,
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable text: a headline, then a section per kind of change.
    Text,
    /// A versioned JSON document (docs/diff.md).
    Json,
    /// Markdown for a pull-request comment.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Gate {
    /// Any user gains any entitlement.
    AccessGained,
    /// Any user's spend limit goes up.
    LimitRaised,
    /// An org's SCIM target at HEAD is above its seats.
    SeatsExceeded,
}

impl Gate {
    fn trips(self, diff: &AccessDiff) -> bool {
        match self {
            Gate::AccessGained => diff
                .entitlements
                .iter()
                .any(|c| c.direction == cowork_policy::diff::Direction::Gained),
            Gate::LimitRaised => diff.limits.iter().any(|c| c.raised()),
            Gate::SeatsExceeded => diff.seats.iter().any(|s| s.exceeded()),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Gate::AccessGained => "access-gained",
            Gate::LimitRaised => "limit-raised",
            Gate::SeatsExceeded => "seats-exceeded",
        }
    }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {}", render::sanitize(message));
    ExitCode::from(2)
}

/// One side, ready to load: a directory (or a single policy file), or a snapshot of a revision (kept alive until loaded).
enum Side {
    Dir(PathBuf),
    Revision(crate::git::Snapshot, String),
}

impl Side {
    fn resolve(target: &str, policy_dir: &Path) -> Result<Side, String> {
        let path = Path::new(target);
        if path.exists() {
            return Ok(Side::Dir(path.to_path_buf()));
        }
        crate::git::snapshot(policy_dir, target)
            .map(|snapshot| Side::Revision(snapshot, target.to_string()))
            .map_err(|e| {
                format!("`{target}` is neither a directory nor a usable git revision: {e}")
            })
    }

    fn path(&self) -> &Path {
        match self {
            Side::Dir(path) => path,
            Side::Revision(snapshot, _) => snapshot.path(),
        }
    }

    fn name(&self) -> String {
        match self {
            Side::Dir(path) => path.display().to_string(),
            Side::Revision(_, revision) => revision.clone(),
        }
    }

    /// The config for this side: resolved for a directory; for a revision, the policy
    /// directory's config relocated into the snapshot, as `check --new-since` does.
    fn config(
        &self,
        args: &super::config::ConfigArgs,
        policy_dir: &Path,
    ) -> Result<Config, cowork_policy::LoadErrors> {
        match self {
            Side::Dir(path) => args.resolve(path),
            Side::Revision(snapshot, _) => {
                let config = args.resolve(policy_dir)?;
                Ok(match snapshot.relocation() {
                    Some((from, to)) => config.relocated(from, to),
                    None => config,
                })
            }
        }
    }
}

fn load(
    side: &Side,
    args: &super::config::ConfigArgs,
    policy_dir: &Path,
) -> Result<(Policy, Config), cowork_policy::LoadErrors> {
    let config = side.config(args, policy_dir)?;
    Ok((cowork_policy::load_dir_with(side.path(), &config)?, config))
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let (base, head) = match (&args.base, args.targets.as_slice()) {
        (Some(rev), []) => (rev.clone(), ".".to_string()),
        (Some(rev), [path]) => (rev.clone(), path.clone()),
        (Some(_), _) => return usage("with `--base REV`, name at most the policy directory"),
        (None, [base]) => (base.clone(), ".".to_string()),
        (None, [base, head]) => (base.clone(), head.clone()),
        (None, _) => {
            return usage("name the two sides: `diff BASE [HEAD]`, or `diff --base REV [PATH]`");
        }
    };
    let policy_dir = match &args.path {
        Some(path) => path.clone(),
        None if Path::new(&head).exists() => PathBuf::from(&head),
        None => PathBuf::from("."),
    };
    let sides =
        Side::resolve(&base, &policy_dir).and_then(|b| Ok((b, Side::resolve(&head, &policy_dir)?)));
    let (base_side, head_side) = match sides {
        Ok(sides) => sides,
        Err(message) => return usage(&message),
    };
    let (base_loaded, head_loaded) = std::thread::scope(|scope| {
        let base = scope.spawn(|| load(&base_side, &args.config, &policy_dir));
        let head = load(&head_side, &args.config, &policy_dir);
        (base.join(), head)
    });
    let base_loaded = match base_loaded {
        Ok(loaded) => loaded,
        Err(_) => return usage("loading the base failed unexpectedly"),
    };
    let mut loaded = Vec::new();
    for (side, result) in [(&base_side, base_loaded), (&head_side, head_loaded)] {
        match result {
            Ok(ok) => loaded.push(ok),
            Err(errors) => {
                eprintln!(
                    "error: the policy at `{}` did not load",
                    render::sanitize(&side.name())
                );
                eprint!(
                    "{}",
                    render::human_load_errors(&errors, &render::HumanOptions::new(false))
                );
                return ExitCode::from(2);
            }
        }
    }
    let options = |config: Config| {
        let options = CheckOptions::default().config(config);
        match args.today {
            Some(today) => options.today(today),
            None => options,
        }
    };
    let (Some((head_policy, head_config)), Some((base_policy, base_config))) =
        (loaded.pop(), loaded.pop())
    else {
        return usage("could not load both sides");
    };
    let diff = cowork_policy::diff::diff_with(
        &base_policy,
        &head_policy,
        &options(base_config),
        &options(head_config),
    );
    let text = match args.format {
        Format::Text => render::diff_human(&diff),
        Format::Json => render::diff_json(&diff),
        Format::Markdown => render::diff_markdown(&diff),
    };
    print(&text);
    let tripped: Vec<&str> = args
        .fail_on
        .iter()
        .filter(|gate| gate.trips(&diff))
        .map(|gate| gate.name())
        .collect();
    if tripped.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: `--fail-on` gate tripped: {}", tripped.join(", "));
        ExitCode::from(1)
    }
}
