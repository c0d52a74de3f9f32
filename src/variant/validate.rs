//! Variants of one file, validated: each one deserialised and checked on its own, its diagnostics
//! located in the file and labelled with the variant's name.

use rayon::prelude::*;

use crate::problem::format::{Expected, ExpectedStatus};
use crate::problem::{Diagnostic, Diagnostics, SourceFile, ValidProblem, validate};
use crate::variant::{DEFAULT_MAX_POINTS, SweepPoints, Variant, scenario, strip_variants};

impl SourceFile {
    /// Deserialises and validates one variant of this file.
    ///
    /// An error in a value the variant changed points at the change (the `set:` entry, the
    /// `merge:` value, the sweep value) and every error names the variant.
    pub fn validate_variant(&self, variant: &Variant) -> Result<ValidProblem, Diagnostics> {
        let problem = crate::problem::load::from_document(variant.document.clone())
            .map_err(|d| self.variant_diagnostics(variant, vec![d]))?;
        let valid = validate::validate(problem)
            .map_err(|items| self.variant_diagnostics(variant, items))?;
        if valid.problem().periods.is_empty() {
            Ok(valid)
        } else {
            self.with_periods(variant, valid)
        }
    }

    /// The warnings of a valid variant, located and labelled as its errors would be.
    pub fn variant_warnings(&self, variant: &Variant, valid: &ValidProblem) -> Diagnostics {
        self.variant_diagnostics(variant, valid.warnings().to_vec())
    }

    /// Diagnostics of one variant: located at the variant's change where one wrote the value,
    /// and labelled with the variant's name.
    pub fn variant_diagnostics(&self, variant: &Variant, items: Vec<Diagnostic>) -> Diagnostics {
        self.labelled_diagnostics(variant, items, variant.label())
    }

    /// Diagnostics of one variant as [`SourceFile::variant_diagnostics`] makes them, labelled
    /// `label` (a period of the variant, say) rather than with the variant's own name.
    pub(super) fn labelled_diagnostics(
        &self,
        variant: &Variant,
        mut items: Vec<Diagnostic>,
        label: Option<String>,
    ) -> Diagnostics {
        for item in &mut items {
            if item.location.is_none()
                && item.cell.is_none()
                && let Some(origin) = item.path.as_deref().and_then(|p| variant.origin_of(p))
            {
                self.place(item, &origin);
            }
            if let Some(label) = &label {
                item.message = format!("in {label}: {}", item.message);
            }
        }
        self.diagnostics(items)
    }
}

/// The limits a variant's existing plant alone exceeds ([`ValidProblem::existing_over_limits`]):
/// no plan can satisfy them, which `validate` reports unless the variant says so itself
/// (`expected: { status: infeasible }`, as the files that show `parkplan explain` at work do).
/// Sweep points are not held to this: a sweep may well run into infeasible points.
fn beyond_any_plan(valid: &ValidProblem, expected: Option<&Expected>) -> Vec<Diagnostic> {
    if expected.and_then(|e| e.status) == Some(ExpectedStatus::Infeasible) {
        return Vec::new();
    }
    valid.existing_over_limits()
}

/// What a whole file holds, once every variant of it is known to be valid.
#[derive(Debug, Clone)]
pub struct FileSummary {
    /// Periods of the base problem (0 for a problem of one period).
    pub periods: usize,
    /// Parks in the base problem.
    pub parks: usize,
    /// Chains in the base problem.
    pub chains: usize,
    /// Scenarios.
    pub scenarios: usize,
    /// Sweep points, over all sweeps.
    pub sweep_points: usize,
    /// What is accepted but unsafe, in the base or any variant (numbers spanning too wide a
    /// range); `None` when there is nothing to warn of.
    pub warnings: Option<Diagnostics>,
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
        let valid = validate::validate(base.clone()).map_err(|items| self.diagnostics(items))?;
        let beyond = beyond_any_plan(&valid, base.expected.as_ref());
        if !beyond.is_empty() {
            return Err(self.diagnostics(beyond));
        }
        let mut warnings = valid.warnings().to_vec();
        if !base.periods.is_empty() {
            // Each period of the base, as a problem of its own.
            self.validate_variant(&crate::variant::base(&self.document, &base))?;
        }
        if let Some(u) = &base.uncertainty {
            let pairs: Vec<(String, f64)> =
                u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect();
            crate::variant::uncertainty::check(&base, &pairs, "uncertainty.scenarios")
                .map_err(|items| self.diagnostics(items))?;
        }
        let mut items = Vec::new();
        for name in base.scenarios.keys() {
            let v = scenario(&self.document, &base, name).map_err(|d| self.diagnostics(vec![d]))?;
            match self.validate_variant(&v) {
                Ok(valid) => {
                    let beyond = beyond_any_plan(&valid, v.expected.as_ref());
                    if beyond.is_empty() {
                        warnings.extend(self.variant_warnings(&v, &valid).items);
                    } else {
                        items.extend(self.variant_diagnostics(&v, beyond).items);
                    }
                }
                Err(d) => items.extend(d.items),
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
            periods: base.periods.len(),
            parks: base.parks.len(),
            chains: base.chains.len(),
            scenarios: base.scenarios.len(),
            sweep_points,
            warnings: (!warnings.is_empty()).then(|| self.diagnostics(warnings)),
        })
    }
}
