//! The periods of a multi-period problem (MODEL.md §9): each period's data derived from the one
//! before by its changes, applied like a scenario's, and validated as a problem of its own.
//!
//! A variant's changes (a scenario, a sweep point) are applied to the problem as written before
//! the periods, so a scenario that changes the base changes every period. An error in a period
//! names it and points at the change that caused it (`periods.2030.scale.resources.funds.pool`).

use serde_yaml::Value;

use super::{Variant, apply_changes, origins_of};
use crate::problem::format::AppliesTo;
use crate::problem::horizon::{self, Horizon, Period};
use crate::problem::{Diagnostic, Diagnostics, SourceFile, ValidProblem, validate};

impl SourceFile {
    /// Derives and validates the periods of `valid`, a variant of this file with `periods:`, and
    /// returns it with them attached. Every period must have the parks, the chains allowed in
    /// each park and the rule of the problem as written: main chains are chosen once for the
    /// whole horizon.
    pub(super) fn with_periods(
        &self,
        variant: &Variant,
        valid: ValidProblem,
    ) -> Result<ValidProblem, Diagnostics> {
        let problem = valid.problem();
        let rate = problem.objective.discount_rate;
        let mut document = variant.document.clone();
        if let Value::Mapping(m) = &mut document {
            m.remove("periods");
        }
        let mut origins = variant.origins.clone();
        let mut periods: Vec<Period> = Vec::new();
        let mut start = 0u32;
        let label = |name: &str| match variant.label() {
            None => format!("period `{name}`"),
            Some(l) => format!("{l}, period `{name}`"),
        };
        for (name, changes) in &problem.periods {
            let at = format!("periods.{name}");
            let fail = |items: Vec<Diagnostic>, origins: &[super::Origin]| {
                let v = Variant {
                    origins: origins.to_vec(),
                    ..variant.clone()
                };
                self.labelled_diagnostics(&v, items, Some(label(name)))
            };
            document = apply_changes(
                &document,
                &at,
                changes.merge.as_ref(),
                &changes.set,
                &changes.scale,
            )
            .map_err(|d| fail(vec![d], &origins))?;
            origins.extend(origins_of(
                &at,
                changes.merge.as_ref(),
                &changes.set,
                &changes.scale,
            ));
            let data = crate::problem::load::from_document(document.clone())
                .map_err(|d| fail(vec![d], &origins))?;
            let data = validate::validate(data).map_err(|items| fail(items, &origins))?;
            if data.rule().is_some() != valid.rule().is_some()
                || !data.problem().parks.keys().eq(problem.parks.keys())
                || data.all_candidates() != valid.all_candidates()
            {
                return Err(fail(
                    vec![
                        Diagnostic::at(
                            at.clone(),
                            "the period has other parks, other chains allowed in a park, or the one-main-chain rule set otherwise than the problem as written",
                        )
                        .help("main chains are chosen once for the whole horizon, so every period keeps the parks, the `allowed` chains and the rule; to open a chain later, hold it back in the periods before (e.g. `max_total: 0`)"),
                    ],
                    &origins,
                ));
            }
            let before: Vec<&ValidProblem> = periods.iter().map(|p| &p.problem).collect();
            let bounds = cumulative(&data, &before).map_err(|items| fail(items, &origins))?;
            let years = changes.years.unwrap_or(1);
            periods.push(Period {
                name: name.clone(),
                description: changes.description.clone(),
                years,
                start,
                weight: horizon::weight(start, years, rate),
                problem: data,
                bounds,
            });
            start += years;
        }
        Ok(valid.with_horizon(Horizon {
            periods,
            discount_rate: rate,
        }))
    }
}

/// `data` with each budget of a resource charged on new activity (`applies_to: new`) — a park's
/// capacity or the city pool — replaced by its sum over the periods before and this one, or
/// removed when one of them has none: how far activity may have grown by the end of this period.
/// `before` is the data of the periods before, in order.
pub fn cumulative(
    data: &ValidProblem,
    before: &[&ValidProblem],
) -> Result<ValidProblem, Vec<Diagnostic>> {
    let mut p = data.problem().clone();
    for (res_id, res) in p.resources.iter_mut() {
        if res.applies_to != AppliesTo::New {
            continue;
        }
        res.pool = res.pool.and_then(|own| {
            before.iter().try_fold(own, |acc, period| {
                Some(acc + period.problem().resources.get(res_id)?.pool?)
            })
        });
    }
    let new_only: Vec<String> = p
        .resources
        .iter()
        .filter(|(_, r)| r.applies_to == AppliesTo::New)
        .map(|(id, _)| id.clone())
        .collect();
    for (park_id, park) in p.parks.iter_mut() {
        for res_id in &new_only {
            let Some(&own) = park.capacity.get(res_id) else {
                continue;
            };
            let total = before.iter().try_fold(own, |acc, period| {
                Some(acc + *period.problem().parks.get(park_id)?.capacity.get(res_id)?)
            });
            match total {
                Some(t) => park.capacity.insert(res_id.clone(), t),
                None => park.capacity.shift_remove(res_id),
            };
        }
    }
    validate::validate(p)
}
