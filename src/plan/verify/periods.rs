//! MODEL.md §9: a multi-period plan checked period by period against each period's data — a
//! resource charged on new activity counted on what the period builds — and then for what links
//! the periods: the same periods as the problem with their lengths and weights, built plant that
//! stays, one main chain per park for the whole horizon, the objective `Σ_t w_t · obj_t`, and the
//! horizon's totals and the last period's tables at the top of the plan.

use super::verifier::Verifier;
use super::{Family, Parts, Verification, Violation, num, sort, verify_one};
use crate::plan::Plan;
use crate::problem::{Horizon, Problem, ValidProblem};

/// Verifies `plan` against `problem`, with or without periods.
pub(super) fn verify(problem: &ValidProblem, plan: &Plan, tolerance: f64) -> Verification {
    match problem.horizon() {
        None if plan.periods.is_empty() => verify_one(problem, plan, tolerance, None, None),
        None => mismatch(
            tolerance,
            format!(
                "the plan has {} periods, but the problem has none: it is a plan of another problem",
                plan.periods.len()
            ),
        ),
        Some(h) => verify_horizon(problem, h, plan, tolerance),
    }
}

/// A plan whose periods are not the problem's: nothing else is checked.
fn mismatch(tolerance: f64, message: String) -> Verification {
    Verification {
        checked: 1,
        tolerance,
        recomputed: Parts::default(),
        violations: vec![Violation {
            family: Family::Periods,
            constraint: "periods".into(),
            message,
            amount: 0.0,
            plan_path: Some("periods".into()),
        }],
    }
}

/// `x[park][chain]` as the plan states it (names the problem lacks are left out: the period's
/// own check reports them).
fn activity(p: &Problem, plan: &Plan) -> Vec<Vec<f64>> {
    let mut x = vec![vec![0.0; p.chains.len()]; p.parks.len()];
    for (park_id, acts) in &plan.activities {
        let Some(pi) = p.parks.get_index_of(park_id) else {
            continue;
        };
        for (chain_id, &v) in acts {
            if let Some(c) = p.chains.get_index_of(chain_id) {
                x[pi][c] = v;
            }
        }
    }
    x
}

fn verify_horizon(
    problem: &ValidProblem,
    horizon: &Horizon,
    plan: &Plan,
    tolerance: f64,
) -> Verification {
    let names: Vec<&str> = horizon.periods.iter().map(|p| p.name.as_str()).collect();
    let stated: Vec<&str> = plan.periods.iter().map(|p| p.period.as_str()).collect();
    if names != stated {
        return mismatch(
            tolerance,
            format!(
                "the plan's periods are [{}], but the problem's are [{}]",
                stated.join(", "),
                names.join(", ")
            ),
        );
    }
    let p = problem.problem();
    let mut v = Verifier::new(p, tolerance);
    let mut total = Parts::default();
    let mut previous: Option<Vec<Vec<f64>>> = None;
    // New activity in units counts from the first period's existing plant (MODEL.md §12).
    let first = horizon.periods[0].problem.problem();
    let base: Vec<Vec<f64>> = first
        .parks
        .values()
        .map(|park| {
            first
                .chains
                .keys()
                .map(|c| park.existing.get(c).copied().unwrap_or(0.0))
                .collect()
        })
        .collect();
    for (t, (period, pp)) in horizon.periods.iter().zip(&plan.periods).enumerate() {
        let x = activity(p, &pp.plan);
        let one = verify_one(
            &period.problem,
            &pp.plan,
            tolerance,
            previous.clone(),
            Some(base.clone()),
        );
        v.checked += one.checked;
        v.violations.extend(one.violations.into_iter().map(|mut x| {
            x.constraint = format!("{}@{}", x.constraint, period.name);
            x.message = format!("in period `{}`: {}", period.name, x.message);
            x.plan_path = x.plan_path.map(|path| format!("periods[{t}].{path}"));
            x
        }));
        let w = period.weight;
        let r = one.recomputed;
        total.objective += w * r.objective;
        total.output_value += w * r.output_value;
        total.reuse_value += w * r.reuse_value;
        total.transport_cost += w * r.transport_cost;
        total.purchase_cost += w * r.purchase_cost;
        total.disposal_cost += w * r.disposal_cost;
        total.total_reuse += w * r.total_reuse;

        v.checked += 2;
        if pp.years != period.years
            || v.exceeds(pp.weight, period.weight, 1.0).is_some()
            || v.exceeds(period.weight, pp.weight, 1.0).is_some()
        {
            v.violate(
                Family::Periods,
                format!("weight@{}", period.name),
                format!(
                    "period `{}` is stated to last {} years with weight {}, but the problem gives {} years and weight {}",
                    period.name,
                    pp.years,
                    num(pp.weight),
                    period.years,
                    num(period.weight)
                ),
                (pp.weight - period.weight).abs(),
                Some(format!("periods[{t}].weight")),
            );
        }
        if let Some(before) = &previous {
            stays(&mut v, before, &x, &period.name, t);
        }
        if problem.rule().is_some() {
            held(&mut v, plan, pp, &period.name, t);
        }
        previous = Some(x);
    }
    v.stated(plan, &total);
    // The plan's own `built_units` at the top are the last period's, counted from the first
    // period's existing plant.
    if let Some(period) = horizon.periods.last() {
        let last = period.problem.problem();
        let mut top = Verifier::new(last, tolerance);
        top.base = Some(base);
        top.x = activity(last, plan);
        top.stated_units(plan);
        v.checked += top.checked;
        v.violations.extend(top.violations);
    }
    if let Some(last) = plan.periods.last() {
        v.checked += 1;
        let x_top = activity(p, plan);
        let x_last = activity(p, &last.plan);
        let differs = x_top
            .iter()
            .flatten()
            .zip(x_last.iter().flatten())
            .any(|(a, b)| {
                v.exceeds(*a, *b, a.abs()).is_some() || v.exceeds(*b, *a, b.abs()).is_some()
            });
        if differs {
            v.violate(
                Family::Periods,
                "activities".into(),
                format!(
                    "the plan's activities are not those of its last period `{}`",
                    last.period
                ),
                0.0,
                Some("activities".into()),
            );
        }
    }
    sort(&mut v.violations);
    Verification {
        checked: v.checked,
        tolerance,
        recomputed: total,
        violations: v.violations,
    }
}

/// Built plant stays: no activity falls below the period before's.
fn stays(v: &mut Verifier, before: &[Vec<f64>], x: &[Vec<f64>], period: &str, t: usize) {
    for (pi, (now, was)) in x.iter().zip(before).enumerate() {
        for (c, (&a, &b)) in now.iter().zip(was).enumerate() {
            if b == 0.0 && a == 0.0 {
                continue;
            }
            if let Some(short) = v.over(b, a, b.abs()) {
                let (park, chain) = (v.park(pi).to_string(), v.chain(c).to_string());
                v.violate(
                    Family::Stays,
                    format!("stays[{park},{chain}]@{period}"),
                    format!(
                        "`{chain}` in park `{park}` falls from {} to {} in period `{period}`, but built plant stays (short by {})",
                        num(b),
                        num(a),
                        num(short)
                    ),
                    short,
                    Some(format!("periods[{t}].activities.{park}.{chain}")),
                );
            }
        }
    }
}

/// Every period names the plan's main chain in every park.
fn held(v: &mut Verifier, plan: &Plan, pp: &crate::plan::PeriodPlan, period: &str, t: usize) {
    for (park, main) in &plan.main_chains {
        v.checked += 1;
        let here = pp.plan.main_chains.get(park);
        if here != Some(main) {
            v.violate(
                Family::HeldMainChain,
                format!("main[{park}]@{period}"),
                format!(
                    "park `{park}` has main chain `{main}` for the horizon, but `{}` in period `{period}`: a main chain is chosen once for every period",
                    here.map_or("none", String::as_str)
                ),
                1.0,
                Some(format!("periods[{t}].main_chains.{park}")),
            );
        }
    }
}
