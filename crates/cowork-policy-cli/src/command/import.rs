//! `cowork-policy import FORMAT FILE...`: an identity provider's export printed as policy YAML
//! (docs/idp/), for small orgs that prefer to commit their groups. A larger org names the export
//! in its policy instead (`directoryExports:`), so it is read afresh on every check.

use std::io::Read as _;
use std::process::ExitCode;

use cowork_policy::Date;
use cowork_policy::import::{self, Format, MAX_EXPORT_BYTES};
use cowork_policy::render::{ImportOptions, import_yaml, sanitize};

use super::print;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// How the export was made: scim, msgraph, okta, google or gam.
    format: String,
    /// The export's files (every page, the users listing, the groups listing).
    #[arg(required = true)]
    files: Vec<String>,
    /// The identity provider to write on each group (`idp:`).
    #[arg(long)]
    idp: Option<String>,
    /// The org to write on each group (`org:`).
    #[arg(long)]
    org: Option<String>,
    /// A group assigned to the Claude app, by name or id: `scim: true` on it, `scim: false` on
    /// the others. Repeat it, or separate names with commas.
    #[arg(long, value_delimiter = ',')]
    assigned: Vec<String>,
    /// The user attribute that is the email (userPrincipalName or mail, login or email,
    /// userName or emails). Default: the format's usual one.
    #[arg(long)]
    email_attribute: Option<String>,
}

pub(crate) fn run(args: &Args) -> ExitCode {
    let format: Format = match args.format.parse() {
        Ok(format) => format,
        Err(message) => {
            eprintln!("error: {}", sanitize(&message));
            return ExitCode::from(2);
        }
    };
    let mut texts = Vec::with_capacity(args.files.len());
    for path in &args.files {
        match read(path) {
            Ok(text) => texts.push((path.clone(), text)),
            Err(reason) => {
                eprintln!("error: {}: {}", sanitize(path), sanitize(&reason));
                return ExitCode::from(2);
            }
        }
    }
    let options = import::Options {
        email_attribute: args.email_attribute.clone(),
    };
    let export = match import::read(format, &texts, &options) {
        Ok(export) => export,
        Err(errors) => {
            for error in errors {
                eprintln!(
                    "{}: error: {}",
                    sanitize(&error.location.to_string()),
                    sanitize(&error.message)
                );
            }
            return ExitCode::from(2);
        }
    };
    let mut yaml = ImportOptions::default()
        .assigned(args.assigned.iter().cloned())
        .date(Date::today());
    if let Some(idp) = &args.idp {
        yaml = yaml.idp(idp);
    }
    if let Some(org) = &args.org {
        yaml = yaml.org(org);
    }
    let files: Vec<&str> = args.files.iter().map(String::as_str).collect();
    print(&import_yaml(&export, &files, &yaml));
    ExitCode::SUCCESS
}

/// A file's text, refused when larger than an export may be or not UTF-8.
fn read(path: &str) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_EXPORT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() > MAX_EXPORT_BYTES {
        return Err(format!(
            "larger than {} MiB, the most an export file may hold",
            MAX_EXPORT_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}
