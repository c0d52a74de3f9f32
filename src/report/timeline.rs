//! What the HTML and Markdown reports show of a multi-period plan (MODEL.md §9), read from its
//! periods: output value by park and chain, resource use against capacity and what is built, one
//! value per period, and the objective per period with its weight. A plan of one period has no
//! timeline.

use super::views::ReportInput;
use crate::plan::{Plan, ResourceUse};

/// One line of output value: a chain in a park, a park's total (`chain` `None`), or the city's
/// total (`park` and `chain` `None`); one value per period.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OutputLine {
    /// The park, `None` for the city.
    pub park: Option<String>,
    /// The chain, `None` for a total.
    pub chain: Option<String>,
    /// The output value (per year) in each period.
    pub values: Vec<f64>,
}

/// One limit (a park capacity or a city pool) in every period.
#[derive(Debug, Clone)]
pub(super) struct ResourceLine<'a> {
    /// The park, `None` for a city pool.
    pub park: Option<String>,
    /// The resource id.
    pub resource: String,
    /// Its use in each period, `None` where the period does not limit it.
    pub uses: Vec<Option<&'a ResourceUse>>,
}

/// What a chain builds in a park in each period (`None` where it builds nothing).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BuiltLine {
    /// The park.
    pub park: String,
    /// The chain.
    pub chain: String,
    /// The chain's unit, when the problem gives one.
    pub unit: Option<String>,
    /// Built in each period.
    pub values: Vec<Option<f64>>,
}

/// Whether any line of [`built`] has a unit: the table then has a unit column.
pub(super) fn any_unit(lines: &[BuiltLine]) -> bool {
    lines.iter().any(|l| l.unit.is_some())
}

/// The names of a plan's periods, in order.
pub(super) fn names(plan: &Plan) -> Vec<&str> {
    plan.periods.iter().map(|p| p.period.as_str()).collect()
}

/// The span of the horizon: `2025 to 2035`, or the one period's name.
pub(super) fn span(plan: &Plan) -> String {
    match (plan.periods.first(), plan.periods.last()) {
        (Some(a), Some(b)) if a.period != b.period => format!("{} to {}", a.period, b.period),
        (Some(a), _) => a.period.clone(),
        _ => String::new(),
    }
}

/// The parks of a plan over its periods, in the report's order, then any only a period shows.
pub(super) fn parks(input: &ReportInput, plan: &Plan) -> Vec<String> {
    let mut out = input.parks();
    for pp in &plan.periods {
        for park in pp.plan.park_output.keys() {
            if !out.contains(park) {
                out.push(park.clone());
            }
        }
    }
    out
}

/// Output value by park and chain per period: for every park its chains (in the report's chain
/// order) and its total, then the city's total.
pub(super) fn output(input: &ReportInput, plan: &Plan) -> Vec<OutputLine> {
    let order = input.chains();
    let mut out = Vec::new();
    for park in parks(input, plan) {
        let per_period: Vec<Vec<(String, f64)>> = plan
            .periods
            .iter()
            .map(|pp| input.chain_values(&pp.plan, &park))
            .collect();
        let mut chains: Vec<String> = Vec::new();
        for (c, _) in per_period.iter().flatten() {
            if !chains.contains(c) {
                chains.push(c.clone());
            }
        }
        chains.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
        for c in &chains {
            let values = per_period
                .iter()
                .map(|vs| vs.iter().find(|(cc, _)| cc == c).map_or(0.0, |(_, v)| *v))
                .collect();
            out.push(OutputLine {
                park: Some(park.clone()),
                chain: Some(c.clone()),
                values,
            });
        }
        let values = plan
            .periods
            .iter()
            .map(|pp| pp.plan.park_output.get(&park).copied().unwrap_or(0.0))
            .collect();
        out.push(OutputLine {
            park: Some(park),
            chain: None,
            values,
        });
    }
    out.push(OutputLine {
        park: None,
        chain: None,
        values: plan
            .periods
            .iter()
            .map(|pp| pp.plan.output_value.unwrap_or(0.0))
            .collect(),
    });
    out
}

/// Every limit of any period: the park capacities park by park, then the city pools; each with
/// its use in every period.
pub(super) fn resources<'a>(input: &ReportInput, plan: &'a Plan) -> Vec<ResourceLine<'a>> {
    let mut keys: Vec<(Option<String>, String)> = Vec::new();
    for pp in &plan.periods {
        for r in &pp.plan.resources {
            let key = (r.park.clone(), r.resource.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let parks = parks(input, plan);
    let rank = |park: &Option<String>| match park {
        Some(p) => parks.iter().position(|q| q == p).unwrap_or(parks.len()),
        None => parks.len() + 1,
    };
    keys.sort_by_key(|(park, _)| rank(park));
    keys.into_iter()
        .map(|(park, resource)| {
            let uses = plan
                .periods
                .iter()
                .map(|pp| {
                    pp.plan
                        .resources
                        .iter()
                        .find(|r| r.park == park && r.resource == resource)
                })
                .collect();
            ResourceLine {
                park,
                resource,
                uses,
            }
        })
        .collect()
}

/// What each park builds, chain by chain, in each period; parks in the report's order, chains in
/// the order they are first built.
pub(super) fn built(input: &ReportInput, plan: &Plan) -> Vec<BuiltLine> {
    let mut out = Vec::new();
    for park in parks(input, plan) {
        let mut chains: Vec<&String> = Vec::new();
        for pp in &plan.periods {
            for c in pp.built.get(&park).into_iter().flat_map(|b| b.keys()) {
                if !chains.contains(&c) {
                    chains.push(c);
                }
            }
        }
        for c in chains {
            let values = plan
                .periods
                .iter()
                .map(|pp| pp.built.get(&park).and_then(|b| b.get(c)).copied())
                .collect();
            let unit = input
                .problem
                .and_then(|p| p.chains.get(c))
                .and_then(|ch| ch.unit.clone());
            out.push(BuiltLine {
                park: park.clone(),
                chain: c.clone(),
                unit,
                values,
            });
        }
    }
    out
}

/// A cell of use against capacity: `used / capacity (share)`, `● ` after the share where the
/// limit binds; `–` where the period does not limit it.
pub(super) fn use_cell(r: Option<&ResourceUse>) -> String {
    use crate::util::numbers::fmt_num;
    let Some(r) = r else {
        return "–".into();
    };
    let share = match r.utilisation {
        Some(u) => crate::report::views::share(u),
        None => "–".into(),
    };
    let bind = if crate::report::views::binds(r) {
        " ●"
    } else {
        ""
    };
    format!(
        "{} / {} ({share}{bind})",
        fmt_num(r.used),
        fmt_num(r.capacity)
    )
}

/// The periods of any plan of the report, in the order first seen; empty when no plan has
/// periods.
pub(super) fn all_names(input: &ReportInput) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for np in input.plans {
        for pp in &np.plan.periods {
            if !out.contains(&pp.period) {
                out.push(pp.period.clone());
            }
        }
    }
    out
}

/// The weighted objective `w_t · obj_t` of a plan in period `name`, when it has that period.
pub(super) fn weighted(plan: &Plan, name: &str) -> Option<f64> {
    let pp = plan.periods.iter().find(|pp| pp.period == name)?;
    pp.plan.objective.map(|o| o * pp.weight)
}
