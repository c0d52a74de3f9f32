//! Batches of variants (MODEL.md §6): which variants a sweep solves and in which order, and
//! solving them side by side.
//!
//! The list is deterministic — base, scenarios in file order, sweep points in file order with the
//! first varied path changing slowest — so that shard K of N on another machine solves exactly the
//! variants this one would ([`crate::batch::shard`]). Each variant is expanded, validated and solved
//! on its own with the same code as `solve` ([`crate::batch::pool::solve_all`]). One whose changes
//! cannot be applied, or that is invalid, infeasible, unbounded or out of time, is a result with
//! its reason, never an abort of the batch. The output folder (plan files, summaries, resuming,
//! merging) is [`crate::batch::folder`]'s business; the one-row-per-variant summary is
//! [`crate::batch::summary`]'s.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::batch::names::Fnv;
pub use crate::batch::pool::Failure;
pub use crate::batch::pool::Ties;
use crate::batch::pool::{VariantResult, solve_all};
use crate::plan::Plan;
use crate::problem::{Diagnostic, Diagnostics, Problem, SourceFile};
use crate::solver::{SolveOptions, SolveStatus, VariantStatus, watch};
use crate::variant::{self, PointsError, Selection, SweepPoints, Variant};

pub use crate::batch::folder::{Earlier, FolderError, OutDir};
pub use crate::batch::shard::{Shard, ShardError};
pub use crate::batch::summary::{Summary, VariantSummary, one_line};

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

/// Every variant a selection asks for, in batch order, listed without being built: a scenario is
/// applied when listed (there are few), a sweep point only when [`Batch::entry`] asks for it, so
/// a shard builds only its own slice and a batch of a million points costs no more memory than
/// its slice.
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    src: &'a SourceFile,
    /// The document without scenarios and sweeps, which each point changes.
    stripped: serde_yaml::Value,
    parts: Vec<Part>,
    /// How often each name of a [`Part::One`] is taken, for the points' unique names.
    taken: HashMap<String, usize>,
    total: usize,
}

/// A run of consecutive entries of a batch.
#[derive(Debug, Clone)]
enum Part {
    /// One entry: the base, a scenario, or a sweep whose points cannot be listed.
    One(Box<Entry>),
    /// The points of a sweep, from position `start`; `repeat` earlier selections of the same
    /// sweep took its names first.
    Points {
        start: usize,
        points: SweepPoints,
        repeat: usize,
    },
}

impl<'a> Batch<'a> {
    /// Variants in the batch.
    pub fn len(&self) -> usize {
        self.total
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The file the batch is of.
    pub fn source(&self) -> &'a SourceFile {
        self.src
    }

    /// The part holding position `i`, with the position within it.
    fn part(&self, i: usize) -> (&Part, usize) {
        let k = self.parts.partition_point(|p| match p {
            Part::One(e) => e.index <= i,
            Part::Points { start, .. } => *start <= i,
        });
        let part = &self.parts[k - 1];
        match part {
            Part::One(_) => (part, 0),
            Part::Points { start, .. } => (part, i - start),
        }
    }

    /// The unique name of point `local` of a sweep selected after `repeat` others of it.
    fn point_name(&self, points: &SweepPoints, repeat: usize, local: usize) -> String {
        let name = points.name(local);
        match repeat + self.taken.get(&name).copied().unwrap_or(0) {
            0 => name,
            n => format!("{name}#{}", n + 1),
        }
    }

    /// The name of the variant at position `i`, without building it.
    pub fn name(&self, i: usize) -> String {
        match self.part(i) {
            (Part::One(e), _) => e.name.clone(),
            (Part::Points { points, repeat, .. }, local) => self.point_name(points, *repeat, local),
        }
    }

    /// The entry at position `i` (< [`Batch::len`]), built now.
    pub fn entry(&self, i: usize) -> Entry {
        match self.part(i) {
            (Part::One(e), _) => (**e).clone(),
            (Part::Points { points, repeat, .. }, local) => {
                let name = self.point_name(points, *repeat, local);
                let variant = points
                    .point(&self.stripped, local)
                    .map(|mut v| {
                        v.name = name.clone();
                        v
                    })
                    .map_err(|d| self.src.diagnostics(vec![d]));
                Entry {
                    index: i,
                    name,
                    variant,
                }
            }
        }
    }

    /// The entries of one shard's slice, built now; the others are never built.
    pub fn select(&self, shard: Shard) -> Vec<Entry> {
        (shard.index..self.total)
            .step_by(shard.count)
            .map(|i| self.entry(i))
            .collect()
    }

    /// Every entry of the batch, built now.
    pub fn entries(&self) -> Vec<Entry> {
        self.select(Shard::WHOLE)
    }
}

/// Every variant `selection` asks for, in batch order, as a [`Batch`] that builds each when asked.
///
/// Names the selection gives that the file does not define, and sweeps with more points than
/// `selection.max_points`, are bad input (`Err`). A scenario or sweep whose changes cannot be
/// applied (a path that matches nothing, a bad range) becomes an entry carrying that error: one
/// entry per scenario, one per sweep whose points cannot be listed (its first point is applied to
/// find out). Names are made unique (`name#2`), so each names one plan file.
pub fn list<'a>(
    src: &'a SourceFile,
    base: &Problem,
    selection: &Selection,
) -> Result<Batch<'a>, Diagnostics> {
    let doc = &src.document;
    let mut batch = Batch {
        src,
        stripped: variant::strip_variants(doc),
        parts: Vec::new(),
        taken: HashMap::new(),
        total: 0,
    };
    // Names already given to single entries, made unique as they come.
    let mut unique_names: HashSet<String> = HashSet::new();
    let mut one = |batch: &mut Batch, name: String, mut variant: Result<Variant, Diagnostics>| {
        *batch.taken.entry(name.clone()).or_insert(0) += 1;
        let mut unique = name.clone();
        let mut n = 1;
        while !unique_names.insert(unique.clone()) {
            n += 1;
            unique = format!("{name}#{n}");
        }
        if let Ok(v) = &mut variant {
            v.name = unique.clone();
        }
        batch.parts.push(Part::One(Box::new(Entry {
            index: batch.total,
            name: unique,
            variant,
        })));
        batch.total += 1;
    };
    if selection.base {
        one(
            &mut batch,
            crate::variant::BASE.into(),
            Ok(variant::base(doc, base)),
        );
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
        one(&mut batch, name, v);
    }
    let sweeps: Vec<String> = match &selection.sweeps {
        None => base.sweeps.keys().cloned().collect(),
        Some(names) => names.clone(),
    };
    let mut repeats: HashMap<String, usize> = HashMap::new();
    for name in sweeps {
        if !base.sweeps.contains_key(&name) {
            return Err(src.diagnostics(vec![unknown_sweep(base, &name)]));
        }
        let listed = match SweepPoints::new(base, &name, selection.max_points) {
            Err(PointsError::TooMany(d)) => return Err(src.diagnostics(vec![d])),
            Err(PointsError::Invalid(d)) => Err(d),
            // A path that matches nothing fails every point: the sweep is one entry with it.
            Ok(points) => match points.point(&batch.stripped, 0) {
                Err(d) => Err(d),
                Ok(_) => Ok(points),
            },
        };
        match listed {
            Err(d) => one(&mut batch, name, Err(src.diagnostics(vec![d]))),
            Ok(points) => {
                let repeat = repeats.entry(name).or_insert(0);
                let len = points.len();
                batch.parts.push(Part::Points {
                    start: batch.total,
                    points,
                    repeat: *repeat,
                });
                *repeat += 1;
                batch.total += len;
            }
        }
    }
    Ok(batch)
}

/// `name` is not a sweep of `base`: a near name, or the sweeps there are.
fn unknown_sweep(base: &Problem, name: &str) -> Diagnostic {
    let known = base.sweeps.keys().map(String::as_str);
    let d = Diagnostic::at("sweeps", format!("no sweep named `{name}`")).suggest(name, known);
    match (&d.help, base.sweeps.is_empty()) {
        (None, true) => d.help("this file defines no sweeps"),
        (None, false) => {
            let all: Vec<&str> = base.sweeps.keys().map(String::as_str).collect();
            d.help(format!("the sweeps are: {}", all.join(", ")))
        }
        _ => d,
    }
}

/// A fingerprint of a batch: the file's content (in canonical form, so comments and layout do not
/// count), the variants selected, and the solver options that change results. The shards of one
/// batch share it; shards of another version of the file, another selection or other options do
/// not, and `merge` refuses to join them.
pub fn fingerprint(batch: &Batch, options: &SolveOptions) -> String {
    let mut h = Fnv::default();
    h.write_str("parkplan batch 1");
    h.write_document(&batch.src.document);
    for part in &batch.parts {
        match part {
            Part::One(e) => {
                h.write(b"1");
                h.write_str(&e.name);
            }
            Part::Points { points, repeat, .. } => {
                h.write(b"p");
                h.write_str(&points.sweep);
                h.write(&(*repeat as u64).to_le_bytes());
            }
        }
    }
    h.write(&(batch.total as u64).to_le_bytes());
    write_options(&mut h, options);
    h.hex()
}

/// A fingerprint of one variant as solved: its problem document after every change of its
/// scenario or sweep point (in canonical form), and the solver options that change results. A plan
/// file records it, and `--resume` takes a plan only when it matches.
pub fn variant_fingerprint(variant: &Variant, options: &SolveOptions) -> String {
    let mut h = Fnv::default();
    h.write_str("parkplan variant 1");
    h.write_document(&variant.document);
    write_options(&mut h, options);
    h.hex()
}

/// The fingerprint of a variant as a run solves it: [`variant_fingerprint`], and whether its
/// plan was checked for a tie when it was not (a plan without the check names no tie).
fn run_fingerprint(variant: &Variant, options: &RunOptions) -> String {
    match options.ties {
        Ties::Check => variant_fingerprint(variant, &options.solve),
        Ties::Skip => {
            let mut h = Fnv::default();
            h.write_str("parkplan variant 1");
            h.write_document(&variant.document);
            write_options(&mut h, &options.solve);
            h.write(b"no_tie_check");
            h.hex()
        }
    }
}

/// Feeds the solver options that change a plan: the MIP gap and the time limit.
fn write_options(h: &mut Fnv, options: &SolveOptions) {
    h.write(b"gap");
    h.write(&options.mip_rel_gap.to_bits().to_le_bytes());
    h.write(b"time_limit");
    match options.time_limit {
        None => h.write(b"none"),
        Some(t) => h.write(&t.to_bits().to_le_bytes()),
    }
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
    /// Why its plan, though solved, is not in the output folder (a write that failed).
    pub unwritten: Option<Failure>,
    /// Whether the plan was read from an earlier run (`--resume`) rather than solved now.
    pub resumed: bool,
    /// Whether an earlier run's plan was there but for another version of the problem or other
    /// options, so the variant was solved again.
    pub stale: bool,
    /// Whether its solve was stopped by Ctrl-C ([`crate::solver::watch::interrupt`]): its plan,
    /// if any, is the best found by then, and its plan file records that, so that `--resume`
    /// solves it again.
    pub stopped: bool,
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
    /// Take the plans already in `out` for the same problem and options instead of solving
    /// their variants again.
    pub resume: bool,
    /// Whether each plan is checked for a tied optimum.
    pub ties: Ties,
}

/// Called as each variant of a batch finishes, with its name and how it ended.
type Done<'a> = &'a (dyn Fn(&str, VariantStatus) + Sync);

/// Solves every entry on `options.jobs` threads and returns one outcome per entry, in batch
/// order. `done` is called as each variant finishes (from a worker thread), after its plan file,
/// if any, is written in full: a run stopped at any moment keeps every plan it reported.
///
/// With an output folder, a plan is taken from it (`resume`) only when it records the
/// fingerprint of the variant as it is now ([`variant_fingerprint`]); without `resume` the
/// plans of these variants there are removed first. Afterwards the folder holds a plan for
/// exactly the variants whose outcome names a file: a variant without one (invalid now, or its
/// plan not written) loses any plan an earlier run left, and every outcome's file is read back,
/// so that a summary of these outcomes cannot contradict the folder.
pub fn run(
    src: &SourceFile,
    entries: Vec<Entry>,
    options: &RunOptions,
    done: &(dyn Fn(&str, VariantStatus) + Sync),
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut todo = Vec::new();
    let mut index_of = HashMap::new();
    let mut stale = HashSet::new();
    for e in entries {
        let earlier = match (&options.out, &e.variant) {
            (Some(out), Ok(v)) if options.resume => {
                out.earlier(&e.name, &run_fingerprint(v, options))
            }
            (Some(out), Ok(_)) => {
                // Solved again: an old plan must not outlive a run that is stopped.
                let _ = out.remove_plan(&e.name);
                Earlier::Missing
            }
            _ => Earlier::Missing,
        };
        match (e.variant, earlier) {
            (Err(d), _) => {
                done(&e.name, VariantStatus::Invalid);
                outcomes.push(Outcome {
                    index: e.index,
                    name: e.name,
                    result: Err(Failure::Invalid(d)),
                    file: None,
                    unwritten: None,
                    resumed: false,
                    stale: false,
                    stopped: false,
                });
            }
            (Ok(_), Earlier::Fresh(plan, file)) => {
                done(&e.name, plan.status.into());
                outcomes.push(Outcome {
                    index: e.index,
                    name: e.name,
                    result: Ok(*plan),
                    file: Some(file),
                    unwritten: None,
                    resumed: true,
                    stale: false,
                    stopped: false,
                });
            }
            (Ok(v), earlier) => {
                if matches!(earlier, Earlier::Stale) {
                    stale.insert(e.name.clone());
                }
                index_of.insert(e.name, e.index);
                todo.push(v);
            }
        }
    }
    outcomes.extend(solve_rest(src, todo, &index_of, options, done));
    for o in &mut outcomes {
        o.stale = stale.contains(&o.name);
    }
    if let Some(out) = &options.out {
        check_folder(out, &mut outcomes);
    }
    outcomes.sort_by_key(|o| o.index);
    outcomes
}

/// Makes the folder agree with the outcomes: removes the plan an earlier run left for a variant
/// that has none now, and reads back every plan file named, marking as not written one that is
/// gone or changed.
fn check_folder(out: &OutDir, outcomes: &mut [Outcome]) {
    for o in outcomes.iter_mut() {
        let Some(file) = &o.file else {
            let _ = out.remove_plan(&o.name);
            continue;
        };
        let Ok(plan) = &o.result else { continue };
        let fresh = plan
            .fingerprint
            .as_deref()
            .is_some_and(|fp| matches!(out.earlier(&o.name, fp), Earlier::Fresh(..)));
        if !fresh {
            o.unwritten = Some(Failure::Write {
                path: out.root().join(file),
                source: std::io::Error::other(
                    "the plan file was changed or removed while the sweep ran",
                ),
            });
            o.file = None;
        }
    }
}

/// Added to the fingerprint of a plan cut short by Ctrl-C: it matches no variant's, so
/// `--resume` solves the variant again.
const STOPPED: &str = "-stopped";

/// Solves `todo` side by side, writing each plan to the output folder (if any) as it finishes;
/// `index_of` gives each variant's position in the batch. A plan that cannot be written is kept
/// in its outcome, with why it is not in the folder.
fn solve_rest(
    src: &SourceFile,
    todo: Vec<Variant>,
    index_of: &HashMap<String, usize>,
    options: &RunOptions,
    done: Done<'_>,
) -> Vec<Outcome> {
    // Plan files written (or failed) by the workers, by variant name, with the fingerprint.
    type Written = (Result<String, Failure>, String);
    let written: Mutex<HashMap<String, Written>> = Mutex::new(HashMap::new());
    let stopped: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let on_solved = |r: &VariantResult| {
        let status = match &r.outcome {
            Ok(plan) => plan.status.into(),
            Err(Failure::Invalid(_)) => VariantStatus::Invalid,
            Err(_) => VariantStatus::Error,
        };
        // Cut short by Ctrl-C: the plan is kept, marked so that a resumed run solves it again.
        let cut_short = (watch::interrupted() || watch::cancelled())
            && matches!(
                status,
                VariantStatus::Solved(SolveStatus::TimeLimit | SolveStatus::NoSolution)
            );
        if cut_short {
            stopped
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(r.variant.name.clone());
        }
        if let (Some(out), Ok(plan)) = (&options.out, &r.outcome) {
            let mut fingerprint = run_fingerprint(&r.variant, options);
            if cut_short {
                fingerprint.push_str(STOPPED);
            }
            let w = out.write_plan(plan, &fingerprint);
            written
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(r.variant.name.clone(), (w, fingerprint));
        }
        done(&r.variant.name, status);
    };
    let solved = solve_all(
        src,
        todo,
        &options.solve,
        options.jobs,
        options.ties,
        &on_solved,
    );
    let mut written = written.into_inner().unwrap_or_else(|e| e.into_inner());
    let stopped = stopped.into_inner().unwrap_or_else(|e| e.into_inner());
    solved
        .into_iter()
        .map(|r| {
            let name = r.variant.name;
            let mut outcome = Outcome {
                index: index_of[&name],
                name: name.clone(),
                result: r.outcome,
                file: None,
                unwritten: None,
                resumed: false,
                stale: false,
                stopped: stopped.contains(&name),
            };
            match (&mut outcome.result, written.remove(&name)) {
                (Ok(plan), Some((Ok(file), fingerprint))) => {
                    plan.fingerprint = Some(fingerprint);
                    outcome.file = Some(file);
                }
                (Ok(_), Some((Err(e), _))) => outcome.unwritten = Some(e),
                _ => {}
            }
            outcome
        })
        .collect()
}

#[cfg(test)]
mod tests;
