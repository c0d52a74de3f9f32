//! A starting plan for a large MILP, found fast, with the bound that proves how good it is.
//!
//! The LP relaxation of the hull formulation ([`crate::model::hull`]) is solved (by the
//! interior-point method, with its crossover to a vertex): its objective is
//! a bound on every plan (the hull and big-M formulations have the same integer plans, and the
//! hull's relaxation is the tighter). Each park's largest `y` is taken as its main chain, those
//! `y` are fixed in the MILP itself, and the rest is solved as the LP that remains: a plan of the
//! MILP, in its own columns and rows. When that plan is already within the requested gap of the
//! bound, it is the answer and HiGHS's branch and bound is not run; otherwise it is handed to
//! HiGHS as its first incumbent, and the bound kept is the better of the two.
//!
//! On the generated instances of `parkplan generate`, the relaxation's main chains are within
//! 0.1 % of the optimum from 500 parks on, while HiGHS's own heuristics find nothing close in
//! minutes (docs/MODEL.md §4.7 and the book's "Benchmarks and scale", docs/src/background/benchmarks.md).

use std::time::{Duration, Instant};

use super::chosen_main_chains;
use crate::model::hull::Formulation;
use crate::model::{Model, ModelOptions};
use crate::problem::ValidProblem;
use crate::solver::{
    Solution, SolveError, SolveOptions, SolveStatus, StartMode, solve_barrier, solve_fixed,
    solve_from,
};

/// Main-chain columns from which [`StartMode::Auto`] looks for a starting plan. Smaller MILPs are
/// solved by HiGHS alone as before, so that their plans (among tied optima, HiGHS's choice) stay
/// as they were; a start speeds them up too (docs/src/background/benchmarks.md: 100 parks to 0.1 % in 0.5 s against
/// 5.3 s), and `--mip-start on` gives it them.
pub const AUTO_BINARIES: usize = 1_000;

/// Whether the MILP `model` gets a starting plan under `mode`.
pub fn wants_start(model: &Model, mode: StartMode) -> bool {
    let binaries = model.y.iter().flatten().flatten().count();
    binaries > 0
        && !model.options.relax
        && match mode {
            StartMode::On => true,
            StartMode::Off => false,
            StartMode::Auto => binaries >= AUTO_BINARIES,
        }
}

/// A plan of the MILP found fast, and the bound its LP relaxation proves.
#[derive(Debug, Clone)]
pub struct Start {
    /// The plan: the MILP solved with every main-chain column fixed.
    pub solution: Solution,
    /// No plan of the MILP has a higher objective.
    pub bound: f64,
}

impl Start {
    /// How far the plan may be from optimal, relative to its objective.
    pub fn gap(&self) -> f64 {
        relative_gap(self.bound, self.solution.objective)
    }
}

/// `(bound − objective) / |objective|`, never negative.
pub fn relative_gap(bound: f64, objective: f64) -> f64 {
    ((bound - objective) / objective.abs().max(1e-9)).max(0.0)
}

/// The starting plan of the MILP `model` of `problem` (see the module's text). `None` when the
/// relaxation has no optimal plan or its main chains admit none (the time limit, an exclusion
/// row, a main chain the relaxation barely takes).
pub fn mip_start(problem: &ValidProblem, model: &Model, options: &SolveOptions) -> Option<Start> {
    let relaxed = Model::build(
        problem,
        ModelOptions {
            relax: true,
            formulation: Formulation::Hull,
            ..model.options.clone()
        },
    );
    let lp = solve_barrier(&relaxed, options).ok()?;
    if lp.status != SolveStatus::Optimal {
        return None;
    }
    let main = chosen_main_chains(&relaxed, &lp)?;
    let mut fixed = Vec::new();
    for ((p, ys), chosen) in model.problem.problem().park_ixs().zip(&model.y).zip(&main) {
        for (slot, y) in ys.iter().enumerate() {
            if let Some(y) = y {
                let on = model.problem.candidates(p)[slot] == *chosen;
                fixed.push((model.col(*y), if on { 1.0 } else { 0.0 }));
            }
        }
    }
    let solution = solve_fixed(model, options, &fixed).ok()?;
    (solution.status == SolveStatus::Optimal).then_some(Start {
        solution,
        bound: lp.objective,
    })
}

/// Solves the MILP `model`, from a starting plan when [`wants_start`] says so for
/// `options.mip_start`; without one, as `plain` does. The gap reported is proven: the bound is
/// HiGHS's or the start's relaxation's, whichever is lower.
pub fn solve_milp(
    problem: &ValidProblem,
    model: &Model,
    options: &SolveOptions,
    plain: impl FnOnce() -> Result<Solution, SolveError>,
) -> Result<Solution, SolveError> {
    // No-good rows (ties, alternatives) are met in the relaxation by shaving a little off some
    // `y`; its largest `y` then give back the excluded assignment, so no start is sought.
    let start = if wants_start(model, options.mip_start) && model.options.exclude.is_empty() {
        mip_start(problem, model, &start_options(options))
    } else {
        None
    };
    let Some(start) = start else {
        return plain();
    };
    if start.gap() <= options.mip_rel_gap {
        let gap = start.gap();
        return Ok(Solution {
            gap: Some(gap),
            bound: Some(start.bound),
            ..start.solution
        });
    }
    match solve_from(model, options, &start.solution.columns) {
        Ok(solved) => Ok(combine(solved, start)),
        // The start is a plan of this MILP: a failure of HiGHS after it does not lose it.
        Err(_) => Ok(stopped(start)),
    }
}

/// The options of the start's solves: under a time limit, at most half of what is left, so that
/// a start cut short leaves HiGHS the other half to find a plan of its own.
fn start_options(options: &SolveOptions) -> SolveOptions {
    match options.remaining() {
        Some(left) => SolveOptions {
            deadline: Some(Instant::now() + Duration::from_secs_f64(left / 2.0)),
            ..*options
        },
        None => *options,
    }
}

/// The start as the answer of a MILP that stopped before it proved more.
fn stopped(start: Start) -> Solution {
    Solution {
        status: SolveStatus::TimeLimit,
        gap: Some(start.gap()),
        bound: Some(start.bound),
        ..start.solution
    }
}

/// The better plan of HiGHS's run from `start` and `start` itself, with the lower bound of the
/// two and the gap between them.
fn combine(solved: Solution, start: Start) -> Solution {
    if !solved.status.has_plan() {
        // No plan of its own (stopped, or a status a feasible start rules out): the start.
        return stopped(start);
    }
    if solved.status == SolveStatus::Optimal && solved.bound.is_none() {
        // Proven optimal without a bound to read (solved in presolve): its own gap holds.
        return solved;
    }
    let bound = solved.bound.map_or(start.bound, |b| b.min(start.bound));
    let status = solved.status;
    let best = if solved.status.has_plan() && solved.objective >= start.solution.objective {
        solved
    } else {
        start.solution
    };
    // The start's own gap is that of its fixed solve (0): the gap is measured anew.
    Solution {
        status,
        gap: Some(relative_gap(bound, best.objective)),
        bound: Some(bound),
        ..best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gap_is_relative_to_the_plan_and_never_negative() {
        assert!((relative_gap(101.0, 100.0) - 0.01).abs() < 1e-12);
        assert!((relative_gap(-99.0, -100.0) - 0.01).abs() < 1e-12);
        assert_eq!(relative_gap(100.0, 100.0 + 1e-9), 0.0);
    }

    fn solution(status: SolveStatus, objective: f64, bound: Option<f64>) -> Solution {
        Solution {
            status,
            objective,
            gap: None,
            bound,
            columns: vec![objective],
            rows: Vec::new(),
            duals: Vec::new(),
            is_mip: true,
            ranges: Vec::new(),
        }
    }

    fn start(objective: f64, bound: f64) -> Start {
        Start {
            solution: solution(SolveStatus::Optimal, objective, None),
            bound,
        }
    }

    #[test]
    fn a_run_without_a_plan_of_its_own_returns_the_start_with_its_gap() {
        for status in [
            SolveStatus::NoSolution,
            SolveStatus::Infeasible,
            SolveStatus::Unbounded,
        ] {
            let s = combine(solution(status, f64::NAN, None), start(99.0, 100.0));
            assert_eq!(s.status, SolveStatus::TimeLimit);
            assert_eq!(s.objective, 99.0);
            assert!((s.gap.unwrap() - 1.0 / 99.0).abs() < 1e-12);
        }
    }

    #[test]
    fn the_better_plan_is_kept_and_measured_against_the_lower_bound() {
        // HiGHS improves the plan and proves a bound below the relaxation's.
        let s = combine(
            solution(SolveStatus::TimeLimit, 99.5, Some(99.8)),
            start(99.0, 100.0),
        );
        assert_eq!(
            (s.status, s.objective, s.bound),
            (SolveStatus::TimeLimit, 99.5, Some(99.8))
        );
        assert!((s.gap.unwrap() - 0.3 / 99.5).abs() < 1e-12);
        // HiGHS's plan is worse (it dropped the start) and its bound weaker: the start, with the
        // relaxation's bound.
        let s = combine(
            solution(SolveStatus::TimeLimit, 90.0, Some(120.0)),
            start(99.0, 100.0),
        );
        assert_eq!((s.objective, s.bound), (99.0, Some(100.0)));
        assert!((s.gap.unwrap() - 1.0 / 99.0).abs() < 1e-12);
    }

    #[test]
    fn half_the_time_left_goes_to_the_start() {
        let options = SolveOptions {
            time_limit: Some(10.0),
            ..SolveOptions::default()
        }
        .started_now();
        let left = start_options(&options).remaining().unwrap();
        assert!((4.0..=5.0).contains(&left), "{left}");
        assert_eq!(start_options(&SolveOptions::default()).remaining(), None);
    }

    #[test]
    fn the_mode_is_auto_unless_set() {
        assert_eq!(SolveOptions::default().mip_start, StartMode::Auto);
    }
}
