//! `parkplan explain`: the smallest changes that make an infeasible problem feasible.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, SolverArgs, load, variant};
use crate::cli::exit::Exit;
use parkplan::analysis::explain::explain;

/// How `explain` writes its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Sentences for people.
    Table,
    /// JSON, the machine interface.
    Json,
}

/// `parkplan explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
    /// Write the explanation here (`-` for standard output).
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: ExplainArgs) -> Result<Exit, CliError> {
    // The time limit counts from here: reading and checking the file are part of the run.
    let options = a.solver.options()?.started_now();
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let e = explain(&valid, &v.name, &options)?;
    let text = match a.format {
        ExplainFormat::Table => parkplan::report::explanation::text(&e),
        ExplainFormat::Json => {
            serde_json::to_string_pretty(&e).map_err(parkplan::report::ReportError::from)? + "\n"
        }
    };
    super::write_result(&a.output, &text)?;
    Ok(Exit::Ok)
}
