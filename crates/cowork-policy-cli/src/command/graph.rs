//! `cowork-policy graph [PATH]`: draw the rollout dependency graph, or the group structure, as
//! Graphviz DOT or Mermaid (`docs/graph.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use cowork_policy::render::{self, HumanOptions};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy repo (a directory) or one policy file.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Draw the groups (nesting, roles, limits) instead of the rollout steps.
    #[arg(long)]
    groups: bool,
    /// With `--groups`: only this org's groups.
    #[arg(long, value_name = "NAME", requires = "groups")]
    org: Option<String>,
    /// With `--groups`: only this group, the groups nested in it and those it is nested in, and
    /// their roles and limits.
    #[arg(long, value_name = "GROUP", requires = "groups")]
    around: Option<String>,
    /// Output format: Graphviz DOT (`dot -Tsvg`), or Mermaid for a Markdown ```mermaid block.
    #[arg(long, value_enum, default_value_t = Format::Dot)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Dot,
    Mermaid,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let policy = match cowork_policy::load_dir(&args.path) {
        Ok(policy) => policy,
        Err(errors) => {
            let color = super::auto_color(&std::io::stderr());
            eprint!(
                "{}",
                render::human_load_errors(&errors, &HumanOptions::new(color))
            );
            return ExitCode::from(2);
        }
    };
    let diagram = if args.groups {
        match cowork_policy::diagram::groups_diagram(
            &policy,
            args.org.as_deref(),
            args.around.as_deref(),
        ) {
            Ok(diagram) => diagram,
            Err(error) => {
                eprintln!(
                    "error: {}\n  help: {}",
                    render::sanitize(&error.to_string()),
                    render::sanitize(error.help())
                );
                return ExitCode::from(2);
            }
        }
    } else {
        cowork_policy::diagram::rollout_diagram(&policy)
    };
    print(&match args.format {
        Format::Dot => render::to_dot(&diagram),
        Format::Mermaid => render::to_mermaid(&diagram),
    });
    ExitCode::SUCCESS
}
