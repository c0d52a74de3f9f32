//! MODEL.md §4.1 and §4.2: each park's use of a resource within its capacity, and the parks'
//! use together within a city pool. A resource that applies to new activity counts only activity
//! above the existing one.

use crate::problem::format::AppliesTo;

use super::verifier::Verifier;
use super::{Family, num};

impl Verifier<'_> {
    /// Use of resource `r` in park `pi`, and the largest term (for the tolerance).
    fn use_in(&self, pi: usize, r: usize) -> (f64, f64) {
        let new_only = self.p.resources[r].applies_to == AppliesTo::New;
        let mut total = 0.0;
        let mut scale: f64 = 0.0;
        for c in 0..self.p.chains.len() {
            let u = self.coef_use(c, r);
            if u == 0.0 {
                continue;
            }
            let a = if new_only {
                self.x[pi][c] - self.before(pi, c)
            } else {
                self.x[pi][c]
            };
            total += u * a;
            scale = scale.max((u * self.x[pi][c]).abs());
        }
        // MODEL.md §12: the fixed outlays of the chains the park builds.
        let fixed = self.fixed_outlay(pi, r);
        (total + fixed, scale.max(fixed))
    }

    /// The resource as a message names it.
    fn what(&self, r: usize) -> String {
        let id = self.resource(r);
        if self.p.resources[r].applies_to == AppliesTo::New {
            format!("{id} (on new activity)")
        } else {
            id.to_string()
        }
    }

    /// §4.1.
    pub(super) fn park_resources(&mut self) {
        let p = self.p;
        for (pi, (park_id, park)) in p.parks.iter().enumerate() {
            for (r, res_id) in p.resources.keys().enumerate() {
                let Some(&cap) = park.capacity.get(res_id) else {
                    continue;
                };
                let (used, scale) = self.use_in(pi, r);
                if let Some(excess) = self.over(used, cap, scale) {
                    self.violate(
                        Family::ParkResource,
                        format!("{res_id}[{park_id}]"),
                        format!(
                            "park `{park_id}` uses {} {}, above its capacity {} (by {})",
                            num(used),
                            self.what(r),
                            num(cap),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
        }
    }

    /// §4.2.
    pub(super) fn pools(&mut self) {
        let p = self.p;
        for (r, (res_id, res)) in p.resources.iter().enumerate() {
            let Some(pool) = res.pool else { continue };
            let (mut used, mut scale) = (0.0, 0.0f64);
            for pi in 0..p.parks.len() {
                let (u, s) = self.use_in(pi, r);
                used += u;
                scale = scale.max(s);
            }
            if let Some(excess) = self.over(used, pool, scale) {
                self.violate(
                    Family::Pool,
                    format!("pool[{res_id}]"),
                    format!(
                        "the parks together use {} {}, above the city pool {} (by {})",
                        num(used),
                        self.what(r),
                        num(pool),
                        num(excess)
                    ),
                    excess,
                    None,
                );
            }
        }
    }
}
