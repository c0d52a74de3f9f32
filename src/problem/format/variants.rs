//! The parts of a problem file that describe other problems than the one written: scenarios,
//! sweeps, the scenarios of a robust plan, and planning periods (MODEL.md §6, §9, §10). Each
//! changes the problem with `set` / `scale` / `merge`, or varies paths over values.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::{Expected, Map, inner, kind_of, whole_number};
use crate::problem::validate::MOST_YEARS;

/// A period's `years`: any whole number a `u32` holds passes here (the validator then says a
/// period lasts from 1 to [`MOST_YEARS`] years, pointing at it); anything else is refused with
/// that range.
fn years<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let accepts = format!("a whole number of years from 1 to {MOST_YEARS}");
    Ok(whole_number(d, u32::MAX.into(), &accepts)?.map(|y| u32::try_from(y).unwrap_or(u32::MAX)))
}

/// A range's `steps`: any whole number a `u64` holds passes here (the sweep's limit of points
/// refuses too many, later); anything else is refused with the range it takes.
fn steps<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    // No parentheses: the note of the sweep's message follows in them.
    let accepts = "a whole number of steps from 2 to the limit of points a sweep may have, \
                   `--max-points`, or 1 when `from` = `to`";
    let most = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
    match whole_number(d, most, accepts)? {
        Some(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        None => Err(D::Error::invalid_type(
            serde::de::Unexpected::Unit,
            &accepts,
        )),
    }
}

/// One planning period: its length and its changes against the period before it (the first
/// period's against the problem as written), applied like a scenario's and accumulating.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// How many years the period lasts (default 1); its objective counts once a year.
    #[serde(default, deserialize_with = "years")]
    pub years: Option<u32>,
    /// What happens in the period, for reports.
    #[serde(default)]
    pub description: Option<String>,
    /// Values to set, keyed by path, as in a scenario.
    #[serde(default)]
    #[schemars(with = "Map<serde_json::Value>")]
    pub set: Map<serde_yaml::Value>,
    /// Factors to multiply numbers by, keyed by path, as in a scenario.
    #[serde(default)]
    pub scale: Map<f64>,
    /// A document deep-merged onto the period before, as in a scenario.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub merge: Option<serde_yaml::Value>,
}

/// Scenarios weighed for robust main chains (MODEL.md §10).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Probability of each scenario (`base` or a scenario's name); each ≥ 0, summing to 1.
    #[schemars(transform = crate::problem::json_schema::fraction_values)]
    pub scenarios: Map<f64>,
    /// How the scenarios' objectives are combined (default `expected`).
    #[serde(default)]
    pub measure: Measure,
}

/// How a robust plan weighs its scenarios.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The probability-weighted objective `Σ π_s · obj_s`.
    #[default]
    Expected,
    /// The worst scenario's objective, `min_s obj_s`.
    WorstCase,
}

/// A named set of changes to the base problem.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario stands for.
    #[serde(default)]
    pub description: Option<String>,
    /// Values to set, keyed by path (`parks.pannan.capacity.land`, `*` for every key).
    #[serde(default)]
    #[schemars(with = "Map<serde_json::Value>")]
    pub set: Map<serde_yaml::Value>,
    /// Factors to multiply numbers by, keyed by path.
    #[serde(default)]
    pub scale: Map<f64>,
    /// A document deep-merged onto the base problem.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub merge: Option<serde_yaml::Value>,
    /// The known optimum of this variant.
    #[serde(default)]
    pub expected: Option<Expected>,
}

/// A parameter sweep.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// What the sweep explores.
    #[serde(default)]
    pub description: Option<String>,
    /// Paths and their values; several paths form the Cartesian product.
    pub vary: Map<SweepValues>,
}

/// The values a sweep path takes.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum SweepValues {
    /// An explicit list.
    List(#[schemars(with = "Vec<serde_json::Value>")] Vec<serde_yaml::Value>),
    /// `steps` evenly spaced values from `from` to `to`, both ends included.
    Range {
        /// First value.
        from: f64,
        /// Last value.
        to: f64,
        /// Number of values (at least 2, or 1 when from = to).
        #[schemars(range(min = 1))]
        steps: usize,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeSpec {
    from: f64,
    to: f64,
    #[serde(deserialize_with = "steps")]
    steps: usize,
}

impl<'de> Deserialize<'de> for SweepValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::Sequence(items) => Ok(SweepValues::List(items)),
            other @ serde_yaml::Value::Mapping(_) => {
                let r: RangeSpec = inner::<_, D>(other).map_err(|e: D::Error| {
                    D::Error::custom(format!(
                        "{e} (sweep values are a list `[10, 20]` or `{{from, to, steps}}`)"
                    ))
                })?;
                Ok(SweepValues::Range {
                    from: r.from,
                    to: r.to,
                    steps: r.steps,
                })
            }
            other => Err(D::Error::custom(format!(
                "expected a list of values such as `[10, 20]` or a range `{{from, to, steps}}`, found {}",
                kind_of(&other)
            ))),
        }
    }
}
