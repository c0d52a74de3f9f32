//! A second route to the optimum, independent of HiGHS's branch and bound: enumerate main-chain
//! assignments and solve one LP for each (MODEL.md §8).
//!
//! When chains come in units (MODEL.md §12), fixing the main chains leaves the units `u` and the
//! switches `z`: each assignment is then a small MILP of its own ([`Enumeration::milp`]), solved
//! to a gap of 1e-9, and the bounded search's relaxations relax `u` and `z` too.
//!
//! With the one-main-chain rule fixed park by park the MILP falls apart into LPs. When there are
//! few enough assignments every one is solved ([`Method::Exhaustive`]); otherwise a depth-first
//! search fixes one park at a time and skips a subtree only when the LP relaxation of that subtree
//! (remaining choices continuous) cannot beat the best plan found ([`Method::Bounded`]). Both are
//! exact: the relaxation is a valid upper bound, and a subtree is dropped only when its bound is
//! strictly below the incumbent, so ties are still counted.

use crate::model::{Model, ModelOptions};
use crate::problem::{ChainIx, ParkIx, ValidProblem};
use crate::solver::{SolveError, SolveOptions, SolveStatus, solve};

/// How the assignments were covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The rule is off: one LP.
    SingleLp,
    /// Every assignment solved.
    Exhaustive,
    /// Depth-first over parks, subtrees bounded by their LP relaxation.
    Bounded,
}

/// The result of an enumeration.
#[derive(Debug, Clone)]
pub struct Enumeration {
    /// Optimal, infeasible or unbounded.
    pub status: SolveStatus,
    /// The best objective.
    pub objective: Option<f64>,
    /// Main chain (chain index) per park of the best assignment.
    pub best: Option<Vec<ChainIx>>,
    /// How many assignments reach the best objective (within 1e-9 relative).
    pub ties: usize,
    /// Number of main-chain assignments there are.
    pub assignments: u128,
    /// LPs solved.
    pub lps: u64,
    /// How they were covered.
    pub method: Method,
    /// Whether each assignment's problem was a MILP (chains built in units, MODEL.md §12)
    /// rather than an LP; `lps` then counts MILPs.
    pub milp: bool,
}

/// Enumerates with every assignment solved when there are at most `exhaustive_limit` of them.
pub fn enumerate(
    problem: &ValidProblem,
    exhaustive_limit: u128,
) -> Result<Enumeration, SolveError> {
    let milp = problem.has_builds();
    let lp_options = SolveOptions {
        // An assignment's MILP is solved as exactly as HiGHS's tolerances allow, so that it stays
        // a check of the main solve's 1e-6 rather than a copy of it.
        mip_rel_gap: if milp { 1e-9 } else { 1e-6 },
        ..SolveOptions::default()
    };
    let assignments: u128 = problem
        .all_candidates()
        .iter()
        .map(|c| c.len() as u128)
        .product();
    if problem.rule().is_none() {
        let model = Model::build(problem, ModelOptions::default());
        let s = solve(&model, &lp_options)?;
        return Ok(Enumeration {
            status: s.status,
            objective: (s.status == SolveStatus::Optimal).then_some(s.objective),
            best: None,
            ties: usize::from(s.status == SolveStatus::Optimal),
            assignments: 1,
            lps: 1,
            method: Method::SingleLp,
            milp,
        });
    }
    let mut state = Search {
        problem,
        options: lp_options,
        best: None,
        ties: 0,
        lps: 0,
        unbounded: false,
        bounded: assignments > exhaustive_limit,
    };
    let mut fixed = vec![None; problem.all_candidates().len()];
    state.dfs(&mut fixed, 0)?;
    let status = if state.unbounded {
        SolveStatus::Unbounded
    } else if state.best.is_some() {
        SolveStatus::Optimal
    } else {
        SolveStatus::Infeasible
    };
    Ok(Enumeration {
        status,
        objective: state.best.as_ref().map(|b| b.0),
        best: state.best.map(|b| b.1),
        ties: state.ties,
        assignments,
        lps: state.lps,
        method: if state.bounded {
            Method::Bounded
        } else {
            Method::Exhaustive
        },
        milp,
    })
}

struct Search<'a> {
    problem: &'a ValidProblem,
    options: SolveOptions,
    best: Option<(f64, Vec<ChainIx>)>,
    ties: usize,
    lps: u64,
    unbounded: bool,
    bounded: bool,
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

impl Search<'_> {
    fn lp(
        &mut self,
        fixed: &[Option<ChainIx>],
        relax: bool,
    ) -> Result<(SolveStatus, f64), SolveError> {
        let model = Model::build(
            self.problem,
            ModelOptions {
                fixed_main: fixed.to_vec(),
                relax,
                ..ModelOptions::default()
            },
        );
        self.lps += 1;
        let s = solve(&model, &self.options)?;
        Ok((s.status, s.objective))
    }

    fn dfs(&mut self, fixed: &mut Vec<Option<ChainIx>>, depth: usize) -> Result<(), SolveError> {
        if self.unbounded {
            return Ok(());
        }
        let n = fixed.len();
        if depth == n {
            let (status, obj) = self.lp(fixed, false)?;
            match status {
                SolveStatus::Unbounded => self.unbounded = true,
                SolveStatus::Optimal => {
                    let assignment: Vec<ChainIx> =
                        fixed.iter().map(|c| c.expect("all fixed")).collect();
                    match &self.best {
                        Some((b, _)) if near(obj, *b) => self.ties += 1,
                        Some((b, _)) if obj < *b => {}
                        _ => {
                            self.best = Some((obj, assignment));
                            self.ties = 1;
                        }
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        if self.bounded && depth > 0 {
            let (status, bound) = self.lp(fixed, true)?;
            match status {
                SolveStatus::Infeasible => return Ok(()),
                SolveStatus::Optimal => {
                    if let Some((b, _)) = &self.best
                        && bound < *b
                        && !near(bound, *b)
                    {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        for c in self.problem.candidates(ParkIx(depth)).to_vec() {
            fixed[depth] = Some(c);
            self.dfs(fixed, depth + 1)?;
        }
        fixed[depth] = None;
        Ok(())
    }
}

/// Every main-chain assignment of `problem` (one chain per park, each a candidate of its park),
/// the first park changing slowest. Empty with the rule off.
pub fn assignments(problem: &ValidProblem) -> Vec<Vec<ChainIx>> {
    if problem.rule().is_none() {
        return Vec::new();
    }
    let mut out: Vec<Vec<ChainIx>> = vec![Vec::new()];
    for cands in problem.all_candidates() {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                cands.iter().map(move |&c| {
                    let mut a = prefix.clone();
                    a.push(c);
                    a
                })
            })
            .collect();
    }
    out
}

/// The LP of one main-chain assignment: its status and objective (NaN without a plan).
pub fn solve_assignment(
    problem: &ValidProblem,
    assignment: &[ChainIx],
) -> Result<(SolveStatus, f64), SolveError> {
    let model = Model::build(
        problem,
        ModelOptions {
            fixed_main: assignment.iter().copied().map(Some).collect(),
            ..ModelOptions::default()
        },
    );
    let s = solve(&model, &SolveOptions::default())?;
    Ok((s.status, s.objective))
}
