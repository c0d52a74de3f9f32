//! Plant in units (MODEL.md §12), differentially: random small problems of the single-period
//! and multi-period generators with `build:` on some chains — unit sizes, minimum scales, fixed
//! outlays of land and funds — solved as one MILP and against `enumerate`, which fixes each
//! main-chain assignment and solves the MILP that remains (units and switches) to a gap of 1e-9,
//! one assignment at a time. Every optimal plan must also pass `verify`, whose check of whole
//! units, minima and fixed outlays is its own arithmetic; and a plan with a fractional unit
//! must fail it, naming the park and chain.

use std::path::Path;

use parkplan::analysis::enumerate::{Method, enumerate};
use parkplan::plan::verify::{Family, verify};
use parkplan::plan::{Plan, solve_variant};
use parkplan::problem::format::{Build, Period, Problem};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, SolveStatus};
use parkplan::variant;
use rayon::prelude::*;

use super::differential::{Rng, generate};

/// Instances run by default, each way (CI).
const INSTANCES: u64 = 80;

const FIRST_SEED: u64 = 0x0417_0000;

/// The MILP is solved to a gap of 1e-6: relative, absolute below 1.
const OBJECTIVE_TOLERANCE: f64 = 1e-5;

/// `build:` on about half the chains: a unit of 0.5, 1 or 1.5; a minimum of 1 or 2; a fixed
/// outlay of land, and of funds where the problem has them. A minimum or an outlay needs a bound
/// on the chain's activity in every park, so chains without `max_per_park` (possible with the
/// rule off) get a unit only.
fn with_units(mut p: Problem, seed: u64) -> Problem {
    let mut r = Rng(seed ^ 0x0417_0417);
    let funds = p.resources.contains_key("funds");
    for chain in p.chains.values_mut() {
        if !r.chance(0.6) {
            continue;
        }
        let mut b = Build::default();
        if r.chance(0.7) {
            b.unit = Some(r.pick(&[0.5, 1.0, 1.5]));
        }
        let bounded = chain.max_per_park.is_some();
        if bounded && r.chance(0.4) {
            b.min = Some(r.pick(&[1.0, 2.0]));
        }
        if bounded && r.chance(0.5) {
            b.fixed.insert("land".into(), r.pick(&[0.5, 1.0, 2.0]));
        }
        if bounded && funds && r.chance(0.4) {
            b.fixed.insert("funds".into(), r.pick(&[0.5, 1.5]));
        }
        if b.unit.is_none() && b.min.is_none() && b.fixed.is_empty() {
            b.unit = Some(1.0);
        }
        chain.build = Some(b);
    }
    // Every instance has at least one chain in units, so that each is a MILP per assignment.
    if let Some(first) = p.chains.values_mut().next()
        && first.build.is_none()
    {
        first.build = Some(Build {
            unit: Some(1.0),
            ..Build::default()
        });
    }
    p
}

/// Two periods: land grows or shrinks, funds come again.
fn with_periods(mut p: Problem, seed: u64) -> Problem {
    let mut r = Rng(seed ^ 0x9E81_0417);
    p.periods.insert(
        "t2025".into(),
        Period {
            years: Some(r.pick(&[1, 5])),
            ..Period::default()
        },
    );
    let mut later = Period {
        years: Some(r.pick(&[1, 5])),
        ..Period::default()
    };
    later
        .scale
        .insert("parks.*.capacity.land".into(), r.pick(&[0.8, 1.0, 1.5]));
    p.periods.insert("t2030".into(), later);
    p
}

/// The problem as a file would give it, validated with its periods.
fn load(problem: &Problem) -> Result<ValidProblem, String> {
    let text = serde_yaml::to_string(problem).map_err(|e| e.to_string())?;
    let src = SourceFile::parse(Path::new("random.yaml"), text).map_err(|d| d.to_string())?;
    let base = src.base_problem().map_err(|d| d.to_string())?;
    let v = variant::base(&src.document, &base);
    src.validate_variant(&v).map_err(|d| d.to_string())
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    optimal: usize,
    infeasible: usize,
    /// Optimal plans that build at least one chain in units.
    building: usize,
    /// Plans with a unit broken that `verify` rejected.
    broken: usize,
}

fn run(seed: u64, periods: bool) -> Result<Tally, String> {
    let mut problem = with_units(generate(seed), seed);
    if periods {
        problem = with_periods(problem, seed);
    }
    let show = || serde_yaml::to_string(&problem).unwrap_or_default();
    let fail = |why: String| format!("seed {seed:#x}: {why}\n--- problem ---\n{}", show());
    let valid = load(&problem).map_err(|e| fail(format!("invalid problem: {e}")))?;
    let plan = solve_variant(&valid, "base", &SolveOptions::default())
        .map_err(|e| fail(format!("MILP solve failed: {e}")))?;
    let oracle = enumerate(&valid, u128::MAX).map_err(|e| fail(format!("oracle failed: {e}")))?;
    if valid.rule().is_some() && oracle.method != Method::Exhaustive {
        return Err(fail(format!("oracle method {:?}", oracle.method)));
    }
    if !oracle.milp {
        return Err(fail("the oracle did not solve MILPs".into()));
    }
    if plan.status != oracle.status {
        return Err(fail(format!(
            "MILP status {}, oracle status {}",
            plan.status, oracle.status
        )));
    }
    let mut t = Tally::default();
    match plan.status {
        SolveStatus::Optimal => {
            t.optimal = 1;
            let (got, want) = (
                plan.objective.unwrap_or(f64::NAN),
                oracle.objective.unwrap_or(f64::NAN),
            );
            if (got - want).abs() > OBJECTIVE_TOLERANCE * want.abs().max(1.0) {
                return Err(fail(format!(
                    "MILP objective {got}, oracle {want} (main chains {:?} vs {:?})",
                    plan.main_chains, oracle.best
                )));
            }
            let v = verify(&valid, &plan, 1e-6);
            if !v.ok() {
                return Err(fail(format!(
                    "the plan does not verify: {:#?}",
                    v.violations
                )));
            }
            if !plan.built_units.is_empty() {
                t.building = 1;
                t.broken = usize::from(broken(&valid, &plan).map_err(fail)?);
            }
        }
        SolveStatus::Infeasible => t.infeasible = 1,
        SolveStatus::Unbounded => {}
        other => return Err(fail(format!("unexpected status {other}"))),
    }
    Ok(t)
}

/// A plan of one period with a chain built in units of at least 1 moved by a third of a unit:
/// `verify` must reject it under §12, naming the park and chain. Returns whether one was tried.
fn broken(valid: &ValidProblem, plan: &Plan) -> Result<bool, String> {
    if valid.horizon().is_some() {
        return Ok(false);
    }
    for (park, chains) in &plan.built_units {
        for (chain, b) in chains {
            let Some(unit) = b.unit else { continue };
            let mut bad = plan.clone();
            *bad.activities[park].get_mut(chain).expect("built") -= unit / 3.0;
            let v = verify(valid, &bad, 1e-6);
            let named = v.violations.iter().any(|x| {
                x.family == Family::Units && x.constraint == format!("unit[{park},{chain}]")
            });
            if !named {
                return Err(format!(
                    "a third of a unit off `{chain}` in `{park}` was not rejected under §12: {:#?}",
                    v.violations
                ));
            }
            return Ok(true);
        }
    }
    Ok(false)
}

fn check(periods: bool) {
    let n = std::env::var("PARKPLAN_DIFF_INSTANCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(INSTANCES);
    let seeds: Vec<u64> = (0..n).map(|i| FIRST_SEED + i).collect();
    let results: Vec<Result<Tally, String>> = seeds.par_iter().map(|&s| run(s, periods)).collect();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} instances disagree:\n{}",
        failures.len(),
        seeds.len(),
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let t = results
        .into_iter()
        .map(Result::unwrap)
        .fold(Tally::default(), |a, b| Tally {
            optimal: a.optimal + b.optimal,
            infeasible: a.infeasible + b.infeasible,
            building: a.building + b.building,
            broken: a.broken + b.broken,
        });
    eprintln!("{n} instances with units (periods: {periods}): {t:?}");
    if n == INSTANCES {
        // The generator must keep producing plans that build in units.
        assert!(t.optimal >= INSTANCES as usize / 3, "{t:?}");
        assert!(t.building >= INSTANCES as usize / 5, "{t:?}");
        if !periods {
            assert!(t.broken >= 5, "{t:?}");
        }
    }
}

#[test]
fn milp_with_units_agrees_with_one_milp_per_assignment() {
    check(false);
}

#[test]
fn milp_with_units_over_periods_agrees_with_one_milp_per_assignment() {
    check(true);
}
