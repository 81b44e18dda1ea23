//! `cowork-policy rules`: every rule, as a table or JSON.

use std::process::ExitCode;

use clap::ValueEnum;

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    match args.format {
        Format::Table => {
            let width = cowork_policy::rules()
                .map(|r| r.name().len())
                .max()
                .unwrap_or(0);
            let mut out = String::new();
            for rule in cowork_policy::rules() {
                out.push_str(&format!(
                    "{:<9} {:<width$}  {:<8} {}\n",
                    rule.code(),
                    rule.name(),
                    rule.severity().as_str(),
                    rule.summary()
                ));
            }
            print(&out);
        }
        Format::Json => {
            let rules: Vec<serde_json::Value> = cowork_policy::rules()
                .map(|rule| {
                    serde_json::json!({
                        "code": rule.code(),
                        "name": rule.name(),
                        "area": rule.area().as_str(),
                        "severity": rule.severity().as_str(),
                        "summary": rule.summary(),
                        "explain": rule.explain(),
                    })
                })
                .collect();
            let doc = serde_json::json!({ "version": 1, "rules": rules });
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ));
        }
    }
    ExitCode::SUCCESS
}
