//! A ranked list of near-optimal [`Alternatives`] as text: a terminal or Markdown table with each
//! plan's loss against the optimum and every park's main chain (those that differ from plan 1
//! marked), JSON, YAML or CSV.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::md_table::{self, Align};
use crate::analysis::alternatives::{Alternative, Alternatives, Stop};
use crate::report::{AnalysisFormat, ReportError};
use crate::solver::StopCause;
use crate::util::numbers::{fmt_num, fmt_opt};

/// Renders the list: a table, Markdown, JSON or YAML (the [`Alternatives`] fields), or CSV
/// (`rank,objective,loss,loss_percent,<park>…`, one column per park's main chain).
pub fn render(list: &Alternatives, format: AnalysisFormat) -> Result<String, ReportError> {
    match format {
        AnalysisFormat::Table => Ok(table(list)),
        AnalysisFormat::Markdown => Ok(markdown(list)),
        AnalysisFormat::Json => Ok(serde_json::to_string_pretty(list)? + "\n"),
        AnalysisFormat::Yaml => Ok(serde_yaml::to_string(list)?),
        AnalysisFormat::Csv => csv(list),
    }
}

fn parks(list: &Alternatives) -> Vec<String> {
    list.plans
        .first()
        .map(|a| a.main_chains.keys().cloned().collect())
        .unwrap_or_default()
}

/// The cells every table shows: rank (`3 =` when the bounds do not order it after plan 2: a tie
/// within the gap), objective (with its bound when solved with a gap), loss (an interval then),
/// loss %.
fn figures(a: &Alternative) -> [String; 4] {
    [
        if a.tie_with_previous {
            format!("{} =", a.rank)
        } else {
            a.rank.to_string()
        },
        super::robust::with_bound(Some(a.objective), a.objective_bound),
        super::robust::interval(Some(a.loss), a.loss_low, a.loss_high),
        a.loss_percent
            .map(|p| format!("{p:.3} %"))
            .unwrap_or_else(|| fmt_opt(None)),
    ]
}

fn chain_cell(a: &Alternative, park: &str, mark: impl Fn(&str) -> String) -> String {
    let chain = a.main_chains.get(park).map_or("", String::as_str);
    if a.differs_from_first.iter().any(|p| p == park) {
        mark(chain)
    } else {
        chain.to_string()
    }
}

fn heading(list: &Alternatives) -> String {
    let title = list.problem.as_deref().unwrap_or("parkplan");
    let mut s = format!(
        "{title} — variant `{}`: the {} best main-chain assignments",
        list.variant, list.count
    );
    if list.differ > 1 {
        s += &format!(
            ", each differing from every earlier one in at least {} parks",
            list.differ
        );
    }
    if let Some(f) = list.within {
        s += &format!(", within {} % of the optimum", fmt_num(100.0 * f));
    }
    s
}

/// Why the list ended, in words.
pub fn stop_reason(list: &Alternatives) -> String {
    let n = list.plans.len();
    match list.stop {
        Stop::Count => format!("{n} plan(s), as many as asked for"),
        Stop::Within => format!(
            "{n} plan(s); the next best is more than {} % below the optimum",
            fmt_num(100.0 * list.within.unwrap_or(0.0))
        ),
        Stop::Exhausted => format!("{n} plan(s); no further main-chain assignment is feasible"),
        // A signal or a request is no property of the problem: say what stopped the search.
        Stop::Status(_) if list.stopped_by.is_some_and(|c| c != StopCause::TimeLimit) => {
            format!(
                "stopped by {}: {n} plan(s) found before, the search for plan {} stopped",
                list.stopped_by.map_or("", StopCause::words),
                n + 1
            )
        }
        Stop::Status(s) if n == 0 => format!("no plan: the problem is {s}"),
        Stop::Status(s) => format!("{n} plan(s); the search for plan {} ended {s}", n + 1),
    }
}

fn table(list: &Alternatives) -> String {
    let parks = parks(list);
    let mut t = Table::new();
    let mut header: Vec<String> = ["rank", "objective", "loss", "loss %"]
        .map(String::from)
        .to_vec();
    header.extend(parks.iter().cloned());
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for a in &list.plans {
        let mut row = figures(a).to_vec();
        row.extend(parks.iter().map(|p| chain_cell(a, p, |c| format!("{c} *"))));
        t.add_row(row);
    }
    for i in 0..4 {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = heading(list) + "\n";
    if !list.plans.is_empty() {
        out += &t.to_string();
        out += "\n* main chain differs from plan 1\n";
        if list.plans.iter().any(|a| a.tie_with_previous) {
            out += "= ties with the plan above within the gap: the bounds do not order them\n";
        }
    }
    out += &stop_reason(list);
    out.push('\n');
    out
}

fn markdown(list: &Alternatives) -> String {
    let parks = parks(list);
    let mut header: Vec<String> = ["rank", "objective", "loss", "loss %"]
        .map(String::from)
        .to_vec();
    header.extend(parks.iter().cloned());
    let align = [Align::Right; 4]
        .into_iter()
        .chain(parks.iter().map(|_| Align::Left));
    let mut t = md_table::Table::new(header, align);
    for a in &list.plans {
        let mut row = figures(a).to_vec();
        row.extend(
            parks
                .iter()
                .map(|p| chain_cell(a, p, |c| format!("**{c}**"))),
        );
        t.row(row);
    }
    let mut out = format!("## {}\n\n", heading(list));
    if !list.plans.is_empty() {
        out += &t.finish();
        out += "\nMain chains in **bold** differ from plan 1.\n";
        if list.plans.iter().any(|a| a.tie_with_previous) {
            out += "A rank marked = ties with the plan above within the gap: the bounds do not order them.\n";
        }
        out.push('\n');
    }
    out += &stop_reason(list);
    out.push('\n');
    out
}

fn csv(list: &Alternatives) -> Result<String, ReportError> {
    let parks = parks(list);
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["rank", "objective", "loss", "loss_percent"]
        .map(String::from)
        .to_vec();
    header.extend(parks.iter().cloned());
    w.write_record(&header)?;
    for a in &list.plans {
        let mut row = vec![
            a.rank.to_string(),
            a.objective.to_string(),
            a.loss.to_string(),
            a.loss_percent.map(|p| p.to_string()).unwrap_or_default(),
        ];
        row.extend(
            parks
                .iter()
                .map(|p| a.main_chains.get(p).cloned().unwrap_or_default()),
        );
        w.write_record(&row)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}
