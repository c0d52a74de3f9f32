//! `check`: every known optimum in a set of problem files, solved and compared, for CI.
//!
//! A *case* is the base problem of a file when it carries `expected:`, and every scenario that
//! carries its own. Each case is validated, solved, compared with its expected status, objective
//! (relative tolerance from the file, default 1e-6) and main chains, and its plan is then run
//! through [`crate::plan::verify`], so a plan that a faulty solve made infeasible cannot pass. Cases run
//! in parallel; the report lists them in file order, then scenario order.
//!
//! Once the solves are asked to stop (Ctrl-C, SIGTERM: [`crate::solver::watch`]), the cases
//! finished are kept as they ended, the one running ends as [`Outcome::Stopped`] unless it had
//! passed, and those not started are not started ([`Outcome::Stopped`] too); the report's
//! `stopped_by` names the cause.
//!
//! Renderings of the report (text, JSON, JUnit XML) are strings; the CLI decides where they go.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::batch::pool::{Failure, Ties, solve_against};
use crate::plan::Plan;
use crate::plan::verify::{self, Violation, num};
use crate::problem::format::{Expected, ExpectedStatus};
use crate::problem::{SourceFile, ValidProblem};
use crate::solver::{SolveOptions, SolveStatus, StopCause, watch};
use crate::variant::{self, Variant};

/// Relative tolerance on the objective when `expected:` gives none (MODEL.md §8).
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// How to run a check.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// Solver settings for every case.
    pub solve: SolveOptions,
    /// Worker threads (0 = one per core).
    pub jobs: usize,
    /// Tolerance of the verification of every plan.
    pub verify_tolerance: f64,
    /// Whether each plan is checked for a tied optimum (one MILP more per case).
    pub ties: Ties,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            solve: SolveOptions::default(),
            jobs: 0,
            verify_tolerance: verify::DEFAULT_TOLERANCE,
            ties: Ties::Check,
        }
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Status, objective and main chains as expected, and the plan verifies.
    Pass,
    /// Something differs from what was expected, or the plan does not verify.
    Fail,
    /// The file or the variant is not a valid problem.
    Invalid,
    /// The solver failed.
    Error,
    /// The file has no `expected:` block anywhere.
    Skipped,
    /// A signal stopped the run before the case could be decided: stopped while it ran, or not
    /// started (the detail says which).
    Stopped,
}

impl Outcome {
    /// The word a report line starts with.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "ok",
            Outcome::Fail => "FAIL",
            Outcome::Invalid => "INVALID",
            Outcome::Error => "ERROR",
            Outcome::Skipped => "skip",
            Outcome::Stopped => "STOPPED",
        }
    }
}

/// One checked case.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    /// The problem file, as given or found.
    pub file: String,
    /// `base`, a scenario's name, or `(file)` when the file itself cannot be read or validated.
    pub variant: String,
    /// How it ended.
    pub outcome: Outcome,
    /// What was expected.
    pub expected: Option<Expected>,
    /// The status the solve ended with.
    pub status: Option<SolveStatus>,
    /// The objective found.
    pub objective: Option<f64>,
    /// The main chains found.
    pub main_chains: IndexMap<String, String>,
    /// Another main-chain assignment reaching the same objective, when the tie check found one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<crate::plan::Tie>,
    /// Each difference from what was expected, in words.
    pub failures: Vec<String>,
    /// Constraints the plan violates (from `verify`).
    pub violations: Vec<Violation>,
    /// Diagnostics of an invalid file or variant, the solver's error, or why a case is skipped.
    pub detail: Option<String>,
    /// Seconds spent on the case.
    pub seconds: f64,
}

impl Case {
    fn new(file: &Path, variant: &str, outcome: Outcome) -> Case {
        Case {
            file: file.display().to_string(),
            variant: variant.to_string(),
            outcome,
            expected: None,
            status: None,
            objective: None,
            main_chains: IndexMap::new(),
            tie: None,
            failures: Vec::new(),
            violations: Vec::new(),
            detail: None,
            seconds: 0.0,
        }
    }
}

/// Counts over all cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Problem files looked at.
    pub files: usize,
    /// Cases, skipped ones included.
    pub cases: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Invalid files or variants.
    pub invalid: usize,
    /// Solver failures.
    pub errors: usize,
    /// Files without any `expected:` block.
    pub skipped: usize,
    /// Cases a signal stopped while they ran or before they started.
    #[serde(skip_serializing_if = "is_zero")]
    pub stopped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Counts.
    pub summary: Summary,
    /// Every case, in file order, then base before scenarios in file order.
    pub cases: Vec<Case>,
    /// What stopped the run before every case was decided (`sigint`, `sigterm`), if something
    /// did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<StopCause>,
}

/// The problem files named by `paths`: files as given, directories searched recursively for
/// `*.yaml`, `*.yml` and workbooks (`*.xlsx`, `*.ods`, …), in sorted order, hidden entries and
/// the lock files of open workbooks (`~$…`) skipped. A folder holding `parks.csv` is one problem
/// written as CSV files, taken whole rather than searched. A path that does not exist is returned
/// as an error beside the others.
pub fn problem_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, String)>> {
    /// `seen` holds the canonical folders on the way down: a symlink back to one of them is a
    /// loop, reported once rather than followed.
    fn walk(
        dir: &Path,
        seen: &mut Vec<PathBuf>,
        out: &mut Vec<Result<PathBuf, (PathBuf, String)>>,
    ) {
        let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if seen.contains(&real) {
            out.push(Err((
                dir.to_path_buf(),
                "a symlink loop: this folder is one it lies within, so it is not searched again"
                    .into(),
            )));
            return;
        }
        seen.push(real);
        walk_entries(dir, seen, out);
        seen.pop();
    }
    fn walk_entries(
        dir: &Path,
        seen: &mut Vec<PathBuf>,
        out: &mut Vec<Result<PathBuf, (PathBuf, String)>>,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                out.push(Err((
                    dir.to_path_buf(),
                    format!("cannot read the folder: {e}"),
                )));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if p.is_dir() && p.join(crate::problem::workbook::CSV_MARKER).is_file() {
                out.push(Ok(p));
            } else if p.is_dir() {
                walk(&p, seen, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                || (crate::problem::workbook::is_workbook_name(&p) && !name.starts_with("~$"))
            {
                out.push(Ok(p));
            }
        }
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() && p.join(crate::problem::workbook::CSV_MARKER).is_file() {
            out.push(Ok(p.clone()));
        } else if p.is_dir() {
            walk(p, &mut Vec::new(), &mut out);
        } else if p.exists() {
            out.push(Ok(p.clone()));
        } else {
            out.push(Err((p.clone(), "no such file or folder".into())));
        }
    }
    out
}

/// A case waiting to be solved.
struct Job {
    file: usize,
    variant: Variant,
}

/// Checks every case of every file named by `paths` (see [`problem_files`]).
pub fn check(paths: &[PathBuf], options: &CheckOptions) -> CheckReport {
    // One slot per file found; cases that need no solve are kept with the file's position, so
    // the report keeps file order.
    let found = problem_files(paths);
    let files = found.len();
    let mut sources: Vec<Option<SourceFile>> = Vec::with_capacity(files);
    let mut jobs = Vec::new();
    let mut early: Vec<(usize, Case)> = Vec::new();
    for (order, entry) in found.into_iter().enumerate() {
        let mut source = None;
        match entry {
            Err((p, why)) => {
                let mut c = Case::new(&p, "(file)", Outcome::Invalid);
                c.detail = Some(format!("error: {why}\n  --> {}", p.display()));
                early.push((order, c));
            }
            Ok(path) => match cases_of(&path) {
                Err(c) => early.push((order, *c)),
                Ok((src, variants)) if variants.is_empty() => {
                    let mut c = Case::new(&src.path, crate::variant::BASE, Outcome::Skipped);
                    c.detail = Some("no `expected:` block in the file or its scenarios".into());
                    early.push((order, c));
                }
                Ok((src, variants)) => {
                    jobs.extend(variants.into_iter().map(|variant| Job {
                        file: order,
                        variant,
                    }));
                    source = Some(src);
                }
            },
        }
        sources.push(source);
    }
    let work = || -> Vec<(usize, Case)> {
        jobs.into_par_iter()
            .map(|job| {
                let src = sources[job.file]
                    .as_ref()
                    .expect("a file with cases was read");
                if let Some(cause) = watch::stop_cause() {
                    let mut c = Case::new(&src.path, &job.variant.name, Outcome::Stopped);
                    c.expected = job.variant.expected.clone();
                    c.detail = Some(format!("not started: stopped by {}", cause.words()));
                    return (job.file, c);
                }
                (job.file, run_case(src, job.variant, options))
            })
            .collect()
    };
    let solved = crate::solver::watch::in_pool(options.jobs, work);
    let mut all: Vec<(usize, Case)> = early.into_iter().chain(solved).collect();
    // Stable: solved cases of one file keep their base-then-scenario order.
    all.sort_by_key(|(order, _)| *order);
    let cases: Vec<Case> = all.into_iter().map(|(_, c)| c).collect();
    let mut summary = Summary {
        files,
        cases: cases.len(),
        ..Summary::default()
    };
    for c in &cases {
        match c.outcome {
            Outcome::Pass => summary.passed += 1,
            Outcome::Fail => summary.failed += 1,
            Outcome::Invalid => summary.invalid += 1,
            Outcome::Error => summary.errors += 1,
            Outcome::Skipped => summary.skipped += 1,
            Outcome::Stopped => summary.stopped += 1,
        }
    }
    let stopped_by = (summary.stopped > 0).then(watch::stop_cause).flatten();
    CheckReport {
        summary,
        cases,
        stopped_by,
    }
}

/// Reads and validates a file and lists its cases: the base when it has `expected:`, then each
/// scenario with its own.
fn cases_of(path: &Path) -> Result<(SourceFile, Vec<Variant>), Box<Case>> {
    let invalid = |d: crate::problem::Diagnostics| {
        let mut c = Case::new(path, "(file)", Outcome::Invalid);
        c.detail = Some(d.to_string());
        Box::new(c)
    };
    let src = SourceFile::read(path).map_err(invalid)?;
    src.validate_all().map_err(invalid)?;
    let base = src.base_problem().map_err(invalid)?;
    let mut variants = Vec::new();
    if base.expected.is_some() {
        variants.push(variant::base(&src.document, &base));
    }
    for (name, sc) in &base.scenarios {
        if sc.expected.is_some() {
            let v = variant::scenario(&src.document, &base, name)
                .map_err(|d| invalid(src.diagnostics(vec![d])))?;
            variants.push(v);
        }
    }
    Ok((src, variants))
}

fn run_case(src: &SourceFile, variant: Variant, options: &CheckOptions) -> Case {
    let start = Instant::now();
    let mut case = Case::new(&src.path, &variant.name, Outcome::Pass);
    case.expected = variant.expected.clone();
    let expected = variant.expected.clone().unwrap_or_default();
    let result = solve_against(src, variant, &options.solve, None, options.ties);
    match (result.problem, result.outcome) {
        (_, Err(Failure::Invalid(d))) => {
            case.outcome = Outcome::Invalid;
            case.detail = Some(d.to_string());
        }
        (_, Err(e)) => {
            case.outcome = Outcome::Error;
            case.detail = Some(e.to_string());
        }
        (None, Ok(_)) => unreachable!("a plan comes from a validated problem"),
        (Some(valid), Ok(plan)) => {
            case.tie = plan.tie.clone();
            compare(&mut case, &expected, &valid, &plan, options);
            if let Err(e) = analyses(&mut case, src, &valid, &expected, options) {
                case.outcome = Outcome::Error;
                case.detail = Some(e);
            } else if !case.failures.is_empty() {
                case.outcome = Outcome::Fail;
            }
        }
    }
    // A signal while the case ran may have stopped any of its solves, and a stopped solve is
    // no evidence of a mismatch: unless everything the case checks held, it is not decided.
    if let Some(cause) = watch::stop_cause()
        && matches!(case.outcome, Outcome::Fail | Outcome::Error)
    {
        case.outcome = Outcome::Stopped;
        case.failures.clear();
        case.violations.clear();
        case.detail = Some(format!(
            "stopped by {} while it ran; not decided",
            cause.words()
        ));
    }
    case.seconds = start.elapsed().as_secs_f64();
    case
}

/// Whether `got` is within relative tolerance `tol` of `want` (absolute when |want| < 1).
pub fn within(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

fn compare(
    case: &mut Case,
    expected: &Expected,
    valid: &ValidProblem,
    plan: &Plan,
    options: &CheckOptions,
) {
    case.status = Some(plan.status);
    case.objective = plan.objective;
    case.main_chains = plan.main_chains.clone();
    let want = match expected.status.unwrap_or(ExpectedStatus::Optimal) {
        ExpectedStatus::Optimal => SolveStatus::Optimal,
        ExpectedStatus::Infeasible => SolveStatus::Infeasible,
        ExpectedStatus::Unbounded => SolveStatus::Unbounded,
    };
    if plan.status != want {
        case.failures
            .push(format!("status {}, expected {want}", plan.status));
    } else if want == SolveStatus::Optimal {
        if let Some(obj) = expected.objective {
            let tol = expected.tolerance.unwrap_or(DEFAULT_TOLERANCE);
            match plan.objective {
                Some(got) if within(got, obj, tol) => {}
                Some(got) => case.failures.push(format!(
                    "objective {}, expected {} (difference {}, relative tolerance {tol:e})",
                    num(got),
                    num(obj),
                    num(got - obj)
                )),
                None => case
                    .failures
                    .push(format!("no objective reported, expected {}", num(obj))),
            }
        }
        if let Some(mc) = &expected.main_chains {
            for (park, chain) in mc {
                let got = plan.main_chains.get(park).map_or("(none)", String::as_str);
                if got != chain {
                    case.failures.push(format!(
                        "main chain of `{park}` is `{got}`, expected `{chain}`"
                    ));
                }
            }
        }
    }
    if plan.status.has_plan() {
        let v = verify::verify(valid, plan, options.verify_tolerance);
        case.violations = v.violations;
    }
    if !case.failures.is_empty() || !case.violations.is_empty() {
        case.outcome = Outcome::Fail;
    }
}

/// Checks the `robust:` (base only: the file's `uncertainty:` block) and `alternatives:` parts
/// of an `expected:` block, each within the block's tolerance.
fn analyses(
    case: &mut Case,
    src: &SourceFile,
    valid: &ValidProblem,
    expected: &Expected,
    options: &CheckOptions,
) -> Result<(), String> {
    use crate::analysis::{alternatives, robust};
    let tol = expected.tolerance.unwrap_or(DEFAULT_TOLERANCE);
    let mut close = |what: String, got: Option<f64>, want: f64| match got {
        Some(g) if within(g, want, tol) => {}
        Some(g) => case.failures.push(format!(
            "{what} {}, expected {} (difference {}, relative tolerance {tol:e})",
            num(g),
            num(want),
            num(g - want)
        )),
        None => case
            .failures
            .push(format!("no {what} reported, expected {}", num(want))),
    };
    let mut chains = Vec::new();
    if let Some(want) = &expected.robust {
        let base = src.base_problem().map_err(|d| d.to_string())?;
        let Some(u) = &base.uncertainty else {
            return Err("`expected.robust` needs an `uncertainty:` block in the file".into());
        };
        let pairs: Vec<(String, f64)> = u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect();
        let rp =
            robust::load(src, &base, &pairs, "uncertainty.scenarios").map_err(|d| d.to_string())?;
        let r = robust::robust(
            &rp,
            &robust::RobustOptions {
                measure: u.measure,
                solve: options.solve,
                jobs: 1,
            },
        )
        .map_err(|e| e.to_string())?;
        close("robust objective".into(), r.objective, want.objective);
        if let Some(v) = want.vss {
            close("VSS".into(), r.vss, v);
        }
        if let Some(v) = want.evpi {
            close("EVPI".into(), r.evpi, v);
        }
        if let Some(mc) = &want.main_chains {
            chains.push(("robust main chain".to_string(), mc.clone(), r.main_chains));
        }
    }
    if let Some(want) = &expected.alternatives {
        let list = alternatives::alternatives(
            valid,
            &case.variant,
            &alternatives::AlternativesOptions {
                count: want.len().max(1),
                within: None,
                differ: 1,
                solve: options.solve,
            },
        )
        .map_err(|e| e.to_string())?;
        for (i, w) in want.iter().enumerate() {
            let got = list.plans.get(i);
            close(
                format!("objective of alternative {}", i + 1),
                got.map(|a| a.objective),
                w.objective,
            );
            if let (Some(mc), Some(a)) = (&w.main_chains, got) {
                chains.push((
                    format!("alternative {}: main chain", i + 1),
                    mc.clone(),
                    a.main_chains.clone(),
                ));
            }
        }
    }
    for (what, want, got) in chains {
        for (park, chain) in &want {
            let g = got.get(park).map_or("(none)", String::as_str);
            if g != chain {
                case.failures
                    .push(format!("{what} of `{park}` is `{g}`, expected `{chain}`"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn a_symlink_loop_is_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("again")).unwrap();
        let found = problem_files(&[dir.path().to_path_buf()]);
        assert_eq!(found.iter().filter(|r| r.is_ok()).count(), 1, "{found:?}");
        assert!(
            found
                .iter()
                .any(|r| r.as_ref().is_err_and(|(_, m)| m.contains("symlink loop"))),
            "{found:?}"
        );
    }

    #[test]
    fn tolerance_is_relative_and_absolute_near_zero() {
        assert!(within(100.00005, 100.0, 1e-6));
        assert!(!within(100.001, 100.0, 1e-6));
        assert!(within(1e-7, 0.0, 1e-6));
        assert!(!within(1e-5, 0.0, 1e-6));
    }
}
