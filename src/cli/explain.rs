//! `parkplan explain`: the smallest changes that make an infeasible problem feasible.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, SolverArgs, load, variant};
use crate::cli::exit::Exit;
use parkplan::analysis::explain::{ExplainError, explain};
use parkplan::solver::{SolveStatus, watch};

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
    // Ctrl-C (or SIGTERM) stops the solve running with what it has found; the explanation
    // written says what stopped it, or a message does when there is nothing to show.
    watch::install_sigint();
    watch::install_sigterm();
    // The time limit counts from here: reading and checking the file are part of the run.
    let options = a.solver.options()?.started_now();
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let e = match explain(&valid, &v.name, &options) {
        Ok(e) => e,
        Err(e @ ExplainError::Stopped(_)) => {
            eprintln!("{}: {e}", a.file.display());
            return Ok(Exit::NoSolution);
        }
        Err(e) => return Err(e.into()),
    };
    let text = match a.format {
        ExplainFormat::Table => parkplan::report::explanation::text(&e),
        ExplainFormat::Json => {
            serde_json::to_string_pretty(&e).map_err(parkplan::report::ReportError::from)? + "\n"
        }
    };
    super::write_result(&a.output, &text)?;
    // A stop matters only to an explanation of an infeasible problem: a plan found before it
    // already shows a problem is not infeasible.
    match e.stopped_by {
        Some(cause) if e.status == SolveStatus::Infeasible => {
            let what = if e.proven_smallest {
                "the changes are the smallest, the plan after them not proven the best"
            } else {
                "the changes make the problem feasible but are not proven the smallest"
            };
            eprintln!("{}: stopped by {}: {what}", a.file.display(), cause.words());
            Ok(Exit::TimeLimit)
        }
        _ => Ok(Exit::Ok),
    }
}
