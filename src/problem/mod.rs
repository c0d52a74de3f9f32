//! Problem files: their format ([`schema`]), reading with positions ([`load`]), diagnostics
//! ([`diagnostic`]) and validation ([`validate`]).
//!
//! The road every variant takes: [`SourceFile::read`] → document (scenario changes applied) →
//! [`SourceFile::problem_from`] → [`validate::validate`] → [`ValidProblem`].

pub mod diagnostic;
pub mod load;
pub mod schema;
pub mod validate;

pub use diagnostic::{Diagnostic, Diagnostics, Location};
pub use load::SourceFile;
pub use schema::Problem;
pub use validate::ValidProblem;

use crate::scenario::Variant;

impl SourceFile {
    /// The base problem as written (scenarios and sweeps not applied).
    pub fn base_problem(&self) -> Result<Problem, Diagnostics> {
        self.problem_from(self.document.clone())
    }

    /// Deserialises and validates one variant of this file.
    pub fn validate_variant(&self, variant: &Variant) -> Result<ValidProblem, Diagnostics> {
        let problem = self.problem_from(variant.document.clone())?;
        validate::validate(problem).map_err(|items| {
            let mut d = self.diagnostics(items);
            if variant.name != "base" {
                for item in &mut d.items {
                    item.message = format!("{} (in variant `{}`)", item.message, variant.name);
                }
            }
            d
        })
    }
}
