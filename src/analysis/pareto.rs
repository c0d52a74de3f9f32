//! The trade-off between total output value and total waste reuse (MODEL.md §5): the Pareto front
//! by the ε-constraint method, and its reports.
//!
//! Two anchor solves fix the range of ε: the most output any plan reaches, with the most waste
//! reuse a plan reaching it can have (`r_lo`), and the most waste reuse any plan reaches
//! (`r_max`). Then N values of ε spread evenly over `[r_lo, r_max]`, both ends included, are solved
//! side by side, each on its own. A point is solved in three steps, each holding what the one
//! before found:
//!
//! 1. the most output with total waste reuse ≥ ε;
//! 2. the most reuse with that output — when only output counts, flows that earn no output are
//!    arbitrary, and the first step's plan may leave reuse it could have had for free (a weakly
//!    dominated point); this step makes every point efficient;
//! 3. the best objective of §5 with that output and that reuse, so the point's `objective` is the
//!    best the planner can do there and not an accident of the first two steps.
//!
//! The ε floor is relaxed by 1e-7 of its value, and the floors that hold a step's result by 1e-9
//! (widened up to 1e-6 if the solver finds them too tight), so that solver tolerances cannot make a
//! point infeasible; should a later step fail all the same, the point keeps the plan of the step
//! before. Points that repeat another, or that another dominates (at least as much of both and
//! more of one, beyond the tolerance), are dropped. `threads = 1` in every solve, as everywhere.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Goal, ModelOptions};
use crate::plan::Plan;
use crate::problem::ValidProblem;
use crate::solver::{SolveError, SolveOptions, SolveStatus, StopCause};

/// Relative slack of the ε floor, against solver tolerances (at `r_max` the floor is as high as
/// any plan reaches).
const EPS_SLACK: f64 = 1e-7;

/// Relative slacks, tried in turn, of the floors that hold what an earlier step found. Kept
/// small: near the most-output end a little output buys much reuse, so a loose floor would move
/// the point.
const HOLD_SLACK: [f64; 4] = [1e-9, 1e-8, 1e-7, 1e-6];

/// Relative tolerance below which two points count as equal, at least.
const SAME: f64 = 1e-6;

/// How to trace a front.
#[derive(Debug, Clone, Copy)]
pub struct ParetoOptions {
    /// Points to solve, ends included (at least 2).
    pub points: usize,
    /// Settings of every solve.
    pub solve: SolveOptions,
    /// Points solved at once; 0 for one per core.
    pub jobs: usize,
}

/// One point of the front.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// ε: the total waste reuse the point requires.
    pub epsilon: f64,
    /// How its solves ended: `optimal` only when every step was optimal.
    pub status: SolveStatus,
    /// Total output value of its plan.
    pub output_value: Option<f64>,
    /// Total waste reuse of its plan.
    pub total_reuse: Option<f64>,
    /// The objective of MODEL.md §5: the best plan with this output value and reuse.
    pub objective: Option<f64>,
    /// The most output value any plan reusing at least ε could reach: the bound the output step
    /// proved. Left out when that step was solved exactly (the front's point is then exact in
    /// output) or has no bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_bound: Option<f64>,
    /// The most waste reuse any plan of this output value could reach: the bound the reuse step
    /// proved. Left out as `output_bound` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_bound: Option<f64>,
}

/// A Pareto front.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Front {
    /// The problem's name.
    pub problem: Option<String>,
    /// The variant traced: `base` or a scenario's name.
    pub variant: String,
    /// The points kept, by increasing ε: from the most output to the most reuse.
    pub points: Vec<Point>,
    /// Points solved and dropped, as duplicates of a kept point or dominated by another.
    pub dropped: usize,
    /// What stopped the run short, when a signal or a request did (`sigint`, `sigterm`,
    /// `request`): the points solved before are kept, those stopped or never started carry the
    /// status `time_limit` or `no_solution`. Left out when nothing did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
    /// The units of the two axes, from the problem's `units:`; left out when it has none, and
    /// read back so that a report made from the front alone labels its axes.
    #[serde(default, skip_serializing_if = "FrontUnits::is_empty")]
    pub units: FrontUnits,
}

/// The units of a front's axes: output value and materials.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontUnits {
    /// `units.output`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// `units.materials`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub materials: Option<String>,
}

impl FrontUnits {
    /// Whether the problem named neither unit.
    pub fn is_empty(&self) -> bool {
        self.output.is_none() && self.materials.is_none()
    }
}

/// An end of the front.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The most output.
    Output,
    /// The most waste reuse.
    Reuse,
}

/// Why a front cannot be traced.
#[derive(Debug, thiserror::Error)]
pub enum ParetoError {
    /// Fewer than two points asked for.
    #[error("a front needs at least 2 points, its two ends; {0} asked for")]
    TooFewPoints(usize),
    /// An end of the front has no plan.
    #[error("no plan gives the {} ({status}): {}", end_name(.end), explain(.status))]
    End {
        /// Which end.
        end: End,
        /// How its solve ended.
        status: SolveStatus,
    },
    /// The solver failed.
    #[error(transparent)]
    Solver(#[from] SolveError),
}

fn end_name(end: &End) -> &'static str {
    match end {
        End::Output => "most output",
        End::Reuse => "most waste reuse",
    }
}

fn explain(s: &SolveStatus) -> &'static str {
    match s {
        SolveStatus::Infeasible => "no plan meets every limit and rule",
        SolveStatus::Unbounded => {
            "it can grow without limit; give every chain `max_per_park` or a resource limit"
        }
        SolveStatus::NoSolution | SolveStatus::TimeLimit => {
            "the time limit came before any feasible plan; raise --time-limit"
        }
        SolveStatus::Optimal => "",
    }
}

fn slack(v: f64, rel: f64) -> f64 {
    rel * v.abs().max(1.0)
}

/// One solve: maximise `goal` with the given floors.
fn single(
    problem: &ValidProblem,
    goal: Goal,
    min_reuse: Option<f64>,
    min_output: Option<f64>,
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    let model_options = ModelOptions {
        goal,
        min_waste_reuse: min_reuse,
        min_output,
        ..ModelOptions::default()
    };
    crate::plan::solve_plain(problem, "", model_options, options)
}

/// One solve with floors that hold what an earlier step found, `held(rel)` giving the floors for
/// a relative slack. Two floors at once can be a hair too tight for the solver's tolerances and
/// come back infeasible; the slack is then widened step by step, never beyond 1e-6.
fn holding(
    problem: &ValidProblem,
    goal: Goal,
    held: impl Fn(f64) -> (Option<f64>, Option<f64>),
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    let mut plan = None;
    for rel in HOLD_SLACK {
        let (min_reuse, min_output) = held(rel);
        let p = single(problem, goal, min_reuse, min_output, options)?;
        if p.status != SolveStatus::Infeasible {
            return Ok(p);
        }
        plan = Some(p);
    }
    Ok(plan.expect("at least one slack"))
}

/// A plan of a point with the bounds its steps proved: the most output (step 1) and the most
/// reuse at that output (step 2), each `None` when exact or unknown.
struct Stepped {
    plan: Plan,
    output_bound: Option<f64>,
    reuse_bound: Option<f64>,
}

/// The bound a step proved on its own objective, when the step was not solved exactly.
fn inexact_bound(plan: &Plan) -> Option<f64> {
    let bound = crate::analysis::robust::upper_bound(plan.status, plan.objective, plan.gap)?;
    let value = plan.objective?;
    (bound - value > 1e-9 * value.abs().max(1.0)).then_some(bound)
}

/// The three steps of a point (see the module header); `eps = None` for no reuse floor.
fn lexicographic(
    problem: &ValidProblem,
    eps: Option<f64>,
    options: &SolveOptions,
) -> Result<Stepped, SolveError> {
    let floor = eps.map(|e| e - slack(e, EPS_SLACK));
    let first = single(problem, Goal::Output, floor, None, options)?;
    let output_bound = inexact_bound(&first);
    let Some(output) = first.output_value.filter(|_| first.status.has_plan()) else {
        return Ok(Stepped {
            plan: first,
            output_bound,
            reuse_bound: None,
        });
    };
    let min_output = |rel| Some(output - slack(output, rel));
    let second = holding(
        problem,
        Goal::WasteReuse,
        |rel| (floor, min_output(rel)),
        options,
    )?;
    let reuse_bound = inexact_bound(&second);
    let Some(reuse) = second.total_reuse.filter(|_| second.status.has_plan()) else {
        return Ok(Stepped {
            plan: first,
            output_bound,
            reuse_bound: None,
        });
    };
    let third = holding(
        problem,
        Goal::Weighted,
        |rel| (Some(reuse - slack(reuse, rel)), min_output(rel)),
        options,
    )?;
    let last = if third.status.has_plan() {
        third
    } else {
        second
    };
    let all_optimal = first.status == SolveStatus::Optimal && last.status == SolveStatus::Optimal;
    Ok(Stepped {
        plan: Plan {
            status: if all_optimal {
                SolveStatus::Optimal
            } else {
                SolveStatus::TimeLimit
            },
            ..last
        },
        output_bound,
        reuse_bound,
    })
}

/// A point from its plan. The objective of MODEL.md §5 is summed from the plan's parts: the
/// solver's own objective is that only when the last step ran.
fn point(problem: &ValidProblem, epsilon: f64, stepped: &Stepped) -> Point {
    let plan = &stepped.plan;
    let w = &problem.problem().objective;
    let objective = (|| {
        Some(
            w.output * plan.output_value? + w.reuse * plan.reuse_value?
                - plan.transport_cost?
                - plan.purchase_cost?
                - plan.disposal_cost?,
        )
    })();
    let has = plan.status.has_plan();
    Point {
        epsilon,
        status: plan.status,
        output_value: plan.output_value.filter(|_| has),
        total_reuse: plan.total_reuse.filter(|_| has),
        objective: objective.filter(|_| has),
        output_bound: stepped.output_bound.filter(|_| has),
        reuse_bound: stepped.reuse_bound.filter(|_| has),
    }
}

/// Traces the front of a validated problem. `done` is called as each solve of an end or a point
/// finishes (at most `points + 2` times, from worker threads).
pub fn front(
    problem: &ValidProblem,
    variant: &str,
    options: &ParetoOptions,
    done: &(dyn Fn() + Sync),
) -> Result<Front, ParetoError> {
    if options.points < 2 {
        return Err(ParetoError::TooFewPoints(options.points));
    }
    let work = || -> Result<Front, ParetoError> {
        let (most_output, most_reuse) = rayon::join(
            || {
                let p = lexicographic(problem, None, &options.solve).map(|s| s.plan);
                done();
                p
            },
            || {
                let p = single(problem, Goal::WasteReuse, None, None, &options.solve);
                done();
                p
            },
        );
        let (most_output, most_reuse) = (most_output?, most_reuse?);
        let ends = [(End::Output, &most_output), (End::Reuse, &most_reuse)];
        for (end, plan) in ends {
            if !plan.status.has_plan() {
                return Err(ParetoError::End {
                    end,
                    status: plan.status,
                });
            }
        }
        let r_lo = most_output.total_reuse.unwrap_or(0.0);
        let r_max = most_reuse.total_reuse.unwrap_or(0.0).max(r_lo);
        let n = options.points;
        let eps: Vec<f64> = if r_max - r_lo <= SAME * r_max.abs().max(1.0) {
            vec![r_lo]
        } else {
            (0..n)
                .map(|i| {
                    if i + 1 == n {
                        r_max
                    } else {
                        r_lo + (r_max - r_lo) * i as f64 / (n - 1) as f64
                    }
                })
                .collect()
        };
        let solved: Vec<Result<Point, SolveError>> = eps
            .par_iter()
            .map(|&e| {
                let p = lexicographic(problem, Some(e), &options.solve)
                    .map(|stepped| point(problem, e, &stepped));
                done();
                p
            })
            .collect();
        let solved = solved.into_iter().collect::<Result<Vec<_>, _>>()?;
        let tolerance = SAME.max(options.solve.mip_rel_gap);
        let (points, dropped) = efficient(solved, tolerance);
        let p = &problem.problem();
        Ok(Front {
            problem: p.name.clone(),
            variant: variant.to_string(),
            points,
            dropped,
            // Read on the pool's thread, which watches the caller's observer too.
            stopped_by: crate::solver::watch::stop_cause(),
            units: FrontUnits {
                output: p.units.get("output").cloned(),
                materials: p.units.get("materials").cloned(),
            },
        })
    };
    crate::solver::watch::in_pool(options.jobs, work)
}

/// Keeps the points no other point dominates, and the first of points that coincide (within
/// `rel` of the larger value); points without a plan are kept as results. Returns the points kept
/// and how many were dropped.
pub fn efficient(points: Vec<Point>, rel: f64) -> (Vec<Point>, usize) {
    let tol = |a: f64, b: f64| rel * a.abs().max(b.abs()).max(1.0);
    let vals: Vec<Option<(f64, f64)>> = points
        .iter()
        .map(|p| p.output_value.zip(p.total_reuse))
        .collect();
    let mut keep = vec![true; points.len()];
    for i in 0..points.len() {
        let Some((oi, ri)) = vals[i] else { continue };
        for (j, v) in vals.iter().enumerate() {
            let Some((oj, rj)) = *v else { continue };
            if i == j {
                continue;
            }
            let (to, tr) = (tol(oi, oj), tol(ri, rj));
            let no_worse = oj >= oi - to && rj >= ri - tr;
            let better = oj > oi + to || rj > ri + tr;
            let dominated = no_worse && better;
            let repeats_a_kept_point = no_worse && !better && j < i && keep[j];
            if dominated || repeats_a_kept_point {
                keep[i] = false;
                break;
            }
        }
    }
    let dropped = keep.iter().filter(|k| !**k).count();
    let kept = points
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect();
    (kept, dropped)
}

/// For each point, the output value given up per extra unit of waste reused since the point with
/// a plan before it; `None` for the first, for points without a plan, and where reuse does not
/// grow.
pub fn trade_offs(front: &Front) -> Vec<Option<f64>> {
    let mut prev: Option<(f64, f64)> = None;
    front
        .points
        .iter()
        .map(|p| {
            let here = p.output_value.zip(p.total_reuse);
            let rate = match (prev, here) {
                (Some((o0, r0)), Some((o1, r1))) if r1 > r0 => Some((o0 - o1) / (r1 - r0)),
                _ => None,
            };
            if here.is_some() {
                prev = here;
            }
            rate
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An optimal point with output `o` and reuse `r` (objective `o + r`), for tests here and in
    /// the front's renderings.
    pub(crate) fn p(epsilon: f64, o: f64, r: f64) -> Point {
        Point {
            epsilon,
            status: SolveStatus::Optimal,
            output_value: Some(o),
            total_reuse: Some(r),
            objective: Some(o + r),
            output_bound: None,
            reuse_bound: None,
        }
    }

    #[test]
    fn dominated_and_repeated_points_are_dropped() {
        let none = Point {
            status: SolveStatus::NoSolution,
            output_value: None,
            total_reuse: None,
            objective: None,
            ..p(4.0, 0.0, 0.0)
        };
        let pts = vec![
            p(0.0, 10.0, 1.0),
            p(1.0, 10.0, 1.0 + 1e-9),
            p(2.0, 9.0, 2.0),
            p(2.5, 8.0, 2.0),
            none.clone(),
            p(5.0, 7.0, 5.0),
        ];
        let (kept, dropped) = efficient(pts, 1e-6);
        let eps: Vec<f64> = kept.iter().map(|p| p.epsilon).collect();
        assert_eq!(eps, [0.0, 2.0, 4.0, 5.0]);
        assert_eq!(dropped, 2);
        assert_eq!(kept[2], none);
    }
}
