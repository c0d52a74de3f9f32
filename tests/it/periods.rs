//! Planning over periods (MODEL.md §9): random multi-period problems solved as one MILP against
//! enumeration of main-chain assignments (one LP over all periods each), `verify` on every plan
//! the solver writes, and hand-broken plans that `verify` must reject, one per new rule.
//!
//! The problems are the single-period generator's ([`super::differential::generate`]) with two or
//! three periods added: lengths of 1, 2 or 5 years, a discount rate, and per period changes to
//! land, the funds pool and output values (which may fall, so that plant built early can be
//! stranded and some instances are infeasible).

use std::path::Path;

use parkplan::analysis::enumerate::{Method, enumerate};
use parkplan::plan::verify::{Family, verify};
use parkplan::plan::{Plan, solve_variant};
use parkplan::problem::format::{Period, Problem};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::solver::{SolveOptions, SolveStatus};
use parkplan::variant;
use rayon::prelude::*;

use super::differential::{Rng, generate};

/// Instances run by default (CI).
const INSTANCES: u64 = 120;

const FIRST_SEED: u64 = 0x9E81_0000;

/// As in the single-period differential test: relative, absolute below 1.
const OBJECTIVE_TOLERANCE: f64 = 1e-5;

/// A random problem with periods.
pub fn generate_periods(seed: u64) -> Problem {
    let mut p = generate(seed);
    let mut r = Rng(seed ^ 0xA5A5_A5A5);
    let n = 2 + r.below(2) as usize;
    p.objective.discount_rate = r.pick(&[0.0, 0.0, 0.05, 0.1]);
    let funds_pool = p.resources.get("funds").is_some_and(|f| f.pool.is_some());
    for t in 0..n {
        let mut period = Period {
            years: Some(r.pick(&[1, 2, 5])),
            ..Period::default()
        };
        if t > 0 {
            if r.chance(0.7) {
                period.scale.insert(
                    "parks.*.capacity.land".into(),
                    r.pick(&[0.8, 1.0, 1.25, 1.5]),
                );
            }
            if funds_pool && r.chance(0.7) {
                period
                    .scale
                    .insert("resources.funds.pool".into(), r.pick(&[0.5, 1.0, 2.0]));
            }
            if r.chance(0.5) {
                period
                    .scale
                    .insert("chains.*.output".into(), r.pick(&[0.8, 1.2, 1.5]));
            }
        }
        p.periods.insert(format!("t{}", 2025 + 5 * t), period);
    }
    p
}

/// The problem as a file would give it, validated with its periods.
pub fn load(problem: &Problem) -> Result<ValidProblem, String> {
    let text = serde_yaml::to_string(problem).map_err(|e| e.to_string())?;
    let src = SourceFile::parse(Path::new("random.yaml"), text).map_err(|d| d.to_string())?;
    let base = src.base_problem().map_err(|d| d.to_string())?;
    let v = variant::base(&src.document, &base);
    src.validate_variant(&v).map_err(|d| d.to_string())
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    rule_on: usize,
    optimal: usize,
    infeasible: usize,
    broken: usize,
}

fn run(seed: u64) -> Result<Tally, String> {
    let problem = generate_periods(seed);
    let show = || serde_yaml::to_string(&problem).unwrap_or_default();
    let fail = |why: String| format!("seed {seed:#x}: {why}\n--- problem ---\n{}", show());
    let valid = load(&problem).map_err(|e| fail(format!("invalid problem: {e}")))?;
    assert!(valid.horizon().is_some());
    let plan = solve_variant(&valid, "base", &SolveOptions::default())
        .map_err(|e| fail(format!("MILP solve failed: {e}")))?;
    let oracle = enumerate(&valid, u128::MAX).map_err(|e| fail(format!("oracle failed: {e}")))?;
    if valid.rule().is_some() && oracle.method != Method::Exhaustive {
        return Err(fail(format!("oracle method {:?}", oracle.method)));
    }
    if plan.status != oracle.status {
        return Err(fail(format!(
            "MILP status {}, oracle status {}",
            plan.status, oracle.status
        )));
    }
    let mut t = Tally {
        rule_on: usize::from(valid.rule().is_some()),
        ..Tally::default()
    };
    match plan.status {
        SolveStatus::Optimal => {
            t.optimal = 1;
            let (got, want) = (
                plan.objective.unwrap_or(f64::NAN),
                oracle.objective.unwrap_or(f64::NAN),
            );
            if (got - want).abs() > OBJECTIVE_TOLERANCE * want.abs().max(1.0) {
                return Err(fail(format!("MILP objective {got}, oracle {want}")));
            }
            let v = verify(&valid, &plan, 1e-6);
            if !v.ok() {
                return Err(fail(format!(
                    "the plan does not verify: {:#?}",
                    v.violations
                )));
            }
            t.broken = broken(&valid, &plan).map_err(fail)?;
        }
        SolveStatus::Infeasible => t.infeasible = 1,
        SolveStatus::Unbounded => {}
        other => return Err(fail(format!("unexpected status {other}"))),
    }
    Ok(t)
}

/// Breaks an optimal plan once per rule that applies and checks that `verify` names the rule
/// broken; returns how many were tried.
fn broken(valid: &ValidProblem, plan: &Plan) -> Result<usize, String> {
    let mut tried = 0;
    let expect = |broken: &Plan, family: Family, what: &str| -> Result<(), String> {
        let v = verify(valid, broken, 1e-6);
        if v.violations.iter().any(|x| x.family == family) {
            Ok(())
        } else {
            Err(format!(
                "{what}: verify found no {family:?} violation: {:#?}",
                v.violations
            ))
        }
    };
    // A plant that shrinks: the first active chain of the first period, halved in the second.
    let first = &plan.periods[0].plan;
    if let Some((park, chain, &v)) = first
        .activities
        .iter()
        .flat_map(|(p, a)| a.iter().map(move |(c, v)| (p, c, v)))
        .find(|(_, _, v)| **v > 0.01)
    {
        let mut b = plan.clone();
        b.periods[1].plan.activities[park].insert(chain.clone(), v / 2.0);
        expect(&b, Family::Stays, "a plant that shrinks")?;
        tried += 1;
    }
    // Funds over a period's budget: a funded chain built far beyond in the last period.
    let last = plan.periods.len() - 1;
    if let Some(res) = plan.periods[last]
        .plan
        .resources
        .iter()
        .find(|r| r.resource == "funds" && r.capacity > 0.0)
    {
        let p = valid.problem();
        let parks: Vec<&String> = match &res.park {
            Some(park) => vec![park],
            None => p.parks.keys().collect(),
        };
        let found = parks.iter().find_map(|park| {
            let acts = plan.periods[last].plan.activities.get(*park)?;
            let chain = acts
                .keys()
                .find(|c| p.chains[*c].uses.get("funds").is_some_and(|&u| u > 0.0))?;
            Some((
                (*park).clone(),
                chain.clone(),
                p.chains[chain].uses["funds"],
            ))
        });
        if let Some((park, chain, u)) = found {
            let mut b = plan.clone();
            let a = b.periods[last].plan.activities[&park][&chain];
            let more = (res.capacity - res.used + 1.0) / u + 1.0;
            b.periods[last].plan.activities[&park].insert(chain, a + more);
            let family = if res.park.is_some() {
                Family::ParkResource
            } else {
                Family::Pool
            };
            expect(&b, family, "funds over a period's budget")?;
            tried += 1;
        }
    }
    // A main chain that changes between periods.
    if valid.rule().is_some() {
        let p = valid.problem();
        let (park, main) = plan.main_chains.iter().next().expect("a park");
        if let Some(other) = p.chains.keys().find(|c| *c != main) {
            let mut b = plan.clone();
            b.periods[1]
                .plan
                .main_chains
                .insert(park.clone(), other.clone());
            expect(&b, Family::HeldMainChain, "a main chain that changes")?;
            tried += 1;
        }
    }
    Ok(tried)
}

#[test]
fn multi_period_milp_agrees_with_enumeration_and_verify_rejects_broken_plans() {
    let n = std::env::var("PARKPLAN_DIFF_INSTANCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(INSTANCES);
    let seeds: Vec<u64> = (0..n).map(|i| FIRST_SEED + i).collect();
    let results: Vec<Result<Tally, String>> = seeds.par_iter().map(|&s| run(s)).collect();
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
            rule_on: a.rule_on + b.rule_on,
            optimal: a.optimal + b.optimal,
            infeasible: a.infeasible + b.infeasible,
            broken: a.broken + b.broken,
        });
    eprintln!("{} multi-period instances: {t:?}", seeds.len());
    if n == INSTANCES {
        assert!(t.rule_on >= INSTANCES as usize / 2, "{t:?}");
        assert!(t.optimal >= INSTANCES as usize / 3, "{t:?}");
        assert!(t.infeasible >= 3, "{t:?}");
        assert!(t.broken >= t.optimal, "{t:?}");
    }
}

/// The real multi-period problem: one main chain per park for the horizon, a plan for each of
/// its three periods, the plan verified, and its optimum the one `enumerate` found.
#[test]
fn liupanshui_2035_solves_to_one_main_chain_per_park_and_a_plan_per_period() {
    use crate::common::{Test, rel_diff};
    Test::new()
        .args(["solve", "problems/liupanshui-2035.yaml"])
        .stdout_contains("Main chains, held from 2025 to 2035")
        .stdout_contains("━━ Period 2025 · 5 years")
        .stdout_contains("━━ Period 2030 · 5 years")
        .stdout_contains("━━ Period 2035 · 5 years")
        .stdout_contains("Objective over the horizon (present value at 6.000 % a year)")
        .run();
    let plan = Test::new()
        .args(["solve", "problems/liupanshui-2035.yaml", "-f", "json"])
        .json();
    let periods = plan["periods"].as_array().expect("periods");
    assert_eq!(periods.len(), 3);
    let mains = plan["main_chains"].as_object().expect("main chains");
    assert_eq!(mains.len(), 8);
    for p in periods {
        assert_eq!(p["main_chains"].as_object(), Some(mains), "{}", p["period"]);
        assert!(p["built"].is_object());
    }
    // The objective is the weighted sum of the periods'.
    let sum: f64 = periods
        .iter()
        .map(|p| p["weight"].as_f64().unwrap() * p["objective"].as_f64().unwrap())
        .sum();
    let total = plan["objective"].as_f64().unwrap();
    assert!(rel_diff(sum, total) < 1e-9, "{sum} vs {total}");
    Test::new()
        .args(["enumerate", "problems/liupanshui-2035.yaml"])
        .stdout_contains("objective: 1728.312703")
        .run();
}

/// A cap that falls below plant built earlier: infeasible, and `explain` names the cap, its park
/// and its period.
#[test]
fn explain_names_the_cap_and_the_period_when_built_plant_outgrows_a_later_cap() {
    use crate::common::Test;
    Test::new()
        .args(["solve", "problems/small/periods-plant-stays.yaml"])
        .status(3)
        .run();
    let e = Test::new()
        .args([
            "explain",
            "problems/small/periods-plant-stays.yaml",
            "-f",
            "json",
        ])
        .json();
    let changes = e["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{e}");
    assert_eq!(changes[0]["period"], "2030", "{e}");
    Test::new()
        .args(["explain", "problems/small/periods-plant-stays.yaml"])
        .stdout_contains("in period 2030, park a needs 0.5 km² more land (2.5 → 3 km²)")
        .run();
}

/// Every multi-period file in `problems/`: the optimum of the base and of every scenario with a
/// known objective, found again by `enumerate` (one LP over all periods per main-chain
/// assignment, no branch and bound).
#[test]
fn every_multi_period_optimum_is_confirmed_by_enumeration() {
    use crate::common::{Test, problem_files, rel_diff};
    let mut confirmed = 0;
    for file in problem_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        if doc.get("periods").is_none() {
            continue;
        }
        let mut cases = vec![(None, doc["expected"].clone())];
        if let Some(sc) = doc.get("scenarios").and_then(|s| s.as_mapping()) {
            for (name, s) in sc {
                cases.push((name.as_str().map(str::to_string), s["expected"].clone()));
            }
        }
        for (scenario, expected) in cases {
            let Some(want) = expected.get("objective").and_then(|o| o.as_f64()) else {
                continue;
            };
            let tol = expected
                .get("tolerance")
                .and_then(|t| t.as_f64())
                .unwrap_or(1e-6);
            let mut args = vec![
                "enumerate".to_string(),
                file.display().to_string(),
                "--json".into(),
            ];
            if let Some(s) = &scenario {
                args.extend(["--scenario".to_string(), s.clone()]);
            }
            let e = Test::new().args(&args).json();
            let got = e["objective"].as_f64().unwrap_or(f64::NAN);
            assert!(
                rel_diff(got, want) <= tol,
                "{} {scenario:?}: enumerate gives {got}, expected {want}",
                file.display()
            );
            confirmed += 1;
        }
    }
    assert!(
        confirmed >= 15,
        "only {confirmed} multi-period optima confirmed"
    );
}
