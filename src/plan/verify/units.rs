//! MODEL.md §12: new activity of a chain with `build:` in whole units and at least its minimum,
//! and the fixed outlays of every chain a park builds, in that park's resource rows and in the
//! pools (those rows themselves are checked in `resources.rs`, which counts the outlays through
//! [`Verifier::fixed_outlay`]).

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
