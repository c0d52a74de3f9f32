//! One variant's outcome as JSON, to travel from a Dask worker back to the process that joins a
//! sweep: the plan as `solve --format json` writes it, or why there is none (a problem's
//! diagnostics whole, so the summary says exactly what a local sweep says).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::{Value, json};

use parkplan::batch::sweep::{Failure, Outcome};
use parkplan::plan::Plan;
use parkplan::problem::{Diagnostic, Diagnostics, Location, SourceFile};
use parkplan::solver::SolveError;

fn bad(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("not an outcome of Problem.solve_entry: {e}"))
}

/// The outcome of variant `index` (`name`) as JSON.
pub fn to_json(
    index: usize,
    name: &str,
    result: &Result<Plan, Failure>,
    interrupted: bool,
) -> PyResult<String> {
    let (plan, failure) = match result {
        Ok(plan) => (serde_json::to_value(plan).map_err(bad)?, Value::Null),
        Err(Failure::Invalid(d)) => {
            let items: Vec<Value> = d
                .items
                .iter()
                .map(|i| {
                    json!({
                        "message": i.message,
                        "path": i.path,
                        "line": i.location.map(|l| l.line),
                        "column": i.location.map(|l| l.column),
                        "help": i.help,
                    })
                })
                .collect();
            (Value::Null, json!({"invalid": items}))
        }
        Err(e) => (Value::Null, json!({"error": e.to_string()})),
    };
    let stopped = interrupted
        && result.as_ref().is_ok_and(|p| {
            matches!(
                p.status,
                parkplan::solver::SolveStatus::TimeLimit
                    | parkplan::solver::SolveStatus::NoSolution
            )
        });
    Ok(json!({
        "index": index,
        "name": name,
        "plan": plan,
        "failure": failure,
        "stopped": stopped,
    })
    .to_string())
}

/// Reads an outcome written by [`to_json`] for a variant of `src`; an outcome of the form
/// `{"index", "name", "failure": {"error": message}}` is also how the Python side reports a
/// variant whose Dask task failed.
pub fn from_json(src: &SourceFile, text: &str) -> PyResult<Outcome> {
    let v: Value = serde_json::from_str(text).map_err(bad)?;
    let index = v["index"].as_u64().ok_or_else(|| bad("no index"))? as usize;
    let name = v["name"]
        .as_str()
        .ok_or_else(|| bad("no name"))?
        .to_string();
    let result = match (&v["plan"], &v["failure"]) {
        (Value::Null, Value::Object(f)) => Err(match (f.get("invalid"), f.get("error")) {
            (Some(Value::Array(items)), _) => Failure::Invalid(Diagnostics {
                file: src.path.clone(),
                source: src.text.clone(),
                items: items.iter().map(diagnostic).collect(),
            }),
            (_, Some(Value::String(e))) => Failure::Solver(SolveError(e.clone())),
            _ => return Err(bad("a failure is `invalid` or `error`")),
        }),
        (plan, Value::Null) => Ok(serde_json::from_value::<Plan>(plan.clone()).map_err(bad)?),
        _ => return Err(bad("a plan or a failure, not both")),
    };
    Ok(Outcome {
        index,
        name,
        result,
        file: None,
        unwritten: None,
        resumed: false,
        stale: false,
        stopped: v["stopped"].as_bool().unwrap_or(false),
    })
}

fn diagnostic(v: &Value) -> Diagnostic {
    let text = |k: &str| v[k].as_str().map(str::to_owned);
    let location = match (v["line"].as_u64(), v["column"].as_u64()) {
        (Some(line), Some(column)) => Some(Location {
            line: line as usize,
            column: column as usize,
        }),
        _ => None,
    };
    Diagnostic {
        message: text("message").unwrap_or_default(),
        path: text("path"),
        location,
        help: text("help"),
        cell: text("cell"),
    }
}
