//! The changes of an explanation in planners' words: which limit moves, from what to what, in the
//! problem's units.

use super::{Change, ChangeKind, NO_CHANGE, Slack, Target};
use crate::model::exchange::Node;
use crate::model::{Model, material_coef};
use crate::problem::format::{MaterialKind, Problem};
use crate::problem::{ChainIx, ParkIx};
use crate::solver::Solution;
use crate::util::numbers::{fmt_amount, pretty_unit};

/// A change in planners' words: slack `s` of the elastic model `m` is `amount` in `solution`,
/// whose main chains (when the rule is on) are `main`. Over periods, `m` is the block of the
/// slack's period, named `period`, and the sentence begins with it.
pub(super) fn describe(
    m: &Model,
    solution: &Solution,
    main: Option<&[ChainIx]>,
    s: &Slack,
    amount: f64,
    period: Option<&str>,
) -> Change {
    let mut c = Change {
        kind: ChangeKind::Capacity,
        park: None,
        resource: None,
        chain: None,
        material: None,
        stated: s.stated,
        changed: s.stated + amount,
        amount,
        unit: None,
        weight: s.weight,
        period: period.map(str::to_string),
        message: String::new(),
    };
    match s.target {
        Target::Capacity { park, resource } => capacity(&mut c, m, park, resource),
        Target::Pool { resource } => pool(&mut c, m, resource),
        Target::MaxPerPark { park, chain } => max_per_park(&mut c, m, park, chain),
        Target::MaxTotal { chain } => max_total(&mut c, m, chain),
        Target::External { material } => external(&mut c, m, material),
        Target::ReuseRate => reuse_rate(&mut c, m, solution),
        Target::Existing { park, chain } => existing(&mut c, m, main, park, chain),
    }
    if let Some(name) = period {
        c.message = format!("in period {name}, {}", c.message);
    }
    c
}

/// An amount with its unit, when there is one.
fn with_unit(v: f64, unit: &Option<String>) -> String {
    match unit {
        Some(u) => format!("{} {}", fmt_amount(v), pretty_unit(u)),
        None => fmt_amount(v),
    }
}

/// The unit of resource `r`: its own, else the file's `units` entry for it.
fn resource_unit(p: &Problem, r: usize) -> Option<String> {
    let (id, res) = p.resources.get_index(r).expect("resource");
    res.unit.clone().or_else(|| p.units.get(id).cloned())
}

/// The unit of material `k`: its own, else the file's unit of materials.
fn material_unit(p: &Problem, k: usize) -> Option<String> {
    p.materials[k]
        .unit
        .clone()
        .or_else(|| p.units.get("materials").cloned())
}

fn capacity(c: &mut Change, m: &Model, park: ParkIx, resource: usize) {
    let p = m.problem.problem();
    let res = p.resources.get_index(resource).expect("resource").0;
    c.park = Some(m.park_id(park).into());
    c.resource = Some(res.clone());
    c.unit = resource_unit(p, resource);
    c.message = format!(
        "park {} needs {} more {res} ({} → {})",
        m.park_id(park),
        with_unit(c.amount, &c.unit),
        fmt_amount(c.stated),
        with_unit(c.changed, &c.unit),
    );
}

fn pool(c: &mut Change, m: &Model, resource: usize) {
    let p = m.problem.problem();
    let res = p.resources.get_index(resource).expect("resource").0;
    c.kind = ChangeKind::Pool;
    c.resource = Some(res.clone());
    c.unit = resource_unit(p, resource);
    c.message = format!(
        "pooled {res} short by {} (city pool {} → {})",
        with_unit(c.amount, &c.unit),
        fmt_amount(c.stated),
        with_unit(c.changed, &c.unit),
    );
}

fn max_per_park(c: &mut Change, m: &Model, park: ParkIx, chain: ChainIx) {
    let p = m.problem.problem();
    c.kind = ChangeKind::MaxPerPark;
    c.park = Some(m.park_id(park).into());
    c.chain = Some(m.chain_id(chain).into());
    c.unit = p.chains[chain].unit.clone();
    c.message = format!(
        "park {} needs {} more {} than its max_per_park allows ({} → {})",
        m.park_id(park),
        with_unit(c.amount, &c.unit),
        m.chain_id(chain),
        fmt_amount(c.stated),
        with_unit(c.changed, &c.unit),
    );
}

fn max_total(c: &mut Change, m: &Model, chain: ChainIx) {
    let p = m.problem.problem();
    c.kind = ChangeKind::MaxTotal;
    c.chain = Some(m.chain_id(chain).into());
    c.unit = p.chains[chain].unit.clone();
    c.message = format!(
        "the city-wide limit on {} is short by {} (max_total {} → {})",
        m.chain_id(chain),
        with_unit(c.amount, &c.unit),
        fmt_amount(c.stated),
        with_unit(c.changed, &c.unit),
    );
}

fn external(c: &mut Change, m: &Model, material: usize) {
    let p = m.problem.problem();
    let mat = p.materials.get_index(material).expect("material").0;
    c.kind = ChangeKind::ExternalLimit;
    c.material = Some(mat.clone());
    c.unit = material_unit(p, material);
    c.message = format!(
        "supply of {mat} from outside short by {} (external limit {} → {})",
        with_unit(c.amount, &c.unit),
        fmt_amount(c.stated),
        with_unit(c.changed, &c.unit),
    );
}

fn reuse_rate(c: &mut Change, m: &Model, solution: &Solution) {
    let p = m.problem.problem();
    c.kind = ChangeKind::ReuseRate;
    c.unit = p.units.get("materials").cloned();
    let (reused, generated) = waste_totals(m, solution);
    c.changed = if generated > 0.0 {
        reused / generated
    } else {
        0.0
    };
    c.message = format!(
        "waste reuse falls {} short of the minimum reuse rate of {} %: the plan reaches {} % ({} reused of {} generated)",
        with_unit(c.amount, &c.unit),
        fmt_amount(c.stated * 100.0),
        fmt_amount(c.changed * 100.0),
        fmt_amount(reused),
        with_unit(generated, &c.unit),
    );
}

/// Existing activity that shrinks or closes; under the strict rule, said to be what cannot
/// coexist with a main chain it is unrelated to.
fn existing(c: &mut Change, m: &Model, main: Option<&[ChainIx]>, park: ParkIx, chain: ChainIx) {
    let problem = m.problem;
    let p = problem.problem();
    let (stated, amount) = (c.stated, c.amount);
    c.kind = ChangeKind::Existing;
    c.park = Some(m.park_id(park).into());
    c.chain = Some(m.chain_id(chain).into());
    c.unit = p.chains[chain].unit.clone();
    c.changed = (stated - amount).max(0.0);
    let chain_id = m.chain_id(chain);
    let main_here = main.map(|mc| mc[park.0]);
    let unrelated = main_here
        .is_some_and(|mc| mc != chain && !p.chains[mc].supports.iter().any(|x| x == chain_id));
    let strict = problem.rule().is_some_and(|r| r.strict);
    let closes = c.changed <= NO_CHANGE * stated.max(1.0);
    c.message = match main_here {
        Some(mc) if strict && unrelated => format!(
            "existing {chain_id} in park {} cannot coexist with strict one-main-chain (main chain {}): it would have to {}",
            m.park_id(park),
            m.chain_id(mc),
            if closes {
                format!("close ({} → 0)", with_unit(stated, &c.unit))
            } else {
                format!("shrink by {}", with_unit(amount, &c.unit))
            }
        ),
        _ if closes => format!(
            "existing {chain_id} in park {} would have to close ({} → 0)",
            m.park_id(park),
            with_unit(stated, &c.unit),
        ),
        _ => format!(
            "existing {chain_id} in park {} must shrink by {} ({} → {})",
            m.park_id(park),
            with_unit(amount, &c.unit),
            fmt_amount(stated),
            with_unit(c.changed, &c.unit),
        ),
    };
}

/// Waste reused and generated in a solution of the model.
fn waste_totals(m: &Model, solution: &Solution) -> (f64, f64) {
    let p = &m.problem.problem();
    let waste = |k: usize| p.materials[k].kind == MaterialKind::Waste;
    // What leaves a park is reused (to itself or to a hub); a hub's flows pass the same amount on
    // and are not counted again (docs/MODEL.md §3.1).
    let reused = m
        .flows
        .iter()
        .filter(|f| waste(f.material) && matches!(f.from, Node::Park(_)))
        .map(|f| solution.columns[m.col(f.var)])
        .sum();
    let mut generated = 0.0;
    for (pi, row) in p.park_ixs().zip(&m.x) {
        for (slot, &x) in row.iter().enumerate() {
            let c = m.problem.candidates(pi)[slot];
            let per_unit: f64 = (0..p.materials.len())
                .filter(|&k| waste(k))
                .map(|k| material_coef(m.problem, c, k).max(0.0))
                .sum();
            generated += per_unit * solution.columns[m.col(x)];
        }
    }
    (reused, generated)
}
