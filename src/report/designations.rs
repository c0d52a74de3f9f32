//! The price of every designation ([`Designations`]) as text: per park, its chains ranked by loss
//! with the chosen one first, each loss in the objective's unit and as a share of the optimum — a
//! terminal or Markdown table — or JSON, YAML, CSV (one record per pair).

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};

use super::md_table::{self, Align};
use crate::analysis::designations::{Designation, Designations};
use crate::report::{AnalysisFormat, ReportError};
use crate::util::numbers::{csv_num, fmt_num, pretty_unit};

/// Renders the designations: a table, Markdown, JSON or YAML (the [`Designations`] fields), or
/// CSV (`park,chain,chosen,status,objective,loss,loss_low,loss_high,loss_share,message`, one
/// record per pair in the problem's order).
pub fn render(d: &Designations, format: AnalysisFormat) -> Result<String, ReportError> {
    match format {
        AnalysisFormat::Table => Ok(table(d)),
        AnalysisFormat::Markdown => Ok(markdown(d)),
        AnalysisFormat::Json => Ok(serde_json::to_string_pretty(d)? + "\n"),
        AnalysisFormat::Yaml => Ok(serde_yaml::to_string(d)?),
        AnalysisFormat::Csv => csv(d),
    }
}

/// The objective's unit as people write it, or what it is in words.
pub fn unit(d: &Designations) -> String {
    d.unit()
        .map(pretty_unit)
        .unwrap_or_else(|| "objective units".into())
}

/// The loss of a pair for a table: a number, `low – high` for an interval (`≥ low` without an
/// upper end), `infeasible` or the status for a pair without a plan.
pub fn loss_cell(x: &Designation) -> String {
    match x.interval() {
        Some((lo, Some(hi))) if (hi - lo).abs() <= 1e-12 => fmt_num(lo),
        Some((lo, Some(hi))) => format!("{} – {}", fmt_num(lo), fmt_num(hi)),
        Some((lo, None)) => format!("≥ {}", fmt_num(lo)),
        None => x.status.to_string(),
    }
}

/// The loss as a share of `|z*|`, in the same form as [`loss_cell`]; `–` without a plan or when
/// the optimum is 0.
pub fn share_cell(d: &Designations, x: &Designation) -> String {
    let pct = |v: f64| d.share(v).map(|s| format!("{:.2} %", 100.0 * s));
    match x.interval() {
        Some((lo, Some(hi))) if (hi - lo).abs() <= 1e-12 => pct(lo),
        Some((lo, Some(hi))) => pct(lo).zip(pct(hi)).map(|(a, b)| format!("{a} – {b}")),
        Some((lo, None)) => pct(lo).map(|a| format!("≥ {a}")),
        None => None,
    }
    .unwrap_or_else(|| "–".into())
}

/// The heading: what was priced, and the optimum it is measured against.
pub fn heading(d: &Designations) -> String {
    let title = d.problem.as_deref().unwrap_or("parkplan");
    format!(
        "{title} — variant `{}`: the price of every designation",
        d.variant
    )
}

/// The sentence under the heading: the optimum, and how to read a loss.
pub fn summary(d: &Designations) -> String {
    let mut s = format!(
        "Optimum z* = {} {} ({}{}). The loss of making chain c park p's main chain is z* − z(p→c), z(p→c) the best plan with that designation and every other park free.",
        fmt_num(d.objective),
        unit(d),
        d.status,
        d.stopped_by
            .map(|c| format!(", stopped by {}", c.words()))
            .unwrap_or_default()
    );
    if !d.exact() {
        s += &format!(
            " Solved to a relative gap of {}, each loss is known within the interval shown.",
            d.gap
        );
    }
    s
}

/// The lines under the table: the marks, and what was left unsolved.
fn footer(d: &Designations, chosen: &str) -> String {
    let mut s = format!("{chosen}\n");
    if d.unsolved > 0 {
        s += &format!(
            "stopped before {} pair(s) were solved; they are not listed\n",
            d.unsolved
        );
    }
    s
}

/// The cells of one pair: park (on its first row only), chain, status, z(p→c), loss, loss %.
fn cells(d: &Designations, park: &str, first: bool, x: &Designation, mark: &str) -> Vec<String> {
    let park = if first {
        match d.names.parks.get(park) {
            Some(n) if n != park => format!("{park} ({n})"),
            _ => park.to_string(),
        }
    } else {
        String::new()
    };
    let chain = if x.chosen {
        format!("{}{mark}", x.chain)
    } else {
        x.chain.clone()
    };
    vec![
        park,
        chain,
        x.status.to_string(),
        x.objective.map_or_else(|| "–".into(), fmt_num),
        loss_cell(x),
        share_cell(d, x),
    ]
}

fn header(d: &Designations) -> Vec<String> {
    let u = unit(d);
    vec![
        "park".into(),
        "main chain".into(),
        "status".into(),
        format!("z(p→c) ({u})"),
        format!("loss ({u})"),
        "loss (% of z*)".into(),
    ]
}

fn table(d: &Designations) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header(d));
    for (park, list) in d.ranked() {
        for (i, x) in list.iter().enumerate() {
            t.add_row(cells(d, park, i == 0, x, " *"));
        }
    }
    for i in 3..6 {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = heading(d) + "\n" + &summary(d) + "\n";
    if !d.designations.is_empty() {
        out += &t.to_string();
        out.push('\n');
    }
    out + &footer(d, "* the optimum's main chain")
}

fn markdown(d: &Designations) -> String {
    let align = [Align::Left, Align::Left, Align::Left]
        .into_iter()
        .chain([Align::Right; 3]);
    let mut t = md_table::Table::new(header(d), align);
    for (park, list) in d.ranked() {
        for (i, x) in list.iter().enumerate() {
            let mut row = cells(d, park, i == 0, x, "");
            if x.chosen {
                row[1] = format!("**{}**", row[1]);
            }
            t.row(row);
        }
    }
    let mut out = format!("## {}\n\n{}\n\n", heading(d), summary(d));
    out += &t.finish();
    out + "\n" + &footer(d, "Main chains in **bold** are the optimum's.")
}

fn csv(d: &Designations) -> Result<String, ReportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "park",
        "chain",
        "chosen",
        "status",
        "objective",
        "loss",
        "loss_low",
        "loss_high",
        "loss_share",
        "message",
    ])?;
    for x in &d.designations {
        let share = x.loss.and_then(|l| d.share(l));
        w.write_record([
            x.park.clone(),
            x.chain.clone(),
            x.chosen.to_string(),
            x.status.to_string(),
            csv_num(x.objective),
            csv_num(x.loss),
            csv_num(x.loss_low),
            csv_num(x.loss_high),
            csv_num(share),
            x.message.clone().unwrap_or_default(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings"))
}
