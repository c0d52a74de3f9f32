//! The hub formulation of the material exchange against the pairwise one of MODEL.md §3 (a
//! column per pair of parks), on seeded random problems with every exchange mode: within zones
//! or not, across zones not at all, free, or at a cost (zero for some materials), with parks
//! outside any zone. Both must reach one optimum, and the hub plan's decomposed park-to-park
//! flows must verify. Then the sizes: the hub model grows linearly in parks.
//!
//! `PARKPLAN_FLOWS_INSTANCES=N` runs more (or fewer) instances; a failure prints the seed and the
//! problem as YAML.

use indexmap::IndexMap;
use parkplan::model::{Flows, Model, ModelOptions};
use parkplan::plan::solve_plain;
use parkplan::plan::verify::verify;
use parkplan::problem::format::{AcrossZones, AcrossZonesCosts, Exchange, Problem, Zone};
use parkplan::problem::validate::validate;
use parkplan::solver::{SolveOptions, SolveStatus};
use rayon::prelude::*;

use super::differential::{Rng, generate};

/// Instances run by default (CI).
const INSTANCES: u64 = 240;

/// Both MILPs stop at a relative gap of 1e-6; beyond 1e-5 (relative, absolute below 1) the two
/// formulations disagree.
const TOLERANCE: f64 = 1e-5;

/// The six exchange modes: within zones or not × across zones off, free, or at a cost.
fn exchange(mode: u64, r: &mut Rng, materials: &[String]) -> Exchange {
    Exchange {
        within_zone: mode.is_multiple_of(2),
        across_zones: match mode / 2 {
            0 => None,
            1 => Some(AcrossZones::Flag(true)),
            _ => Some(AcrossZones::Costs(AcrossZonesCosts {
                // Zero now and then: a free route across is the case where hubs could trade
                // with themselves.
                cost: materials
                    .iter()
                    .map(|m| (m.clone(), r.pick(&[0.0, 0.5, 1.0, 2.5])))
                    .collect::<IndexMap<_, _>>(),
            })),
        },
    }
}

/// The small generator's problem with its parks copied into 4–9 parks over 1–4 zones, some
/// outside any zone; chain totals dropped and pools widened with the copies so that copying
/// alone does not make the problem infeasible.
fn problem(seed: u64) -> Problem {
    let mut p = generate(seed);
    let mut r = Rng(seed ^ 0xF10E);
    let copies = 2 + r.below(3) as usize;
    let n_zones = 1 + r.below(4) as usize;
    p.zones = (0..n_zones)
        .map(|z| (format!("z{z}"), Zone::default()))
        .collect();
    let parks: Vec<_> = p.parks.values().cloned().collect();
    p.parks.clear();
    for copy in 0..copies {
        for (i, park) in parks.iter().enumerate() {
            let mut park = park.clone();
            park.zone = (!r.chance(0.15)).then(|| format!("z{}", r.below(n_zones as u64)));
            p.parks.insert(format!("p{i}_{copy}"), park);
        }
    }
    for chain in p.chains.values_mut() {
        chain.max_total = None;
    }
    for res in p.resources.values_mut() {
        if let Some(pool) = &mut res.pool {
            *pool *= copies as f64;
        }
    }
    for m in p.materials.values_mut() {
        if let Some(limit) = m.external.as_mut().and_then(|e| e.limit.as_mut()) {
            *limit *= copies as f64;
        }
    }
    let materials: Vec<String> = p.materials.keys().cloned().collect();
    p.exchange = exchange(seed % 6, &mut r, &materials);
    p
}

fn options(flows: Flows) -> ModelOptions {
    ModelOptions {
        flows,
        ..ModelOptions::default()
    }
}

fn run(seed: u64) -> Result<SolveStatus, String> {
    let problem = problem(seed);
    let show = || serde_yaml::to_string(&problem).unwrap_or_default();
    let fail = |why: String| format!("seed {seed:#x}: {why}\n--- problem ---\n{}", show());
    let valid = validate(problem.clone()).map_err(|e| fail(format!("invalid problem: {e:?}")))?;
    let solve = |flows| {
        solve_plain(&valid, "base", options(flows), &SolveOptions::default())
            .map_err(|e| fail(format!("{flows:?} solve failed: {e}")))
    };
    let (hub, pairwise) = (solve(Flows::Hub)?, solve(Flows::Pairwise)?);
    if hub.status != pairwise.status {
        return Err(fail(format!(
            "hub status {}, pairwise status {}",
            hub.status, pairwise.status
        )));
    }
    if hub.status == SolveStatus::Optimal {
        let (a, b) = (hub.objective.unwrap(), pairwise.objective.unwrap());
        if (a - b).abs() > TOLERANCE * b.abs().max(1.0) {
            return Err(fail(format!("hub objective {a}, pairwise {b}")));
        }
        for (name, plan) in [("hub", &hub), ("pairwise", &pairwise)] {
            let v = verify(&valid, plan, 1e-6);
            if !v.ok() {
                return Err(fail(format!(
                    "the {name} plan does not verify: {:#?}\nflows: {:#?}",
                    v.violations, plan.flows
                )));
            }
        }
    }
    Ok(hub.status)
}

#[test]
fn the_hub_formulation_has_the_pairwise_optimum_on_random_problems() {
    let n = std::env::var("PARKPLAN_FLOWS_INSTANCES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(INSTANCES);
    let results: Vec<_> = (0..n).into_par_iter().map(|i| run(0xF1_0000 + i)).collect();
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {n} disagree:\n{}",
        failures.len(),
        failures[0]
    );
    let optimal = results
        .iter()
        .filter(|r| matches!(r, Ok(SolveStatus::Optimal)))
        .count();
    // The comparison means something only if most instances have an optimum to compare.
    assert!(optimal * 2 >= n as usize, "only {optimal} of {n} optimal");
}

/// Columns of the model of `n` copies of each park of a random problem, every park of its own
/// zone, trading across zones.
fn columns(seed: u64, copies: usize, flows: Flows) -> usize {
    let mut p = generate(seed);
    let parks: Vec<_> = p.parks.values().cloned().collect();
    p.parks.clear();
    for copy in 0..copies {
        for (i, park) in parks.iter().enumerate() {
            let mut park = park.clone();
            park.zone = None;
            p.parks.insert(format!("p{i}_{copy}"), park);
        }
    }
    for chain in p.chains.values_mut() {
        chain.max_total = None;
    }
    p.exchange = Exchange {
        within_zone: true,
        across_zones: Some(AcrossZones::Flag(true)),
    };
    let valid = validate(p).unwrap();
    Model::build(&valid, options(flows)).col_names.len()
}

#[test]
fn the_hub_model_grows_linearly_in_parks_and_the_pairwise_one_does_not() {
    // A seed whose problem has a material that some chain generates and another uses.
    let seed = (0..1000)
        .map(|i| 0xF1_0000 + i)
        .find(|&s| {
            let p = generate(s);
            p.materials.keys().any(|m| {
                p.chains
                    .values()
                    .any(|c| c.materials.get(m).is_some_and(|&a| a > 0.0))
                    && p.chains
                        .values()
                        .any(|c| c.materials.get(m).is_some_and(|&a| a < 0.0))
            })
        })
        .unwrap();
    let hub: Vec<usize> = [20, 40, 80].map(|n| columns(seed, n, Flows::Hub)).to_vec();
    let pairwise: Vec<usize> = [20, 40, 80]
        .map(|n| columns(seed, n, Flows::Pairwise))
        .to_vec();
    // Doubling the parks: the hub model's columns double (within a few of the totals across),
    // the pairwise model's grow about fourfold.
    for w in hub.windows(2) {
        assert!((w[1] as f64) < 2.1 * w[0] as f64, "hub columns {hub:?}");
    }
    for w in pairwise.windows(2) {
        assert!(
            (w[1] as f64) > 3.0 * w[0] as f64,
            "pairwise columns {pairwise:?}"
        );
    }
}
