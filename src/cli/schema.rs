//! `parkplan schema`: print the JSON Schema of the problem format.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, write};
use crate::cli::exit::Exit;

/// `parkplan schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Write the schema here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
}

pub(super) fn run(a: SchemaArgs) -> Result<Exit, CliError> {
    write(
        &a.output,
        &parkplan::problem::json_schema::problem_schema_text(),
    )?;
    Ok(Exit::Ok)
}
