//! Variants of one file, validated: each one deserialised and checked on its own, its diagnostics
//! located in the file and labelled with the variant's name.

use crate::problem::{Diagnostics, SourceFile, ValidProblem, validate};
use crate::variant::{Selection, Variant, expand};

impl SourceFile {
    /// Deserialises and validates one variant of this file.
    pub fn validate_variant(&self, variant: &Variant) -> Result<ValidProblem, Diagnostics> {
        let problem = self.problem_from(variant.document.clone())?;
        validate::validate(problem).map_err(|items| {
            let mut d = self.diagnostics(items);
            if variant.name != crate::variant::BASE {
                for item in &mut d.items {
                    item.message = format!("{} (in variant `{}`)", item.message, variant.name);
                }
            }
            d
        })
    }
}

/// What a whole file holds, once every variant of it is known to be valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSummary {
    /// Parks in the base problem.
    pub parks: usize,
    /// Chains in the base problem.
    pub chains: usize,
    /// Scenarios.
    pub scenarios: usize,
    /// Sweep points, over all sweeps.
    pub sweep_points: usize,
}

impl SourceFile {
    /// Validates the whole file: the base problem with its `expected:` blocks first; when that
    /// is sound, every scenario and sweep point as the variant it produces. Errors of the base are
    /// reported once, not again for every variant that inherits them.
    pub fn validate_all(&self) -> Result<FileSummary, Diagnostics> {
        let base = self.base_problem()?;
        validate::validate(base.clone()).map_err(|items| self.diagnostics(items))?;
        if let Some(u) = &base.uncertainty {
            let pairs: Vec<(String, f64)> =
                u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect();
            crate::variant::uncertainty::check(&base, &pairs, "uncertainty.scenarios")
                .map_err(|items| self.diagnostics(items))?;
        }
        let selection = Selection {
            base: false,
            scenarios: None,
            sweeps: None,
        };
        let variants =
            expand(&self.document, &base, &selection).map_err(|d| self.diagnostics(vec![d]))?;
        let mut items = Vec::new();
        for v in &variants {
            if let Err(d) = self.validate_variant(v) {
                items.extend(d.items);
            }
        }
        if !items.is_empty() {
            items.dedup();
            return Err(self.diagnostics(items));
        }
        Ok(FileSummary {
            parks: base.parks.len(),
            chains: base.chains.len(),
            scenarios: base.scenarios.len(),
            sweep_points: variants.len() - base.scenarios.len(),
        })
    }
}
