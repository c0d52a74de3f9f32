//! Validation: from a deserialised [`Problem`] to a [`ValidProblem`] whose invariants the model
//! builder can trust.
//!
//! Every reference is checked against its namespace (with a did-you-mean), every number that must
//! be finite and non-negative is, rule settings are in range, and — when the one-main-chain rule is
//! on — every chain a park may run has a finite upper bound, from which the big-M values of
//! MODEL.md §4.6 are computed (in the `bounds` module). All problems in a file are reported together.
//!
//! Validation is one pass over the document whose checks share one collector of diagnostics, in the
//! order of MODEL.md §2–§4; it passes 600 lines by the number of checks, each a few lines, and
//! stays one file so that the order of the messages is the order of the contract.

use indexmap::IndexMap;

use super::bounds;
use super::diagnostic::Diagnostic;
use crate::util::numbers::fmt_exact;

/// The largest magnitude a number of the model may have. HiGHS treats values from 1e20 on as
/// infinite and warns from 1e15 on (its `large_matrix_value`); beyond 1e15 the model's arithmetic
/// in double precision is no longer trustworthy, so such values are refused.
pub const LARGEST_VALUE: f64 = 1e15;

/// The widest ratio of the largest to the smallest nonzero number of a problem that is accepted
/// without a warning: beyond it the solver's tolerances (1e-6 to 1e-9) no longer separate them.
pub const WIDEST_RANGE: f64 = 1e12;

/// The longest a period may last, in years.
pub const MOST_YEARS: u32 = 1000;

/// The most periods a problem may have. Each period is a copy of the model, and its cumulative
/// budgets sum over the periods before it, so checking and solving grow with the square of the
/// count (4,000 one-year periods of a one-park problem took 4 s to validate and 15 s to solve);
/// 200 is a yearly plan to 2225, or forty five-year plans.
pub const MOST_PERIODS: usize = 200;
use super::format::{AcrossZones, OneMainChain, Park, Problem};
use super::ids::{ChainIx, ParkIx};
use super::tables::Tables;

/// A problem that passed validation, with the derived data the model needs. Its fields are
/// private: only [`validate`] makes one, so its invariants (every reference resolved, every bound
/// finite where the rule needs it) hold wherever one is seen.
#[derive(Debug, Clone)]
pub struct ValidProblem {
    /// The problem as written (after any scenario changes).
    problem: Problem,
    /// The one-main-chain settings, when the rule is on.
    rule: Option<OneMainChain>,
    /// For each park (by index), the chains (by index) it may run, in chain order.
    candidates: Vec<Vec<ChainIx>>,
    /// For each park and each of its candidates (parallel to `candidates`), the upper bound on
    /// activity that the data implies, `None` where there is none.
    upper: Vec<Vec<Option<f64>>>,
    /// Transport cost per unit of each material (by index) moved across zones; `None` when
    /// across-zone exchange is off.
    across_cost: Option<Vec<f64>>,
    /// What is accepted but unsafe (numbers spanning too wide a range).
    warnings: Vec<Diagnostic>,
    /// Each period's data, for a problem with `periods:` (attached once every period is valid).
    horizon: Option<std::sync::Arc<super::Horizon>>,
    /// The problem's coefficients as dense tables, by index.
    tables: Tables,
}

impl ValidProblem {
    /// The problem as written (after any scenario changes).
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The one-main-chain settings, when the rule is on.
    pub fn rule(&self) -> Option<&OneMainChain> {
        self.rule.as_ref()
    }

    /// The chains (by index, in chain order) park `p` may run: its candidates. A park's
    /// per-candidate data elsewhere is indexed by the position (slot) in this list.
    pub fn candidates(&self, p: ParkIx) -> &[ChainIx] {
        &self.candidates[p.0]
    }

    /// Every park's candidates, by park.
    pub fn all_candidates(&self) -> &[Vec<ChainIx>] {
        &self.candidates
    }

    /// The upper bound on activity of park `p`'s candidate in `slot` that the data implies, `None`
    /// where there is none.
    pub fn upper(&self, p: ParkIx, slot: usize) -> Option<f64> {
        self.upper[p.0][slot]
    }

    /// Transport cost per unit of each material (by index) moved across zones; `None` when
    /// across-zone exchange is off.
    pub fn across_cost(&self) -> Option<&[f64]> {
        self.across_cost.as_deref()
    }

    /// What is accepted but unsafe: numbers spanning so wide a range that the solver's answer may
    /// be inexact. Empty for most problems.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The periods of a multi-period problem (MODEL.md §9); `None` for a problem of one period.
    pub fn horizon(&self) -> Option<&super::Horizon> {
        self.horizon.as_deref()
    }

    /// This problem with its periods, each validated on its own ([`crate::variant`] derives
    /// them).
    pub fn with_horizon(mut self, horizon: super::Horizon) -> Self {
        self.horizon = Some(std::sync::Arc::new(horizon));
        self
    }

    /// How new plant of chain `c` is built (MODEL.md §12), when its `build:` says.
    pub fn build(&self, c: ChainIx) -> Option<&super::format::Build> {
        self.problem.chains[c].build.as_ref()
    }

    /// Whether any chain has a `build:` block: the model then has integer columns besides `y`.
    pub fn has_builds(&self) -> bool {
        self.problem.chains.values().any(|c| c.build.is_some())
    }

    /// Existing activity of chain `c` in park `p` (0 when none).
    pub fn existing(&self, p: ParkIx, c: ChainIx) -> f64 {
        self.tables.existing(p, c)
    }

    /// `uses[c][r]` of chain `c` and resource `r` (by index): positive uses, negative produces.
    pub fn uses(&self, c: ChainIx, r: usize) -> f64 {
        self.tables.uses(c, r)
    }

    /// `materials[c][k]` of chain `c` and material `k` (by index): positive generated, negative
    /// consumed per unit of activity.
    pub fn material(&self, c: ChainIx, k: usize) -> f64 {
        self.tables.material(c, k)
    }

    /// Whether chain `main`'s `supports` names chain `c` (a chain that may grow beside it).
    pub fn supports(&self, main: ChainIx, c: ChainIx) -> bool {
        self.tables.supports(main, c)
    }

    /// Whether material `k` may move from park `p` to park `q`, and at what cost per unit.
    pub fn route(&self, p: ParkIx, q: ParkIx, k: usize) -> Option<f64> {
        if p == q {
            return Some(0.0);
        }
        let zp = self.problem.parks[p].zone.as_ref();
        let zq = self.problem.parks[q].zone.as_ref();
        if zp.is_some() && zp == zq {
            return self.problem.exchange.within_zone.then_some(0.0);
        }
        self.across_cost.as_ref().map(|cost| cost[k])
    }
}

/// Validates a problem; on failure returns every problem found.
pub fn validate(problem: Problem) -> Result<ValidProblem, Vec<Diagnostic>> {
    let mut v = Validator {
        p: &problem,
        errors: Vec::new(),
        smallest: None,
        largest: None,
    };
    v.ids();
    v.resources();
    v.chains();
    v.materials();
    v.parks();
    v.exchange();
    let rule = v.rules();
    v.expected("expected", problem.expected.as_ref());
    for (name, sc) in &problem.scenarios {
        v.expected(&format!("scenarios.{name}.expected"), sc.expected.as_ref());
    }
    if !v.errors.is_empty() {
        return Err(v.errors);
    }
    let warnings: Vec<Diagnostic> = v.range_warning().into_iter().collect();
    let candidates = bounds::candidates(&problem);
    let tables = Tables::of(&problem);
    let upper = bounds::upper_bounds(&problem, &candidates, &tables);
    let mut errors = bounds::check_bounds(&problem, &candidates, &upper, rule.is_some());
    errors.extend(bounds::check_build_bounds(&problem, &candidates, &upper));
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut warnings: Vec<Diagnostic> = warnings;
    warnings.extend(bounds::unbuildable(&problem, &candidates, &tables, &upper));
    let across_cost = across_cost(&problem);
    Ok(ValidProblem {
        problem,
        rule,
        candidates,
        upper,
        across_cost,
        warnings,
        horizon: None,
        tables,
    })
}

/// Transport cost per unit of each material (by index) moved across zones; `None` when
/// across-zone exchange is off.
fn across_cost(problem: &Problem) -> Option<Vec<f64>> {
    match &problem.exchange.across_zones {
        None | Some(AcrossZones::Flag(false)) => None,
        Some(AcrossZones::Flag(true)) => Some(vec![0.0; problem.materials.len()]),
        Some(AcrossZones::Costs(c)) => Some(
            problem
                .materials
                .keys()
                .map(|k| c.cost.get(k).copied().unwrap_or(0.0))
                .collect(),
        ),
    }
}

struct Validator<'a> {
    p: &'a Problem,
    errors: Vec<Diagnostic>,
    /// The smallest nonzero magnitude among the model's numbers, with its path.
    smallest: Option<(f64, String)>,
    /// The largest magnitude among the model's numbers, with its path.
    largest: Option<(f64, String)>,
}

impl Validator<'_> {
    fn err(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// A number that must be finite and at least zero, and enters the model.
    fn non_negative(&mut self, path: &str, x: f64) {
        if self.coefficient(path, x) && x < 0.0 {
            self.err(
                Diagnostic::at(
                    path,
                    format!("must not be negative, found {}", fmt_exact(x)),
                )
                .help("give a value of 0 or more"),
            );
        }
    }

    /// A number that must be finite, and enters the model: its magnitude must be one the solver
    /// takes. Returns whether it is sound.
    fn coefficient(&mut self, path: &str, x: f64) -> bool {
        if !self.finite(path, x) {
            return false;
        }
        if x.abs() >= LARGEST_VALUE {
            self.err(
                Diagnostic::at(
                    path,
                    format!(
                        "{} is too large for the solver: magnitudes from {} on are unsafe (HiGHS treats {} as infinite)",
                        fmt_exact(x),
                        fmt_exact(LARGEST_VALUE),
                        fmt_exact(1e20)
                    ),
                )
                .help(format!(
                    "give it in a larger unit (Mt rather than t, bn CNY rather than CNY) so that every number stays below {}",
                    fmt_exact(LARGEST_VALUE)
                )),
            );
            return false;
        }
        let a = x.abs();
        if a > 0.0 {
            if self.smallest.as_ref().is_none_or(|(s, _)| a < *s) {
                self.smallest = Some((a, path.to_string()));
            }
            if self.largest.as_ref().is_none_or(|(l, _)| a > *l) {
                self.largest = Some((a, path.to_string()));
            }
        }
        true
    }

    /// A number that must be finite. Returns whether it is.
    fn finite(&mut self, path: &str, x: f64) -> bool {
        if !x.is_finite() {
            self.err(
                Diagnostic::at(path, format!("`{x}` is not a finite number"))
                    .help("give a finite number"),
            );
        }
        x.is_finite()
    }

    fn fraction(&mut self, path: &str, x: f64, what: &str) {
        if !(0.0..=1.0).contains(&x) {
            self.err(
                Diagnostic::at(
                    path,
                    format!("{what} must lie in [0, 1], found {}", fmt_exact(x)),
                )
                .help("give a fraction such as 0.5 for one half"),
            );
        }
    }

    /// A warning when the model's nonzero numbers span more than [`WIDEST_RANGE`], at the
    /// largest, naming the smallest.
    fn range_warning(&self) -> Option<Diagnostic> {
        let (small, small_at) = self.smallest.as_ref()?;
        let (large, large_at) = self.largest.as_ref()?;
        (large / small > WIDEST_RANGE).then(|| {
            Diagnostic::at(
                large_at.clone(),
                format!(
                    "the problem's numbers span {} to {} (a ratio of {}, above {}): the solver may answer inexactly",
                    fmt_exact(*small),
                    fmt_exact(*large),
                    fmt_exact(large / small),
                    fmt_exact(WIDEST_RANGE)
                ),
            )
            .help(format!(
                "the smallest is at {small_at}, the largest here; choose units that bring them closer together"
            ))
        })
    }

    /// A reference to an id of `kind` declared in `names`.
    fn reference<V>(
        &mut self,
        path: &str,
        name: &str,
        kind: &str,
        section: &str,
        names: &IndexMap<String, V>,
    ) -> bool {
        if names.contains_key(name) {
            return true;
        }
        let d = Diagnostic::at(path, format!("unknown {kind} `{name}`"));
        let d = match super::diagnostic::did_you_mean(name, names.keys().map(String::as_str)) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None => d.help(format!(
                "declare `{name}` under `{section}:` or use one of: {}",
                list(names.keys())
            )),
        };
        self.err(d);
        false
    }

    fn ids(&mut self) {
        let p = self.p;
        let sections: [(&str, Vec<&String>); 7] = [
            ("resources", p.resources.keys().collect()),
            ("zones", p.zones.keys().collect()),
            ("parks", p.parks.keys().collect()),
            ("chains", p.chains.keys().collect()),
            ("materials", p.materials.keys().collect()),
            ("scenarios", p.scenarios.keys().collect()),
            ("sweeps", p.sweeps.keys().collect()),
        ];
        for (section, ids) in sections {
            for id in ids {
                let ok = !id.is_empty()
                    && id
                        .chars()
                        .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-');
                if !ok {
                    self.err(
                        Diagnostic::at(format!("{section}.{id}"), format!("`{id}` is not a valid id"))
                            .help("ids use letters, digits, `_` and `-` only (no dots or spaces); put the display name in `name:`"),
                    );
                }
            }
        }
        if p.parks.is_empty() {
            self.err(
                Diagnostic::file("the problem has no parks")
                    .help("add a `parks:` section with at least one park"),
            );
        }
        if p.chains.is_empty() {
            self.err(
                Diagnostic::file("the problem has no chains")
                    .help("add a `chains:` section with at least one chain"),
            );
        }
    }

    fn resources(&mut self) {
        for (id, r) in &self.p.resources {
            if let Some(pool) = r.pool {
                self.non_negative(&format!("resources.{id}.pool"), pool);
            }
        }
    }

    fn chains(&mut self) {
        let p = self.p;
        for (id, c) in &p.chains {
            let at = |field: &str| format!("chains.{id}.{field}");
            self.non_negative(&at("output"), c.output);
            for (r, u) in &c.uses {
                if self.reference(
                    &at(&format!("uses.{r}")),
                    r,
                    "resource",
                    "resources",
                    &p.resources,
                ) {
                    self.coefficient(&at(&format!("uses.{r}")), *u);
                }
            }
            for (k, m) in &c.materials {
                if self.reference(
                    &at(&format!("materials.{k}")),
                    k,
                    "material",
                    "materials",
                    &p.materials,
                ) {
                    self.coefficient(&at(&format!("materials.{k}")), *m);
                }
            }
            let mut seen = Vec::new();
            for (i, s) in c.supports.iter().enumerate() {
                let path = at(&format!("supports.{i}"));
                if s == id {
                    self.err(
                        Diagnostic::at(path, format!("chain `{id}` supports itself")).help(
                            "a main chain may always grow; list only the other chains it supports",
                        ),
                    );
                } else if self.reference(&path, s, "chain", "chains", &p.chains)
                    && seen.contains(&s)
                {
                    self.err(
                        Diagnostic::at(path, format!("`{s}` is listed twice"))
                            .help("list each chain once"),
                    );
                }
                seen.push(s);
            }
            if let Some(m) = c.max_per_park {
                self.non_negative(&at("max_per_park"), m);
            }
            if let Some(m) = c.max_total {
                self.non_negative(&at("max_total"), m);
            }
            if let Some(b) = &c.build {
                self.build(id, b);
            }
        }
    }

    /// A chain's `build:` (MODEL.md §12): a positive unit and minimum, fixed uses of declared
    /// resources, none negative.
    fn build(&mut self, id: &str, b: &super::format::Build) {
        let at = |field: &str| format!("chains.{id}.build.{field}");
        for (field, value, example) in [("unit", b.unit, "0.6"), ("min", b.min, "2.0")] {
            let Some(v) = value else { continue };
            if self.coefficient(&at(field), v) && v <= 0.0 {
                self.err(
                    Diagnostic::at(
                        at(field),
                        format!("`{field}` must be more than 0, found {}", fmt_exact(v)),
                    )
                    .help(format!(
                        "give it in the chain's unit of activity, e.g. `{field}: {example}`, or leave `{field}` out"
                    )),
                );
            }
        }
        for (r, v) in &b.fixed {
            let path = at(&format!("fixed.{r}"));
            if self.reference(&path, r, "resource", "resources", &self.p.resources) {
                self.non_negative(&path, *v);
            }
        }
    }

    fn materials(&mut self) {
        for (id, m) in &self.p.materials {
            self.non_negative(&format!("materials.{id}.reuse_value"), m.reuse_value);
            self.non_negative(&format!("materials.{id}.disposal_cost"), m.disposal_cost);
            if let Some(ext) = &m.external {
                self.non_negative(&format!("materials.{id}.external.price"), ext.price);
                if let Some(l) = ext.limit {
                    self.non_negative(&format!("materials.{id}.external.limit"), l);
                }
            }
        }
    }

    fn parks(&mut self) {
        let p = self.p;
        for (id, park) in &p.parks {
            let at = |field: &str| format!("parks.{id}.{field}");
            if let Some(z) = &park.zone {
                self.reference(&at("zone"), z, "zone", "zones", &p.zones);
            }
            for (r, cap) in &park.capacity {
                if self.reference(
                    &at(&format!("capacity.{r}")),
                    r,
                    "resource",
                    "resources",
                    &p.resources,
                ) {
                    self.non_negative(&at(&format!("capacity.{r}")), *cap);
                }
            }
            if let Some(allowed) = &park.allowed {
                self.allowed(id, allowed);
            }
            self.existing(id, park);
        }
        self.existing_totals();
    }

    /// A park's `allowed` list: known chains, each once, at least one.
    fn allowed(&mut self, id: &str, allowed: &[String]) {
        let p = self.p;
        let at = |field: &str| format!("parks.{id}.{field}");
        let mut seen = Vec::new();
        for (i, c) in allowed.iter().enumerate() {
            let path = at(&format!("allowed.{i}"));
            if self.reference(&path, c, "chain", "chains", &p.chains) && seen.contains(&c) {
                self.err(
                    Diagnostic::at(path, format!("`{c}` is listed twice"))
                        .help("list each chain once"),
                );
            }
            seen.push(c);
        }
        if allowed.is_empty() {
            self.err(
                Diagnostic::at(at("allowed"), format!("park `{id}` allows no chain"))
                    .help("list at least one chain, or drop `allowed:` to allow every chain"),
            );
        }
    }

    /// A park's existing activity: known chains it allows, within their `max_per_park`.
    fn existing(&mut self, id: &str, park: &Park) {
        let p = self.p;
        for (c, e) in &park.existing {
            let path = format!("parks.{id}.existing.{c}");
            if !self.reference(&path, c, "chain", "chains", &p.chains) {
                continue;
            }
            self.non_negative(&path, *e);
            if let Some(allowed) = &park.allowed
                && !allowed.contains(c)
            {
                self.err(
                    Diagnostic::at(path.clone(), format!("park `{id}` has existing `{c}` activity but `{c}` is not in its `allowed` list"))
                        .help(format!("add `{c}` to parks.{id}.allowed, or remove the existing activity")),
                );
            }
            let chain = &p.chains[c];
            if let Some(m) = chain.max_per_park
                && m >= 0.0
                && *e > m
            {
                self.err(
                    Diagnostic::at(path, format!("existing `{c}` activity {} is above the chain's max_per_park {}", fmt_exact(*e), fmt_exact(m)))
                        .help(format!("raise chains.{c}.max_per_park to at least {}, or lower the existing activity", fmt_exact(*e))),
                );
            }
        }
    }

    /// Existing activity over all parks within each chain's `max_total`.
    fn existing_totals(&mut self) {
        let p = self.p;
        for (c, chain) in &p.chains {
            if let Some(m) = chain.max_total {
                let total: f64 = p
                    .parks
                    .values()
                    .filter_map(|park| park.existing.get(c))
                    .sum();
                if m >= 0.0 && total > m {
                    self.err(
                        Diagnostic::at(format!("chains.{c}.max_total"), format!("existing `{c}` activity sums to {}, above the chain's max_total {}", fmt_exact(total), fmt_exact(m)))
                            .help(format!("raise chains.{c}.max_total to at least {}", fmt_exact(total))),
                    );
                }
            }
        }
    }

    fn exchange(&mut self) {
        if let Some(AcrossZones::Costs(c)) = &self.p.exchange.across_zones {
            for (k, cost) in &c.cost {
                let path = format!("exchange.across_zones.cost.{k}");
                if self.reference(&path, k, "material", "materials", &self.p.materials) {
                    self.non_negative(&path, *cost);
                }
            }
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = names.map(String::as_str).collect();
    if v.is_empty() {
        "(none declared)".into()
    } else {
        v.join(", ")
    }
}

mod rules;
#[cfg(test)]
mod tests;
