//! The Markdown report: the same sections as the HTML report, as tables — an overview of the
//! variants when there are several, each Pareto front, then per plan its output value by park and chain, resource
//! utilisation, material flows between parks and shadow prices (most valuable first).

use std::fmt::Write as _;

use super::views::{ReportInput, basis, place, priced};
use crate::analysis::pareto::Front;
use crate::plan::Plan;
use crate::util::numbers::{fmt_num, fmt_opt};

/// Renders the report.
pub fn render(input: &ReportInput) -> String {
    let mut s = format!("# {}\n\n", input.title);
    let rows = input.rows();
    let _ = writeln!(s, "{}.", super::html::subtitle(input, rows.len()));
    if input.has_overview() {
        s += "\n## Overview\n\n";
        s += "| variant | status | objective | Δ vs base | output value | waste reused | main chains changed | why not optimal |\n";
        s += "|---|---|---:|---:|---:|---:|---:|---|\n";
        for row in &rows {
            let plan = row.plan.map(|i| &input.plans[i].plan);
            let value = |f: fn(&Plan) -> Option<f64>| fmt_opt(plan.and_then(f));
            let (delta, changed) = input.changes(row);
            let _ = writeln!(
                s,
                "| {}{} | {} | {} | {delta} | {} | {} | {changed} | {} |",
                cell(&row.label),
                if row.plan == Some(input.base) {
                    " (base)"
                } else {
                    ""
                },
                row.status,
                value(|p| p.objective),
                value(|p| p.output_value),
                value(|p| p.total_reuse),
                cell(row.reason.as_deref().unwrap_or("")),
            );
        }
        for note in input.notes {
            let _ = writeln!(s, "\n{note}");
        }
    }
    for f in input.fronts {
        front_section(&mut s, f);
    }
    for np in input.plans {
        plan_section(&mut s, input, &np.label, &np.plan);
    }
    s
}

/// Text for a table cell: `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn front_section(s: &mut String, front: &Front) {
    let _ = writeln!(
        s,
        "\n## Pareto front: output value against waste reuse, variant `{}`\n\n{} point(s), from the most output to the most waste reused; {} dropped as duplicates or dominated.\n",
        front.variant,
        front.points.len(),
        front.dropped
    );
    s.push_str("| reuse ≥ ε | status | output value | total reuse | objective | output given up per extra unit reused |\n|---:|---|---:|---:|---:|---:|\n");
    for (p, rate) in front
        .points
        .iter()
        .zip(crate::analysis::pareto::trade_offs(front))
    {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            fmt_num(p.epsilon),
            p.status,
            fmt_opt(p.output_value),
            fmt_opt(p.total_reuse),
            fmt_opt(p.objective),
            fmt_opt(rate)
        );
    }
}

fn plan_section(s: &mut String, input: &ReportInput, label: &str, plan: &Plan) {
    let _ = writeln!(s, "\n## Plan `{label}` — {}\n", plan.status);
    if !plan.status.has_plan() {
        let why = plan.status.message(plan.gap).unwrap_or_default();
        let _ = write!(s, "No plan: {why}.");
        if plan.status == crate::solver::SolveStatus::Infeasible {
            s.push_str(" `parkplan explain` finds the smallest changes that make it feasible.");
        }
        s.push('\n');
        return;
    }
    let _ = writeln!(
        s,
        "Objective {}; output value {}, reuse value {}, waste reused {}.",
        fmt_opt(plan.objective),
        input.with_unit(&fmt_opt(plan.output_value), "output"),
        input.with_unit(&fmt_opt(plan.reuse_value), "output"),
        input.with_unit(&fmt_opt(plan.total_reuse), "materials"),
    );

    s.push_str("\n### Output value by park and chain\n\n| park | main chain | output value | chains |\n|---|---|---:|---|\n");
    for park in input.parks() {
        let chains: Vec<String> = input
            .chain_values(plan, &park)
            .iter()
            .map(|(c, v)| format!("{c} {}", fmt_num(*v)))
            .collect();
        let _ = writeln!(
            s,
            "| {park} | {} | {} | {} |",
            plan.main_chains.get(&park).map_or("–", String::as_str),
            fmt_num(plan.park_output.get(&park).copied().unwrap_or(0.0)),
            chains.join(", ")
        );
    }

    let resources = input.park_resources();
    s.push_str("\n### Resource utilisation\n\nUse against capacity (● the limit binds and has a shadow price).\n\n| park |");
    for r in &resources {
        let _ = write!(s, " {} |", input.labelled(r, r));
    }
    s.push_str("\n|---|");
    s.push_str(&"---:|".repeat(resources.len()));
    s.push('\n');
    let share = |r: Option<&crate::plan::ResourceUse>| match r {
        Some(r) => {
            let bind = if r.shadow_price.is_some_and(|p| p > 0.0) {
                " ●"
            } else {
                ""
            };
            match r.utilisation {
                Some(u) => format!("{:.0} %{bind}", u * 100.0),
                None => format!("{} of 0{bind}", fmt_num(r.used)),
            }
        }
        None => "–".into(),
    };
    for park in input.parks() {
        let _ = write!(s, "| {park} |");
        for res in &resources {
            let r = plan
                .resources
                .iter()
                .find(|r| r.park.as_ref() == Some(&park) && &r.resource == res);
            let _ = write!(s, " {} |", share(r));
        }
        s.push('\n');
    }
    for r in plan.resources.iter().filter(|r| r.park.is_none()) {
        let _ = write!(s, "| city pool: {} |", r.resource);
        for res in &resources {
            let cell = if res == &r.resource {
                share(Some(r))
            } else {
                String::new()
            };
            let _ = write!(s, " {cell} |");
        }
        s.push('\n');
    }

    s.push_str("\n### Material flows between parks\n\n");
    let between: Vec<_> = plan.flows.iter().filter(|f| f.from != f.to).collect();
    if between.is_empty() {
        s.push_str("None.\n");
    } else {
        s.push_str("| material | from | to | amount |\n|---|---|---|---:|\n");
        for f in between {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                f.material,
                f.from,
                f.to,
                fmt_num(f.amount)
            );
        }
    }
    if !plan.purchases.is_empty() {
        s.push_str("\nBought from outside:\n\n| material | park | amount |\n|---|---|---:|\n");
        for b in &plan.purchases {
            let _ = writeln!(s, "| {} | {} | {} |", b.material, b.park, fmt_num(b.amount));
        }
    }

    let _ = writeln!(
        s,
        "\n### Shadow prices\n\nObjective gained per extra unit of each limit, most valuable first; {}.\n",
        basis(plan)
    );
    let priced = priced(plan);
    if priced.is_empty() {
        s.push_str("No resource limit binds.\n");
    } else {
        s.push_str("| where | resource | shadow price | used | capacity | slack |\n|---|---|---:|---:|---:|---:|\n");
        for r in priced {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                place(r),
                r.resource,
                fmt_opt(r.shadow_price),
                fmt_num(r.used),
                fmt_num(r.capacity),
                fmt_num(r.slack)
            );
        }
    }
}
