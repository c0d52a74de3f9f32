//! `parkplan solve`: one problem (or one scenario of it) to one plan.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, SolverArgs, load, variant, write};
use crate::exit::Exit;
use crate::plan;
use crate::report::{self, Format};
use crate::solve::SolveStatus;

/// `parkplan solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the plan here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: SolveArgs) -> Result<Exit, CliError> {
    let options = a.solver.options()?;
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let plan = plan::solve_variant(&valid, &v.name, &options)?;
    let text = report::render(&plan, &valid.problem, a.format)?;
    write(&a.output, &text)?;
    match plan.status {
        SolveStatus::Infeasible => eprintln!(
            "{}: the problem is infeasible: no plan meets every limit and rule\n  = help: `parkplan explain {}{}` finds the smallest changes that make it feasible",
            a.file.display(),
            a.file.display(),
            a.scenario
                .as_deref()
                .map(|s| format!(" --scenario {s}"))
                .unwrap_or_default()
        ),
        SolveStatus::Unbounded => eprintln!(
            "{}: the problem is unbounded: some chain can grow without limit; give it `max_per_park` or a resource limit",
            a.file.display()
        ),
        SolveStatus::TimeLimit => match plan.gap {
            Some(g) => eprintln!(
                "{}: stopped by the time limit; the plan is feasible, within {:.3} % of optimal",
                a.file.display(),
                g * 100.0
            ),
            None => eprintln!(
                "{}: stopped by the time limit; the plan is feasible, but how far from optimal is not known yet",
                a.file.display()
            ),
        },
        SolveStatus::NoSolution => eprintln!(
            "{}: stopped by the time limit before any feasible plan was found; raise --time-limit",
            a.file.display()
        ),
        SolveStatus::Optimal => {}
    }
    Ok(Exit::of(plan.status))
}
