//! Reports: one trait, one file per format. The library renders to strings; the CLI decides
//! where they go (see [`crate::output`]).

mod csv;
mod table;

use crate::plan::Plan;
use crate::problem::Problem;

pub use table::fmt_num;

/// The formats a plan can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable terminal report.
    Table,
    /// YAML, the same fields as JSON.
    Yaml,
    /// JSON, the machine interface.
    Json,
    /// CSV in long form: one record per activity, flow, purchase and resource.
    Csv,
}

/// Something that renders a plan.
pub trait Exporter {
    /// Renders `plan` of `problem` as text.
    fn render(&self, plan: &Plan, problem: &Problem) -> Result<String, ReportError>;
}

/// A report that could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// JSON serialisation failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// YAML serialisation failed.
    #[error("cannot write YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    /// CSV serialisation failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

struct Json;
struct Yaml;

impl Exporter for Json {
    fn render(&self, plan: &Plan, _: &Problem) -> Result<String, ReportError> {
        Ok(serde_json::to_string_pretty(plan)? + "\n")
    }
}

impl Exporter for Yaml {
    fn render(&self, plan: &Plan, _: &Problem) -> Result<String, ReportError> {
        Ok(serde_yaml::to_string(plan)?)
    }
}

/// The exporter for a format.
pub fn exporter(format: Format) -> Box<dyn Exporter> {
    match format {
        Format::Table => Box::new(table::Table),
        Format::Yaml => Box::new(Yaml),
        Format::Json => Box::new(Json),
        Format::Csv => Box::new(csv::Csv),
    }
}

/// Renders a plan in a format.
pub fn render(plan: &Plan, problem: &Problem, format: Format) -> Result<String, ReportError> {
    exporter(format).render(plan, problem)
}
