//! `parkplan pareto`: the front between total output value and total waste reuse.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::formats::SummaryFormatArg;
use super::sweep::progress;
use super::{CliError, SolverArgs, load, variant};
use crate::cli::exit::Exit;
use parkplan::analysis::pareto::{self, ParetoError, ParetoOptions};
use parkplan::solver::{SolveStatus, watch};

/// The most points `--points` may ask for: each is an LP or MILP solve, and the front is held in
/// memory.
const MAX_POINTS: usize = 100_000;

/// `parkplan pareto`.
#[derive(Debug, clap::Args)]
pub struct ParetoArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Points to solve, both ends included (at least 2, at most 100000).
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'n',
        default_value_t = 11,
        value_name = "N",
        value_parser = super::whole::whole::<usize>("between 2 and 100000")
    )]
    pub points: usize,
    /// Trace the front of this scenario instead of the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Points solved at once, at most 256 [default: one per core].
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        value_name = "N",
        value_parser = super::whole::whole::<usize>(super::JOBS_RANGE)
    )]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SummaryFormatArg::Table)]
    pub format: SummaryFormatArg,
    /// Write the front here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings; --time-limit applies to each solve.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: ParetoArgs) -> Result<Exit, CliError> {
    // Ctrl-C (or SIGTERM) stops the solves running, keeping their best plans, and starts no more;
    // the front of the points solved is written.
    watch::install_sigint();
    watch::install_sigterm();
    let options = a.solver.options()?;
    if a.points < 2 {
        return Err(CliError::Usage(
            "--points must be at least 2: the front's two ends".into(),
        ));
    }
    if a.points > MAX_POINTS {
        return Err(CliError::Usage(format!(
            "--points {} is above the maximum of {MAX_POINTS}: each point is a solve",
            a.points
        )));
    }
    let jobs = super::jobs(a.jobs)?;
    let (src, base) = load(&a.file)?;
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    let bar = progress(a.points + 2, "solves");
    let options = ParetoOptions {
        points: a.points,
        solve: options,
        jobs,
    };
    let front = pareto::front(&valid, &v.name, &options, &|| bar.inc(1));
    bar.finish_and_clear();
    let front = match front {
        Ok(f) => f,
        Err(ParetoError::End { end, status }) => {
            if let Some(cause) = watch::stop_cause() {
                eprintln!(
                    "{}: stopped by {} before the front's ends were solved; nothing is written",
                    a.file.display(),
                    cause.words()
                );
                return Ok(Exit::NoSolution);
            }
            eprintln!("{}: {}", a.file.display(), ParetoError::End { end, status });
            return Ok(Exit::of(status));
        }
        Err(e) => return Err(e.into()),
    };
    let text = parkplan::report::front::render(&front, a.format.into())?;
    super::write_result(&a.output, &text)?;
    if let Some(cause) = front.stopped_by {
        let solved = front
            .points
            .iter()
            .filter(|p| p.status == SolveStatus::Optimal)
            .count();
        eprintln!(
            "{}: stopped by {}: {solved} point(s) solved to the end, the others stopped or not started",
            a.file.display(),
            cause.words()
        );
    }
    let all_optimal = front
        .points
        .iter()
        .all(|p| p.status == SolveStatus::Optimal);
    Ok(if all_optimal {
        Exit::Ok
    } else {
        Exit::Incomplete
    })
}
