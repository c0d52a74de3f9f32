//! Reports: one trait, one file per format. The library renders to strings; the CLI decides
//! where they go (see [`crate::util::atomic`]).

pub mod alternatives;
pub mod check;
pub mod comparison;
pub mod designations;
pub mod explanation;
pub mod front;
pub mod html;
pub mod junit;
pub mod markdown;
mod md_table;
mod plan_csv;
mod plan_table;
pub mod robust;
pub mod summary;
mod timeline;
pub mod units;
pub mod verification;
pub mod views;
pub mod xlsx;

use crate::analysis::compare::NamedPlan;
use crate::plan::Plan;
use crate::problem::Problem;

pub use views::{ReportInput, Row};

/// The formats a plan can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable terminal report.
    Table,
    /// YAML, the same fields as JSON.
    Yaml,
    /// JSON, the machine interface.
    Json,
    /// CSV in long form: one record per activity, flow, purchase and resource.
    Csv,
    /// A Markdown report.
    Markdown,
    /// A self-contained HTML report with charts.
    Html,
}

/// The formats of a batch summary (a sweep, a Pareto front). Charts of many plans are
/// `parkplan report`'s business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    /// A readable terminal table.
    Table,
    /// YAML, the same fields as JSON.
    Yaml,
    /// JSON, the machine interface.
    Json,
    /// CSV, one record per variant or point.
    Csv,
}

/// The formats of an analysis over several plans (`alternatives`, `robust`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalysisFormat {
    /// A readable terminal table.
    Table,
    /// YAML, the same fields as JSON.
    Yaml,
    /// JSON, the machine interface.
    Json,
    /// CSV, one record per plan or scenario.
    Csv,
    /// Markdown tables.
    Markdown,
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
    /// JUnit XML serialisation failed.
    #[error("cannot write JUnit XML: {0}")]
    Junit(#[from] quick_junit::SerializeError),
    /// An Excel workbook could not be built.
    #[error("cannot write the xlsx workbook: {0}")]
    Xlsx(String),
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
        Format::Table => Box::new(plan_table::Table),
        Format::Yaml => Box::new(Yaml),
        Format::Json => Box::new(Json),
        Format::Csv => Box::new(plan_csv::Csv),
        Format::Markdown => Box::new(Report(ReportFormat::Markdown)),
        Format::Html => Box::new(Report(ReportFormat::Html)),
    }
}

/// The formats of a report on one or more plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML file: inline CSS and SVG charts.
    Html,
    /// Markdown tables.
    Markdown,
}

/// Renders a report on one or more plans.
pub fn render_report(input: &ReportInput, format: ReportFormat) -> String {
    match format {
        ReportFormat::Html => html::render(input),
        ReportFormat::Markdown => markdown::render(input),
    }
}

/// A one-plan report as a plan format.
struct Report(ReportFormat);

impl Exporter for Report {
    fn render(&self, plan: &Plan, problem: &Problem) -> Result<String, ReportError> {
        let plans = [NamedPlan {
            label: plan.variant.clone(),
            plan: plan.clone(),
        }];
        let title = problem.name.as_deref().unwrap_or("parkplan plan");
        let input = ReportInput {
            title,
            plans: &plans,
            problem: Some(problem),
            base: 0,
            rows: &[],
            fronts: &[],
            notes: &[],
            designations: &[],
        };
        Ok(render_report(&input, self.0))
    }
}

/// Renders a plan in a format.
pub fn render(plan: &Plan, problem: &Problem, format: Format) -> Result<String, ReportError> {
    exporter(format).render(plan, problem)
}
