//! A [`Robust`] plan as text: the robust main chains, each scenario's objective under them beside
//! its own optimum, and RP with WS, EVPI, EEV and VSS (expected) or the worst scenario (worst case);
//! Markdown; JSON and YAML with every field; CSV with one record per scenario.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::md_table::{self, Align};
use crate::analysis::robust::Robust;
use crate::problem::format::Measure;
use crate::report::{AnalysisFormat, ReportError};
use crate::util::numbers::{csv_num, fmt_amount, fmt_num};

/// Renders a robust plan.
pub fn render(r: &Robust, format: AnalysisFormat) -> Result<String, ReportError> {
    match format {
        AnalysisFormat::Table => Ok(text(r, false)),
        AnalysisFormat::Markdown => Ok(text(r, true)),
        AnalysisFormat::Json => Ok(serde_json::to_string_pretty(r)? + "\n"),
        AnalysisFormat::Yaml => Ok(serde_yaml::to_string(r)?),
        AnalysisFormat::Csv => csv(r),
    }
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::Expected => "expected",
        Measure::WorstCase => "worst-case",
    }
}

/// Whether `high` is within the solver's rounding of `low`: the interval is a point.
fn is_point(low: f64, high: f64) -> bool {
    (high - low).abs() <= 1e-9 * low.abs().max(high.abs()).max(1.0)
}

/// A figure known between its plan's objective and a proven bound: the value alone when the two
/// meet, else the value with its bound (`21.3 (bound 21.5)`), or the bound unknown.
pub(super) fn with_bound(value: Option<f64>, bound: Option<f64>) -> String {
    match (value, bound) {
        (None, _) => "–".into(),
        (Some(v), Some(b)) if is_point(v, b) => fmt_num(v),
        (Some(v), Some(b)) => format!("{} (bound {})", fmt_num(v), fmt_num(b)),
        (Some(v), None) => format!("{} (bound not known)", fmt_num(v)),
    }
}

/// A difference of two figures known within their bounds (VSS, EVPI, a loss), which is exactly
/// ≥ 0: one number when the bounds meet, else the interval — never a negative number shown as if
/// exact. A negative lower end is said as "≥ 0 within the gap".
pub fn interval(value: Option<f64>, low: Option<f64>, high: Option<f64>) -> String {
    let Some(v) = value else {
        return "–".into();
    };
    match (low, high) {
        (Some(l), Some(h)) if is_point(l, h) => fmt_num(v.max(0.0)),
        (Some(l), Some(h)) if l < 0.0 => format!(
            "between 0 and {} (≥ 0 within the gap: the bounds alone give {} to {})",
            fmt_num(h),
            fmt_num(l),
            fmt_num(h)
        ),
        (Some(l), Some(h)) => format!("between {} and {}", fmt_num(l), fmt_num(h)),
        (Some(l), None) => format!("at least {} (no upper bound known)", fmt_num(l.max(0.0))),
        (None, Some(h)) => format!("between 0 and {}", fmt_num(h)),
        (None, None) => format!("{} (bounds not known)", fmt_num(v.max(0.0))),
    }
}

/// The summary lines: RP and its companions, in words.
pub fn summary_lines(r: &Robust) -> Vec<String> {
    let mut lines = Vec::new();
    let Some(rp) = r.objective else {
        lines.push(format!("status: {} — no robust plan", r.status));
        return lines;
    };
    lines.push(format!(
        "RP ({} objective): {}",
        measure_name(r.measure),
        with_bound(Some(rp), r.objective_bound)
    ));
    match r.measure {
        Measure::Expected => {
            lines.push(format!(
                "WS (wait and see): {}",
                with_bound(r.ws, r.ws_bound)
            ));
            lines.push(format!(
                "EVPI = WS − RP: {}",
                interval(r.evpi, r.evpi_low, r.evpi_high)
            ));
            match (&r.eev_infeasible, r.eev) {
                (Some(why), _) => {
                    lines.push(format!("EEV: −∞ ({why})"));
                    lines.push("VSS = RP − EEV: +∞".into());
                }
                (None, eev) => {
                    lines.push(format!(
                        "EEV (mean-value main chains): {}",
                        with_bound(eev, r.eev_bound)
                    ));
                    lines.push(format!(
                        "VSS = RP − EEV: {}",
                        interval(r.vss, r.vss_low, r.vss_high)
                    ));
                }
            }
        }
        Measure::WorstCase => {
            if let Some(w) = &r.worst_scenario {
                lines.push(format!("worst scenario: {w}"));
            }
        }
    }
    // A figure without a plan has nothing to bound; one with a plan is exact when its bound meets it.
    let exact = |v: Option<f64>, b: Option<f64>| match (v, b) {
        (None, _) => true,
        (Some(v), Some(b)) => is_point(v, b),
        (Some(_), None) => false,
    };
    let inexact = !exact(Some(rp), r.objective_bound)
        || r.scenarios.iter().any(|s| {
            !exact(s.objective, s.objective_bound)
                || !exact(s.alone_objective, s.alone_bound)
                || !exact(s.mean_value_objective, s.mean_value_bound)
        });
    if inexact {
        lines.push(format!(
            "each solve stopped within a relative gap of {}: figures are shown with their bounds",
            fmt_amount(r.solve_gap)
        ));
    }
    lines
}

fn text(r: &Robust, markdown: bool) -> String {
    let title = r.problem.as_deref().unwrap_or("parkplan");
    let mut out = if markdown {
        format!(
            "## {title} — robust main chains ({})\n\n",
            measure_name(r.measure)
        )
    } else {
        format!(
            "{title} — robust main chains ({})\n",
            measure_name(r.measure)
        )
    };
    if !r.main_chains.is_empty() {
        let list: Vec<String> = r
            .main_chains
            .iter()
            .map(|(p, c)| format!("{p}={c}"))
            .collect();
        out += &format!("main chains: {}\n", list.join(", "));
        if markdown {
            out.push('\n');
        }
        let header = [
            "scenario",
            "probability",
            "objective",
            "own optimum",
            "loss",
            "under mean-value main chains",
        ];
        let rows: Vec<[String; 6]> = r
            .scenarios
            .iter()
            .map(|s| {
                [
                    s.name.clone(),
                    fmt_num(s.probability),
                    with_bound(s.objective, s.objective_bound),
                    with_bound(s.alone_objective, s.alone_bound),
                    interval(s.loss, s.loss_low, s.loss_high),
                    match s.mean_value_status {
                        Some(st) if !st.has_plan() => st.to_string(),
                        _ => with_bound(s.mean_value_objective, s.mean_value_bound),
                    },
                ]
            })
            .collect();
        if markdown {
            let mut t = md_table::Table::new(
                header,
                [
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                ],
            );
            for row in rows {
                t.row(row);
            }
            out += &t.finish();
            out.push('\n');
        } else {
            let mut t = Table::new();
            t.load_style(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(header.to_vec());
            for row in rows {
                t.add_row(row.to_vec());
            }
            for i in 1..6 {
                if let Some(col) = t.column_mut(i) {
                    col.set_cell_alignment(CellAlignment::Right);
                }
            }
            out += &t.to_string();
            out.push('\n');
        }
        if let Some(mv) = &r.mean_value
            && !mv.main_chains.is_empty()
        {
            let list: Vec<String> = mv
                .main_chains
                .iter()
                .map(|(p, c)| format!("{p}={c}"))
                .collect();
            out += &format!("mean-value main chains: {}\n", list.join(", "));
        }
    }
    for line in summary_lines(r) {
        out += &line;
        out += if markdown { "  \n" } else { "\n" };
    }
    out
}

fn csv(r: &Robust) -> Result<String, ReportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "scenario",
        "probability",
        "status",
        "objective",
        "own_optimum",
        "loss",
        "mean_value_objective",
        "objective_bound",
        "own_optimum_bound",
        "loss_low",
        "loss_high",
        "mean_value_bound",
    ])?;
    for s in &r.scenarios {
        w.write_record([
            s.name.clone(),
            s.probability.to_string(),
            s.status.to_string(),
            csv_num(s.objective),
            csv_num(s.alone_objective),
            csv_num(s.loss),
            csv_num(s.mean_value_objective),
            csv_num(s.objective_bound),
            csv_num(s.alone_bound),
            csv_num(s.loss_low),
            csv_num(s.loss_high),
            csv_num(s.mean_value_bound),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_known_within_a_gap_is_never_a_negative_number() {
        // Regression: `vss −0.858` for RP − EEV of plans found within a 1 % gap.
        let s = interval(Some(0.0), Some(-0.858), Some(1.2));
        assert_eq!(
            s,
            "between 0 and 1.200 (≥ 0 within the gap: the bounds alone give -0.858 to 1.200)"
        );
        assert_eq!(
            interval(Some(0.5), Some(0.25), Some(1.0)),
            "between 0.250 and 1.000"
        );
        // Exact: one number.
        assert_eq!(interval(Some(0.4), Some(0.4), Some(0.4)), "0.400");
        assert_eq!(interval(None, None, None), "–");
        assert_eq!(
            interval(Some(0.3), Some(0.1), None),
            "at least 0.100 (no upper bound known)"
        );
        assert_eq!(with_bound(Some(21.0), Some(21.0)), "21.000");
        assert_eq!(with_bound(Some(21.0), Some(21.5)), "21.000 (bound 21.500)");
    }
}
