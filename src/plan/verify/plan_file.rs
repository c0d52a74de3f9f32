//! Reading a plan file for `verify`: YAML or JSON, the values `verify` checks, with positions
//! for pointing at the file's lines. The other fields `solve` writes (resource use, material
//! balance, shadow prices) are derived and accepted as they are.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::problem::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::problem::load::{Positions, from_document};
use crate::solver::SolveStatus;

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
