//! A comparison for the terminal: one grid per park, then the totals; for plans with periods, the
//! objective by period and a grid per period. Each cell holds the value and, below it, the change
//! against the base.

use comfy_table::{CellAlignment, ContentArrangement, Table as Grid, presets};

use super::periods;
use crate::analysis::compare::{Comparison, Line, Value};
use crate::util::numbers::fmt_delta;

/// Renders a comparison as text tables.
pub fn render(c: &Comparison) -> String {
    let mut s = String::new();
    let title = c.problem.as_deref().unwrap_or("parkplan");
    s += &format!(
        "{title} — {} plans compared with `{}`\n",
        c.variants.len(),
        c.base
    );
    s += "(each cell: the value, and below it the change against the base)\n";
    for park in &c.parks {
        s += &format!("\n■ {}\n", park.park);
        s += &indent(&grid(c, &park.lines));
    }
    s += "\nTotals\n";
    s += &indent(&grid(c, &c.totals));
    if !c.periods.is_empty() {
        s += "\nObjective by period (each period's objective per year × its weight)\n";
        s += &indent(&grid(c, &periods::objective_lines(c)));
        for p in &c.periods {
            s += &format!(
                "\n▸ Period {} (values per year; the weighted objective is its part of the total)\n",
                p.period
            );
            s += &indent(&grid(c, &periods::period_lines(p)));
        }
    }
    s
}

fn base_index(c: &Comparison) -> usize {
    c.variants.iter().position(|v| v == &c.base).unwrap_or(0)
}

/// The row label with its unit: `land used (km2)`.
pub(super) fn label(l: &Line) -> String {
    match &l.unit {
        Some(u) => format!("{} ({u})", l.label),
        None => l.label.clone(),
    }
}

/// A cell: the value, and for a plan other than the base the change against it — on a line of
/// its own, or `inline` in brackets.
pub(super) fn cell(l: &Line, i: usize, base: usize, inline: bool) -> String {
    let note = |v: String, note: String| {
        if inline {
            format!("{v} ({note})")
        } else {
            format!("{v}\n{note}")
        }
    };
    if l.item == "main_chains_changed" {
        // A count, and against the base by definition.
        return match &l.values[i] {
            Value::Number(n) => format!("{n:.0}"),
            other => fmt_value(other),
        };
    }
    let v = fmt_value(&l.values[i]);
    if i == base {
        return v;
    }
    match &l.values[i] {
        Value::Text(_) if l.values[i] != l.values[base] => note(v, "changed".into()),
        Value::Number(_) => match fmt_delta(l.deltas[i]) {
            d if d.is_empty() => v,
            d => note(v, format!("Δ {d}")),
        },
        _ => v,
    }
}

fn grid(c: &Comparison, lines: &[Line]) -> String {
    let base = base_index(c);
    let mut t = Grid::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120);
    let mut header = vec![String::new()];
    header.extend(c.variants.iter().enumerate().map(|(i, v)| {
        let v = wrap_name(v);
        if i == base { format!("{v}\n(base)") } else { v }
    }));
    t.set_header(header);
    for l in lines {
        let mut row = vec![label(l)];
        row.extend((0..c.variants.len()).map(|i| cell(l, i, base, false)));
        t.add_row(row);
    }
    for i in 1..t.column_count() {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

/// A long variant name broken after its dashes, so columns stay narrow: `energy-`,
/// `investment-`, `group`.
fn wrap_name(name: &str) -> String {
    if name.chars().count() <= 12 {
        return name.to_string();
    }
    name.replace('-', "-\n")
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}\n")).collect()
}

/// A cell for people.
pub fn fmt_value(v: &Value) -> String {
    match v {
        Value::Number(x) => crate::util::numbers::fmt_num(*x),
        Value::Text(t) => t.clone(),
        Value::Missing => "–".into(),
    }
}
