//! `parkplan solve`: one problem (or one scenario of it) to one plan.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::formats::PlanFormat;
use super::{CliError, SolverArgs, load, variant};
use crate::cli::exit::Exit;
use parkplan::plan;
use parkplan::report;
use parkplan::solver::watch::{self, LogBook, Watch};
use parkplan::solver::{SolveStatus, StopCause};
use parkplan::util::timings::{self, Clock};

/// `parkplan solve`.
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    /// Write the plan here (`-` for standard output); the file appears whole or not at all.
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Do not look for another main-chain assignment that reaches the same objective (one MILP
    /// fewer); the plan then names no tie.
    #[arg(long)]
    pub no_tie_check: bool,
    /// Write HiGHS's own log of every solve into FILE (whole, once the run ends).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Print on standard error how long each step took: reading the file, validating it,
    /// building models, handing them to HiGHS, HiGHS's own solve, the rest of making the plan
    /// (reading it, its shadow prices), and writing it out.
    #[arg(long)]
    pub timings: bool,
    /// Solver settings.
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: SolveArgs) -> Result<Exit, CliError> {
    // Ctrl-C from the start stops the solve rather than the process (none runs yet: it then
    // starts and stops at once, with no plan).
    watch::install_sigint();
    // The time limit counts from here: reading and checking the file are part of the run.
    let options = a.solver.options()?.started_now();
    if a.format == PlanFormat::Xlsx {
        super::workbook_target(&a.output, "give a file with -o, e.g. -o plan.xlsx")?;
    }
    log_target(a.log.as_deref())?;
    let mut clock = Clock::default();
    let (src, base) = load(&a.file)?;
    clock.lap("load");
    let (v, valid) = variant(&src, &base, a.scenario.as_deref())?;
    clock.lap("validate");
    let before = timings::totals();
    // PARKPLAN_PROGRESS=1 draws the line on any standard error (a log, a test).
    let progress = std::io::stderr().is_terminal()
        || std::env::var_os("PARKPLAN_PROGRESS").is_some_and(|v| v == "1");
    start_watch(a.log.clone(), progress);
    let solved = watch::labelled(0, &v.name, || {
        let mut plan = plan::solve_variant(&valid, &v.name, &options)?;
        if !a.no_tie_check {
            plan::check_tie(&valid, &mut plan, &options)?;
        }
        Ok::<_, parkplan::solver::SolveError>(plan)
    });
    finish_log(a.log.as_deref())?;
    let plan = solved?;
    clock.lap_split(before, "plan");
    match a.format.text() {
        Some(format) => {
            let text = report::render(&plan, valid.problem(), format)?;
            super::write_result(&a.output, &text)?;
        }
        None => super::write_workbook(
            &a.output,
            &report::xlsx::plan_of(&plan, Some(valid.problem()))?,
        )?,
    }
    clock.lap("write");
    // The table says so in its head, JSON and YAML in their `tie` field; the others here.
    let says_tie = matches!(
        a.format,
        PlanFormat::Table | PlanFormat::Json | PlanFormat::Yaml
    );
    if let (Some(tie), false) = (&plan.tie, says_tie) {
        eprintln!("{}: note: {}", a.file.display(), tie.sentence());
    }
    if let Some(why) = plan.status.message_by(plan.gap, plan.stopped_by) {
        let file = a.file.display();
        match plan.status {
            SolveStatus::Infeasible => eprintln!(
                "{file}: the problem is infeasible: {why}\n  = help: `parkplan explain {file}{}` finds the smallest changes that make it feasible",
                a.scenario
                    .as_deref()
                    .map(|s| format!(" --scenario {s}"))
                    .unwrap_or_default()
            ),
            SolveStatus::Unbounded => eprintln!("{file}: the problem is unbounded: {why}"),
            // Only a stop by the time limit is mended by raising it.
            SolveStatus::NoSolution if plan.stopped_by == Some(StopCause::TimeLimit) => {
                eprintln!("{file}: {why}; raise --time-limit")
            }
            _ => eprintln!("{file}: {why}"),
        }
    }
    if a.timings {
        eprintln!("{}", clock.report());
    }
    Ok(Exit::of(plan.status))
}

/// Watches this run's solves: a progress line on a terminal (`progress`), HiGHS's log into `log`.
pub(super) fn start_watch(log: Option<PathBuf>, progress: bool) {
    watch::set(Watch {
        progress,
        log: log.map(LogBook::new),
    });
}

/// Refuses, before anything is solved, a `--log` that cannot be written: a folder, or a file in a
/// folder that does not exist. Found only at the end, it cost the run's plan.
pub(super) fn log_target(log: Option<&Path>) -> Result<(), CliError> {
    let Some(path) = log else {
        return Ok(());
    };
    let usage = |why: String| Err(CliError::Usage(format!("--log {}: {why}", path.display())));
    if path.is_dir() || path.as_os_str().as_encoded_bytes().ends_with(b"/") {
        return usage("it names a folder; give a file name inside it, e.g. highs.log".into());
    }
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            usage(format!("the folder {} does not exist", dir.display()))
        }
        _ => Ok(()),
    }
}

/// Writes the log of `--log`, if given.
pub(super) fn finish_log(log: Option<&Path>) -> Result<(), CliError> {
    match (watch::write_log(), log) {
        (Err(source), Some(path)) => Err(CliError::Io {
            path: path.to_path_buf(),
            source,
        }),
        _ => Ok(()),
    }
}
