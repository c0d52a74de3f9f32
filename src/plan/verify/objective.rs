//! MODEL.md §5: the objective and its parts recomputed from the plan's values, and each part the
//! plan states compared with its recomputed value.

use crate::plan::Plan;

use super::verifier::Verifier;
use super::{Family, Parts, num};

impl Verifier<'_> {
    /// §5, recomputed from the plan's values.
    pub(super) fn parts(&self) -> Parts {
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

    /// Every part of the objective the plan states, against `parts` recomputed.
    pub(super) fn stated(&mut self, plan: &Plan, parts: &Parts) {
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
