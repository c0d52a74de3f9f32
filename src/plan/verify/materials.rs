//! MODEL.md §4.4 and §4.5: what leaves a park is at most what it generates, feedstock is met
//! exactly by flows and purchases, purchases stay within the external limit, and the parks reuse
//! at least the minimum share of the waste they generate. Also the generation and reuse totals
//! the objective (§5) is computed from.

use crate::problem::format::MaterialKind;

use super::verifier::Verifier;
use super::{Family, num};

impl Verifier<'_> {
    /// Material `k` generated in park `pi`: the positive coefficients times activity.
    pub(super) fn generated(&self, pi: usize, k: usize) -> f64 {
        (0..self.p.chains.len())
            .map(|c| self.coef_material(c, k).max(0.0) * self.x[pi][c])
            .sum()
    }

    /// Material `k` consumed as feedstock in park `pi`: the negative coefficients times activity.
    fn consumed(&self, pi: usize, k: usize) -> f64 {
        (0..self.p.chains.len())
            .map(|c| (-self.coef_material(c, k)).max(0.0) * self.x[pi][c])
            .sum()
    }

    /// Reuse of material `k`: everything that flows, within a park or between parks.
    pub(super) fn reuse_of(&self, k: usize) -> f64 {
        self.flows
            .iter()
            .filter(|f| f.k == k)
            .map(|f| f.amount)
            .sum()
    }

    /// Reuse and generation of all waste materials together.
    pub(super) fn waste_totals(&self) -> (f64, f64) {
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

    /// §4.4: out of each park at most what it generates; into each park exactly its feedstock;
    /// purchases within their limit.
    pub(super) fn material_balance(&mut self) {
        let p = self.p;
        for (k, (mat_id, mat)) in p.materials.iter().enumerate() {
            for (pi, park_id) in p.parks.keys().enumerate() {
                self.material_out(k, mat_id, pi, park_id);
                self.material_in(k, mat_id, pi, park_id);
            }
            if let Some(limit) = mat.external.as_ref().and_then(|e| e.limit) {
                self.external_limit(k, mat_id, limit);
            }
        }
    }

    /// §4.4 `out[k,p]`: what park `pi` sends out of material `k` is at most what it generates.
    fn material_out(&mut self, k: usize, mat_id: &str, pi: usize, park_id: &str) {
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
    }

    /// §4.4 `in[k,p]`: what park `pi` receives of material `k` (flows and purchases) is exactly
    /// what its chains consume.
    fn material_in(&mut self, k: usize, mat_id: &str, pi: usize, park_id: &str) {
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
                name,
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

    /// §4.4 `external[k]`: the parks' purchases of material `k` together within its limit.
    fn external_limit(&mut self, k: usize, mat_id: &str, limit: f64) {
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

    /// §4.5.
    pub(super) fn reuse_rate(&mut self) {
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
}
