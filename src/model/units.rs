//! Plant that comes in units (MODEL.md §12): the columns and rows of a chain's `build:`.
//!
//! For a chain c with `build:` in park p, new activity is `n = x[p,c] − e[p,c]` (e: the existing
//! plant; in a later period, the first period's). Its columns:
//!
//! ```text
//! u[p,c] ∈ ℤ, 0 ≤ u ≤ ⌊N/s⌋          with unit: s     x − s·u = e                 unit[p,c]
//! z[p,c] ∈ {0,1}                     with min: m      x − m·z ≥ e                 min[p,c]
//!                                    with min or fixed   x − N·z ≤ e             built[p,c]
//! later period:                      z[p,c,t] − z[p,c,t−1] ≥ 0                   built_stays[p,c]
//! ```
//!
//! `N[p,c]` is the bound on `x[p,c]` the data imply (the same as the rule's, §4.6) less e. The
//! fixed uses enter the resource rows through [`fixed_use`]: `v·z` in a park's row and in the
//! pool's, or, for a resource charged on new activity in a later period, `v·(z_t − z_{t−1})`:
//! spent once, in the period of the first build.
//!
//! In the relaxation ([`super::ModelOptions::relax`]) `u` and `z` are continuous like `y`; with
//! [`super::ModelOptions::fixed_build`] they are continuous and fixed at given values (the LP
//! whose duals are the shadow prices of a plan with units, §7). [`Model::integer_columns`] lists
//! every column that must take a whole value, for any method that fixes or rounds them.

use good_lp::{Expression, Variable, constraint, variable};

use super::{Model, RowKind};
use crate::problem::{ChainIx, ParkIx};

/// The columns of one park's chain with `build:`: the number of units `u` (with `unit:`) and the
/// switch "built" `z` (with `min:` or `fixed:`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BuildCols {
    /// `u[p,c]`, whole units of new activity.
    pub u: Option<Variable>,
    /// `z[p,c]`, 1 when the park builds any new activity of the chain.
    pub z: Option<Variable>,
}

/// Values of `u` and `z` to hold fixed, by park and candidate slot (`None` where the column is
/// absent).
pub type BuildValues = Vec<Vec<(Option<f64>, Option<f64>)>>;

impl Model<'_> {
    /// The base that new activity counts from in park `p`'s candidate `slot`: the existing plant
    /// (the first period's in a multi-period model).
    pub fn build_base(&self, p: ParkIx, slot: usize) -> f64 {
        match &self.base {
            Some(base) => base[p.0][slot],
            None => self.problem.existing(p, self.problem.candidates(p)[slot]),
        }
    }

    /// `N[p,c]`: the most new activity the data allow (infinite when they set no bound).
    pub fn new_bound(&self, p: ParkIx, slot: usize) -> f64 {
        let upper = match &self.options.rule_bounds {
            Some(b) => b.activity[p.0][slot],
            None => self.problem.upper(p, slot).unwrap_or(f64::INFINITY),
        };
        (upper - self.build_base(p, slot)).max(0.0)
    }

    /// The column numbers that must take whole values in a plan of this model, read from the
    /// columns' own definitions: the main chains `y`, the units `u` and the switches `z` of every
    /// block (none in a relaxation, nor `u`, `z` held fixed). Any method that fixes, rounds or
    /// starts from columns should take this list, not `y` alone.
    pub fn integer_columns(&self) -> Vec<usize> {
        self.vars
            .iter_variables_with_def()
            .enumerate()
            .filter(|(_, (_, def))| def.is_integer())
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether the model has integer columns: a MILP.
    pub fn is_mip(&self) -> bool {
        self.vars
            .iter_variables_with_def()
            .any(|(_, def)| def.is_integer())
    }
}

/// The values of every block's `u` and `z` in `solution` (by period; one block for a problem
/// without periods), rounded to whole numbers: what [`super::ModelOptions::fixed_build`] holds
/// for the shadow prices' LP. `None` when no chain has `build:`.
pub fn build_values(blocks: &[&Model], columns: &[f64]) -> Option<Vec<BuildValues>> {
    if blocks.iter().all(|b| b.units.is_empty()) {
        return None;
    }
    let value = |v: Option<Variable>, m: &Model| v.map(|v| columns[m.col(v)].round());
    Some(
        blocks
            .iter()
            .map(|m| {
                m.units
                    .iter()
                    .map(|row| row.iter().map(|b| (value(b.u, m), value(b.z, m))).collect())
                    .collect()
            })
            .collect(),
    )
}

/// The `u` and `z` columns of every park's candidates with `build:`.
pub fn columns(m: &mut Model) -> Vec<Vec<BuildCols>> {
    let problem = m.problem;
    let p = problem.problem();
    let mut out = Vec::with_capacity(p.parks.len());
    for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
        let mut row = Vec::with_capacity(problem.candidates(pi).len());
        for (slot, &c) in problem.candidates(pi).iter().enumerate() {
            let Some(b) = problem.build(c) else {
                row.push(BuildCols::default());
                continue;
            };
            let chain_id = p.chain_id(c);
            let n = m.new_bound(pi, slot);
            let fixed = m
                .options
                .fixed_build
                .as_ref()
                .and_then(|f| f.first())
                .map(|f| f[pi.0][slot])
                .unwrap_or((None, None));
            let relax = m.options.relax || m.options.fixed_build.is_some();
            let u = b.unit.map(|s| {
                let most = (n / s + 1e-9).floor();
                let mut def = if relax {
                    variable().min(0)
                } else {
                    variable().integer().min(0)
                };
                if most.is_finite() {
                    def = def.max(most);
                }
                if let Some(v) = fixed.0 {
                    def = def.min(v).max(v);
                }
                m.add_column(def, format!("u[{park_id},{chain_id}]"))
            });
            let z = b.needs_switch().then(|| {
                let mut def = if relax {
                    variable().clamp(0, 1)
                } else {
                    variable().binary()
                };
                if let Some(v) = fixed.1 {
                    def = def.min(v).max(v);
                }
                m.add_column(def, format!("z[{park_id},{chain_id}]"))
            });
            row.push(BuildCols { u, z });
        }
        out.push(row);
    }
    out
}

/// MODEL.md §12: new activity in whole units, 0 or at least the minimum, at most `N` once built;
/// in a later period, built stays built.
pub fn unit_rows(m: &mut Model) {
    let problem = m.problem;
    for p in problem.problem().park_ixs() {
        for (slot, &c) in problem.candidates(p).iter().enumerate() {
            let Some(b) = problem.build(c) else { continue };
            let cols = m.units[p.0][slot];
            let x = m.x[p.0][slot];
            let e = m.build_base(p, slot);
            let (park_id, chain_id) = (m.park_id(p).to_string(), m.chain_id(c).to_string());
            let name = |what: &str| format!("{what}[{park_id},{chain_id}]");
            let kind = RowKind::Build { park: p, chain: c };
            if let (Some(s), Some(u)) = (b.unit, cols.u) {
                let n = name("unit");
                m.push(constraint!(x - s * u == e), kind.clone(), n);
            }
            let Some(z) = cols.z else { continue };
            if let Some(min) = b.min {
                let n = name("min");
                m.push(constraint!(x - min * z >= e), kind.clone(), n);
            }
            let most = m.new_bound(p, slot);
            if most.is_finite() {
                let n = name("built");
                m.push(constraint!(x - most * z <= e), kind.clone(), n);
            }
            if let Some(before) = m.previous_units.as_ref().and_then(|b| b[p.0][slot].z) {
                let n = name("built_stays");
                m.push(constraint!(z - before >= 0), kind, n);
            }
        }
    }
}

/// The fixed uses of resource `r` in park `p` (MODEL.md §12): `Σ_c v[c][r]·z[p,c]`, or for a
/// resource charged on new activity in a later period `Σ_c v[c][r]·(z[p,c,t] − z[p,c,t−1])`.
pub fn fixed_use(m: &Model, p: ParkIx, r: usize, new_only: bool) -> Expression {
    let mut e = Expression::from(0.0);
    if m.units.is_empty() {
        return e;
    }
    let res_id = m
        .problem
        .problem()
        .resources
        .get_index(r)
        .expect("resource")
        .0;
    for (slot, &c) in m.problem.candidates(p).iter().enumerate() {
        let Some(v) = fixed_of(m, c, res_id) else {
            continue;
        };
        let Some(z) = m.units[p.0][slot].z else {
            continue;
        };
        e.add_mul(v, z);
        if new_only && let Some(before) = m.previous_units.as_ref().and_then(|b| b[p.0][slot].z) {
            e.add_mul(-v, before);
        }
    }
    e
}

fn fixed_of(m: &Model, c: ChainIx, res_id: &str) -> Option<f64> {
    let v = *m.problem.build(c)?.fixed.get(res_id)?;
    (v != 0.0).then_some(v)
}
