//! The terminal report: per park its main chain, activities, resource use and waste; then city
//! pools, flows, purchases, the materials' balance, shadow prices (most valuable first) and
//! totals. Each section has a function of its own.

use std::collections::HashMap;

use comfy_table::{CellAlignment, ContentArrangement, Table as Grid, presets};

use super::views::quantity::{Quantity, decimals, fixed};
use super::{Exporter, ReportError};
use crate::plan::{Plan, ShadowPriceBasis};
use crate::problem::Problem;
use crate::problem::format::Park;
use crate::util::numbers::fmt_num;

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

/// The unit of a material: its own, else the problem's `materials`, else none.
fn material_unit<'a>(problem: &'a Problem, material: &str) -> &'a str {
    problem
        .materials
        .get(material)
        .and_then(|m| m.unit.as_deref())
        .unwrap_or_else(|| unit(problem, "materials"))
}

/// The unit of a resource's shadow price: output per unit of the resource.
fn price_unit(plan: &Plan, resource: &str) -> String {
    let out = plan.units.get("output").map(String::as_str).unwrap_or("");
    let per = plan.units.get(resource).map(String::as_str).unwrap_or("");
    match (out, per) {
        ("", _) => String::new(),
        (out, "") => format!("{out} per unit"),
        (out, per) => format!("{out} per {per}"),
    }
}

/// Whether the problem's one-main-chain rule is on: only then has a park a main chain to show.
fn main_chain_rule(problem: &Problem) -> bool {
    problem
        .rules
        .one_main_chain
        .as_ref()
        .and_then(|r| r.settings())
        .is_some()
}

/// The decimals of the table's quantities, chosen once over the plan and its periods by the
/// reports' one rule ([`decimals`]), so that a quantity prints alike in every line; each number
/// then carries its unit when the problem names one.
struct Precision {
    /// Money: output values, the objective and its parts.
    money: usize,
    /// Amounts of material.
    material: usize,
    /// Shadow prices.
    price: usize,
    /// Each resource, by id: its use, capacity or pool, slack and a price's range.
    resources: HashMap<String, usize>,
}

impl Precision {
    /// The decimals of `plan`, its periods included.
    fn of(plan: &Plan) -> Precision {
        let one = || std::iter::once(plan);
        let ids = one()
            .chain(plan.periods.iter().map(|p| &p.plan))
            .flat_map(|p| &p.resources)
            .map(|r| r.resource.as_str());
        Precision {
            // The totals set the objective beside its parts: one precision for both.
            money: decimals(one(), Quantity::Objective).min(decimals(one(), Quantity::Value)),
            material: decimals(one(), Quantity::Material),
            price: decimals(one(), Quantity::Price),
            resources: ids
                .map(|id| (id.to_string(), decimals(one(), Quantity::Resource(id))))
                .collect(),
        }
    }

    /// An amount of money, with its unit.
    fn money(&self, v: f64, unit: &str) -> String {
        with_unit(fixed(v, self.money), unit)
    }

    /// An amount of material, with its unit.
    fn material(&self, v: f64, unit: &str) -> String {
        with_unit(fixed(v, self.material), unit)
    }

    /// A shadow price, with its unit.
    fn price(&self, v: f64, unit: &str) -> String {
        with_unit(fixed(v, self.price), unit)
    }

    /// An amount of a resource (used, a capacity or pool, a slack), with its unit.
    fn resource(&self, resource: &str, v: f64, unit: &str) -> String {
        let d = self.resources.get(resource).copied().unwrap_or(3);
        with_unit(fixed(v, d), unit)
    }
}

/// `number unit`, or the number alone when there is no unit.
fn with_unit(number: String, unit: &str) -> String {
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
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
        let prec = Precision::of(plan);
        for (park_id, park) in &problem.parks {
            park_section(&mut s, plan, problem, park_id, park, &prec);
        }
        city_pools(&mut s, plan, &prec);
        flows(&mut s, plan, &prec);
        purchases(&mut s, plan, &prec);
        materials(&mut s, plan, &prec);
        shadow_prices(&mut s, plan, &prec);
        totals(&mut s, plan, problem, &prec);
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
    // The status word names the time limit; any other cause of a stop is said beside it.
    if let Some(cause) = plan
        .stopped_by
        .filter(|c| *c != crate::solver::StopCause::TimeLimit)
    {
        s += &format!(", stopped by {}", cause.words());
    }
    if let Some(g) = plan.gap {
        s += &format!(" (MIP gap {:.4} %)", g * 100.0);
    }
    s += "\n";
    if let Some(tie) = &plan.tie {
        s += &format!("tied: {}\n", tie.sentence());
    }
    s
}

/// One park: its name, zone, main chain (under the one-main-chain rule) and output value, then
/// its activities, its resource use and its waste.
fn park_section(
    s: &mut String,
    plan: &Plan,
    problem: &Problem,
    park_id: &str,
    park: &Park,
    prec: &Precision,
) {
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
    let rule = main_chain_rule(problem);
    let main = match (rule, plan.main_chains.get(park_id)) {
        (false, _) => String::new(),
        (true, Some(c)) => format!("main chain: {c}   "),
        (true, None) => "main chain: –   ".into(),
    };
    let out = plan.park_output.get(park_id).copied().unwrap_or(0.0);
    *s += &format!(
        "\n■ {park_id}{name}{zone}\n  {main}output value: {}\n",
        prec.money(out, unit(problem, "output"))
    );
    activities(s, plan, problem, park_id, park, prec);
    if let Some(built) = plan.built_units.get(park_id) {
        let lines: Vec<String> = built
            .iter()
            .map(|(c, b)| {
                let u = problem.chains.get(c).and_then(|c| c.unit.as_deref());
                super::units::built_text(c, b, u.unwrap_or(""))
            })
            .collect();
        *s += &format!("  built in units: {}\n", lines.join("; "));
    }
    park_resources(s, plan, problem, park_id, prec);
    let waste = park_waste(plan, problem, park_id);
    if !waste.is_empty() {
        *s += "  waste: ";
        *s += &waste
            .iter()
            .map(|(k, g, r)| {
                let u = material_unit(problem, k);
                format!(
                    "{k} generated {}, reused {}",
                    prec.material(*g, u),
                    prec.material(*r, u)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        *s += "\n";
    }
}

/// A park's activities by chain, the main chain starred under the one-main-chain rule (with the
/// rule off no chain is marked: the park has no main chain).
fn activities(
    s: &mut String,
    plan: &Plan,
    problem: &Problem,
    park_id: &str,
    park: &Park,
    prec: &Precision,
) {
    let rule = main_chain_rule(problem);
    let mut t = grid(&["chain", "activity", "unit", "existing", "output value"]);
    if let Some(acts) = plan.activities.get(park_id) {
        for (chain_id, v) in acts {
            let chain = problem.chains.get(chain_id);
            let existing = park.existing.get(chain_id).copied().unwrap_or(0.0);
            let marker = if rule && Some(chain_id) == plan.main_chains.get(park_id) {
                " ★"
            } else {
                ""
            };
            t.add_row(vec![
                format!("{chain_id}{marker}"),
                fmt_num(*v),
                chain.and_then(|c| c.unit.clone()).unwrap_or_default(),
                fmt_num(existing),
                prec.money(chain.map_or(0.0, |c| c.output) * v, ""),
            ]);
        }
    }
    put(s, t, 1);
}

/// A park's resource use against its capacities, if it has any.
fn park_resources(s: &mut String, plan: &Plan, problem: &Problem, park_id: &str, prec: &Precision) {
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
            prec.resource(&r.resource, r.used, ""),
            prec.resource(&r.resource, r.capacity, ""),
            pct(r.utilisation),
            r.shadow_price.map_or("–".into(), |v| prec.price(v, "")),
        ]);
        if let Some(fixed) = r.fixed {
            t.add_row(vec![
                format!("  {}", super::units::FIXED_LABEL),
                prec.resource(&r.resource, fixed, ""),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    put(s, t, 1);
}

/// The city pools' use, if there are any, each number with its unit.
fn city_pools(s: &mut String, plan: &Plan, prec: &Precision) {
    let pools: Vec<_> = plan.resources.iter().filter(|r| r.park.is_none()).collect();
    if pools.is_empty() {
        return;
    }
    *s += "\nCity pools\n";
    let mut t = grid(&["resource", "used", "pool", "utilisation", "shadow price"]);
    for r in pools {
        let u = plan
            .units
            .get(&r.resource)
            .map(String::as_str)
            .unwrap_or("");
        t.add_row(vec![
            r.resource.clone(),
            prec.resource(&r.resource, r.used, u),
            prec.resource(&r.resource, r.capacity, u),
            pct(r.utilisation),
            r.shadow_price.map_or("–".into(), |v| {
                prec.price(v, &price_unit(plan, &r.resource))
            }),
        ]);
        if let Some(fixed) = r.fixed {
            t.add_row(vec![
                format!("  {}", super::units::FIXED_LABEL),
                prec.resource(&r.resource, fixed, u),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    put(s, t, 1);
}

/// Material flows between parks, or `none`.
fn flows(s: &mut String, plan: &Plan, prec: &Precision) {
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
            prec.material(f.amount, ""),
        ]);
    }
    put(s, t, 3);
}

/// Materials bought from outside, if any.
fn purchases(s: &mut String, plan: &Plan, prec: &Precision) {
    if plan.purchases.is_empty() {
        return;
    }
    *s += "\nBought from outside\n";
    let mut t = grid(&["material", "park", "amount"]);
    for b in &plan.purchases {
        t.add_row(vec![
            b.material.clone(),
            b.park.clone(),
            prec.material(b.amount, ""),
        ]);
    }
    put(s, t, 2);
}

/// The balance of every material: generated, reused, bought, and what is not reused — disposed
/// of for a waste, sold or left over for a product.
fn materials(s: &mut String, plan: &Plan, prec: &Precision) {
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
            prec.material(m.generated, ""),
            prec.material(m.reused, ""),
            prec.material(m.bought, ""),
            match fate(m) {
                Some(f) => format!("{} {f}", prec.material(m.disposed, "")),
                None => prec.material(0.0, ""),
            },
        ]);
    }
    put(s, t, 2);
}

/// What becomes of a material's amount not reused, `None` when nothing is left.
fn fate(m: &crate::plan::MaterialUse) -> Option<&'static str> {
    if m.disposed == 0.0 {
        return None;
    }
    Some(match m.kind {
        crate::problem::format::MaterialKind::Waste => "disposed",
        crate::problem::format::MaterialKind::Product => "sold or left over",
    })
}

/// The limits with a shadow price, most valuable first.
fn shadow_prices(s: &mut String, plan: &Plan, prec: &Precision) {
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
        Some(ShadowPriceBasis::FixedMainChains) if !plan.built_units.is_empty() => {
            " (at the chosen main chains and the units built)"
        }
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
    let end = |r: &str, v: Option<f64>, open: &str| {
        v.map_or_else(|| open.to_string(), |v| prec.resource(r, v, ""))
    };
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
            r.shadow_price.map_or("–".into(), |v| prec.price(v, "")),
            range.map_or("–".into(), |g| end(&r.resource, g.from, "−∞")),
            range.map_or("–".into(), |g| end(&r.resource, g.to, "∞")),
            prec.resource(&r.resource, r.slack, ""),
        ]);
    }
    put(s, t, 2);
    *s += "  a price holds while its limit stays within [from, to], every other limit as it is\n";
}

/// The objective and its parts, in the output's unit, and the waste reused, in the materials'.
fn totals(s: &mut String, plan: &Plan, problem: &Problem, prec: &Precision) {
    *s += "\nTotals\n";
    let mut t = grid(&["", "value"]);
    let out = unit(problem, "output");
    let money = |v: Option<f64>| v.map_or("–".into(), |v| prec.money(v, out));
    for (label, v) in [
        ("output value", money(plan.output_value)),
        ("reuse value", money(plan.reuse_value)),
        ("transport cost", money(plan.transport_cost)),
        ("purchase cost", money(plan.purchase_cost)),
        ("disposal cost", money(plan.disposal_cost)),
        (
            "waste reused",
            plan.total_reuse.map_or("–".into(), |v| {
                prec.material(v, unit(problem, "materials"))
            }),
        ),
        ("objective", money(plan.objective)),
    ] {
        t.add_row(vec![label.to_string(), v]);
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
