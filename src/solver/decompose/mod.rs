//! Large MILPs by relax, round and fix-and-optimise, with a proven bound at every step.
//!
//! HiGHS's branch and bound alone finds poor plans of a nation-scale MILP in minutes: its root LP
//! alone can take longer than the time limit. The method here:
//!
//! 1. **Bound.** The relaxation (every integer column continuous, whatever the model declares
//!    integer: main chains `y`, unit counts and build decisions alike) is solved. Its objective is
//!    an upper bound on every plan, kept to the end; every gap reported is measured against it or
//!    a better one HiGHS proves.
//! 2. **A plan.** Each park takes the main chain of its largest `y`; with those fixed, the MILP
//!    that remains (an LP unless the model has other integer columns) is solved: a plan of the
//!    MILP in its own columns.
//! 3. **Fix and optimise.** Neighbourhoods of parks — those whose relaxed main chain was
//!    fractional, then blocks of whole zones — are freed in turn while every other park keeps the
//!    plan's main chain, and each small MILP is solved from the plan; a better plan replaces it.
//! 4. **Branch and bound.** What time is left goes to HiGHS on the whole MILP from the best plan;
//!    the bound it proves, when lower, replaces the relaxation's.
//!
//! It stops as soon as the plan is within the requested gap of the bound. Every run gets only what
//! is left of the time limit, and Ctrl-C ends it with the best plan so far. The model should state
//! the one-main-chain rule in the hull formulation ([`crate::model::hull`]): its relaxation is the
//! tighter, and its rows are sparse where the big-M share rows are dense.

mod engine;
mod greedy;
mod race;

use std::time::{Duration, Instant};

use engine::{Engine, Run};
use race::relax;

use crate::model::Model;
use crate::problem::ParkIx;
use crate::solver::{Solution, SolveError, SolveOptions, SolveStatus, watch};

/// Parks freed together in one neighbourhood (at least; a block of zones takes whole zones).
const NEIGHBOURHOOD: usize = 48;
/// The relative gap of the plan at once when chains come in units.
const AT_ONCE_UNITS_GAP: f64 = 1e-2;
/// The longest a neighbourhood's MILP may run when no time limit is set, in seconds.
const SLICE_UNLIMITED: f64 = 60.0;

/// `(bound − objective) / |objective|`, never negative.
pub fn relative_gap(bound: f64, objective: f64) -> f64 {
    ((bound - objective) / objective.abs().max(1e-9)).max(0.0)
}

/// One park's main-chain columns, the unit every neighbourhood is made of.
#[derive(Debug, Clone)]
struct Park {
    /// The park.
    park: ParkIx,
    /// Zone number (a park without a zone has one of its own).
    zone: usize,
    /// Column indices of its `y`.
    cols: Vec<usize>,
    /// The candidate slot of each of those columns.
    slots: Vec<usize>,
}

fn parks(model: &Model) -> Vec<Park> {
    let prob = model.problem.problem();
    let mut zones: Vec<Option<&str>> = Vec::new();
    let mut out = Vec::new();
    for (p, ys) in prob.park_ixs().zip(&model.y) {
        let (slots, cols): (Vec<usize>, Vec<usize>) = ys
            .iter()
            .enumerate()
            .filter_map(|(s, v)| v.map(|v| (s, model.col(v))))
            .unzip();
        if cols.is_empty() {
            continue;
        }
        let zone = prob.parks[p.0].zone.as_deref();
        let z = match zones.iter().position(|z| zone.is_some() && *z == zone) {
            Some(z) => z,
            None => {
                zones.push(zone);
                zones.len() - 1
            }
        };
        out.push(Park {
            park: p,
            zone: z,
            cols,
            slots,
        });
    }
    out
}

/// Whether a MILP is one the method applies to: it has main-chain columns.
pub fn applies(model: &Model) -> bool {
    !model.options.relax && model.y.iter().flatten().any(Option::is_some)
}

/// What the method found so far.
struct Best {
    run: Run,
    /// An upper bound on every plan's objective, once one is proven.
    bound: Option<f64>,
}

impl Best {
    /// The gap, once there is a bound (∞ before).
    fn gap(&self) -> f64 {
        self.bound
            .map_or(f64::INFINITY, |b| relative_gap(b, self.run.objective))
    }

    fn lower(&mut self, bound: f64) {
        self.bound = Some(self.bound.map_or(bound, |b| b.min(bound)));
    }
}

/// Solves the MILP `model` by the method of this module (see its text). The solution is of
/// `model`'s own columns and rows; its gap is proven.
pub fn solve(model: &Model, options: &SolveOptions) -> Result<Solution, SolveError> {
    let deadline = options
        .deadline
        .or_else(|| options.time_limit.map(|t| Instant::now() + secs(t)));
    let parks = parks(model);
    let mut engine = Engine::new(model, options.mip_rel_gap)?;

    // 0. A plan at once, from each park's own data (greedy.rs), before the relaxation, which
    // may take longer than the whole limit: a plan matters more than a bound. It is an LP once
    // presolved, and takes what time it needs up to three quarters of the limit.
    let units = model.integer_columns().len() > parks.iter().map(|p| p.cols.len()).sum::<usize>();
    let fixed_run = Instant::now();
    let at_once = {
        let chosen = greedy::main_chains(
            model,
            &parks
                .iter()
                .map(|p| (p.park, p.slots.clone()))
                .collect::<Vec<_>>(),
        );
        engine.bound(&fix_all(&parks, &chosen))?;
        // With units (§12) what remains is a MILP of its own, which HiGHS may work at for long:
        // a quarter of the time and a loose gap, since later steps improve the plan anyway.
        let run = if units {
            engine.set_gap(AT_ONCE_UNITS_GAP.max(options.mip_rel_gap))?;
            let run = engine.mip(share_of(deadline, 0.25), None);
            engine.set_gap(options.mip_rel_gap)?;
            run?
        } else {
            engine.mip(share_of(deadline, 0.75), None)?
        };
        engine.bound(&free_all(&parks))?;
        run.feasible.then_some(run)
    };
    // A run of the whole MILP starts with a presolve no callback interrupts, of about what a run
    // with the main chains fixed takes: it is started only with at least twice that left, so the
    // limit holds. With units that run is a MILP search as well as a presolve: a twentieth of
    // the limit at most is taken for the presolve.
    let mut presolve = fixed_run.elapsed();
    if units && let Some(limit) = options.time_limit {
        presolve = presolve.min(secs(limit / 20.0));
    }
    let room = |deadline: Option<Instant>| {
        deadline.is_none_or(|d| d.saturating_duration_since(Instant::now()) >= presolve * 2)
    };

    // 1. The bound, in at most half the time left: a relaxation cut short still leaves the
    // other half for a plan from its last iterate. Its presolve, which no callback interrupts,
    // takes longer than the plan's run did: with a plan in hand and less than three times that
    // left, it is not started, so the limit holds.
    let lp = if at_once.is_some()
        && deadline.is_some_and(|d| d.saturating_duration_since(Instant::now()) < presolve * 3)
    {
        None
    } else {
        Some(relax(model, &mut engine, options, share_of(deadline, 0.5))?)
    };
    let bound = match lp.as_ref().map(|lp| lp.status) {
        Some(highs_sys::MODEL_STATUS_OPTIMAL) => lp.as_ref().map(|lp| lp.objective),
        // No plan of the MILP fits in its relaxation.
        Some(highs_sys::MODEL_STATUS_INFEASIBLE) => return Ok(infeasible(model)),
        // Unbounded, or undecided: HiGHS alone, with what is left.
        Some(s)
            if s != highs_sys::MODEL_STATUS_REACHED_TIME_LIMIT
                && s != highs_sys::MODEL_STATUS_REACHED_INTERRUPT =>
        {
            return plain(&mut engine, deadline, options);
        }
        // Cut short or not run: no bound yet.
        _ => None,
    };

    // 2. A plan: each park's largest y, unless the plan at once is as good as the relaxation
    // allows already.
    let rounded_run = if at_once
        .as_ref()
        .is_some_and(|r| bound.is_some_and(|b| relative_gap(b, r.objective) <= options.mip_rel_gap))
        || watch::interrupted()
        || watch::cancelled()
        || !room(deadline)
    {
        None
    } else if let Some(lp) = &lp {
        let main = rounded(&parks, &lp.columns);
        engine.bound(&fix_all(&parks, &main))?;
        let run = engine.mip(deadline, None)?;
        engine.bound(&free_all(&parks))?;
        run.feasible.then_some(run)
    } else {
        None
    };
    let first = match (at_once, rounded_run) {
        (Some(a), Some(r)) => {
            if r.objective >= a.objective {
                r
            } else {
                a
            }
        }
        (Some(a), None) => a,
        (None, Some(r)) => r,
        (None, None) => {
            if !room(deadline) || watch::interrupted() || watch::cancelled() {
                let run = lp.unwrap_or_else(|| no_plan(model));
                return Ok(finish(model, first_without_plan(run), bound, options));
            }
            // Neither set of main chains admits a plan (a no-good row, a coupling the
            // relaxation spreads over parks, a relaxation cut short): branch and bound on the
            // whole, with the relaxation's bound.
            let run = engine.mip(deadline, None)?;
            return Ok(finish(model, run, bound, options));
        }
    };
    // Every park's main chain as the plan has it, the others' columns back to their bounds.
    let main = rounded(&parks, &first.columns);
    engine.bound(&fix_all(&parks, &main))?;
    let mut best = Best { run: first, bound };
    let done = |best: &Best| {
        best.gap() <= options.mip_rel_gap
            || watch::interrupted()
            || watch::cancelled()
            || deadline.is_some_and(|d| Instant::now() >= d)
    };

    // 3. Fix and optimise: the fractional parks, then blocks of zones, while they improve.
    let fractional: Vec<usize> = (0..parks.len())
        .filter(|&i| {
            parks[i].cols.iter().any(|&j| {
                lp.as_ref()
                    .is_some_and(|lp| lp.columns[j] > 1e-6 && lp.columns[j] < 1.0 - 1e-6)
            })
        })
        .collect();
    drop(lp);
    let fractional = chunks(&fractional, NEIGHBOURHOOD);
    let blocks = zone_blocks(&parks, NEIGHBOURHOOD);
    // The fractional parks once, then blocks of zones while a pass over them improves the plan.
    let mut improved = true;
    for pass in 0..4 {
        if pass >= 2 && !improved {
            break;
        }
        improved = false;
        for hood in if pass == 0 { &fractional } else { &blocks } {
            // Each run presolves the whole model before any clock is checked.
            if done(&best) || !room(deadline) {
                break;
            }
            let free: Vec<(usize, Option<f64>)> = hood
                .iter()
                .flat_map(|&i| parks[i].cols.iter().map(|&j| (j, None)))
                .collect();
            engine.bound(&free)?;
            let slice = match deadline {
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now()).as_secs_f64();
                    Instant::now() + secs((left / 4.0).max(2.0).min(left))
                }
                None => Instant::now() + secs(SLICE_UNLIMITED),
            };
            let run = engine.mip(Some(slice), Some(&best.run.columns))?;
            if run.feasible && run.objective > best.run.objective + 1e-9 * best.run.objective.abs()
            {
                best.run = run;
                improved = true;
            }
            let main = rounded(&parks, &best.run.columns);
            let fix: Vec<(usize, Option<f64>)> = hood
                .iter()
                .flat_map(|&i| fix_park(&parks[i], main[i]))
                .collect();
            engine.bound(&fix)?;
        }
        if done(&best) {
            break;
        }
    }

    // 4. Branch and bound on the whole MILP from the best plan, with what time is left.
    if !done(&best) && room(deadline) {
        engine.bound(&free_all(&parks))?;
        let run = engine.mip(deadline, Some(&best.run.columns))?;
        if let Some(b) = run.bound {
            best.lower(b);
        }
        if run.optimal() && run.bound.is_none() && run.feasible {
            // Proven optimal without a bound to read (solved in presolve).
            best.lower(run.objective);
        }
        if run.feasible && run.objective > best.run.objective {
            best.run = run;
        }
    }
    let gap = best.gap();
    let status = if gap <= options.mip_rel_gap {
        SolveStatus::Optimal
    } else {
        SolveStatus::TimeLimit
    };
    Ok(solution(best.run, status, best.bound, gap))
}

/// `fraction` of the time left before `deadline`, from now.
fn share_of(deadline: Option<Instant>, fraction: f64) -> Option<Instant> {
    deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now).mul_f64(fraction)
    })
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

/// Each park's slot of largest value among its `y` columns in `columns`.
fn rounded(parks: &[Park], columns: &[f64]) -> Vec<usize> {
    parks
        .iter()
        .map(|p| {
            (0..p.cols.len())
                .max_by(|&a, &b| columns[p.cols[a]].total_cmp(&columns[p.cols[b]]))
                .unwrap_or(0)
        })
        .collect()
}

fn fix_park(park: &Park, main: usize) -> impl Iterator<Item = (usize, Option<f64>)> + '_ {
    park.cols
        .iter()
        .enumerate()
        .map(move |(s, &j)| (j, Some(if s == main { 1.0 } else { 0.0 })))
}

fn fix_all(parks: &[Park], main: &[usize]) -> Vec<(usize, Option<f64>)> {
    parks
        .iter()
        .zip(main)
        .flat_map(|(p, &m)| fix_park(p, m))
        .collect()
}

fn free_all(parks: &[Park]) -> Vec<(usize, Option<f64>)> {
    parks
        .iter()
        .flat_map(|p| p.cols.iter().map(|&j| (j, None)))
        .collect()
}

/// `items` in runs of `size`, the last one possibly shorter.
fn chunks(items: &[usize], size: usize) -> Vec<Vec<usize>> {
    items.chunks(size.max(1)).map(<[usize]>::to_vec).collect()
}

/// The parks in blocks of whole zones, each of at least `size` parks (the last may hold fewer):
/// partner parks trade freely, so a zone's main chains are best changed together.
fn zone_blocks(parks: &[Park], size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..parks.len()).collect();
    order.sort_by_key(|&i| (parks[i].zone, i));
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut block: Vec<usize> = Vec::new();
    for (k, &i) in order.iter().enumerate() {
        block.push(i);
        let zone_ends = order
            .get(k + 1)
            .is_none_or(|&n| parks[n].zone != parks[i].zone);
        if zone_ends && block.len() >= size {
            out.push(std::mem::take(&mut block));
        }
    }
    if !block.is_empty() {
        out.push(block);
    }
    out
}

/// A run whose plan is not one of the whole MILP (its main chains were fixed), read as a run of
/// the whole that stopped before it found a plan.
fn first_without_plan(run: Run) -> Run {
    Run {
        status: highs_sys::MODEL_STATUS_REACHED_TIME_LIMIT,
        feasible: false,
        bound: None,
        ..run
    }
}

/// A run that found nothing, of `model`'s size.
fn no_plan(model: &Model) -> Run {
    Run {
        status: highs_sys::MODEL_STATUS_REACHED_TIME_LIMIT,
        feasible: false,
        objective: f64::NAN,
        bound: None,
        columns: vec![0.0; model.col_names.len()],
        rows: vec![0.0; model.rows.len()],
    }
}

/// The MILP has no plan: its relaxation has none.
fn infeasible(model: &Model) -> Solution {
    Solution {
        status: SolveStatus::Infeasible,
        objective: f64::NAN,
        gap: None,
        bound: None,
        columns: vec![0.0; model.col_names.len()],
        rows: vec![0.0; model.rows.len()],
        duals: Vec::new(),
        is_mip: true,
        ranges: Vec::new(),
    }
}

/// HiGHS's branch and bound on the whole MILP, as a solve without the method would run it.
fn plain(
    engine: &mut Engine,
    deadline: Option<Instant>,
    options: &SolveOptions,
) -> Result<Solution, SolveError> {
    let run = engine.mip(deadline, None)?;
    Ok(finish_run(run, None, options))
}

fn finish(model: &Model, run: Run, bound: Option<f64>, options: &SolveOptions) -> Solution {
    if run.status == highs_sys::MODEL_STATUS_INFEASIBLE {
        return infeasible(model);
    }
    finish_run(run, bound, options)
}

/// A run of the whole MILP as a solution, its bound the lower of its own and `bound`.
fn finish_run(run: Run, bound: Option<f64>, options: &SolveOptions) -> Solution {
    let bound = match (run.bound, bound) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let status = match run.status {
        highs_sys::MODEL_STATUS_INFEASIBLE => SolveStatus::Infeasible,
        highs_sys::MODEL_STATUS_UNBOUNDED => SolveStatus::Unbounded,
        _ if !run.feasible => SolveStatus::NoSolution,
        _ => SolveStatus::TimeLimit,
    };
    if !run.feasible {
        return solution(run, status, bound, f64::NAN);
    }
    let gap = match bound {
        Some(b) => relative_gap(b, run.objective),
        None if run.optimal() => 0.0,
        None => f64::NAN,
    };
    let status = if gap <= options.mip_rel_gap || (run.optimal() && bound.is_none()) {
        SolveStatus::Optimal
    } else {
        status
    };
    solution(run, status, bound, gap)
}

fn solution(run: Run, status: SolveStatus, bound: Option<f64>, gap: f64) -> Solution {
    Solution {
        status,
        objective: if status.has_plan() {
            run.objective
        } else {
            f64::NAN
        },
        gap: (status.has_plan() && gap.is_finite()).then_some(gap),
        bound,
        duals: vec![0.0; run.rows.len()],
        columns: run.columns,
        rows: run.rows,
        is_mip: true,
        ranges: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn park(zone: usize) -> Park {
        Park {
            park: ParkIx(0),
            zone,
            cols: vec![zone * 10, zone * 10 + 1],
            slots: vec![0, 1],
        }
    }

    #[test]
    fn zone_blocks_take_whole_zones_and_every_park_once() {
        let parks: Vec<Park> = [0, 0, 1, 2, 2, 2, 1, 3].into_iter().map(park).collect();
        let blocks = zone_blocks(&parks, 3);
        // Zones 0 and 1 (parks 0, 1, 2, 6), then zone 2 (3, 4, 5), then zone 3 (7).
        assert_eq!(blocks, vec![vec![0, 1, 2, 6], vec![3, 4, 5], vec![7]]);
        let mut all: Vec<usize> = blocks.concat();
        all.sort_unstable();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn rounding_takes_each_parks_largest_y_and_fixing_sets_one_per_park() {
        let parks = vec![
            Park {
                park: ParkIx(0),
                zone: 0,
                cols: vec![0, 1, 2],
                slots: vec![0, 1, 2],
            },
            Park {
                park: ParkIx(1),
                zone: 0,
                cols: vec![3, 4],
                slots: vec![0, 1],
            },
        ];
        let columns = [0.2, 0.5, 0.3, 1.0, 0.0];
        let main = rounded(&parks, &columns);
        assert_eq!(main, vec![1, 0]);
        let fixed = fix_all(&parks, &main);
        let ones: Vec<usize> = fixed
            .iter()
            .filter(|(_, v)| *v == Some(1.0))
            .map(|(j, _)| *j)
            .collect();
        assert_eq!(ones, vec![1, 3]);
        assert!(free_all(&parks).iter().all(|(_, v)| v.is_none()));
    }

    #[test]
    fn the_gap_is_relative_to_the_plan_and_never_negative() {
        assert!((relative_gap(101.0, 100.0) - 0.01).abs() < 1e-12);
        assert!((relative_gap(-99.0, -100.0) - 0.01).abs() < 1e-12);
        assert_eq!(relative_gap(100.0, 100.0 + 1e-9), 0.0);
    }
}
