//! The model of a problem over several periods (MODEL.md §9): one block of §3–§5 per period,
//! built by [`Model::build_block`] into the same columns, with
//!
//! - the main-chain columns `y[p,c]` once, shared by every period;
//! - built plant that stays: `x[p,c,t] ≥ x[p,c,t−1]` ([`RowKind::Stays`]);
//! - a resource charged on new activity charged in period t on `x[t] − x[t−1]`;
//! - the rule's `U[p,c,t]` and `M_p` from the budgets summed over the periods so far
//!   ([`crate::problem::Period::bounds`]), so that building over several periods is not cut off;
//! - the objective `Σ_t w_t · obj_t`, and a Pareto point's floors on the weighted totals.

use std::ops::Range;

use good_lp::{Expression, constraint};

use super::constraints::waste_reuse;
use super::objective::output_value;
use super::{Link, Model, ModelOptions, Registry, RowKind, RuleBounds};
use crate::problem::{Horizon, ValidProblem};

/// A multi-period model and its blocks.
pub struct PeriodModel<'a> {
    /// The whole model, for the solver: every column and row, and the objective over the
    /// horizon. Its `y` are the shared main-chain columns.
    pub model: Model<'a>,
    /// Each period's block, to read its plan from a solution: its columns (`x`, flows,
    /// purchases) and problem; its rows are in [`PeriodModel::model`] at [`PeriodModel::rows`].
    pub blocks: Vec<Model<'a>>,
    /// Where each block's rows are among the model's rows.
    pub rows: Vec<Range<usize>>,
    /// Each period's objective `obj_t` (per year), by the options' goal.
    pub objectives: Vec<Expression>,
}

/// The existing plant of the first period's block, by park and slot: what new activity counts
/// from in every period (MODEL.md §12).
fn first_existing(first: &Model) -> Vec<Vec<f64>> {
    let p = first.problem;
    p.problem()
        .park_ixs()
        .map(|pi| {
            (0..p.candidates(pi).len())
                .map(|s| first.build_base(pi, s))
                .collect()
        })
        .collect()
}

/// Builds the model of `problem`, whose periods are `horizon`.
pub fn build<'a>(
    problem: &'a ValidProblem,
    horizon: &'a Horizon,
    options: ModelOptions,
) -> PeriodModel<'a> {
    build_each(problem, horizon, options, None, |_, _| {})
}

/// Builds the model as [`build`] does, with two additions for a model whose limits may give way
/// (explain's elastic model): `rule_bounds`, when given, are each period's `U[p,c,t]` and `M_p`
/// (by period) in place of those its data imply; and `each` is called on every period's block
/// with the period's index once its rows are built and while it holds the columns, so that it
/// may add columns and change or add rows of that period.
pub fn build_each<'a>(
    problem: &'a ValidProblem,
    horizon: &'a Horizon,
    options: ModelOptions,
    rule_bounds: Option<&[RuleBounds]>,
    mut each: impl FnMut(&mut Model<'a>, usize),
) -> PeriodModel<'a> {
    let mut registry = Registry::default();
    let mut rows = Vec::new();
    let mut ranges = Vec::new();
    let mut blocks: Vec<Model<'a>> = Vec::new();
    let mut objectives = Vec::new();
    for (t, period) in horizon.periods.iter().enumerate() {
        let block_options = ModelOptions {
            rule_bounds: rule_bounds
                .and_then(|b| b.get(t).cloned())
                .or_else(|| options.rule_bounds.clone())
                .or_else(|| Some(RuleBounds::of(&period.bounds))),
            min_waste_reuse: None,
            min_output: None,
            min_objective: None,
            agree_with: None,
            fixed_build: options
                .fixed_build
                .as_ref()
                .and_then(|f| f.get(t).cloned())
                .map(|f| vec![f]),
            exclude: if t == 0 {
                options.exclude.clone()
            } else {
                Vec::new()
            },
            ..options.clone()
        };
        let link = match blocks.last() {
            None => Link::default(),
            Some(before) => Link {
                y: Some(blocks[0].y.clone()),
                previous: Some(before.x.clone()),
                previous_units: (!before.units.is_empty()).then(|| before.units.clone()),
                base: Some(first_existing(&blocks[0])),
            },
        };
        let mut block = Model::build_block(
            &period.problem,
            block_options,
            registry,
            link,
            Some(&period.name),
        );
        if let Some(previous) = block.previous.clone() {
            for p in period.problem.problem().park_ixs() {
                for (slot, &c) in period.problem.candidates(p).iter().enumerate() {
                    let (now, before) = (block.x[p.0][slot], previous[p.0][slot]);
                    let name = format!("stays[{},{}]", block.park_id(p), block.chain_id(c));
                    block.push(
                        constraint!(now - before >= 0),
                        RowKind::Stays { park: p, chain: c },
                        name,
                    );
                }
            }
        }
        each(&mut block, t);
        objectives.push(std::mem::replace(
            &mut block.objective,
            Expression::from(0.0),
        ));
        let start = rows.len();
        rows.append(&mut block.rows);
        ranges.push(start..rows.len());
        registry = block.take_registry();
        blocks.push(block);
    }
    let weighted = |parts: &mut dyn Iterator<Item = Expression>| {
        let mut e = Expression::from(0.0);
        for (part, period) in parts.zip(&horizon.periods) {
            e += period.weight * part;
        }
        e
    };
    let objective = weighted(&mut objectives.iter().cloned());
    let mut model = Model {
        problem,
        vars: registry.vars,
        col_names: registry.col_names,
        cols: registry.cols,
        x: blocks.last().map(|b| b.x.clone()).unwrap_or_default(),
        y: blocks.first().map(|b| b.y.clone()).unwrap_or_default(),
        flows: Vec::new(),
        groups: None,
        across: Vec::new(),
        buys: Vec::new(),
        rows,
        objective,
        options: options.clone(),
        tag: None,
        previous: None,
        follower: false,
        units: blocks.last().map(|b| b.units.clone()).unwrap_or_default(),
        previous_units: None,
        base: None,
    };
    if let Some(eps) = options.min_waste_reuse {
        let reuse = weighted(&mut blocks.iter().map(waste_reuse));
        model.push(
            constraint!(reuse >= eps),
            RowKind::MinWasteReuse,
            "min_waste_reuse".into(),
        );
    }
    if let Some(floor) = options.min_output {
        let output = weighted(&mut blocks.iter().map(output_value));
        model.push(
            constraint!(output >= floor),
            RowKind::MinOutput,
            "min_output".into(),
        );
    }
    super::objective::second_stage(&mut model);
    // Each block knows the numbers of its own columns and of the shared `y`: enough to read its
    // plan, and linear in the size of the model over all blocks.
    for block in &mut blocks {
        let own = block
            .x
            .iter()
            .flatten()
            .copied()
            .chain(block.y.iter().flatten().flatten().copied())
            .chain(block.flows.iter().map(|f| f.var))
            .chain(block.across.iter().map(|&(_, v)| v))
            .chain(block.buys.iter().map(|b| b.var))
            .chain(
                block
                    .units
                    .iter()
                    .flatten()
                    .flat_map(|b| [b.u, b.z])
                    .flatten(),
            );
        block.cols = own.map(|v| (v, model.cols[&v])).collect();
    }
    PeriodModel {
        model,
        blocks,
        rows: ranges,
        objectives,
    }
}
