//! Variants of one file, validated: each one deserialised and checked on its own, its diagnostics
//! located in the file and labelled with the variant's name.

use rayon::prelude::*;

use crate::problem::diagnostic::Diagnostic;
use crate::problem::{Diagnostics, SourceFile, ValidProblem, validate};
use crate::variant::{DEFAULT_MAX_POINTS, SweepPoints, Variant, scenario, strip_variants};

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

/// Errors collected from sweep points before `validate` stops looking at more points.
const MAX_POINT_ERRORS: usize = 50;

/// Sweep points validated side by side at a time; each holds one document.
const CHUNK: usize = 1024;

impl SourceFile {
    /// Validates the whole file (see [`SourceFile::validate_all_with`]) with the default limit on
    /// a sweep's points.
    pub fn validate_all(&self) -> Result<FileSummary, Diagnostics> {
        self.validate_all_with(DEFAULT_MAX_POINTS)
    }

    /// Validates the whole file: the base problem with its `expected:` blocks first; when that
    /// is sound, every scenario and sweep point as the variant it produces. Errors of the base are
    /// reported once, not again for every variant that inherits them. A sweep with more than
    /// `max_points` points is an error. Sweep points are built and validated a chunk at a time,
    /// so memory does not grow with the number of points; after [`MAX_POINT_ERRORS`] errors the
    /// remaining points are not looked at.
    pub fn validate_all_with(&self, max_points: usize) -> Result<FileSummary, Diagnostics> {
        let base = self.base_problem()?;
        validate::validate(base.clone()).map_err(|items| self.diagnostics(items))?;
        let mut items = Vec::new();
        for name in base.scenarios.keys() {
            let v = scenario(&self.document, &base, name).map_err(|d| self.diagnostics(vec![d]))?;
            if let Err(d) = self.validate_variant(&v) {
                items.extend(d.items);
            }
        }
        // Every sweep's size is checked before any point is built.
        let sweeps: Vec<SweepPoints> = base
            .sweeps
            .keys()
            .map(|name| SweepPoints::new(&base, name, max_points))
            .collect::<Result<_, _>>()
            .map_err(|e| self.diagnostics(vec![e.diagnostic()]))?;
        let stripped = strip_variants(&self.document);
        let mut sweep_points = 0;
        'sweeps: for points in &sweeps {
            sweep_points += points.len();
            for start in (0..points.len()).step_by(CHUNK) {
                let end = (start + CHUNK).min(points.len());
                let found: Vec<Vec<Diagnostic>> = crate::util::parallel::in_pool(0, || {
                    (start..end)
                        .into_par_iter()
                        .map(|i| match points.point(&stripped, i) {
                            Err(d) => vec![d],
                            Ok(v) => self
                                .validate_variant(&v)
                                .err()
                                .map_or(Vec::new(), |d| d.items),
                        })
                        .collect()
                });
                for f in found {
                    // A path that matches nothing fails every point alike: said once.
                    if f.len() == 1 && items.last() == f.first() {
                        continue;
                    }
                    items.extend(f);
                }
                if items.len() >= MAX_POINT_ERRORS {
                    break 'sweeps;
                }
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
            sweep_points,
        })
    }
}
