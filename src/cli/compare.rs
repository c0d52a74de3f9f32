//! `parkplan compare`: plans side by side, with changes against a base.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use super::{CliError, SolverArgs, located};
use crate::cli::exit::Exit;
use parkplan::analysis::compare::{self, NamedPlan};
use parkplan::batch::inputs::{read_all, unique_labels};
use parkplan::batch::pool::{Failure, Ties, solve_all};
use parkplan::problem::{Problem, SourceFile};
use parkplan::solver::SolveOptions;
use parkplan::variant::{self, Selection};

/// How `compare` writes its tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// Text tables for a terminal.
    Table,
    /// Markdown pipe tables.
    Markdown,
    /// CSV in long form.
    Csv,
    /// JSON, the machine interface (holds the plans too; `parkplan report` reads it).
    Json,
    /// An Excel workbook: the plans side by side, one sheet per table.
    Xlsx,
}

/// `parkplan compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Plan files (JSON or YAML, from `solve -o`), comparison files, or folders of them.
    #[arg(value_name = "PLAN")]
    pub plans: Vec<PathBuf>,
    /// Solve this problem file's base and every scenario, and compare them.
    #[arg(long, value_name = "FILE")]
    pub scenarios: Option<PathBuf>,
    /// The plan the others are compared with, by label (variant name, or file name where variant
    /// names repeat); default `base`, else the first.
    #[arg(long, value_name = "NAME")]
    pub base: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write the comparison here (`-` for standard output).
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// Set plans of different problems side by side (refused otherwise).
    #[arg(long)]
    pub mixed_problems: bool,
    /// With --scenarios: do not look for a tied optimum of each plan (one MILP fewer per
    /// variant); plans then name no tie. The base's main chains are still kept where a tie
    /// allows.
    #[arg(long)]
    pub no_tie_check: bool,
    /// Solver settings (for --scenarios).
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: CompareArgs) -> Result<Exit, CliError> {
    if a.plans.is_empty() && a.scenarios.is_none() {
        return Err(CliError::Usage(
            "give plan files to compare, or --scenarios FILE to solve and compare a problem's scenarios".into(),
        ));
    }
    if a.format == CompareFormat::Xlsx {
        super::workbook_target(&a.output, "give a file with -o, e.g. -o comparison.xlsx")?;
    }
    let mut plans = Vec::new();
    let mut problem = None;
    if let Some(file) = &a.scenarios {
        let (solved, p) = solve_scenarios(file, &a.solver.options()?, ties(a.no_tie_check))?;
        plans.extend(solved.into_iter().map(|p| (p, String::new())));
        problem = Some(p);
    }
    for p in read_all(&a.plans)? {
        plans.push((p, String::new()));
    }
    let plans = unique_labels(plans);
    if !a.mixed_problems {
        compare::same_problem(&plans)?;
    }
    let c = compare::compare(plans, a.base.as_deref(), problem.as_ref())?;
    let text = match a.format {
        CompareFormat::Table => parkplan::report::comparison::table::render(&c),
        CompareFormat::Markdown => parkplan::report::comparison::markdown::render(&c),
        CompareFormat::Csv => parkplan::report::comparison::csv::render(&c)
            .map_err(parkplan::report::ReportError::from)?,
        CompareFormat::Json => {
            serde_json::to_string_pretty(&c).map_err(parkplan::report::ReportError::from)? + "\n"
        }
        CompareFormat::Xlsx => {
            let input = parkplan::report::ReportInput {
                title: c.problem.as_deref().unwrap_or("parkplan comparison"),
                plans: &c.plans,
                problem: problem.as_ref(),
                base: c.variants.iter().position(|v| *v == c.base).unwrap_or(0),
                rows: &[],
                fronts: &[],
                notes: &[],
                designations: &[],
            };
            let bytes = parkplan::report::xlsx::report(&input)?;
            super::write_workbook(&a.output, &bytes)?;
            return Ok(Exit::Ok);
        }
    };
    super::write_result(&a.output, &text)?;
    Ok(Exit::Ok)
}

/// Whether plans are checked for a tied optimum, from `--no-tie-check`.
pub(super) fn ties(no_tie_check: bool) -> Ties {
    if no_tie_check {
        Ties::Skip
    } else {
        Ties::Check
    }
}

/// Solves a problem file's base and every scenario; the plans in file order, labelled by variant,
/// and the base problem (for units and names).
pub(super) fn solve_scenarios(
    file: &Path,
    options: &SolveOptions,
    ties: Ties,
) -> Result<(Vec<NamedPlan>, Problem), CliError> {
    let src = SourceFile::read(file)?;
    let base = src.base_problem()?;
    let selection = Selection {
        base: true,
        scenarios: None,
        sweeps: Some(Vec::new()),
        ..Selection::default()
    };
    let variants =
        variant::expand(&src.document, &base, &selection).map_err(|d| located(&src, d))?;
    let results = solve_all(&src, variants, options, 0, ties, &|_| {});
    let mut plans = Vec::new();
    for r in results {
        match r.outcome {
            Ok(plan) => plans.push(NamedPlan {
                label: r.variant.name.clone(),
                plan,
            }),
            Err(Failure::Invalid(d)) => return Err(CliError::BadInput(d)),
            Err(Failure::Solver(e)) => return Err(CliError::Solve(e)),
            Err(Failure::Write { path, source }) => return Err(CliError::Io { path, source }),
        }
    }
    Ok((plans, base))
}
