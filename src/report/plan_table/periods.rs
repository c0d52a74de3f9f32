//! The terminal report of a multi-period plan (MODEL.md §9): the main chains once (under the
//! one-main-chain rule), a timeline of output value by park, then each period as a plan of its
//! own with what it builds, and the objective over the horizon.

use super::*;
use crate::plan::PeriodPlan;

/// The whole report of a plan with periods.
pub(super) fn render(plan: &Plan, problem: &Problem) -> String {
    let mut s = head(plan, problem);
    if !plan.status.has_plan() {
        return s;
    }
    let prec = Precision::of(plan);
    if main_chain_rule(problem) {
        main_chains(&mut s, plan, problem);
    }
    timeline(&mut s, plan, problem, &prec);
    for pp in &plan.periods {
        period(&mut s, pp, problem, &prec);
    }
    horizon(&mut s, plan, problem, &prec);
    s
}

/// Each park's main chain, held for every period.
fn main_chains(s: &mut String, plan: &Plan, problem: &Problem) {
    let first = plan.periods.first().map_or("", |p| p.period.as_str());
    let last = plan.periods.last().map_or("", |p| p.period.as_str());
    *s += &format!("\nMain chains, held from {first} to {last}\n");
    let mut t = grid(&["park", "name", "main chain"]);
    for (park_id, park) in &problem.parks {
        t.add_row(vec![
            park_id.clone(),
            park.name.clone().unwrap_or_default(),
            plan.main_chains.get(park_id).cloned().unwrap_or("–".into()),
        ]);
    }
    put(s, t, 3);
}

/// Output value by park (rows) and period (columns), per year, with the city's total.
fn timeline(s: &mut String, plan: &Plan, problem: &Problem, prec: &Precision) {
    let u = unit(problem, "output");
    *s += &format!(
        "\nOutput value by park and period{}\n",
        if u.is_empty() {
            String::new()
        } else {
            format!(" ({u})")
        }
    );
    let mut header = vec!["park"];
    header.extend(plan.periods.iter().map(|p| p.period.as_str()));
    let mut t = grid(&header);
    for park_id in problem.parks.keys() {
        let mut row = vec![park_id.clone()];
        row.extend(
            plan.periods
                .iter()
                .map(|p| prec.money(p.plan.park_output.get(park_id).copied().unwrap_or(0.0), "")),
        );
        t.add_row(row);
    }
    let mut total = vec!["city".to_string()];
    total.extend(plan.periods.iter().map(|p| {
        p.plan
            .output_value
            .map_or("–".into(), |v| prec.money(v, ""))
    }));
    t.add_row(total);
    put(s, t, 1);
}

/// One period: its length and weight, what it builds, and its plan.
fn period(s: &mut String, pp: &PeriodPlan, problem: &Problem, prec: &Precision) {
    *s += &format!(
        "\n━━ Period {} · {} year{} · weight {} ━━\n",
        pp.period,
        pp.years,
        if pp.years == 1 { "" } else { "s" },
        fmt_num(pp.weight)
    );
    if let Some(d) = problem
        .periods
        .get(&pp.period)
        .and_then(|p| p.description.as_deref())
    {
        *s += &format!("{d}\n");
    }
    *s += "\nBuilt in this period\n";
    if pp.built.is_empty() {
        *s += "  nothing\n";
    } else {
        let mut t = grid(&["park", "chain", "built", "unit", "activity"]);
        for (park_id, chains) in &pp.built {
            for (chain_id, b) in chains {
                let activity = pp
                    .plan
                    .activities
                    .get(park_id)
                    .and_then(|a| a.get(chain_id))
                    .copied()
                    .unwrap_or(0.0);
                t.add_row(vec![
                    park_id.clone(),
                    chain_id.clone(),
                    fmt_num(*b),
                    problem
                        .chains
                        .get(chain_id)
                        .and_then(|c| c.unit.clone())
                        .unwrap_or_default(),
                    fmt_num(activity),
                ]);
            }
        }
        put(s, t, 2);
    }
    let plan = &pp.plan;
    for (park_id, park) in &problem.parks {
        park_section(s, plan, problem, park_id, park, prec);
    }
    city_pools(s, plan, prec);
    flows(s, plan, prec);
    purchases(s, plan, prec);
    materials(s, plan, prec);
    shadow_prices(s, plan, prec);
    *s += "\nTotals of the period, per year";
    totals(s, plan, problem, prec);
}

/// Each period's objective per year, its weight and their product, and the total.
fn horizon(s: &mut String, plan: &Plan, problem: &Problem, prec: &Precision) {
    let u = unit(problem, "output");
    *s += "\nObjective over the horizon";
    if let Some(p) = problem
        .objective
        .discount_rate
        .gt(&0.0)
        .then_some(problem.objective.discount_rate)
    {
        *s += &format!(" (present value at {} % a year)", fmt_num(p * 100.0));
    }
    *s += "\n";
    let per_year = if u.is_empty() {
        "objective per year".to_string()
    } else {
        format!("objective ({u})")
    };
    let money = |v: Option<f64>| v.map_or("–".into(), |v| prec.money(v, ""));
    let mut t = grid(&["period", "years", "weight", &per_year, "weighted"]);
    for pp in &plan.periods {
        t.add_row(vec![
            pp.period.clone(),
            pp.years.to_string(),
            fmt_num(pp.weight),
            money(pp.plan.objective),
            money(pp.plan.objective.map(|o| o * pp.weight)),
        ]);
    }
    t.add_row(vec![
        "total".into(),
        plan.periods
            .iter()
            .map(|p| p.years)
            .sum::<u32>()
            .to_string(),
        String::new(),
        String::new(),
        money(plan.objective),
    ]);
    put(s, t, 1);
}
