//! Problem files: their format ([`format`], and its JSON Schema in [`json_schema`]), reading with
//! positions ([`load`]), diagnostics ([`diagnostic`]) and validation ([`validate`], with the bounds
//! it derives for the model in `bounds`).
//!
//! A problem may also be written as tables, a workbook or a folder of CSV files ([`workbook`]):
//! [`SourceFile::read`] reads those into the same document, with cells for positions.
//!
//! The road every variant takes: [`SourceFile::read`] → document (with a variant's changes applied) → [`SourceFile::problem_from`] → [`validate::validate`] → [`ValidProblem`].

mod bounds;
pub mod diagnostic;
pub mod format;
pub mod generate;
pub mod horizon;
mod ids;
pub mod json_schema;
pub mod load;
mod tables;
pub mod validate;
pub mod workbook;

/// The name the base problem goes by among its variants; no scenario may take it.
pub const BASE: &str = "base";

pub use diagnostic::{Diagnostic, Diagnostics, Location};
pub use format::Problem;
pub use horizon::{Horizon, Period};
pub use ids::{ChainIx, ParkIx};
pub use load::SourceFile;
pub use validate::ValidProblem;

impl SourceFile {
    /// The base problem as written (scenarios and sweeps not applied). A scenario may not take
    /// the base problem's name: every command would then mean two different problems by it.
    pub fn base_problem(&self) -> Result<Problem, Diagnostics> {
        let problem = self.problem_from(self.document.clone())?;
        if problem.scenarios.contains_key(BASE) {
            return Err(self.diagnostics(vec![
                Diagnostic::at(
                    format!("scenarios.{BASE}"),
                    "a scenario cannot be called `base`: that is the name of the problem as written",
                )
                .help("give the scenario a name of its own, e.g. `base-case`"),
            ]));
        }
        Ok(problem)
    }
}
