//! `parkplan designations`: what each park would lose with each other main chain (MODEL.md §13).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::formats::DesignationsFormatArg;
use super::{CliError, SolverArgs, load, variant, write_result};
use crate::cli::exit::Exit;
use parkplan::analysis::designations::{
    self, Designations, DesignationsError, DesignationsOptions,
};
use parkplan::report;
use parkplan::solver::{VariantStatus, watch};

/// `parkplan designations`.
#[derive(Debug, clap::Args)]
pub struct DesignationsArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Price the designations of this scenario instead of the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Price only this park's designations (repeat, or separate by commas, for several)
    /// [default: every park].
    #[arg(long, short = 'p', value_delimiter = ',', value_name = "ID")]
    pub park: Vec<String>,
    /// Solves run at once, at most 256 [default: one per core].
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        value_name = "N",
        value_parser = super::whole::whole::<usize>(super::JOBS_RANGE)
    )]
    pub jobs: Option<usize>,
    /// Output format; `xlsx` is a workbook of the optimum's plan and a sheet of the designations,
    /// for a file (`-o designations.xlsx`).
    #[arg(long, short = 'f', value_enum, default_value_t = DesignationsFormatArg::Table)]
    pub format: DesignationsFormatArg,
    /// Write the result here (`-` for standard output); the file appears whole or not at all.
    /// `parkplan report` draws a heat map of a JSON result.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings; --time-limit applies to each solve.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: DesignationsArgs) -> Result<Exit, CliError> {
    // Ctrl-C (or SIGTERM) stops the pairs being solved, keeping their best plans, and starts no
    // more; what is finished is written.
    watch::install_sigint();
    watch::install_sigterm();
    let solve = a.solver.options()?;
    let jobs = super::jobs(a.jobs)?;
    if a.format == DesignationsFormatArg::Xlsx {
        super::workbook_target(&a.output, "give a file with -o, e.g. -o designations.xlsx")?;
    }
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let options = DesignationsOptions {
        parks: a.park.clone(),
        solve,
        jobs,
    };
    // The bar counts pairs from the first solve on (the optimum is its first step).
    let total: usize = match &options.parks[..] {
        [] => valid.all_candidates().iter().map(Vec::len).sum(),
        ids => ids
            .iter()
            .filter_map(|id| valid.problem().park_ix(id))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|p| valid.candidates(p).len())
            .sum(),
    };
    super::solve::start_watch(None, false);
    let bar = super::sweep::progress(total, "designations");
    let result = designations::designations(&valid, &v.name, &options, &|_, _| bar.inc(1));
    bar.finish_and_clear();
    let d = match result {
        Ok(d) => d,
        Err(DesignationsError::Solve(e)) => return Err(e.into()),
        Err(e @ DesignationsError::NoOptimum { status, .. }) => {
            eprintln!("{}: {e}", a.file.display());
            return Ok(Exit::of(status));
        }
        Err(e) => return Err(CliError::Usage(format!("{}: {e}", a.file.display()))),
    };
    match a.format.text() {
        Some(format) => write_result(&a.output, &report::designations::render(&d, format)?)?,
        None => super::write_workbook(&a.output, &workbook(&d, valid.problem())?)?,
    }
    let failed: Vec<String> = d
        .designations
        .iter()
        .filter(|x| x.status == VariantStatus::Error)
        .map(|x| {
            format!(
                "{}: {} → {}: {}",
                a.file.display(),
                x.park,
                x.chain,
                x.message.as_deref().unwrap_or("the solver failed")
            )
        })
        .collect();
    for f in &failed {
        eprintln!("error: {f}");
    }
    if let Some(cause) = watch::stop_cause() {
        let finished = d.designations.len();
        eprintln!(
            "{}: stopped by {}: {finished} pair(s) priced (those being solved with the best plan found by then), {} not started and not listed",
            a.file.display(),
            cause.words(),
            d.unsolved
        );
    }
    Ok(if complete(&d) {
        Exit::Ok
    } else {
        Exit::Incomplete
    })
}

/// Whether every pair was solved to the end: optimal, or proven infeasible.
fn complete(d: &Designations) -> bool {
    d.unsolved == 0
        && d.designations.iter().all(|x| {
            matches!(
                x.status,
                VariantStatus::OPTIMAL
                    | VariantStatus::Solved(parkplan::solver::SolveStatus::Infeasible)
            )
        })
}

/// The workbook: the optimum's plan, its sheets as `solve -f xlsx` writes them, and a
/// `Designations` sheet.
fn workbook(d: &Designations, problem: &parkplan::problem::Problem) -> Result<Vec<u8>, CliError> {
    let plans: Vec<_> = d
        .plan
        .iter()
        .map(|plan| parkplan::analysis::compare::NamedPlan {
            label: d.variant.clone(),
            plan: (**plan).clone(),
        })
        .collect();
    let input = report::ReportInput {
        title: problem.name.as_deref().unwrap_or("parkplan designations"),
        plans: &plans,
        problem: Some(problem),
        base: 0,
        rows: &[],
        fronts: &[],
        notes: &[],
        designations: std::slice::from_ref(d),
    };
    Ok(report::xlsx::report(&input)?)
}
