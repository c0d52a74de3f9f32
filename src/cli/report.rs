//! `parkplan report`: one self-contained HTML file (or Markdown) on a plan, a problem's scenarios,
//! a comparison or a folder of plans.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::compare::solve_scenarios;
use super::{CliError, SolverArgs, write};
use crate::compare::input::{FileKind, read_plans, sniff, unique_labels};
use crate::exit::Exit;
use crate::report::{ReportFormat, ReportInput, render_report};

/// `parkplan report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Plan files (from `solve -o`), comparison files (from `compare -f json`), folders of them,
    /// or problem files (their base and every scenario are solved).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Write the report here (`-` for standard output).
    #[arg(long, short = 'o', value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
    /// The format; by default HTML, or Markdown when the output file ends in `.md`.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<ReportFormat>,
    /// The plan the others are compared with, by label; default `base`, else the first.
    #[arg(long, value_name = "NAME")]
    pub base: Option<String>,
    /// The report's title; default the problem's name.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Solver settings (for problem files).
    #[command(flatten)]
    pub solver: SolverArgs,
}

pub(super) fn run(a: ReportArgs) -> Result<Exit, CliError> {
    let format = a
        .format
        .unwrap_or_else(|| match a.output.extension().and_then(|e| e.to_str()) {
            Some("md" | "markdown") => ReportFormat::Markdown,
            _ => ReportFormat::Html,
        });
    let usage = |e: crate::compare::input::InputError| CliError::Usage(e.to_string());
    let mut plans = Vec::new();
    let mut problem = None;
    for input in &a.inputs {
        let stem = input
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !input.is_dir() && matches!(sniff(input).map_err(usage)?, FileKind::Problem) {
            let (solved, p) = solve_scenarios(input, &a.solver.options()?)?;
            plans.extend(solved.into_iter().map(|np| {
                let alt = format!("{stem}:{}", np.label);
                (np, alt)
            }));
            problem.get_or_insert(p);
        } else {
            plans.extend(
                read_plans(input)
                    .map_err(usage)?
                    .into_iter()
                    .map(|np| (np, stem.clone())),
            );
        }
    }
    let plans = unique_labels(plans);
    let base = match &a.base {
        Some(name) => plans.iter().position(|p| &p.label == name).ok_or_else(|| {
            let known: Vec<&str> = plans.iter().map(|p| p.label.as_str()).collect();
            CliError::Usage(format!(
                "no plan is labelled `{name}`; the plans are: {}",
                known.join(", ")
            ))
        })?,
        None => plans.iter().position(|p| p.label == "base").unwrap_or(0),
    };
    let title = a
        .title
        .clone()
        .or_else(|| problem.as_ref().and_then(|p| p.name.clone()))
        .or_else(|| plans.iter().find_map(|p| p.plan.problem.clone()))
        .unwrap_or_else(|| "parkplan report".into());
    let input = ReportInput {
        title: &title,
        plans: &plans,
        problem: problem.as_ref(),
        base,
    };
    write(&a.output, &render_report(&input, format))?;
    Ok(Exit::Ok)
}
