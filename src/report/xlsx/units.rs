//! The `Built in units` sheet of a workbook whose plans build chains that come in units
//! (MODEL.md §12): one row per park and chain built, with the plant there before, the new
//! activity, the unit size and the number of units as numbers, and the build as the other
//! reports word it ("coking: +2 × 1.0 Mt/yr, existing 1.0").
//!
//! The fixed outlays are in the `Resources` sheet, as a column beside `Used` rather than as a row
//! beneath it (the text reports' line): a row of a sheet is one fact, and a sum of `Used` over the
//! sheet's rows must count each use once.

use super::{Cell, Labels, Table, opt_text, strings, text};
use crate::plan::Plan;
use crate::problem::Problem;
use crate::report::units::built_text;

/// The sheet's name.
pub const SHEET: &str = "Built in units";

/// The sheet: `None` when no plan builds anything in units.
pub(super) fn sheet(
    plans: &[(&str, &Plan)],
    l: &Labels,
    problem: Option<&Problem>,
) -> Option<Table> {
    if plans.iter().all(|(_, p)| p.built_units.is_empty()) {
        return None;
    }
    let header = strings(&[
        "Variant",
        "Park",
        "Park name",
        "Chain",
        "Chain name",
        "Existing (chain's unit)",
        "New activity (chain's unit)",
        "Unit size (chain's unit)",
        "Units built",
        "Activity (chain's unit)",
        "Built",
    ]);
    let mut t = Table::new(SHEET, header);
    for (label, plan) in plans {
        for (park, chains) in &plan.built_units {
            for (chain, b) in chains {
                let unit = problem
                    .and_then(|p| p.chains.get(chain))
                    .and_then(|c| c.unit.as_deref())
                    .unwrap_or("");
                t.rows.push(vec![
                    text(*label),
                    text(park),
                    opt_text(l.names.parks.get(park)),
                    text(chain),
                    opt_text(l.names.chains.get(chain)),
                    Cell::Number(b.existing),
                    Cell::Number(b.new),
                    super::num(b.unit),
                    super::num(b.units.map(whole)),
                    Cell::Number(b.existing + b.new),
                    text(built_text(chain, b, unit)),
                ]);
            }
        }
    }
    Some(t)
}

/// A count of units as a whole number where it is one within the solver's tolerance (a plan of
/// the model states `0.9999999999999998` for one unit), else as stated (a hand-edited plan).
fn whole(k: f64) -> f64 {
    if (k - k.round()).abs() <= 1e-6 * k.abs().max(1.0) {
        k.round()
    } else {
        k
    }
}
