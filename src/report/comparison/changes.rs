//! What a scenario changes against the base plan, per park and summed per zone, for the HTML and
//! Markdown reports and the workbook; and what a plan is measured against: its waste reuse rate
//! beside `rules.min_reuse_rate`, and the output of the existing plant.
//!
//! A value counts as changed when base and scenario print differently at the report's precision
//! for it ([`Quantity`]). A switch of main chain is *tied* when either plan's [`crate::plan::Tie`]
//! names an assignment that keeps the other's chain in that park at the same objective: the switch
//! is then one of two equally good choices, not something the scenario forces.

use crate::analysis::compare::waste_sent_on;
use crate::plan::Plan;
use crate::problem::format::MaterialKind;
use crate::report::views::{Kind, Quantity, ReportInput};

/// A value in the base plan and in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pair {
    /// In the base plan.
    pub base: f64,
    /// In the scenario.
    pub plan: f64,
}

impl std::ops::AddAssign for Pair {
    fn add_assign(&mut self, o: Pair) {
        self.base += o.base;
        self.plan += o.plan;
    }
}

/// A park's main chain, base against scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Main {
    /// Either plan was solved with the one-main-chain rule off: no main chain is shown.
    Off,
    /// The same chain in both.
    Kept(String),
    /// Another chain in the scenario; `tied` when the switch is a tie (see the module).
    Switched {
        /// The base's chain.
        from: String,
        /// The scenario's chain.
        to: String,
        /// Whether an equally good assignment keeps the base's chain.
        tied: bool,
    },
    /// No main chain in one of them, or a zone (which has none).
    None,
}

/// The use and capacity of one resource in a park or zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Use {
    /// Resource id.
    pub resource: String,
    /// What the plans use.
    pub used: Pair,
    /// The capacity.
    pub capacity: Pair,
}

/// One row of the change table: a park, a zone or all parks.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// `liuzhi (Liuzhi …)`, `zone east (…)`, `all parks`.
    pub label: String,
    /// The park or zone id (empty for all parks).
    pub id: String,
    /// Its main chain.
    pub main: Main,
    /// Output value.
    pub output: Pair,
    /// Each park resource.
    pub uses: Vec<Use>,
    /// Waste generated here and sent to a consumer.
    pub reused: Pair,
}

/// What one scenario changes against the base.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// Its parks, in the report's order.
    pub parks: Vec<Place>,
    /// Its zones (empty without the problem, which says where each park lies), then all parks.
    pub zones: Vec<Place>,
}

/// What plan `index` changes against the report's base; `None` for the base itself or when either
/// has no plan.
pub fn changes(input: &ReportInput, index: usize) -> Option<Changes> {
    if index == input.base {
        return None;
    }
    let base = &input.base_plan()?.plan;
    let plan = &input.plans.get(index)?.plan;
    if !base.status.has_plan() || !plan.status.has_plan() {
        return None;
    }
    let resources = input.park_resources();
    let parks: Vec<Place> = input
        .parks()
        .iter()
        .map(|park| {
            let pair = |f: &dyn Fn(&Plan) -> f64| Pair {
                base: f(base),
                plan: f(plan),
            };
            let uses = resources
                .iter()
                .map(|res| {
                    let row = |p: &Plan| {
                        p.resources
                            .iter()
                            .find(|r| r.park.as_deref() == Some(park) && &r.resource == res)
                            .map_or((0.0, 0.0), |r| (r.used, r.capacity))
                    };
                    Use {
                        resource: res.clone(),
                        used: pair(&|p| row(p).0),
                        capacity: pair(&|p| row(p).1),
                    }
                })
                .collect();
            Place {
                label: input.named(Kind::Park, park),
                id: park.clone(),
                main: main(input, base, plan, park),
                output: pair(&|p| p.park_output.get(park).copied().unwrap_or(0.0)),
                uses,
                reused: pair(&|p| waste_sent_on(p, park)),
            }
        })
        .collect();
    let mut zones: Vec<Place> = Vec::new();
    if let Some(problem) = input.problem {
        let mut ids: Vec<String> = problem.zones.keys().cloned().collect();
        for p in problem.parks.values() {
            if let Some(z) = &p.zone
                && !ids.contains(z)
            {
                ids.push(z.clone());
            }
        }
        for z in ids {
            let members: Vec<&Place> = parks
                .iter()
                .filter(|pl| problem.parks.get(&pl.id).and_then(|p| p.zone.as_ref()) == Some(&z))
                .collect();
            if members.is_empty() {
                continue;
            }
            let name = problem.zones.get(&z).and_then(|zz| zz.name.clone());
            let label = match name {
                Some(n) if n != z => format!("zone {z} ({n})"),
                _ => format!("zone {z}"),
            };
            zones.push(sum(label, z, &members));
        }
    }
    if parks.len() > 1 {
        let all: Vec<&Place> = parks.iter().collect();
        zones.push(sum("all parks".into(), String::new(), &all));
    }
    Some(Changes { parks, zones })
}

/// The places summed, as one row without a main chain.
fn sum(label: String, id: String, members: &[&Place]) -> Place {
    let mut out = Place {
        label,
        id,
        main: Main::None,
        output: Pair::default(),
        uses: members[0]
            .uses
            .iter()
            .map(|u| Use {
                resource: u.resource.clone(),
                used: Pair::default(),
                capacity: Pair::default(),
            })
            .collect(),
        reused: Pair::default(),
    };
    for m in members {
        out.output += m.output;
        out.reused += m.reused;
        for (o, u) in out.uses.iter_mut().zip(&m.uses) {
            o.used += u.used;
            o.capacity += u.capacity;
        }
    }
    out
}

/// A park's main chain, base against scenario.
fn main(input: &ReportInput, base: &Plan, plan: &Plan, park: &str) -> Main {
    let (b, p) = (input.main_chains(base), input.main_chains(plan));
    if b.is_empty() || p.is_empty() {
        return Main::Off;
    }
    match (b.get(park), p.get(park)) {
        (Some(from), Some(to)) if from == to => Main::Kept(to.clone()),
        (Some(from), Some(to)) => Main::Switched {
            from: from.clone(),
            to: to.clone(),
            tied: tied(base, plan, park),
        },
        _ => Main::None,
    }
}

/// Whether the switch of `park`'s main chain between `base` and `plan` is a tie: the scenario's
/// tie keeps the base's chain there, or the base's tie takes the scenario's.
pub fn tied(base: &Plan, plan: &Plan, park: &str) -> bool {
    let keeps = |p: &Plan, other: &Plan| {
        p.tie
            .as_ref()
            .and_then(|t| t.main_chains.get(park))
            .is_some_and(|c| other.main_chains.get(park) == Some(c))
    };
    keeps(plan, base) || keeps(base, plan)
}

/// A pair as a cell: the value when it prints the same in both, else `base → scenario (Δ)`.
pub fn pair_cell(input: &ReportInput, q: Quantity, p: Pair) -> String {
    let (b, s) = (input.num(q, Some(p.base)), input.num(q, Some(p.plan)));
    if b == s {
        s
    } else {
        format!("{b} → {s} ({})", input.delta(q, Some(p.plan - p.base)))
    }
}

/// A main chain as a cell.
pub fn main_cell(input: &ReportInput, m: &Main) -> String {
    match m {
        Main::Off => "– (rule off)".into(),
        Main::Kept(c) => input.named(Kind::Chain, c),
        Main::Switched { from, to, tied } => {
            let tie = if *tied {
                format!(", tied: keeping {from} reaches the same objective")
            } else {
                String::new()
            };
            format!("{from} → {to}{tie}")
        }
        Main::None => "–".into(),
    }
}

/// The table's header: place, main chain, output value, each resource's use, waste reused.
pub fn header(input: &ReportInput, c: &Changes) -> Vec<String> {
    let mut h = vec![
        "park / zone".to_string(),
        "main chain".into(),
        input.head("output value", Quantity::Value),
    ];
    let uses = c
        .parks
        .first()
        .map(|p| p.uses.as_slice())
        .unwrap_or_default();
    h.extend(uses.iter().map(|u| {
        input.head(
            &format!("{} use", u.resource),
            Quantity::Resource(&u.resource),
        )
    }));
    h.push(input.head("waste reused", Quantity::Material));
    h
}

/// A row of the table, as text; a use whose capacity changed says so.
pub fn row(input: &ReportInput, p: &Place) -> Vec<String> {
    let mut r = vec![p.label.clone(), main_cell(input, &p.main)];
    r.push(pair_cell(input, Quantity::Value, p.output));
    for u in &p.uses {
        let q = Quantity::Resource(&u.resource);
        let mut cell = pair_cell(input, q, u.used);
        if input.num(q, Some(u.capacity.base)) != input.num(q, Some(u.capacity.plan)) {
            cell += &format!("; capacity {}", pair_cell(input, q, u.capacity));
        }
        r.push(cell);
    }
    r.push(pair_cell(input, Quantity::Material, p.reused));
    r
}

/// How many parks switch main chain, and how many of those switches are ties.
pub fn switches(c: &Changes) -> (usize, usize) {
    let mut n = (0, 0);
    for p in &c.parks {
        if let Main::Switched { tied, .. } = p.main {
            n.0 += 1;
            n.1 += usize::from(tied);
        }
    }
    n
}

/// A plan's waste reuse rate: waste reused over waste generated, all waste materials together
/// (the measure of `rules.min_reuse_rate`, MODEL.md §4.5); `None` when no waste is generated.
pub fn reuse_rate(plan: &Plan) -> Option<f64> {
    let waste = plan
        .materials
        .iter()
        .filter(|m| m.kind == MaterialKind::Waste);
    let (reused, generated) = waste.fold((0.0, 0.0), |(r, g), m| (r + m.reused, g + m.generated));
    (generated > 0.0).then(|| reused / generated)
}

/// The reuse rate in words, beside the target when the problem sets one:
/// `waste reuse rate 72.3 % (target 60.0 %: met)`; `None` without waste.
pub fn reuse_sentence(input: &ReportInput, plan: &Plan) -> Option<String> {
    let rate = reuse_rate(plan)?;
    let mut s = format!("waste reuse rate {:.1} %", rate * 100.0);
    if let Some(target) = input.problem.and_then(|p| p.rules.min_reuse_rate) {
        // The model holds the rate to the target within the solver's feasibility tolerance.
        let met = if rate >= target - 1e-6 {
            "met"
        } else {
            "not met"
        };
        s += &format!(" (target `min_reuse_rate` {:.1} %: {met})", target * 100.0);
    }
    Some(s)
}

/// The output value of the existing plant of a park (`existing:` activity × each chain's
/// `output`), when the problem is known.
pub fn existing_output(input: &ReportInput, park: &str) -> Option<f64> {
    let p = input.problem?;
    let existing = &p.parks.get(park)?.existing;
    Some(
        existing
            .iter()
            .map(|(c, x)| p.chains.get(c).map_or(0.0, |ch| ch.output) * x)
            .sum(),
    )
}
