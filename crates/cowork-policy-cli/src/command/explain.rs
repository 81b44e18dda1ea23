//! `cowork-policy explain CODE`: a rule's documentation.

use std::process::ExitCode;

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A rule code (IDP001) or name (nested-idp-group).
    rule: String,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    match cowork_policy::rule(&args.rule) {
        Some(rule) => {
            print(&format!(
                "# {} {} ({} by default)\n\n{}\n",
                rule.code(),
                rule.name(),
                rule.severity().as_str(),
                rule.explain()
            ));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "error: no rule is called `{}`: `cowork-policy rules` lists them all",
                args.rule
            );
            ExitCode::from(2)
        }
    }
}
