//! The elastic model of an explanation: the model of MODEL.md with a non-negative slack column on
//! every limit a planner could move, each weighted by `1 / ref` (see the table in the parent
//! module's documentation).
//!
//! Over periods (MODEL.md §9) every period's block gets the slacks of its own limits, measured
//! against its own data; the rows that link the periods — built plant that stays, main chains
//! held for the whole horizon — are rules, not limits, and never give way.

use good_lp::{Constraint, Expression, Variable, constraint, variable};

use super::{SHRINK_PENALTY, Slack, Target};
use crate::model::{
    Model, ModelOptions, Row, RowKind, RuleBounds, material_coef, periods, use_coef,
};
use crate::problem::format::{AppliesTo, MaterialKind, Problem};
use crate::problem::{ChainIx, ParkIx, ValidProblem};

/// The elastic model, the blocks of its periods and its slacks.
pub(super) struct Elastic<'a> {
    /// The whole model, for the solver.
    pub model: Model<'a>,
    /// Each period's block, to read a period's changes in its own data; empty for a problem of
    /// one period.
    pub blocks: Vec<Model<'a>>,
    /// The slacks, in the order their columns were added.
    pub slacks: Vec<Slack>,
}

impl Elastic<'_> {
    /// The model a slack of `period` belongs to: that period's block, or the whole model.
    pub fn block(&self, period: Option<usize>) -> &Model<'_> {
        match period {
            Some(t) => &self.blocks[t],
            None => &self.model,
        }
    }
}

/// The model with slack columns on every limit that may give way, and those slacks.
/// `bounds` are the rule's `U` and `M` for limits that may give way, one for each period (one for
/// a problem of one period; see [`super::widened`]).
pub(super) fn elastic(problem: &ValidProblem, bounds: Option<Vec<RuleBounds>>) -> Elastic<'_> {
    let Some(horizon) = problem.horizon() else {
        let options = ModelOptions {
            rule_bounds: bounds.and_then(|b| b.into_iter().next()),
            ..ModelOptions::default()
        };
        let mut m = Model::build(problem, options);
        let mut slacks = Slacks::default();
        give_way_in(&mut m, &mut slacks);
        return Elastic {
            model: m,
            blocks: Vec::new(),
            slacks: slacks.list,
        };
    };
    let mut slacks = Slacks::default();
    let built = periods::build_each(
        problem,
        horizon,
        ModelOptions::default(),
        bounds.as_deref(),
        |block, t| {
            slacks.period = Some(t);
            give_way_in(block, &mut slacks);
        },
    );
    Elastic {
        model: built.model,
        blocks: built.blocks,
        slacks: slacks.list,
    }
}

/// Lets every limit of `m` — a model, or one period's block — give way.
fn give_way_in(m: &mut Model, slacks: &mut Slacks) {
    // x loses its existing floor and its max_per_park bound; both become rows below.
    m.free_activity_bounds();
    let shrink = activity_rows(m, slacks);
    unit_rows(m, &shrink);
    limit_rows(m, slacks, &shrink);
}

/// MODEL.md §12 with existing plant that may shrink: new activity in whole units and at least the
/// minimum is counted from what is left of the existing plant, `e − shrink`, so the rows of
/// [`crate::model::units`] are stated again with the park's shrink slack.
fn unit_rows(m: &mut Model, shrink: &[Shrink]) {
    if m.units.is_empty() || shrink.is_empty() {
        return;
    }
    let problem = m.problem;
    let mut restated = Vec::new();
    for &(pi, c, d) in shrink {
        let Some(slot) = problem.candidates(pi).iter().position(|&cc| cc == c) else {
            continue;
        };
        let Some(b) = problem.build(c) else { continue };
        let cols = m.units[pi.0][slot];
        let (x, e) = (m.x[pi.0][slot], m.build_base(pi, slot));
        let name = format!("{},{}", m.park_id(pi), m.chain_id(c));
        if let (Some(s), Some(u)) = (b.unit, cols.u) {
            restated.push((
                pi,
                c,
                format!("unit[{name}]"),
                constraint!(x + d - s * u == e),
            ));
        }
        if let (Some(min), Some(z)) = (b.min, cols.z) {
            restated.push((
                pi,
                c,
                format!("min[{name}]"),
                constraint!(x + d - min * z >= e),
            ));
        }
    }
    // Row names carry the block's tag (`@2030`) once pushed.
    let tagged = |n: &str| match &m.tag {
        Some(t) => format!("{n}@{t}"),
        None => n.to_string(),
    };
    let names: Vec<String> = restated.iter().map(|r| tagged(&r.2)).collect();
    m.rows
        .retain(|r| !(matches!(r.kind, RowKind::Build { .. }) && names.contains(&r.name)));
    for (pi, c, name, row) in restated {
        m.push(row, RowKind::Build { park: pi, chain: c }, name);
    }
}

/// The slacks of the elastic model, in the order their columns are added.
#[derive(Default)]
struct Slacks {
    /// The slacks so far.
    list: Vec<Slack>,
    /// The period whose block gets the next slacks, over periods.
    period: Option<usize>,
}

impl Slacks {
    /// Adds a slack column on the limit `target`, stated as `stated`, of reference `reference`.
    fn add(
        &mut self,
        m: &mut Model,
        name: String,
        target: Target,
        stated: f64,
        reference: f64,
    ) -> Variable {
        let var = m.add_column(variable().min(0.0), name);
        self.list.push(Slack {
            var,
            target,
            stated,
            weight: 1.0 / reference,
            period: self.period,
        });
        var
    }
}

/// A shrink slack: existing activity of chain `.1` in park `.0` that gives way, by `.2`.
type Shrink = (ParkIx, ChainIx, Variable);

/// Existing floors and per-park limits as rows that may give way; returns the shrink slacks.
fn activity_rows(m: &mut Model, slacks: &mut Slacks) -> Vec<Shrink> {
    let problem = m.problem;
    let p = problem.problem();
    let mut shrink = Vec::new();
    for pi in p.park_ixs() {
        for (slot, &c) in problem.candidates(pi).iter().enumerate() {
            let x = m.x[pi.0][slot];
            let name = format!("{},{}", m.park_id(pi), m.chain_id(c));
            let e = problem.existing(pi, c);
            if e > 0.0 {
                let target = Target::Existing { park: pi, chain: c };
                let d = slacks.add(m, format!("shrink[{name}]"), target, e, e / SHRINK_PENALTY);
                m.push(
                    constraint!(x + d >= e),
                    RowKind::Floor { park: pi, chain: c },
                    format!("floor[{name}]"),
                );
                shrink.push((pi, c, d));
            }
            if let Some(limit) = p.chains[c].max_per_park {
                let target = Target::MaxPerPark { park: pi, chain: c };
                let s = slacks.add(
                    m,
                    format!("more_max_per_park[{name}]"),
                    target,
                    limit,
                    positive_or(limit, 1.0),
                );
                m.push(
                    constraint!(x - s <= limit),
                    RowKind::PerPark { park: pi, chain: c },
                    format!("max_per_park[{name}]"),
                );
            }
        }
    }
    shrink
}

/// What a limit of a model row stands at, and its slack.
struct Limit {
    /// The limit.
    target: Target,
    /// Its stated value.
    stated: f64,
    /// The reference its slack is measured against.
    reference: f64,
    /// The slack column's name.
    name: String,
}

/// The references of limits stated as zero.
struct References {
    /// Largest limit stated for each resource (by index), over park capacities and its pool.
    largest: Vec<f64>,
    /// Waste generated by existing activity.
    waste_existing: f64,
}

impl References {
    fn of(problem: &ValidProblem) -> References {
        let p = problem.problem();
        let largest = p
            .resources
            .iter()
            .map(|(id, res)| {
                p.parks
                    .values()
                    .filter_map(|park| park.capacity.get(id).copied())
                    .chain(res.pool)
                    .fold(0.0, f64::max)
            })
            .collect();
        let waste_existing = p
            .park_ixs()
            .flat_map(|pi| problem.candidates(pi).iter().map(move |&c| (pi, c)))
            .map(|(pi, c)| {
                let e = problem.existing(pi, c);
                (0..p.materials.len())
                    .filter(|&k| p.materials[k].kind == MaterialKind::Waste)
                    .map(|k| material_coef(problem, c, k).max(0.0) * e)
                    .sum::<f64>()
            })
            .sum();
        References {
            largest,
            waste_existing,
        }
    }
}

/// Every limit that is a row of the model gets a slack that lets it give way.
fn limit_rows(m: &mut Model, slacks: &mut Slacks, shrink: &[Shrink]) {
    let problem = m.problem;
    let p = problem.problem();
    let refs = References::of(problem);
    // A later period charges a resource counted on new activity on `x[t] − x[t−1]`, with no
    // existing activity in it: existing plant that closes frees nothing of it there either.
    let shrink = if m.previous.is_some() { &[] } else { shrink };
    for mut row in std::mem::take(&mut m.rows) {
        if let Some(limit) = limit_of(p, &refs, &row) {
            let s = slacks.add(m, limit.name, limit.target, limit.stated, limit.reference);
            row.constraint = give_way(problem, &row, s, limit.target, shrink);
        }
        m.rows.push(row);
    }
}

/// The limit `row` states, if it is one a planner could move.
fn limit_of(p: &Problem, refs: &References, row: &Row) -> Option<Limit> {
    let limit = |target, stated, reference, name| {
        Some(Limit {
            target,
            stated,
            reference,
            name,
        })
    };
    match row.kind {
        RowKind::ParkResource { park, resource } => {
            let id = p.resources.get_index(resource).expect("resource").0;
            let cap = p.parks[park].capacity[id];
            limit(
                Target::Capacity { park, resource },
                cap,
                positive_or(cap, positive_or(refs.largest[resource], 1.0)),
                format!("more_{}", row.name),
            )
        }
        RowKind::Pool { resource } => {
            let pool = p.resources[resource].pool.expect("a pool row has a pool");
            limit(
                Target::Pool { resource },
                pool,
                positive_or(pool, positive_or(refs.largest[resource], 1.0)),
                format!("more_{}", row.name),
            )
        }
        RowKind::ChainTotal { chain } => {
            let max = p.chains[chain].max_total.expect("a limit row has a limit");
            limit(
                Target::MaxTotal { chain },
                max,
                positive_or(max, 1.0),
                format!("more_{}", row.name),
            )
        }
        RowKind::ExternalLimit { material } => {
            let max = p.materials[material]
                .external
                .as_ref()
                .and_then(|e| e.limit)
                .expect("a limit row has a limit");
            limit(
                Target::External { material },
                max,
                positive_or(max, 1.0),
                format!("more_{}", row.name),
            )
        }
        RowKind::ReuseRate => {
            let rate = p.rules.min_reuse_rate.unwrap_or(0.0);
            limit(
                Target::ReuseRate,
                rate,
                positive_or(rate * refs.waste_existing, 1.0),
                "reuse_shortfall".to_string(),
            )
        }
        _ => None,
    }
}

/// `row`, which is `expression ≤ 0`, with slack `s` on its limit `target` giving way.
fn give_way(
    problem: &ValidProblem,
    row: &Row,
    s: Variable,
    target: Target,
    shrink: &[Shrink],
) -> Constraint {
    let p = problem.problem();
    let mut e: Expression = row.constraint.expression().clone();
    e.add_mul(-1.0, s);
    // Existing activity that closes frees nothing of a resource counted on new activity: its use
    // is `uses · (x + shrink − e)`, never below zero.
    let new_only = |r: usize| p.resources[r].applies_to == AppliesTo::New;
    let resource = match target {
        Target::Capacity { resource, .. } | Target::Pool { resource } if new_only(resource) => {
            resource
        }
        _ => return constraint!(e <= 0.0),
    };
    for &(pi, c, d) in shrink {
        let applies = match target {
            Target::Capacity { park, .. } => park == pi,
            _ => true,
        };
        if applies {
            e.add_mul(use_coef(problem, c, resource), d);
        }
    }
    constraint!(e <= 0.0)
}

fn positive_or(v: f64, fallback: f64) -> f64 {
    if v > 0.0 { v } else { fallback }
}
