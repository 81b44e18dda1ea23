//! `cowork-policy explain CODE`: a rule's documentation, or a managed-settings key's reference
//! row.

use std::process::ExitCode;

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A rule code (IDP001) or name (nested-idp-group), or a desktop managed-settings key
    /// (coworkEgressAllowedHosts).
    rule: String,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    if let Some(rule) = cowork_policy::rule(&args.rule) {
        print(&format!(
            "# {} {} ({} by default)\n\n{}\n",
            rule.code(),
            rule.name(),
            rule.severity().as_str(),
            rule.explain()
        ));
        return ExitCode::SUCCESS;
    }
    if let Some(key) = cowork_policy::managed::key(&args.rule) {
        let mut text = String::new();
        if key.name != args.rule {
            text.push_str(&format!(
                "`{}` is a former name of `{}`.\n\n",
                cowork_policy::render::sanitize(&args.rule),
                key.name
            ));
        }
        text.push_str(&cowork_policy::managed::explain(key));
        print(&text);
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "error: no rule nor managed-settings key is called `{}`: `cowork-policy rules` lists the rules, `docs/managed-settings.md` the keys",
        cowork_policy::render::sanitize(&args.rule)
    );
    ExitCode::from(2)
}
