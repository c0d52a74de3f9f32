//! `parkplan alternatives`: the best main-chain assignments, ranked (MODEL.md §11).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::formats::AlternativesFormatArg;
use super::whole::whole;
use super::{CliError, SolverArgs, load, variant, write};
use crate::cli::exit::Exit;
use parkplan::analysis::alternatives::{self, AlternativesError, AlternativesOptions, Stop};
use parkplan::report;
use parkplan::solver::{StopCause, watch};

/// `parkplan alternatives`.
#[derive(Debug, clap::Args)]
pub struct AlternativesArgs {
    /// The problem file.
    pub file: PathBuf,
    /// At most this many plans, the optimum included.
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'k',
        default_value_t = 5,
        value_parser = whole::<usize>("1 or more"),
        value_name = "K"
    )]
    pub count: usize,
    /// Keep only plans at most this fraction of |optimum| below the optimum (0.05 = 5 %).
    #[arg(allow_negative_numbers = true, long, value_name = "F")]
    pub within: Option<f64>,
    /// Each plan differs from every earlier one in at least this many parks' main chains.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1,
        value_name = "D",
        value_parser = whole::<usize>("between 1 and the number of parks")
    )]
    pub differ: usize,
    /// Rank the assignments of this scenario instead of the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AlternativesFormatArg::Table)]
    pub format: AlternativesFormatArg,
    /// Write the list here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Write each plan whole to DIR/plan-1.json, DIR/plan-2.json, … (as `solve -f json`).
    #[arg(long, value_name = "DIR")]
    pub plans: Option<PathBuf>,
    /// Solver settings; --time-limit applies to each solve.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: AlternativesArgs) -> Result<Exit, CliError> {
    // Ctrl-C (or SIGTERM) stops the solve running and starts no more; the plans found before are
    // written.
    watch::install_sigint();
    watch::install_sigterm();
    let solve = a.solver.options()?;
    if a.count == 0 {
        return Err(CliError::Usage("--count must be at least 1".into()));
    }
    if let Some(f) = a.within
        && !(f.is_finite() && f >= 0.0)
    {
        return Err(CliError::Usage(
            "--within must be a finite fraction ≥ 0, e.g. 0.05 for 5 %".into(),
        ));
    }
    if a.format == AlternativesFormatArg::Xlsx {
        super::workbook_target(&a.output, "give a file with -o, e.g. -o alternatives.xlsx")?;
    }
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let options = AlternativesOptions {
        count: a.count,
        within: a.within,
        differ: a.differ,
        solve,
    };
    let list = match alternatives::alternatives(&valid, &v.name, &options) {
        Ok(list) => list,
        Err(AlternativesError::Solve(e)) => return Err(e.into()),
        Err(e) => return Err(CliError::Usage(format!("{}: {e}", a.file.display()))),
    };
    if let Some(dir) = &a.plans {
        std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
            path: dir.clone(),
            source,
        })?;
        for alt in &list.plans {
            let text = report::render(&alt.plan, valid.problem(), report::Format::Json)?;
            write(&dir.join(format!("plan-{}.json", alt.rank)), &text)?;
        }
    }
    match a.format.text() {
        Some(format) => {
            let text = report::alternatives::render(&list, format)?;
            write(&a.output, &text)?;
        }
        None => super::write_workbook(&a.output, &workbook(&list, valid.problem())?)?,
    }
    Ok(match list.stop {
        Stop::Count | Stop::Within | Stop::Exhausted => Exit::Ok,
        Stop::Status(status) => {
            eprintln!(
                "{}: {}",
                a.file.display(),
                report::alternatives::stop_reason(&list)
            );
            match list.stopped_by {
                // Stopped by a signal: the plans listed are what the run kept.
                Some(c) if c != StopCause::TimeLimit => {
                    if list.plans.is_empty() {
                        Exit::NoSolution
                    } else {
                        Exit::TimeLimit
                    }
                }
                _ => Exit::of(status),
            }
        }
    })
}

/// The workbook of ranked plans, labelled `plan-1`, `plan-2`, … as `--plans` names their files;
/// plan 1, the optimum, is the base the others are compared with.
fn workbook(
    list: &alternatives::Alternatives,
    problem: &parkplan::problem::Problem,
) -> Result<Vec<u8>, CliError> {
    let plans: Vec<_> = list
        .plans
        .iter()
        .map(|alt| parkplan::analysis::compare::NamedPlan {
            label: format!("plan-{}", alt.rank),
            plan: alt.plan.clone(),
        })
        .collect();
    let input = report::ReportInput {
        title: problem.name.as_deref().unwrap_or("parkplan alternatives"),
        plans: &plans,
        problem: Some(problem),
        base: 0,
        rows: &[],
        fronts: &[],
        notes: &[],
        designations: &[],
    };
    Ok(report::xlsx::report(&input)?)
}
