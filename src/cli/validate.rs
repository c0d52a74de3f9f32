//! `parkplan validate`: check a file, its scenarios and sweep points without solving.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;

use super::CliError;
use crate::cli::exit::Exit;
use parkplan::problem::SourceFile;
use parkplan::problem::diagnostic::Warnings;

pub(super) fn run(file: &Path, max_points: usize) -> Result<Exit, CliError> {
    let src = SourceFile::read(file)?;
    let s = src.validate_all_with(max_points)?;
    if let Some(w) = &s.warnings {
        eprintln!("{}", Warnings(w));
    }
    let periods = match s.periods {
        0 => String::new(),
        n => format!(", {n} periods"),
    };
    super::print(&format!(
        "{}: ok ({} parks, {} chains{periods}; base, {} scenario(s) and {} sweep point(s) valid)\n",
        file.display(),
        s.parks,
        s.chains,
        s.scenarios,
        s.sweep_points
    ))?;
    Ok(Exit::Ok)
}
