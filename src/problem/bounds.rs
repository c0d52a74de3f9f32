//! The bounds validation derives for the model (MODEL.md §4.6): each park's candidate chains, the
//! upper bound on each candidate's activity that the data implies, the rule's `U[p,c]`
//! ([`ValidProblem::growth_bound`]) and `M_p` ([`ValidProblem::share_big_m`]) that follow from it,
//! and the diagnostics for chains the one-main-chain rule needs bounded but the data leaves
//! unbounded.

use super::diagnostic::Diagnostic;
use super::format::{AppliesTo, Problem};
use super::ids::{ChainIx, ParkIx};
use super::tables::Tables;
use super::validate::ValidProblem;
use crate::util::numbers::{fmt_exact, pretty_unit};

impl ValidProblem {
    /// `U[p,c]` of MODEL.md §4.6: the bound on `x − e` where `e` is existing activity, or 0 under
    /// the strict rule. Only meaningful when the rule is on (validation guarantees finiteness).
    pub fn growth_bound(&self, p: ParkIx, slot: usize) -> f64 {
        let c = self.candidates(p)[slot];
        let e = match self.rule() {
            Some(r) if r.strict => 0.0,
            _ => self.existing(p, c),
        };
        (self.upper(p, slot).unwrap_or(f64::INFINITY) - e).max(0.0)
    }

    /// `M_p` of MODEL.md §4.6 for the main chain's minimum share.
    pub fn share_big_m(&self, p: ParkIx) -> f64 {
        let share = self.rule().map_or(0.0, |r| r.min_share);
        let total: f64 = self
            .candidates(p)
            .iter()
            .enumerate()
            .map(|(slot, &c)| {
                self.problem().chains[c].output * self.upper(p, slot).unwrap_or(f64::INFINITY)
            })
            .sum();
        share * total
    }
}

/// The chains each park may run: its `allowed` list, or every chain.
pub(super) fn candidates(p: &Problem) -> Vec<Vec<ChainIx>> {
    p.parks
        .values()
        .map(|park| match &park.allowed {
            None => p.chain_ixs().collect(),
            Some(allowed) => {
                let mut v: Vec<ChainIx> = allowed.iter().filter_map(|c| p.chain_ix(c)).collect();
                v.sort_unstable();
                v
            }
        })
        .collect()
}

/// Upper bounds on activity implied by the data (MODEL.md §4.6): chain limits, and capacity or
/// pool divided by use for every consumed resource that no chain can produce where it binds.
///
/// Linear in parks × chains × resources: every sum over other parks or other chains is a total
/// taken once, less the candidate's own term.
pub(super) fn upper_bounds(
    p: &Problem,
    candidates: &[Vec<ChainIx>],
    t: &Tables,
) -> Vec<Vec<Option<f64>>> {
    let data = Data::new(p, candidates, t);
    p.park_ixs()
        .map(|pi| {
            candidates[pi.0]
                .iter()
                .map(|&c| {
                    let best = data.upper_bound(pi, c);
                    best.is_finite().then_some(best.max(0.0))
                })
                .collect()
        })
        .collect()
}

/// The problem with its candidates and the totals the bounds take, for the bound of one
/// candidate.
struct Data<'a> {
    p: &'a Problem,
    t: &'a Tables,
    /// Whether resource `r` counts new activity only, by resource.
    new_only: Vec<bool>,
    /// Existing activity of each chain over all parks.
    chain_existing: Vec<f64>,
    /// Whether a candidate of the park produces resource `r`, by park and resource.
    produced_in: Vec<Vec<bool>>,
    /// Whether a candidate of any park produces resource `r`, by resource.
    produced_anywhere: Vec<bool>,
    /// `Σ_c uses[c][r]·e[p,c]` over the park's candidates, by park and resource.
    park_existing_use: Vec<Vec<f64>>,
    /// The same over every park, by resource.
    city_existing_use: Vec<f64>,
}

impl<'a> Data<'a> {
    fn new(p: &'a Problem, candidates: &[Vec<ChainIx>], t: &'a Tables) -> Data<'a> {
        let nr = p.resources.len();
        let mut chain_existing = vec![0.0; p.chains.len()];
        for pi in p.park_ixs() {
            for c in p.chain_ixs() {
                chain_existing[c.0] += t.existing(pi, c);
            }
        }
        let mut produced_in = Vec::with_capacity(p.parks.len());
        let mut park_existing_use = Vec::with_capacity(p.parks.len());
        let mut produced_anywhere = vec![false; nr];
        let mut city_existing_use = vec![0.0; nr];
        for pi in p.park_ixs() {
            let (mut produced, mut used) = (vec![false; nr], vec![0.0; nr]);
            for &c in &candidates[pi.0] {
                let e = t.existing(pi, c);
                for r in 0..nr {
                    let u = t.uses(c, r);
                    produced[r] |= u < 0.0;
                    used[r] += u * e;
                }
            }
            for r in 0..nr {
                produced_anywhere[r] |= produced[r];
                city_existing_use[r] += used[r];
            }
            produced_in.push(produced);
            park_existing_use.push(used);
        }
        Data {
            p,
            t,
            new_only: p
                .resources
                .values()
                .map(|r| r.applies_to == AppliesTo::New)
                .collect(),
            chain_existing,
            produced_in,
            produced_anywhere,
            park_existing_use,
            city_existing_use,
        }
    }

    /// The tightest bound on the activity of chain `c` in park `pi` (infinite when none).
    fn upper_bound(&self, pi: ParkIx, c: ChainIx) -> f64 {
        let p = self.p;
        let park = &p.parks[pi];
        let chain = &p.chains[c];
        let e = self.t.existing(pi, c);
        let mut best = f64::INFINITY;
        if let Some(m) = chain.max_per_park {
            best = best.min(m);
        }
        if let Some(m) = chain.max_total {
            best = best.min(m - (self.chain_existing[c.0] - e));
        }
        for (r, (r_id, res)) in p.resources.iter().enumerate() {
            let u = self.t.uses(c, r);
            if u <= 0.0 {
                continue;
            }
            let own = u * e;
            if let Some(&cap) = park.capacity.get(r_id)
                && !self.produced_in[pi.0][r]
            {
                let others = (self.park_existing_use[pi.0][r] - own).max(0.0);
                best = best.min(resource_bound(cap, u, e, self.new_only[r], others));
            }
            if let Some(pool) = res.pool
                && !self.produced_anywhere[r]
            {
                let others = (self.city_existing_use[r] - own).max(0.0);
                best = best.min(resource_bound(pool, u, e, self.new_only[r], others));
            }
        }
        best
    }
}

/// Bound on `x` from `use · A ≤ limit`. For total activity the other chains' existing use is
/// committed (none of them can produce the resource, so each term is at least its existing use);
/// for new activity each other term is at least zero.
fn resource_bound(limit: f64, u: f64, e: f64, new_only: bool, others_existing: f64) -> f64 {
    if new_only {
        e + limit / u
    } else {
        (limit - others_existing) / u
    }
}

/// Under the one-main-chain rule, one diagnostic for each chain without a finite upper bound in
/// some park (named once, at the first such park); nothing when the rule is off.
pub(super) fn check_bounds(
    p: &Problem,
    candidates: &[Vec<ChainIx>],
    upper: &[Vec<Option<f64>>],
    rule_on: bool,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if !rule_on {
        return errors;
    }
    let mut reported = Vec::new();
    for (pi, park_id) in p.parks.keys().enumerate() {
        for (slot, &c) in candidates[pi].iter().enumerate() {
            if upper[pi][slot].is_none() && !reported.contains(&c) {
                reported.push(c);
                let chain_id = p.chain_id(c);
                errors.push(
                    Diagnostic::at(
                        format!("chains.{chain_id}"),
                        format!("chain `{chain_id}` has no finite upper bound in park `{park_id}`, which the one-main-chain rule needs"),
                    )
                    .help(format!(
                        "give chains.{chain_id}.max_per_park (or a capacity in park `{park_id}` of a resource the chain uses and no chain there produces)"
                    )),
                );
            }
        }
    }
    errors
}

/// MODEL.md §12: a chain with a minimum or a fixed outlay needs its switch `z[p,c]`, and the
/// switch needs a finite `N[p,c]` (`n ≤ N·z`) in every park that may run the chain. One
/// diagnostic per chain, at the first park without one.
pub(super) fn check_build_bounds(
    p: &Problem,
    candidates: &[Vec<ChainIx>],
    upper: &[Vec<Option<f64>>],
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut reported = Vec::new();
    for (pi, park_id) in p.parks.keys().enumerate() {
        for (slot, &c) in candidates[pi].iter().enumerate() {
            let needs = p.chains[c].build.as_ref().is_some_and(|b| b.needs_switch());
            if needs && upper[pi][slot].is_none() && !reported.contains(&c) {
                reported.push(c);
                let chain_id = p.chain_id(c);
                errors.push(
                    Diagnostic::at(
                        format!("chains.{chain_id}.build"),
                        format!("chain `{chain_id}` has a `build:` minimum or fixed outlay but no finite upper bound in park `{park_id}`, which the switch \"built or not\" needs"),
                    )
                    .help(format!(
                        "give chains.{chain_id}.max_per_park (or a capacity in park `{park_id}` of a resource the chain uses and no chain there produces)"
                    )),
                );
            }
        }
    }
    errors
}

/// MODEL.md §12: warnings for parks where a chain's `build.min` (or one `build.unit`) is above
/// `N[p,c]`, the most new activity the data allow it there: it can never grow in that park.
pub(super) fn unbuildable(
    p: &Problem,
    candidates: &[Vec<ChainIx>],
    t: &Tables,
    upper: &[Vec<Option<f64>>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
        for (slot, &c) in candidates[pi.0].iter().enumerate() {
            let Some(b) = &p.chains[c].build else {
                continue;
            };
            let Some(up) = upper[pi.0][slot] else {
                continue;
            };
            let n = (up - t.existing(pi, c)).max(0.0);
            let smallest = b.min.unwrap_or(0.0).max(b.unit.unwrap_or(0.0));
            if smallest > n * (1.0 + 1e-9) + 1e-9 {
                let chain_id = p.chain_id(c);
                let field = if b.min.unwrap_or(0.0) >= b.unit.unwrap_or(0.0) {
                    "min"
                } else {
                    "unit"
                };
                out.push(
                    Diagnostic::at(
                        format!("chains.{chain_id}.build.{field}"),
                        format!(
                            "chain `{chain_id}` cannot grow in park `{park_id}`: its smallest new build, {}, is above the {} the park's limits allow",
                            fmt_exact(smallest),
                            fmt_exact(n)
                        ),
                    )
                    .help(format!(
                        "lower chains.{chain_id}.build.{field}, or raise the park's limits (max_per_park, capacities) if it should be able to build"
                    )),
                );
            }
        }
    }
    out
}

/// One term of a floor: `chain amount × use`.
struct Term {
    chain: String,
    activity: f64,
    uses: f64,
}

impl Term {
    fn text(&self) -> String {
        format!(
            "{} {} × {}",
            self.chain,
            fmt_exact(self.activity),
            fmt_exact(self.uses)
        )
    }
}

/// The least use of resource `r` in park `pi` that any plan makes (MODEL.md §4.1): each chain of
/// the park that uses `r` at its existing activity (a floor, §3), each chain that supplies `r` at
/// the most activity the data allows it. `None` when a supplier has no such bound (the floor is
/// then unknown) or `r` counts new activity only (existing plant then draws nothing).
fn least_use(v: &ValidProblem, pi: ParkIx, r: &str) -> Option<(f64, Vec<Term>, Vec<Term>)> {
    let p = v.problem();
    if p.resources[r].applies_to == AppliesTo::New {
        return None;
    }
    let (mut total, mut floors, mut supplies) = (0.0, Vec::new(), Vec::new());
    for (slot, &c) in v.candidates(pi).iter().enumerate() {
        let u = p.chains[c].uses.get(r).copied().unwrap_or(0.0);
        let e = v.existing(pi, c);
        let (activity, into) = if u > 0.0 && e > 0.0 {
            (e, &mut floors)
        } else if u < 0.0 {
            (v.upper(pi, slot)?.max(e), &mut supplies)
        } else {
            continue;
        };
        total += u * activity;
        into.push(Term {
            chain: p.chain_id(c).to_string(),
            activity,
            uses: u,
        });
    }
    Some((total, floors, supplies))
}

/// Whether `used` is above `limit` by more than the solver's feasibility tolerance.
fn above(used: f64, limit: f64) -> bool {
    used > limit + 1e-9 * limit.abs().max(1.0)
}

/// The unit of resource `r`: its own, else the file's `units` entry for it.
fn unit_of(p: &Problem, r: &str) -> String {
    p.resources[r]
        .unit
        .clone()
        .or_else(|| p.units.get(r).cloned())
        .map(|u| format!(" {}", pretty_unit(&u)))
        .unwrap_or_default()
}

impl ValidProblem {
    /// The limits that existing plant alone exceeds, so that no plan can satisfy the problem: a
    /// park's capacity of a resource (`parks.<p>.capacity.<r>`), or a city pool
    /// (`resources.<r>.pool`), that the existing activity of the chains using it needs more of
    /// than there is, even with every chain that supplies the resource at its largest activity.
    /// Empty for a problem that may have a plan.
    pub fn existing_over_limits(&self) -> Vec<Diagnostic> {
        let p = self.problem();
        let mut errors = Vec::new();
        for (pi, (park_id, park)) in p.park_ixs().zip(&p.parks) {
            for (r, &cap) in &park.capacity {
                let Some((used, floors, supplies)) = least_use(self, pi, r) else {
                    continue;
                };
                if !above(used, cap) {
                    continue;
                }
                let unit = unit_of(p, r);
                let list = |terms: &[Term]| terms.iter().map(Term::text).collect::<Vec<_>>();
                let needed: f64 = floors.iter().map(|t| t.activity * t.uses).sum();
                let mut message = format!(
                    "park `{park_id}` cannot hold its existing plant: it needs {}{unit} of `{r}` ({})",
                    fmt_exact(needed),
                    list(&floors).join(" + ")
                );
                if !supplies.is_empty() {
                    message += &format!(
                        " and its chains that supply `{r}` give at most {}{unit} ({}): {}{unit} in all",
                        fmt_exact(needed - used),
                        list(&supplies).join(", "),
                        fmt_exact(used)
                    );
                }
                message += &format!(
                    ", above its capacity {}{unit}, so no plan exists",
                    fmt_exact(cap)
                );
                errors.push(Diagnostic::at(format!("parks.{park_id}.capacity.{r}"), message).help(
                    format!(
                        "raise parks.{park_id}.capacity.{r} to at least {}, or lower the existing activity in parks.{park_id}.existing",
                        fmt_exact(used)
                    ),
                ));
            }
        }
        for (r, res) in &p.resources {
            let Some(pool) = res.pool else { continue };
            let mut used = 0.0;
            let mut parks = Vec::new();
            let mut known = true;
            let mut supplied = false;
            for (pi, park_id) in p.park_ixs().zip(p.parks.keys()) {
                match least_use(self, pi, r) {
                    Some((u, floors, supplies)) => {
                        used += u;
                        supplied |= !supplies.is_empty();
                        if !floors.is_empty() || !supplies.is_empty() {
                            parks.push(format!("{park_id} {}", fmt_exact(u)));
                        }
                    }
                    None => known = false,
                }
            }
            if !known || !above(used, pool) {
                continue;
            }
            let unit = unit_of(p, r);
            let net = if supplied {
                format!(", after the most the chains that supply `{r}` can give")
            } else {
                String::new()
            };
            errors.push(
                Diagnostic::at(
                    format!("resources.{r}.pool"),
                    format!(
                        "the existing plant of all parks needs {}{unit} of `{r}` ({}){net}, above the city pool {}{unit}, so no plan exists",
                        fmt_exact(used),
                        parks.join(" + "),
                        fmt_exact(pool)
                    ),
                )
                .help(format!(
                    "raise resources.{r}.pool to at least {}, or lower the existing activity under parks.*.existing",
                    fmt_exact(used)
                )),
            );
        }
        errors
    }
}
