//! Which MILPs are solved by relax, round and fix-and-optimise ([`crate::solver::decompose`]),
//! and in which formulation.
//!
//! Every solve of a problem — `solve`, periods, `robust`, `alternatives`, `pareto`, `explain`,
//! sweeps and `check` — builds its model with [`model_options`] and solves it with
//! [`solve_milp`], so the choice made here holds for all of them. A large MILP (or any, with
//! `--mip-start on`) is built in the hull formulation of the one-main-chain rule
//! ([`crate::model::hull`]: the same plans, a relaxation within a hair of the optimum, sparse
//! rows) and solved by the method; a small one by HiGHS alone, as before, so that among tied
//! optima HiGHS's choice stays the plan.

use std::time::{Duration, Instant};

use crate::model::hull::Formulation;
use crate::model::{Model, ModelOptions};
use crate::problem::ValidProblem;
use crate::solver::{
    Solution, SolveError, SolveOptions, SolveStatus, StartMode, decompose, solve_fixed, solve_from,
};

/// Main-chain columns from which [`StartMode::Auto`] uses the method. Smaller MILPs are solved by
/// HiGHS alone as before, so that their plans (among tied optima, HiGHS's choice) stay as they
/// were; the method speeds them up too, and `--mip-start on` gives it them.
pub const AUTO_BINARIES: usize = 1_000;

/// The main-chain columns `y` a model of `problem` built with `model_options` has: one per
/// candidate of each park whose main chain is free, when the rule is on.
pub fn main_columns(problem: &ValidProblem, model_options: &ModelOptions) -> usize {
    if problem.rule().is_none() || model_options.relax {
        return 0;
    }
    problem
        .problem()
        .park_ixs()
        .filter(|&p| model_options.fixed(p).is_none())
        .map(|p| problem.candidates(p).len())
        .sum()
}

/// Whether a MILP of `columns` main-chain columns is solved by the method under `mode`.
pub fn wants_method(columns: usize, mode: StartMode) -> bool {
    columns > 0
        && match mode {
            StartMode::On => true,
            StartMode::Off => false,
            StartMode::Auto => columns >= AUTO_BINARIES,
        }
}

/// `model_options` for a model of `problem` solved under `options`: in the hull formulation when
/// the method will solve it.
pub fn model_options(
    problem: &ValidProblem,
    model_options: ModelOptions,
    options: &SolveOptions,
) -> ModelOptions {
    if wants_method(main_columns(problem, &model_options), options.mip_start) {
        ModelOptions {
            formulation: Formulation::Hull,
            ..model_options
        }
    } else {
        model_options
    }
}

/// Solves the model `model`: by the method when [`wants_method`] says so for its main-chain
/// columns and `options.mip_start`, else as `plain` does. The gap reported is proven.
pub fn solve_milp(
    model: &Model,
    options: &SolveOptions,
    plain: impl FnOnce() -> Result<Solution, SolveError>,
) -> Result<Solution, SolveError> {
    let columns = model.y.iter().flatten().flatten().count();
    if decompose::applies(model) && wants_method(columns, options.mip_start) {
        decompose::solve(model, options)
    } else {
        match hinted(model, &start_options(options)) {
            Some(hint) => Ok(after_hint(solve_from(model, options, &hint.columns), hint)),
            None => plain(),
        }
    }
}

/// The plan of the MILP `model` with every main chain fixed as `model.options.start_from` says
/// ([`crate::model::ModelOptions::start_from`]): a plan the caller expects to be good, such as a
/// neighbour of an optimum already found. `None` without that assignment, for a model with no
/// main-chain columns, or when those main chains admit no plan.
pub(super) fn hinted(model: &Model, options: &SolveOptions) -> Option<Solution> {
    let main = model.options.start_from.as_ref()?;
    if model.options.relax {
        return None;
    }
    let mut fixed = Vec::new();
    for ((p, ys), chosen) in model.problem.problem().park_ixs().zip(&model.y).zip(main) {
        for (slot, y) in ys.iter().enumerate() {
            if let Some(y) = y {
                let on = model.problem.candidates(p)[slot] == *chosen;
                fixed.push((model.col(*y), if on { 1.0 } else { 0.0 }));
            }
        }
    }
    if fixed.is_empty() {
        return None;
    }
    let solution = solve_fixed(model, options, &fixed).ok()?;
    (solution.status == SolveStatus::Optimal).then_some(solution)
}

/// HiGHS's run from the caller's plan `hint` ([`hinted`]): its own result when it has a plan
/// (or proves the MILP unbounded); otherwise, stopped or failed, the hint itself, a plan of the
/// MILP whose distance from optimal is not known.
pub(super) fn after_hint(solved: Result<Solution, SolveError>, hint: Solution) -> Solution {
    match solved {
        Ok(s) if s.status.has_plan() || s.status == SolveStatus::Unbounded => s,
        _ => Solution {
            status: SolveStatus::TimeLimit,
            gap: None,
            bound: None,
            is_mip: true,
            ..hint
        },
    }
}

/// The options of the hint's solve: under a time limit, at most half of what is left, so that
/// a hint cut short leaves HiGHS the other half to find a plan of its own.
fn start_options(options: &SolveOptions) -> SolveOptions {
    match options.remaining() {
        Some(left) => SolveOptions {
            deadline: Some(Instant::now() + Duration::from_secs_f64(left / 2.0)),
            ..*options
        },
        None => *options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_decides_and_auto_goes_by_size() {
        assert!(!wants_method(0, StartMode::On));
        assert!(wants_method(1, StartMode::On));
        assert!(!wants_method(5_000, StartMode::Off));
        assert!(!wants_method(AUTO_BINARIES - 1, StartMode::Auto));
        assert!(wants_method(AUTO_BINARIES, StartMode::Auto));
        assert_eq!(SolveOptions::default().mip_start, StartMode::Auto);
    }
}
