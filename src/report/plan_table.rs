//! The terminal report: per park its main chain, activities, resource use and waste; then city
//! pools, flows, purchases, the materials' balance, shadow prices (most valuable first) and
//! totals. Each section has a function of its own.

use comfy_table::{CellAlignment, ContentArrangement, Table as Grid, presets};

use super::{Exporter, ReportError};
use crate::plan::{Plan, ShadowPriceBasis};
use crate::problem::Problem;
use crate::problem::format::Park;
use crate::util::numbers::{fmt_num, fmt_opt as opt};

mod periods;

/// The terminal report as an exporter.
pub(super) struct Table;

/// A utilisation as a percentage; `net producer` below zero.
fn pct(v: Option<f64>) -> String {
    match v {
        Some(u) if u < 0.0 => "net producer".into(),
        Some(u) => format!("{:.1} %", u * 100.0),
        None => "–".into(),
    }
}

/// An empty grid in the report's style, with its header.
fn grid(header: &[&str]) -> Grid {
    let mut t = Grid::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(110)
        .set_header(header.to_vec());
    t
}

/// Right-aligns the columns from `from` on.
fn right(t: &mut Grid, from: usize) {
    let n = t.column_count();
    for i in from..n {
        if let Some(col) = t.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The unit of a quantity (`output`, a resource), empty when the problem names none.
fn unit<'a>(problem: &'a Problem, key: &str) -> &'a str {
    problem.units.get(key).map(String::as_str).unwrap_or("")
}

impl Exporter for Table {
    fn render(&self, plan: &Plan, problem: &Problem) -> Result<String, ReportError> {
        if !plan.periods.is_empty() {
            return Ok(periods::render(plan, problem));
        }
        let mut s = head(plan, problem);
        if !plan.status.has_plan() {
            return Ok(s);
        }
        for (park_id, park) in &problem.parks {
            park_section(&mut s, plan, problem, park_id, park);
        }
        city_pools(&mut s, plan);
        flows(&mut s, plan);
        purchases(&mut s, plan);
        materials(&mut s, plan);
        shadow_prices(&mut s, plan);
        totals(&mut s, plan);
        Ok(s)
    }
}

/// Appends a grid, indented, its columns from `from` on right-aligned.
fn put(s: &mut String, mut t: Grid, from: usize) {
    right(&mut t, from);
    *s += &indent(&t.to_string());
}

/// The title, the variant and the status (with the MIP gap, if any).
fn head(plan: &Plan, problem: &Problem) -> String {
    let mut s = String::new();
    let title = problem.name.as_deref().unwrap_or("parkplan");
    s += &format!("{title} — variant `{}`\n", plan.variant);
    s += &format!("status: {}", plan.status);
    if let Some(g) = plan.gap {
        s += &format!(" (MIP gap {:.4} %)", g * 100.0);
    }
    s += "\n";
    if let Some(tie) = &plan.tie {
        s += &format!("tied: {}\n", tie.sentence());
    }
    s
}

/// One park: its name, zone, main chain and output value, then its activities, its resource
/// use and its waste.
fn park_section(s: &mut String, plan: &Plan, problem: &Problem, park_id: &str, park: &Park) {
    let name = park
        .name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    let zone = park
        .zone
        .as_deref()
        .map(|z| format!(", zone {z}"))
        .unwrap_or_default();
    let main = plan
        .main_chains
        .get(park_id)
        .map(String::as_str)
        .unwrap_or("–");
    let out = plan.park_output.get(park_id).copied().unwrap_or(0.0);
    *s += &format!(
        "\n■ {park_id}{name}{zone}\n  main chain: {main}   output value: {} {}\n",
        fmt_num(out),
        unit(problem, "output")
    );
    activities(s, plan, problem, park_id, park);
    park_resources(s, plan, problem, park_id);
    let waste = park_waste(plan, problem, park_id);
    if !waste.is_empty() {
        *s += "  waste: ";
        *s += &waste
            .iter()
            .map(|(k, g, r)| format!("{k} generated {}, reused {}", fmt_num(*g), fmt_num(*r)))
            .collect::<Vec<_>>()
            .join("; ");
        *s += "\n";
    }
}

/// A park's activities by chain, the main chain starred.
fn activities(s: &mut String, plan: &Plan, problem: &Problem, park_id: &str, park: &Park) {
    let mut t = grid(&["chain", "activity", "unit", "existing", "output value"]);
    if let Some(acts) = plan.activities.get(park_id) {
        for (chain_id, v) in acts {
            let chain = problem.chains.get(chain_id);
            let existing = park.existing.get(chain_id).copied().unwrap_or(0.0);
            let marker = if Some(chain_id) == plan.main_chains.get(park_id) {
                " ★"
            } else {
                ""
            };
            t.add_row(vec![
                format!("{chain_id}{marker}"),
                fmt_num(*v),
                chain.and_then(|c| c.unit.clone()).unwrap_or_default(),
                fmt_num(existing),
                fmt_num(chain.map_or(0.0, |c| c.output) * v),
            ]);
        }
    }
    put(s, t, 1);
}

/// A park's resource use against its capacities, if it has any.
fn park_resources(s: &mut String, plan: &Plan, problem: &Problem, park_id: &str) {
    let rows: Vec<_> = plan
        .resources
        .iter()
        .filter(|r| r.park.as_deref() == Some(park_id))
        .collect();
    if rows.is_empty() {
        return;
    }
    let mut t = grid(&[
        "resource",
        "used",
        "capacity",
        "utilisation",
        "shadow price",
    ]);
    for r in rows {
        t.add_row(vec![
            format!("{} {}", r.resource, unit(problem, &r.resource))
                .trim()
                .to_string(),
            fmt_num(r.used),
            fmt_num(r.capacity),
            pct(r.utilisation),
            opt(r.shadow_price),
        ]);
    }
    put(s, t, 1);
}

/// The city pools' use, if there are any.
fn city_pools(s: &mut String, plan: &Plan) {
    let pools: Vec<_> = plan.resources.iter().filter(|r| r.park.is_none()).collect();
    if pools.is_empty() {
        return;
    }
    *s += "\nCity pools\n";
    let mut t = grid(&["resource", "used", "pool", "utilisation", "shadow price"]);
    for r in pools {
        t.add_row(vec![
            r.resource.clone(),
            fmt_num(r.used),
            fmt_num(r.capacity),
            pct(r.utilisation),
            opt(r.shadow_price),
        ]);
    }
    put(s, t, 1);
}

/// Material flows between parks, or `none`.
fn flows(s: &mut String, plan: &Plan) {
    let between: Vec<_> = plan.flows.iter().filter(|f| f.from != f.to).collect();
    *s += "\nMaterial flows between parks\n";
    if between.is_empty() {
        *s += "  none\n";
        return;
    }
    let mut t = grid(&["material", "from", "to", "amount"]);
    for f in between {
        t.add_row(vec![
            f.material.clone(),
            f.from.clone(),
            f.to.clone(),
            fmt_num(f.amount),
        ]);
    }
    put(s, t, 3);
}

/// Materials bought from outside, if any.
fn purchases(s: &mut String, plan: &Plan) {
    if plan.purchases.is_empty() {
        return;
    }
    *s += "\nBought from outside\n";
    let mut t = grid(&["material", "park", "amount"]);
    for b in &plan.purchases {
        t.add_row(vec![b.material.clone(), b.park.clone(), fmt_num(b.amount)]);
    }
    put(s, t, 2);
}

/// The balance of every material: generated, reused, bought, and what is not reused — disposed
/// of for a waste, sold or left over for a product.
fn materials(s: &mut String, plan: &Plan) {
    if plan.materials.is_empty() {
        return;
    }
    *s += "\nMaterials\n";
    let mut t = grid(&[
        "material",
        "kind",
        "generated",
        "reused",
        "bought",
        "not reused",
    ]);
    for m in &plan.materials {
        t.add_row(vec![
            m.material.clone(),
            format!("{:?}", m.kind).to_lowercase(),
            fmt_num(m.generated),
            fmt_num(m.reused),
            fmt_num(m.bought),
            not_reused(m),
        ]);
    }
    put(s, t, 2);
}

/// What is generated and not reused, in the words of its kind: a waste is disposed of, a
/// product sold or left over.
pub(crate) fn not_reused(m: &crate::plan::MaterialUse) -> String {
    if m.disposed == 0.0 {
        return fmt_num(0.0);
    }
    let fate = match m.kind {
        crate::problem::format::MaterialKind::Waste => "disposed",
        crate::problem::format::MaterialKind::Product => "sold or left over",
    };
    format!("{} {fate}", fmt_num(m.disposed))
}

/// The limits with a shadow price, most valuable first.
fn shadow_prices(s: &mut String, plan: &Plan) {
    let mut priced: Vec<_> = plan
        .resources
        .iter()
        .filter(|r| r.shadow_price.is_some_and(|v| v != 0.0))
        .collect();
    priced.sort_by(|a, b| {
        b.shadow_price
            .unwrap_or(0.0)
            .total_cmp(&a.shadow_price.unwrap_or(0.0))
    });
    let basis = match plan.shadow_price_basis {
        Some(ShadowPriceBasis::FixedMainChains) => " (at the chosen main chains)",
        _ => "",
    };
    *s +=
        &format!("\nShadow prices{basis}: objective gained per extra unit, most valuable first\n");
    if priced.is_empty() {
        *s += "  no resource limit binds\n";
        return;
    }
    let out = plan.units.get("output").map(String::as_str).unwrap_or("");
    let price_head = if out.is_empty() {
        "shadow price".to_string()
    } else {
        format!("shadow price ({out} per unit)")
    };
    let mut t = grid(&[
        "where",
        "resource",
        &price_head,
        "holds from",
        "to",
        "slack",
    ]);
    let end = |v: Option<f64>, open: &str| v.map_or_else(|| open.to_string(), fmt_num);
    for r in priced {
        let u = plan
            .units
            .get(&r.resource)
            .map(String::as_str)
            .unwrap_or("");
        let range = r.price_range;
        t.add_row(vec![
            r.park.clone().unwrap_or_else(|| "city pool".into()),
            format!("{} {u}", r.resource).trim().to_string(),
            opt(r.shadow_price),
            range.map_or("–".into(), |g| end(g.from, "−∞")),
            range.map_or("–".into(), |g| end(g.to, "∞")),
            fmt_num(r.slack),
        ]);
    }
    put(s, t, 2);
    *s += "  a price holds while its limit stays within [from, to], every other limit as it is\n";
}

/// The objective and its parts.
fn totals(s: &mut String, plan: &Plan) {
    *s += "\nTotals\n";
    let mut t = grid(&["", "value"]);
    for (label, v) in [
        ("output value", plan.output_value),
        ("reuse value", plan.reuse_value),
        ("transport cost", plan.transport_cost),
        ("purchase cost", plan.purchase_cost),
        ("disposal cost", plan.disposal_cost),
        ("waste reused", plan.total_reuse),
        ("objective", plan.objective),
    ] {
        t.add_row(vec![label.to_string(), opt(v)]);
    }
    put(s, t, 1);
}

/// Waste generated in a park and sent on to a consumer, per waste material.
fn park_waste(plan: &Plan, problem: &Problem, park_id: &str) -> Vec<(String, f64, f64)> {
    let acts = plan.activities.get(park_id);
    problem
        .materials
        .iter()
        .filter(|(_, m)| m.kind == crate::problem::format::MaterialKind::Waste)
        .filter_map(|(k, _)| {
            let generated: f64 = acts
                .into_iter()
                .flatten()
                .map(|(c, v)| {
                    problem
                        .chains
                        .get(c)
                        .and_then(|ch| ch.materials.get(k))
                        .copied()
                        .unwrap_or(0.0)
                        .max(0.0)
                        * v
                })
                .sum();
            let reused: f64 = plan
                .flows
                .iter()
                .filter(|f| &f.material == k && f.from == park_id)
                .map(|f| f.amount)
                .sum();
            (generated > 0.0).then(|| (k.clone(), generated, reused))
        })
        .collect()
}

/// Every line indented by two spaces.
fn indent(s: &str) -> String {
    s.lines().map(|l| format!("  {l}\n")).collect()
}
