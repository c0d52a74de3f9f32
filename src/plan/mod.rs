//! The plan: a solve's result in domain terms, and the machine interface that reports, `verify`,
//! `compare` and CI read.
//!
//! [`solve_variant`] builds the model, solves it, and — for a MILP — fixes the chosen main chains
//! and re-solves the LP to read shadow prices (MODEL.md §7).
//!
//! The `Plan` type and its reading from a solution stay in one file, past 600 lines, because each
//! field's doc and the code that fills it are meant to be read together; solving, verifying and
//! periods are submodules.

pub mod verify;

mod names;
mod periods;
mod solve;
mod start;
mod ties;

pub use names::{Names, units_of};
pub use solve::{chosen_main_chains, solve_plain, solve_variant, solve_with};
pub use start::{AUTO_BINARIES, main_columns, model_options, solve_milp, wants_method};
pub use ties::{Tie, check_tie, main_of, prefer_base, tolerance};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use std::collections::HashMap;

use crate::model::exchange::{Piece, decompose};
use crate::model::{Model, ModelOptions, RowKind, material_coef, use_coef};
use crate::problem::format::{AppliesTo, MaterialKind};
use crate::problem::{ChainIx, ParkIx, ValidProblem};
use crate::solver::{
    Solution, SolveError, SolveOptions, SolveStatus, StopCause, solve, solve_ranged,
};

/// Values smaller than this in magnitude are reported as zero.
const CLEAN: f64 = 1e-9;

fn clean(v: f64) -> f64 {
    if v.abs() < CLEAN { 0.0 } else { v }
}

/// An allocation plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    /// The problem's name.
    #[serde(default)]
    pub problem: Option<String>,
    /// `base`, a scenario name, or a sweep point.
    #[serde(default = "base_name")]
    pub variant: String,
    /// How the solve ended. A plan written by hand may leave it out: it is then a plan, as
    /// `verify` takes it.
    #[serde(default = "stated_by_hand")]
    pub status: SolveStatus,
    /// The objective of MODEL.md §5; `null` without a plan.
    #[serde(default)]
    pub objective: Option<f64>,
    /// Total output value `Σ output·x`.
    #[serde(default)]
    pub output_value: Option<f64>,
    /// Total reuse value `Σ reuse_value·reuse` (before its objective weight).
    #[serde(default)]
    pub reuse_value: Option<f64>,
    /// Cost of moving materials across zones.
    #[serde(default)]
    pub transport_cost: Option<f64>,
    /// Cost of materials bought from outside.
    #[serde(default)]
    pub purchase_cost: Option<f64>,
    /// Cost of disposing of what is generated and not reused.
    #[serde(default)]
    pub disposal_cost: Option<f64>,
    /// Total waste reused (all waste materials, in their units).
    #[serde(default)]
    pub total_reuse: Option<f64>,
    /// Relative MIP gap of the plan (0 when proven optimal).
    #[serde(default)]
    pub gap: Option<f64>,
    /// What stopped the solve before it proved a plan optimal: `time_limit`, `sigint` (Ctrl-C),
    /// `sigterm` or `request`; written only for the statuses `time_limit` and `no_solution`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
    /// Each park's main chain. When the one-main-chain rule is off, the chain with the largest
    /// output value in the park.
    #[serde(default)]
    pub main_chains: IndexMap<String, String>,
    /// Activity of each chain in each park (chains at zero are left out).
    #[serde(default)]
    pub activities: IndexMap<String, IndexMap<String, f64>>,
    /// What each park builds of the chains that come in units (MODEL.md §12), by park and chain:
    /// only chains with `build:` that grow. Left out when there are none.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub built_units: IndexMap<String, IndexMap<String, Built>>,
    /// Output value of each park.
    #[serde(default)]
    pub park_output: IndexMap<String, f64>,
    /// Output value of each chain in each park (chains at zero left out); what reports stack.
    #[serde(default)]
    pub chain_output: IndexMap<String, IndexMap<String, f64>>,
    /// Material flows (within a park when `from` = `to`).
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// Materials bought from outside.
    #[serde(default)]
    pub purchases: Vec<Purchase>,
    /// Use of every constrained resource, per park and per city pool.
    #[serde(default)]
    pub resources: Vec<ResourceUse>,
    /// Generation and reuse of each material.
    #[serde(default)]
    pub materials: Vec<MaterialUse>,
    /// How shadow prices were obtained: `lp` (straight from the solve) or `fixed_main_chains`
    /// (the MILP's main chains fixed and the LP re-solved).
    #[serde(default)]
    pub shadow_price_basis: Option<ShadowPriceBasis>,
    /// Fingerprint of the variant as solved — its problem after every change of its scenario or
    /// sweep point, and the solver options that change results — written in the plans of a
    /// sweep's output folder, where `--resume` takes a plan only when it still matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// The problem's unit labels (`output: bn CNY/yr`, `materials: Mt/yr`, a resource id), each
    /// resource's own `unit` taking the place of the file's entry for it; left out when the
    /// problem names none.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub units: IndexMap<String, String>,
    /// Display names of the parks, chains, zones, materials and resources that have one; left
    /// out when none has.
    #[serde(default, skip_serializing_if = "Names::is_empty")]
    pub names: Names,
    /// A multi-period plan's periods in order (MODEL.md §9), each a whole plan of its own; empty
    /// (and not written) for a problem of one period. In a multi-period plan the objective and
    /// the totals above (output, reuse and costs) are over the horizon, `Σ_t w_t · value_t`, and
    /// the tables (activities, outputs, flows, resources, materials) are the last period's: the
    /// plant as built out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodPlan>,
    /// Another main-chain assignment that reaches the same objective within the MIP gap, when
    /// the tie check found one; left out when there is none or it was not looked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie: Option<Tie>,
}

/// One period of a multi-period plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PeriodPlan {
    /// The period's name (`2030`).
    pub period: String,
    /// How many years it lasts.
    pub years: u32,
    /// Its weight `w_t` in the objective.
    pub weight: f64,
    /// What each park builds in it: `x[p,c,t] − x[p,c,t−1]` (over the existing plant in the
    /// first period), chains that build nothing left out.
    #[serde(default)]
    pub built: IndexMap<String, IndexMap<String, f64>>,
    /// The period's plan; its objective is `obj_t`, the period's objective per year.
    #[serde(flatten)]
    pub plan: Plan,
}

/// New plant of a chain with `build:` in one park (MODEL.md §12).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Built {
    /// The plant there before (the first period's, in a multi-period plan).
    pub existing: f64,
    /// New activity, `x − existing`.
    pub new: f64,
    /// The size of one unit, when the chain has `build.unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<f64>,
    /// How many units that is, `new / unit` (a whole number in a plan of the model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<f64>,
}

/// Whether new activity `n` is a build at all: more than the solver's tolerance on quantities of
/// size `scale` (the unit, the existing plant), so that a column at 1e-9 is not read as a plant.
pub fn is_built(n: f64, scale: f64) -> bool {
    n > 1e-6 * scale.abs().max(1.0)
}

/// How a plan's shadow prices were obtained (MODEL.md §7).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ShadowPriceBasis {
    /// Read straight from the solve of an LP (the one-main-chain rule off).
    Lp,
    /// The MILP's main chains fixed and the LP re-solved: prices at the chosen main chains.
    FixedMainChains,
}

impl ShadowPriceBasis {
    /// The basis as written in plan files.
    pub fn as_str(self) -> &'static str {
        match self {
            ShadowPriceBasis::Lp => "lp",
            ShadowPriceBasis::FixedMainChains => "fixed_main_chains",
        }
    }
}

fn stated_by_hand() -> SolveStatus {
    SolveStatus::Optimal
}

fn base_name() -> String {
    crate::variant::BASE.into()
}

/// A material flow `f[k,p,q]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Flow {
    /// Material id.
    pub material: String,
    /// Sending park.
    pub from: String,
    /// Receiving park.
    pub to: String,
    /// Amount moved.
    pub amount: f64,
}

/// An external purchase `b[k,q]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Purchase {
    /// Material id.
    pub material: String,
    /// Receiving park.
    pub park: String,
    /// Amount bought.
    pub amount: f64,
}

/// Use of one resource in one park or city pool.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ResourceUse {
    /// The park, or `null` for a city pool.
    #[serde(default)]
    pub park: Option<String>,
    /// Resource id.
    pub resource: String,
    /// Net use (negative when the park produces more than it uses); new activity only for a
    /// resource that applies to new activity.
    pub used: f64,
    /// The park capacity or pool.
    pub capacity: f64,
    /// `used / capacity` (`null` when the capacity is 0).
    #[serde(default)]
    pub utilisation: Option<f64>,
    /// `capacity − used`.
    pub slack: f64,
    /// Of `used`, the fixed outlays of chains built in units (MODEL.md §12); left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<f64>,
    /// Change in the objective per extra unit of capacity.
    #[serde(default)]
    pub shadow_price: Option<f64>,
    /// The capacities (or pools) from which to which the shadow price holds, with every other
    /// limit as it is (HiGHS's ranging of the LP, at the chosen main chains for a MILP); an end
    /// left out is unbounded. Given for a nonzero price only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_range: Option<PriceRange>,
}

/// Where a shadow price holds: capacity values, in the resource's unit.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct PriceRange {
    /// The lowest capacity at which the price still holds (`null`: no lower end).
    pub from: Option<f64>,
    /// The highest (`null`: no upper end).
    pub to: Option<f64>,
}

/// Generation and reuse of one material.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MaterialUse {
    /// Material id.
    pub material: String,
    /// Waste or product.
    pub kind: MaterialKind,
    /// Generated in all parks.
    pub generated: f64,
    /// Sent to a consumer (within a park or between parks).
    pub reused: f64,
    /// Bought from outside.
    pub bought: f64,
    /// Generated and not reused.
    pub disposed: f64,
}

/// Why a solve that ended with `status` stopped short, when it did: the signal or request that
/// raised the stop flag, else the time limit.
pub fn stop_cause_of(status: SolveStatus) -> Option<StopCause> {
    matches!(status, SolveStatus::TimeLimit | SolveStatus::NoSolution)
        .then(|| crate::solver::watch::stop_cause().unwrap_or(StopCause::TimeLimit))
}

impl Plan {
    /// Reads a solution into domain terms.
    pub fn from_solution(model: &Model, solution: &Solution, variant: &str) -> Plan {
        let prob = model.problem;
        let p = &prob.problem();
        let mut plan = Plan {
            problem: p.name.clone(),
            variant: variant.to_string(),
            status: solution.status,
            objective: None,
            output_value: None,
            reuse_value: None,
            transport_cost: None,
            purchase_cost: None,
            disposal_cost: None,
            total_reuse: None,
            gap: None,
            stopped_by: stop_cause_of(solution.status),
            main_chains: IndexMap::new(),
            activities: IndexMap::new(),
            built_units: IndexMap::new(),
            park_output: IndexMap::new(),
            chain_output: IndexMap::new(),
            flows: Vec::new(),
            purchases: Vec::new(),
            resources: Vec::new(),
            materials: Vec::new(),
            shadow_price_basis: None,
            fingerprint: None,
            periods: Vec::new(),
            tie: None,
            units: units_of(p),
            names: Names::of(p),
        };
        if !solution.status.has_plan() {
            return plan;
        }
        let val = |v: good_lp::Variable| clean(solution.columns[model.col(v)]);
        let x = |pi: ParkIx, c: ChainIx| -> f64 {
            prob.candidates(pi)
                .iter()
                .position(|&cc| cc == c)
                .map_or(0.0, |slot| val(model.x[pi.0][slot]))
        };

        plan.read_parks(model, solution, &x);
        plan.read_exchanges(model, &val);

        let activity = |pi: ParkIx| -> Vec<(ChainIx, f64)> {
            prob.candidates(pi).iter().map(|&c| (c, x(pi, c))).collect()
        };
        let base = |pi: ParkIx, c: ChainIx| {
            let slot = prob.candidates(pi).iter().position(|&cc| cc == c);
            slot.map_or(0.0, |s| model.build_base(pi, s))
        };
        plan.built_units = built_units(prob, &activity, &base);
        plan.resources = resource_uses_since(prob, &activity, &base, &base);
        let eval = Evaluation::of(prob, &activity, &plan.flows, &plan.purchases);
        plan.materials = eval.materials;
        plan.output_value = Some(eval.output_value);
        plan.reuse_value = Some(eval.reuse_value);
        plan.transport_cost = Some(eval.transport_cost);
        plan.purchase_cost = Some(eval.purchase_cost);
        plan.disposal_cost = Some(eval.disposal_cost);
        plan.total_reuse = Some(eval.total_waste_reuse);
        plan.objective = Some(clean(solution.objective));
        plan.gap = solution.gap.map(clean);
        plan
    }

    /// Each park's activities, output value and main chain: the chosen one under the rule, else
    /// the active chain of the highest output value.
    fn read_parks(
        &mut self,
        model: &Model,
        solution: &Solution,
        x: &dyn Fn(ParkIx, ChainIx) -> f64,
    ) {
        let prob = model.problem;
        let p = prob.problem();
        let chosen = chosen_main_chains(model, solution);
        for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
            let mut acts = IndexMap::new();
            let mut values = IndexMap::new();
            let mut out = 0.0;
            let mut best: Option<(ChainIx, f64)> = None;
            for &c in prob.candidates(pi) {
                let v = x(pi, c);
                let value = p.chains[c].output * v;
                out += value;
                if v > 0.0 {
                    acts.insert(model.chain_id(c).to_string(), v);
                    values.insert(model.chain_id(c).to_string(), clean(value));
                    if best.is_none_or(|(_, b)| value > b) {
                        best = Some((c, value));
                    }
                }
            }
            let main = match &chosen {
                Some(ch) => Some(ch[pi.0]),
                None => best.map(|(c, _)| c),
            };
            if let Some(c) = main {
                self.main_chains
                    .insert(park_id.clone(), model.chain_id(c).to_string());
            }
            self.activities.insert(park_id.clone(), acts);
            self.chain_output.insert(park_id.clone(), values);
            self.park_output.insert(park_id.clone(), clean(out));
        }
    }

    /// The material flows, park to park (the hub formulation's columns decomposed, sent both
    /// ways netted, see [`net_exchanges`]) and purchases.
    fn read_exchanges(&mut self, model: &Model, val: &dyn Fn(good_lp::Variable) -> f64) {
        let p = model.problem.problem();
        let values: Vec<f64> = model.flows.iter().map(|f| val(f.var)).collect();
        let pieces = decompose(&model.flows, &values, model.groups.as_ref());
        for (k, from, to, amount) in net_exchanges(model.problem, pieces) {
            let amount = clean(amount);
            if amount > 0.0 {
                self.flows.push(Flow {
                    material: p.materials.get_index(k).expect("material").0.clone(),
                    from: model.park_id(from).to_string(),
                    to: model.park_id(to).to_string(),
                    amount,
                });
            }
        }
        for b in &model.buys {
            let amount = val(b.var);
            if amount > 0.0 {
                self.purchases.push(Purchase {
                    material: p
                        .materials
                        .get_index(b.material)
                        .expect("material")
                        .0
                        .clone(),
                    park: model.park_id(b.park).to_string(),
                    amount,
                });
            }
        }
    }
}

/// Cancels material sent both ways between two parks at no cost: `a→b` and `b→a` of the same
/// material both shrink by the smaller amount, which each park then uses itself (`a→a`, `b→b`).
/// Every balance, the total reuse and the objective stay the same; the plan no longer shows
/// material crossing in both directions, an artefact of equally good LP solutions. Flows come and
/// go sorted by material, sender and receiver.
fn net_exchanges(problem: &ValidProblem, pieces: Vec<Piece>) -> Vec<Piece> {
    let mut amounts: HashMap<(usize, ParkIx, ParkIx), f64> =
        pieces.iter().map(|&(k, a, b, v)| ((k, a, b), v)).collect();
    for &(k, a, b, _) in &pieces {
        if a >= b || problem.route(a, b, k) != Some(0.0) || problem.route(b, a, k) != Some(0.0) {
            continue;
        }
        let (there, back) = (amounts[&(k, a, b)], amounts.get(&(k, b, a)).copied());
        let m = there.min(back.unwrap_or(0.0));
        if m > 0.0 {
            amounts.insert((k, a, b), clean(there - m));
            amounts.insert((k, b, a), clean(back.unwrap_or(0.0) - m));
            *amounts.entry((k, a, a)).or_insert(0.0) += m;
            *amounts.entry((k, b, b)).or_insert(0.0) += m;
        }
    }
    let mut out: Vec<Piece> = amounts
        .into_iter()
        .filter(|&(_, v)| v > 0.0)
        .map(|((k, a, b), v)| (k, a, b, v))
        .collect();
    out.sort_by_key(|x| (x.0, x.1, x.2));
    out
}

/// Resource use of every park capacity and city pool for the given activities.
pub fn resource_uses(
    prob: &ValidProblem,
    activity: &dyn Fn(ParkIx) -> Vec<(ChainIx, f64)>,
) -> Vec<ResourceUse> {
    let existing = |pi, c| prob.existing(pi, c);
    resource_uses_since(prob, activity, &existing, &existing)
}

/// What each park builds of the chains with `build:` (MODEL.md §12), new activity counted over
/// `base` (the existing plant; the first period's in a multi-period plan).
pub fn built_units(
    prob: &ValidProblem,
    activity: &dyn Fn(ParkIx) -> Vec<(ChainIx, f64)>,
    base: &dyn Fn(ParkIx, ChainIx) -> f64,
) -> IndexMap<String, IndexMap<String, Built>> {
    let p = prob.problem();
    let mut out = IndexMap::new();
    for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
        let mut row = IndexMap::new();
        for (c, x) in activity(pi) {
            let Some(b) = prob.build(c) else { continue };
            let e = base(pi, c);
            let n = x - e;
            if !is_built(n, e.max(b.unit.unwrap_or(0.0))) {
                continue;
            }
            row.insert(
                p.chain_id(c).to_string(),
                Built {
                    existing: clean(e),
                    new: clean(n),
                    unit: b.unit,
                    units: b.unit.map(|s| clean(n / s)),
                },
            );
        }
        if !row.is_empty() {
            out.insert(park_id.clone(), row);
        }
    }
    out
}

/// Resource use as [`resource_uses`] counts it, with a resource charged on new activity charged
/// on growth over `before` (the existing plant, or in a later period the period before's
/// activity), and the fixed outlays of chains built in units (MODEL.md §12) whose new activity,
/// counted over `base`, is positive: a resource on new activity in the period of the first build
/// only (when nothing was built by `before`), any other in every period from then on.
pub fn resource_uses_since(
    prob: &ValidProblem,
    activity: &dyn Fn(ParkIx) -> Vec<(ChainIx, f64)>,
    before: &dyn Fn(ParkIx, ChainIx) -> f64,
    base: &dyn Fn(ParkIx, ChainIx) -> f64,
) -> Vec<ResourceUse> {
    let p = &prob.problem();
    let mut out = Vec::new();
    // (variable use, fixed outlays) of resource r in park pi.
    let use_in = |pi: ParkIx, r: usize| -> (f64, f64) {
        let new_only = p.resources[r].applies_to == AppliesTo::New;
        let res_id = p.resources.get_index(r).expect("resource").0;
        let (mut used, mut fixed) = (0.0, 0.0);
        for (c, v) in activity(pi) {
            let a = if new_only { v - before(pi, c) } else { v };
            used += use_coef(prob, c, r) * a;
            let Some(b) = prob.build(c) else { continue };
            let Some(&outlay) = b.fixed.get(res_id) else {
                continue;
            };
            let e = base(pi, c);
            let scale = e.max(b.unit.unwrap_or(0.0));
            let now = is_built(v - e, scale);
            let earlier = is_built(before(pi, c) - e, scale);
            if now && !(new_only && earlier) {
                fixed += outlay;
            }
        }
        (used + fixed, fixed)
    };
    let entry = |park: Option<String>, r: usize, (used, fixed): (f64, f64), cap: f64| ResourceUse {
        park,
        resource: p.resources.get_index(r).expect("resource").0.clone(),
        used: clean(used),
        capacity: cap,
        utilisation: (cap > 0.0).then(|| clean(used / cap)),
        slack: clean(cap - used),
        fixed: (fixed != 0.0).then_some(clean(fixed)),
        shadow_price: None,
        price_range: None,
    };
    for (pi, (park_id, park)) in p.park_ixs().zip(p.parks.iter()) {
        for (r, res_id) in p.resources.keys().enumerate() {
            if let Some(&cap) = park.capacity.get(res_id) {
                out.push(entry(Some(park_id.clone()), r, use_in(pi, r), cap));
            }
        }
    }
    for (r, res) in p.resources.values().enumerate() {
        if let Some(pool) = res.pool {
            let (used, fixed) = p
                .park_ixs()
                .map(|pi| use_in(pi, r))
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            out.push(entry(None, r, (used, fixed), pool));
        }
    }
    out
}

/// The objective and its parts recomputed from plan values alone (no solver involved).
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// `Σ output·x`.
    pub output_value: f64,
    /// `Σ reuse_value·reuse`.
    pub reuse_value: f64,
    /// Across-zone transport cost.
    pub transport_cost: f64,
    /// External purchase cost.
    pub purchase_cost: f64,
    /// Disposal cost.
    pub disposal_cost: f64,
    /// Total reuse of waste materials.
    pub total_waste_reuse: f64,
    /// Total generation of waste materials.
    pub total_waste_generated: f64,
    /// The weighted objective of MODEL.md §5.
    pub objective: f64,
    /// Per-material balance.
    pub materials: Vec<MaterialUse>,
}

impl Evaluation {
    /// Evaluates the objective of MODEL.md §5 for given activities, flows and purchases.
    pub fn of(
        prob: &ValidProblem,
        activity: &dyn Fn(ParkIx) -> Vec<(ChainIx, f64)>,
        flows: &[Flow],
        purchases: &[Purchase],
    ) -> Evaluation {
        let p = &prob.problem();
        let mut output_value = 0.0;
        let mut generated = vec![0.0; p.materials.len()];
        for pi in p.park_ixs() {
            for (c, v) in activity(pi) {
                output_value += p.chains[c].output * v;
                for (k, g) in generated.iter_mut().enumerate() {
                    *g += material_coef(prob, c, k).max(0.0) * v;
                }
            }
        }
        let mut reused = vec![0.0; p.materials.len()];
        let mut transport_cost = 0.0;
        for f in flows {
            let Some(k) = p.materials.get_index_of(&f.material) else {
                continue;
            };
            reused[k] += f.amount;
            let (Some(a), Some(b)) = (p.park_ix(&f.from), p.park_ix(&f.to)) else {
                continue;
            };
            transport_cost += prob.route(a, b, k).unwrap_or(0.0) * f.amount;
        }
        let mut bought = vec![0.0; p.materials.len()];
        let mut purchase_cost = 0.0;
        for b in purchases {
            let Some(k) = p.materials.get_index_of(&b.material) else {
                continue;
            };
            bought[k] += b.amount;
            purchase_cost += p.materials[k].external.as_ref().map_or(0.0, |e| e.price) * b.amount;
        }
        let mut reuse_value = 0.0;
        let mut disposal_cost = 0.0;
        let mut total_waste_reuse = 0.0;
        let mut total_waste_generated = 0.0;
        let mut materials = Vec::new();
        for (k, (id, mat)) in p.materials.iter().enumerate() {
            reuse_value += mat.reuse_value * reused[k];
            disposal_cost += mat.disposal_cost * (generated[k] - reused[k]);
            if mat.kind == MaterialKind::Waste {
                total_waste_reuse += reused[k];
                total_waste_generated += generated[k];
            }
            materials.push(MaterialUse {
                material: id.clone(),
                kind: mat.kind,
                generated: clean(generated[k]),
                reused: clean(reused[k]),
                bought: clean(bought[k]),
                disposed: clean(generated[k] - reused[k]),
            });
        }
        let objective = p.objective.output * output_value + p.objective.reuse * reuse_value
            - transport_cost
            - purchase_cost
            - disposal_cost;
        Evaluation {
            output_value: clean(output_value),
            reuse_value: clean(reuse_value),
            transport_cost: clean(transport_cost),
            purchase_cost: clean(purchase_cost),
            disposal_cost: clean(disposal_cost),
            total_waste_reuse: clean(total_waste_reuse),
            total_waste_generated: clean(total_waste_generated),
            objective: clean(objective),
            materials,
        }
    }
}
