//! `parkplan report`: one self-contained HTML file (or Markdown) on a plan, a problem's scenarios,
//! a comparison, a folder of plans, a sweep's output folder or a Pareto front.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use super::compare::{solve_scenarios, ties};
use super::{CliError, SolverArgs};
use crate::cli::exit::Exit;
use parkplan::analysis::compare::NamedPlan;
use parkplan::batch::folder::{Merged, holds_summary, merge};
use parkplan::batch::inputs::{FileKind, read_plans, sniff, unique_labels};
use parkplan::plan::Plan;
use parkplan::report::{ReportFormat, ReportInput, Row, render_report};

/// `parkplan report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Plan files (from `solve -o`), comparison files (from `compare -f json`), folders of them,
    /// output folders of `sweep -o` (or their summary files, or `merge -f json` output), Pareto
    /// fronts (from `pareto -f json|yaml`), prices of designations (from `designations -f
    /// json`), or problem files (their base and every scenario are solved).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write the report here (`-` for standard output).
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// The format; by default HTML, or Markdown when the output file ends in `.md`.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<super::formats::ReportFormatArg>,
    /// The plan the others are compared with, by label; default `base`, else the first.
    #[arg(long, value_name = "NAME")]
    pub base: Option<String>,
    /// The report's title; default the problem's name.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Show plans of different problems in one report (refused otherwise).
    #[arg(long)]
    pub mixed_problems: bool,
    /// For problem files: do not look for a tied optimum of each plan (one MILP fewer per
    /// variant); plans then name no tie.
    #[arg(long)]
    pub no_tie_check: bool,
    /// Solver settings (for problem files).
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: ReportArgs) -> Result<Exit, CliError> {
    let format = a.format.map(ReportFormat::from).unwrap_or_else(|| {
        match a.output.extension().and_then(|e| e.to_str()) {
            Some("md" | "markdown") => ReportFormat::Markdown,
            _ => ReportFormat::Html,
        }
    });
    let Gathered {
        plans,
        mut rows,
        fronts,
        notes,
        problem,
        designations,
    } = gather(&a)?;
    if plans.is_empty() && fronts.is_empty() && designations.is_empty() {
        return Err(CliError::Usage(
            "nothing to report: the inputs hold no plan, no Pareto front and no designations"
                .into(),
        ));
    }
    let plans = unique_labels(plans);
    for r in &mut rows {
        if let Some(i) = r.plan {
            r.label = plans[i].label.clone();
        }
    }
    let base = match &a.base {
        Some(name) => plans.iter().position(|p| &p.label == name).ok_or_else(|| {
            let known: Vec<&str> = plans.iter().map(|p| p.label.as_str()).collect();
            CliError::Usage(format!(
                "no plan is labelled `{name}`; the plans are: {}",
                known.join(", ")
            ))
        })?,
        None => plans
            .iter()
            .position(|p| p.label == parkplan::variant::BASE)
            .unwrap_or(0),
    };
    let title = a
        .title
        .clone()
        .or_else(|| problem.as_ref().and_then(|p| p.name.clone()))
        .or_else(|| plans.iter().find_map(|p| p.plan.problem.clone()))
        .or_else(|| fronts.iter().find_map(|f| f.problem.clone()))
        .or_else(|| designations.iter().find_map(|d| d.problem.clone()))
        .unwrap_or_else(|| "parkplan report".into());
    let input = ReportInput {
        title: &title,
        plans: &plans,
        problem: problem.as_ref(),
        base,
        rows: &rows,
        fronts: &fronts,
        notes: &notes,
        designations: &designations,
    };
    super::write_result(&a.output, &render_report(&input, format))?;
    Ok(Exit::Ok)
}

/// The sweeps among the inputs, each read through its summaries in batch order: the folders and
/// summary files of one batch (its shards) are joined into one.
fn read_sweeps(paths: &[&Path]) -> Result<Vec<Merged>, CliError> {
    let usage = CliError::from;
    let mut batches: Vec<(String, Vec<PathBuf>)> = Vec::new();
    for p in paths {
        let one = merge(&[p.to_path_buf()]).map_err(usage)?;
        match batches.iter_mut().find(|(b, _)| *b == one.summary.batch) {
            Some((_, list)) => list.push(p.to_path_buf()),
            None => batches.push((one.summary.batch, vec![p.to_path_buf()])),
        }
    }
    batches
        .into_iter()
        .map(|(_, list)| merge(&list).map_err(usage))
        .collect()
}

/// The rows of a sweep, in batch order, with their plans appended to `plans` (row `plan` indices
/// count from the first of them); what cannot be shown goes to `notes`.
fn sweep_rows(
    merged: &Merged,
    plans: &mut Vec<(NamedPlan, String)>,
    notes: &mut Vec<String>,
) -> Vec<Row> {
    let start = plans.len();
    let mut rows = Vec::new();
    for v in &merged.summary.variants {
        let mut row = Row {
            label: v.name.clone(),
            status: v.status,
            reason: v.message.clone(),
            plan: None,
        };
        if let Some(file) = &v.plan {
            match read_plan(Path::new(file)) {
                Ok(plan) => {
                    row.plan = Some(plans.len() - start);
                    let alt = Path::new(file)
                        .parent()
                        .and_then(Path::parent)
                        .and_then(Path::file_name)
                        .map(|d| format!("{}:{}", d.to_string_lossy(), v.name))
                        .unwrap_or_default();
                    plans.push((
                        NamedPlan {
                            label: v.name.clone(),
                            plan,
                        },
                        alt,
                    ));
                }
                Err(e) => {
                    let why = format!("its plan file cannot be read: {e}");
                    row.reason = Some(match row.reason {
                        Some(r) => format!("{r}; {why}"),
                        None => why,
                    });
                }
            }
        }
        rows.push(row);
    }
    if !merged.missing.is_empty() {
        notes.push(format!(
            "{} of the {} variants of the sweep are missing (positions {}): their shards have not run or were stopped; run them again, with --resume to keep what they finished.",
            merged.missing.len(),
            merged.summary.total,
            merged.missing_positions()
        ));
    }
    rows
}

fn read_plan(path: &Path) -> Result<Plan, String> {
    let text =
        parkplan::util::input::read_text(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What the inputs of a report hold: plans (each with the label it falls back to when its own
/// repeats), overview rows (each with the plan it shows, by position), fronts, notes, and the
/// problem when one was solved.
struct Gathered {
    plans: Vec<(NamedPlan, String)>,
    rows: Vec<Row>,
    fronts: Vec<parkplan::analysis::pareto::Front>,
    notes: Vec<String>,
    problem: Option<parkplan::problem::Problem>,
    designations: Vec<parkplan::analysis::designations::Designations>,
}

/// Reads every input of a report: folders of plans or sweep outputs, plan and comparison files,
/// Pareto fronts, and problem files (whose scenarios are solved).
fn gather(a: &ReportArgs) -> Result<Gathered, CliError> {
    let usage = CliError::from;
    // Each plan with the label it falls back to when its own repeats; each overview row with the
    // plan it shows, by position in `plans`.
    let mut plans: Vec<(NamedPlan, String)> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut fronts = Vec::new();
    let mut designations = Vec::new();
    let mut notes = Vec::new();
    let mut problem = None;
    let mut sweeps: Vec<&Path> = Vec::new();
    let mut push = |plans: &mut Vec<(NamedPlan, String)>, np: NamedPlan, alt: String| {
        rows.push(Row::of_plan(plans.len(), &np));
        plans.push((np, alt));
    };
    for input in &a.inputs {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if input.is_dir() && parkplan::problem::workbook::kind_of(input).is_none() {
            if holds_summary(input) {
                sweeps.push(input);
            } else {
                for np in read_plans(input).map_err(usage)? {
                    let alt = format!("{stem}:{}", np.label);
                    push(&mut plans, np, alt);
                }
            }
            continue;
        }
        match sniff(input).map_err(usage)? {
            FileKind::Problem => {
                let (solved, p) =
                    solve_scenarios(input, &a.solver.options()?, ties(a.no_tie_check))?;
                for np in solved {
                    let alt = format!("{stem}:{}", np.label);
                    push(&mut plans, np, alt);
                }
                problem.get_or_insert(p);
            }
            FileKind::Summary => sweeps.push(input),
            FileKind::Front(f) => fronts.push(*f),
            FileKind::Designations(d) => designations.push(*d),
            FileKind::Plan(_) | FileKind::Comparison(_) => {
                for np in read_plans(input).map_err(usage)? {
                    let alt = format!("{stem}:{}", np.label);
                    push(&mut plans, np, alt);
                }
            }
        }
    }
    for merged in read_sweeps(&sweeps)? {
        let start = plans.len();
        let sweep_rows = sweep_rows(&merged, &mut plans, &mut notes);
        rows.extend(sweep_rows.into_iter().map(|mut r| {
            if let Some(i) = &mut r.plan {
                *i += start;
            }
            r
        }));
    }
    if !a.mixed_problems {
        let named: Vec<NamedPlan> = plans.iter().map(|(p, _)| p.clone()).collect();
        parkplan::analysis::compare::same_problem(&named)?;
    }
    Ok(Gathered {
        plans,
        rows,
        fronts,
        notes,
        problem,
        designations,
    })
}
