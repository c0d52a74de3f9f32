//! Solving many variants at once: rayon over variants, one result per variant, in input order.
//!
//! HiGHS models are not `Send`, so each worker builds and solves its own model from the
//! (shareable) validated problem. A variant that is invalid, infeasible or fails in the solver is a
//! result like any other: the batch always finishes.
//!
//! The base is solved first. Where another variant's optimum changes the base plan's main chains
//! and a plan keeping more of them is as good (within the MIP gap), that plan is the variant's
//! ([`prefer_base`]): a tie is not reported as a change. Each plan then names another main-chain
//! assignment that ties with it, if one does ([`check_tie`], one more MILP; off with
//! [`Ties::Skip`]).

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::plan::{Plan, check_tie, prefer_base, solve_variant};
use crate::problem::{Diagnostics, SourceFile, ValidProblem};
use crate::solver::{SolveError, SolveOptions, watch};
use crate::variant::{BASE, Variant};

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
    /// When its solve began and ended (`None` for an invalid variant): the variants of a batch
    /// on several jobs solve side by side, and these say whether they did.
    pub solving: Option<(std::time::Instant, std::time::Instant)>,
}

/// Whether each plan of a batch is checked for a tied optimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ties {
    /// One more MILP per plan: does another main-chain assignment reach its objective?
    #[default]
    Check,
    /// Not looked for (plans name no tie); the base's main chains are still preferred.
    Skip,
}

/// Validates and solves one variant, checking its plan for a tie.
pub fn solve_one(src: &SourceFile, variant: Variant, options: &SolveOptions) -> VariantResult {
    solve_against(src, variant, options, None, Ties::Check)
}

/// Validates and solves one variant: among tied optima the one keeping most of the main chains
/// `base` gives (park id → chain id), when given; with `ties`, checked for a tie.
pub fn solve_against(
    src: &SourceFile,
    variant: Variant,
    options: &SolveOptions,
    base: Option<&IndexMap<String, String>>,
    ties: Ties,
) -> VariantResult {
    match src.validate_variant(&variant) {
        Err(d) => VariantResult {
            variant,
            problem: None,
            outcome: Err(Failure::Invalid(d)),
            solving: None,
        },
        Ok(valid) => {
            // One deadline for the variant's every solve.
            let options = &options.started_now();
            let began = std::time::Instant::now();
            let outcome = solve_variant(&valid, &variant.name, options)
                .and_then(|plan| match base {
                    Some(base) => prefer_base(&valid, plan, base, options),
                    None => Ok(plan),
                })
                .and_then(|mut plan| {
                    if ties == Ties::Check {
                        check_tie(&valid, &mut plan, options)?;
                    }
                    Ok(plan)
                })
                .map_err(Failure::from);
            VariantResult {
                variant,
                problem: Some(valid),
                outcome,
                solving: Some((began, std::time::Instant::now())),
            }
        }
    }
}

/// The base plan's main chains, solved on its own for a batch that does not hold the base (a
/// shard, a resumed sweep); `None` when the base has no plan.
fn base_main_chains(src: &SourceFile, options: &SolveOptions) -> Option<IndexMap<String, String>> {
    let problem = src.base_problem().ok()?;
    let base = crate::variant::base(&src.document, &problem);
    let plan = solve_against(src, base, options, None, Ties::Skip)
        .outcome
        .ok()?;
    (plan.status == crate::solver::SolveStatus::Optimal).then_some(plan.main_chains)
}

/// Solves every variant on `jobs` threads (0 = all cores), calling `done` as each finishes (from
/// the worker thread), and returns the results in the order of `variants`: the base first, then
/// the others side by side, preferring the base's main chains among tied optima.
///
/// Once the solves are asked to stop ([`crate::solver::watch::interrupt`], Ctrl-C), the variants
/// being solved end with the best plan found so far, and those not started yet are not started:
/// they have no result. Each variant's solves are labelled with its position in `variants` for
/// HiGHS's log.
pub fn solve_all(
    src: &SourceFile,
    variants: Vec<Variant>,
    options: &SolveOptions,
    jobs: usize,
    ties: Ties,
    done: &(dyn Fn(&VariantResult) + Sync),
) -> Vec<VariantResult> {
    let one = |i: usize, v: Variant, base: Option<&IndexMap<String, String>>| {
        if watch::interrupted() || watch::cancelled() {
            return None;
        }
        let name = v.name.clone();
        let r = watch::labelled(i, &name, || solve_against(src, v, options, base, ties));
        done(&r);
        Some(r)
    };
    let work = || -> Vec<VariantResult> {
        let mut variants: Vec<(usize, Variant)> = variants.into_iter().enumerate().collect();
        let at = variants.iter().position(|(_, v)| v.name == BASE);
        let first = at.and_then(|i| {
            let (k, v) = variants.remove(i);
            one(k, v, None)
        });
        let base = match &first {
            Some(r) => r.outcome.as_ref().ok().and_then(|p| {
                (p.status == crate::solver::SolveStatus::Optimal).then(|| p.main_chains.clone())
            }),
            None if variants.is_empty() || watch::interrupted() || watch::cancelled() => None,
            None => base_main_chains(src, options),
        };
        let mut results: Vec<VariantResult> = variants
            .into_par_iter()
            .filter_map(|(i, v)| one(i, v, base.as_ref()))
            .collect();
        if let Some(r) = first {
            results.insert(at.unwrap_or(0).min(results.len()), r);
        }
        results
    };
    crate::solver::watch::in_pool(jobs, work)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::generate::{self, Options};
    use crate::solver::StartMode;

    /// A sweep's variants on two jobs solve side by side, each by the large-MILP method (whose
    /// solves must not take the pool's threads, nor lock one another out): at least two solve
    /// intervals overlap. Regression test for variants serialising inside one solve.
    #[test]
    fn the_variants_of_a_sweep_on_two_jobs_solve_side_by_side() {
        let mut text = generate::generate(&Options {
            parks: 24,
            chains: 12,
            allowed_share: 0.3,
            existing_share: 0.5,
            ..Options::default()
        })
        .expect("a generated problem");
        text.push_str(
            "\nsweeps:\n  reuse:\n    vary: { 'objective.reuse': [0.5, 1.5, 2, 2.5, 3, 4] }\n",
        );
        let src = SourceFile::parse(std::path::Path::new("g.yaml"), text).expect("parses");
        let variants: Vec<Variant> = crate::batch::sweep::list(
            &src,
            &src.base_problem().expect("a base problem"),
            &crate::variant::Selection::default(),
        )
        .expect("a sweep")
        .entries()
        .into_iter()
        .map(|e| e.variant.expect("a valid point"))
        .collect();
        assert_eq!(variants.len(), 6);
        let options = SolveOptions {
            mip_start: StartMode::On,
            ..SolveOptions::default()
        };
        let results = solve_all(&src, variants, &options, 2, Ties::Skip, &|_| {});
        let spans: Vec<_> = results.iter().map(|r| r.solving.expect("solved")).collect();
        for r in &results {
            let plan = r.outcome.as_ref().expect("a plan");
            assert_eq!(plan.status, crate::solver::SolveStatus::Optimal);
        }
        let overlap = spans
            .iter()
            .enumerate()
            .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1));
        assert!(overlap, "no two solves ran at once: {spans:?}");
    }
}
