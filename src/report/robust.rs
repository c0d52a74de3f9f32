//! A [`Robust`] plan as text: the robust main chains, each scenario's objective under them beside
//! its own optimum, and RP with WS, EVPI, EEV and VSS (expected) or the worst scenario (worst case);
//! Markdown; JSON and YAML with every field; CSV with one record per scenario.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::md_table::{self, Align};
use crate::analysis::robust::Robust;
use crate::problem::format::Measure;
use crate::report::{AnalysisFormat, ReportError};
use crate::util::numbers::{csv_num, fmt_num, fmt_opt};

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
        fmt_num(rp)
    ));
    match r.measure {
        Measure::Expected => {
            lines.push(format!("WS (wait and see): {}", fmt_opt(r.ws)));
            lines.push(format!("EVPI = WS − RP: {}", fmt_opt(r.evpi)));
            match (&r.eev_infeasible, r.eev) {
                (Some(why), _) => {
                    lines.push(format!("EEV: −∞ ({why})"));
                    lines.push("VSS = RP − EEV: +∞".into());
                }
                (None, eev) => {
                    lines.push(format!("EEV (mean-value main chains): {}", fmt_opt(eev)));
                    lines.push(format!("VSS = RP − EEV: {}", fmt_opt(r.vss)));
                }
            }
        }
        Measure::WorstCase => {
            if let Some(w) = &r.worst_scenario {
                lines.push(format!("worst scenario: {w}"));
            }
        }
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
                    fmt_opt(s.objective),
                    fmt_opt(s.alone_objective),
                    fmt_opt(s.loss),
                    match s.mean_value_status {
                        Some(st) if !st.has_plan() => st.to_string(),
                        _ => fmt_opt(s.mean_value_objective),
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
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}
