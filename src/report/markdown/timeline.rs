//! The timeline of a multi-period plan in Markdown (MODEL.md §9): the objective per period with
//! its weight and the total, output value by park and chain, resource use against capacity and
//! what is built, one column per period.

use std::fmt::Write as _;

use crate::plan::Plan;
use crate::report::md_table::{Align, Table};
use crate::report::timeline::{self, use_cell};
use crate::report::views::{Quantity, ReportInput};
use crate::util::numbers::fmt_num;

/// The objective, at the report's precision for it.
const OBJ: Quantity<'static> = Quantity::Objective;

use Align::{Left as L, Right as R};

/// The timeline section of a plan with periods.
pub(super) fn section(s: &mut String, input: &ReportInput, plan: &Plan) {
    let last = plan.periods.last().map_or("", |p| p.period.as_str());
    let _ = writeln!(
        s,
        "\n### Timeline: {} periods, {}\n\nThe periods side by side. The totals above are over the horizon (Σ w_t · value_t); the values below are per year of each period; the sections after the timeline are of the last period, {last}: the plant as built out.",
        plan.periods.len(),
        timeline::span(plan),
    );
    let mains: Vec<String> = input
        .main_chains(plan)
        .iter()
        .map(|(park, c)| format!("{park} {c}"))
        .collect();
    if !mains.is_empty() {
        let _ = writeln!(
            s,
            "\nMain chains, held in every period: {}.",
            mains.join(", ")
        );
    }
    objective(s, input, plan);
    output(s, input, plan);
    resources(s, input, plan);
    built(s, input, plan);
}

/// The header and alignment of a table with `lead` columns before one per period.
fn table(lead: &[&str], plan: &Plan) -> Table {
    let header = lead
        .iter()
        .map(|h| h.to_string())
        .chain(timeline::names(plan).into_iter().map(String::from));
    let align = lead.iter().map(|_| L).chain(plan.periods.iter().map(|_| R));
    Table::new(header, align)
}

/// Each period's objective per year, its weight and the weighted objective; the total.
fn objective(s: &mut String, input: &ReportInput, plan: &Plan) {
    s.push_str("\n#### Objective by period\n\nThe weight w_t of a period is its years, discounted when the objective has a discount rate; the objective is Σ w_t · obj_t.\n\n");
    let mut t = Table::new(
        [
            "period".to_string(),
            "years".into(),
            "weight".into(),
            input.head("objective per year", OBJ),
            input.head("weighted", OBJ),
        ],
        [L, R, R, R, R],
    );
    for pp in &plan.periods {
        t.row([
            pp.period.clone(),
            pp.years.to_string(),
            fmt_num(pp.weight),
            input.num(OBJ, pp.plan.objective),
            input.num(OBJ, pp.plan.objective.map(|o| o * pp.weight)),
        ]);
    }
    t.row([
        "total".to_string(),
        plan.periods
            .iter()
            .map(|p| p.years)
            .sum::<u32>()
            .to_string(),
        String::new(),
        String::new(),
        input.num(OBJ, plan.objective),
    ]);
    s.push_str(&t.finish());
}

/// Output value by park and chain, per period.
fn output(s: &mut String, input: &ReportInput, plan: &Plan) {
    let unit = format!(" ({})", input.unit_q(crate::report::views::Quantity::Value));
    let _ = writeln!(
        s,
        "\n#### Output value by park and chain, per period{unit}\n"
    );
    let mut t = table(&["park", "chain"], plan);
    for line in timeline::output(input, plan) {
        let (park, chain) = match (&line.park, &line.chain) {
            (Some(p), Some(c)) => (p.clone(), c.clone()),
            (Some(p), None) => (p.clone(), "total".into()),
            _ => ("city".into(), "total".into()),
        };
        let cells = line
            .values
            .iter()
            .map(|v| input.num(crate::report::views::Quantity::Value, Some(*v)));
        t.row([park, chain].into_iter().chain(cells));
    }
    s.push_str(&t.finish());
}

/// Use against capacity of every limit, per period.
fn resources(s: &mut String, input: &ReportInput, plan: &Plan) {
    s.push_str("\n#### Resource use against capacity, per period\n\nUsed / capacity (share used; ● the limit binds and has a shadow price). A resource that applies to new activity counts what the period builds.\n\n");
    let mut t = table(&["where", "resource"], plan);
    for line in timeline::resources(input, plan) {
        let place = line.park.clone().unwrap_or_else(|| "city pool".into());
        let cells = line.uses.iter().map(|r| use_cell(*r));
        t.row(
            [place, input.labelled(&line.resource, &line.resource)]
                .into_iter()
                .chain(cells),
        );
    }
    s.push_str(&t.finish());
}

/// What each park builds, per chain and period.
fn built(s: &mut String, input: &ReportInput, plan: &Plan) {
    s.push_str("\n#### Built in each period\n\nActivity added in the period, in the chain's unit (the first period over the existing plant).\n\n");
    let lines = timeline::built(input, plan);
    if lines.is_empty() {
        s.push_str("Nothing is built.\n");
        return;
    }
    let units = timeline::any_unit(&lines);
    let lead: &[&str] = if units {
        &["park", "chain", "unit"]
    } else {
        &["park", "chain"]
    };
    let mut t = table(lead, plan);
    for line in lines {
        let mut cells = vec![line.park.clone(), line.chain.clone()];
        if units {
            cells.push(line.unit.clone().unwrap_or_default());
        }
        cells.extend(line.values.iter().map(|v| v.map_or("–".into(), fmt_num)));
        t.row(cells);
    }
    s.push_str(&t.finish());
}

/// The overview's objective by period of the plans with periods: each period's weighted
/// objective and the total; nothing when no plan has periods.
pub(super) fn overview(s: &mut String, input: &ReportInput) {
    let names = timeline::all_names(input);
    if names.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\n### Objective by period\n\nEach period's objective per year × its weight, in {}; they add up to the objective over the horizon.\n",
        input.unit_q(OBJ)
    );
    let header = std::iter::once("variant".to_string())
        .chain(names.iter().cloned())
        .chain(std::iter::once("total".to_string()));
    let align = std::iter::once(L).chain(names.iter().map(|_| R)).chain([R]);
    let mut t = Table::new(header, align);
    for np in input.plans.iter().filter(|np| !np.plan.periods.is_empty()) {
        let cells = names
            .iter()
            .map(|n| input.num(OBJ, timeline::weighted(&np.plan, n)));
        t.row(
            std::iter::once(np.label.clone())
                .chain(cells)
                .chain([input.num(OBJ, np.plan.objective)]),
        );
    }
    s.push_str(&t.finish());
}
