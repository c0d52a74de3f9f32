//! `parkplan export`: the exact model parkplan solves, as an LP or MPS file.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, load, variant};
use crate::cli::exit::Exit;
use parkplan::model::{Flows, Formulation, Model, ModelOptions};
use parkplan::solver::files::{ModelFormat, to_highs, write_highs};
use parkplan::util::timings::Clock;

/// `parkplan export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The problem file.
    pub file: PathBuf,
    /// Apply this scenario of the file to the base problem.
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Write the model here; the extension `.lp` or `.mps` picks the format (`-` for standard
    /// output, with `--format`).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,
    /// The format, when the file name does not say it.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<super::formats::ModelFormatArg>,
    /// Print on standard error how long each step took: reading the file, validating it,
    /// building the model, handing it to HiGHS, and writing it out.
    #[arg(long)]
    pub timings: bool,
    /// How material flows are formulated: through zone hubs (the default, linear in parks) or
    /// one column per pair of parks (MODEL.md §3 word for word; same optimum, far larger).
    #[arg(long, value_enum, default_value = "hub")]
    pub flows: FlowsArg,
    /// How the one-main-chain rule is formulated: big-M rows, or one disjunct per main chain
    /// (docs/MODEL.md §4.7; a tighter relaxation, the same plans).
    #[arg(long, value_enum, default_value = "big-m")]
    pub formulation: FormulationArg,
}

/// `--formulation`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormulationArg {
    /// Big-M growth and share rows.
    BigM,
    /// One disjunct per main chain.
    Hull,
}

/// `--flows`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FlowsArg {
    /// Aggregated through zone hubs.
    Hub,
    /// One column per pair of parks.
    Pairwise,
}

pub(super) fn run(a: ExportArgs) -> Result<Exit, CliError> {
    let format = match a
        .format
        .map(ModelFormat::from)
        .or_else(|| ModelFormat::from_path(&a.output))
    {
        Some(f) => f,
        None => {
            return Err(CliError::Usage(format!(
                "cannot tell the model format from `{}`: name the file `*.lp` or `*.mps`, or give --format lp|mps",
                a.output.display()
            )));
        }
    };
    let mut clock = Clock::default();
    let (src, base) = load(&a.file)?;
    clock.lap("load");
    let (_, valid) = variant(&src, &base, a.scenario.as_deref())?;
    clock.lap("validate");
    let flows = match a.flows {
        FlowsArg::Hub => Flows::Hub,
        FlowsArg::Pairwise => Flows::Pairwise,
    };
    let formulation = match a.formulation {
        FormulationArg::BigM => Formulation::BigM,
        FormulationArg::Hull => Formulation::Hull,
    };
    let options = ModelOptions {
        flows,
        formulation,
        ..ModelOptions::default()
    };
    let model = Model::build(&valid, options);
    clock.lap("build");
    let hm = to_highs(&model, format)?;
    clock.lap("highs");
    let text = write_highs(&model, hm, format)?;
    super::write_result(&a.output, &text)?;
    clock.lap("write");
    // Units `u` are the general integers (MODEL.md §12); `y` and the switches `z` are binary.
    let integer = model.integer_columns();
    let general = integer
        .iter()
        .filter(|&&i| model.col_names[i].starts_with("u["))
        .count();
    let binary = integer.len() - general;
    let kinds = if general > 0 {
        format!("{binary} binary, {general} integer")
    } else {
        format!("{binary} binary")
    };
    eprintln!(
        "{}: {} columns ({kinds}), {} rows",
        if a.output.as_os_str() == "-" {
            "model".to_string()
        } else {
            a.output.display().to_string()
        },
        model.col_names.len(),
        model.rows.len()
    );
    if a.timings {
        eprintln!("{}", clock.report());
    }
    Ok(Exit::Ok)
}
