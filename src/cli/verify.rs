//! `parkplan verify`: check a plan against its problem without a solver.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;

use super::{CliError, load, located, variant};
use crate::cli::exit::Exit;
use parkplan::plan::verify::{self, PlanFile};
use parkplan::problem::Diagnostic;
use parkplan::report::verification;
use parkplan::variant as variants;

/// Output format of `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VerifyFormat {
    /// One line per violated constraint and a verdict.
    Text,
    /// The recomputed objective and every violation as JSON.
    Json,
}

/// `parkplan verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The problem file.
    pub problem: PathBuf,
    /// The plan: YAML or JSON, as `solve --format yaml|json` writes it or written by hand.
    pub plan: PathBuf,
    /// Check the plan against this scenario or sweep point (default: the plan's own `variant`,
    /// else the base problem).
    #[arg(long, short = 's', value_name = "NAME")]
    pub scenario: Option<String>,
    /// Relative tolerance for constraints and stated values (absolute below 1).
    #[arg(allow_negative_numbers = true, long, default_value_t = verify::DEFAULT_TOLERANCE, value_name = "T")]
    pub tolerance: f64,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = VerifyFormat::Text)]
    pub format: VerifyFormat,
}

pub(super) fn run(a: VerifyArgs) -> Result<Exit, CliError> {
    if !(a.tolerance.is_finite() && a.tolerance >= 0.0) {
        return Err(CliError::Usage(
            "--tolerance must be a finite number ≥ 0, e.g. 1e-6".into(),
        ));
    }
    let (src, base) = load(&a.problem)?;
    let plan = PlanFile::read(&a.plan)?;
    // A plan that states no status is read as one that holds values.
    let status = plan.plan.status;
    if !status.has_plan() {
        return Err(CliError::Usage(format!(
            "{}: the plan states status `{status}` and holds no values to verify",
            a.plan.display()
        )));
    }
    if let (Some(asked), Some(stated)) = (&a.scenario, &plan.variant)
        && asked != stated
    {
        eprintln!(
            "note: {} is a plan for variant `{stated}`; checking it against `{asked}` as asked",
            a.plan.display()
        );
    }
    let wanted = a.scenario.clone().or_else(|| {
        plan.variant
            .clone()
            .filter(|v| v != parkplan::variant::BASE)
    });
    let (name, valid) = match wanted {
        None => variant(&src, &base, None)?,
        // Asked for on the command line: an unknown name is an error naming the nearest one.
        Some(name) if a.scenario.is_some() => variant(&src, &base, Some(&name))?,
        Some(name) => match variants::find(&src.document, &base, &name) {
            Ok(v) => {
                let valid = src.validate_variant(&v)?;
                (v, valid)
            }
            Err(_) => {
                return Err(located(
                    &src,
                    Diagnostic::file(format!(
                        "the plan is for variant `{name}`, which this problem file does not define"
                    ))
                    .help("pass --scenario NAME to choose the variant to check against"),
                ));
            }
        },
    };
    let name = name.name;
    let result = verify::verify(&valid, &plan.plan, a.tolerance);
    match a.format {
        VerifyFormat::Json => super::print(&format!(
            "{}\n",
            verification::json(&a.problem, &plan, &name, &result)
        ))?,
        VerifyFormat::Text => super::print(&verification::text(&a.problem, &plan, &name, &result))?,
    }
    Ok(if result.ok() {
        Exit::Ok
    } else {
        Exit::Mismatch
    })
}
