//! `parkplan sweep`: the base problem, its scenarios and sweep points, solved side by side.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::formats::SweepFormatArg;
use super::{CliError, SolverArgs, load, variant, write};
use crate::cli::exit::Exit;
use parkplan::batch::folder::summary_file;
use parkplan::batch::sweep::{self, Failure, OutDir, RunOptions, Shard, Summary, Ties};
use parkplan::variant::Selection;

/// `parkplan sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Solve only these scenarios (comma-separated), besides the base. Without it and without
    /// --sweep: every scenario and every sweep of the file.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub scenarios: Option<Vec<String>>,
    /// Solve only the points of this sweep (repeat, or separate by commas, for several), besides
    /// the base.
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    pub sweep: Option<Vec<String>>,
    /// Variants solved at once, at most 256 [default: one per core].
    #[arg(
        allow_negative_numbers = true,
        long,
        short = 'j',
        value_name = "N",
        value_parser = super::whole::whole::<usize>(super::JOBS_RANGE)
    )]
    pub jobs: Option<usize>,
    /// Solve only slice K of N (0 ≤ K < N): variant i belongs to slice i mod N.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Format of the summary on standard output; `xlsx` is a workbook of every variant's plan,
    /// for a file (`> sweep.xlsx`), not a terminal.
    #[arg(long, short = 'f', value_enum, default_value_t = SweepFormatArg::Table)]
    pub format: SweepFormatArg,
    /// Write each variant's plan (JSON) into DIR/variants/ as soon as it is solved, and the
    /// summary into DIR (summary.json, or summary-shard-K-of-N.json).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Skip the variants whose plan is already in DIR for the same problem and options (from a
    /// run that was stopped); plans of an edited problem or other options are solved again.
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Do not look for a tied optimum of each plan (one MILP fewer per variant); plans then name
    /// no tie. The base's main chains are still kept where a tie allows.
    #[arg(long)]
    pub no_tie_check: bool,
    /// The most points one sweep may have; larger sweeps are refused before anything is built.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_name = "N",
        default_value_t = parkplan::variant::DEFAULT_MAX_POINTS,
        value_parser = super::whole::whole::<usize>("0 or more")
    )]
    pub max_points: usize,
    /// Write HiGHS's own log of every solve into FILE (whole, once the sweep ends): the
    /// variants in batch order, each solve headed by its variant.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Solver settings; --time-limit applies to each variant.
    #[command(flatten)]
    pub solver: SolverArgs,
}

/// A progress bar on standard error when it is a terminal, nothing otherwise.
pub(super) fn progress(len: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let template =
        format!("{{bar:25}} {{pos}}/{{len}} {what}, {{elapsed}} elapsed, about {{eta}} to go");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}

pub(super) fn run(a: SweepArgs) -> Result<Exit, CliError> {
    // Ctrl-C stops the variants being solved (keeping their best plans) and starts no more.
    parkplan::solver::watch::install_sigint();
    let options = a.solver.options()?;
    let jobs = super::jobs(a.jobs)?;
    super::solve::log_target(a.log.as_deref())?;
    if a.format == SweepFormatArg::Xlsx {
        super::workbook_target(
            std::path::Path::new("-"),
            "redirect standard output to a file, e.g. `parkplan sweep FILE -f xlsx > sweep.xlsx`",
        )?;
    }
    let (src, base) = load(&a.file)?;
    // The base must be valid: every variant inherits what is wrong with it.
    variant(&src, &base, None)?;
    let (scenarios, sweeps) = match (a.scenarios, a.sweep) {
        (None, None) => (None, None),
        (sc, sw) => (Some(sc.unwrap_or_default()), Some(sw.unwrap_or_default())),
    };
    let selection = Selection {
        base: true,
        scenarios,
        sweeps,
        max_points: a.max_points,
    };
    let listed = sweep::list(&src, &base, &selection)?;
    let total = listed.len();
    let batch = sweep::fingerprint(&listed, &options);
    // Only this shard's variants are built.
    let entries = listed.select(a.shard.unwrap_or(Shard::WHOLE));
    drop(listed);
    let out = match &a.output {
        Some(dir) => Some(OutDir::open(dir, a.shard)?),
        None => None,
    };
    if let Some(out) = &out {
        if out.removed_temporaries() > 0 {
            eprintln!(
                "removed {} temporary file(s) left in {} by a sweep that was stopped",
                out.removed_temporaries(),
                out.root().display()
            );
        }
        // Rebuilt at the end from this run's plans: one left from an earlier run must not stand
        // beside them should this run be stopped.
        out.remove_summary(a.shard).map_err(|source| CliError::Io {
            path: out.root().join(summary_file(a.shard)),
            source,
        })?;
    }

    let selected = entries.len();
    // The bar is the progress shown: no HiGHS progress line per variant.
    super::solve::start_watch(a.log.clone(), false);
    let bar = progress(entries.len(), "variants");
    let run_options = RunOptions {
        solve: options,
        jobs,
        out: out.clone(),
        resume: a.resume,
        ties: if a.no_tie_check {
            Ties::Skip
        } else {
            Ties::Check
        },
    };
    let outcomes = sweep::run(&src, entries, &run_options, &|_, _| bar.inc(1));
    bar.finish_and_clear();
    super::solve::finish_log(a.log.as_deref())?;
    let interrupted = parkplan::solver::watch::interrupted();

    let resumed = outcomes.iter().filter(|o| o.resumed).count();
    if resumed > 0
        && let Some(dir) = &a.output
    {
        eprintln!(
            "{resumed} variant(s) taken from {} without solving again",
            dir.display()
        );
    }
    let stale: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.stale)
        .map(|o| o.name.as_str())
        .collect();
    if !stale.is_empty() {
        let more = if stale.len() > 5 { ", …" } else { "" };
        eprintln!(
            "re-solving {} plans whose problem or options changed: {}{more}",
            stale.len(),
            stale[..stale.len().min(5)].join(", ")
        );
    }
    for o in &outcomes {
        if let Err(Failure::Invalid(d)) = &o.result {
            eprintln!("variant `{}` is not solved:\n{d}", o.name);
        }
    }
    let mut failed_writes: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.unwritten.as_ref().map(|e| format!("error: {e}")))
        .collect();
    // A whole batch owns its folder: plans of variants it no longer has go.
    if let (Some(out), None) = (&out, a.shard) {
        let keep: HashSet<String> = outcomes.iter().filter_map(|o| o.file.clone()).collect();
        if let Err(e) = out.remove_plans_except(&keep) {
            failed_writes.push(format!(
                "error: cannot remove old plans from {}: {e}",
                out.root().join("variants").display()
            ));
        }
    }
    let stopped: Vec<String> = outcomes
        .iter()
        .filter(|o| o.stopped)
        .map(|o| o.name.clone())
        .collect();
    let not_started = selected - outcomes.len();
    let summary = Summary::new(base.name.clone(), batch, total, a.shard, &outcomes);
    if let Some(out) = &out
        && let Err(e) = out.write_summary(&summary)
    {
        failed_writes.push(format!(
            "error: cannot write {}: {e}",
            out.root().join(summary_file(summary.shard)).display()
        ));
    }
    // Every result is printed, whatever could not be written.
    match a.format.text() {
        Some(format) => {
            let text = parkplan::report::summary::render(&summary, format)?;
            write(std::path::Path::new("-"), &text)?;
        }
        None => {
            let bytes = workbook(&base, &summary, outcomes)?;
            super::write_workbook(std::path::Path::new("-"), &bytes)?;
        }
    }
    if interrupted {
        let finished = selected - not_started - stopped.len();
        let more = if stopped.len() > 5 { ", …" } else { "" };
        let names = if stopped.is_empty() {
            String::new()
        } else {
            format!(" ({}{more})", stopped[..stopped.len().min(5)].join(", "))
        };
        eprintln!(
            "{}: stopped by {}: {finished} variant(s) finished, {} stopped with the best plan found by then{names}, {not_started} not started",
            a.file.display(),
            // SIGTERM was told as Ctrl-C here, while each plan said SIGTERM.
            parkplan::solver::watch::stop_cause()
                .unwrap_or(parkplan::solver::StopCause::Sigint)
                .words(),
            stopped.len(),
        );
        if let Some(dir) = &a.output {
            eprintln!(
                "  = help: `parkplan sweep {} -o {} --resume` solves the stopped and the unstarted ones",
                a.file.display(),
                dir.display()
            );
        }
    }
    if !failed_writes.is_empty() {
        for e in &failed_writes {
            eprintln!("{e}");
        }
        return Ok(Exit::Error);
    }
    Ok(if summary.all_optimal() && not_started == 0 {
        Exit::Ok
    } else {
        Exit::Incomplete
    })
}

/// The workbook of a sweep: every variant in batch order, those without a plan with their status
/// and why.
fn workbook(
    base: &parkplan::problem::Problem,
    summary: &Summary,
    outcomes: Vec<sweep::Outcome>,
) -> Result<Vec<u8>, CliError> {
    use parkplan::analysis::compare::NamedPlan;
    use parkplan::report::{ReportInput, Row};
    let mut plans = Vec::new();
    let mut rows = Vec::new();
    for (o, v) in outcomes.into_iter().zip(&summary.variants) {
        let plan = o.result.ok().map(|plan| {
            plans.push(NamedPlan {
                label: o.name.clone(),
                plan,
            });
            plans.len() - 1
        });
        rows.push(Row {
            label: o.name,
            status: v.status,
            reason: v.message.clone(),
            plan,
        });
    }
    let input = ReportInput {
        title: base.name.as_deref().unwrap_or("parkplan sweep"),
        base: plans
            .iter()
            .position(|np| np.label == parkplan::variant::BASE)
            // Without a base plan, no plan is taken for it.
            .unwrap_or(plans.len()),
        plans: &plans,
        problem: Some(base),
        rows: &rows,
        fronts: &[],
        notes: &[],
        designations: &[],
    };
    Ok(parkplan::report::xlsx::report(&input)?)
}
