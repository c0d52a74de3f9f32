//! Problem files: their format ([`format`], and its JSON Schema in [`json_schema`]), reading with
//! positions ([`load`]), diagnostics ([`diagnostic`]) and validation ([`validate`], with the bounds
//! it derives for the model in `bounds`).
//!
//! The road every variant takes: [`SourceFile::read`] → document (with a variant's changes applied) → [`SourceFile::problem_from`] → [`validate::validate`] → [`ValidProblem`].

mod bounds;
pub mod diagnostic;
pub mod format;
mod ids;
pub mod json_schema;
pub mod load;
pub mod validate;

pub use diagnostic::{Diagnostic, Diagnostics, Location};
pub use format::Problem;
pub use ids::{ChainIx, ParkIx};
pub use load::SourceFile;
pub use validate::ValidProblem;

impl SourceFile {
    /// The base problem as written (scenarios and sweeps not applied).
    pub fn base_problem(&self) -> Result<Problem, Diagnostics> {
        self.problem_from(self.document.clone())
    }
}
