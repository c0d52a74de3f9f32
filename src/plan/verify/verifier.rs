//! The verifier's shared state and its small tools: the plan's values resolved to indices, name
//! and coefficient look-ups in the problem, the tolerance test, and the tally of checks and
//! violations. The checks themselves are in the sibling files, one constraint family each.

use crate::problem::Problem;
use crate::problem::diagnostic::did_you_mean;

use super::{Family, Violation};

/// A material flow resolved to indices.
pub(super) struct Flow {
    pub(super) k: usize,
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) amount: f64,
    /// Cost per unit when the route is across zones, 0 within a zone or park, `None` when the
    /// route is not allowed.
    pub(super) cost: Option<f64>,
    /// The flow's position in the plan's `flows`.
    pub(super) index: usize,
}

/// One verification in progress: the problem, the plan's values by index, and what was found.
pub(super) struct Verifier<'a> {
    pub(super) p: &'a Problem,
    tol: f64,
    /// `x[park][chain]`.
    pub(super) x: Vec<Vec<f64>>,
    pub(super) flows: Vec<Flow>,
    /// `b[material][park]`.
    pub(super) bought: Vec<Vec<f64>>,
    /// Constraints and stated values checked so far.
    pub(super) checked: usize,
    pub(super) violations: Vec<Violation>,
    /// In a later period of a multi-period plan, the period before's `x[park][chain]`: what a
    /// resource charged on new activity counts growth from (the existing plant otherwise).
    pub(super) previous: Option<Vec<Vec<f64>>>,
    /// In a multi-period plan, the first period's existing plant `[park][chain]`: what new
    /// activity of a chain built in units is counted from (this problem's own otherwise).
    pub(super) base: Option<Vec<Vec<f64>>>,
}

impl<'a> Verifier<'a> {
    /// A verifier of `p` with everything at zero and nothing checked yet.
    pub(super) fn new(p: &'a Problem, tol: f64) -> Self {
        Verifier {
            p,
            tol,
            x: vec![vec![0.0; p.chains.len()]; p.parks.len()],
            flows: Vec::new(),
            bought: vec![vec![0.0; p.parks.len()]; p.materials.len()],
            checked: 0,
            violations: Vec::new(),
            previous: None,
            base: None,
        }
    }

    /// What new activity of chain `c` in park `pi` is counted from: the period before's activity
    /// in a later period, the existing plant otherwise.
    pub(super) fn before(&self, pi: usize, c: usize) -> f64 {
        match &self.previous {
            Some(x) => x[pi][c],
            None => self.existing(pi, c),
        }
    }

    /// The plant that new activity of chain `c` in park `pi` is counted from (MODEL.md §12).
    pub(super) fn base(&self, pi: usize, c: usize) -> f64 {
        match &self.base {
            Some(x) => x[pi][c],
            None => self.existing(pi, c),
        }
    }

    pub(super) fn park(&self, i: usize) -> &str {
        self.p.parks.get_index(i).expect("park").0
    }

    pub(super) fn chain(&self, i: usize) -> &str {
        self.p.chains.get_index(i).expect("chain").0
    }

    pub(super) fn material(&self, i: usize) -> &str {
        self.p.materials.get_index(i).expect("material").0
    }

    pub(super) fn resource(&self, i: usize) -> &str {
        self.p.resources.get_index(i).expect("resource").0
    }

    pub(super) fn existing(&self, pi: usize, c: usize) -> f64 {
        self.p.parks[pi]
            .existing
            .get(self.chain(c))
            .copied()
            .unwrap_or(0.0)
    }

    pub(super) fn allowed(&self, pi: usize, c: usize) -> bool {
        match &self.p.parks[pi].allowed {
            None => true,
            Some(list) => list.iter().any(|a| a == self.chain(c)),
        }
    }

    pub(super) fn coef_material(&self, c: usize, k: usize) -> f64 {
        self.p.chains[c]
            .materials
            .get(self.material(k))
            .copied()
            .unwrap_or(0.0)
    }

    pub(super) fn coef_use(&self, c: usize, r: usize) -> f64 {
        self.p.chains[c]
            .uses
            .get(self.resource(r))
            .copied()
            .unwrap_or(0.0)
    }

    /// The slack a comparison of quantities of this size is allowed.
    pub(super) fn allowance(&self, scale: f64) -> f64 {
        self.tol * scale.abs().max(1.0)
    }

    pub(super) fn violate(
        &mut self,
        family: Family,
        constraint: String,
        message: String,
        amount: f64,
        plan_path: Option<String>,
    ) {
        self.violations.push(Violation {
            family,
            constraint,
            message,
            amount,
            plan_path,
        });
    }

    /// Checks `lhs ≤ rhs` and counts the check; returns the excess when it is violated beyond
    /// tolerance.
    pub(super) fn over(&mut self, lhs: f64, rhs: f64, scale: f64) -> Option<f64> {
        self.checked += 1;
        self.exceeds(lhs, rhs, scale)
    }

    /// The excess of `lhs` over `rhs`, when it is beyond tolerance (a NaN side always is).
    pub(super) fn exceeds(&self, lhs: f64, rhs: f64, scale: f64) -> Option<f64> {
        let excess = lhs - rhs;
        let holds = excess <= self.allowance(scale.max(lhs.abs()).max(rhs.abs()));
        (!holds).then_some(excess)
    }

    /// Records a reference to a `kind` (park, chain, material) the problem does not have.
    pub(super) fn unknown(&mut self, kind: &str, name: &str, names: Vec<&str>, path: String) {
        let hint = did_you_mean(name, names.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        self.violate(
            Family::Reference,
            path.clone(),
            format!("the plan names {kind} `{name}`, which the problem does not have{hint}"),
            0.0,
            Some(path),
        );
    }
}
