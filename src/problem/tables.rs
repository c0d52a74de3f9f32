//! Dense tables of a problem's coefficients, by index, built once at validation: the model and
//! the bounds read `uses`, `materials` and `existing` from them instead of looking ids up in the
//! problem's maps inside their loops.

use super::format::Problem;
use super::ids::{ChainIx, ParkIx};

/// `uses[c][r]`, `materials[c][k]` and `existing[p][c]` as dense row-major tables (0 where the
/// problem says nothing), and whether chain `m` supports chain `c`.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    resources: usize,
    materials: usize,
    chains: usize,
    uses: Vec<f64>,
    flows: Vec<f64>,
    existing: Vec<f64>,
    supports: Vec<bool>,
}

impl Tables {
    /// The tables of a problem whose references resolve (ids that do not are left out).
    pub fn of(p: &Problem) -> Tables {
        let (resources, materials, chains) = (p.resources.len(), p.materials.len(), p.chains.len());
        let mut uses = vec![0.0; chains * resources];
        let mut flows = vec![0.0; chains * materials];
        let mut supports = vec![false; chains * chains];
        for (c, chain) in p.chains.values().enumerate() {
            for s in &chain.supports {
                if let Some(s) = p.chains.get_index_of(s) {
                    supports[c * chains + s] = true;
                }
            }
            for (r, &u) in &chain.uses {
                if let Some(r) = p.resources.get_index_of(r) {
                    uses[c * resources + r] = u;
                }
            }
            for (k, &a) in &chain.materials {
                if let Some(k) = p.materials.get_index_of(k) {
                    flows[c * materials + k] = a;
                }
            }
        }
        let mut existing = vec![0.0; p.parks.len() * chains];
        for (pi, park) in p.parks.values().enumerate() {
            for (c, &e) in &park.existing {
                if let Some(c) = p.chains.get_index_of(c) {
                    existing[pi * chains + c] = e;
                }
            }
        }
        Tables {
            resources,
            materials,
            chains,
            uses,
            flows,
            existing,
            supports,
        }
    }

    /// `uses[c][r]`: positive uses, negative produces, per unit of activity.
    pub fn uses(&self, c: ChainIx, r: usize) -> f64 {
        self.uses[c.0 * self.resources + r]
    }

    /// `materials[c][k]`: positive generated, negative consumed per unit of activity.
    pub fn material(&self, c: ChainIx, k: usize) -> f64 {
        self.flows[c.0 * self.materials + k]
    }

    /// Existing activity of chain `c` in park `p`.
    pub fn existing(&self, p: ParkIx, c: ChainIx) -> f64 {
        self.existing[p.0 * self.chains + c.0]
    }

    /// Whether `supports` of chain `main` names chain `c`.
    pub fn supports(&self, main: ChainIx, c: ChainIx) -> bool {
        self.supports[main.0 * self.chains + c.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_the_maps_by_index() {
        let p: Problem = serde_yaml::from_str(
            "name: t\nresources: { land: {}, water: {} }\nparks:\n  a: { existing: { c2: 1.5 } }\n  b: {}\nchains:\n  c1: { output: 1, uses: { water: 2 }, materials: { ash: -0.5 }, supports: [c2] }\n  c2: { output: 1, uses: { land: -3 } }\nmaterials:\n  ash: { kind: waste }\n",
        )
        .expect("problem");
        let t = Tables::of(&p);
        assert_eq!(t.uses(ChainIx(0), 1), 2.0);
        assert_eq!(t.uses(ChainIx(0), 0), 0.0);
        assert_eq!(t.uses(ChainIx(1), 0), -3.0);
        assert_eq!(t.material(ChainIx(0), 0), -0.5);
        assert_eq!(t.material(ChainIx(1), 0), 0.0);
        assert_eq!(t.existing(ParkIx(0), ChainIx(1)), 1.5);
        assert_eq!(t.existing(ParkIx(1), ChainIx(1)), 0.0);
        assert!(t.supports(ChainIx(0), ChainIx(1)));
        assert!(!t.supports(ChainIx(1), ChainIx(0)));
        assert!(!t.supports(ChainIx(0), ChainIx(0)));
    }
}
