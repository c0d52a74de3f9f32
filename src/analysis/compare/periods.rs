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
