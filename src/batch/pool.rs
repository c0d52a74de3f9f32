//! Solving many variants at once: rayon over variants, one result per variant, in input order.
//!
//! HiGHS models are not `Send`, so each worker builds and solves its own model from the
//! (shareable) validated problem. A variant that is invalid, infeasible or fails in the solver is a
//! result like any other: the batch always finishes.

use rayon::prelude::*;

use crate::plan::{Plan, solve_variant};
use crate::problem::{Diagnostics, SourceFile, ValidProblem};
use crate::solver::{SolveError, SolveOptions};
use crate::variant::Variant;

/// Why a variant of a batch has no plan: the one failure type of every batch.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The variant's changes cannot be applied, or its problem is invalid.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The solver failed.
    #[error("{0}")]
    Solver(#[from] SolveError),
    /// The plan was found but could not be written to the output folder.
    #[error("cannot write {path}: {source}", path = .path.display())]
    Write {
        /// The plan file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The outcome of one variant.
#[derive(Debug)]
pub struct VariantResult {
    /// The variant that was solved.
    pub variant: Variant,
    /// Its validated problem, when valid.
    pub problem: Option<ValidProblem>,
    /// Its plan (whatever the status), or why there is none.
    pub outcome: Result<Plan, Failure>,
}

/// Validates and solves one variant.
pub fn solve_one(src: &SourceFile, variant: Variant, options: &SolveOptions) -> VariantResult {
    match src.validate_variant(&variant) {
        Err(d) => VariantResult {
            variant,
            problem: None,
            outcome: Err(Failure::Invalid(d)),
        },
        Ok(valid) => {
            let outcome = solve_variant(&valid, &variant.name, options).map_err(Failure::from);
            VariantResult {
                variant,
                problem: Some(valid),
                outcome,
            }
        }
    }
}

/// Solves every variant on `jobs` threads (0 = all cores), calling `done` as each finishes (from
/// the worker thread), and returns the results in the order of `variants`.
pub fn solve_all(
    src: &SourceFile,
    variants: Vec<Variant>,
    options: &SolveOptions,
    jobs: usize,
    done: &(dyn Fn(&VariantResult) + Sync),
) -> Vec<VariantResult> {
    let work = || -> Vec<VariantResult> {
        variants
            .into_par_iter()
            .map(|v| {
                let r = solve_one(src, v, options);
                done(&r);
                r
            })
            .collect()
    };
    crate::util::parallel::in_pool(jobs, work)
}
