//! Where plans come from: plan files written by `solve -o` (JSON or YAML), comparison files
//! written by `compare -f json`, and folders holding either. Each plan keeps a label: its variant
//! name, or — when two plans share one — its file's name.

use std::path::{Path, PathBuf};

use crate::analysis::compare::{Comparison, NamedPlan};
use crate::plan::Plan;

/// What a file holds, judged by its top-level keys.
#[derive(Debug)]
pub enum FileKind {
    /// A plan (`status`, `objective`, …).
    Plan(Box<Plan>),
    /// A comparison (`variants`, `plans`, …).
    Comparison(Box<Comparison>),
    /// A problem file (`parks`, `chains`, …): to be solved, not read.
    Problem,
    /// A batch summary (`batch`, `variants`, …), from `sweep -o DIR` or `merge`: its plans are
    /// read through it by [`crate::batch::folder::merge`].
    Summary,
    /// A Pareto front (`points`, `variant`, …), from `pareto -f json|yaml`.
    Front(Box<crate::analysis::pareto::Front>),
    /// The price of every designation (`designations`, `objective`, …), from `designations -f
    /// json|yaml`.
    Designations(Box<crate::analysis::designations::Designations>),
}

/// Why plans could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file or folder cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is neither a plan, a comparison nor a problem.
    #[error(
        "{path} is not a plan, a comparison or a problem file: {reason}\n  = help: write plans with `parkplan solve FILE -f json -o plan.json`"
    )]
    NotPlan {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The file looks like a plan, a comparison or a front (or is not YAML or JSON at all) but
    /// cannot be read as one: a damaged or truncated file, reported even inside a folder.
    #[error(
        "{path} cannot be read{what}: {reason}\n  = help: write it again (e.g. `parkplan solve FILE -f json -o plan.json`), or move it out of the folder"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// " as a plan", " as a comparison", … or nothing for a syntax error.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A folder without plan files.
    #[error("{0} holds no plan or comparison files (*.json, *.yaml)")]
    EmptyFolder(PathBuf),
}

/// Reads a file and tells what it holds.
pub fn sniff(path: &Path) -> Result<FileKind, InputError> {
    // A problem written as tables (a workbook, a folder holding parks.csv) is no text to parse.
    if crate::problem::workbook::kind_of(path).is_some() {
        return Ok(FileKind::Problem);
    }
    let text = crate::util::input::read_text(path).map_err(|e| InputError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    let not = |reason: String| InputError::NotPlan {
        path: path.to_path_buf(),
        reason,
    };
    let corrupt = |what: &'static str, reason: String| InputError::Corrupt {
        path: path.to_path_buf(),
        what,
        reason,
    };
    // JSON is YAML: one parser reads both.
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| corrupt("", e.to_string()))?;
    if let Some(at) = non_finite(&doc, String::new()) {
        return Err(corrupt(
            "",
            format!("`{at}` is not a finite number (.inf or .nan); plans hold only finite values"),
        ));
    }
    let has = |key: &str| doc.get(key).is_some();
    // Before plans: a designations file also has a `status` and `main_chains`.
    if has("designations") && has("objective") {
        serde_yaml::from_value(doc)
            .map(|d| FileKind::Designations(Box::new(d)))
            .map_err(|e| corrupt(" as designations", e.to_string()))
    } else if has("variants") && has("plans") {
        serde_yaml::from_value(doc)
            .map(|c| FileKind::Comparison(Box::new(c)))
            .map_err(|e| corrupt(" as a comparison", e.to_string()))
    } else if has("status") || has("main_chains") || has("activities") {
        serde_yaml::from_value(doc)
            .map(|p| FileKind::Plan(Box::new(p)))
            .map_err(|e| corrupt(" as a plan", e.to_string()))
    } else if has("parks") || has("chains") {
        Ok(FileKind::Problem)
    } else if has("batch") && has("variants") {
        Ok(FileKind::Summary)
    } else if has("points") && has("variant") {
        serde_yaml::from_value(doc)
            .map(|f| FileKind::Front(Box::new(f)))
            .map_err(|e| corrupt(" as a Pareto front", e.to_string()))
    } else {
        Err(not(
            "it has none of the keys `status`, `main_chains` or `activities` (a plan), `plans` (a comparison), `parks` (a problem), `batch` (a sweep summary), `points` (a Pareto front) or `designations` (the price of designations)"
                .into(),
        ))
    }
}

/// The path of the first infinite or NaN number in `v` (`flows.3.amount`), if any: such values
/// cannot come from a solve, and reports could not scale a chart to them.
fn non_finite(v: &serde_yaml::Value, at: String) -> Option<String> {
    let join = |key: String| {
        if at.is_empty() {
            key
        } else {
            format!("{at}.{key}")
        }
    };
    match v {
        serde_yaml::Value::Number(n) => n.as_f64().filter(|x| !x.is_finite()).map(|_| at),
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| non_finite(x, join(i.to_string()))),
        serde_yaml::Value::Mapping(m) => m.iter().find_map(|(k, x)| {
            let key = k.as_str().map_or_else(|| format!("{k:?}"), String::from);
            non_finite(x, join(key))
        }),
        serde_yaml::Value::Tagged(t) => non_finite(&t.value, at),
        _ => None,
    }
}

/// The plans of a plan file, a comparison file, or a folder of them (files in name order; files
/// that are neither — problems, summaries, other documents — are skipped, but a damaged plan is
/// an error), labelled uniquely.
pub fn read_plans(path: &Path) -> Result<Vec<NamedPlan>, InputError> {
    Ok(unique_labels(plans_in(path)?))
}

/// The plans of one input, each with the label it falls back to: its file's name.
fn plans_in(path: &Path) -> Result<Vec<(NamedPlan, String)>, InputError> {
    let mut found: Vec<(NamedPlan, String)> = Vec::new();
    if path.is_dir() && crate::problem::workbook::kind_of(path).is_some() {
        return Err(InputError::NotPlan {
            path: path.to_path_buf(),
            reason: "it is a problem written as CSV files (it holds parks.csv); pass it with --scenarios to solve its base and scenarios".into(),
        });
    }
    if path.is_dir() {
        let io = |source| InputError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        files.retain(|f| {
            f.is_file()
                && f.extension()
                    .is_some_and(|x| x == "json" || x == "yaml" || x == "yml")
        });
        files.sort();
        for f in files {
            match sniff(&f) {
                Ok(kind) => found.extend(plans_of(kind, &f)),
                Err(InputError::NotPlan { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        if found.is_empty() {
            return Err(InputError::EmptyFolder(path.to_path_buf()));
        }
    } else {
        let kind = sniff(path)?;
        let refuse = |reason: &str| InputError::NotPlan {
            path: path.to_path_buf(),
            reason: reason.into(),
        };
        match kind {
            FileKind::Problem => {
                return Err(refuse(
                    "it is a problem file; pass it with --scenarios to solve its base and scenarios",
                ));
            }
            FileKind::Summary => {
                return Err(refuse(
                    "it is a sweep summary; pass its plans (the `variants/` folder beside it), or make a report of it with `parkplan report`",
                ));
            }
            FileKind::Front(_) => {
                return Err(refuse(
                    "it is a Pareto front, which holds no plans; `parkplan report` draws it",
                ));
            }
            FileKind::Designations(_) => {
                return Err(refuse(
                    "it is the price of designations, which holds no plans; `parkplan report` draws it",
                ));
            }
            FileKind::Plan(_) | FileKind::Comparison(_) => {}
        }
        found.extend(plans_of(kind, path));
    }
    Ok(found)
}

fn plans_of(kind: FileKind, path: &Path) -> Vec<(NamedPlan, String)> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match kind {
        FileKind::Plan(p) => vec![(
            NamedPlan {
                label: p.variant.clone(),
                plan: *p,
            },
            stem,
        )],
        FileKind::Comparison(c) => c
            .plans
            .into_iter()
            .map(|p| {
                let alt = format!("{stem}:{}", p.label);
                (p, alt)
            })
            .collect(),
        FileKind::Problem | FileKind::Summary | FileKind::Front(_) | FileKind::Designations(_) => {
            Vec::new()
        }
    }
}

/// Reads every input and labels the plans uniquely: a label that repeats is replaced by the
/// plan's file name (`plan-a`), and failing that numbered (`base#2`).
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<NamedPlan>, InputError> {
    let mut all: Vec<(NamedPlan, String)> = Vec::new();
    for path in paths {
        all.extend(plans_in(path)?);
    }
    Ok(unique_labels(all))
}

/// Labels made unique: repeated labels fall back to their alternative, then get a number.
pub fn unique_labels(plans: Vec<(NamedPlan, String)>) -> Vec<NamedPlan> {
    let count = |label: &str, list: &[(NamedPlan, String)]| {
        list.iter().filter(|(p, _)| p.label == label).count()
    };
    let mut relabelled: Vec<(NamedPlan, String)> = plans
        .iter()
        .map(|(p, alt)| {
            let mut p = p.clone();
            if count(&p.label, &plans) > 1 && !alt.is_empty() {
                p.label = alt.clone();
            }
            (p, alt.clone())
        })
        .collect();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for (p, _) in &mut relabelled {
        let n = seen.entry(p.label.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            p.label = format!("{}#{n}", p.label);
        }
    }
    relabelled.into_iter().map(|(p, _)| p).collect()
}
