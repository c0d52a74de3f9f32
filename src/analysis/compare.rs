//! Plans side by side: for every park its main chain, activities, output value, resource use and
//! waste reuse in each plan, with the change against a base plan; then the city-wide totals.
//!
//! A [`Comparison`] is built from labelled plans alone ([`NamedPlan`]), wherever they come from:
//! plan files written by `solve -o`, a comparison file, a folder of plan files, or the base and
//! scenarios of a problem file solved on the spot (see [`input`]). It keeps the plans it compares,
//! so a comparison file can itself be turned into a report. Rendering lives in one file per
//! format: [`table`], [`markdown`], [`csv`]; JSON is the struct itself. Multi-period plans are
//! also set side by side period by period ([`periods`]).
//!
//! It passes 600 lines by its unit tests; the comparison itself (matching plans, per-park and per-
//! zone changes) is one pass kept in one place.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::problem::Problem;
use crate::problem::format::MaterialKind;

mod periods;

pub use periods::PeriodLines;

/// A plan with the label it is shown under (its variant name, or its file's name when variants
/// repeat).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NamedPlan {
    /// The column heading.
    pub label: String,
    /// The plan.
    pub plan: Plan,
}

/// Several plans side by side.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    /// The problem's name (of the first plan that gives one).
    #[serde(default)]
    pub problem: Option<String>,
    /// The label of the plan the others are compared with.
    pub base: String,
    /// Labels in column order; every `values` and `deltas` list follows it.
    pub variants: Vec<String>,
    /// One table per park, in the plans' park order.
    pub parks: Vec<ParkLines>,
    /// City-wide totals and pools.
    pub totals: Vec<Line>,
    /// The plans compared, in column order.
    pub plans: Vec<NamedPlan>,
    /// Multi-period plans period by period (MODEL.md §9); empty (and not written) when no plan
    /// compared has periods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<PeriodLines>,
}

/// The lines of one park.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParkLines {
    /// Park id.
    pub park: String,
    /// Main chain, activities, output value, resource use, waste reuse.
    pub lines: Vec<Line>,
}

/// One line of a table: an item in every plan.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Line {
    /// A stable key: `main_chain`, `activity:<chain>`, `units:<chain>`, `output_value`, `resource:<id>`,
    /// `waste_reused`, `objective`, `pool:<id>`, …
    pub item: String,
    /// The label shown to people.
    pub label: String,
    /// The unit, when the problem gives one.
    #[serde(default)]
    pub unit: Option<String>,
    /// The value in each plan (`null` where the plan has none, e.g. an infeasible variant).
    pub values: Vec<Value>,
    /// Value − base value, for numbers present in both.
    pub deltas: Vec<Option<f64>>,
}

/// A cell: a number, a name (main chain, status) or nothing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Value {
    /// A quantity.
    Number(f64),
    /// A name.
    Text(String),
    /// No value in this plan.
    Missing,
}

impl Value {
    fn number(&self) -> Option<f64> {
        match self {
            Value::Number(v) => Some(*v),
            _ => None,
        }
    }
}

impl Line {
    /// Whether any plan's value differs from the base (numbers beyond 1e-9, names at all).
    pub fn differs(&self, base: usize) -> bool {
        self.values
            .iter()
            .any(|v| !same(v, self.values.get(base).unwrap_or(&Value::Missing)))
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        _ => a == b,
    }
}

/// Why plans cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Nothing to compare.
    #[error("no plans to compare")]
    Empty,
    /// The plans are of different problems (by the problem's name each plan records).
    #[error(
        "the plans are of different problems: `{first_label}` of \"{first}\", `{other_label}` of \"{other}\"\n  = help: compare plans of one problem, or pass --mixed-problems to set them side by side anyway"
    )]
    DifferentProblems {
        /// The first plan's label.
        first_label: String,
        /// Its problem.
        first: String,
        /// The first plan of another problem.
        other_label: String,
        /// That problem.
        other: String,
    },
    /// `--base` names no plan.
    #[error("no plan is labelled `{name}`; the plans are: {known}")]
    NoBase {
        /// The label asked for.
        name: String,
        /// The labels there are.
        known: String,
    },
}

/// Refuses plans of different problems: side by side, their parks and chains would read as one
/// plan's changes. Plans that record no problem (written by hand) go with any.
pub fn same_problem(plans: &[NamedPlan]) -> Result<(), CompareError> {
    let mut named = plans.iter().filter_map(|p| {
        p.plan
            .problem
            .as_deref()
            .map(|name| (p.label.as_str(), name))
    });
    let Some((first_label, first)) = named.next() else {
        return Ok(());
    };
    match named.find(|(_, name)| *name != first) {
        Some((other_label, other)) => Err(CompareError::DifferentProblems {
            first_label: first_label.into(),
            first: first.into(),
            other_label: other_label.into(),
            other: other.into(),
        }),
        None => Ok(()),
    }
}

/// Compares plans against the one labelled `base` (default: the plan labelled `base`, else the
/// first). `problem`, when known, gives units and the file's order of chains.
pub fn compare(
    plans: Vec<NamedPlan>,
    base: Option<&str>,
    problem: Option<&Problem>,
) -> Result<Comparison, CompareError> {
    if plans.is_empty() {
        return Err(CompareError::Empty);
    }
    let variants: Vec<String> = plans.iter().map(|p| p.label.clone()).collect();
    let b = base_index(&variants, base)?;
    let cols = Columns {
        plans: &plans,
        base: b,
        problem,
    };
    let parks = first_seen(
        plans
            .iter()
            .flat_map(|np| np.plan.park_output.keys().chain(np.plan.activities.keys())),
    );
    let park_lines = parks
        .iter()
        .map(|park| ParkLines {
            park: park.clone(),
            lines: cols.park_lines(park),
        })
        .collect();
    let totals = cols.totals();
    let periods = cols.periods();
    Ok(Comparison {
        problem: plans.iter().find_map(|p| p.plan.problem.clone()),
        base: variants[b].clone(),
        variants,
        parks: park_lines,
        totals,
        periods,
        plans,
    })
}

/// The position of the base plan among `variants`: the one `base` names (an error when no plan is
/// labelled so); without `base`, the plan labelled `base`, else the first.
fn base_index(variants: &[String], base: Option<&str>) -> Result<usize, CompareError> {
    Ok(match base {
        Some(name) => {
            variants
                .iter()
                .position(|v| v == name)
                .ok_or_else(|| CompareError::NoBase {
                    name: name.into(),
                    known: variants.join(", "),
                })?
        }
        None => variants
            .iter()
            .position(|v| v == crate::variant::BASE)
            .unwrap_or(0),
    })
}

/// The distinct names among `names`, in the order they are first seen.
fn first_seen<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// The plans compared, the base's position among them, and the problem when known: what every
/// line is built from.
struct Columns<'a> {
    plans: &'a [NamedPlan],
    base: usize,
    problem: Option<&'a Problem>,
}

impl Columns<'_> {
    /// The problem's unit for `key`, when it gives one.
    fn unit(&self, key: &str) -> Option<String> {
        self.problem.and_then(|p| p.units.get(key).cloned())
    }

    /// A line of the value `value` gives in each plan.
    fn line(
        &self,
        item: String,
        label: String,
        unit: Option<String>,
        value: impl Fn(&Plan) -> Value,
    ) -> Line {
        line(item, label, unit, self.plans, self.base, value)
    }

    /// One park's lines: main chain, activities, output value, resource use, waste reuse.
    fn park_lines(&self, park: &str) -> Vec<Line> {
        let mut lines = vec![
            self.line("main_chain".into(), "main chain".into(), None, |p| {
                p.main_chains
                    .get(park)
                    .map_or(Value::Missing, |c| Value::Text(c.clone()))
            }),
        ];
        lines.extend(self.activity_lines(park));
        // MODEL.md §12: the units each plan builds of a chain built in units (its new activity
        // where the chain has a minimum or outlay but no unit size).
        let built = first_seen(self.plans.iter().flat_map(|np| {
            np.plan
                .built_units
                .get(park)
                .into_iter()
                .flat_map(|b| b.keys())
        }));
        for chain in &built {
            let whole = self.plans.iter().any(|np| {
                np.plan
                    .built_units
                    .get(park)
                    .and_then(|b| b.get(chain))
                    .is_some_and(|b| b.units.is_some())
            });
            let label = if whole {
                format!("{chain} units built")
            } else {
                format!("{chain} built")
            };
            lines.push(self.line(format!("units:{chain}"), label, None, |p| {
                number_if_plan(p, || {
                    p.built_units
                        .get(park)
                        .and_then(|b| b.get(chain))
                        .map_or(0.0, |b| b.units.unwrap_or(b.new))
                })
            }));
        }
        lines.push(self.line(
            "output_value".into(),
            "output value".into(),
            self.unit("output"),
            // A plan written by hand states no park output: missing, not 0.
            |p| match p.park_output.is_empty() {
                true => Value::Missing,
                false => number_if_plan(p, || p.park_output.get(park).copied().unwrap_or(0.0)),
            },
        ));
        let resources = first_seen(self.plans.iter().flat_map(|np| {
            np.plan
                .resources
                .iter()
                .filter(|r| r.park.as_deref() == Some(park))
                .map(|r| &r.resource)
        }));
        for res in &resources {
            lines.push(self.line(
                format!("resource:{res}"),
                format!("{res} used"),
                self.unit(res),
                |p| {
                    p.resources
                        .iter()
                        .find(|r| r.park.as_deref() == Some(park) && &r.resource == res)
                        .map_or(Value::Missing, |r| Value::Number(r.used))
                },
            ));
        }
        lines.push(self.line(
            "waste_reused".into(),
            "waste reused".into(),
            self.unit("materials"),
            |p| number_if_plan(p, || waste_sent_on(p, park)),
        ));
        lines
    }

    /// One line per chain active in `park` in any plan, in the problem's chain order when known.
    fn activity_lines(&self, park: &str) -> Vec<Line> {
        let mut chains = first_seen(self.plans.iter().flat_map(|np| {
            np.plan
                .activities
                .get(park)
                .into_iter()
                .flat_map(|a| a.keys())
        }));
        if let Some(p) = self.problem {
            chains.sort_by_key(|c| p.chains.get_index_of(c).unwrap_or(usize::MAX));
        }
        chains
            .iter()
            .map(|chain| {
                let chain_unit = self
                    .problem
                    .and_then(|p| p.chains.get(chain))
                    .and_then(|c| c.unit.clone());
                self.line(
                    format!("activity:{chain}"),
                    chain.clone(),
                    chain_unit,
                    |p| {
                        number_if_plan(p, || {
                            p.activities
                                .get(park)
                                .and_then(|a| a.get(chain))
                                .copied()
                                .unwrap_or(0.0)
                        })
                    },
                )
            })
            .collect()
    }

    /// The city-wide lines: status, objective and its parts, main chains changed, pools.
    fn totals(&self) -> Vec<Line> {
        let mut totals = vec![self.line("status".into(), "status".into(), None, |p| {
            Value::Text(p.status.as_str().into())
        })];
        let out = self.unit("output");
        type Total = (
            &'static str,
            &'static str,
            Option<String>,
            fn(&Plan) -> Option<f64>,
        );
        let sums: [Total; 7] = [
            ("objective", "objective", None, |p| p.objective),
            ("output_value", "output value", out.clone(), |p| {
                p.output_value
            }),
            ("reuse_value", "reuse value", out.clone(), |p| p.reuse_value),
            ("transport_cost", "transport cost", out.clone(), |p| {
                p.transport_cost
            }),
            ("purchase_cost", "purchase cost", out.clone(), |p| {
                p.purchase_cost
            }),
            ("disposal_cost", "disposal cost", out.clone(), |p| {
                p.disposal_cost
            }),
            ("total_reuse", "waste reused", self.unit("materials"), |p| {
                p.total_reuse
            }),
        ];
        for (item, label, u, get) in sums {
            totals.push(self.line(item.into(), label.into(), u, |p| {
                get(p).map_or(Value::Missing, Value::Number)
            }));
        }
        let base_main = &self.plans[self.base].plan.main_chains;
        totals.push(self.line(
            "main_chains_changed".into(),
            "parks with another main chain".into(),
            None,
            |p| {
                number_if_plan(p, || {
                    p.main_chains
                        .iter()
                        .filter(|(park, c)| base_main.get(*park) != Some(*c))
                        .count() as f64
                })
            },
        ));
        // Only when a plan is tied: the main chains of another assignment that reaches its
        // objective within the gap.
        if self.plans.iter().any(|np| np.plan.tie.is_some()) {
            totals.push(self.line(
                "tied_main_chains".into(),
                "tied with (main chains)".into(),
                None,
                |p| {
                    match &p.tie {
                        Some(t) => Value::Text(
                            t.main_chains
                                .iter()
                                .map(|(park, c)| format!("{park} → {c}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                        None => Value::Text("–".into()),
                    }
                },
            ));
        }
        let pools = first_seen(self.plans.iter().flat_map(|np| {
            np.plan
                .resources
                .iter()
                .filter(|r| r.park.is_none())
                .map(|r| &r.resource)
        }));
        for res in &pools {
            totals.push(self.line(
                format!("pool:{res}"),
                format!("pooled {res} used"),
                self.unit(res),
                |p| {
                    p.resources
                        .iter()
                        .find(|r| r.park.is_none() && &r.resource == res)
                        .map_or(Value::Missing, |r| Value::Number(r.used))
                },
            ));
        }
        totals
    }
}

fn number_if_plan(p: &Plan, v: impl FnOnce() -> f64) -> Value {
    if p.status.has_plan() {
        Value::Number(v())
    } else {
        Value::Missing
    }
}

fn line(
    item: String,
    label: String,
    unit: Option<String>,
    plans: &[NamedPlan],
    base: usize,
    value: impl Fn(&Plan) -> Value,
) -> Line {
    let values: Vec<Value> = plans.iter().map(|np| value(&np.plan)).collect();
    let b = values[base].number();
    let deltas = values.iter().map(|v| Some(v.number()? - b?)).collect();
    Line {
        item,
        label,
        unit,
        values,
        deltas,
    }
}

/// Waste generated in `park` and sent to a consumer (in the park or another one).
pub fn waste_sent_on(plan: &Plan, park: &str) -> f64 {
    let waste: IndexMap<&str, bool> = plan
        .materials
        .iter()
        .map(|m| (m.material.as_str(), m.kind == MaterialKind::Waste))
        .collect();
    plan.flows
        .iter()
        .filter(|f| f.from == park && waste.get(f.material.as_str()).copied().unwrap_or(true))
        .map(|f| f.amount)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Flow;
    use crate::solver::SolveStatus;

    fn plan(variant: &str, steel: f64, main: &str) -> NamedPlan {
        let mut p = Plan {
            problem: Some("t".into()),
            variant: variant.into(),
            status: SolveStatus::Optimal,
            objective: Some(3.0 * steel),
            output_value: Some(3.0 * steel),
            reuse_value: Some(0.0),
            transport_cost: Some(0.0),
            purchase_cost: Some(0.0),
            disposal_cost: Some(0.0),
            total_reuse: Some(1.0),
            gap: None,
            stopped_by: None,
            main_chains: IndexMap::new(),
            activities: IndexMap::new(),
            built_units: IndexMap::new(),
            park_output: IndexMap::new(),
            chain_output: IndexMap::new(),
            flows: vec![Flow {
                material: "slag".into(),
                from: "a".into(),
                to: "a".into(),
                amount: 1.0,
            }],
            purchases: vec![],
            resources: vec![],
            materials: vec![],
            shadow_price_basis: None,
            fingerprint: None,
            periods: Vec::new(),
            tie: None,
            units: IndexMap::new(),
            names: Default::default(),
        };
        p.main_chains.insert("a".into(), main.into());
        p.activities.insert(
            "a".into(),
            [("steel".to_string(), steel)].into_iter().collect(),
        );
        p.park_output.insert("a".into(), 3.0 * steel);
        NamedPlan {
            label: variant.into(),
            plan: p,
        }
    }

    #[test]
    fn deltas_are_against_the_base() {
        let c = compare(
            vec![plan("dry", 2.0, "cement"), plan("base", 5.0, "steel")],
            None,
            None,
        )
        .unwrap();
        assert_eq!(c.base, "base");
        let a = &c.parks[0];
        let steel = a.lines.iter().find(|l| l.item == "activity:steel").unwrap();
        assert_eq!(steel.deltas, vec![Some(-3.0), Some(0.0)]);
        let main = &a.lines[0];
        assert_eq!(main.values[0], Value::Text("cement".into()));
        assert!(main.differs(1));
        let changed = c
            .totals
            .iter()
            .find(|l| l.item == "main_chains_changed")
            .unwrap();
        assert_eq!(changed.values, vec![Value::Number(1.0), Value::Number(0.0)]);
        // A material the plan does not list counts as waste.
        let reuse = a.lines.iter().find(|l| l.item == "waste_reused").unwrap();
        assert_eq!(reuse.values[0], Value::Number(1.0));
    }

    #[test]
    fn an_unknown_base_names_the_plans_there_are() {
        let err = compare(vec![plan("base", 1.0, "steel")], Some("bse"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no plan is labelled `bse`; the plans are: base"
        );
    }
}
