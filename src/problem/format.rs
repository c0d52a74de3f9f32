//! The problem file format: serde structs that mirror the YAML of `MODEL.md` §2–§6 one to one.
//!
//! These types only describe shape and defaults; whether the values make sense together is
//! [`crate::problem::validate`]'s business. Every struct denies unknown fields, so a misspelt key is
//! an error rather than a silently ignored line.

use indexmap::IndexMap;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// An ordered map keyed by ids: file order is kept so reports list parks as the planner wrote them.
pub type Map<V> = IndexMap<String, V>;

mod variants;

pub use variants::{Measure, Period, Scenario, Sweep, SweepValues, Uncertainty};

/// A whole problem file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Human-readable title of the problem.
    #[serde(default)]
    pub name: Option<String>,
    /// Free text shown in reports.
    #[serde(default)]
    pub description: Option<String>,
    /// Unit labels for reports (`land: km2`, `output: bn CNY/yr`, …); never converted.
    #[serde(default)]
    pub units: Map<String>,
    /// Scarce resources (land, water, power, funds, …).
    #[serde(default)]
    pub resources: Map<Resource>,
    /// Zones; parks in one zone are partner parks and may exchange materials.
    #[serde(default)]
    pub zones: Map<Zone>,
    /// Industrial parks (at least one).
    #[serde(default)]
    #[schemars(extend("minProperties" = 1))]
    pub parks: Map<Park>,
    /// Industrial chains a park may run (at least one).
    #[serde(default)]
    #[schemars(extend("minProperties" = 1))]
    pub chains: Map<Chain>,
    /// Wastes and by-products that chains generate and consume.
    #[serde(default)]
    pub materials: Map<Material>,
    /// Which parks may send materials to which.
    #[serde(default)]
    pub exchange: Exchange,
    /// Planning rules: one main chain per park, minimum reuse rate.
    #[serde(default)]
    pub rules: Rules,
    /// Objective weights.
    #[serde(default)]
    pub objective: ObjectiveWeights,
    /// The known optimum of the base problem.
    #[serde(default)]
    pub expected: Option<Expected>,
    /// Named sets of changes to the base problem.
    #[serde(default)]
    pub scenarios: Map<Scenario>,
    /// Parameter sweeps: paths varied over lists or ranges of values.
    #[serde(default)]
    pub sweeps: Map<Sweep>,
    /// The scenarios one robust main-chain assignment must serve, with their probabilities
    /// (`parkplan robust`).
    #[serde(default)]
    pub uncertainty: Option<Uncertainty>,
    /// Planning periods in order (MODEL.md §9): each period's name and how its data differ from
    /// the period before. Empty for a problem of one period, as written.
    #[serde(default)]
    pub periods: Map<Period>,
}

/// A resource such as land or funds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Unit label.
    #[serde(default)]
    pub unit: Option<String>,
    /// City-wide limit on the sum of every park's use.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub pool: Option<f64>,
    /// Whether use counts total activity or only new activity (`x − existing`).
    #[serde(default)]
    pub applies_to: AppliesTo,
}

/// What activity a resource's use is counted on.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    /// All activity, existing and new (land, water, power).
    #[default]
    Total,
    /// New activity only (capital cost).
    New,
}

/// A zone of partner parks.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// An industrial park.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Park {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The zone the park belongs to; parks without a zone have no partners.
    #[serde(default)]
    pub zone: Option<String>,
    /// Limit of each resource in this park.
    #[serde(default)]
    #[schemars(transform = crate::problem::json_schema::non_negative_values)]
    pub capacity: Map<f64>,
    /// Activity already built, per chain.
    #[serde(default)]
    #[schemars(transform = crate::problem::json_schema::non_negative_values)]
    pub existing: Map<f64>,
    /// The chains this park may run; all chains when absent.
    #[serde(default)]
    pub allowed: Option<Vec<String>>,
}

/// An industrial chain, with coefficients per unit of activity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Unit of activity (GW, Mt/yr, …).
    #[serde(default)]
    pub unit: Option<String>,
    /// Output value per unit of activity; required (`0` for a chain that yields no value of its
    /// own), so that a forgotten `output:` is an error, not a chain silently worth nothing.
    #[schemars(range(min = 0))]
    pub output: f64,
    /// Resource use per unit; negative means the chain produces the resource.
    #[serde(default)]
    pub uses: Map<f64>,
    /// Material generated (positive) or consumed as feedstock (negative) per unit.
    #[serde(default)]
    pub materials: Map<f64>,
    /// Chains that may grow in a park whose main chain is this one.
    #[serde(default)]
    pub supports: Vec<String>,
    /// Upper limit on activity in any one park.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub max_per_park: Option<f64>,
    /// Upper limit on activity summed over all parks.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub max_total: Option<f64>,
    /// How new plant of this chain is built (MODEL.md §12): in whole units, above a minimum
    /// scale, with a fixed outlay once a park builds any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
}

/// How new plant of a chain comes (MODEL.md §12). New activity is `x − existing` in each park.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// New activity comes in whole units of this size (a 0.6 GW power set, a 1 Mt/yr coke
    /// battery).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub unit: Option<f64>,
    /// New activity is 0 or at least this much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub min: Option<f64>,
    /// Resources used once, whatever the size, by a park that builds any new activity of the
    /// chain (a gas pipeline, a rail spur): resource id to amount.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schemars(transform = crate::problem::json_schema::non_negative_values)]
    pub fixed: Map<f64>,
}

impl Build {
    /// Whether new activity needs the switch "built or not" (`z`): a minimum or a fixed outlay.
    pub fn needs_switch(&self) -> bool {
        self.min.is_some() || !self.fixed.is_empty()
    }
}

/// A material: a waste or a by-product.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Unit label.
    #[serde(default)]
    pub unit: Option<String>,
    /// Waste (counts towards the reuse rate) or product.
    #[serde(default)]
    pub kind: MaterialKind,
    /// Value of each unit reused.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub reuse_value: f64,
    /// Cost of each unit generated and not reused.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub disposal_cost: f64,
    /// Purchase from outside the city.
    #[serde(default)]
    pub external: Option<External>,
}

/// Whether a material is a waste or a product.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MaterialKind {
    /// A waste: counted in the minimum reuse rate and the Pareto front.
    #[default]
    Waste,
    /// A product or by-product.
    Product,
}

/// Terms of buying a material from outside.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct External {
    /// Price per unit bought.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub price: f64,
    /// Most that can be bought, summed over parks.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub limit: Option<f64>,
}

/// Exchange rules for materials between parks.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// Parks of one zone may exchange materials (default true).
    #[serde(default = "yes")]
    pub within_zone: bool,
    /// Exchange across zones, with a cost per unit moved.
    #[serde(default)]
    pub across_zones: Option<AcrossZones>,
}

impl Default for Exchange {
    fn default() -> Self {
        Exchange {
            within_zone: true,
            across_zones: None,
        }
    }
}

/// Exchange across zones: `true`, or a map with costs per material.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum AcrossZones {
    /// `across_zones: true` allows exchange at no cost; `false` forbids it.
    Flag(bool),
    /// `across_zones: { cost: { fly_ash: 0.02 } }`.
    Costs(AcrossZonesCosts),
}

/// Costs of moving materials across zones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcrossZonesCosts {
    /// Cost per unit moved, per material (default 0).
    #[serde(default)]
    #[schemars(transform = crate::problem::json_schema::non_negative_values)]
    pub cost: Map<f64>,
}

/// Planning rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// "One Park, One Main Chain".
    #[serde(default)]
    pub one_main_chain: Option<OneMainChainRule>,
    /// Least share of generated waste that must be reused, a fraction from 0 to 1.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub min_reuse_rate: Option<f64>,
}

/// `one_main_chain: true` or the full settings block.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum OneMainChainRule {
    /// `one_main_chain: true` switches the rule on with default settings.
    Flag(bool),
    /// The full settings.
    Settings(OneMainChain),
}

/// Settings of the one-main-chain rule.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OneMainChain {
    /// The rule is on when the block is given, unless this is false.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Least share of the park's output value that the main chain must produce, a fraction from
    /// 0 to 1.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub min_share: f64,
    /// Unrelated existing industry must go (true) or may stay without growing (false).
    #[serde(default)]
    pub strict: bool,
}

impl Default for OneMainChain {
    fn default() -> Self {
        OneMainChain {
            enabled: true,
            min_share: 0.0,
            strict: false,
        }
    }
}

impl OneMainChainRule {
    /// The settings in force, or `None` when the rule is off.
    pub fn settings(&self) -> Option<OneMainChain> {
        match self {
            OneMainChainRule::Flag(false) => None,
            OneMainChainRule::Flag(true) => Some(OneMainChain::default()),
            OneMainChainRule::Settings(s) if s.enabled => Some(s.clone()),
            OneMainChainRule::Settings(_) => None,
        }
    }
}

/// Objective weights.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveWeights {
    /// Weight of total output value (default 1).
    #[serde(default = "one")]
    #[schemars(range(min = 0))]
    pub output: f64,
    /// Weight of total reuse value (default 1).
    #[serde(default = "one")]
    #[schemars(range(min = 0))]
    pub reuse: f64,
    /// Discount rate per year over the periods of a multi-period problem (MODEL.md §9; default
    /// 0, which makes the objective the plain total over the horizon).
    #[serde(default)]
    pub discount_rate: f64,
}

impl Default for ObjectiveWeights {
    fn default() -> Self {
        ObjectiveWeights {
            output: 1.0,
            reuse: 1.0,
            discount_rate: 0.0,
        }
    }
}

/// A known optimum.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The expected solve status (default optimal).
    #[serde(default)]
    pub status: Option<ExpectedStatus>,
    /// The optimal objective value.
    #[serde(default)]
    pub objective: Option<f64>,
    /// Relative tolerance on the objective (default 1e-6).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub tolerance: Option<f64>,
    /// The main chain of each park, where the optimum is unique.
    #[serde(default)]
    pub main_chains: Option<Map<String>>,
    /// The robust optimum over the file's `uncertainty:` scenarios (`parkplan robust`).
    #[serde(default)]
    pub robust: Option<ExpectedRobust>,
    /// The ranked near-optimal plans (`parkplan alternatives`, `--differ 1`), best first.
    #[serde(default)]
    pub alternatives: Option<Vec<ExpectedAlternative>>,
}

/// The known robust optimum of a file's `uncertainty:` block.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRobust {
    /// The robust objective RP (expected or worst-case, by the block's measure).
    pub objective: f64,
    /// The robust main chain of each park, where it is unique.
    #[serde(default)]
    pub main_chains: Option<Map<String>>,
    /// The value of the stochastic solution, RP − EEV.
    #[serde(default)]
    pub vss: Option<f64>,
    /// The expected value of perfect information, WS − RP.
    #[serde(default)]
    pub evpi: Option<f64>,
}

/// One plan of a known list of alternatives.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedAlternative {
    /// The plan's objective.
    pub objective: f64,
    /// Its main chain in each park, where no other assignment ties with it.
    #[serde(default)]
    pub main_chains: Option<Map<String>>,
}

/// The status a problem is known to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExpectedStatus {
    /// Solves to an optimum.
    Optimal,
    /// Has no feasible plan.
    Infeasible,
    /// The objective can grow without limit.
    Unbounded,
}

/// Deserialises `T` from a document node, keeping the inner error's own message (untagged enums
/// would replace it with "did not match any variant").
pub(super) fn inner<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
    v: serde_yaml::Value,
) -> Result<T, D::Error> {
    T::deserialize(v).map_err(D::Error::custom)
}

impl<'de> Deserialize<'de> for AcrossZones {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::Bool(b) => Ok(AcrossZones::Flag(b)),
            other => inner::<_, D>(other).map(AcrossZones::Costs),
        }
    }
}

impl<'de> Deserialize<'de> for OneMainChainRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::Bool(b) => Ok(OneMainChainRule::Flag(b)),
            other @ serde_yaml::Value::Mapping(_) => {
                inner::<_, D>(other).map(OneMainChainRule::Settings)
            }
            other => Err(D::Error::custom(format!(
                "expected `true`, `false` or a mapping such as `{{ min_share: 0.5 }}`, found {}",
                kind_of(&other)
            ))),
        }
    }
}

/// A whole number from 0 to `most`, read from any number a document writes (`5`, `5.0`,
/// `1e3`); anything else is refused with `accepts`, the values the field takes in words, and
/// nothing (`~`) is `None`. serde's own refusal of an integer field reads "expected a whole number
/// of 0 or more" even for `1e20` or `5000000000`, which are whole numbers, only too large.
pub(super) fn whole_number<'de, D: Deserializer<'de>>(
    d: D,
    most: u64,
    accepts: &str,
) -> Result<Option<u64>, D::Error> {
    use serde::de::Unexpected;
    let v = serde_yaml::Value::deserialize(d)?;
    let refused = match &v {
        serde_yaml::Value::Null => return Ok(None),
        serde_yaml::Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) if u <= most => return Ok(Some(u)),
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            // A whole float within the range (`5.0`, `1e3`) is the number it writes; `as` is exact
            // there, since `most` is far below 2^53 or the float is an integer anyway.
            (None, None, Some(x)) if x.fract() == 0.0 && x >= 0.0 && x <= most as f64 => {
                return Ok(Some(x as u64));
            }
            (None, None, Some(x)) => Unexpected::Float(x),
            (None, None, None) => Unexpected::Other("a number"),
        },
        serde_yaml::Value::String(text) => {
            return Err(D::Error::invalid_type(Unexpected::Str(text), &accepts));
        }
        serde_yaml::Value::Bool(b) => Unexpected::Bool(*b),
        serde_yaml::Value::Sequence(_) => Unexpected::Seq,
        serde_yaml::Value::Mapping(_) => Unexpected::Map,
        serde_yaml::Value::Tagged(_) => Unexpected::Other("a tagged value"),
    };
    Err(D::Error::invalid_value(refused, &accepts))
}

/// A value's kind as a planner reads it, for "expected …, found …".
pub(super) fn kind_of(v: &serde_yaml::Value) -> String {
    use crate::util::numbers::fmt_exact;
    match v {
        serde_yaml::Value::Null => "nothing (an empty value or `~`)".into(),
        serde_yaml::Value::Bool(b) => format!("`{b}`"),
        serde_yaml::Value::Number(n) => n.as_f64().map(fmt_exact).unwrap_or_default(),
        serde_yaml::Value::String(s) => format!("the text {s:?}"),
        serde_yaml::Value::Sequence(_) => "a list".into(),
        serde_yaml::Value::Mapping(_) => "a mapping".into(),
        serde_yaml::Value::Tagged(_) => "a tagged value".into(),
    }
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}
