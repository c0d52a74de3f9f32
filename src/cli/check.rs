//! `parkplan check`: solve every known optimum in a set of problem files and compare.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, SolverArgs};
use crate::cli::exit::Exit;
use parkplan::batch::check::{self, CheckOptions, CheckReport};
use parkplan::batch::pool::Ties;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// One line per case and a summary.
    Text,
    /// Every case with what was expected and found, and the summary, as JSON.
    Json,
}

/// `parkplan check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Problem files or folders (searched recursively for *.yaml, *.yml and workbooks; a folder
    /// holding parks.csv is one problem written as CSV files).
    #[arg(value_name = "PATH", default_value = "problems")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Also write a JUnit XML report here (written whole or not at all; `-` for standard output,
    /// which then moves the report to standard error).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Cases solved at once, at most 256 [default: one per core].
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        value_name = "N",
        value_parser = super::whole::whole::<usize>(super::JOBS_RANGE)
    )]
    pub jobs: Option<usize>,
    /// Relative tolerance of the verification of every plan.
    #[arg(allow_negative_numbers = true, long, default_value_t = parkplan::plan::verify::DEFAULT_TOLERANCE, value_name = "T")]
    pub verify_tolerance: f64,
    /// Do not look for a tied optimum of each plan (one MILP fewer per case); plans then name no
    /// tie.
    #[arg(long)]
    pub no_tie_check: bool,
    /// Solver settings.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: CheckArgs) -> Result<Exit, CliError> {
    // Ctrl-C (or SIGTERM) stops the cases running and starts no more; the cases decided before
    // it are reported as usual.
    parkplan::solver::watch::install_sigint();
    parkplan::solver::watch::install_sigterm();
    let solve = a.solver.options()?;
    if !(a.verify_tolerance.is_finite() && a.verify_tolerance >= 0.0) {
        return Err(CliError::Usage(
            "--verify-tolerance must be a finite number ≥ 0, e.g. 1e-6".into(),
        ));
    }
    let jobs = super::jobs(a.jobs)?;
    let options = CheckOptions {
        solve,
        jobs,
        verify_tolerance: a.verify_tolerance,
        ties: if a.no_tie_check {
            Ties::Skip
        } else {
            Ties::Check
        },
    };
    let report = check::check(&a.paths, &options);
    if report.cases.is_empty() {
        let shown: Vec<String> = a.paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CliError::Usage(format!(
            "no problem files (*.yaml, *.yml, *.xlsx, or folders holding parks.csv) found in {}",
            shown.join(", ")
        )));
    }
    let rendered = match a.format {
        CheckFormat::Text => parkplan::report::check::text(&report),
        CheckFormat::Json => parkplan::report::check::json(&report),
    };
    // The report is shown before the JUnit file is written, so a JUnit path that cannot be
    // written still leaves the results on screen (with the error, and exit 1).
    match &a.junit {
        // `--junit -`: the XML takes standard output, the report goes to standard error.
        Some(target) if target.as_os_str() == "-" => {
            eprint!("{rendered}");
            super::write(target, &parkplan::report::junit::render(&report)?)?;
        }
        Some(target) => {
            super::print(&rendered)?;
            super::write(target, &parkplan::report::junit::render(&report)?)?;
        }
        None => super::print(&rendered)?,
    }
    if let Some(cause) = report.stopped_by {
        eprintln!(
            "stopped by {}: {} of {} case(s) not decided; run again to check them",
            cause.words(),
            report.summary.stopped,
            report.summary.cases
        );
    }
    Ok(exit(&report))
}

/// The exit code of a check: 2 when a file or variant is invalid, else 1 when the solver failed,
/// else 7 when a case failed, else 8 when a signal stopped some case, else 0. Every case is run
/// and reported whatever the code (but those a signal stopped).
fn exit(report: &CheckReport) -> Exit {
    let s = &report.summary;
    if s.invalid > 0 {
        Exit::BadInput
    } else if s.errors > 0 {
        Exit::Error
    } else if s.failed > 0 {
        Exit::Mismatch
    } else if s.stopped > 0 {
        Exit::Incomplete
    } else {
        Exit::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parkplan::batch::check::Summary;

    #[test]
    fn exit_code_precedence() {
        let mut r = CheckReport {
            summary: Summary::default(),
            cases: Vec::new(),
            stopped_by: None,
        };
        assert_eq!(exit(&r), Exit::Ok);
        r.summary.stopped = 1;
        assert_eq!(exit(&r), Exit::Incomplete);
        r.summary.failed = 1;
        assert_eq!(exit(&r), Exit::Mismatch);
        r.summary.errors = 1;
        assert_eq!(exit(&r), Exit::Error);
        r.summary.invalid = 1;
        assert_eq!(exit(&r), Exit::BadInput);
    }
}
