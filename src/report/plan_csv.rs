//! CSV in long form: `record,park,item,target,value,capacity,utilisation,shadow_price,slack`, one
//! line per total, main chain, activity, flow, purchase and resource — easy to filter in a
//! spreadsheet. A `shadow_price_basis` record says how the shadow prices were obtained.

use super::{Exporter, ReportError};
use crate::plan::Plan;
use crate::problem::Problem;
use crate::util::numbers::csv_num;

/// The long-form CSV as an exporter.
pub(super) struct Csv;

impl Exporter for Csv {
    fn render(&self, plan: &Plan, _: &Problem) -> Result<String, ReportError> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record([
            "record",
            "park",
            "item",
            "target",
            "value",
            "capacity",
            "utilisation",
            "shadow_price",
            "slack",
        ])?;
        short(&mut w, ["status", "", plan.status.as_str(), "", ""])?;
        let totals = [
            ("objective", plan.objective),
            ("output_value", plan.output_value),
            ("reuse_value", plan.reuse_value),
            ("transport_cost", plan.transport_cost),
            ("purchase_cost", plan.purchase_cost),
            ("disposal_cost", plan.disposal_cost),
            ("total_reuse", plan.total_reuse),
            ("gap", plan.gap),
        ];
        for (name, v) in totals {
            short(&mut w, ["total", "", name, "", &csv_num(v)])?;
        }
        for (park, chain) in &plan.main_chains {
            short(&mut w, ["main_chain", park, chain, "", ""])?;
        }
        for (park, acts) in &plan.activities {
            for (chain, v) in acts {
                short(&mut w, ["activity", park, chain, "", &v.to_string()])?;
            }
        }
        for f in &plan.flows {
            short(
                &mut w,
                ["flow", &f.from, &f.material, &f.to, &f.amount.to_string()],
            )?;
        }
        for b in &plan.purchases {
            short(
                &mut w,
                ["purchase", &b.park, &b.material, "", &b.amount.to_string()],
            )?;
        }
        for r in &plan.resources {
            w.write_record([
                "resource",
                r.park.as_deref().unwrap_or(""),
                &r.resource,
                "",
                &r.used.to_string(),
                &r.capacity.to_string(),
                &csv_num(r.utilisation),
                &csv_num(r.shadow_price),
                &r.slack.to_string(),
            ])?;
        }
        if let Some(basis) = &plan.shadow_price_basis {
            short(&mut w, ["shadow_price_basis", "", basis.as_str(), "", ""])?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ReportError::Csv(e.into_error().into()))?;
        Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
    }
}

/// A record of the first five columns (record, park, item, target, value); the resource columns
/// stay empty.
fn short(w: &mut ::csv::Writer<Vec<u8>>, cells: [&str; 5]) -> Result<(), ::csv::Error> {
    w.write_record(cells.into_iter().chain(["", "", "", ""]))
}
