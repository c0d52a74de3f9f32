//! Scenarios and sweeps: turning one problem document into its variants (MODEL.md §6).
//!
//! A variant is the base document with changes applied: a scenario's `merge:` document is
//! deep-merged first, then its `set:` values are written and its `scale:` factors applied; a sweep
//! point sets each varied path to one of its values. Paths are dotted keys where `*` matches every
//! key at that level. A path that matches nothing is an error that names the first key missing,
//! never a silent no-op. Every variant is then deserialised and validated on its own, exactly like
//! the base problem.

use serde_yaml::Value;

use crate::problem::diagnostic::{Diagnostic, did_you_mean};

pub mod path;
pub mod uncertainty;
mod validate;

use crate::problem::format::{Expected, Problem, Scenario, SweepValues};
pub use path::{PathError, deep_merge, scale_path, set_path};
pub use validate::FileSummary;

pub use crate::problem::BASE;

/// One problem to solve: the base, a scenario, or a sweep point.
#[derive(Debug, Clone)]
pub struct Variant {
    /// `base`, the scenario's name, or `sweep[path=value,…]` for a sweep point.
    pub name: String,
    /// What the variant changes, for reports.
    pub description: Option<String>,
    /// The document with the variant's changes applied.
    pub document: Value,
    /// The variant's known optimum, if the file gives one.
    pub expected: Option<Expected>,
    /// Where in the file each change was written, in the order applied, so that an error in a
    /// changed value points at the change rather than at the base value it replaced.
    pub origins: Vec<Origin>,
}

/// Where one change of a variant was written in the file.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A `merge:` document: it covers every path it holds, and everything below a value that
    /// replaced a mapping.
    Merge {
        /// The YAML path of the `merge:` key (`scenarios.pooled.merge`).
        source: String,
        /// The document merged.
        patch: Value,
    },
    /// A `set:` or `scale:` entry or a sweep value: it covers the paths its pattern matches and
    /// everything below them.
    Path {
        /// The dotted path changed, `*` matching any key.
        pattern: String,
        /// The YAML path of the entry or value in the file (`scenarios.dry.set.parks.a.capacity.land`).
        source: String,
    },
}

impl Variant {
    /// The YAML path, in the file, of the change that last wrote the value at `path` of this
    /// variant's document; `None` when the value comes from the base unchanged.
    pub fn origin_of(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('.').collect();
        self.origins.iter().rev().find_map(|o| match o {
            Origin::Path { pattern, source } => {
                let pattern: Vec<&str> = pattern.split('.').collect();
                let covered = pattern.len() <= segments.len()
                    && pattern
                        .iter()
                        .zip(&segments)
                        .all(|(p, s)| *p == "*" || p == s);
                covered.then(|| {
                    let rest = &segments[pattern.len()..];
                    if rest.is_empty() {
                        source.clone()
                    } else {
                        format!("{source}.{}", rest.join("."))
                    }
                })
            }
            Origin::Merge { source, patch } => {
                let mut node = patch;
                for seg in &segments {
                    match node {
                        Value::Mapping(m) => node = m.get(*seg)?,
                        _ => break,
                    }
                }
                Some(format!("{source}.{path}"))
            }
        })
    }

    /// How the variant is named in a message: "scenario `dry-season`", "sweep point `s[…]`", or
    /// `None` for the base.
    pub fn label(&self) -> Option<String> {
        if self.name == BASE {
            None
        } else if self.name.ends_with(']') && self.name.contains('[') {
            Some(format!("sweep point `{}`", self.name))
        } else {
            Some(format!("scenario `{}`", self.name))
        }
    }
}

/// Which variants of a problem to produce.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Include the base problem.
    pub base: bool,
    /// Scenarios to include: `None` for all, `Some(names)` for those named.
    pub scenarios: Option<Vec<String>>,
    /// Sweeps to include: `None` for all, `Some(names)` for those named.
    pub sweeps: Option<Vec<String>>,
}

/// The base problem as a variant.
pub fn base(document: &Value, problem: &Problem) -> Variant {
    Variant {
        name: BASE.into(),
        description: problem.description.clone(),
        document: strip_variants(document),
        expected: problem.expected.clone(),
        origins: Vec::new(),
    }
}

/// The base problem with one scenario applied.
pub fn scenario(document: &Value, problem: &Problem, name: &str) -> Result<Variant, Diagnostic> {
    let Some(sc) = problem.scenarios.get(name) else {
        let known: Vec<&str> = problem.scenarios.keys().map(String::as_str).collect();
        let d = Diagnostic::at("scenarios", format!("no scenario named `{name}`"));
        return Err(match did_you_mean(name, known.iter().copied()) {
            Some(near) => d.help(format!("did you mean `{near}`?")),
            None if known.is_empty() => d.help("this file defines no scenarios"),
            None => d.help(format!("the scenarios are: {}", known.join(", "))),
        });
    };
    let document = apply_scenario(&strip_variants(document), name, sc)?;
    let at = format!("scenarios.{name}");
    let mut origins = Vec::new();
    if let Some(m) = &sc.merge {
        origins.push(Origin::Merge {
            source: format!("{at}.merge"),
            patch: m.clone(),
        });
    }
    for (kind, paths) in [
        ("set", sc.set.keys().collect::<Vec<_>>()),
        ("scale", sc.scale.keys().collect()),
    ] {
        origins.extend(paths.into_iter().map(|p| Origin::Path {
            pattern: p.clone(),
            source: format!("{at}.{kind}.{p}"),
        }));
    }
    Ok(Variant {
        name: name.to_string(),
        description: sc.description.clone(),
        document,
        expected: sc.expected.clone(),
        origins,
    })
}

/// The one variant called `name`, whatever kind it is: `base`, a scenario, or a sweep point
/// (`sweep[path=value,…]`, as `sweep` names it). Every command that takes a variant by name finds
/// it here. An unknown name is an error that suggests the nearest scenario or sweep.
pub fn find(document: &Value, problem: &Problem, name: &str) -> Result<Variant, Diagnostic> {
    if name == BASE {
        return Ok(base(document, problem));
    }
    if problem.scenarios.contains_key(name) {
        return scenario(document, problem, name);
    }
    if let Some((sweep, _)) = name.split_once('[')
        && problem.sweeps.contains_key(sweep)
    {
        let only = Selection {
            base: false,
            scenarios: Some(Vec::new()),
            sweeps: Some(vec![sweep.to_string()]),
        };
        let points = expand(document, problem, &only)?;
        let known: Vec<String> = points.iter().map(|v| v.name.clone()).collect();
        return match points.into_iter().find(|v| v.name == name) {
            Some(v) => Ok(v),
            None => Err(Diagnostic::at(
                format!("sweeps.{sweep}"),
                format!("sweep `{sweep}` has no point named `{name}`"),
            )
            .suggest(name, known.iter().map(String::as_str))),
        };
    }
    // Not a sweep point: the message names the nearest scenario, as before.
    scenario(document, problem, name)
}

/// Every variant the selection asks for, in a fixed order: base, scenarios in file order, then
/// sweep points in file order with the first varied path changing slowest.
pub fn expand(
    document: &Value,
    problem: &Problem,
    selection: &Selection,
) -> Result<Vec<Variant>, Diagnostic> {
    let mut out = Vec::new();
    if selection.base {
        out.push(base(document, problem));
    }
    let scenario_names: Vec<String> = match &selection.scenarios {
        None => problem.scenarios.keys().cloned().collect(),
        Some(names) => names.clone(),
    };
    for name in &scenario_names {
        out.push(scenario(document, problem, name)?);
    }
    let sweep_names: Vec<String> = match &selection.sweeps {
        None => problem.sweeps.keys().cloned().collect(),
        Some(names) => names.clone(),
    };
    let stripped = strip_variants(document);
    for name in &sweep_names {
        let Some(sweep) = problem.sweeps.get(name) else {
            let known = problem.sweeps.keys().map(String::as_str);
            return Err(
                Diagnostic::at("sweeps", format!("no sweep named `{name}`")).suggest(name, known)
            );
        };
        let axes: Vec<(String, Vec<Value>)> = sweep
            .vary
            .iter()
            .map(|(path, values)| {
                sweep_values(values)
                    .map(|v| (path.clone(), v))
                    .map_err(|m| {
                        Diagnostic::at(format!("sweeps.{name}.vary.{path}"), m.to_string())
                    })
            })
            .collect::<Result<_, _>>()?;
        let points = axes
            .iter()
            .try_fold(1usize, |n, (_, v)| n.checked_mul(v.len()))
            .filter(|&n| n <= MAX_SWEEP_POINTS);
        if points.is_none() {
            return Err(Diagnostic::at(
                format!("sweeps.{name}.vary"),
                format!("sweep `{name}` has more than {MAX_SWEEP_POINTS} points"),
            )
            .help("use fewer values or steps, or split the sweep into several"));
        }
        if axes.is_empty() {
            return Err(
                Diagnostic::at(format!("sweeps.{name}.vary"), "a sweep varies no path")
                    .help("give at least one path with its values under `vary:`"),
            );
        }
        for point in cartesian(&axes) {
            let mut doc = stripped.clone();
            let mut label = Vec::new();
            let mut origins = Vec::new();
            for (path, index, value) in &point {
                set_path(&mut doc, path, value).map_err(|m| {
                    Diagnostic::at(format!("sweeps.{name}.vary.{path}"), m.to_string())
                })?;
                label.push(format!("{path}={}", show(value)));
                let at = format!("sweeps.{name}.vary.{path}");
                let source = match sweep.vary.get(path) {
                    Some(SweepValues::List(_)) => format!("{at}.{index}"),
                    _ => at,
                };
                origins.push(Origin::Path {
                    pattern: path.clone(),
                    source,
                });
            }
            out.push(Variant {
                name: format!("{name}[{}]", label.join(",")),
                description: sweep.description.clone(),
                document: doc,
                expected: None,
                origins,
            });
        }
    }
    Ok(out)
}

/// The most points one sweep may have (the product of its paths' numbers of values): beyond it a
/// sweep is almost surely a slip (`steps: 9999999999`), and its variants would not fit in memory.
pub const MAX_SWEEP_POINTS: usize = 10_000;

/// The values of one sweep axis.
pub fn sweep_values(values: &SweepValues) -> Result<Vec<Value>, String> {
    match values {
        SweepValues::List(v) if v.is_empty() => Err("a sweep path needs at least one value".into()),
        SweepValues::List(v) => Ok(v.clone()),
        SweepValues::Range { from, to, steps } => {
            if !from.is_finite() || !to.is_finite() {
                return Err("`from` and `to` must be finite numbers".into());
            }
            match *steps {
                0 => Err("`steps` must be at least 1".into()),
                n if n > MAX_SWEEP_POINTS => Err(format!(
                    "`steps: {n}` is more than a sweep may have ({MAX_SWEEP_POINTS})"
                )),
                1 if from == to => Ok(vec![Value::from(*from)]),
                1 => Err("`steps: 1` needs `from` equal to `to`; use 2 or more steps".into()),
                n => Ok((0..n)
                    .map(|i| {
                        let t = i as f64 / (n - 1) as f64;
                        // Snap to a clean decimal so names and files read 25, not 24.999999999.
                        let v = from + (to - from) * t;
                        Value::from((v * 1e9).round() / 1e9)
                    })
                    .collect()),
            }
        }
    }
}

/// Every point of the product of `axes`, each a list of (path, index of the value, value).
fn cartesian(axes: &[(String, Vec<Value>)]) -> Vec<Vec<(String, usize, Value)>> {
    let mut points: Vec<Vec<(String, usize, Value)>> = vec![Vec::new()];
    for (path, values) in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().enumerate().map(move |(i, v)| {
                    let mut q = p.clone();
                    q.push((path.clone(), i, v.clone()));
                    q
                })
            })
            .collect();
    }
    points
}

fn show(v: &Value) -> String {
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

/// The document without `scenarios`, `sweeps` and `expected`: a variant is a plain problem.
fn strip_variants(document: &Value) -> Value {
    let mut doc = document.clone();
    if let Value::Mapping(m) = &mut doc {
        m.remove("scenarios");
        m.remove("sweeps");
        m.remove("expected");
        m.remove("uncertainty");
    }
    doc
}

/// Applies a scenario: merge, then set, then scale.
pub fn apply_scenario(document: &Value, name: &str, sc: &Scenario) -> Result<Value, Diagnostic> {
    let mut doc = document.clone();
    if let Some(m) = &sc.merge {
        if !m.is_mapping() {
            return Err(Diagnostic::at(
                format!("scenarios.{name}.merge"),
                "`merge:` must be a mapping deep-merged onto the problem",
            ));
        }
        deep_merge(&mut doc, m);
    }
    for (path, value) in &sc.set {
        set_path(&mut doc, path, value)
            .map_err(|m| Diagnostic::at(format!("scenarios.{name}.set.{path}"), m.to_string()))?;
    }
    for (path, factor) in &sc.scale {
        if !factor.is_finite() {
            return Err(Diagnostic::at(
                format!("scenarios.{name}.scale.{path}"),
                "a scale factor must be a finite number",
            ));
        }
        scale_path(&mut doc, path, *factor)
            .map_err(|m| Diagnostic::at(format!("scenarios.{name}.scale.{path}"), m.to_string()))?;
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    const BASE: &str = "
parks:
  a: { capacity: { land: 10, water: 4 } }
  b: { capacity: { land: 6 } }
resources: { funds: { applies_to: new } }
rules: { one_main_chain: { min_share: 0.5 } }
";

    #[test]
    fn set_creates_only_the_last_key() {
        let mut d = doc(BASE);
        assert_eq!(
            set_path(&mut d, "resources.funds.pool", &Value::from(45.0)),
            Ok(1)
        );
        assert_eq!(d["resources"]["funds"]["pool"].as_f64(), Some(45.0));
        let err = set_path(&mut d, "parks.c.capacity.land", &Value::from(1.0))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`parks` has no `c`"), "{err}");
    }

    #[test]
    fn wildcard_scales_every_match_and_skips_absent_branches() {
        let mut d = doc(BASE);
        assert_eq!(scale_path(&mut d, "parks.*.capacity.water", 0.5), Ok(1));
        assert_eq!(d["parks"]["a"]["capacity"]["water"].as_f64(), Some(2.0));
        assert_eq!(scale_path(&mut d, "parks.*.capacity.land", 2.0), Ok(2));
        assert_eq!(d["parks"]["b"]["capacity"]["land"].as_f64(), Some(12.0));
    }

    #[test]
    fn a_path_matching_nothing_is_an_error_with_a_hint() {
        let mut d = doc(BASE);
        let err = scale_path(&mut d, "parks.*.capacity.powr", 2.0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("matches nothing"), "{err}");
        let err = scale_path(&mut d, "prks.a.capacity.land", 2.0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `parks`?"), "{err}");
        let err = scale_path(&mut d, "rules.one_main_chain", 2.0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a number"), "{err}");
    }

    #[test]
    fn merge_is_deep_by_key() {
        let mut d = doc(BASE);
        deep_merge(&mut d, &doc("rules: { one_main_chain: { strict: true } }"));
        assert_eq!(d["rules"]["one_main_chain"]["strict"].as_bool(), Some(true));
        assert_eq!(
            d["rules"]["one_main_chain"]["min_share"].as_f64(),
            Some(0.5)
        );
    }

    #[test]
    fn ranges_include_both_ends() {
        let v = sweep_values(&SweepValues::Range {
            from: 20.0,
            to: 60.0,
            steps: 5,
        })
        .unwrap();
        let v: Vec<f64> = v.iter().map(|x| x.as_f64().unwrap()).collect();
        assert_eq!(v, vec![20.0, 30.0, 40.0, 50.0, 60.0]);
        assert!(
            sweep_values(&SweepValues::Range {
                from: 1.0,
                to: 2.0,
                steps: 1
            })
            .is_err()
        );
    }

    #[test]
    fn sweeps_form_the_cartesian_product_in_order() {
        let text = format!(
            "{BASE}\nsweeps:\n  s:\n    vary:\n      parks.a.capacity.land: [1, 2]\n      parks.b.capacity.land: [3, 4, 5]\n"
        );
        let d = doc(&text);
        let p: Problem = serde_yaml::from_value(d.clone()).unwrap();
        let sel = Selection {
            base: false,
            scenarios: Some(vec![]),
            sweeps: None,
        };
        let vs = expand(&d, &p, &sel).unwrap();
        let names: Vec<&str> = vs.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names.len(), 6);
        assert_eq!(
            names[0],
            "s[parks.a.capacity.land=1,parks.b.capacity.land=3]"
        );
        assert_eq!(
            names[5],
            "s[parks.a.capacity.land=2,parks.b.capacity.land=5]"
        );
        assert_eq!(
            vs[4].document["parks"]["b"]["capacity"]["land"].as_i64(),
            Some(4)
        );
        assert!(vs[0].document.get("sweeps").is_none());
    }
}
