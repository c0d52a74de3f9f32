//! The price of every designation (MODEL.md §13): for each park p and each chain c that may be its
//! main chain, `z(p→c)`, the optimum with `y[p,c] = 1` added (every other park free), and the loss
//! `z* − z(p→c)` against the optimum `z*`.
//!
//! The optimum is solved first. The chain it gives p is priced by the optimum itself; every other
//! pair is an independent solve, side by side on the pool the batches use, through
//! [`solve_with`] — the entry point of `parkplan solve`, so that every way of solving it knows
//! applies here too — with p's main chain fixed ([`ModelOptions::fixed_main`]). Each solve starts
//! from a plan ([`ModelOptions::start_from`]): the best plan found so far that already gives p the
//! chain c (another pair's), else the optimum's main chains with p's switched to c.
//!
//! Solved with a relative gap g, z* and every z(p→c) are known only within their bounds, so a loss
//! is an interval `[z*_low − z(p→c)_high, z*_high − z(p→c)_low]`, clipped at 0 (an exact loss is
//! never negative). At the default gap ([`EXACT_GAP`]) or tighter, a loss between two optimal
//! solves is reported as one number. Every plan a pair finds is a plan of the problem itself, so
//! the best of them raises `z*_low`.
//!
//! The analysis (pairs, starts, intervals) and its unit tests stay in one file, past 600 lines: the
//! code itself is about 460 lines and the tests pin each rule of MODEL.md §13 beside it.

use std::sync::Mutex;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::ModelOptions;
use crate::plan::{Names, Plan, solve_with, units_of};
use crate::problem::diagnostic::did_you_mean;
use crate::problem::{ChainIx, ParkIx, ValidProblem};
use crate::solver::{SolveError, SolveOptions, SolveStatus, StopCause, VariantStatus, watch};

/// The relative gap at or below which losses between optimal solves are points, not intervals:
/// the default `--gap`, at which the optimum is taken as exact everywhere else (`expected:`
/// tolerances are no tighter).
pub const EXACT_GAP: f64 = 1e-6;

/// What to price and how to solve.
#[derive(Debug, Clone)]
pub struct DesignationsOptions {
    /// The parks whose designations are priced, by id; empty for every park.
    pub parks: Vec<String>,
    /// Solver settings for each solve; a time limit applies to each.
    pub solve: SolveOptions,
    /// Solves run at once (0 = one per core).
    pub jobs: usize,
}

/// Why designations cannot be priced.
#[derive(Debug, thiserror::Error)]
pub enum DesignationsError {
    /// The one-main-chain rule is off: no park has a main chain.
    #[error(
        "the one-main-chain rule is off in this problem, so no park has a main chain and there is no designation to price; turn on `rules.one_main_chain` to price each park's main chains"
    )]
    RuleOff,
    /// A park asked for is not in the problem.
    #[error("{}", unknown_park(.id, .near.as_deref(), .known))]
    UnknownPark {
        /// The id asked for.
        id: String,
        /// A park id near it, when there is one.
        near: Option<String>,
        /// Every park id.
        known: Vec<String>,
    },
    /// The problem itself has no plan to measure losses against.
    #[error("the problem has no plan to measure losses against: it is {status}; {}", .status.message_by(None, *.stopped_by).unwrap_or_default())]
    NoOptimum {
        /// How its solve ended.
        status: SolveStatus,
        /// What stopped it, when something did (the time limit, Ctrl-C, SIGTERM).
        stopped_by: Option<StopCause>,
    },
    /// The solver failed on the optimum itself.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

fn unknown_park(id: &str, near: Option<&str>, known: &[String]) -> String {
    match near {
        Some(n) => format!("no park `{id}` in the problem; did you mean `{n}`?"),
        None => format!(
            "no park `{id}` in the problem; its parks are {}",
            known.join(", ")
        ),
    }
}

/// The price of every designation of the parks asked for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Designations {
    /// The problem's name.
    #[serde(default)]
    pub problem: Option<String>,
    /// `base` or the scenario solved.
    pub variant: String,
    /// `z*`: the optimum's objective (the best plan found, under a gap or a time limit).
    pub objective: f64,
    /// The relative MIP gap every solve was asked for.
    pub gap: f64,
    /// How the optimum's solve ended.
    pub status: SolveStatus,
    /// What stopped the optimum's solve short of the gap (the time limit, Ctrl-C, SIGTERM), when
    /// something did: `status` alone says `time_limit` for each of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
    /// The most `z*` can be, from the optimum's gap; `null` when not known (a time limit).
    #[serde(default)]
    pub objective_high: Option<f64>,
    /// The optimum's main chain in every park.
    pub main_chains: IndexMap<String, String>,
    /// Every (park, chain) pair priced, park by park in the problem's order, chains in theirs.
    pub designations: Vec<Designation>,
    /// Pairs left unsolved because the run was stopped (Ctrl-C) before they started.
    #[serde(default)]
    pub unsolved: usize,
    /// The problem's unit labels (`output: bn CNY/yr`); the objective is in `output`'s unit.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub units: IndexMap<String, String>,
    /// Display names of the parks and chains that have one.
    #[serde(default, skip_serializing_if = "Names::is_empty")]
    pub names: Names,
    /// The optimum's whole plan, as `solve` writes it (not part of the result file).
    #[serde(skip)]
    pub plan: Option<Box<Plan>>,
}

/// One (park, chain) pair: `z(p→c)` and its loss against the optimum.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Designation {
    /// The park.
    pub park: String,
    /// The chain made its main chain.
    pub chain: String,
    /// Whether the optimum gives the park this chain.
    #[serde(default)]
    pub chosen: bool,
    /// How the solve ended: `infeasible` when no plan has this chain as the park's main chain,
    /// `error` when the solver failed.
    pub status: VariantStatus,
    /// `z(p→c)`, the best plan's objective; `null` without a plan.
    #[serde(default)]
    pub objective: Option<f64>,
    /// `z* − z(p→c)` (≥ 0), when both are exact (optimal at a gap of at most [`EXACT_GAP`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
    /// The least the loss can be (≥ 0), when it is known only within bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_low: Option<f64>,
    /// The most the loss can be, when it is known only within bounds; `null` when there is no
    /// bound (a solve stopped before it proved one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_high: Option<f64>,
    /// Why there is no optimal plan, in one line: the status's sentence or the solver's error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Designation {
    /// Whether the pair has a plan.
    pub fn has_plan(&self) -> bool {
        self.status.has_plan() && self.objective.is_some()
    }

    /// The loss as `(low, high)`: a point twice, an interval, `high` `None` without a bound;
    /// `None` without a plan.
    pub fn interval(&self) -> Option<(f64, Option<f64>)> {
        match (self.loss, self.loss_low) {
            (Some(l), _) => Some((l, Some(l))),
            (None, Some(lo)) => Some((lo, self.loss_high)),
            _ => None,
        }
    }
}

impl Designations {
    /// The parks priced, in order, each with its pairs ranked: the chosen chain first, then by
    /// loss (its lower end, then its upper end), pairs without a plan last.
    pub fn ranked(&self) -> Vec<(&str, Vec<&Designation>)> {
        let mut out: Vec<(&str, Vec<&Designation>)> = Vec::new();
        for d in &self.designations {
            match out.iter_mut().find(|(p, _)| *p == d.park) {
                Some((_, list)) => list.push(d),
                None => out.push((&d.park, vec![d])),
            }
        }
        for (_, list) in &mut out {
            list.sort_by(|a, b| {
                let key = |d: &Designation| {
                    let (lo, hi) = d.interval().unwrap_or((f64::INFINITY, None));
                    (!d.chosen, lo, hi.unwrap_or(f64::INFINITY))
                };
                let (ka, kb) = (key(a), key(b));
                ka.0.cmp(&kb.0)
                    .then(ka.1.total_cmp(&kb.1))
                    .then(ka.2.total_cmp(&kb.2))
            });
        }
        out
    }

    /// A loss as a share of `|z*|` (0.05 = 5 %); `None` when `z*` is 0.
    pub fn share(&self, loss: f64) -> Option<f64> {
        (self.objective != 0.0).then(|| loss / self.objective.abs())
    }

    /// Whether every loss is a point (none is an interval).
    pub fn exact(&self) -> bool {
        self.designations.iter().all(|d| d.loss_low.is_none())
    }

    /// The chains priced, in the order they first appear (the problem's order within a park).
    pub fn chains(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for d in &self.designations {
            if !out.contains(&d.chain.as_str()) {
                out.push(&d.chain);
            }
        }
        out
    }

    /// The unit of the objective (`output`'s), when the problem gives one.
    pub fn unit(&self) -> Option<&str> {
        self.units.get("output").map(String::as_str)
    }
}

/// What one solve of a pair gives: its plan and main chains, as [`solve_with`] returns them.
pub type PairSolve = Result<(Plan, Option<Vec<ChainIx>>), SolveError>;

/// Prices every designation of the parks `options.parks` (every park when empty) of `problem`,
/// calling `done` with the park and chain as each pair is priced (from the worker's thread).
///
/// Once the solves are asked to stop ([`watch::interrupt`], Ctrl-C), the pairs being solved end
/// with the best plan found so far and those not started are left out ([`Designations::unsolved`]).
/// A pair whose solve fails is reported with its error; the others go on.
pub fn designations(
    problem: &ValidProblem,
    variant: &str,
    options: &DesignationsOptions,
    done: &(dyn Fn(&str, &str) + Sync),
) -> Result<Designations, DesignationsError> {
    price(problem, variant, options, done, &|model_options| {
        solve_with(problem, variant, model_options, &options.solve)
    })
}

/// The pairs of the parks asked for, in order.
fn pairs(
    problem: &ValidProblem,
    parks: &[String],
) -> Result<Vec<(ParkIx, ChainIx)>, DesignationsError> {
    let p = problem.problem();
    let chosen: Vec<ParkIx> = if parks.is_empty() {
        p.park_ixs().collect()
    } else {
        let mut out = Vec::new();
        for id in parks {
            let Some(pi) = p.park_ix(id) else {
                let known: Vec<String> = p.parks.keys().cloned().collect();
                return Err(DesignationsError::UnknownPark {
                    id: id.clone(),
                    near: did_you_mean(id, known.iter().map(String::as_str)).map(String::from),
                    known,
                });
            };
            if !out.contains(&pi) {
                out.push(pi);
            }
        }
        // The problem's order, whatever the order asked in.
        out.sort();
        out
    };
    Ok(chosen
        .into_iter()
        .flat_map(|pi| problem.candidates(pi).iter().map(move |&c| (pi, c)))
        .collect())
}

/// A solved pair: how it ended, its objective and bound, and its error if it failed.
struct Priced {
    status: VariantStatus,
    objective: Option<f64>,
    /// The most `z(p→c)` can be: `objective` within its gap; `None` when not known.
    high: Option<f64>,
    message: Option<String>,
}

/// The most a plan's objective `z` can be below the true optimum of its problem, from its gap:
/// `z + g·|z|` (the relative gap is measured against the plan, as HiGHS measures it). An optimal
/// plan without a gap of its own is within the gap asked for; a plan stopped without one has no
/// known bound.
fn upper(plan: &Plan, asked: f64) -> Option<f64> {
    let z = plan.objective?;
    let g = match (plan.gap, plan.status) {
        (Some(g), _) => g.max(0.0),
        (None, SolveStatus::Optimal) => asked,
        (None, _) => return None,
    };
    Some(z + g * z.abs())
}

/// [`designations`] with the solve of one pair given (`solve` takes the model options of the
/// pair: its park's main chain fixed, its start), so that a test can make one fail.
pub(crate) fn price(
    problem: &ValidProblem,
    variant: &str,
    options: &DesignationsOptions,
    done: &(dyn Fn(&str, &str) + Sync),
    solve: &(dyn Fn(ModelOptions) -> PairSolve + Sync),
) -> Result<Designations, DesignationsError> {
    if problem.rule().is_none() {
        return Err(DesignationsError::RuleOff);
    }
    let pairs = pairs(problem, &options.parks)?;
    let p = problem.problem();
    let asked = options.solve.mip_rel_gap;
    let (optimum, main) = solve(ModelOptions::default())?;
    let (Some(z), Some(main)) = (
        optimum.objective.filter(|_| optimum.status.has_plan()),
        main,
    ) else {
        return Err(DesignationsError::NoOptimum {
            status: optimum.status,
            stopped_by: optimum.stopped_by,
        });
    };
    let z_high = upper(&optimum, asked);
    // Plans found so far (objective, main chains), each a start for the pairs it fits.
    let known: Mutex<Vec<(f64, Vec<ChainIx>)>> = Mutex::new(vec![(z, main.clone())]);
    let parks = p.parks.len();
    let one = |i: usize, (pi, c): (ParkIx, ChainIx)| -> Option<Priced> {
        let (park, chain) = (p.park_id(pi), p.chain_id(c));
        if main[pi.0] == c {
            done(park, chain);
            return Some(Priced {
                status: optimum.status.into(),
                objective: Some(z),
                high: z_high,
                message: optimum.status.message_by(optimum.gap, optimum.stopped_by),
            });
        }
        if watch::interrupted() || watch::cancelled() {
            return None;
        }
        let start = {
            let known = known.lock().unwrap_or_else(|e| e.into_inner());
            known
                .iter()
                .filter(|(_, m)| m[pi.0] == c)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, m)| m.clone())
        }
        .unwrap_or_else(|| {
            let mut m = main.clone();
            m[pi.0] = c;
            m
        });
        let mut fixed = vec![None; parks];
        fixed[pi.0] = Some(c);
        let model_options = ModelOptions {
            fixed_main: fixed,
            start_from: Some(start),
            ..ModelOptions::default()
        };
        let name = format!("{park}→{chain}");
        let priced = match watch::labelled(i + 1, &name, || solve(model_options)) {
            Ok((plan, found)) => {
                let objective = plan.objective.filter(|_| plan.status.has_plan());
                if let (Some(obj), Some(found)) = (objective, found) {
                    known
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((obj, found));
                }
                Priced {
                    status: plan.status.into(),
                    objective,
                    high: objective.and_then(|_| upper(&plan, asked)),
                    message: plan.status.message_by(plan.gap, plan.stopped_by),
                }
            }
            Err(e) => Priced {
                status: VariantStatus::Error,
                objective: None,
                high: None,
                message: Some(e.to_string()),
            },
        };
        done(park, chain);
        Some(priced)
    };
    // The caller's observer watches (and may stop) the pairs on the pool's threads too.
    let observer = watch::current_observer();
    let priced: Vec<Option<Priced>> = crate::util::parallel::in_pool(options.jobs, || {
        pairs
            .par_iter()
            .enumerate()
            .map(|(i, &pair)| match &observer {
                Some(o) => watch::observed(o.clone(), || one(i, pair)),
                None => one(i, pair),
            })
            .collect()
    });
    // Every plan a pair found is a plan of the problem: the best of them is a lower bound on z*.
    let z_low = priced
        .iter()
        .flatten()
        .filter_map(|r| r.objective)
        .fold(z, f64::max);
    let exact_run = asked <= EXACT_GAP && optimum.status == SolveStatus::Optimal;
    let mut out = Vec::new();
    for (&(pi, c), r) in pairs.iter().zip(&priced) {
        let Some(r) = r else { continue };
        let chosen = main[pi.0] == c;
        let mut d = Designation {
            park: p.park_id(pi).to_string(),
            chain: p.chain_id(c).to_string(),
            chosen,
            status: r.status,
            objective: r.objective,
            loss: None,
            loss_low: None,
            loss_high: None,
            message: r.message.clone(),
        };
        if let Some(obj) = r.objective {
            if chosen && exact_run {
                d.loss = Some(0.0);
            } else if exact_run && r.status == VariantStatus::OPTIMAL {
                d.loss = Some((z - obj).max(0.0));
            } else if chosen {
                d.loss_low = Some(0.0);
                d.loss_high = z_high.map(|h| (h - z).max(0.0));
            } else {
                d.loss_low = Some(r.high.map_or(0.0, |h| (z_low - h).max(0.0)));
                d.loss_high = z_high.map(|h| (h - obj).max(0.0));
            }
        }
        out.push(d);
    }
    Ok(Designations {
        problem: p.name.clone(),
        variant: variant.to_string(),
        objective: z,
        gap: asked,
        status: optimum.status,
        stopped_by: optimum.stopped_by,
        objective_high: z_high,
        main_chains: p
            .park_ixs()
            .zip(&main)
            .map(|(pi, &c)| (p.park_id(pi).to_string(), p.chain_id(c).to_string()))
            .collect(),
        unsolved: priced.iter().filter(|r| r.is_none()).count(),
        designations: out,
        units: units_of(p),
        names: Names::of(p),
        plan: Some(Box::new(optimum)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::validate::validate;

    /// Two parks; `a` may run cement (3 per unit, up to 2) or steel (2 per unit, up to 2), `b`
    /// cement only. Only the main chain grows (nothing exists), so the optimum is cement in both,
    /// 6 + 6 = 12, and a→steel gives 4 + 6 = 10: a loss of 2.
    const TWO: &str = r#"
resources: { land: {} }
parks:
  a: { capacity: { land: 10 } }
  b: { capacity: { land: 10 }, allowed: [cement] }
chains:
  cement: { output: 3, uses: { land: 1 }, max_per_park: 2 }
  steel: { output: 2, uses: { land: 1 }, max_per_park: 2 }
rules: { one_main_chain: { min_share: 0.5 } }
"#;

    fn valid(text: &str) -> ValidProblem {
        let problem: crate::problem::Problem = serde_yaml::from_str(text).unwrap();
        validate(problem).unwrap()
    }

    fn options() -> DesignationsOptions {
        DesignationsOptions {
            parks: Vec::new(),
            solve: SolveOptions::default(),
            jobs: 1,
        }
    }

    #[test]
    fn the_chosen_chain_costs_nothing_and_another_costs_its_difference() {
        let v = valid(TWO);
        let d = designations(&v, "base", &options(), &|_, _| {}).unwrap();
        assert_eq!(d.objective, 12.0);
        let got: Vec<(&str, &str, bool, Option<f64>)> = d
            .designations
            .iter()
            .map(|d| (d.park.as_str(), d.chain.as_str(), d.chosen, d.loss))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "cement", true, Some(0.0)),
                ("a", "steel", false, Some(2.0)),
                ("b", "cement", true, Some(0.0)),
            ]
        );
        assert!(d.exact());
    }

    #[test]
    fn one_failing_pair_is_reported_and_the_others_are_priced() {
        let v = valid(TWO);
        let failing = |mo: ModelOptions| -> PairSolve {
            if mo.fixed_main.iter().any(Option::is_some) {
                return Err(SolveError("injected".into()));
            }
            solve_with(&v, "base", mo, &SolveOptions::default())
        };
        let d = price(&v, "base", &options(), &|_, _| {}, &failing).unwrap();
        let steel = &d.designations[1];
        assert_eq!(steel.status, VariantStatus::Error);
        assert_eq!(steel.message.as_deref(), Some("HiGHS failed: injected"));
        assert_eq!(steel.loss, None);
        assert_eq!(d.designations[0].loss, Some(0.0));
        assert_eq!(d.designations[2].loss, Some(0.0));
    }

    #[test]
    fn under_a_gap_each_loss_is_an_interval_that_holds_the_exact_one() {
        let v = valid(TWO);
        let loose = DesignationsOptions {
            solve: SolveOptions {
                mip_rel_gap: 0.05,
                ..SolveOptions::default()
            },
            ..options()
        };
        let d = designations(&v, "base", &loose, &|_, _| {}).unwrap();
        assert!(!d.exact());
        for x in &d.designations {
            let (lo, hi) = x.interval().unwrap();
            let hi = hi.unwrap();
            assert!(lo >= 0.0 && lo <= hi, "{x:?}");
            let exact = if x.chosen { 0.0 } else { 2.0 };
            assert!(lo - 1e-9 <= exact && exact <= hi + 1e-9, "{x:?}");
        }
    }

    /// Stops the solves once `after` pairs are done.
    struct StopAfter {
        done: std::sync::atomic::AtomicUsize,
        after: usize,
    }

    impl watch::Observer for StopAfter {
        fn cancelled(&self) -> bool {
            self.done.load(std::sync::atomic::Ordering::SeqCst) >= self.after
        }
    }

    #[test]
    fn a_stopped_run_keeps_the_pairs_priced_and_counts_the_rest() {
        // Three parks like `a`: the optimum prices the three cement pairs; the first steel pair
        // is solved, then the run is stopped and the other two are not started.
        let v = valid(&TWO.replace(
            "  b: { capacity: { land: 10 }, allowed: [cement] }",
            "  b: { capacity: { land: 10 } }\n  c: { capacity: { land: 10 } }",
        ));
        let stop = std::sync::Arc::new(StopAfter {
            done: 0.into(),
            after: 2,
        });
        let counter = stop.clone();
        let d = watch::observed(stop.clone(), || {
            designations(&v, "base", &options(), &|_, _| {
                counter
                    .done
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })
        })
        .unwrap();
        let priced: Vec<(&str, &str)> = d
            .designations
            .iter()
            .map(|x| (x.park.as_str(), x.chain.as_str()))
            .collect();
        assert_eq!(
            priced,
            [
                ("a", "cement"),
                ("a", "steel"),
                ("b", "cement"),
                ("c", "cement")
            ]
        );
        assert_eq!(d.unsolved, 2);
        assert_eq!(d.designations[1].loss, Some(2.0));
    }

    #[test]
    fn an_unknown_park_is_named_with_the_nearest() {
        let v = valid(TWO);
        let o = DesignationsOptions {
            parks: vec!["aa".into()],
            ..options()
        };
        let e = designations(&v, "base", &o, &|_, _| {}).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no park `aa` in the problem; did you mean `a`?"
        );
    }

    #[test]
    fn with_the_rule_off_there_is_nothing_to_price() {
        let v = valid(&TWO.replace("rules: { one_main_chain: { min_share: 0.5 } }", ""));
        let e = designations(&v, "base", &options(), &|_, _| {}).unwrap_err();
        assert!(matches!(e, DesignationsError::RuleOff));
    }
}
