//! `parkplan robust`: one main-chain assignment for several scenarios (MODEL.md §10).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::formats::AnalysisFormatArg;
use super::{CliError, SolverArgs, load, write};
use crate::cli::exit::Exit;
use parkplan::analysis::robust::{self, RobustError, RobustOptions};
use parkplan::problem::format::Measure;
use parkplan::report;

/// How the scenarios' objectives are combined, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureArg {
    /// The probability-weighted objective.
    Expected,
    /// The worst scenario's objective.
    WorstCase,
}

/// `parkplan robust`.
#[derive(Debug, clap::Args)]
pub struct RobustArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Scenarios and probabilities, e.g. `base:0.6,dry-season:0.4` (overrides the file's
    /// `uncertainty:` block).
    #[arg(long, value_name = "NAME:P,...")]
    pub scenarios: Option<String>,
    /// How the scenarios are weighed (overrides the file's `uncertainty.measure`).
    #[arg(long, value_enum)]
    pub measure: Option<MeasureArg>,
    /// Solves run side by side [default: one per core].
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        value_name = "N",
        value_parser = super::whole::whole::<usize>(super::JOBS_RANGE)
    )]
    pub jobs: Option<usize>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AnalysisFormatArg::Table)]
    pub format: AnalysisFormatArg,
    /// Write the result here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Solver settings; --time-limit applies to each solve.
    #[command(flatten)]
    pub solver: SolverArgs,
}

fn parse_scenarios(text: &str) -> Result<Vec<(String, f64)>, CliError> {
    let pairs = read_pairs(text)?;
    // A scenario given twice would be counted twice, its probabilities summed in the check.
    for (i, (name, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(n, _)| n == name) {
            return Err(CliError::Usage(format!(
                "--scenarios: `{name}` is named twice; give each scenario once with its probability"
            )));
        }
    }
    Ok(pairs)
}

fn read_pairs(text: &str) -> Result<Vec<(String, f64)>, CliError> {
    text.split(',')
        .map(|item| {
            let (name, p) = item.trim().rsplit_once(':').ok_or_else(|| {
                CliError::Usage(format!(
                    "--scenarios: `{item}` is not NAME:PROBABILITY, e.g. base:0.6,dry-season:0.4"
                ))
            })?;
            let p: f64 = p
                .trim()
                .parse()
                .map_err(|_| CliError::Usage(format!("--scenarios: `{p}` is not a probability")))?;
            Ok((name.trim().to_string(), p))
        })
        .collect()
}

pub(super) fn run(a: RobustArgs) -> Result<Exit, CliError> {
    // Ctrl-C or SIGTERM stops the solves with the best plans found, as the time limit does.
    parkplan::solver::watch::install_sigint();
    let solve = a.solver.options()?;
    // The same range, and words, as every other command's --jobs (no ceiling before: 10⁶
    // threads were asked of the pool).
    let jobs = super::jobs(a.jobs)?;
    let (src, base) = load(&a.file)?;
    let (pairs, at) = match (&a.scenarios, &base.uncertainty) {
        (Some(text), _) => (parse_scenarios(text)?, "--scenarios"),
        (None, Some(u)) => (
            u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect(),
            "uncertainty.scenarios",
        ),
        (None, None) => {
            return Err(CliError::Usage(format!(
                "{} has no `uncertainty:` block; give the scenarios with --scenarios base:0.6,dry-season:0.4",
                a.file.display()
            )));
        }
    };
    let measure = match a.measure {
        Some(MeasureArg::Expected) => Measure::Expected,
        Some(MeasureArg::WorstCase) => Measure::WorstCase,
        None => base
            .uncertainty
            .as_ref()
            .map(|u| u.measure)
            .unwrap_or_default(),
    };
    let rp = if at == "--scenarios" {
        // Not located in the file: said as a command-line error.
        parkplan::variant::uncertainty::check(&base, &pairs, "--scenarios").map_err(|d| {
            let msgs: Vec<String> = d
                .into_iter()
                .map(|d| match d.help {
                    Some(h) => format!("{}; {h}", d.message),
                    None => d.message,
                })
                .collect();
            CliError::Usage(format!("--scenarios: {}", msgs.join("; ")))
        })?;
        robust::load(&src, &base, &pairs, "uncertainty.scenarios")?
    } else {
        robust::load(&src, &base, &pairs, at)?
    };
    let options = RobustOptions {
        measure,
        solve,
        jobs,
    };
    let result = match robust::robust(&rp, &options) {
        Ok(r) => r,
        Err(RobustError::Solve(e)) => return Err(e.into()),
        Err(e) => return Err(CliError::Usage(format!("{}: {e}", a.file.display()))),
    };
    let text = report::robust::render(&result, a.format.into())?;
    write(&a.output, &text)?;
    match result.status.message_by(result.gap, result.stopped_by) {
        Some(why) if result.stopped_by.is_some() => {
            eprintln!("{}: the robust solve {why}", a.file.display())
        }
        // The joint plan is proven, but the stop came before the solves beside it.
        None if result.status.has_plan() && result.scenarios.is_empty() => {
            if let Some(cause) = result.stopped_by {
                eprintln!(
                    "{}: the robust plan is optimal, but {} stopped the run before the \
                     scenarios' own solves: no WS, EEV, VSS or EVPI",
                    a.file.display(),
                    cause.words()
                );
                return Ok(Exit::TimeLimit);
            }
        }
        _ if !result.status.has_plan() => eprintln!(
            "{}: no main-chain assignment serves every scenario: the robust problem is {}",
            a.file.display(),
            result.status
        ),
        _ => {}
    }
    Ok(Exit::of(result.status))
}
