//! Verifying a plan without any solver: every constraint of MODEL.md §4 re-evaluated from the
//! problem data and the plan's own values, and the objective of §5 recomputed part by part.
//!
//! Nothing here builds a model or calls HiGHS, and nothing reuses the model builder's helpers:
//! routes, resource use, material balances and the one-main-chain rule are evaluated straight from
//! the problem as MODEL.md states them (the rule in its logical form, without big-M values). So a
//! fault in the model or in the solver shows up here as a violated constraint or a wrong objective.
//!
//! A plan is read from YAML or JSON ([`PlanFile`]): `main_chains`, `activities`, `flows`,
//! `purchases`, and optionally the stated `objective` and its parts. The other fields `solve`
//! writes (resource use, material balance, shadow prices) are derived and accepted as they are.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::problem::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::problem::format::{AcrossZones, AppliesTo, MaterialKind};
use crate::problem::load::{Positions, from_document};
use crate::problem::{Problem, ValidProblem};
use crate::solver::SolveStatus;

/// Default tolerance of `verify`: relative to the size of the quantities compared, and absolute
/// below 1.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// The values of a plan that `verify` checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanValues {
    /// The variant the plan is for (`base`, a scenario, a sweep point); `base` when absent.
    #[serde(default)]
    pub variant: Option<String>,
    /// The status the plan states; a plan written by hand may leave it out.
    #[serde(default)]
    pub status: Option<SolveStatus>,
    /// The stated objective (checked when given).
    #[serde(default)]
    pub objective: Option<f64>,
    /// The stated total output value (checked when given).
    #[serde(default)]
    pub output_value: Option<f64>,
    /// The stated total reuse value (checked when given).
    #[serde(default)]
    pub reuse_value: Option<f64>,
    /// The stated transport cost (checked when given).
    #[serde(default)]
    pub transport_cost: Option<f64>,
    /// The stated purchase cost (checked when given).
    #[serde(default)]
    pub purchase_cost: Option<f64>,
    /// The stated disposal cost (checked when given).
    #[serde(default)]
    pub disposal_cost: Option<f64>,
    /// The stated total waste reuse (checked when given).
    #[serde(default)]
    pub total_reuse: Option<f64>,
    /// Each park's main chain.
    #[serde(default)]
    pub main_chains: IndexMap<String, String>,
    /// Activity of each chain in each park; a chain left out runs at 0.
    #[serde(default)]
    pub activities: IndexMap<String, IndexMap<String, f64>>,
    /// Material flows.
    #[serde(default)]
    pub flows: Vec<FlowValue>,
    /// External purchases.
    #[serde(default)]
    pub purchases: Vec<PurchaseValue>,
}

/// A material flow of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowValue {
    /// Material id.
    pub material: String,
    /// Sending park.
    pub from: String,
    /// Receiving park.
    pub to: String,
    /// Amount moved.
    pub amount: f64,
}

/// An external purchase of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseValue {
    /// Material id.
    pub material: String,
    /// Receiving park.
    pub park: String,
    /// Amount bought.
    pub amount: f64,
}

/// Fields `solve` writes that are derived from the values above and not read by `verify`.
const DERIVED_FIELDS: [&str; 7] = [
    "problem",
    "gap",
    "park_output",
    "chain_output",
    "resources",
    "materials",
    "shadow_price_basis",
];

impl From<&Plan> for PlanValues {
    fn from(p: &Plan) -> Self {
        PlanValues {
            variant: Some(p.variant.clone()),
            status: Some(p.status),
            objective: p.objective,
            output_value: p.output_value,
            reuse_value: p.reuse_value,
            transport_cost: p.transport_cost,
            purchase_cost: p.purchase_cost,
            disposal_cost: p.disposal_cost,
            total_reuse: p.total_reuse,
            main_chains: p.main_chains.clone(),
            activities: p.activities.clone(),
            flows: p
                .flows
                .iter()
                .map(|f| FlowValue {
                    material: f.material.clone(),
                    from: f.from.clone(),
                    to: f.to.clone(),
                    amount: f.amount,
                })
                .collect(),
            purchases: p
                .purchases
                .iter()
                .map(|b| PurchaseValue {
                    material: b.material.clone(),
                    park: b.park.clone(),
                    amount: b.amount,
                })
                .collect(),
        }
    }
}

/// A plan file as read from disk, with positions for pointing at its lines.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// Where it was read from.
    pub path: std::path::PathBuf,
    /// The values.
    pub values: PlanValues,
    positions: Positions,
}

impl PlanFile {
    /// Reads a plan file (YAML or JSON).
    pub fn read(path: &std::path::Path) -> Result<Self, Diagnostics> {
        let text = std::fs::read_to_string(path).map_err(|e| Diagnostics {
            file: path.to_path_buf(),
            source: String::new(),
            items: vec![
                Diagnostic::file(format!("cannot read the plan file: {e}"))
                    .help("check the path and that the file is readable UTF-8 text"),
            ],
        })?;
        Self::parse(path, text)
    }

    /// Parses a plan's text (YAML, or JSON, which YAML reads as well).
    pub fn parse(path: &std::path::Path, text: String) -> Result<Self, Diagnostics> {
        let positions = Positions::index(&text);
        let fail = |d: Diagnostic| {
            let mut d = d;
            if d.location.is_none()
                && let Some(p) = &d.path
            {
                // `flows[0].amount` in serde's words is `flows.0.amount` in the positions index.
                let dotted = p.replace('[', ".").replace(']', "");
                d.location = positions.locate(&dotted);
            }
            Diagnostics {
                file: path.to_path_buf(),
                source: text.clone(),
                items: vec![d],
            }
        };
        let mut document: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::file(format!("the plan is not valid YAML or JSON: {e}"));
            d.location = e.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            });
            fail(d)
        })?;
        let serde_yaml::Value::Mapping(map) = &mut document else {
            return Err(fail(Diagnostic::file("a plan must be a mapping").help(
                "give at least `activities:` (and `main_chains:` when the rule is on); see README.md",
            )));
        };
        for key in DERIVED_FIELDS {
            map.remove(key);
        }
        let values: PlanValues = from_document(document).map_err(|mut d| {
            if d.message.starts_with("unknown field")
                && let Some(path) = &d.path
                && !path.contains('.')
                && let Some(near) = did_you_mean(path, DERIVED_FIELDS)
            {
                d.help = Some(format!("did you mean `{near}`?"));
            }
            fail(d)
        })?;
        Ok(PlanFile {
            path: path.to_path_buf(),
            values,
            positions,
        })
    }

    /// The line and column of a path in the plan (`activities.a.steel`, `flows.2`).
    pub fn locate(&self, path: &str) -> Option<Location> {
        self.positions.locate(path)
    }
}

/// The constraint families of MODEL.md §3–§5, as a violation names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// A park, chain or material the problem does not have.
    Reference,
    /// §3: variable domains (activity at least existing, only allowed chains, flows only on
    /// allowed routes, purchases only of materials with `external`, nothing negative).
    Domain,
    /// §4.1: park resources.
    ParkResource,
    /// §4.2: city pools.
    Pool,
    /// §4.3: chain limits (`max_per_park`, `max_total`).
    ChainLimit,
    /// §4.4: what leaves a park is at most what it generates.
    MaterialOut,
    /// §4.4: feedstock is met exactly by flows and purchases.
    MaterialIn,
    /// §4.4: purchases within the external limit.
    ExternalLimit,
    /// §4.5: minimum reuse rate.
    ReuseRate,
    /// §4.6: exactly one main chain per park, and one the park may run.
    OneMainChain,
    /// §4.6: only the main chain and the chains it supports grow.
    Growth,
    /// §4.6: the main chain's minimum share of the park's output value.
    MinShare,
    /// §5: a stated objective or part of it differs from the recomputed one.
    Objective,
}

impl Family {
    /// Every family, in MODEL.md order.
    pub const ALL: [Family; 13] = [
        Family::Reference,
        Family::Domain,
        Family::ParkResource,
        Family::Pool,
        Family::ChainLimit,
        Family::MaterialOut,
        Family::MaterialIn,
        Family::ExternalLimit,
        Family::ReuseRate,
        Family::OneMainChain,
        Family::Growth,
        Family::MinShare,
        Family::Objective,
    ];

    /// The family as MODEL.md names it.
    pub fn title(self) -> &'static str {
        match self {
            Family::Reference => "plan references",
            Family::Domain => "§3 variable domains",
            Family::ParkResource => "§4.1 park resources",
            Family::Pool => "§4.2 city pools",
            Family::ChainLimit => "§4.3 chain limits",
            Family::MaterialOut => "§4.4 material balance (out)",
            Family::MaterialIn => "§4.4 material balance (in)",
            Family::ExternalLimit => "§4.4 external purchase limit",
            Family::ReuseRate => "§4.5 minimum reuse rate",
            Family::OneMainChain => "§4.6 one main chain",
            Family::Growth => "§4.6 growth of non-main chains",
            Family::MinShare => "§4.6 main chain's minimum share",
            Family::Objective => "§5 objective",
        }
    }
}

/// One violated constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The constraint family.
    pub family: Family,
    /// The constraint, named like the model's rows (`land[pannan]`, `in[fly_ash,faer]`).
    pub constraint: String,
    /// What is wrong, in planners' words.
    pub message: String,
    /// By how much the constraint is violated (in the constraint's own unit).
    pub amount: f64,
    /// Where in the plan the offending value is (`activities.a.steel`), when one value is.
    #[serde(default)]
    pub plan_path: Option<String>,
}

/// The objective of MODEL.md §5 and its parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Parts {
    /// The weighted objective.
    pub objective: f64,
    /// `Σ output·x`.
    pub output_value: f64,
    /// `Σ reuse_value·reuse` (before its weight).
    pub reuse_value: f64,
    /// Cost of moving materials across zones.
    pub transport_cost: f64,
    /// Cost of external purchases.
    pub purchase_cost: f64,
    /// Cost of disposing of what is generated and not reused.
    pub disposal_cost: f64,
    /// Total reuse of waste materials.
    pub total_reuse: f64,
}

/// The result of verifying a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// How many constraints and stated values were checked.
    pub checked: usize,
    /// The tolerance used.
    pub tolerance: f64,
    /// The objective and its parts recomputed from the plan's values.
    pub recomputed: Parts,
    /// Every violated constraint and every stated value that differs, in MODEL.md order.
    pub violations: Vec<Violation>,
}

impl Verification {
    /// Whether the plan is feasible and its stated values are right.
    pub fn ok(&self) -> bool {
        self.violations.is_empty()
    }
}

pub use crate::util::numbers::fmt_exact as num;

/// Checks a plan against a validated problem: every constraint of MODEL.md §4, and every stated
/// part of the objective against its value recomputed from the plan (§5).
///
/// `tolerance` is relative: `lhs ≤ rhs` holds when `lhs − rhs ≤ tolerance · max(1, |terms|)`,
/// where `|terms|` is the largest magnitude among the sides and the terms summed.
pub fn verify(problem: &ValidProblem, plan: &PlanValues, tolerance: f64) -> Verification {
    let mut v = Verifier::new(problem.problem(), tolerance);
    v.read_activities(plan);
    v.read_flows(plan);
    v.read_purchases(plan);
    v.domains();
    v.park_resources();
    v.pools();
    v.chain_limits();
    v.material_balance();
    v.reuse_rate();
    if let Some(rule) = problem.rule() {
        v.one_main_chain(plan, rule.strict, rule.min_share);
    } else {
        v.main_chain_references(plan);
    }
    let parts = v.parts();
    v.stated(plan, &parts);
    v.violations.sort_by_key(|x| {
        Family::ALL
            .iter()
            .position(|f| *f == x.family)
            .unwrap_or(usize::MAX)
    });
    Verification {
        checked: v.checked,
        tolerance,
        recomputed: parts,
        violations: v.violations,
    }
}

/// A material flow resolved to indices.
struct Flow {
    k: usize,
    from: usize,
    to: usize,
    amount: f64,
    /// Cost per unit when the route is across zones, 0 within a zone or park, `None` when the
    /// route is not allowed.
    cost: Option<f64>,
    index: usize,
}

struct Verifier<'a> {
    p: &'a Problem,
    tol: f64,
    /// `x[park][chain]`.
    x: Vec<Vec<f64>>,
    flows: Vec<Flow>,
    /// `b[material][park]`.
    bought: Vec<Vec<f64>>,
    checked: usize,
    violations: Vec<Violation>,
}

impl<'a> Verifier<'a> {
    fn new(p: &'a Problem, tol: f64) -> Self {
        Verifier {
            p,
            tol,
            x: vec![vec![0.0; p.chains.len()]; p.parks.len()],
            flows: Vec::new(),
            bought: vec![vec![0.0; p.parks.len()]; p.materials.len()],
            checked: 0,
            violations: Vec::new(),
        }
    }

    fn park(&self, i: usize) -> &str {
        self.p.parks.get_index(i).expect("park").0
    }

    fn chain(&self, i: usize) -> &str {
        self.p.chains.get_index(i).expect("chain").0
    }

    fn material(&self, i: usize) -> &str {
        self.p.materials.get_index(i).expect("material").0
    }

    fn resource(&self, i: usize) -> &str {
        self.p.resources.get_index(i).expect("resource").0
    }

    fn existing(&self, pi: usize, c: usize) -> f64 {
        self.p.parks[pi]
            .existing
            .get(self.chain(c))
            .copied()
            .unwrap_or(0.0)
    }

    fn allowed(&self, pi: usize, c: usize) -> bool {
        match &self.p.parks[pi].allowed {
            None => true,
            Some(list) => list.iter().any(|a| a == self.chain(c)),
        }
    }

    fn coef_material(&self, c: usize, k: usize) -> f64 {
        self.p.chains[c]
            .materials
            .get(self.material(k))
            .copied()
            .unwrap_or(0.0)
    }

    fn coef_use(&self, c: usize, r: usize) -> f64 {
        self.p.chains[c]
            .uses
            .get(self.resource(r))
            .copied()
            .unwrap_or(0.0)
    }

    /// The slack a comparison of quantities of this size is allowed.
    fn allowance(&self, scale: f64) -> f64 {
        self.tol * scale.abs().max(1.0)
    }

    fn violate(
        &mut self,
        family: Family,
        constraint: String,
        message: String,
        amount: f64,
        plan_path: Option<String>,
    ) {
        self.violations.push(Violation {
            family,
            constraint,
            message,
            amount,
            plan_path,
        });
    }

    /// Checks `lhs ≤ rhs` and counts the check; returns the excess when it is violated beyond
    /// tolerance.
    fn over(&mut self, lhs: f64, rhs: f64, scale: f64) -> Option<f64> {
        self.checked += 1;
        self.exceeds(lhs, rhs, scale)
    }

    /// The excess of `lhs` over `rhs`, when it is beyond tolerance (a NaN side always is).
    fn exceeds(&self, lhs: f64, rhs: f64, scale: f64) -> Option<f64> {
        let excess = lhs - rhs;
        let holds = excess <= self.allowance(scale.max(lhs.abs()).max(rhs.abs()));
        (!holds).then_some(excess)
    }

    fn unknown(&mut self, kind: &str, name: &str, names: Vec<&str>, path: String) {
        let hint = did_you_mean(name, names.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        self.violate(
            Family::Reference,
            path.clone(),
            format!("the plan names {kind} `{name}`, which the problem does not have{hint}"),
            0.0,
            Some(path),
        );
    }

    fn read_activities(&mut self, plan: &PlanValues) {
        let p = self.p;
        for (park_id, acts) in &plan.activities {
            let Some(pi) = p.parks.get_index_of(park_id) else {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", park_id, names, format!("activities.{park_id}"));
                continue;
            };
            for (chain_id, &value) in acts {
                let path = format!("activities.{park_id}.{chain_id}");
                let Some(c) = p.chains.get_index_of(chain_id) else {
                    let names = p.chains.keys().map(String::as_str).collect();
                    self.unknown("chain", chain_id, names, path);
                    continue;
                };
                if !value.is_finite() {
                    self.violate(
                        Family::Domain,
                        format!("x[{park_id},{chain_id}]"),
                        format!("`{chain_id}` in park `{park_id}` has activity {value}, which is not a finite number"),
                        f64::INFINITY,
                        Some(path),
                    );
                    continue;
                }
                self.x[pi][c] = value;
            }
        }
    }

    /// MODEL.md §3: material may move within a park, between parks of one zone when
    /// `within_zone` is on, and across zones when `across_zones` is given.
    fn route(&self, from: usize, to: usize, k: usize) -> Option<f64> {
        if from == to {
            return Some(0.0);
        }
        let zf = self.p.parks[from].zone.as_ref();
        let zt = self.p.parks[to].zone.as_ref();
        if zf.is_some() && zf == zt {
            return self.p.exchange.within_zone.then_some(0.0);
        }
        match &self.p.exchange.across_zones {
            None | Some(AcrossZones::Flag(false)) => None,
            Some(AcrossZones::Flag(true)) => Some(0.0),
            Some(AcrossZones::Costs(c)) => {
                Some(c.cost.get(self.material(k)).copied().unwrap_or(0.0))
            }
        }
    }

    fn read_flows(&mut self, plan: &PlanValues) {
        let p = self.p;
        for (i, f) in plan.flows.iter().enumerate() {
            let path = format!("flows.{i}");
            let k = p.materials.get_index_of(&f.material);
            let from = p.parks.get_index_of(&f.from);
            let to = p.parks.get_index_of(&f.to);
            if k.is_none() {
                let names = p.materials.keys().map(String::as_str).collect();
                self.unknown("material", &f.material, names, path.clone());
            }
            for (id, idx) in [(&f.from, from), (&f.to, to)] {
                if idx.is_none() {
                    let names = p.parks.keys().map(String::as_str).collect();
                    self.unknown("park", id, names, path.clone());
                }
            }
            let (Some(k), Some(from), Some(to)) = (k, from, to) else {
                continue;
            };
            if !f.amount.is_finite() {
                self.violate(
                    Family::Domain,
                    format!("f[{},{},{}]", f.material, f.from, f.to),
                    format!(
                        "the flow of {} from `{}` to `{}` is {}, which is not a finite number",
                        f.material, f.from, f.to, f.amount
                    ),
                    f64::INFINITY,
                    Some(path),
                );
                continue;
            }
            let cost = self.route(from, to, k);
            self.flows.push(Flow {
                k,
                from,
                to,
                amount: f.amount,
                cost,
                index: i,
            });
        }
    }

    fn read_purchases(&mut self, plan: &PlanValues) {
        let p = self.p;
        for (i, b) in plan.purchases.iter().enumerate() {
            let path = format!("purchases.{i}");
            let k = p.materials.get_index_of(&b.material);
            let q = p.parks.get_index_of(&b.park);
            if k.is_none() {
                let names = p.materials.keys().map(String::as_str).collect();
                self.unknown("material", &b.material, names, path.clone());
            }
            if q.is_none() {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", &b.park, names, path.clone());
            }
            let (Some(k), Some(q)) = (k, q) else { continue };
            let constraint = format!("b[{},{}]", b.material, b.park);
            if !b.amount.is_finite() {
                self.violate(
                    Family::Domain,
                    constraint,
                    format!(
                        "the purchase of {} for `{}` is {}, which is not a finite number",
                        b.material, b.park, b.amount
                    ),
                    f64::INFINITY,
                    Some(path),
                );
                continue;
            }
            self.checked += 1;
            if p.materials[k].external.is_none() && b.amount != 0.0 {
                self.violate(
                    Family::Domain,
                    constraint.clone(),
                    format!(
                        "park `{}` buys {} {} from outside, but {} cannot be bought (it has no `external:` terms)",
                        b.park,
                        num(b.amount),
                        b.material,
                        b.material
                    ),
                    b.amount.abs(),
                    Some(path.clone()),
                );
            }
            if let Some(short) = self.over(0.0, b.amount, 0.0) {
                self.violate(
                    Family::Domain,
                    constraint,
                    format!(
                        "park `{}` buys a negative amount of {} ({})",
                        b.park,
                        b.material,
                        num(b.amount)
                    ),
                    short,
                    Some(path),
                );
            }
            self.bought[k][q] += b.amount;
        }
    }

    /// §3: activity at least existing (so never negative), only allowed chains; flows
    /// non-negative and only on allowed routes.
    fn domains(&mut self) {
        let p = self.p;
        for pi in 0..p.parks.len() {
            for c in 0..p.chains.len() {
                let x = self.x[pi][c];
                let (park, chain) = (self.park(pi).to_string(), self.chain(c).to_string());
                let path = Some(format!("activities.{park}.{chain}"));
                let name = format!("x[{park},{chain}]");
                self.checked += 1;
                if !self.allowed(pi, c) && x.abs() > self.allowance(0.0) {
                    self.violate(
                        Family::Domain,
                        name.clone(),
                        format!("park `{park}` runs `{chain}` at {}, but `{chain}` is not in its `allowed` list", num(x)),
                        x.abs(),
                        path.clone(),
                    );
                }
                let e = self.existing(pi, c);
                if let Some(short) = self.over(e, x, 0.0) {
                    let message = if e > 0.0 {
                        format!(
                            "`{chain}` runs at {} in park `{park}`, below its existing activity {} (short by {})",
                            num(x),
                            num(e),
                            num(short)
                        )
                    } else {
                        format!(
                            "`{chain}` runs at {} in park `{park}`: activity cannot be negative",
                            num(x)
                        )
                    };
                    self.violate(Family::Domain, name, message, short, path);
                }
            }
        }
        for i in 0..self.flows.len() {
            let f = &self.flows[i];
            let (k, from, to, amount, cost, index) = (f.k, f.from, f.to, f.amount, f.cost, f.index);
            let (mat, a, b) = (
                self.material(k).to_string(),
                self.park(from).to_string(),
                self.park(to).to_string(),
            );
            let name = format!("f[{mat},{a},{b}]");
            let path = Some(format!("flows.{index}"));
            self.checked += 1;
            if cost.is_none() && amount != 0.0 {
                let why = if p.parks[from].zone.is_some() && p.parks[from].zone == p.parks[to].zone
                {
                    "exchange between parks of one zone is off (`exchange.within_zone: false`)"
                } else {
                    "the parks are in different zones and `exchange.across_zones` is not given"
                };
                self.violate(
                    Family::Domain,
                    name.clone(),
                    format!("{} {mat} flows from `{a}` to `{b}`, but {why}", num(amount)),
                    amount.abs(),
                    path.clone(),
                );
            }
            if let Some(short) = self.over(0.0, amount, 0.0) {
                self.violate(
                    Family::Domain,
                    name,
                    format!(
                        "the flow of {mat} from `{a}` to `{b}` is negative ({})",
                        num(amount)
                    ),
                    short,
                    path,
                );
            }
        }
    }

    /// Use of resource `r` in park `pi`, and the largest term (for the tolerance).
    fn use_in(&self, pi: usize, r: usize) -> (f64, f64) {
        let new_only = self.p.resources[r].applies_to == AppliesTo::New;
        let mut total = 0.0;
        let mut scale: f64 = 0.0;
        for c in 0..self.p.chains.len() {
            let u = self.coef_use(c, r);
            if u == 0.0 {
                continue;
            }
            let a = if new_only {
                self.x[pi][c] - self.existing(pi, c)
            } else {
                self.x[pi][c]
            };
            total += u * a;
            scale = scale.max((u * self.x[pi][c]).abs());
        }
        (total, scale)
    }

    fn what(&self, r: usize) -> String {
        let id = self.resource(r);
        if self.p.resources[r].applies_to == AppliesTo::New {
            format!("{id} (on new activity)")
        } else {
            id.to_string()
        }
    }

    /// §4.1.
    fn park_resources(&mut self) {
        let p = self.p;
        for (pi, (park_id, park)) in p.parks.iter().enumerate() {
            for (r, res_id) in p.resources.keys().enumerate() {
                let Some(&cap) = park.capacity.get(res_id) else {
                    continue;
                };
                let (used, scale) = self.use_in(pi, r);
                if let Some(excess) = self.over(used, cap, scale) {
                    self.violate(
                        Family::ParkResource,
                        format!("{res_id}[{park_id}]"),
                        format!(
                            "park `{park_id}` uses {} {}, above its capacity {} (by {})",
                            num(used),
                            self.what(r),
                            num(cap),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
        }
    }

    /// §4.2.
    fn pools(&mut self) {
        let p = self.p;
        for (r, (res_id, res)) in p.resources.iter().enumerate() {
            let Some(pool) = res.pool else { continue };
            let (mut used, mut scale) = (0.0, 0.0f64);
            for pi in 0..p.parks.len() {
                let (u, s) = self.use_in(pi, r);
                used += u;
                scale = scale.max(s);
            }
            if let Some(excess) = self.over(used, pool, scale) {
                self.violate(
                    Family::Pool,
                    format!("pool[{res_id}]"),
                    format!(
                        "the parks together use {} {}, above the city pool {} (by {})",
                        num(used),
                        self.what(r),
                        num(pool),
                        num(excess)
                    ),
                    excess,
                    None,
                );
            }
        }
    }

    /// §4.3.
    fn chain_limits(&mut self) {
        let p = self.p;
        for (c, (chain_id, chain)) in p.chains.iter().enumerate() {
            if let Some(m) = chain.max_per_park {
                for pi in 0..p.parks.len() {
                    let x = self.x[pi][c];
                    if let Some(excess) = self.over(x, m, 0.0) {
                        let park = self.park(pi).to_string();
                        self.violate(
                            Family::ChainLimit,
                            format!("max_per_park[{park},{chain_id}]"),
                            format!(
                                "`{chain_id}` runs at {} in park `{park}`, above its max_per_park {} (by {})",
                                num(x),
                                num(m),
                                num(excess)
                            ),
                            excess,
                            Some(format!("activities.{park}.{chain_id}")),
                        );
                    }
                }
            }
            if let Some(m) = chain.max_total {
                let total: f64 = (0..p.parks.len()).map(|pi| self.x[pi][c]).sum();
                if let Some(excess) = self.over(total, m, 0.0) {
                    self.violate(
                        Family::ChainLimit,
                        format!("max_total[{chain_id}]"),
                        format!(
                            "`{chain_id}` runs at {} over all parks, above its max_total {} (by {})",
                            num(total),
                            num(m),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
        }
    }

    fn generated(&self, pi: usize, k: usize) -> f64 {
        (0..self.p.chains.len())
            .map(|c| self.coef_material(c, k).max(0.0) * self.x[pi][c])
            .sum()
    }

    fn consumed(&self, pi: usize, k: usize) -> f64 {
        (0..self.p.chains.len())
            .map(|c| (-self.coef_material(c, k)).max(0.0) * self.x[pi][c])
            .sum()
    }

    /// §4.4: out of each park at most what it generates; into each park exactly its feedstock;
    /// purchases within their limit.
    fn material_balance(&mut self) {
        let p = self.p;
        for (k, (mat_id, mat)) in p.materials.iter().enumerate() {
            for (pi, park_id) in p.parks.keys().enumerate() {
                let out: f64 = self
                    .flows
                    .iter()
                    .filter(|f| f.k == k && f.from == pi)
                    .map(|f| f.amount)
                    .sum();
                let generated = self.generated(pi, k);
                if let Some(excess) = self.over(out, generated, 0.0) {
                    self.violate(
                        Family::MaterialOut,
                        format!("out[{mat_id},{park_id}]"),
                        format!(
                            "park `{park_id}` sends out {} {mat_id} but generates only {} (by {})",
                            num(out),
                            num(generated),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
                let inflow: f64 = self
                    .flows
                    .iter()
                    .filter(|f| f.k == k && f.to == pi)
                    .map(|f| f.amount)
                    .sum();
                let bought = self.bought[k][pi];
                let consumed = self.consumed(pi, k);
                let received = inflow + bought;
                let name = format!("in[{mat_id},{park_id}]");
                let scale = inflow.abs().max(bought.abs());
                // One equality, checked as two inequalities.
                self.checked += 1;
                if let Some(short) = self.exceeds(consumed, received, scale) {
                    self.violate(
                        Family::MaterialIn,
                        name.clone(),
                        format!(
                            "park `{park_id}` consumes {} {mat_id} as feedstock but receives only {} (flows {}, purchases {}): short by {}",
                            num(consumed),
                            num(received),
                            num(inflow),
                            num(bought),
                            num(short)
                        ),
                        short,
                        None,
                    );
                } else if let Some(excess) = self.exceeds(received, consumed, scale) {
                    self.violate(
                        Family::MaterialIn,
                        name,
                        format!(
                            "park `{park_id}` receives {} {mat_id} (flows {}, purchases {}) but its chains consume only {}: feedstock must be met exactly, {} too much",
                            num(received),
                            num(inflow),
                            num(bought),
                            num(consumed),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
            if let Some(limit) = mat.external.as_ref().and_then(|e| e.limit) {
                let total: f64 = self.bought[k].iter().sum();
                if let Some(excess) = self.over(total, limit, 0.0) {
                    self.violate(
                        Family::ExternalLimit,
                        format!("external[{mat_id}]"),
                        format!(
                            "the parks buy {} {mat_id} from outside, above the external limit {} (by {})",
                            num(total),
                            num(limit),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
        }
    }

    fn reuse_of(&self, k: usize) -> f64 {
        self.flows
            .iter()
            .filter(|f| f.k == k)
            .map(|f| f.amount)
            .sum()
    }

    fn waste_totals(&self) -> (f64, f64) {
        let mut reuse = 0.0;
        let mut generated = 0.0;
        for (k, mat) in self.p.materials.values().enumerate() {
            if mat.kind == MaterialKind::Waste {
                reuse += self.reuse_of(k);
                generated += (0..self.p.parks.len())
                    .map(|pi| self.generated(pi, k))
                    .sum::<f64>();
            }
        }
        (reuse, generated)
    }

    /// §4.5.
    fn reuse_rate(&mut self) {
        let Some(rate) = self.p.rules.min_reuse_rate else {
            return;
        };
        let (reuse, generated) = self.waste_totals();
        let need = rate * generated;
        if let Some(short) = self.over(need, reuse, generated) {
            self.violate(
                Family::ReuseRate,
                "min_reuse_rate".into(),
                format!(
                    "the parks reuse {} of the {} waste they generate ({:.2} %), below the minimum reuse rate {} % (short by {})",
                    num(reuse),
                    num(generated),
                    if generated > 0.0 { reuse / generated * 100.0 } else { 0.0 },
                    num(rate * 100.0),
                    num(short)
                ),
                short,
                None,
            );
        }
    }

    fn main_chain_references(&mut self, plan: &PlanValues) {
        let p = self.p;
        for (park_id, chain_id) in &plan.main_chains {
            let path = format!("main_chains.{park_id}");
            if !p.parks.contains_key(park_id) {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", park_id, names, path);
            } else if !p.chains.contains_key(chain_id) {
                let names = p.chains.keys().map(String::as_str).collect();
                self.unknown("chain", chain_id, names, path);
            }
        }
    }

    /// §4.6, in its logical form: exactly one main chain per park, one the park may run; a chain
    /// that is neither the main chain nor supported by it stays at its existing activity
    /// (non-strict) or at zero (strict); the main chain makes at least `min_share` of the park's
    /// output value.
    fn one_main_chain(&mut self, plan: &PlanValues, strict: bool, min_share: f64) {
        let p = self.p;
        for park_id in plan.main_chains.keys() {
            if !p.parks.contains_key(park_id) {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", park_id, names, format!("main_chains.{park_id}"));
            }
        }
        for (pi, park_id) in p.parks.keys().enumerate() {
            self.checked += 1;
            let path = format!("main_chains.{park_id}");
            let Some(main_id) = plan.main_chains.get(park_id) else {
                self.violate(
                    Family::OneMainChain,
                    format!("one_main[{park_id}]"),
                    format!("park `{park_id}` has no main chain: One Park, One Main Chain needs exactly one in every park"),
                    1.0,
                    Some("main_chains".into()),
                );
                continue;
            };
            let Some(m) = p.chains.get_index_of(main_id) else {
                let names = p.chains.keys().map(String::as_str).collect();
                self.unknown("chain", main_id, names, path);
                continue;
            };
            if !self.allowed(pi, m) {
                self.violate(
                    Family::OneMainChain,
                    format!("one_main[{park_id}]"),
                    format!("park `{park_id}` has main chain `{main_id}`, which is not in its `allowed` list"),
                    1.0,
                    Some(path.clone()),
                );
                continue;
            }
            let supports = &p.chains[m].supports;
            for c in 0..p.chains.len() {
                let chain_id = self.chain(c).to_string();
                if c == m || supports.contains(&chain_id) {
                    continue;
                }
                let e = if strict { 0.0 } else { self.existing(pi, c) };
                let x = self.x[pi][c];
                if let Some(excess) = self.over(x, e, 0.0) {
                    let message = if strict {
                        format!(
                            "`{chain_id}` runs at {} in park `{park_id}`, but under the strict rule only the main chain `{main_id}` and the chains it supports may run there (by {})",
                            num(x),
                            num(excess)
                        )
                    } else {
                        format!(
                            "`{chain_id}` grows in park `{park_id}` from its existing {} to {}, but only the main chain `{main_id}` and the chains it supports may grow (by {})",
                            num(self.existing(pi, c)),
                            num(x),
                            num(excess)
                        )
                    };
                    self.violate(
                        Family::Growth,
                        format!("grow[{park_id},{chain_id}]"),
                        message,
                        excess,
                        Some(format!("activities.{park_id}.{chain_id}")),
                    );
                }
            }
            if min_share > 0.0 {
                let total: f64 = (0..p.chains.len())
                    .map(|c| p.chains[c].output * self.x[pi][c])
                    .sum();
                let own = p.chains[m].output * self.x[pi][m];
                let need = min_share * total;
                if let Some(short) = self.over(need, own, total) {
                    self.violate(
                        Family::MinShare,
                        format!("share[{park_id},{main_id}]"),
                        format!(
                            "park `{park_id}`'s main chain `{main_id}` makes {} of the park's output value {} ({:.2} %), below min_share {} % (short by {})",
                            num(own),
                            num(total),
                            if total > 0.0 { own / total * 100.0 } else { 0.0 },
                            num(min_share * 100.0),
                            num(short)
                        ),
                        short,
                        Some(format!("activities.{park_id}")),
                    );
                }
            }
        }
    }

    /// §5, recomputed from the plan's values.
    fn parts(&self) -> Parts {
        let p = self.p;
        let output_value: f64 = (0..p.parks.len())
            .flat_map(|pi| (0..p.chains.len()).map(move |c| (pi, c)))
            .map(|(pi, c)| p.chains[c].output * self.x[pi][c])
            .sum();
        let transport_cost: f64 = self
            .flows
            .iter()
            .map(|f| f.cost.unwrap_or(0.0) * f.amount)
            .sum();
        let mut reuse_value = 0.0;
        let mut disposal_cost = 0.0;
        let mut purchase_cost = 0.0;
        for (k, mat) in p.materials.values().enumerate() {
            let reuse = self.reuse_of(k);
            let generated: f64 = (0..p.parks.len()).map(|pi| self.generated(pi, k)).sum();
            reuse_value += mat.reuse_value * reuse;
            disposal_cost += mat.disposal_cost * (generated - reuse);
            let price = mat.external.as_ref().map_or(0.0, |e| e.price);
            purchase_cost += price * self.bought[k].iter().sum::<f64>();
        }
        let (total_reuse, _) = self.waste_totals();
        let objective = p.objective.output * output_value + p.objective.reuse * reuse_value
            - transport_cost
            - purchase_cost
            - disposal_cost;
        Parts {
            objective,
            output_value,
            reuse_value,
            transport_cost,
            purchase_cost,
            disposal_cost,
            total_reuse,
        }
    }

    fn stated(&mut self, plan: &PlanValues, parts: &Parts) {
        let items = [
            ("objective", plan.objective, parts.objective),
            ("output_value", plan.output_value, parts.output_value),
            ("reuse_value", plan.reuse_value, parts.reuse_value),
            ("transport_cost", plan.transport_cost, parts.transport_cost),
            ("purchase_cost", plan.purchase_cost, parts.purchase_cost),
            ("disposal_cost", plan.disposal_cost, parts.disposal_cost),
            ("total_reuse", plan.total_reuse, parts.total_reuse),
        ];
        for (field, stated, computed) in items {
            let Some(stated) = stated else { continue };
            self.checked += 1;
            let diff = (stated - computed).abs();
            let ok = diff <= self.allowance(stated.abs().max(computed.abs()));
            if !ok || !stated.is_finite() {
                self.violate(
                    Family::Objective,
                    field.to_string(),
                    format!(
                        "the plan states {field} {}, but its values give {} (off by {})",
                        num(stated),
                        num(computed),
                        num(diff)
                    ),
                    diff,
                    Some(field.to_string()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::validate::validate;

    const PROBLEM: &str = "
resources: { land: {}, funds: { applies_to: new, pool: 4 } }
zones: { n: {}, s: {} }
parks:
  a: { zone: n, capacity: { land: 6 }, existing: { steel: 1 } }
  b: { zone: n, capacity: { land: 4 }, allowed: [bricks] }
  c: { zone: s, capacity: { land: 4 }, allowed: [bricks] }
chains:
  steel: { output: 3, uses: { land: 1, funds: 1 }, materials: { slag: 2 }, max_per_park: 3 }
  bricks: { output: 1, uses: { land: 1 }, materials: { slag: -1 }, max_per_park: 4 }
materials:
  slag: { reuse_value: 0.5, disposal_cost: 0.1, external: { price: 2, limit: 1 } }
";

    fn valid(text: &str) -> ValidProblem {
        validate(serde_yaml::from_str(text).unwrap()).unwrap()
    }

    fn plan(text: &str) -> PlanValues {
        PlanFile::parse("plan.yaml".as_ref(), text.to_string())
            .unwrap()
            .values
    }

    const GOOD: &str = "
activities: { a: { steel: 3, bricks: 1 }, b: { bricks: 4 } }
flows:
  - { material: slag, from: a, to: a, amount: 1 }
  - { material: slag, from: a, to: b, amount: 4 }
purchases: []
objective: 16.4
";

    #[test]
    fn a_feasible_plan_passes_and_its_objective_is_recomputed() {
        let v = verify(&valid(PROBLEM), &plan(GOOD), DEFAULT_TOLERANCE);
        assert!(v.ok(), "{:?}", v.violations);
        // output 9 + 1 + 4 = 14, reuse 5·0.5 = 2.5, disposal (6 − 5)·0.1 = 0.1
        assert!((v.recomputed.objective - 16.4).abs() < 1e-12, "{v:?}");
    }

    #[test]
    fn a_wrong_objective_is_reported() {
        let v = verify(
            &valid(PROBLEM),
            &plan(&GOOD.replace("16.4", "17")),
            DEFAULT_TOLERANCE,
        );
        assert_eq!(v.violations.len(), 1);
        assert_eq!(v.violations[0].family, Family::Objective);
        assert!(v.violations[0].message.contains("states objective 17"));
    }

    #[test]
    fn strict_rule_forbids_keeping_unrelated_existing_activity() {
        let problem = "
resources: { land: {} }
parks: { a: { capacity: { land: 10 }, existing: { agri: 2 } } }
chains:
  steel: { output: 4, uses: { land: 1 }, max_per_park: 3 }
  agri: { output: 1, uses: { land: 1 }, max_per_park: 6 }
rules: { one_main_chain: { strict: true } }
";
        let plan = plan("main_chains: { a: steel }\nactivities: { a: { steel: 3, agri: 2 } }\n");
        let v = verify(&valid(problem), &plan, DEFAULT_TOLERANCE);
        assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
        assert_eq!(v.violations[0].family, Family::Growth);
        assert_eq!(v.violations[0].constraint, "grow[a,agri]");
        assert!(v.violations[0].message.contains("strict"));
        // Non-strict, the same plan keeps agri at its existing 2: feasible.
        let v = verify(
            &valid(&problem.replace("strict: true", "strict: false")),
            &plan,
            DEFAULT_TOLERANCE,
        );
        assert!(v.ok(), "{:?}", v.violations);
    }

    #[test]
    fn across_zone_flows_cost_transport_and_purchases_need_external_terms() {
        let problem = PROBLEM.replace(
            "materials:\n",
            "exchange: { across_zones: { cost: { slag: 0.25 } } }\nmaterials:\n",
        );
        let text = "
activities: { a: { steel: 3 }, c: { bricks: 4 } }
flows: [ { material: slag, from: a, to: c, amount: 4 } ]
";
        let v = verify(&valid(&problem), &plan(text), DEFAULT_TOLERANCE);
        assert!(v.ok(), "{:?}", v.violations);
        assert_eq!(v.recomputed.transport_cost, 1.0);
        // Without across-zone exchange the same flow is not allowed.
        let v = verify(&valid(PROBLEM), &plan(text), DEFAULT_TOLERANCE);
        assert_eq!(v.violations[0].family, Family::Domain);
        assert_eq!(v.violations[0].constraint, "f[slag,a,c]");
        // A material without `external:` cannot be bought.
        let no_external = PROBLEM.replace(", external: { price: 2, limit: 1 }", "");
        let text = "
activities: { a: { steel: 1 }, b: { bricks: 1 } }
purchases: [ { material: slag, park: b, amount: 1 } ]
";
        let v = verify(&valid(&no_external), &plan(text), DEFAULT_TOLERANCE);
        assert_eq!(v.violations.len(), 1, "{:?}", v.violations);
        assert!(v.violations[0].message.contains("cannot be bought"));
    }

    #[test]
    fn numbers_read_cleanly() {
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(1e-7), "1e-7");
        assert_eq!(num(0.0), "0");
    }

    #[test]
    fn unknown_fields_are_refused_with_a_hint() {
        let err = PlanFile::parse(
            "plan.yaml".as_ref(),
            "activites: { a: { steel: 1 } }\n".into(),
        )
        .unwrap_err();
        assert_eq!(err.items[0].message, "unknown field `activites`");
        assert_eq!(
            err.items[0].help.as_deref(),
            Some("did you mean `activities`?")
        );
    }
}
