//! Every number of the HTML and Markdown reports by what it measures: one helper picks the
//! precision of a quantity and its unit, so that the same quantity has the same decimals in every
//! table, sentence and chart of a report, and no number stands without saying what it is.
//!
//! A quantity is printed with three decimals, or one when its largest magnitude in the report's
//! plans (every period of them included) is 1000 or more: power in GWh/yr reads `-2457.1` beside
//! its pool `650.0`, never beside `650.000`. Its unit is the problem's (`units:` and a
//! resource's `unit:`, else the plans' `units`); a quantity the file gives no unit for is named
//! in words (`output-value units`).

use super::ReportInput;
use crate::plan::Plan;
use crate::util::numbers::pretty_unit;

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity<'a> {
    /// The objective of MODEL.md §5 (and its changes), in the unit of output value.
    Objective,
    /// Output value, reuse value and costs (`units.output`).
    Value,
    /// An amount of material: flows, purchases, waste reused (`units.materials`).
    Material,
    /// Use, capacity or slack of a resource (its `unit`, else `units.<id>`).
    Resource(&'a str),
    /// A shadow price: objective gained per unit of a resource (the terminal table's).
    Price,
}

impl Quantity<'_> {
    /// The key of the problem's `units:` that labels it.
    fn key(self) -> &'static str {
        match self {
            Quantity::Objective | Quantity::Value | Quantity::Price => "output",
            Quantity::Material => "materials",
            Quantity::Resource(_) => "",
        }
    }
}

/// Every value of quantity `q` a plan holds.
fn values(plan: &Plan, q: Quantity) -> Vec<f64> {
    let mut v: Vec<f64> = Vec::new();
    match q {
        Quantity::Objective => {
            v.extend(plan.objective);
            v.extend(plan.tie.as_ref().map(|t| t.objective));
            // A horizon's periods weighted, as its objective sums them.
            v.extend(
                plan.periods
                    .iter()
                    .filter_map(|p| p.plan.objective.map(|o| o * p.weight)),
            );
        }
        Quantity::Value => {
            v.extend([plan.output_value, plan.reuse_value].into_iter().flatten());
            v.extend(
                [plan.transport_cost, plan.purchase_cost, plan.disposal_cost]
                    .into_iter()
                    .flatten(),
            );
            v.extend(plan.park_output.values());
            v.extend(plan.chain_output.values().flat_map(|m| m.values()));
        }
        Quantity::Material => {
            v.extend(plan.total_reuse);
            v.extend(plan.flows.iter().map(|f| f.amount));
            v.extend(plan.purchases.iter().map(|b| b.amount));
            for m in &plan.materials {
                v.extend([m.generated, m.reused, m.bought, m.disposed]);
            }
        }
        Quantity::Resource(id) => {
            for r in plan.resources.iter().filter(|r| r.resource == id) {
                v.extend([r.used, r.capacity, r.slack]);
            }
        }
        Quantity::Price => v.extend(plan.resources.iter().filter_map(|r| r.shadow_price)),
    }
    v
}

/// The decimals quantity `q` is printed with over `plans` (each with its periods): 1 when its
/// largest magnitude is 1000 or more, else 3.
pub fn decimals<'p>(plans: impl IntoIterator<Item = &'p Plan>, q: Quantity) -> usize {
    let largest = plans
        .into_iter()
        .flat_map(|p| std::iter::once(p).chain(p.periods.iter().map(|pp| &pp.plan)))
        .flat_map(|p| values(p, q))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    if largest >= 1000.0 { 1 } else { 3 }
}

/// `v` with `d` decimals, never `-0.000`.
pub fn fixed(v: f64, d: usize) -> String {
    let s = format!("{v:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

impl ReportInput<'_> {
    /// The decimals quantity `q` is printed with in this report: 1 when its largest magnitude is
    /// 1000 or more, else 3.
    pub fn decimals(&self, q: Quantity) -> usize {
        decimals(self.plans.iter().map(|np| &np.plan), q)
    }

    /// A value of `q` at the report's precision for it (`–` when missing).
    pub fn num(&self, q: Quantity, v: Option<f64>) -> String {
        let Some(v) = v.filter(|v| v.is_finite()) else {
            return "–".into();
        };
        fixed(v, self.decimals(q))
    }

    /// A change of `q` with its sign (`+1.250`, `−0.500`, a true minus), empty when it prints as
    /// no change at the report's precision.
    pub fn delta(&self, q: Quantity, d: Option<f64>) -> String {
        let Some(d) = d else { return String::new() };
        let s = self.num(q, Some(d.abs()));
        if s.chars().all(|c| c == '0' || c == '.') {
            String::new()
        } else if d > 0.0 {
            format!("+{s}")
        } else {
            format!("−{s}")
        }
    }

    /// The unit of `q` as people write it (`bn CNY/yr`, `km²`), or what the number is in words
    /// when the problem gives no unit (`output-value units`, `units of land`).
    pub fn unit_q(&self, q: Quantity) -> String {
        let (key, words) = match q {
            Quantity::Objective | Quantity::Value => (q.key(), "output-value units".to_string()),
            Quantity::Material => (q.key(), "material units".to_string()),
            Quantity::Resource(id) => (id, format!("units of {id}")),
            Quantity::Price => {
                let per = self
                    .unit(q.key())
                    .map(|u| pretty_unit(&u))
                    .unwrap_or_else(|| "output-value units".into());
                return format!("{per} per unit");
            }
        };
        self.unit(key).map(|u| pretty_unit(&u)).unwrap_or(words)
    }

    /// `value unit` (`141.171 bn CNY/yr`), `–` when missing.
    pub fn amount(&self, q: Quantity, v: Option<f64>) -> String {
        match v.filter(|v| v.is_finite()) {
            Some(_) => format!("{} {}", self.num(q, v), self.unit_q(q)),
            None => "–".into(),
        }
    }

    /// A column heading or axis label: `name (unit)`.
    pub fn head(&self, name: &str, q: Quantity) -> String {
        format!("{name} ({})", self.unit_q(q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::compare::NamedPlan;
    use crate::plan::ResourceUse;

    fn plan(used: f64, capacity: f64) -> Plan {
        let mut p: Plan =
            serde_json::from_str(r#"{"objective": 12.5, "output_value": 3.25}"#).unwrap();
        p.resources.push(ResourceUse {
            park: None,
            resource: "power".into(),
            used,
            capacity,
            utilisation: None,
            slack: capacity - used,
            fixed: None,
            shadow_price: None,
            price_range: None,
        });
        p.units.insert("power".into(), "GWh/yr".into());
        p
    }

    fn input(plans: &[NamedPlan]) -> ReportInput<'_> {
        ReportInput {
            title: "t",
            plans,
            problem: None,
            base: 0,
            rows: &[],
            fronts: &[],
            notes: &[],
            designations: &[],
        }
    }

    #[test]
    fn one_quantity_has_one_precision() {
        let plans = [NamedPlan {
            label: "base".into(),
            plan: plan(-2457.14, 650.0),
        }];
        let i = input(&plans);
        let power = Quantity::Resource("power");
        assert_eq!(i.num(power, Some(-2457.14)), "-2457.1");
        assert_eq!(i.num(power, Some(650.0)), "650.0");
        assert_eq!(i.num(power, Some(0.0)), "0.0");
        assert_eq!(i.num(Quantity::Value, Some(3.25)), "3.250");
        assert_eq!(i.num(Quantity::Value, Some(-0.0001)), "0.000");
        assert_eq!(i.num(Quantity::Value, None), "–");
    }

    #[test]
    fn units_come_from_the_plans_or_are_named_in_words() {
        let plans = [NamedPlan {
            label: "base".into(),
            plan: plan(1.0, 2.0),
        }];
        let i = input(&plans);
        assert_eq!(
            i.amount(Quantity::Resource("power"), Some(1.0)),
            "1.000 GWh/yr"
        );
        assert_eq!(
            i.amount(Quantity::Value, Some(3.25)),
            "3.250 output-value units"
        );
        assert_eq!(
            i.head("land use", Quantity::Resource("land")),
            "land use (units of land)"
        );
        assert_eq!(i.delta(Quantity::Value, Some(-0.5)), "−0.500");
        assert_eq!(i.delta(Quantity::Value, Some(0.0001)), "");
    }
}
