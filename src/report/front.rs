//! A Pareto [`Front`] as text: a terminal table with the trade-off of each step, JSON, YAML or
//! CSV.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use crate::analysis::pareto::{Front, Point, trade_offs};
use crate::report::{ReportError, SummaryFormat};
use crate::util::numbers::{csv_num, fmt_num, fmt_opt};

/// Renders a front: a table, JSON or YAML (the [`Front`] fields), or CSV
/// (`epsilon,status,output_value,total_reuse,objective`).
pub fn render(front: &Front, format: SummaryFormat) -> Result<String, ReportError> {
    match format {
        SummaryFormat::Table => Ok(table(front)),
        SummaryFormat::Json => Ok(serde_json::to_string_pretty(front)? + "\n"),
        SummaryFormat::Yaml => Ok(serde_yaml::to_string(front)?),
        SummaryFormat::Csv => {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            w.write_record([
                "epsilon",
                "status",
                "output_value",
                "total_reuse",
                "objective",
            ])?;
            for p in &front.points {
                w.write_record([
                    p.epsilon.to_string(),
                    p.status.to_string(),
                    csv_num(p.output_value),
                    csv_num(p.total_reuse),
                    csv_num(p.objective),
                ])?;
            }
            let bytes = w
                .into_inner()
                .map_err(|e| ReportError::Csv(e.into_error().into()))?;
            Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
        }
    }
}

fn table(front: &Front) -> String {
    let title = front.problem.as_deref().unwrap_or("parkplan");
    let mut out = format!(
        "{title} — variant `{}`: output value against waste reuse\n",
        front.variant
    );
    let unit = |u: &Option<String>| u.as_ref().map(|u| format!(" ({u})")).unwrap_or_default();
    let (out_u, mat_u) = (unit(&front.units.output), unit(&front.units.materials));
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            format!("reuse ≥ ε{mat_u}"),
            "status".into(),
            format!("output value{out_u}"),
            format!("total reuse{mat_u}"),
            "objective".into(),
            "output given up per extra unit reused".into(),
        ]);
    for (p, rate) in front.points.iter().zip(trade_offs(front)) {
        t.add_row(point_cells(p, rate).to_vec());
    }
    for i in [0, 2, 3, 4, 5] {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out += &t.to_string();
    out += &format!(
        "\n{} point(s); {} dropped as duplicates or dominated\n",
        front.points.len(),
        front.dropped
    );
    if let Some(by) = front.stopped_by {
        out += &format!(
            "stopped by {}: the points above without a proven plan were stopped or not started\n",
            by.words()
        );
    }
    out
}

/// A point's cells as every table of a front shows them: ε, status, output value, total reuse,
/// objective, and the output given up per extra unit reused since the previous point.
pub fn point_cells(p: &Point, rate: Option<f64>) -> [String; 6] {
    [
        fmt_num(p.epsilon),
        p.status.to_string(),
        bounded(p.output_value, p.output_bound),
        bounded(p.total_reuse, p.reuse_bound),
        fmt_opt(p.objective),
        fmt_opt(rate),
    ]
}

/// A coordinate of a point solved with a gap: the value with the bound its step proved
/// (`12.400 (≤ 12.520)`); the value alone when exact.
fn bounded(value: Option<f64>, bound: Option<f64>) -> String {
    match (value, bound) {
        (Some(v), Some(b)) => format!("{} (≤ {})", fmt_num(v), fmt_num(b)),
        _ => fmt_opt(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::pareto::tests::p;

    #[test]
    fn formats_carry_the_points() {
        let front = Front {
            problem: Some("t".into()),
            variant: "base".into(),
            points: vec![p(1.0, 10.0, 1.0), p(3.0, 9.0, 3.0)],
            dropped: 1,
            stopped_by: None,
            units: crate::analysis::pareto::FrontUnits {
                output: Some("bn CNY/yr".into()),
                materials: Some("Mt/yr".into()),
            },
        };
        let csv = render(&front, SummaryFormat::Csv).unwrap();
        assert_eq!(
            csv,
            "epsilon,status,output_value,total_reuse,objective\n1,optimal,10,1,11\n3,optimal,9,3,12\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&front, SummaryFormat::Json).unwrap()).unwrap();
        assert_eq!(json["points"][1]["total_reuse"], 3.0);
        assert_eq!(json["points"][0]["epsilon"], 1.0);
        let table = render(&front, SummaryFormat::Table).unwrap();
        assert!(table.contains("output value (bn CNY/yr)"), "{table}");
        // 1 of output given up for 2 more of reuse.
        assert!(table.contains("0.500"), "{table}");
        assert!(table.contains("1 dropped"), "{table}");
    }
}
