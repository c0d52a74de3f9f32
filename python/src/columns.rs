//! A plan's tables as columns (a dict of equal-length lists) for pandas: activities, resources
//! and flows, one row per period of a multi-period plan with its `period`.

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use parkplan::plan::Plan;
use parkplan::problem::Problem;

/// The plans whose rows a table holds: the plan itself, or each period's with its name.
fn parts(plan: &Plan) -> Vec<(Option<&str>, &Plan)> {
    if plan.periods.is_empty() {
        vec![(None, plan)]
    } else {
        plan.periods
            .iter()
            .map(|p| (Some(p.period.as_str()), &p.plan))
            .collect()
    }
}

/// Columns under their names, with `period` first for a multi-period plan.
struct Table<'py> {
    py: Python<'py>,
    periods: bool,
    period: Vec<String>,
    columns: Vec<(&'static str, Vec<Py<PyAny>>)>,
}

impl<'py> Table<'py> {
    fn new(py: Python<'py>, plan: &Plan, names: &[&'static str]) -> Table<'py> {
        Table {
            py,
            periods: !plan.periods.is_empty(),
            period: Vec::new(),
            columns: names.iter().map(|n| (*n, Vec::new())).collect(),
        }
    }

    fn row(&mut self, period: Option<&str>, cells: Vec<Py<PyAny>>) {
        if let Some(p) = period {
            self.period.push(p.to_string());
        }
        for ((_, column), cell) in self.columns.iter_mut().zip(cells) {
            column.push(cell);
        }
    }

    fn cell<T: for<'a> IntoPyObject<'a>>(&self, value: T) -> PyResult<Py<PyAny>> {
        value.into_py_any(self.py)
    }

    fn into_dict(self) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(self.py);
        if self.periods {
            d.set_item("period", self.period)?;
        }
        for (name, column) in self.columns {
            d.set_item(name, column)?;
        }
        Ok(d)
    }
}

/// park, chain, activity, unit, existing, output_value.
pub fn activities<'py>(
    py: Python<'py>,
    plan: &Plan,
    problem: &Problem,
) -> PyResult<Bound<'py, PyDict>> {
    let mut t = Table::new(
        py,
        plan,
        &[
            "park",
            "chain",
            "activity",
            "unit",
            "existing",
            "output_value",
        ],
    );
    for (period, p) in parts(plan) {
        for (park, chains) in &p.activities {
            for (chain, &activity) in chains {
                let unit = problem.chains.get(chain).and_then(|c| c.unit.clone());
                let existing = problem
                    .parks
                    .get(park)
                    .and_then(|pk| pk.existing.get(chain))
                    .copied()
                    .unwrap_or(0.0);
                let output = p
                    .chain_output
                    .get(park)
                    .and_then(|c| c.get(chain))
                    .copied()
                    .unwrap_or(0.0);
                let cells = vec![
                    t.cell(park.as_str())?,
                    t.cell(chain.as_str())?,
                    t.cell(activity)?,
                    t.cell(unit)?,
                    t.cell(existing)?,
                    t.cell(output)?,
                ];
                t.row(period, cells);
            }
        }
    }
    t.into_dict()
}

/// where (the park, `None` for a city pool), resource, unit, used, capacity, utilisation,
/// slack, shadow_price, range_from, range_to (where the shadow price holds).
pub fn resources<'py>(py: Python<'py>, plan: &Plan) -> PyResult<Bound<'py, PyDict>> {
    let mut t = Table::new(
        py,
        plan,
        &[
            "where",
            "resource",
            "unit",
            "used",
            "capacity",
            "utilisation",
            "slack",
            "shadow_price",
            "range_from",
            "range_to",
        ],
    );
    let nan = f64::NAN;
    for (period, p) in parts(plan) {
        for r in &p.resources {
            let unit = plan.units.get(&r.resource).cloned();
            let range = r.price_range;
            let cells = vec![
                t.cell(r.park.clone())?,
                t.cell(r.resource.as_str())?,
                t.cell(unit)?,
                t.cell(r.used)?,
                t.cell(r.capacity)?,
                t.cell(r.utilisation.unwrap_or(nan))?,
                t.cell(r.slack)?,
                t.cell(r.shadow_price.unwrap_or(nan))?,
                t.cell(range.and_then(|r| r.from).unwrap_or(nan))?,
                t.cell(range.and_then(|r| r.to).unwrap_or(nan))?,
            ];
            t.row(period, cells);
        }
    }
    t.into_dict()
}

/// material, from, to, amount.
pub fn flows<'py>(py: Python<'py>, plan: &Plan) -> PyResult<Bound<'py, PyDict>> {
    let mut t = Table::new(py, plan, &["material", "from", "to", "amount"]);
    for (period, p) in parts(plan) {
        for f in &p.flows {
            let cells = vec![
                t.cell(f.material.as_str())?,
                t.cell(f.from.as_str())?,
                t.cell(f.to.as_str())?,
                t.cell(f.amount)?,
            ];
            t.row(period, cells);
        }
    }
    t.into_dict()
}
