//! MODEL.md §4.3: a chain's activity within its `max_per_park` in every park, and within its
//! `max_total` over all parks.

use super::verifier::Verifier;
use super::{Family, num};

impl Verifier<'_> {
    /// §4.3.
    pub(super) fn chain_limits(&mut self) {
        let p = self.p;
        for (c, (chain_id, chain)) in p.chains.iter().enumerate() {
            if let Some(m) = chain.max_per_park {
                for pi in 0..p.parks.len() {
                    let x = self.x[pi][c];
                    if let Some(excess) = self.over(x, m, 0.0) {
                        let park = self.park(pi).to_string();
                        self.violate(
                            Family::ChainLimit,
                            format!("max_per_park[{park},{chain_id}]"),
                            format!(
                                "`{chain_id}` runs at {} in park `{park}`, above its max_per_park {} (by {})",
                                num(x),
                                num(m),
                                num(excess)
                            ),
                            excess,
                            Some(format!("activities.{park}.{chain_id}")),
                        );
                    }
                }
            }
            if let Some(m) = chain.max_total {
                let total: f64 = (0..p.parks.len()).map(|pi| self.x[pi][c]).sum();
                if let Some(excess) = self.over(total, m, 0.0) {
                    self.violate(
                        Family::ChainLimit,
                        format!("max_total[{chain_id}]"),
                        format!(
                            "`{chain_id}` runs at {} over all parks, above its max_total {} (by {})",
                            num(total),
                            num(m),
                            num(excess)
                        ),
                        excess,
                        None,
                    );
                }
            }
        }
    }
}
