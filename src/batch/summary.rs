//! The one-row-per-variant [`Summary`] of a batch, or of one shard of it: what `sweep` prints and
//! writes, and what `merge` joins.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::batch::shard::Shard;
use crate::batch::sweep::{Failure, Outcome};
use crate::problem::Diagnostics;
use crate::solver::VariantStatus;

/// The summary of a batch, or of one shard of it: one row per variant. Its JSON form is what
/// `sweep --format json` prints, what `sweep -o DIR` writes, and what `merge` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The problem's name.
    pub problem: Option<String>,
    /// Fingerprint of the batch: the problem file's content, the variants selected and the solver
    /// options that change results; the shards of one batch share it.
    pub batch: String,
    /// Variants in the whole batch, over all shards.
    pub total: usize,
    /// The slice this summary covers (`K/N`); `null` for the whole batch.
    pub shard: Option<Shard>,
    /// One row per variant, in batch order.
    pub variants: Vec<VariantSummary>,
}

/// One variant in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantSummary {
    /// `base`, the scenario's name, or `sweep[path=value,…]`.
    pub name: String,
    /// How it ended.
    pub status: VariantStatus,
    /// The objective of MODEL.md §5; `null` without a plan.
    pub objective: Option<f64>,
    /// Total output value.
    pub output_value: Option<f64>,
    /// Total reuse value.
    pub reuse_value: Option<f64>,
    /// Each park's main chain, `{park: chain}`.
    pub main_chains: IndexMap<String, String>,
    /// The main chains that differ from the base plan's, `{park: chain}` (empty when none
    /// differ); `null` when this variant or the base has no plan in the summary.
    pub changed_main_chains: Option<IndexMap<String, String>>,
    /// Relative MIP gap of the plan.
    pub gap: Option<f64>,
    /// Another main-chain assignment that reaches the plan's objective within the gap (the
    /// plan's [`Plan::tie`]); left out when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie: Option<crate::plan::Tie>,
    /// What stopped the variant's solve short of the gap (`time_limit`, `sigint`, `sigterm`),
    /// as a plan's `stopped_by`; left out when nothing did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<crate::solver::StopCause>,
    /// Why the variant has no optimal plan, in one line; `null` when it has one.
    pub message: Option<String>,
    /// Its plan file, relative to the output folder; `null` when none was written.
    pub plan: Option<String>,
    /// Why its plan, solved, is not in the output folder (the write failed); left out when it is
    /// there or there is no folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_written: Option<String>,
    /// Its position in the whole batch, from 0.
    pub index: usize,
}

impl Summary {
    /// Summarises outcomes (in batch order) of a batch of `total` variants.
    pub fn new(
        problem: Option<String>,
        batch: String,
        total: usize,
        shard: Option<Shard>,
        outcomes: &[Outcome],
    ) -> Summary {
        let variants = outcomes.iter().map(VariantSummary::of).collect();
        let mut s = Summary {
            problem,
            batch,
            total,
            shard,
            variants,
        };
        s.compare_with_base();
        s
    }

    /// Fills in each variant's `changed_main_chains` from the base plan's main chains.
    pub fn compare_with_base(&mut self) {
        let base = self
            .variants
            .iter()
            .find(|v| v.name == crate::variant::BASE && v.status.has_plan())
            .map(|v| v.main_chains.clone());
        for v in &mut self.variants {
            v.changed_main_chains = match &base {
                Some(b) if v.status.has_plan() => Some(
                    v.main_chains
                        .iter()
                        .filter(|(park, chain)| b.get(*park) != Some(*chain))
                        .map(|(p, c)| (p.clone(), c.clone()))
                        .collect(),
                ),
                _ => None,
            };
        }
    }

    /// Whether every variant in the summary solved to optimality.
    pub fn all_optimal(&self) -> bool {
        self.variants
            .iter()
            .all(|v| v.status == VariantStatus::OPTIMAL)
    }

    /// The variants whose plan was solved but not written, with why.
    pub fn not_written(&self) -> impl Iterator<Item = (&str, &str)> {
        self.variants
            .iter()
            .filter_map(|v| Some((v.name.as_str(), v.not_written.as_deref()?)))
    }

    /// The base variant's main chains, when the summary holds its plan.
    pub fn base_main_chains(&self) -> Option<&IndexMap<String, String>> {
        self.variants
            .iter()
            .find(|v| v.name == crate::variant::BASE && v.status.has_plan())
            .map(|v| &v.main_chains)
    }
}

impl VariantSummary {
    /// The row of one outcome (`changed_main_chains` is left for [`Summary::compare_with_base`]).
    pub fn of(o: &Outcome) -> VariantSummary {
        let status = o.status();
        let mut row = VariantSummary {
            name: o.name.clone(),
            status,
            objective: None,
            output_value: None,
            reuse_value: None,
            main_chains: IndexMap::new(),
            changed_main_chains: None,
            gap: None,
            tie: None,
            stopped_by: None,
            message: None,
            plan: o.file.clone(),
            not_written: o.unwritten.as_ref().map(ToString::to_string),
            index: o.index,
        };
        match &o.result {
            Ok(plan) => {
                row.objective = plan.objective;
                row.output_value = plan.output_value;
                row.reuse_value = plan.reuse_value;
                row.main_chains = plan.main_chains.clone();
                row.gap = plan.gap;
                row.tie = plan.tie.clone();
                row.message = plan.status.message_by(plan.gap, plan.stopped_by);
                row.stopped_by = plan.stopped_by;
            }
            Err(Failure::Invalid(d)) => row.message = Some(one_line(d)),
            Err(e) => row.message = Some(e.to_string()),
        }
        row
    }
}

/// Diagnostics in one line each, with file:line:column where known, joined by `; `.
pub fn one_line(d: &Diagnostics) -> String {
    d.items
        .iter()
        .map(|item| {
            let mut s = item.message.clone();
            match (item.location, &item.path) {
                (Some(loc), _) => {
                    s += &format!(" ({}:{}:{})", d.file.display(), loc.line, loc.column)
                }
                (None, Some(path)) => s += &format!(" ({}, at {path})", d.file.display()),
                (None, None) => s += &format!(" ({})", d.file.display()),
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}
