//! `cowork-policy schema`: the JSON Schema of a policy document.

use std::process::ExitCode;

use super::print;

pub(crate) fn run() -> ExitCode {
    print(&cowork_policy::schema());
    ExitCode::SUCCESS
}
