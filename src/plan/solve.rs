//! Solving a validated problem into a [`Plan`]: the model built and solved, the plan read from the
//! solution, and the shadow prices attached (from the LP, or from the LP re-solved with the MILP's
//! main chains fixed, MODEL.md §7).

use super::*;

/// Solves one validated problem and returns its plan, with shadow prices where a plan exists.
pub fn solve_variant(
    problem: &ValidProblem,
    variant: &str,
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    solve_with(problem, variant, ModelOptions::default(), options).map(|(plan, _)| plan)
}

/// Solves one validated problem built with `model_options` (no-good cuts, fixed main chains):
/// its plan, with shadow prices where a plan exists, and the main chain chosen in each park
/// (`None` with the rule off or without a plan).
pub fn solve_with(
    problem: &ValidProblem,
    variant: &str,
    model_options: ModelOptions,
    options: &SolveOptions,
) -> Result<(Plan, Option<Vec<ChainIx>>), SolveError> {
    // The time limit covers the build and the shadow prices' re-solve as well as the solve.
    let options = &options.started_now();
    if let Some(horizon) = problem.horizon() {
        return super::periods::solve(problem, horizon, variant, model_options, options, true);
    }
    let model = Model::build(
        problem,
        super::start::model_options(problem, model_options, options),
    );
    let solution = super::start::solve_milp(&model, options, || solve_ranged(&model, options))
        .map_err(|e| in_context(e, variant, &model))?;
    let mut plan = Plan::from_solution(&model, &solution, variant);
    let mut main = None;
    if solution.status.has_plan() {
        main = chosen_main_chains(&model, &solution);
        attach_shadow_prices(problem, &model, &solution, &mut plan, options)?;
    }
    Ok((plan, main))
}

/// Solves one validated problem built with `model_options` into its plan, without shadow prices
/// (for the many solves of a Pareto front).
pub fn solve_plain(
    problem: &ValidProblem,
    variant: &str,
    model_options: ModelOptions,
    options: &SolveOptions,
) -> Result<Plan, SolveError> {
    if let Some(horizon) = problem.horizon() {
        let (plan, _) =
            super::periods::solve(problem, horizon, variant, model_options, options, false)?;
        return Ok(plan);
    }
    let options = &options.started_now();
    let model = Model::build(
        problem,
        super::start::model_options(problem, model_options, options),
    );
    let solution = super::start::solve_milp(&model, options, || solve(&model, options))?;
    Ok(Plan::from_solution(&model, &solution, variant))
}

/// A solver failure with what it was solving: the variant and the model's size, so that a report
/// of "HiGHS failed" says where to look.
pub(super) fn in_context(e: SolveError, variant: &str, model: &Model) -> SolveError {
    SolveError(format!(
        "{} (variant `{variant}`: a model of {} columns and {} rows; `parkplan export` writes it for a closer look)",
        e.0,
        model.col_names.len(),
        model.rows.len()
    ))
}

/// The main chain chosen in each park (chain index), read from the `y` columns; for a park
/// whose main chain the model fixes ([`ModelOptions::fixed_main`]), that chain.
pub fn chosen_main_chains(model: &Model, solution: &Solution) -> Option<Vec<ChainIx>> {
    model.problem.rule()?;
    let mut out = Vec::new();
    for (p, ys) in model.problem.problem().park_ixs().zip(&model.y) {
        if let Some(c) = model.options.fixed(p) {
            out.push(c);
            continue;
        }
        let slot = ys
            .iter()
            .enumerate()
            .filter_map(|(s, y)| y.map(|v| (s, solution.columns[model.col(v)])))
            .max_by(|a, b| a.1.total_cmp(&b.1))?
            .0;
        out.push(model.problem.candidates(p)[slot]);
    }
    Some(out)
}

/// Seconds of the time limit a MILP's shadow prices need left to be tried.
const PRICES_AT_LEAST: f64 = 1.0;

fn attach_shadow_prices(
    problem: &ValidProblem,
    model: &Model,
    solution: &Solution,
    plan: &mut Plan,
    options: &SolveOptions,
) -> Result<(), SolveError> {
    let (duals, basis) = if solution.is_mip {
        // Building and handing the LP to HiGHS takes a second at nation scale before any clock
        // is checked: with less than that left, the plan goes without prices (and says so).
        if options
            .remaining()
            .is_some_and(|left| left < PRICES_AT_LEAST)
        {
            return Ok(());
        }
        // The main chains, units and switches fixed (MODEL.md §7, §12): the LP that remains.
        let fixed = chosen_main_chains(model, solution).unwrap_or_default();
        let lp = Model::build(
            problem,
            ModelOptions {
                fixed_main: fixed.into_iter().map(Some).collect(),
                fixed_build: crate::model::units::build_values(&[model], &solution.columns),
                ..model.options.clone()
            },
        );
        // Within what is left of the time limit; a re-solve cut short gives no prices, and the
        // plan says so rather than the run overrunning its limit.
        let lp_solution = solve_ranged(&lp, options)?;
        if lp_solution.status != SolveStatus::Optimal {
            return Ok(());
        }
        (
            row_duals(&lp, &lp_solution, 0..lp.rows.len()),
            ShadowPriceBasis::FixedMainChains,
        )
    } else {
        (
            row_duals(model, solution, 0..model.rows.len()),
            ShadowPriceBasis::Lp,
        )
    };
    apply_duals(problem, &duals, plan, basis);
    Ok(())
}

/// A bound HiGHS reports as infinite (1e20 and beyond) is no bound.
fn finite(v: f64) -> Option<f64> {
    (v.is_finite() && v.abs() < 1e20).then(|| clean(v))
}

/// One row of a solved LP as shadow prices read it.
pub(super) struct RowDual {
    kind: RowKind,
    dual: f64,
    activity: f64,
    /// The range of the row's bound over which the dual holds, when the solve ranged it.
    range: Option<(f64, f64)>,
}

/// The rows `which` of `model` with their duals, activities and ranges in `solution`.
pub(super) fn row_duals(
    model: &Model,
    solution: &Solution,
    which: std::ops::Range<usize>,
) -> Vec<RowDual> {
    which
        .map(|i| RowDual {
            kind: model.rows[i].kind.clone(),
            dual: solution.duals[i],
            activity: solution.rows[i],
            range: solution.ranges.get(i).copied(),
        })
        .collect()
}

/// Writes the shadow price of every park capacity and city pool of `plan` from `duals`, the rows
/// of the model of `problem` (one block's, for a period) with their dual values.
pub(super) fn apply_duals(
    problem: &ValidProblem,
    duals: &[RowDual],
    plan: &mut Plan,
    basis: ShadowPriceBasis,
) {
    let p = &problem.problem();
    for ru in &mut plan.resources {
        let r = p.resources.get_index_of(&ru.resource).expect("resource");
        let kind = match &ru.park {
            Some(park) => RowKind::ParkResource {
                park: p.park_ix(park).expect("park"),
                resource: r,
            },
            None => RowKind::Pool { resource: r },
        };
        let Some(row) = duals.iter().find(|d| d.kind == kind) else {
            ru.shadow_price = None;
            continue;
        };
        ru.shadow_price = Some(clean(row.dual));
        // A binding row's activity is its bound: the range moves the capacity by as much as it
        // moves the bound (which may hold a constant, the existing plant's share).
        ru.price_range = match (ru.shadow_price, row.range) {
            (Some(price), Some((down, up))) if price != 0.0 => Some(PriceRange {
                from: finite(ru.capacity - (row.activity - down)),
                to: finite(ru.capacity + (up - row.activity)),
            }),
            _ => None,
        };
    }
    plan.shadow_price_basis = Some(basis);
}
