//! Multi-period plans side by side, period by period (MODEL.md §9): for each period, matched by
//! name across the plans, every plan's objective per year, weight, weighted objective and output
//! value, and for every park its main chain, output value and what it builds, with the change
//! against the base plan. A plan without the period (a plan of one period, or of another
//! horizon) has no value there.

use super::{Columns, Line, ParkLines, Value, first_seen};
use crate::plan::{PeriodPlan, Plan};

/// One period of the plans compared.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct PeriodLines {
    /// The period's name (`2030`).
    pub period: String,
    /// `objective` (per year), `weight`, `weighted_objective`, `output_value` (per year, as every
    /// value of a period but the weighted objective).
    pub totals: Vec<Line>,
    /// One table per park: `main_chain`, `output_value`, `built:<chain>`.
    pub parks: Vec<ParkLines>,
}

/// The period `name` of a plan with a solution, when it has one.
fn period<'a>(p: &'a Plan, name: &str) -> Option<&'a PeriodPlan> {
    if !p.status.has_plan() {
        return None;
    }
    p.periods.iter().find(|pp| pp.period == name)
}

/// A number of the period `name` of a plan, missing without it.
fn number(p: &Plan, name: &str, f: impl Fn(&PeriodPlan) -> Option<f64>) -> Value {
    period(p, name)
        .and_then(f)
        .map_or(Value::Missing, Value::Number)
}

impl Columns<'_> {
    /// Every period of any plan compared, in the order first seen; empty when no plan has
    /// periods.
    pub(super) fn periods(&self) -> Vec<PeriodLines> {
        let names = first_seen(
            self.plans
                .iter()
                .flat_map(|np| np.plan.periods.iter().map(|pp| &pp.period)),
        );
        names.iter().map(|name| self.period_lines(name)).collect()
    }

    fn period_lines(&self, name: &str) -> PeriodLines {
        let out = self.unit("output");
        let totals = vec![
            self.line("objective".into(), "objective per year".into(), None, |p| {
                number(p, name, |pp| pp.plan.objective)
            }),
            self.line("weight".into(), "weight".into(), None, |p| {
                number(p, name, |pp| Some(pp.weight))
            }),
            self.line(
                "weighted_objective".into(),
                "weighted objective".into(),
                None,
                |p| number(p, name, |pp| pp.plan.objective.map(|o| o * pp.weight)),
            ),
            self.line("output_value".into(), "output value".into(), out, |p| {
                number(p, name, |pp| pp.plan.output_value)
            }),
        ];
        let parks = first_seen(self.plans.iter().flat_map(|np| {
            period(&np.plan, name)
                .into_iter()
                .flat_map(|pp| pp.plan.park_output.keys().chain(pp.plan.main_chains.keys()))
        }));
        let parks = parks
            .iter()
            .map(|park| ParkLines {
                park: park.clone(),
                lines: self.period_park_lines(name, park),
            })
            .collect();
        PeriodLines {
            period: name.to_string(),
            totals,
            parks,
        }
    }

    /// One park in one period: its main chain, output value and what it builds.
    fn period_park_lines(&self, name: &str, park: &str) -> Vec<Line> {
        let mut lines = vec![
            self.line("main_chain".into(), "main chain".into(), None, |p| {
                period(p, name)
                    .and_then(|pp| pp.plan.main_chains.get(park))
                    .map_or(Value::Missing, |c| Value::Text(c.clone()))
            }),
            self.line(
                "output_value".into(),
                "output value".into(),
                self.unit("output"),
                |p| {
                    number(p, name, |pp| {
                        Some(pp.plan.park_output.get(park).copied().unwrap_or(0.0))
                    })
                },
            ),
        ];
        let mut chains = first_seen(self.plans.iter().flat_map(|np| {
            period(&np.plan, name)
                .and_then(|pp| pp.built.get(park))
                .into_iter()
                .flat_map(|b| b.keys())
        }));
        if let Some(p) = self.problem {
            chains.sort_by_key(|c| p.chains.get_index_of(c).unwrap_or(usize::MAX));
        }
        for chain in &chains {
            let unit = self
                .problem
                .and_then(|p| p.chains.get(chain))
                .and_then(|c| c.unit.clone());
            lines.push(self.line(
                format!("built:{chain}"),
                format!("built: {chain}"),
                unit,
                |p| {
                    number(p, name, |pp| {
                        Some(
                            pp.built
                                .get(park)
                                .and_then(|b| b.get(chain))
                                .copied()
                                .unwrap_or(0.0),
                        )
                    })
                },
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NamedPlan, compare};
    use super::*;

    fn named(label: &str, json: serde_json::Value) -> NamedPlan {
        NamedPlan {
            label: label.into(),
            plan: serde_json::from_value(json).unwrap(),
        }
    }

    fn period(name: &str, objective: f64, built: f64) -> serde_json::Value {
        serde_json::json!({
            "period": name, "years": 5, "weight": 4.0,
            "built": { "a": { "steel": built } },
            "objective": objective, "output_value": objective,
            "main_chains": { "a": "steel" }, "park_output": { "a": objective },
        })
    }

    #[test]
    fn periods_are_matched_by_name_and_missing_where_a_plan_has_none() {
        let base = named(
            "base",
            serde_json::json!({
                "objective": 80.0,
                "periods": [period("2025", 8.0, 1.0), period("2030", 12.0, 0.5)],
            }),
        );
        let other = named(
            "dry",
            serde_json::json!({ "objective": 30.0, "periods": [period("2030", 10.0, 2.0)] }),
        );
        let one = named("one", serde_json::json!({ "objective": 9.0 }));
        let c = compare(vec![base, other, one], None, None).unwrap();
        let names: Vec<&str> = c.periods.iter().map(|p| p.period.as_str()).collect();
        assert_eq!(names, ["2025", "2030"]);
        let item = |t: usize, item: &str| c.periods[t].totals.iter().find(|l| l.item == item);
        let weighted = item(1, "weighted_objective").unwrap();
        assert_eq!(
            weighted.values,
            [Value::Number(48.0), Value::Number(40.0), Value::Missing]
        );
        assert_eq!(weighted.deltas, [Some(0.0), Some(-8.0), None]);
        assert_eq!(item(0, "objective").unwrap().values[1], Value::Missing);
        let built = c.periods[1].parks[0]
            .lines
            .iter()
            .find(|l| l.item == "built:steel")
            .unwrap();
        assert_eq!(built.deltas[1], Some(1.5));
    }

    #[test]
    fn plans_of_one_period_have_no_period_lines() {
        let c = compare(
            vec![named("base", serde_json::json!({ "objective": 1.0 }))],
            None,
            None,
        )
        .unwrap();
        assert!(c.periods.is_empty());
        let json = serde_json::to_value(&c).unwrap();
        assert!(json.get("periods").is_none());
    }
}
