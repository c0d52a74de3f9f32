//! What the HTML and Markdown reports show, read from plans alone: a report covers one plan or a
//! list of them (the scenarios of a problem, the plans of a comparison, a folder of plan files, the
//! variants of a sweep — with those that have no plan), and any Pareto fronts.

use crate::analysis::compare::NamedPlan;
use crate::analysis::designations::Designations;
use crate::analysis::pareto::Front;
use crate::plan::{Plan, ResourceUse, ShadowPriceBasis};
use crate::problem::Problem;
use crate::solver::VariantStatus;

pub(super) mod quantity;
pub use quantity::Quantity;

/// One report: its title, the plans it covers and the problem they solve, when known.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The title.
    pub title: &'a str,
    /// The plans, in the order shown.
    pub plans: &'a [NamedPlan],
    /// The problem, for units and names (reports from plan files do without).
    pub problem: Option<&'a Problem>,
    /// Index of the plan the others are compared with.
    pub base: usize,
    /// The variants the overview lists, in order; empty for one per plan. A sweep's variants
    /// include those without a plan (invalid, failed), each with its status and why.
    pub rows: &'a [Row],
    /// Pareto fronts, each drawn with its table.
    pub fronts: &'a [Front],
    /// Remarks for the overview, such as the variants of a sweep that no shard reported.
    pub notes: &'a [String],
    /// Prices of designations (`parkplan designations -f json`), each drawn as a heat map of
    /// the loss with its table.
    pub designations: &'a [Designations],
}

/// A variant in the overview: its plan, or how it ended without one.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Its label, the plan's when it has one.
    pub label: String,
    /// How it ended.
    pub status: VariantStatus,
    /// Why it has no optimal plan, in one line; `None` when it has one.
    pub reason: Option<String>,
    /// Index of its plan in [`ReportInput::plans`], when it has a plan file.
    pub plan: Option<usize>,
}

impl Row {
    /// The row of plan `index`.
    pub fn of_plan(index: usize, np: &NamedPlan) -> Row {
        Row {
            label: np.label.clone(),
            status: np.plan.status.into(),
            reason: np.plan.status.message_by(np.plan.gap, np.plan.stopped_by),
            plan: Some(index),
        }
    }
}

impl ReportInput<'_> {
    /// The variants the overview lists: [`ReportInput::rows`], or one per plan.
    pub fn rows(&self) -> Vec<Row> {
        if self.rows.is_empty() {
            self.plans
                .iter()
                .enumerate()
                .map(|(i, np)| Row::of_plan(i, np))
                .collect()
        } else {
            self.rows.to_vec()
        }
    }

    /// Whether the report opens with an overview of the variants: when there are several.
    pub fn has_overview(&self) -> bool {
        self.rows().len() > 1
    }

    /// The base plan, when there is a plan at all.
    pub fn base_plan(&self) -> Option<&NamedPlan> {
        self.plans.get(self.base)
    }

    /// The overview's "Δ vs base" and "main chains changed" cells of a row: the change of
    /// objective against the base plan (empty for the base itself or without objectives), and how
    /// many parks' main chains differ from the base's (`–` without a plan, or when either was
    /// solved with the one-main-chain rule off).
    pub fn changes(&self, row: &Row) -> (String, String) {
        let base = self.base_plan().map(|np| &np.plan);
        let plan = row.plan.map(|i| &self.plans[i].plan);
        let delta = match (
            plan.and_then(|p| p.objective),
            base.and_then(|b| b.objective),
        ) {
            (Some(a), Some(b)) if row.plan != Some(self.base) => {
                self.delta(Quantity::Objective, Some(a - b))
            }
            _ => String::new(),
        };
        let changed = match (plan, base) {
            (Some(p), Some(b))
                if p.status.has_plan()
                    && !self.main_chains(p).is_empty()
                    && !self.main_chains(b).is_empty() =>
            {
                let switched: Vec<&String> = p
                    .main_chains
                    .iter()
                    .filter(|(park, c)| b.main_chains.get(*park) != Some(*c))
                    .map(|(park, _)| park)
                    .collect();
                let tied = switched
                    .iter()
                    .filter(|park| super::comparison::changes::tied(b, p, park))
                    .count();
                if tied > 0 {
                    format!("{} ({tied} tied)", switched.len())
                } else {
                    switched.len().to_string()
                }
            }
            _ => "–".into(),
        };
        (delta, changed)
    }

    /// The objective of a row, when it has a plan with one.
    pub fn objective(&self, row: &Row) -> Option<f64> {
        row.plan.and_then(|i| self.plans[i].plan.objective)
    }

    /// The unit label of `key` (`output`, `materials`, a resource id), when the problem gives
    /// one, else when a plan or a front carries one (plans and fronts read from files).
    pub fn unit(&self, key: &str) -> Option<String> {
        let of_problem = self.problem.and_then(|p| {
            p.resources
                .get(key)
                .and_then(|r| r.unit.clone())
                .or_else(|| p.units.get(key).cloned())
        });
        let of_fronts = || {
            self.fronts.iter().find_map(|f| match key {
                "output" => f.units.output.clone(),
                "materials" => f.units.materials.clone(),
                _ => None,
            })
        };
        of_problem
            .or_else(|| {
                self.plans
                    .iter()
                    .find_map(|np| np.plan.units.get(key).cloned())
            })
            .or_else(of_fronts)
    }

    /// The `description:` of a plan's scenario in the problem, on one line.
    pub fn description(&self, label: &str) -> Option<String> {
        let d = self.problem?.scenarios.get(label)?.description.as_deref()?;
        Some(d.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The problem's `description:`, on one line.
    pub fn problem_description(&self) -> Option<String> {
        let d = self.problem?.description.as_deref()?;
        Some(d.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// `name (unit)` for an axis or a column heading: the unit of `key` (`output`,
    /// `materials`, a resource id), in words when the problem gives none ([`Quantity`]).
    pub fn labelled(&self, name: &str, key: &str) -> String {
        let q = match key {
            "output" => Quantity::Value,
            "materials" => Quantity::Material,
            r => Quantity::Resource(r),
        };
        self.head(name, q)
    }

    /// Every park of any plan, in the plans' order.
    pub fn parks(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for np in self.plans {
            for park in np.plan.park_output.keys() {
                if !out.contains(park) {
                    out.push(park.clone());
                }
            }
        }
        out
    }

    /// Every chain with output in any plan (or any period of one), in the problem's order when
    /// known.
    pub fn chains(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for np in self.plans {
            // A multi-period plan's earlier periods too.
            let periods = np.plan.periods.iter().map(|pp| &pp.plan);
            for plan in std::iter::once(&np.plan).chain(periods) {
                for park in plan.park_output.keys() {
                    for (chain, _) in self.chain_values(plan, park) {
                        if !out.contains(&chain) {
                            out.push(chain);
                        }
                    }
                }
            }
        }
        if let Some(p) = self.problem {
            out.sort_by_key(|c| p.chains.get_index_of(c).unwrap_or(usize::MAX));
        }
        out
    }

    /// Output value of each chain in a park: from the plan, else from its activities and the
    /// problem's coefficients, else the park's total as one block named `output`.
    pub fn chain_values(&self, plan: &Plan, park: &str) -> Vec<(String, f64)> {
        if let Some(values) = plan.chain_output.get(park) {
            return values.iter().map(|(c, v)| (c.clone(), *v)).collect();
        }
        if let (Some(p), Some(acts)) = (self.problem, plan.activities.get(park)) {
            return acts
                .iter()
                .map(|(c, x)| (c.clone(), p.chains.get(c).map_or(0.0, |ch| ch.output) * x))
                .filter(|(_, v)| *v > 0.0)
                .collect();
        }
        match plan.park_output.get(park) {
            Some(&v) if v > 0.0 => vec![("output".into(), v)],
            _ => Vec::new(),
        }
    }

    /// Each park's main chain under the one-main-chain rule; empty for a plan solved with the rule
    /// off, whose `main_chains` only name each park's largest chain. The rule is off when the
    /// plan's shadow prices came straight from an LP: with the rule on the model is a MILP and
    /// they are taken at the chosen main chains.
    pub fn main_chains<'p>(&self, plan: &'p Plan) -> &'p indexmap::IndexMap<String, String> {
        static NONE: std::sync::OnceLock<indexmap::IndexMap<String, String>> =
            std::sync::OnceLock::new();
        if plan.shadow_price_basis == Some(ShadowPriceBasis::Lp) {
            NONE.get_or_init(indexmap::IndexMap::new)
        } else {
            &plan.main_chains
        }
    }

    /// Resources with a park capacity in any plan, in the plans' order.
    pub fn park_resources(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for np in self.plans {
            for r in np.plan.resources.iter().filter(|r| r.park.is_some()) {
                if !out.contains(&r.resource) {
                    out.push(r.resource.clone());
                }
            }
        }
        out
    }
}

/// The kinds of ids that can have a display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A park.
    Park,
    /// A chain.
    Chain,
    /// A material.
    Material,
    /// A resource.
    Resource,
}

impl ReportInput<'_> {
    /// The display name (`name:` in the problem file) of an id: from the plans, else the problem.
    pub fn name(&self, kind: Kind, id: &str) -> Option<String> {
        let pick = |n: &crate::plan::Names| {
            match kind {
                Kind::Park => &n.parks,
                Kind::Chain => &n.chains,
                Kind::Material => &n.materials,
                Kind::Resource => &n.resources,
            }
            .get(id)
            .cloned()
        };
        self.plans
            .iter()
            .find_map(|np| pick(&np.plan.names))
            .or_else(|| self.problem.and_then(|p| pick(&crate::plan::Names::of(p))))
    }

    /// `id (name)` where the id has a display name, else the id.
    pub fn named(&self, kind: Kind, id: &str) -> String {
        match self.name(kind, id) {
            Some(n) if n != id => format!("{id} ({n})"),
            _ => id.to_string(),
        }
    }

    /// The language of the report's text: `zh` when its title or a display name holds Chinese
    /// characters, else `en`.
    pub fn lang(&self) -> &'static str {
        let names = self
            .plans
            .iter()
            .map(|np| np.plan.names.clone())
            .chain(self.problem.map(crate::plan::Names::of));
        let mut texts: Vec<String> = vec![self.title.to_string()];
        for n in names {
            for m in [&n.parks, &n.chains, &n.zones, &n.materials, &n.resources] {
                texts.extend(m.values().cloned());
            }
        }
        if texts.iter().any(|t| t.chars().any(is_cjk)) {
            "zh"
        } else {
            "en"
        }
    }
}

/// Whether `c` is a CJK ideograph (the unified ideographs, their extension A and the
/// compatibility block).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The resources of a plan with a shadow price other than zero, most valuable first.
pub fn priced(plan: &Plan) -> Vec<&ResourceUse> {
    let mut v: Vec<&ResourceUse> = plan.resources.iter().filter(|r| binds(r)).collect();
    v.sort_by(|a, b| {
        b.shadow_price
            .unwrap_or(0.0)
            .total_cmp(&a.shadow_price.unwrap_or(0.0))
    });
    v
}

/// A share of capacity used, as a report cell says it: `85 %`; `net supply` when the use is
/// negative — the park (or the city, for a pool) produces more of the resource than it uses, as a
/// power pool fed by coal plants does, and a share below zero (`−378 %`) would read as an error.
pub fn share(utilisation: f64) -> String {
    if utilisation < 0.0 {
        "net supply".into()
    } else {
        format!("{:.0} %", utilisation * 100.0)
    }
}

/// Whether a limit binds as a report shows it: it has a shadow price that is not 0 at the
/// precision prices are printed with (a price of 0.0004 reads 0.000, and is not drawn as binding).
pub fn binds(r: &ResourceUse) -> bool {
    r.shadow_price
        .is_some_and(|p| crate::util::numbers::fmt_num(p.abs()) != "0.000" && p != 0.0)
}

/// Where a shadow price holds, for a table cell: `3.259 – 3.6`, an open end as `∞`; `–` when
/// the plan gives no range.
pub fn price_range(r: &ResourceUse) -> String {
    let Some(g) = r.price_range else {
        return "–".into();
    };
    let from = g.from.map_or("−∞".into(), crate::util::numbers::fmt_num);
    let to = g.to.map_or("∞".into(), crate::util::numbers::fmt_num);
    format!("{from} – {to}")
}

/// A resource's unit as the plan names it, empty when it names none.
pub fn unit_of<'a>(plan: &'a Plan, resource: &str) -> &'a str {
    plan.units.get(resource).map(String::as_str).unwrap_or("")
}

/// Where a resource row is: its park, or `city pool`.
pub fn place(r: &ResourceUse) -> String {
    r.park.clone().unwrap_or_else(|| "city pool".into())
}

/// The phrase for a plan's shadow-price basis.
pub fn basis(plan: &Plan) -> &'static str {
    match plan.shadow_price_basis {
        Some(ShadowPriceBasis::FixedMainChains) => {
            "at the chosen main chains (main chains fixed, LP re-solved)"
        }
        Some(ShadowPriceBasis::Lp) => "straight from the LP",
        None => "",
    }
}

#[cfg(test)]
mod price_tests {
    use super::*;
    use crate::plan::PriceRange;

    fn row(price: f64, range: Option<PriceRange>) -> ResourceUse {
        ResourceUse {
            park: Some("a".into()),
            resource: "land".into(),
            used: 1.0,
            capacity: 1.0,
            utilisation: Some(1.0),
            slack: 0.0,
            fixed: None,
            shadow_price: Some(price),
            price_range: range,
        }
    }

    #[test]
    fn a_price_that_prints_as_zero_does_not_bind() {
        assert!(!binds(&row(0.0, None)));
        assert!(!binds(&row(0.0004, None)));
        assert!(!binds(&row(-0.0004, None)));
        assert!(binds(&row(0.0006, None)));
        assert!(binds(&row(-2.0, None)));
    }

    #[test]
    fn a_range_reads_from_to_with_open_ends() {
        let r = |from, to| row(1.0, Some(PriceRange { from, to }));
        assert_eq!(price_range(&r(Some(3.259), Some(3.6))), "3.259 – 3.600");
        assert_eq!(price_range(&r(Some(0.0), None)), "0 – ∞");
        assert_eq!(price_range(&r(None, Some(2.0))), "−∞ – 2.000");
        assert_eq!(price_range(&row(1.0, None)), "–");
    }
}
