//! One model for several scenarios with a shared first stage (MODEL.md §10): the main-chain
//! variables `y[p,c]` once, and each scenario's activities, flows, purchases and §4 rows as a
//! block of its own, built by [`Model::build_in`] into the same columns.
//!
//! The objective is `Σ_s π_s · obj_s` (expected) or `z` with `z ≤ obj_s` for every scenario
//! (worst case). The joint model is a [`Model`] like any other — its first block's, holding every
//! block's rows — so the solver and [`crate::plan::chosen_main_chains`] take it as they are.

use good_lp::{Expression, constraint, variable};

use super::{Formulation, Model, ModelOptions, RowKind};
use crate::problem::ValidProblem;
use crate::problem::format::Measure;

/// A joint model and what it is made of.
pub struct JointModel<'a> {
    /// The whole model: the first scenario's block with every block's rows and the joint
    /// objective.
    pub model: Model<'a>,
    /// Each scenario's objective `obj_s`, in the order given.
    pub objectives: Vec<Expression>,
}

/// Why scenarios cannot share one first stage.
#[derive(Debug, Clone, thiserror::Error)]
pub enum JointError {
    /// The rule is off in a scenario: there are no main chains to share.
    #[error(
        "the one-main-chain rule is off in scenario `{0}`: a robust plan chooses main chains, so every scenario needs `rules.one_main_chain`"
    )]
    RuleOff(String),
    /// A scenario has periods: robust main chains are solved for problems of one period.
    #[error(
        "scenario `{0}` has periods; robust main chains across scenarios are solved for problems of one period (solve each scenario over its periods with `parkplan solve --scenario`)"
    )]
    Periods(String),
    /// A scenario has other parks or other candidate chains than the first.
    #[error(
        "scenario `{0}` has other parks or other chains allowed in a park than `{1}`; one main-chain assignment must fit every scenario, so they must agree"
    )]
    Mismatch(String, String),
}

/// Builds the joint model of `scenarios` (name, probability, problem), combined by `measure`, with
/// the one-main-chain rule of every block in `formulation`.
pub fn build<'a>(
    scenarios: &[(&str, f64, &'a ValidProblem)],
    measure: Measure,
    formulation: Formulation,
) -> Result<JointModel<'a>, JointError> {
    let options = ModelOptions {
        formulation,
        ..ModelOptions::default()
    };
    let (first_name, _, first) = scenarios[0];
    for &(name, _, p) in scenarios {
        if p.rule().is_none() {
            return Err(JointError::RuleOff(name.to_string()));
        }
        if p.horizon().is_some() {
            return Err(JointError::Periods(name.to_string()));
        }
        let same = p.problem().parks.keys().eq(first.problem().parks.keys())
            && p.all_candidates() == first.all_candidates();
        if !same {
            return Err(JointError::Mismatch(
                name.to_string(),
                first_name.to_string(),
            ));
        }
    }
    let mut host = Model::build_in(
        first,
        options.clone(),
        Default::default(),
        None,
        Some(first_name),
    );
    let mut objectives = vec![std::mem::replace(
        &mut host.objective,
        Expression::from(0.0),
    )];
    let mut rows = std::mem::take(&mut host.rows);
    let mut registry = host.take_registry();
    for &(name, _, p) in &scenarios[1..] {
        let mut block = Model::build_in(
            p,
            options.clone(),
            registry,
            Some(host.y.clone()),
            Some(name),
        );
        objectives.push(std::mem::replace(
            &mut block.objective,
            Expression::from(0.0),
        ));
        rows.append(&mut block.rows);
        registry = block.take_registry();
    }
    host.restore_registry(registry);
    host.rows = rows;
    host.tag = None;
    host.objective = match measure {
        Measure::Expected => {
            let mut e = Expression::from(0.0);
            for (obj, &(_, prob, _)) in objectives.iter().zip(scenarios) {
                e += prob * obj.clone();
            }
            e
        }
        Measure::WorstCase => {
            let z = host.add_column(variable(), "z".into());
            for (obj, &(name, _, _)) in objectives.iter().zip(scenarios) {
                host.push(
                    constraint!(z - obj.clone() <= 0),
                    RowKind::WorstCase,
                    format!("worst_case@{name}"),
                );
            }
            Expression::from(z)
        }
    };
    Ok(JointModel {
        model: host,
        objectives,
    })
}
