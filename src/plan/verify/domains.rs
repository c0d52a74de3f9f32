//! Reading the plan's values into the verifier, and MODEL.md §3: every park, chain and material
//! the plan names exists; activities, flows and purchases are finite numbers in their domains
//! (activity at least existing and only of allowed chains, flows only on allowed routes and never
//! negative, purchases only of materials with `external:` terms and never negative).

use crate::plan::Plan;
use crate::problem::format::AcrossZones;

use super::verifier::{Flow, Verifier};
use super::{Family, num};

impl Verifier<'_> {
    /// Reads `activities`: each value into `x`, an unknown park or chain or a value that is not a
    /// finite number as a violation.
    pub(super) fn read_activities(&mut self, plan: &Plan) {
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

    /// Reads `flows`, each with its route's cost; unknown names and amounts that are not finite
    /// numbers are violations.
    pub(super) fn read_flows(&mut self, plan: &Plan) {
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

    /// Reads `purchases` and checks their domain on the way: only materials with `external:`
    /// terms, never negative.
    pub(super) fn read_purchases(&mut self, plan: &Plan) {
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
    pub(super) fn domains(&mut self) {
        for pi in 0..self.p.parks.len() {
            for c in 0..self.p.chains.len() {
                self.activity_domain(pi, c);
            }
        }
        for i in 0..self.flows.len() {
            self.flow_domain(i);
        }
    }

    /// §3 for `x[pi,c]`: only an allowed chain runs, and at least at its existing activity.
    fn activity_domain(&mut self, pi: usize, c: usize) {
        let x = self.x[pi][c];
        let (park, chain) = (self.park(pi).to_string(), self.chain(c).to_string());
        let path = Some(format!("activities.{park}.{chain}"));
        let name = format!("x[{park},{chain}]");
        self.checked += 1;
        if !self.allowed(pi, c) && x.abs() > self.allowance(0.0) {
            self.violate(
                Family::Domain,
                name.clone(),
                format!(
                    "park `{park}` runs `{chain}` at {}, but `{chain}` is not in its `allowed` list",
                    num(x)
                ),
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

    /// §3 for the `i`-th flow read: only on an allowed route, never negative.
    fn flow_domain(&mut self, i: usize) {
        let p = self.p;
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
            let why = if p.parks[from].zone.is_some() && p.parks[from].zone == p.parks[to].zone {
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
