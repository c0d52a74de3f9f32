//! Batches of variants (MODEL.md §6): which variants a sweep solves and in which order, the slice
//! a shard takes, solving them side by side, and the one-row-per-variant [`Summary`].
//!
//! The list is deterministic — base, scenarios in file order, sweep points in file order with the
//! first varied path changing slowest — so that shard K of N on another machine solves exactly the
//! variants this one would. Each variant is expanded, validated and solved on its own with the
//! same code as `solve` ([`crate::batch::pool::solve_all`]). One whose changes cannot be applied, or that
//! is invalid, infeasible, unbounded or out of time, is a result with its reason, never an abort of
//! the batch. The output folder (plan files, summaries, resuming, merging) is [`dir`]'s business;
//! the summary formats are [`render`]'s.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::batch::pool::{VariantError, VariantResult, solve_all};
use crate::plan::Plan;
use crate::problem::{Diagnostic, Diagnostics, Problem, SourceFile};
use crate::solver::{SolveError, SolveOptions, VariantStatus};
use crate::variant::{self, Selection, Variant};

pub use crate::batch::folder::OutDir;

/// One variant of a batch, before it is solved.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its position in the whole batch (over all shards).
    pub index: usize,
    /// `base`, the scenario's name, or `sweep[path=value,…]`.
    pub name: String,
    /// The variant, or why its changes cannot be applied to the base problem.
    pub variant: Result<Variant, Diagnostics>,
}

/// Every variant `selection` asks for, in batch order.
///
/// Names the selection gives that the file does not define are bad input (`Err`). A scenario or
/// sweep whose changes cannot be applied (a path that matches nothing, a bad range) becomes an
/// entry carrying that error: one entry per scenario, one per sweep whose points cannot be listed.
/// Names are made unique (`name#2`), so each names one plan file.
pub fn list(
    src: &SourceFile,
    base: &Problem,
    selection: &Selection,
) -> Result<Vec<Entry>, Diagnostics> {
    let doc = &src.document;
    let mut found: Vec<(String, Result<Variant, Diagnostics>)> = Vec::new();
    if selection.base {
        found.push((crate::variant::BASE.into(), Ok(variant::base(doc, base))));
    }
    let scenarios: Vec<String> = match &selection.scenarios {
        None => base.scenarios.keys().cloned().collect(),
        Some(names) => names.clone(),
    };
    for name in scenarios {
        let v = variant::scenario(doc, base, &name).map_err(|d| src.diagnostics(vec![d]));
        if !base.scenarios.contains_key(&name) {
            // Unknown on the command line: the whole batch is wrong, not one variant.
            return Err(v.expect_err("an unknown scenario is an error"));
        }
        found.push((name, v));
    }
    let sweeps: Vec<String> = match &selection.sweeps {
        None => base.sweeps.keys().cloned().collect(),
        Some(names) => names.clone(),
    };
    for name in sweeps {
        if !base.sweeps.contains_key(&name) {
            let known = base.sweeps.keys().map(String::as_str);
            let d =
                Diagnostic::at("sweeps", format!("no sweep named `{name}`")).suggest(&name, known);
            let d = match (&d.help, base.sweeps.is_empty()) {
                (None, true) => d.help("this file defines no sweeps"),
                (None, false) => {
                    let all: Vec<&str> = base.sweeps.keys().map(String::as_str).collect();
                    d.help(format!("the sweeps are: {}", all.join(", ")))
                }
                _ => d,
            };
            return Err(src.diagnostics(vec![d]));
        }
        let one = Selection {
            base: false,
            scenarios: Some(Vec::new()),
            sweeps: Some(vec![name.clone()]),
        };
        match variant::expand(doc, base, &one) {
            Ok(points) => found.extend(points.into_iter().map(|v| (v.name.clone(), Ok(v)))),
            Err(d) => found.push((name, Err(src.diagnostics(vec![d])))),
        }
    }

    let mut taken = HashSet::new();
    let entries = found
        .into_iter()
        .enumerate()
        .map(|(index, (name, mut variant))| {
            let mut unique = name.clone();
            let mut n = 1;
            while !taken.insert(unique.clone()) {
                n += 1;
                unique = format!("{name}#{n}");
            }
            if let Ok(v) = &mut variant {
                v.name = unique.clone();
            }
            Entry {
                index,
                name: unique,
                variant,
            }
        })
        .collect();
    Ok(entries)
}

/// A fingerprint of a batch: its variant names in order. Shards of one batch share it.
pub fn fingerprint(entries: &[Entry]) -> String {
    crate::batch::names::fingerprint(entries.iter().map(|e| e.name.as_str()))
}

/// The K-th of N disjoint slices of a batch (`K/N`, 0 ≤ K < N).
///
/// Variants are dealt out in turn (variant i goes to shard i mod N) rather than cut into blocks:
/// neighbouring sweep points tend to take alike long to solve, so dealing them out evens the load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Shard {
    /// K: which slice, from 0.
    pub index: usize,
    /// N: how many slices.
    pub count: usize,
}

/// A `--shard` value that is not `K/N` with 0 ≤ K < N.
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{0}` is not a shard: write K/N with 0 ≤ K < N, e.g. 3/16 (the 4th of 16 slices)")]
pub struct ShardError(pub String);

impl Shard {
    /// The whole batch as one slice.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Whether the variant at `index` of the batch belongs to this slice.
    pub fn takes(&self, index: usize) -> bool {
        index % self.count == self.index
    }

    /// This slice of a batch.
    pub fn select(&self, entries: Vec<Entry>) -> Vec<Entry> {
        entries
            .into_iter()
            .filter(|e| self.takes(e.index))
            .collect()
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl From<Shard> for String {
    fn from(s: Shard) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for Shard {
    type Error = ShardError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Why a variant of a batch has no plan.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The variant's changes cannot be applied, or its problem is invalid.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The solver failed.
    #[error("{0}")]
    Solver(SolveError),
    /// The plan was found but could not be written to the output folder.
    #[error("cannot write {path}: {source}", path = .path.display())]
    Write {
        /// The plan file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The outcome of one variant of a batch.
#[derive(Debug)]
pub struct Outcome {
    /// Its position in the whole batch.
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its plan (whatever the solve status), or why there is none.
    pub result: Result<Plan, Failure>,
    /// Its plan file, relative to the output folder, when one was written or found.
    pub file: Option<String>,
    /// Whether the plan was read from an earlier run (`--resume`) rather than solved now.
    pub resumed: bool,
}

impl Outcome {
    /// How the variant ended.
    pub fn status(&self) -> VariantStatus {
        match &self.result {
            Ok(plan) => plan.status.into(),
            Err(Failure::Invalid(_)) => VariantStatus::Invalid,
            Err(_) => VariantStatus::Error,
        }
    }
}

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Settings of every solve (`time_limit` applies to each variant on its own).
    pub solve: SolveOptions,
    /// Variants solved at once; 0 for one per core.
    pub jobs: usize,
    /// Where to write each plan as it finishes.
    pub out: Option<OutDir>,
    /// Take the plans already in `out` instead of solving their variants again.
    pub resume: bool,
}

/// Solves every entry on `options.jobs` threads and returns one outcome per entry, in batch
/// order. `done` is called as each variant finishes (from a worker thread), after its plan file,
/// if any, is written in full: a run stopped at any moment keeps every plan it reported.
pub fn run(
    src: &SourceFile,
    entries: Vec<Entry>,
    options: &RunOptions,
    done: &(dyn Fn(&str, VariantStatus) + Sync),
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut todo = Vec::new();
    let mut index_of = HashMap::new();
    for e in entries {
        let earlier = match (&options.out, &e.variant) {
            (Some(out), Ok(_)) if options.resume => out.finished(&e.name),
            _ => None,
        };
        match (e.variant, earlier) {
            (Err(d), _) => {
                done(&e.name, VariantStatus::Invalid);
                outcomes.push(Outcome {
                    index: e.index,
                    name: e.name,
                    result: Err(Failure::Invalid(d)),
                    file: None,
                    resumed: false,
                });
            }
            (Ok(_), Some((plan, file))) => {
                done(&e.name, plan.status.into());
                outcomes.push(Outcome {
                    index: e.index,
                    name: e.name,
                    result: Ok(plan),
                    file: Some(file),
                    resumed: true,
                });
            }
            (Ok(v), None) => {
                index_of.insert(e.name, e.index);
                todo.push(v);
            }
        }
    }

    // Plan files written (or failed) by the workers, by variant name.
    let written: Mutex<HashMap<String, Result<String, Failure>>> = Mutex::new(HashMap::new());
    let on_solved = |r: &VariantResult| {
        let mut status = match &r.outcome {
            Ok(plan) => plan.status.into(),
            Err(VariantError::Invalid(_)) => VariantStatus::Invalid,
            Err(VariantError::Solver(_)) => VariantStatus::Error,
        };
        if let (Some(out), Ok(plan)) = (&options.out, &r.outcome) {
            let w = out.write_plan(plan);
            if w.is_err() {
                status = VariantStatus::Error;
            }
            written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(r.variant.name.clone(), w);
        }
        done(&r.variant.name, status);
    };
    let solved = solve_all(src, todo, &options.solve, options.jobs, &on_solved);
    let mut written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    for r in solved {
        let name = r.variant.name;
        let (result, file) = match (r.outcome, written.remove(&name)) {
            (Ok(_), Some(Err(e))) => (Err(e), None),
            (Ok(plan), Some(Ok(file))) => (Ok(plan), Some(file)),
            (Ok(plan), None) => (Ok(plan), None),
            (Err(VariantError::Invalid(d)), _) => (Err(Failure::Invalid(d)), None),
            (Err(VariantError::Solver(e)), _) => (Err(Failure::Solver(e)), None),
        };
        outcomes.push(Outcome {
            index: index_of[&name],
            name,
            result,
            file,
            resumed: false,
        });
    }
    outcomes.sort_by_key(|o| o.index);
    outcomes
}

/// The summary of a batch, or of one shard of it: one row per variant. Its JSON form is what
/// `sweep --format json` prints, what `sweep -o DIR` writes, and what `merge` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The problem's name.
    pub problem: Option<String>,
    /// Fingerprint of the batch's variant list; the shards of one batch share it.
    pub batch: String,
    /// Variants in the whole batch, over all shards.
    pub total: usize,
    /// The slice this summary covers (`K/N`); `null` for the whole batch.
    pub shard: Option<Shard>,
    /// One row per variant, in batch order.
    pub variants: Vec<VariantSummary>,
}

/// One variant in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// `base`, the scenario's name, or `sweep[path=value,…]`.
    pub name: String,
    /// How it ended.
    pub status: VariantStatus,
    /// The objective of MODEL.md §5; `null` without a plan.
    pub objective: Option<f64>,
    /// Total output value.
    pub output_value: Option<f64>,
    /// Total reuse value.
    pub reuse_value: Option<f64>,
    /// Each park's main chain, `{park: chain}`.
    pub main_chains: IndexMap<String, String>,
    /// The main chains that differ from the base plan's, `{park: chain}` (empty when none
    /// differ); `null` when this variant or the base has no plan in the summary.
    pub changed_main_chains: Option<IndexMap<String, String>>,
    /// Relative MIP gap of the plan.
    pub gap: Option<f64>,
    /// Why the variant has no optimal plan, in one line; `null` when it has one.
    pub message: Option<String>,
    /// Its plan file, relative to the output folder; `null` when none was written.
    pub plan: Option<String>,
    /// Its position in the whole batch, from 0.
    pub index: usize,
}

impl Summary {
    /// Summarises outcomes (in batch order) of a batch of `total` variants.
    pub fn new(
        problem: Option<String>,
        batch: String,
        total: usize,
        shard: Option<Shard>,
        outcomes: &[Outcome],
    ) -> Summary {
        let variants = outcomes.iter().map(VariantSummary::of).collect();
        let mut s = Summary {
            problem,
            batch,
            total,
            shard,
            variants,
        };
        s.compare_with_base();
        s
    }

    /// Fills in each variant's `changed_main_chains` from the base plan's main chains.
    pub fn compare_with_base(&mut self) {
        let base = self
            .variants
            .iter()
            .find(|v| v.name == crate::variant::BASE && v.status.has_plan())
            .map(|v| v.main_chains.clone());
        for v in &mut self.variants {
            v.changed_main_chains = match &base {
                Some(b) if v.status.has_plan() => Some(
                    v.main_chains
                        .iter()
                        .filter(|(park, chain)| b.get(*park) != Some(*chain))
                        .map(|(p, c)| (p.clone(), c.clone()))
                        .collect(),
                ),
                _ => None,
            };
        }
    }

    /// Whether every variant in the summary solved to optimality.
    pub fn all_optimal(&self) -> bool {
        self.variants
            .iter()
            .all(|v| v.status == VariantStatus::OPTIMAL)
    }

    /// The base variant's main chains, when the summary holds its plan.
    pub fn base_main_chains(&self) -> Option<&IndexMap<String, String>> {
        self.variants
            .iter()
            .find(|v| v.name == crate::variant::BASE && v.status.has_plan())
            .map(|v| &v.main_chains)
    }
}

impl VariantSummary {
    /// The row of one outcome (`changed_main_chains` is left for [`Summary::compare_with_base`]).
    pub fn of(o: &Outcome) -> VariantSummary {
        let status = o.status();
        let mut row = VariantSummary {
            name: o.name.clone(),
            status,
            objective: None,
            output_value: None,
            reuse_value: None,
            main_chains: IndexMap::new(),
            changed_main_chains: None,
            gap: None,
            message: None,
            plan: o.file.clone(),
            index: o.index,
        };
        match &o.result {
            Ok(plan) => {
                row.objective = plan.objective;
                row.output_value = plan.output_value;
                row.reuse_value = plan.reuse_value;
                row.main_chains = plan.main_chains.clone();
                row.gap = plan.gap;
                row.message = plan.status.message(plan.gap);
            }
            Err(Failure::Invalid(d)) => row.message = Some(one_line(d)),
            Err(e) => row.message = Some(e.to_string()),
        }
        row
    }
}

/// Diagnostics in one line each, with file:line:column where known, joined by `; `.
pub fn one_line(d: &Diagnostics) -> String {
    d.items
        .iter()
        .map(|item| {
            let mut s = item.message.clone();
            match (item.location, &item.path) {
                (Some(loc), _) => {
                    s += &format!(" ({}:{}:{})", d.file.display(), loc.line, loc.column)
                }
                (None, Some(path)) => s += &format!(" ({}, at {path})", d.file.display()),
                (None, None) => s += &format!(" ({})", d.file.display()),
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::SolveStatus;
    use std::path::Path;

    const FILE: &str = "
name: t
resources: { land: {} }
zones: { z: {} }
parks:
  a: { zone: z, capacity: { land: 10 }, existing: { c: 1 } }
  b: { zone: z, capacity: { land: 6 } }
chains:
  c: { output: 1, uses: { land: 1 }, max_per_park: 5 }
scenarios:
  wide: { scale: { 'parks.*.capacity.land': 2 } }
  broken: { set: { 'parks.z.capacity.land': 1 } }
  narrow: { scale: { 'parks.a.capacity.land': 0.5 } }
sweeps:
  land:
    vary:
      'parks.a.capacity.land': [1, 2]
      'parks.b.capacity.land': { from: 1, to: 3, steps: 3 }
  bad:
    vary: { 'parks.a.capcity.land': [1] }
";

    fn file() -> (SourceFile, Problem) {
        let src = SourceFile::parse(Path::new("t.yaml"), FILE.into()).unwrap();
        let base = src.base_problem().unwrap();
        (src, base)
    }

    fn all() -> Selection {
        Selection {
            base: true,
            scenarios: None,
            sweeps: None,
        }
    }

    #[test]
    fn lists_base_scenarios_then_sweep_points_in_file_order() {
        let (src, base) = file();
        let e = list(&src, &base, &all()).unwrap();
        let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 1 + 3 + 6 + 1);
        assert_eq!(&names[..4], ["base", "wide", "broken", "narrow"]);
        assert_eq!(
            names[4],
            "land[parks.a.capacity.land=1,parks.b.capacity.land=1.0]"
        );
        assert_eq!(
            names[9],
            "land[parks.a.capacity.land=2,parks.b.capacity.land=3.0]"
        );
        assert_eq!(names[10], "bad");
        assert!(e.iter().enumerate().all(|(i, e)| e.index == i));
    }

    #[test]
    fn a_change_that_cannot_be_applied_is_that_variant_s_error() {
        let (src, base) = file();
        let e = list(&src, &base, &all()).unwrap();
        let broken = e[2].variant.as_ref().unwrap_err();
        assert!(
            one_line(broken).contains("has no `z`"),
            "{}",
            one_line(broken)
        );
        assert!(one_line(broken).contains("t.yaml:"), "{}", one_line(broken));
        let bad = e[10].variant.as_ref().unwrap_err();
        assert!(
            one_line(bad).contains("did you mean `capacity`?"),
            "{}",
            one_line(bad)
        );
        assert!(e[1].variant.is_ok() && e[3].variant.is_ok());
    }

    #[test]
    fn unknown_names_are_bad_input() {
        let (src, base) = file();
        let sel = Selection {
            base: true,
            scenarios: Some(vec!["wid".into()]),
            sweeps: Some(vec![]),
        };
        let err = list(&src, &base, &sel).unwrap_err().to_string();
        assert!(err.contains("did you mean `wide`?"), "{err}");
        let sel = Selection {
            base: true,
            scenarios: Some(vec![]),
            sweeps: Some(vec!["lnd".into()]),
        };
        let err = list(&src, &base, &sel).unwrap_err().to_string();
        assert!(err.contains("no sweep named `lnd`"), "{err}");
        assert!(err.contains("did you mean `land`?"), "{err}");
    }

    #[test]
    fn a_selection_keeps_batch_order_and_names_stay_unique() {
        let (src, base) = file();
        let sel = Selection {
            base: true,
            scenarios: Some(vec!["narrow".into(), "wide".into(), "wide".into()]),
            sweeps: Some(vec![]),
        };
        let e = list(&src, &base, &sel).unwrap();
        let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["base", "narrow", "wide", "wide#2"]);
        assert_eq!(e[3].variant.as_ref().unwrap().name, "wide#2");
    }

    #[test]
    fn shards_are_disjoint_and_cover_the_batch() {
        let (src, base) = file();
        let e = list(&src, &base, &all()).unwrap();
        for n in 1..=5 {
            let mut seen: Vec<usize> = (0..n)
                .flat_map(|k| {
                    Shard { index: k, count: n }
                        .select(e.clone())
                        .into_iter()
                        .map(|e| e.index)
                })
                .collect();
            seen.sort();
            assert_eq!(seen, (0..e.len()).collect::<Vec<_>>(), "{n} shards");
        }
    }

    #[test]
    fn shards_parse_as_k_of_n() {
        assert_eq!(
            "3/16".parse::<Shard>().unwrap(),
            Shard {
                index: 3,
                count: 16
            }
        );
        assert_eq!("0/1".parse::<Shard>().unwrap(), Shard::WHOLE);
        for bad in ["16/16", "1/0", "3", "a/b", "-1/4", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let json = serde_json::to_string(&Shard { index: 2, count: 8 }).unwrap();
        assert_eq!(json, "\"2/8\"");
        assert_eq!(
            serde_json::from_str::<Shard>(&json).unwrap().to_string(),
            "2/8"
        );
    }

    #[test]
    fn a_batch_with_an_infeasible_and_an_invalid_variant_still_solves_the_rest() {
        let text = format!("{FILE}  starved:\n    vary: {{ 'parks.a.capacity.land': [0.5, 8] }}\n");
        let src = SourceFile::parse(Path::new("t.yaml"), text).unwrap();
        let base = src.base_problem().unwrap();
        let mut sel = all();
        sel.sweeps = Some(vec!["starved".into()]);
        sel.scenarios = Some(vec!["broken".into(), "wide".into()]);
        let entries = list(&src, &base, &sel).unwrap();
        let options = RunOptions {
            solve: SolveOptions::default(),
            jobs: 2,
            out: None,
            resume: false,
        };
        let count = std::sync::atomic::AtomicUsize::new(0);
        let outcomes = run(&src, entries, &options, &|_, _| {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        });
        assert_eq!(count.into_inner(), outcomes.len());
        let s = Summary::new(
            Some("t".into()),
            "x".into(),
            outcomes.len(),
            None,
            &outcomes,
        );
        let got: Vec<(&str, VariantStatus)> = s
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.status))
            .collect();
        assert_eq!(got[0], ("base", VariantStatus::OPTIMAL));
        assert_eq!(got[1], ("broken", VariantStatus::Invalid));
        assert_eq!(got[2], ("wide", VariantStatus::OPTIMAL));
        // Park a's existing activity needs more land than it has: infeasible, and the batch goes on.
        assert_eq!(got[3].1, VariantStatus::Solved(SolveStatus::Infeasible));
        assert_eq!(got[4].1, VariantStatus::OPTIMAL);
        assert_eq!(s.variants[0].objective, Some(10.0));
        assert_eq!(s.variants[2].objective, Some(10.0));
        assert_eq!(s.variants[0].changed_main_chains, Some(IndexMap::new()));
        assert!(
            s.variants[1]
                .message
                .as_deref()
                .unwrap()
                .contains("has no `z`")
        );
        assert!(!s.all_optimal());
    }
}
