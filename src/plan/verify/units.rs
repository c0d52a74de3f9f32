//! MODEL.md §12: new activity of a chain with `build:` in whole units and at least its minimum,
//! and the fixed outlays of every chain a park builds, in that park's resource rows and in the
//! pools (those rows themselves are checked in `resources.rs`, which counts the outlays through
//! [`Verifier::fixed_outlay`]); and what the plan states it builds in units (`built_units`)
//! against its own activity.

use crate::plan::{Built, Plan};
use crate::problem::format::AppliesTo;

use super::verifier::Verifier;
use super::{Family, num};

impl Verifier<'_> {
    /// New activity of chain `c` in park `pi`, `x − e` over the plant there at the start (the
    /// first period's in a multi-period plan).
    fn new_activity(&self, pi: usize, c: usize) -> f64 {
        self.x[pi][c] - self.base(pi, c)
    }

    /// Whether `n` of new activity of chain `c` is a build, beyond the tolerance on quantities of
    /// the chain's unit and existing plant.
    fn builds(&self, pi: usize, c: usize, n: f64) -> bool {
        let unit = self.p.chains[c]
            .build
            .as_ref()
            .and_then(|b| b.unit)
            .unwrap_or(0.0);
        n > self.allowance(unit.max(self.base(pi, c)))
    }

    /// The fixed outlays of resource `r` in park `pi`: `v` for every chain with `build.fixed`
    /// the park builds; for a resource on new activity in a later period only where the period
    /// before had built none of it yet (spent once, in the period of the first build).
    pub(super) fn fixed_outlay(&self, pi: usize, r: usize) -> f64 {
        let res_id = self.resource(r);
        let new_only = self.p.resources[r].applies_to == AppliesTo::New;
        let mut total = 0.0;
        for (c, chain) in self.p.chains.values().enumerate() {
            let Some(&v) = chain.build.as_ref().and_then(|b| b.fixed.get(res_id)) else {
                continue;
            };
            if !self.builds(pi, c, self.new_activity(pi, c)) {
                continue;
            }
            let earlier = self
                .previous
                .as_ref()
                .is_some_and(|before| self.builds(pi, c, before[pi][c] - self.base(pi, c)));
            if !(new_only && earlier) {
                total += v;
            }
        }
        total
    }

    /// §12: whole units and the minimum, park by park.
    pub(super) fn units(&mut self) {
        let p = self.p;
        for (c, (chain_id, chain)) in p.chains.iter().enumerate() {
            let Some(b) = &chain.build else { continue };
            for pi in 0..p.parks.len() {
                let n = self.new_activity(pi, c);
                let park = self.park(pi).to_string();
                let path = Some(format!("activities.{park}.{chain_id}"));
                self.checked += 1;
                if !self.builds(pi, c, n) {
                    continue;
                }
                let e = self.base(pi, c);
                if let Some(s) = b.unit {
                    let k = n / s;
                    let off = (k - k.round()).abs() * s;
                    if off > self.allowance(self.x[pi][c]) {
                        let (lower, upper) = nearest(n, s, b.min.unwrap_or(0.0));
                        let sizes = |n: f64| format!("{} new ({} in all)", num(n), num(e + n));
                        self.violate(
                            Family::Units,
                            format!("unit[{park},{chain_id}]"),
                            format!(
                                "park `{park}` builds {} of `{chain_id}` over the existing {}: {} units of {}, not a whole number; the nearest valid sizes are {} and {}",
                                num(n),
                                num(e),
                                num(k),
                                num(s),
                                sizes(lower),
                                sizes(upper)
                            ),
                            off,
                            path.clone(),
                        );
                        continue;
                    }
                }
                if let Some(m) = b.min
                    && let Some(short) = self.exceeds(m, n, m)
                {
                    self.violate(
                        Family::Units,
                        format!("min[{park},{chain_id}]"),
                        format!(
                            "park `{park}` builds {} of `{chain_id}` over the existing {}, below the chain's minimum {} (by {}): build nothing or at least {}",
                            num(n),
                            num(e),
                            num(m),
                            num(short),
                            num(m)
                        ),
                        short,
                        path,
                    );
                }
            }
        }
    }
}

impl Verifier<'_> {
    /// The plan's own `built_units` against its activity: for each park and chain it lists, the
    /// existing plant, the new activity, the unit size and the count of units, each recomputed
    /// from `activities` and the problem; and, when it lists any, every chain with `build:` that
    /// the activity shows built. A plan that leaves `built_units` out (as one written by hand may)
    /// states nothing to check.
    pub(super) fn stated_units(&mut self, plan: &Plan) {
        let p = self.p;
        for (park_id, chains) in &plan.built_units {
            let Some(pi) = p.parks.get_index_of(park_id) else {
                let names = p.parks.keys().map(String::as_str).collect();
                self.unknown("park", park_id, names, format!("built_units.{park_id}"));
                continue;
            };
            for (chain_id, stated) in chains {
                let path = format!("built_units.{park_id}.{chain_id}");
                let Some(c) = p.chains.get_index_of(chain_id) else {
                    let names = p.chains.keys().map(String::as_str).collect();
                    self.unknown("chain", chain_id, names, path);
                    continue;
                };
                self.stated_build(pi, c, stated, &path);
            }
        }
        if plan.built_units.is_empty() {
            return;
        }
        for (c, (chain_id, chain)) in p.chains.iter().enumerate() {
            if chain.build.is_none() {
                continue;
            }
            for pi in 0..p.parks.len() {
                let park = self.park(pi).to_string();
                let listed = plan
                    .built_units
                    .get(&park)
                    .is_some_and(|b| b.contains_key(chain_id));
                let n = self.new_activity(pi, c);
                self.checked += 1;
                // A build the plan's writer would list: beyond the tolerance and beyond the
                // solver's 1e-6 on quantities of this size, so that neither a tight tolerance
                // nor a column at 1e-8 makes an unlisted sliver out of noise.
                let unit = chain.build.as_ref().and_then(|b| b.unit).unwrap_or(0.0);
                let noise = 1e-6 * unit.max(self.base(pi, c)).abs().max(1.0);
                if listed || !self.builds(pi, c, n) || n <= noise {
                    continue;
                }
                self.violate(
                    Family::Units,
                    format!("built[{park},{chain_id}]"),
                    format!(
                        "park `{park}` builds {} of `{chain_id}` over the existing {} (activity {}), but the plan's `built_units` leave it out",
                        num(n),
                        num(self.base(pi, c)),
                        num(self.x[pi][c])
                    ),
                    n,
                    Some(format!("built_units.{park}")),
                );
            }
        }
    }

    /// One entry of `built_units`, field by field against the activity of chain `c` in park `pi`.
    fn stated_build(&mut self, pi: usize, c: usize, stated: &Built, path: &str) {
        let (park, chain_id) = (self.park(pi).to_string(), self.chain(c).to_string());
        let (e, x) = (self.base(pi, c), self.x[pi][c]);
        let n = x - e;
        self.checked += 1;
        let Some(b) = self.p.chains[c].build.as_ref() else {
            self.violate(
                Family::Units,
                format!("built[{park},{chain_id}]"),
                format!(
                    "the plan states `{chain_id}` built in units in park `{park}`, but the chain has no `build:` in the problem"
                ),
                stated.new,
                Some(path.to_string()),
            );
            return;
        };
        let differs = |a: f64, b: f64| {
            !(a.is_finite() && (a - b).abs() <= self.allowance(a.abs().max(b.abs())))
        };
        let mut wrong: Vec<(String, String, f64)> = Vec::new();
        if differs(stated.existing, e) {
            wrong.push((
                format!("existing plant {}", num(stated.existing)),
                format!("the problem's {}", num(e)),
                (stated.existing - e).abs(),
            ));
        }
        if differs(stated.new, n) {
            wrong.push((
                format!("new activity {}", num(stated.new)),
                format!(
                    "{} over the existing {} (activity {})",
                    num(n),
                    num(e),
                    num(x)
                ),
                (stated.new - n).abs(),
            ));
        }
        match (stated.unit, b.unit) {
            (Some(a), Some(s)) if differs(a, s) => wrong.push((
                format!("a unit of {}", num(a)),
                format!("the chain's unit {}", num(s)),
                (a - s).abs(),
            )),
            (Some(a), None) => wrong.push((
                format!("a unit of {}", num(a)),
                "no unit (the chain's `build:` has none)".into(),
                a.abs(),
            )),
            _ => {}
        }
        if let (Some(k), Some(s)) = (stated.units, b.unit) {
            // Units counted with the chain's unit; within the tolerance on the activity.
            if !(k.is_finite() && (k * s - n).abs() <= self.allowance(x)) {
                wrong.push((
                    count(k),
                    format!(
                        "{} of {}: {} over the existing {} (activity {})",
                        count(n / s),
                        num(s),
                        num(n),
                        num(e),
                        num(x)
                    ),
                    (k * s - n).abs(),
                ));
            }
        }
        for (said, truth, amount) in wrong {
            self.violate(
                Family::Units,
                format!("built[{park},{chain_id}]"),
                format!(
                    "the plan states {said} of `{chain_id}` built in park `{park}`, but its activity gives {truth}"
                ),
                amount,
                Some(path.to_string()),
            );
        }
    }
}

/// `k` units, as a count: `1 unit`, `2 units`, `1.3 units`.
fn count(k: f64) -> String {
    if k == 1.0 {
        "1 unit".into()
    } else {
        format!("{} units", num(k))
    }
}

/// The valid new activities nearest `n` below and above it: 0 or whole units of `s`, at least
/// `min` unless 0.
fn nearest(n: f64, s: f64, min: f64) -> (f64, f64) {
    let floor = (n / s).floor() * s;
    let lower = if floor < min { 0.0 } else { floor };
    let mut upper = (n / s).ceil() * s;
    if upper < min {
        upper = (min / s).ceil() * s;
    }
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn the_nearest_sizes_are_whole_units_above_the_minimum() {
        assert_eq!(nearest(1.3, 1.0, 0.0), (1.0, 2.0));
        assert_eq!(nearest(1.3, 1.0, 2.0), (0.0, 2.0));
        assert_eq!(nearest(0.45, 0.3, 0.0), (0.3, 0.6));
        assert_eq!(nearest(0.45, 0.3, 1.0), (0.0, 1.2));
    }
}
