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
mod validate;

use crate::problem::format::{Expected, Problem, Scenario, SweepValues};
pub use path::{PathError, deep_merge, scale_path, set_path};
pub use validate::FileSummary;

pub use crate::problem::BASE;

/// The most sweep points one expansion produces, over all its sweeps. Each point is a document
/// and a solve of its own; a `steps:` or a product of paths beyond this is a mistake, refused
/// before any point is built.
pub const MAX_SWEEP_POINTS: usize = 10_000;

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
    Ok(Variant {
        name: name.to_string(),
        description: sc.description.clone(),
        document,
        expected: sc.expected.clone(),
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
    let mut points_so_far = 0usize;
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
        if axes.is_empty() {
            return Err(
                Diagnostic::at(format!("sweeps.{name}.vary"), "a sweep varies no path")
                    .help("give at least one path with its values under `vary:`"),
            );
        }
        let count = axes
            .iter()
            .try_fold(1usize, |n, (_, v)| n.checked_mul(v.len()))
            .and_then(|n| n.checked_add(points_so_far))
            .filter(|&n| n <= MAX_SWEEP_POINTS);
        let Some(count) = count else {
            return Err(Diagnostic::at(
                format!("sweeps.{name}.vary"),
                format!("the sweeps have more than {MAX_SWEEP_POINTS} points in all"),
            )
            .help(
                "vary fewer paths or give fewer values: each point is a problem solved on its own",
            ));
        };
        points_so_far = count;
        for point in cartesian(&axes) {
            let mut doc = stripped.clone();
            let mut label = Vec::new();
            for (path, value) in &point {
                set_path(&mut doc, path, value).map_err(|m| {
                    Diagnostic::at(format!("sweeps.{name}.vary.{path}"), m.to_string())
                })?;
                label.push(format!("{path}={}", show(value)));
            }
            out.push(Variant {
                name: format!("{name}[{}]", label.join(",")),
                description: sweep.description.clone(),
                document: doc,
                expected: None,
            });
        }
    }
    Ok(out)
}

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
                1 if from == to => Ok(vec![Value::from(*from)]),
                1 => Err("`steps: 1` needs `from` equal to `to`; use 2 or more steps".into()),
                n if n > MAX_SWEEP_POINTS => Err(format!(
                    "`steps` may be at most {MAX_SWEEP_POINTS}: each step is a problem solved on its own"
                )),
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

fn cartesian(axes: &[(String, Vec<Value>)]) -> Vec<Vec<(String, Value)>> {
    let mut points: Vec<Vec<(String, Value)>> = vec![Vec::new()];
    for (path, values) in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.push((path.clone(), v.clone()));
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
    fn sweeps_beyond_the_point_limit_are_refused_before_any_point_is_built() {
        // `steps: 100000000000` used to allocate every point and abort the process.
        let huge = SweepValues::Range {
            from: 1.0,
            to: 2.0,
            steps: 100_000_000_000,
        };
        let err = sweep_values(&huge).unwrap_err();
        assert!(err.contains("at most 10000"), "{err}");
        // A product of short lists is counted before it is formed, over all sweeps together.
        let sel = Selection {
            base: false,
            scenarios: Some(vec![]),
            sweeps: None,
        };
        let many = |n: usize| {
            (0..n)
                .map(|i| format!("{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            "{BASE}\nsweeps:\n  s:\n    vary:\n      parks.a.capacity.land: [{}]\n      parks.b.capacity.land: [{}]\n",
            many(101),
            many(100)
        );
        let d = doc(&text);
        let p: Problem = serde_yaml::from_value(d.clone()).unwrap();
        let err = expand(&d, &p, &sel).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("sweeps.s.vary"));
        assert!(
            err.message.contains("more than 10000 points"),
            "{}",
            err.message
        );
        let text = format!(
            "{BASE}\nsweeps:\n  s:\n    vary:\n      parks.a.capacity.land: [{0}]\n  t:\n    vary:\n      parks.b.capacity.land: [{0}]\n",
            many(5001)
        );
        let d = doc(&text);
        let p: Problem = serde_yaml::from_value(d.clone()).unwrap();
        let err = expand(&d, &p, &sel).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("sweeps.t.vary"));
        let text = format!(
            "{BASE}\nsweeps:\n  s:\n    vary:\n      parks.a.capacity.land: [{}]\n",
            many(MAX_SWEEP_POINTS)
        );
        let d = doc(&text);
        let p: Problem = serde_yaml::from_value(d.clone()).unwrap();
        assert_eq!(expand(&d, &p, &sel).unwrap().len(), MAX_SWEEP_POINTS);
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
