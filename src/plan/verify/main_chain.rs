//! MODEL.md §4.6, One Park, One Main Chain, in its logical form (no big-M values): exactly one
//! main chain per park, one the park may run; a chain that is neither the main chain nor supported
//! by it stays at its existing activity (non-strict) or at zero (strict); the main chain makes at
//! least `min_share` of the park's output value. With the rule off, only the names in
//! `main_chains` are checked.

use crate::plan::Plan;

use super::verifier::Verifier;
use super::{Family, num};

impl Verifier<'_> {
    /// With the rule off: every park and chain in `main_chains` exists.
    pub(super) fn main_chain_references(&mut self, plan: &Plan) {
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

    /// §4.6 with the rule on, park by park.
    pub(super) fn one_main_chain(&mut self, plan: &Plan, strict: bool, min_share: f64) {
        let p = self.p;
        for park_id in plan.main_chains.keys() {
            if !p.parks.contains_key(park_id) {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", park_id, names, format!("main_chains.{park_id}"));
            }
        }
        for (pi, park_id) in p.parks.keys().enumerate() {
            self.checked += 1;
            let Some(m) = self.main_chain_of(plan, pi, park_id) else {
                continue;
            };
            self.growth(pi, m, strict);
            if min_share > 0.0 {
                self.min_share(pi, m, min_share);
            }
        }
    }

    /// The main chain of park `pi`, when the plan names one the problem has and the park may run;
    /// otherwise records why not.
    fn main_chain_of(&mut self, plan: &Plan, pi: usize, park_id: &str) -> Option<usize> {
        let p = self.p;
        let path = format!("main_chains.{park_id}");
        let Some(main_id) = plan.main_chains.get(park_id) else {
            self.violate(
                Family::OneMainChain,
                format!("one_main[{park_id}]"),
                format!("park `{park_id}` has no main chain: One Park, One Main Chain needs exactly one in every park"),
                1.0,
                Some("main_chains".into()),
            );
            return None;
        };
        let Some(m) = p.chains.get_index_of(main_id) else {
            let names = p.chains.keys().map(String::as_str).collect();
            self.unknown("chain", main_id, names, path);
            return None;
        };
        if !self.allowed(pi, m) {
            self.violate(
                Family::OneMainChain,
                format!("one_main[{park_id}]"),
                format!("park `{park_id}` has main chain `{main_id}`, which is not in its `allowed` list"),
                1.0,
                Some(path),
            );
            return None;
        }
        Some(m)
    }

    /// In park `pi` with main chain `m`: every chain that is neither `m` nor supported by it
    /// stays at its existing activity (at zero under the strict rule).
    fn growth(&mut self, pi: usize, m: usize, strict: bool) {
        let p = self.p;
        let park_id = self.park(pi).to_string();
        let main_id = self.chain(m).to_string();
        let supports = &p.chains[m].supports;
        for c in 0..p.chains.len() {
            let chain_id = self.chain(c).to_string();
            if c == m || supports.contains(&chain_id) {
                continue;
            }
            let e = if strict { 0.0 } else { self.existing(pi, c) };
            let x = self.x[pi][c];
            let Some(excess) = self.over(x, e, 0.0) else {
                continue;
            };
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

    /// In park `pi`: main chain `m` makes at least `min_share` of the park's output value.
    fn min_share(&mut self, pi: usize, m: usize, min_share: f64) {
        let p = self.p;
        let park_id = self.park(pi).to_string();
        let main_id = self.chain(m).to_string();
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
