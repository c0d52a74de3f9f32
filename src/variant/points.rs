//! The points of one sweep, enumerated by index and never all held at once.
//!
//! A sweep of several paths is their Cartesian product, the first path changing slowest: point
//! `i` is `i` written in mixed radix over the paths' value counts (the last path's digit first).
//! Only the values of each path are kept — a `{from, to, steps}` range not even those — so a
//! point's name, values and document are computed when asked for, and a sweep of a million points
//! costs no more memory than one of ten. Sizes are checked up front against a limit the caller
//! chooses ([`DEFAULT_MAX_POINTS`] unless raised), with checked arithmetic, so an absurd `steps`
//! or product of paths is an error that says how big it is, never an allocation that fails.

use std::collections::HashSet;

use serde_yaml::Value;

use crate::problem::diagnostic::Diagnostic;
use crate::problem::format::{Problem, SweepValues};
use crate::variant::{Variant, set_path};

/// The most points one sweep may have unless the limit is raised (`--max-points`).
pub const DEFAULT_MAX_POINTS: usize = 10_000_000;

/// The values of one varied path.
#[derive(Debug, Clone)]
enum Values {
    /// Listed in the file.
    List(Vec<Value>),
    /// `steps` evenly spaced values from `from` to `to`, computed one by one.
    Range { from: f64, to: f64, steps: usize },
}

/// One varied path and its values.
#[derive(Debug, Clone)]
struct Axis {
    path: String,
    values: Values,
}

impl Axis {
    fn len(&self) -> usize {
        match &self.values {
            Values::List(v) => v.len(),
            Values::Range { steps, .. } => *steps,
        }
    }

    fn value(&self, i: usize) -> Value {
        match &self.values {
            Values::List(v) => v[i].clone(),
            Values::Range { from, steps: 1, .. } => Value::from(*from),
            Values::Range { from, to, steps } => Value::from(range_value(*from, *to, *steps, i)),
        }
    }
}

/// Value `i` of a range, snapped to a clean decimal so names and files read 25, not 24.999999999.
fn range_value(from: f64, to: f64, steps: usize, i: usize) -> f64 {
    let t = i as f64 / (steps - 1) as f64;
    let v = from + (to - from) * t;
    (v * 1e9).round() / 1e9
}

/// Why a sweep's points cannot be listed.
#[derive(Debug, Clone)]
pub enum PointsError<D = Diagnostic> {
    /// Its values are wrong (an empty list, a bad range, a value given twice, no path).
    Invalid(D),
    /// It has more points than the limit allows.
    TooMany(D),
}

impl<D> PointsError<D> {
    /// The diagnostic, whatever the kind.
    pub fn diagnostic(self) -> D {
        match self {
            PointsError::Invalid(d) | PointsError::TooMany(d) => d,
        }
    }
}

/// The points of one sweep, by index.
#[derive(Debug, Clone)]
pub struct SweepPoints {
    /// The sweep's name.
    pub sweep: String,
    description: Option<String>,
    axes: Vec<Axis>,
    len: usize,
}

impl SweepPoints {
    /// The points of sweep `name` of `problem`, refused when there are more than `max_points`.
    pub fn new(problem: &Problem, name: &str, max_points: usize) -> Result<Self, PointsError> {
        let Some(sweep) = problem.sweeps.get(name) else {
            let known = problem.sweeps.keys().map(String::as_str);
            return Err(PointsError::Invalid(
                Diagnostic::at("sweeps", format!("no sweep named `{name}`")).suggest(name, known),
            ));
        };
        let mut axes = Vec::new();
        for (path, values) in &sweep.vary {
            let at = format!("sweeps.{name}.vary.{path}");
            let values = axis_values(values, max_points).map_err(|e| match e {
                PointsError::Invalid(m) => PointsError::Invalid(Diagnostic::at(at.clone(), m)),
                PointsError::TooMany(m) => {
                    PointsError::TooMany(Diagnostic::at(at.clone(), m).help(too_many_help()))
                }
            })?;
            let axis = Axis {
                path: path.clone(),
                values,
            };
            if let Some(m) = repeated_value(&axis) {
                return Err(PointsError::Invalid(Diagnostic::at(at, m).help(
                    "the points of a sweep must differ: give each value once (a range: fewer steps)",
                )));
            }
            axes.push(axis);
        }
        if axes.is_empty() {
            return Err(PointsError::Invalid(
                Diagnostic::at(format!("sweeps.{name}.vary"), "a sweep varies no path")
                    .help("give at least one path with its values under `vary:`"),
            ));
        }
        let product = axes
            .iter()
            .try_fold(1u128, |p, a| p.checked_mul(a.len() as u128));
        let len = match product {
            Some(n) if n <= max_points as u128 => n as usize,
            _ => {
                let sizes: Vec<String> = axes.iter().map(|a| a.len().to_string()).collect();
                let count = product.map_or_else(|| "more than 2^128".into(), |n| n.to_string());
                return Err(PointsError::TooMany(
                    Diagnostic::at(
                        format!("sweeps.{name}"),
                        format!(
                            "sweep `{name}` has {count} points ({}), above the limit of {max_points}",
                            sizes.join(" × ")
                        ),
                    )
                    .help(too_many_help()),
                ));
            }
        };
        Ok(SweepPoints {
            sweep: name.to_string(),
            description: sweep.description.clone(),
            axes,
            len,
        })
    }

    /// How many points the sweep has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has none (never: a sweep has at least one path with one value).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value index of each path at point `i`, first path first.
    fn digits(&self, i: usize) -> Vec<usize> {
        let mut rest = i;
        let mut digits = vec![0; self.axes.len()];
        for (d, axis) in digits.iter_mut().zip(&self.axes).rev() {
            *d = rest % axis.len();
            rest /= axis.len();
        }
        digits
    }

    /// The name of point `i`: `sweep[path=value,…]`.
    pub fn name(&self, i: usize) -> String {
        let label: Vec<String> = self
            .axes
            .iter()
            .zip(self.digits(i))
            .map(|(a, d)| format!("{}={}", a.path, show(&a.value(d))))
            .collect();
        format!("{}[{}]", self.sweep, label.join(","))
    }

    /// Point `i` as a variant of `stripped` (the document without its scenarios and sweeps).
    pub fn point(&self, stripped: &Value, i: usize) -> Result<Variant, Diagnostic> {
        let mut doc = stripped.clone();
        let mut origins = Vec::new();
        for (axis, d) in self.axes.iter().zip(self.digits(i)) {
            let at = format!("sweeps.{}.vary.{}", self.sweep, axis.path);
            set_path(&mut doc, &axis.path, &axis.value(d))
                .map_err(|m| Diagnostic::at(at.clone(), m.to_string()))?;
            // An error in the value points at the value itself when the file lists it.
            let source = match &axis.values {
                Values::List(_) => format!("{at}.{d}"),
                Values::Range { .. } => at,
            };
            origins.push(super::Origin::Path {
                pattern: axis.path.clone(),
                source,
            });
        }
        Ok(Variant {
            name: self.name(i),
            description: self.description.clone(),
            document: doc,
            expected: None,
            origins,
        })
    }
}

fn too_many_help() -> String {
    "sweep fewer values, or raise the limit with `--max-points N` (of `sweep` and `validate`)"
        .into()
}

/// The values of one path, checked; `Err` says why (an error of the values, or too many).
fn axis_values(values: &SweepValues, max_points: usize) -> Result<Values, PointsError<String>> {
    let invalid = |m: &str| Err(PointsError::Invalid(m.to_string()));
    let n = match values {
        SweepValues::List(v) if v.is_empty() => {
            return invalid("a sweep path needs at least one value");
        }
        SweepValues::List(v) => v.len(),
        SweepValues::Range { from, to, .. } if !from.is_finite() || !to.is_finite() => {
            return invalid("`from` and `to` must be finite numbers");
        }
        SweepValues::Range { steps: 0, .. } => return invalid("`steps` must be at least 1"),
        SweepValues::Range { from, to, steps: 1 } if from != to => {
            return invalid("`steps: 1` needs `from` equal to `to`; use 2 or more steps");
        }
        SweepValues::Range { steps, .. } => *steps,
    };
    if n > max_points {
        return Err(PointsError::TooMany(format!(
            "this path takes {n} values, above the limit of {max_points} points a sweep may have"
        )));
    }
    Ok(match values {
        SweepValues::List(v) => Values::List(v.clone()),
        SweepValues::Range { from, to, steps } => Values::Range {
            from: *from,
            to: *to,
            steps: *steps,
        },
    })
}

/// A value the path takes twice, said in a message; `None` when every value differs.
fn repeated_value(axis: &Axis) -> Option<String> {
    match &axis.values {
        Values::List(v) => {
            let mut seen = HashSet::new();
            v.iter()
                .map(show)
                .find(|s| !seen.insert(s.clone()))
                .map(|s| format!("the value `{s}` is given twice"))
        }
        Values::Range { from, to, steps } if *steps > 1 => (1..*steps)
            .find(|&i| range_value(*from, *to, *steps, i) == range_value(*from, *to, *steps, i - 1))
            .map(|i| {
                format!(
                    "`steps: {steps}` from {from} to {to} gives the value {} twice (values are rounded to 9 decimals)",
                    range_value(*from, *to, *steps, i)
                )
            }),
        Values::Range { .. } => None,
    }
}

/// A value as it reads in a variant's name.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}
