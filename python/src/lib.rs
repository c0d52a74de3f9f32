//! `parkplan._parkplan`: the native half of the Python package. It turns Python arguments into the
//! library's options, calls the same library functions as the command line, and hands results
//! back as JSON text (the documents the CLI writes) or as columns for pandas. The Python half
//! (`parkplan/__init__.py`) wraps them in classes with DataFrames; neither holds model logic.
//!
//! Every solve runs on a thread of its own while the calling thread waits without the GIL, waking
//! every few milliseconds to pass progress to a Python callback and to let Python handle its
//! signals: a Ctrl-C stops the solves of this call alone (through their observer,
//! `parkplan::solver::watch::observed`), which end with the best plan found so far.

// Python's keyword arguments are the functions' parameters: as many as the CLI's flags.
#![allow(clippy::too_many_arguments)]

mod columns;
mod outcome;
mod watching;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use parkplan::analysis::{alternatives, explain, pareto, robust};
use parkplan::batch::sweep::{self as batch, Entry, RunOptions, Summary, Ties};
use parkplan::plan::{self, Plan};
use parkplan::problem::{Diagnostic, Diagnostics, SourceFile, ValidProblem};
use parkplan::report;
use parkplan::solver::{SolveError, SolveOptions, StartMode};
use parkplan::variant::{self, Selection, Variant};

use watching::watched;

/// A problem file as read, with the changes made to it from Python.
struct Source {
    file: SourceFile,
    base: parkplan::problem::Problem,
    /// `(path, value as JSON)` in the order applied, so that the problem can be rebuilt elsewhere
    /// (pickled for a Dask worker).
    changes: Vec<(String, String)>,
}

/// A problem file, read and checked: its base problem, scenarios and sweeps.
#[pyclass(frozen, module = "parkplan._parkplan")]
struct Problem {
    source: Arc<Source>,
}

/// A plan, with the problem it is of (for units and existing plant).
#[pyclass(frozen, module = "parkplan._parkplan")]
struct NativePlan {
    plan: Plan,
    problem: Arc<parkplan::problem::Problem>,
    /// Whether Ctrl-C stopped its solve: the plan is the best found by then.
    #[pyo3(get)]
    interrupted: bool,
    /// Warnings about the variant's numbers (too wide a range), as the CLI prints them.
    #[pyo3(get)]
    warnings: Option<String>,
}

/// A sweep's summary and its plans.
#[pyclass(frozen, module = "parkplan._parkplan")]
struct NativeSweep {
    summary: Summary,
    plans: Vec<(String, Option<Py<NativePlan>>)>,
    #[pyo3(get)]
    interrupted: bool,
}

/// The error of a problem file, as the Python class `parkplan.ProblemError`.
fn problem_error(py: Python<'_>, d: &Diagnostics) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = py.import("parkplan._errors")?.getattr("ProblemError")?;
        let first = d.items.first();
        let items: Vec<Py<PyAny>> = d
            .items
            .iter()
            .map(|item| diagnostic_dict(py, item).map(|o| o.into_any().unbind()))
            .collect::<PyResult<_>>()?;
        let value = class.call1((
            d.to_string(),
            d.file.display().to_string(),
            first.and_then(|f| f.location).map(|l| l.line),
            first.and_then(|f| f.location).map(|l| l.column),
            first.and_then(|f| f.path.clone()),
            items,
        ))?;
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|e| e)
}

fn diagnostic_dict<'py>(py: Python<'py>, d: &Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("message", &d.message)?;
    out.set_item("yaml_path", &d.path)?;
    out.set_item("line", d.location.map(|l| l.line))?;
    out.set_item("column", d.location.map(|l| l.column))?;
    out.set_item("help", &d.help)?;
    Ok(out)
}

fn solve_error(py: Python<'_>, e: impl std::fmt::Display) -> PyErr {
    match py
        .import("parkplan._errors")
        .and_then(|m| m.getattr("SolveError"))
        .and_then(|c| c.call1((e.to_string(),)))
    {
        Ok(v) => PyErr::from_value(v),
        Err(err) => err,
    }
}

/// Solver settings from Python's keyword arguments, checked as the CLI checks its flags.
fn options(gap: Option<f64>, time_limit: Option<f64>, mip_start: &str) -> PyResult<SolveOptions> {
    let mut o = SolveOptions::default();
    if let Some(g) = gap {
        if !(g.is_finite() && g >= 0.0) {
            return Err(PyValueError::new_err(
                "gap must be a finite number ≥ 0, e.g. 1e-4",
            ));
        }
        o.mip_rel_gap = g;
    }
    if let Some(t) = time_limit
        && !(t.is_finite() && t > 0.0)
    {
        return Err(PyValueError::new_err(
            "time_limit must be a positive number of seconds",
        ));
    }
    o.time_limit = time_limit;
    o.mip_start = match mip_start {
        "auto" => StartMode::Auto,
        "on" => StartMode::On,
        "off" => StartMode::Off,
        other => {
            return Err(PyValueError::new_err(format!(
                "mip_start must be \"auto\", \"on\" or \"off\" (or True/False), not {other:?}"
            )));
        }
    };
    Ok(o)
}

/// `jobs` as the CLI takes `--jobs`: `None` for one per core.
fn jobs(jobs: Option<usize>) -> PyResult<usize> {
    match jobs {
        None => Ok(0),
        Some(0) => Err(PyValueError::new_err(
            "jobs must be at least 1 (leave it out for one per core)",
        )),
        Some(n) if n > 256 => Err(PyValueError::new_err(format!(
            "jobs={n} is above the maximum of 256"
        ))),
        Some(n) => Ok(n),
    }
}

impl Source {
    fn read(py: Python<'_>, path: &Path) -> PyResult<Source> {
        let file = SourceFile::read(path).map_err(|d| problem_error(py, &d))?;
        Source::of(py, file, Vec::new())
    }

    fn of(py: Python<'_>, file: SourceFile, changes: Vec<(String, String)>) -> PyResult<Source> {
        let base = file.base_problem().map_err(|d| problem_error(py, &d))?;
        let source = Source {
            file,
            base,
            changes,
        };
        // As the CLI does before anything else: the base must be valid, every variant inherits
        // what is wrong with it.
        source.variant(py, None)?;
        Ok(source)
    }

    /// The base or one scenario, validated, with its warnings rendered.
    fn variant(
        &self,
        py: Python<'_>,
        scenario: Option<&str>,
    ) -> PyResult<(Variant, ValidProblem, Option<String>)> {
        let name = scenario.unwrap_or(variant::BASE);
        let v = variant::find(&self.file.document, &self.base, name)
            .map_err(|d| problem_error(py, &self.file.diagnostics(vec![d])))?;
        let valid = self
            .file
            .validate_variant(&v)
            .map_err(|d| problem_error(py, &d))?;
        let warnings = (!valid.warnings().is_empty()).then(|| {
            let w = self.file.variant_warnings(&v, &valid);
            parkplan::problem::diagnostic::Warnings(&w).to_string()
        });
        Ok((v, valid, warnings))
    }

    fn selection(scenarios: Option<Vec<String>>, sweeps: Option<Vec<String>>) -> Selection {
        let (scenarios, sweeps) = match (scenarios, sweeps) {
            (None, None) => (None, None),
            (sc, sw) => (Some(sc.unwrap_or_default()), Some(sw.unwrap_or_default())),
        };
        Selection {
            base: true,
            scenarios,
            sweeps,
            max_points: variant::DEFAULT_MAX_POINTS,
        }
    }

    /// The entries of a sweep and the batch's fingerprint.
    fn entries(
        &self,
        py: Python<'_>,
        selection: &Selection,
        options: &SolveOptions,
    ) -> PyResult<(Vec<Entry>, String, usize)> {
        let listed =
            batch::list(&self.file, &self.base, selection).map_err(|d| problem_error(py, &d))?;
        let fingerprint = batch::fingerprint(&listed, options);
        Ok((listed.entries(), fingerprint, listed.len()))
    }

    /// The problem of a variant as written (for units and existing plant), the base's when it
    /// cannot be read.
    fn problem_of(&self, entry: &Entry) -> Arc<parkplan::problem::Problem> {
        let problem = entry
            .variant
            .as_ref()
            .ok()
            .and_then(|v| self.file.problem_from(v.document.clone()).ok());
        Arc::new(problem.unwrap_or_else(|| self.base.clone()))
    }
}

fn plan_object(
    py: Python<'_>,
    plan: Plan,
    problem: Arc<parkplan::problem::Problem>,
    interrupted: bool,
    warnings: Option<String>,
) -> PyResult<Py<NativePlan>> {
    Py::new(
        py,
        NativePlan {
            plan,
            problem,
            interrupted,
            warnings,
        },
    )
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

#[pymethods]
impl Problem {
    /// Rebuilds a problem from its file's path and text and the changes made to it (for pickling).
    #[staticmethod]
    fn from_text(
        py: Python<'_>,
        path: PathBuf,
        text: String,
        changes: Vec<(String, String)>,
    ) -> PyResult<Problem> {
        let file = SourceFile::parse(&path, text).map_err(|d| problem_error(py, &d))?;
        let source = Source::of(py, file, Vec::new())?;
        if changes.is_empty() {
            return Ok(Problem {
                source: Arc::new(source),
            });
        }
        Problem {
            source: Arc::new(source),
        }
        .with_changes(py, changes)
    }

    #[getter]
    fn path(&self) -> String {
        self.source.file.path.display().to_string()
    }

    #[getter]
    fn text(&self) -> &str {
        &self.source.file.text
    }

    #[getter]
    fn changes(&self) -> Vec<(String, String)> {
        self.source.changes.clone()
    }

    #[getter]
    fn name(&self) -> Option<String> {
        self.source.base.name.clone()
    }

    #[getter]
    fn scenarios(&self) -> Vec<String> {
        self.source.base.scenarios.keys().cloned().collect()
    }

    #[getter]
    fn sweeps(&self) -> Vec<String> {
        self.source.base.sweeps.keys().cloned().collect()
    }

    #[getter]
    fn parks(&self) -> Vec<String> {
        self.source.base.parks.keys().cloned().collect()
    }

    #[getter]
    fn chains(&self) -> Vec<String> {
        self.source.base.chains.keys().cloned().collect()
    }

    /// The known optima the file states (`expected:`), as JSON, by variant: `base` and each
    /// scenario that has one.
    #[getter]
    fn expected(&self) -> PyResult<IndexMap<String, String>> {
        let base = &self.source.base;
        let mut out = IndexMap::new();
        if let Some(e) = &base.expected {
            out.insert(variant::BASE.to_string(), json(e)?);
        }
        for (name, sc) in &base.scenarios {
            if let Some(e) = &sc.expected {
                out.insert(name.clone(), json(e)?);
            }
        }
        Ok(out)
    }

    /// The problem with values set at dotted paths (`parks.pannan.capacity.land`, `*` for any
    /// key), each value given as JSON: the changes a sweep's `vary` makes.
    fn with_changes(&self, py: Python<'_>, changes: Vec<(String, String)>) -> PyResult<Problem> {
        let mut file = self.source.file.clone();
        for (path, value) in &changes {
            let value: serde_json::Value = serde_json::from_str(value)
                .map_err(|e| PyValueError::new_err(format!("the value for `{path}`: {e}")))?;
            let value = serde_yaml::to_value(value)
                .map_err(|e| PyValueError::new_err(format!("the value for `{path}`: {e}")))?;
            variant::set_path(&mut file.document, path, &value).map_err(|e| {
                problem_error(
                    py,
                    &Diagnostics {
                        file: file.path.clone(),
                        source: String::new(),
                        items: vec![Diagnostic::at(path.clone(), e.to_string())],
                    },
                )
            })?;
        }
        let mut all = self.source.changes.clone();
        all.extend(changes);
        Ok(Problem {
            source: Arc::new(Source::of(py, file, all)?),
        })
    }

    /// Solves the base or a scenario.
    #[pyo3(signature = (scenario=None, gap=None, time_limit=None, mip_start="auto", tie_check=true, progress=None))]
    fn solve(
        &self,
        py: Python<'_>,
        scenario: Option<&str>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        tie_check: bool,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Py<NativePlan>> {
        let options = options(gap, time_limit, mip_start)?.started_now();
        let (v, valid, warnings) = self.source.variant(py, scenario)?;
        let (solved, interrupted) = watched(py, progress, || {
            let mut plan = plan::solve_variant(&valid, &v.name, &options)?;
            if tie_check {
                plan::check_tie(&valid, &mut plan, &options)?;
            }
            Ok::<_, SolveError>(plan)
        })?;
        let plan = solved.map_err(|e| solve_error(py, e))?;
        let problem = Arc::new(valid.problem().clone());
        plan_object(py, plan, problem, interrupted, warnings)
    }

    /// Solves the base, the scenarios and the sweep points side by side.
    #[pyo3(signature = (scenarios=None, sweeps=None, jobs=None, gap=None, time_limit=None, mip_start="auto", tie_check=true, progress=None))]
    fn sweep(
        &self,
        py: Python<'_>,
        scenarios: Option<Vec<String>>,
        sweeps: Option<Vec<String>>,
        jobs: Option<usize>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        tie_check: bool,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<NativeSweep> {
        let options = options(gap, time_limit, mip_start)?;
        let jobs = self::jobs(jobs)?;
        let selection = Source::selection(scenarios, sweeps);
        let (entries, fingerprint, total) = self.source.entries(py, &selection, &options)?;
        let problems: Vec<_> = entries.iter().map(|e| self.source.problem_of(e)).collect();
        let run = RunOptions {
            solve: options,
            jobs,
            out: None,
            resume: false,
            ties: if tie_check { Ties::Check } else { Ties::Skip },
        };
        let src = &self.source.file;
        let (outcomes, interrupted) = watching::watched_batch(py, progress, total, |done| {
            batch::run(src, entries, &run, done)
        })?;
        let summary = Summary::new(
            self.source.base.name.clone(),
            fingerprint,
            total,
            None,
            &outcomes,
        );
        let mut plans = Vec::new();
        for o in outcomes {
            let plan = match o.result {
                Ok(plan) => Some(plan_object(
                    py,
                    plan,
                    problems[o.index].clone(),
                    o.stopped,
                    None,
                )?),
                Err(_) => None,
            };
            plans.push((o.name, plan));
        }
        Ok(NativeSweep {
            summary,
            plans,
            interrupted,
        })
    }

    /// The variants a sweep would solve, in batch order: `(index, name)`, and the batch's
    /// fingerprint (for a sweep spread over a Dask cluster).
    #[pyo3(signature = (scenarios=None, sweeps=None, gap=None, time_limit=None, mip_start="auto"))]
    fn sweep_outline(
        &self,
        py: Python<'_>,
        scenarios: Option<Vec<String>>,
        sweeps: Option<Vec<String>>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
    ) -> PyResult<(Vec<(usize, String)>, String)> {
        let options = options(gap, time_limit, mip_start)?;
        let selection = Source::selection(scenarios, sweeps);
        let listed = batch::list(&self.source.file, &self.source.base, &selection)
            .map_err(|d| problem_error(py, &d))?;
        let names = (0..listed.len()).map(|i| (i, listed.name(i))).collect();
        Ok((names, batch::fingerprint(&listed, &options)))
    }

    /// Solves variant `index` of a sweep as `Problem.sweep` would (preferring the base's main
    /// chains `base` among tied optima) and returns its outcome as JSON, for a Dask worker.
    #[pyo3(signature = (index, scenarios=None, sweeps=None, gap=None, time_limit=None, mip_start="auto", tie_check=true, base=None))]
    fn solve_entry(
        &self,
        py: Python<'_>,
        index: usize,
        scenarios: Option<Vec<String>>,
        sweeps: Option<Vec<String>>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        tie_check: bool,
        base: Option<IndexMap<String, String>>,
    ) -> PyResult<String> {
        let options = options(gap, time_limit, mip_start)?;
        let selection = Source::selection(scenarios, sweeps);
        let listed = batch::list(&self.source.file, &self.source.base, &selection)
            .map_err(|d| problem_error(py, &d))?;
        if index >= listed.len() {
            return Err(PyValueError::new_err(format!(
                "the sweep has {} variants, no variant {index}",
                listed.len()
            )));
        }
        let entry = listed.entry(index);
        let ties = if tie_check { Ties::Check } else { Ties::Skip };
        let src = &self.source.file;
        let (result, interrupted) = watched(py, None, move || match entry.variant {
            Err(d) => Err(batch::Failure::Invalid(d)),
            Ok(v) => {
                parkplan::batch::pool::solve_against(src, v, &options, base.as_ref(), ties).outcome
            }
        })?;
        outcome::to_json(index, &listed.name(index), &result, interrupted)
    }

    /// Joins the outcomes of [`Problem::solve_entry`] (JSON, any order) into a sweep.
    fn assemble_sweep(
        &self,
        py: Python<'_>,
        fingerprint: String,
        total: usize,
        outcomes: Vec<String>,
    ) -> PyResult<NativeSweep> {
        let mut read: Vec<batch::Outcome> = outcomes
            .iter()
            .map(|text| outcome::from_json(&self.source.file, text))
            .collect::<PyResult<_>>()?;
        read.sort_by_key(|o| o.index);
        let summary = Summary::new(
            self.source.base.name.clone(),
            fingerprint,
            total,
            None,
            &read,
        );
        let mut plans = Vec::new();
        let mut interrupted = false;
        for o in read {
            interrupted |= o.stopped;
            let plan = match o.result {
                Ok(plan) => {
                    let problem = self
                        .source
                        .file
                        .problem_from(
                            variant::find(&self.source.file.document, &self.source.base, &o.name)
                                .map(|v| v.document)
                                .unwrap_or_else(|_| self.source.file.document.clone()),
                        )
                        .unwrap_or_else(|_| self.source.base.clone());
                    Some(plan_object(py, plan, Arc::new(problem), o.stopped, None)?)
                }
                Err(_) => None,
            };
            plans.push((o.name, plan));
        }
        Ok(NativeSweep {
            summary,
            plans,
            interrupted,
        })
    }

    /// Chooses one main-chain assignment for several scenarios; the result as `parkplan robust
    /// --format json` writes it.
    #[pyo3(signature = (scenarios=None, measure=None, jobs=None, gap=None, time_limit=None, mip_start="auto", progress=None))]
    fn robust(
        &self,
        py: Python<'_>,
        scenarios: Option<Vec<(String, f64)>>,
        measure: Option<&str>,
        jobs: Option<usize>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, bool)> {
        use parkplan::problem::format::Measure;
        let solve = options(gap, time_limit, mip_start)?;
        let jobs = self::jobs(jobs)?;
        let base = &self.source.base;
        let pairs: Vec<(String, f64)> = match (scenarios, &base.uncertainty) {
            (Some(p), _) => p,
            (None, Some(u)) => u.scenarios.iter().map(|(k, &v)| (k.clone(), v)).collect(),
            (None, None) => {
                return Err(PyValueError::new_err(format!(
                    "{} has no `uncertainty:` block; give the scenarios, e.g. robust({{\"base\": 0.6, \"dry-season\": 0.4}})",
                    self.source.file.path.display()
                )));
            }
        };
        let measure = match measure {
            Some("expected") => Measure::Expected,
            Some("worst_case") => Measure::WorstCase,
            Some(other) => {
                return Err(PyValueError::new_err(format!(
                    "measure must be \"expected\" or \"worst_case\", not {other:?}"
                )));
            }
            None => base
                .uncertainty
                .as_ref()
                .map(|u| u.measure)
                .unwrap_or_default(),
        };
        let rp = robust::load(&self.source.file, base, &pairs, "uncertainty.scenarios")
            .map_err(|d| problem_error(py, &d))?;
        let options = robust::RobustOptions {
            measure,
            solve,
            jobs,
        };
        let (result, interrupted) = watched(py, progress, || robust::robust(&rp, &options))?;
        let result = result.map_err(|e| match e {
            robust::RobustError::Solve(e) => solve_error(py, e),
            e => PyValueError::new_err(e.to_string()),
        })?;
        let text = report::robust::render(&result, report::AnalysisFormat::Json)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok((text, interrupted))
    }

    /// Ranks the best main-chain assignments: the list as JSON and each plan.
    #[pyo3(signature = (count, scenario=None, within=None, differ=1, gap=None, time_limit=None, mip_start="auto", progress=None))]
    fn alternatives(
        &self,
        py: Python<'_>,
        count: usize,
        scenario: Option<&str>,
        within: Option<f64>,
        differ: usize,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, Vec<Py<NativePlan>>, bool)> {
        let solve = options(gap, time_limit, mip_start)?;
        if count == 0 {
            return Err(PyValueError::new_err("count must be at least 1"));
        }
        if let Some(f) = within
            && !(f.is_finite() && f >= 0.0)
        {
            return Err(PyValueError::new_err(
                "within must be a finite fraction ≥ 0, e.g. 0.05 for 5 %",
            ));
        }
        let (v, valid, _) = self.source.variant(py, scenario)?;
        let options = alternatives::AlternativesOptions {
            count,
            within,
            differ,
            solve,
        };
        let (list, interrupted) = watched(py, progress, || {
            alternatives::alternatives(&valid, &v.name, &options)
        })?;
        let list = list.map_err(|e| match e {
            alternatives::AlternativesError::Solve(e) => solve_error(py, e),
            e => PyValueError::new_err(e.to_string()),
        })?;
        let text = report::alternatives::render(&list, report::AnalysisFormat::Json)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        let problem = Arc::new(valid.problem().clone());
        let plans = list
            .plans
            .into_iter()
            .map(|a| plan_object(py, a.plan, problem.clone(), interrupted, None))
            .collect::<PyResult<_>>()?;
        Ok((text, plans, interrupted))
    }

    /// The smallest changes that make an infeasible problem feasible, as `parkplan explain
    /// --format json` writes them.
    #[pyo3(signature = (scenario=None, gap=None, time_limit=None, mip_start="auto"))]
    fn explain(
        &self,
        py: Python<'_>,
        scenario: Option<&str>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
    ) -> PyResult<String> {
        let options = options(gap, time_limit, mip_start)?.started_now();
        let (v, valid, _) = self.source.variant(py, scenario)?;
        let (e, _) = watched(py, None, || explain::explain(&valid, &v.name, &options))?;
        let e = e.map_err(|e| solve_error(py, e))?;
        json(&e)
    }

    /// The trade-off between output value and waste reuse, as `parkplan pareto --format json`
    /// writes it.
    #[pyo3(signature = (points, scenario=None, jobs=None, gap=None, time_limit=None, mip_start="auto", progress=None))]
    fn pareto(
        &self,
        py: Python<'_>,
        points: usize,
        scenario: Option<&str>,
        jobs: Option<usize>,
        gap: Option<f64>,
        time_limit: Option<f64>,
        mip_start: &str,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, bool)> {
        let solve = options(gap, time_limit, mip_start)?;
        if points < 2 {
            return Err(PyValueError::new_err(
                "points must be at least 2: the front's two ends",
            ));
        }
        let jobs = self::jobs(jobs)?;
        let (v, valid, _) = self.source.variant(py, scenario)?;
        let options = pareto::ParetoOptions {
            points,
            solve,
            jobs,
        };
        let (front, interrupted) = watched(py, progress, || {
            pareto::front(&valid, &v.name, &options, &|| ())
        })?;
        let front = front.map_err(|e| match e {
            pareto::ParetoError::Solver(e) => solve_error(py, e),
            e => PyValueError::new_err(e.to_string()),
        })?;
        let text = report::front::render(&front, report::SummaryFormat::Json)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok((text, interrupted))
    }

    /// Checks a plan against this problem (its own variant, or `scenario`) without a solver; the
    /// verification as JSON.
    #[pyo3(signature = (plan, scenario=None, tolerance=1e-6))]
    fn verify(
        &self,
        py: Python<'_>,
        plan: &NativePlan,
        scenario: Option<&str>,
        tolerance: f64,
    ) -> PyResult<String> {
        if !(tolerance.is_finite() && tolerance >= 0.0) {
            return Err(PyValueError::new_err(
                "tolerance must be a finite number ≥ 0, e.g. 1e-6",
            ));
        }
        if !plan.plan.status.has_plan() {
            return Err(PyValueError::new_err(format!(
                "the plan's status is `{}`: it holds no values to verify",
                plan.plan.status
            )));
        }
        let wanted = scenario.map(str::to_owned).or_else(|| {
            Some(plan.plan.variant.clone()).filter(|v| v != variant::BASE && !v.contains('['))
        });
        let valid = if plan.plan.variant.contains('[') && scenario.is_none() {
            // A sweep point: its document is the point's, found among the sweep's variants.
            let selection = Source::selection(None, None);
            let listed = batch::list(&self.source.file, &self.source.base, &selection)
                .map_err(|d| problem_error(py, &d))?;
            let entry = (0..listed.len())
                .find(|&i| listed.name(i) == plan.plan.variant)
                .map(|i| listed.entry(i))
                .ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "the plan is for sweep point `{}`, which this problem does not have",
                        plan.plan.variant
                    ))
                })?;
            let v = entry.variant.map_err(|d| problem_error(py, &d))?;
            self.source
                .file
                .validate_variant(&v)
                .map_err(|d| problem_error(py, &d))?
        } else {
            self.source.variant(py, wanted.as_deref())?.1
        };
        let result = parkplan::plan::verify::verify(&valid, &plan.plan, tolerance);
        json(&result)
    }
}

#[pymethods]
impl NativePlan {
    /// Reads a plan from the JSON `solve --format json` writes, for `problem`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str, problem: &Problem) -> PyResult<Py<NativePlan>> {
        let plan: Plan =
            serde_json::from_str(text).map_err(|e| PyValueError::new_err(e.to_string()))?;
        plan_object(py, plan, Arc::new(problem.source.base.clone()), false, None)
    }

    #[getter]
    fn status(&self) -> &'static str {
        self.plan.status.as_str()
    }

    #[getter]
    fn status_message(&self) -> Option<String> {
        self.plan.status.message(self.plan.gap)
    }

    #[getter]
    fn variant(&self) -> &str {
        &self.plan.variant
    }

    #[getter]
    fn objective(&self) -> Option<f64> {
        self.plan.objective
    }

    #[getter]
    fn output_value(&self) -> Option<f64> {
        self.plan.output_value
    }

    #[getter]
    fn total_reuse(&self) -> Option<f64> {
        self.plan.total_reuse
    }

    #[getter]
    fn gap(&self) -> Option<f64> {
        self.plan.gap
    }

    #[getter]
    fn main_chains(&self) -> IndexMap<String, String> {
        self.plan.main_chains.clone()
    }

    #[getter]
    fn periods(&self) -> Vec<String> {
        self.plan.periods.iter().map(|p| p.period.clone()).collect()
    }

    #[getter]
    fn units(&self) -> IndexMap<String, String> {
        self.plan.units.clone()
    }

    /// The plan as `parkplan solve --format json` writes it.
    fn to_json(&self) -> PyResult<String> {
        report::render(&self.plan, &self.problem, report::Format::Json)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// The plan in one of the CLI's text formats: table, yaml, json, csv, markdown, html.
    fn render(&self, format: &str) -> PyResult<String> {
        let format = match format {
            "table" => report::Format::Table,
            "yaml" => report::Format::Yaml,
            "json" => report::Format::Json,
            "csv" => report::Format::Csv,
            "markdown" => report::Format::Markdown,
            "html" => report::Format::Html,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be one of table, yaml, json, csv, markdown, html, not {other:?}"
                )));
            }
        };
        report::render(&self.plan, &self.problem, format)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Columns of the activities table.
    fn activities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        columns::activities(py, &self.plan, &self.problem)
    }

    /// Columns of the resources table.
    fn resources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        columns::resources(py, &self.plan)
    }

    /// Columns of the flows table.
    fn flows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        columns::flows(py, &self.plan)
    }
}

#[pymethods]
impl NativeSweep {
    /// The summary as `parkplan sweep --format json` writes it.
    fn summary_json(&self) -> PyResult<String> {
        report::summary::render(&self.summary, report::SummaryFormat::Json)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Each variant's name and plan (`None` for a variant without one), in batch order.
    fn plans(&self, py: Python<'_>) -> Vec<(String, Option<Py<NativePlan>>)> {
        self.plans
            .iter()
            .map(|(n, p)| (n.clone(), p.as_ref().map(|p| p.clone_ref(py))))
            .collect()
    }
}

/// Reads a problem file.
#[pyfunction]
fn load(py: Python<'_>, path: PathBuf) -> PyResult<Problem> {
    Ok(Problem {
        source: Arc::new(Source::read(py, &path)?),
    })
}

#[pymodule]
fn _parkplan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_class::<Problem>()?;
    m.add_class::<NativePlan>()?;
    m.add_class::<NativeSweep>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
