//! Solving a problem over several periods (MODEL.md §9) into one plan: the main chains once,
//! each period's plan read from its block of the model, and shadow prices per period from the
//! LP re-solved with the main chains fixed.

use super::solve::{apply_duals, in_context, row_duals};
use super::*;
use crate::model::periods::{self, PeriodModel};
use crate::problem::Horizon;

/// Solves `problem`, whose periods are `horizon`: the plan with its periods, and the main chain
/// chosen in each park (`None` with the rule off or without a plan).
pub(super) fn solve(
    problem: &ValidProblem,
    horizon: &Horizon,
    variant: &str,
    model_options: ModelOptions,
    options: &SolveOptions,
    with_prices: bool,
) -> Result<(Plan, Option<Vec<ChainIx>>), SolveError> {
    let model_options = super::start::model_options(problem, model_options, options);
    let pm = periods::build(problem, horizon, model_options);
    // Ranges only serve the prices: a solve without them (a Pareto point) does not range.
    let run: fn(&Model, &SolveOptions) -> Result<Solution, SolveError> = if with_prices {
        solve_ranged
    } else {
        crate::solver::solve
    };
    let solution = super::start::solve_milp(&pm.model, options, || run(&pm.model, options))
        .map_err(|e| in_context(e, variant, &pm.model))?;
    let mut plan = Plan::from_solution(&pm.model, &solution, variant);
    if !solution.status.has_plan() {
        return Ok((plan, None));
    }
    let main = chosen_main_chains(&pm.model, &solution);
    plan.periods = read_periods(&pm, horizon, &solution, variant);
    if with_prices {
        prices(problem, horizon, &pm, &solution, &mut plan, options)?;
    }
    totals(&mut plan);
    Ok((plan, main))
}

/// Each period's plan from its block.
fn read_periods(
    pm: &PeriodModel,
    horizon: &Horizon,
    solution: &Solution,
    variant: &str,
) -> Vec<PeriodPlan> {
    let mut out: Vec<PeriodPlan> = Vec::new();
    for (t, (block, period)) in pm.blocks.iter().zip(&horizon.periods).enumerate() {
        let prob = &period.problem;
        let val = |v: good_lp::Variable| clean(solution.columns[pm.model.col(v)]);
        let x = |pi: ParkIx, slot: usize| val(block.x[pi.0][slot]);
        let before = |pi: ParkIx, slot: usize| match t {
            0 => prob.existing(pi, prob.candidates(pi)[slot]),
            _ => val(pm.blocks[t - 1].x[pi.0][slot]),
        };
        let mut plan = Plan::from_solution(block, solution, variant);
        let activity = |pi: ParkIx| -> Vec<(ChainIx, f64)> {
            prob.candidates(pi)
                .iter()
                .enumerate()
                .map(|(slot, &c)| (c, x(pi, slot)))
                .collect()
        };
        let since = |pi: ParkIx, c: ChainIx| {
            let slot = prob.candidates(pi).iter().position(|&cc| cc == c);
            slot.map_or(0.0, |s| before(pi, s))
        };
        let base = |pi: ParkIx, c: ChainIx| {
            let slot = prob.candidates(pi).iter().position(|&cc| cc == c);
            slot.map_or(0.0, |s| block.build_base(pi, s))
        };
        plan.resources = resource_uses_since(prob, &activity, &since, &base);
        let eval = Evaluation::of(prob, &activity, &plan.flows, &plan.purchases);
        plan.objective = Some(eval.objective);
        plan.gap = None;
        let p = prob.problem();
        let mut built = IndexMap::new();
        for pi in p.park_ixs() {
            let mut row = IndexMap::new();
            for (slot, &c) in prob.candidates(pi).iter().enumerate() {
                let b = clean(x(pi, slot) - before(pi, slot));
                if b > 0.0 {
                    row.insert(p.chain_id(c).to_string(), b);
                }
            }
            if !row.is_empty() {
                built.insert(p.park_id(pi).to_string(), row);
            }
        }
        out.push(PeriodPlan {
            period: period.name.clone(),
            years: period.years,
            weight: period.weight,
            built,
            plan,
        });
    }
    out
}

/// Shadow prices per period: from the LP itself, or for a MILP from the LP re-solved with the
/// chosen main chains fixed. Each period's prices are of its own rows, in units of the horizon's
/// objective.
fn prices(
    problem: &ValidProblem,
    horizon: &Horizon,
    pm: &PeriodModel,
    solution: &Solution,
    plan: &mut Plan,
    options: &SolveOptions,
) -> Result<(), SolveError> {
    let apply = |plan: &mut Plan, pm: &PeriodModel, solution: &Solution, basis| {
        for ((pp, range), period) in plan.periods.iter_mut().zip(&pm.rows).zip(&horizon.periods) {
            let rows = row_duals(&pm.model, solution, range.clone());
            apply_duals(&period.problem, &rows, &mut pp.plan, basis);
        }
    };
    if !solution.is_mip {
        apply(plan, pm, solution, ShadowPriceBasis::Lp);
        return Ok(());
    }
    let fixed = chosen_main_chains(&pm.model, solution).unwrap_or_default();
    let blocks: Vec<&Model> = pm.blocks.iter().collect();
    let lp = periods::build(
        problem,
        horizon,
        ModelOptions {
            fixed_main: fixed.into_iter().map(Some).collect(),
            fixed_build: crate::model::units::build_values(&blocks, &solution.columns),
            ..pm.model.options.clone()
        },
    );
    let lp_solution = solve_ranged(&lp.model, options)?;
    if lp_solution.status == SolveStatus::Optimal {
        apply(plan, &lp, &lp_solution, ShadowPriceBasis::FixedMainChains);
    }
    Ok(())
}

/// The horizon's totals (`Σ_t w_t · value_t`) and the last period's tables at the top of the
/// plan.
fn totals(plan: &mut Plan) {
    let sum = |f: &dyn Fn(&Plan) -> Option<f64>| -> Option<f64> {
        plan.periods
            .iter()
            .map(|pp| f(&pp.plan).map(|v| pp.weight * v))
            .sum::<Option<f64>>()
            .map(clean)
    };
    plan.output_value = sum(&|p| p.output_value);
    plan.reuse_value = sum(&|p| p.reuse_value);
    plan.transport_cost = sum(&|p| p.transport_cost);
    plan.purchase_cost = sum(&|p| p.purchase_cost);
    plan.disposal_cost = sum(&|p| p.disposal_cost);
    plan.total_reuse = sum(&|p| p.total_reuse);
    let Some(last) = plan.periods.last().map(|pp| pp.plan.clone()) else {
        return;
    };
    plan.main_chains = last.main_chains;
    plan.activities = last.activities;
    plan.built_units = last.built_units;
    plan.park_output = last.park_output;
    plan.chain_output = last.chain_output;
    plan.flows = last.flows;
    plan.purchases = last.purchases;
    plan.resources = last.resources;
    plan.materials = last.materials;
    plan.shadow_price_basis = last.shadow_price_basis;
}
