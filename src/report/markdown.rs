//! The Markdown report: the same sections as the HTML report, as tables — an overview of the
//! variants when there are several, each Pareto front, then per plan its output value by park
//! and chain, resource utilisation, material flows between parks and shadow prices (most
//! valuable first); a multi-period plan has its timeline before them (see [`timeline`]). Tables
//! are written with [`super::md_table`].

use std::fmt::Write as _;

use super::comparison::changes;
use super::md_table::{Align, Table};
use super::views::{Kind, Quantity, ReportInput, basis, place, priced};
use crate::analysis::pareto::Front;
use crate::plan::{Plan, ResourceUse};
use crate::util::numbers::{fmt_num, fmt_opt};

use Quantity::{Material as M, Objective as O, Value as V};

use Align::{Left as L, Right as R};

mod timeline;

/// Renders the report.
pub fn render(input: &ReportInput) -> String {
    let mut s = format!("# {}\n\n", input.title.replace(['\r', '\n'], " "));
    let rows = input.rows();
    let _ = writeln!(s, "{}.", super::html::subtitle(input, rows.len()));
    if let Some(d) = input.problem_description() {
        let _ = writeln!(s, "\n{d}");
    }
    if input.has_overview() {
        overview(&mut s, input);
    }
    for f in input.fronts {
        front_section(&mut s, input, f);
    }
    for d in input.designations {
        // Rendering a table to text cannot fail.
        if let Ok(t) = super::designations::render(d, super::AnalysisFormat::Markdown) {
            s.push('\n');
            s += &t;
        }
    }
    for (i, np) in input.plans.iter().enumerate() {
        plan_section(&mut s, input, i, &np.label, &np.plan);
    }
    no_html(&s)
}

/// The report with every `<` that could open an HTML tag (a `<script>` in a park's name, say)
/// written as `&lt;`: Markdown passes raw HTML through to the page, so a name must not become
/// markup. Only the line breaks the tables write (`<br>`) stay.
fn no_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with("<br>") {
            out.push_str("<br>");
            rest = &rest[4..];
        } else {
            out.push_str("&lt;");
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The overview of several variants, and the notes on them.
fn overview(s: &mut String, input: &ReportInput) {
    s.push_str("\n## Overview\n\n");
    let mut t = Table::new(
        [
            "variant".to_string(),
            "status".into(),
            input.head("objective", O),
            input.head("Δ vs base", O),
            input.head("output value", V),
            input.head("waste reused", M),
            "reuse rate (%)".into(),
            "main chains changed".into(),
            "why not optimal".into(),
        ],
        [L, L, R, R, R, R, R, R, L],
    );
    for row in &input.rows() {
        let plan = row.plan.map(|i| &input.plans[i].plan);
        let value = |q, f: fn(&Plan) -> Option<f64>| input.num(q, plan.and_then(f));
        let (delta, changed) = input.changes(row);
        let base = if row.plan == Some(input.base) {
            " (base)"
        } else {
            ""
        };
        t.row([
            format!("{}{base}", row.label),
            row.status.to_string(),
            value(O, |p| p.objective),
            delta,
            value(V, |p| p.output_value),
            value(M, |p| p.total_reuse),
            plan.and_then(changes::reuse_rate)
                .map_or("–".into(), |r| format!("{:.1}", r * 100.0)),
            changed,
            row.reason.clone().unwrap_or_default(),
        ]);
    }
    s.push_str(&t.finish());
    for note in input.notes {
        let _ = writeln!(s, "\n{note}");
    }
    timeline::overview(s, input);
}

/// A Pareto front: one row per point, with the trade-off between neighbours.
fn front_section(s: &mut String, input: &ReportInput, front: &Front) {
    let _ = writeln!(
        s,
        "\n## Pareto front: output value against waste reuse, variant `{}`\n\n{} point(s), from the most output to the most waste reused; {} dropped as duplicates or dominated.\n",
        front.variant,
        front.points.len(),
        front.dropped
    );
    let mut t = Table::new(
        crate::report::html::front_header(input, front),
        [R, L, R, R, R, R],
    );
    for (p, rate) in front
        .points
        .iter()
        .zip(crate::analysis::pareto::trade_offs(front))
    {
        t.row(crate::report::front::point_cells(p, rate));
    }
    s.push_str(&t.finish());
}

/// One plan: its totals, then output by park, utilisation, flows and shadow prices; why there
/// is none for a variant without a plan.
fn plan_section(s: &mut String, input: &ReportInput, i: usize, label: &str, plan: &Plan) {
    let _ = writeln!(s, "\n## Plan `{label}` — {}\n", plan.status);
    if let Some(d) = input.description(label) {
        let _ = writeln!(s, "Scenario: {d}\n");
    }
    if !plan.status.has_plan() {
        let why = plan
            .status
            .message_by(plan.gap, plan.stopped_by)
            .unwrap_or_default();
        let _ = write!(s, "No plan: {why}.");
        if plan.status == crate::solver::SolveStatus::Infeasible {
            s.push_str(" `parkplan explain` finds the smallest changes that make it feasible.");
        }
        s.push('\n');
        return;
    }
    let _ = write!(
        s,
        "Objective {}; output value {}, reuse value {}, waste reused {}",
        input.amount(O, plan.objective),
        input.amount(V, plan.output_value),
        input.amount(V, plan.reuse_value),
        input.amount(M, plan.total_reuse),
    );
    match changes::reuse_sentence(input, plan) {
        Some(r) => {
            let _ = writeln!(s, "; {r}.");
        }
        None => s.push_str(".\n"),
    }
    if let Some(t) = &plan.tie {
        let _ = writeln!(
            s,
            "\n**Tie:** {}. A main chain that differs from another plan's only by this tie is no real change.",
            t.sentence()
        );
    }
    if let Some(c) = changes::changes(input, i) {
        change_table(s, input, label, &c);
    }
    if !plan.periods.is_empty() {
        timeline::section(s, input, plan);
    }
    output_table(s, input, plan);
    units_table(s, input, plan);
    utilisation_table(s, input, plan);
    flows_tables(s, input, plan);
    shadow_table(s, input, plan);
}

/// What the plan changes against the base: per park, then per zone and for all parks.
fn change_table(s: &mut String, input: &ReportInput, label: &str, c: &changes::Changes) {
    let base = input.base_plan().map_or("base", |np| np.label.as_str());
    let _ = writeln!(
        s,
        "\n### Changes against `{base}`\n\nEach cell is `{base} → {label} (change)`, or one value where nothing changes; a use whose capacity the scenario changes says so.\n"
    );
    let header = changes::header(input, c);
    let align: Vec<Align> = (0..header.len())
        .map(|k| if k < 2 { L } else { R })
        .collect();
    let mut t = Table::new(header, align);
    for p in c.parks.iter().chain(&c.zones) {
        t.row(changes::row(input, p));
    }
    s.push_str(&t.finish());
    let (n, tied) = changes::switches(c);
    if n > 0 {
        let _ = writeln!(
            s,
            "\n{n} main chain(s) switched{}.",
            if tied > 0 {
                format!(", {tied} of them tied (an equally good plan keeps the base's chain)")
            } else {
                String::new()
            }
        );
    }
}

/// Output value by park and chain, with each park's main chain.
fn output_table(s: &mut String, input: &ReportInput, plan: &Plan) {
    s.push_str("\n### Output value by park and chain\n\n");
    let existing = input.problem.is_some();
    let mut header = vec![
        "park".to_string(),
        "main chain".into(),
        input.head("output value", V),
    ];
    let mut align = vec![L, L, R];
    if existing {
        header.extend([
            input.head("existing plant", V),
            input.head("planned − existing", V),
        ]);
        align.extend([R, R]);
    }
    header.push(format!("chains ({})", input.unit_q(V)));
    align.push(L);
    let mut t = Table::new(header, align);
    let (mut total, mut total_existing) = (0.0, 0.0);
    for park in input.parks() {
        let chains: Vec<String> = input
            .chain_values(plan, &park)
            .iter()
            .map(|(c, v)| format!("{c} {}", input.num(V, Some(*v))))
            .collect();
        let out = plan.park_output.get(&park).copied().unwrap_or(0.0);
        total += out;
        let mut row = vec![
            input.named(Kind::Park, &park),
            input
                .main_chains(plan)
                .get(&park)
                .map_or("–".into(), |c| input.named(Kind::Chain, c)),
            input.num(V, Some(out)),
        ];
        if existing {
            let e = changes::existing_output(input, &park).unwrap_or(0.0);
            total_existing += e;
            row.extend([input.num(V, Some(e)), input.delta(V, Some(out - e))]);
        }
        row.push(chains.join(", "));
        t.row(row);
    }
    let mut row = vec![
        "all parks".to_string(),
        "–".into(),
        input.num(V, Some(total)),
    ];
    if existing {
        row.extend([
            input.num(V, Some(total_existing)),
            input.delta(V, Some(total - total_existing)),
        ]);
    }
    row.push(String::new());
    t.row(row);
    s.push_str(&t.finish());
}

/// A cell of the utilisation table: the share of capacity used (● where the limit binds).
fn share(input: &ReportInput, r: Option<&ResourceUse>) -> String {
    match r {
        Some(r) => {
            let bind = if crate::report::views::binds(r) {
                " ●"
            } else {
                ""
            };
            match r.utilisation {
                Some(u) => format!("{}{bind}", crate::report::views::share(u)),
                None => format!(
                    "{} of 0{bind}",
                    input.num(Quantity::Resource(&r.resource), Some(r.used))
                ),
            }
        }
        None => "–".into(),
    }
}

/// Resource utilisation: parks × resources, then a row per city pool. A resource with only a
/// city pool (no park capacity) has a column of its own, filled in its pool's row.
/// What each park builds in units (MODEL.md §12), and each resource row's fixed outlays as a line
/// of its own under it; nothing when the plan builds nothing in units.
fn units_table(s: &mut String, input: &ReportInput, plan: &Plan) {
    if plan.built_units.is_empty() {
        return;
    }
    s.push_str("\n### Built in units\n\n");
    let mut t = Table::new(["park".to_string(), "built".to_string()], [L, L]);
    for (park, chains) in &plan.built_units {
        for (chain, b) in chains {
            let unit = input
                .problem
                .and_then(|p| p.chains.get(chain))
                .and_then(|c| c.unit.clone())
                .unwrap_or_default();
            t.row([
                input.named(Kind::Park, park),
                no_html(&super::units::built_text(chain, b, &unit)),
            ]);
        }
    }
    s.push_str(&t.finish());
    let fixed: Vec<&ResourceUse> = plan
        .resources
        .iter()
        .filter(|r| r.fixed.is_some())
        .collect();
    if fixed.is_empty() {
        return;
    }
    s.push_str(
        "\nResources used, with the fixed outlays of the chains built as a line of their own.\n\n",
    );
    let mut t = Table::new(
        [
            "where".to_string(),
            "resource".to_string(),
            "used".to_string(),
        ],
        [L, L, R],
    );
    for r in fixed {
        let at = match &r.park {
            Some(p) => input.named(Kind::Park, p),
            None => "city pool".to_string(),
        };
        t.row([at, r.resource.clone(), fmt_num(r.used)]);
        t.row([
            String::new(),
            format!("↳ {}", super::units::FIXED_LABEL),
            fmt_num(r.fixed.unwrap_or(0.0)),
        ]);
    }
    s.push_str(&t.finish());
}

fn utilisation_table(s: &mut String, input: &ReportInput, plan: &Plan) {
    let mut resources = input.park_resources();
    for r in plan.resources.iter().filter(|r| r.park.is_none()) {
        if !resources.contains(&r.resource) {
            resources.push(r.resource.clone());
        }
    }
    s.push_str("\n### Resource utilisation\n\nUse as a share of capacity, in % (● the limit binds and has a shadow price).\n\n");
    let header = std::iter::once("park".to_string())
        .chain(resources.iter().map(|r| format!("{r} (% of capacity)")));
    let align = std::iter::once(L).chain(resources.iter().map(|_| R));
    let mut t = Table::new(header, align);
    for park in input.parks() {
        let cells = resources.iter().map(|res| {
            share(
                input,
                plan.resources
                    .iter()
                    .find(|r| r.park.as_ref() == Some(&park) && &r.resource == res),
            )
        });
        t.row(std::iter::once(input.named(Kind::Park, &park)).chain(cells));
    }
    for r in plan.resources.iter().filter(|r| r.park.is_none()) {
        let cells = resources.iter().map(|res| {
            if res == &r.resource {
                share(input, Some(r))
            } else {
                String::new()
            }
        });
        t.row(std::iter::once(format!("city pool: {}", r.resource)).chain(cells));
    }
    s.push_str(&t.finish());
}

/// Material flows between parks and within a park (`from` = `to`), or `None.`, and what is
/// bought from outside.
fn flows_tables(s: &mut String, input: &ReportInput, plan: &Plan) {
    s.push_str("\n### Material flows between parks\n\n");
    let between: Vec<_> = plan.flows.iter().filter(|f| f.amount > 0.0).collect();
    if between.is_empty() {
        s.push_str("None.\n");
    } else {
        if between.iter().any(|f| f.from == f.to) {
            s.push_str("A row from a park to itself is a flow within the park.\n\n");
        }
        let mut t = Table::new(
            [
                "material".to_string(),
                "from".into(),
                "to".into(),
                input.head("amount", M),
            ],
            [L, L, L, R],
        );
        for f in between {
            t.row([
                f.material.clone(),
                f.from.clone(),
                f.to.clone(),
                input.num(M, Some(f.amount)),
            ]);
        }
        s.push_str(&t.finish());
    }
    if !plan.purchases.is_empty() {
        s.push_str("\nBought from outside:\n\n");
        let mut t = Table::new(
            [
                "material".to_string(),
                "park".into(),
                input.head("amount", M),
            ],
            [L, L, R],
        );
        for b in &plan.purchases {
            t.row([
                b.material.clone(),
                b.park.clone(),
                input.num(M, Some(b.amount)),
            ]);
        }
        s.push_str(&t.finish());
    }
}

/// The limits with a shadow price, most valuable first.
fn shadow_table(s: &mut String, input: &ReportInput, plan: &Plan) {
    let _ = writeln!(
        s,
        "\n### Shadow prices\n\nObjective gained per extra unit of each limit, most valuable first; {}.\n",
        basis(plan)
    );
    let priced = priced(plan);
    if priced.is_empty() {
        s.push_str("No resource limit binds.\n");
        return;
    }
    let mut t = Table::new(
        [
            "where",
            "resource",
            "shadow price",
            "holds for capacity",
            "used",
            "capacity",
            "slack",
        ],
        [L, L, R, R, R, R, R],
    );
    let out = crate::report::views::unit_of(plan, "output");
    for r in priced {
        let q = Quantity::Resource(&r.resource);
        let u = crate::report::views::unit_of(plan, &r.resource);
        let per = match (out, u) {
            ("", "") => String::new(),
            (o, "") => format!(" {o}"),
            ("", u) => format!(" per {u}"),
            (o, u) => format!(" {o} per {u}"),
        };
        t.row([
            place(r),
            r.resource.clone(),
            format!("{}{per}", fmt_opt(r.shadow_price)),
            crate::report::views::price_range(r),
            input.amount(q, Some(r.used)),
            input.amount(q, Some(r.capacity)),
            input.amount(q, Some(r.slack)),
        ]);
    }
    s.push_str(&t.finish());
}

#[cfg(test)]
mod tests {
    use super::no_html;

    #[test]
    fn names_never_become_html() {
        assert_eq!(
            no_html("| <script>alert(1)</script> | a<br>b | x < y |"),
            "| &lt;script>alert(1)&lt;/script> | a<br>b | x &lt; y |"
        );
    }
}
