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
mod periods;
mod points;
pub mod uncertainty;
mod validate;

use crate::problem::format::{Expected, Map, Problem, Scenario};
pub use path::{PathError, deep_merge, scale_path, set_path};
pub use periods::cumulative;
pub use points::{DEFAULT_MAX_POINTS, PointsError, SweepPoints};
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
#[derive(Debug, Clone)]
pub struct Selection {
    /// Include the base problem.
    pub base: bool,
    /// Scenarios to include: `None` for all, `Some(names)` for those named.
    pub scenarios: Option<Vec<String>>,
    /// Sweeps to include: `None` for all, `Some(names)` for those named.
    pub sweeps: Option<Vec<String>>,
    /// The most points one sweep may have ([`DEFAULT_MAX_POINTS`] by default).
    pub max_points: usize,
}

impl Default for Selection {
    /// Nothing selected, and the default limit on points.
    fn default() -> Self {
        Selection {
            base: false,
            scenarios: None,
            sweeps: None,
            max_points: DEFAULT_MAX_POINTS,
        }
    }
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
    let origins = origins_of(
        &format!("scenarios.{name}"),
        sc.merge.as_ref(),
        &sc.set,
        &sc.scale,
    );
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
        let points = SweepPoints::new(problem, sweep, DEFAULT_MAX_POINTS)
            .map_err(PointsError::diagnostic)?;
        // Names are computed one by one: the points themselves are never all built.
        if let Some(i) = (0..points.len()).find(|&i| points.name(i) == name) {
            return points.point(&strip_variants(document), i);
        }
        // Near names are looked for among the first points only, however large the sweep.
        let known: Vec<String> = (0..points.len().min(1000))
            .map(|i| points.name(i))
            .collect();
        return Err(Diagnostic::at(
            format!("sweeps.{sweep}"),
            format!("sweep `{sweep}` has no point named `{name}`"),
        )
        .suggest(name, known.iter().map(String::as_str)));
    }
    // Not a sweep point: the message names the nearest scenario, as before.
    scenario(document, problem, name)
}

/// Every variant the selection asks for, in a fixed order: base, scenarios in file order, then
/// sweep points in file order with the first varied path changing slowest. This holds every
/// variant's document at once; a batch that may be large lists its points lazily through
/// [`SweepPoints`] instead.
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
        let points = SweepPoints::new(problem, name, selection.max_points)
            .map_err(PointsError::diagnostic)?;
        for i in 0..points.len() {
            out.push(points.point(&stripped, i)?);
        }
    }
    Ok(out)
}

/// The document without `scenarios`, `sweeps` and `expected`: a variant is a plain problem.
pub fn strip_variants(document: &Value) -> Value {
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
    apply_changes(
        document,
        &format!("scenarios.{name}"),
        sc.merge.as_ref(),
        &sc.set,
        &sc.scale,
    )
}

/// Applies changes written at YAML path `at` (a scenario's or a period's): `merge`, then `set`,
/// then `scale`. An error names the change at fault.
pub fn apply_changes(
    document: &Value,
    at: &str,
    merge: Option<&Value>,
    set: &Map<Value>,
    scale: &Map<f64>,
) -> Result<Value, Diagnostic> {
    let mut doc = document.clone();
    if let Some(m) = merge {
        if !m.is_mapping() {
            return Err(Diagnostic::at(
                format!("{at}.merge"),
                "`merge:` must be a mapping deep-merged onto the problem",
            ));
        }
        deep_merge(&mut doc, m);
    }
    for (path, value) in set {
        set_path(&mut doc, path, value)
            .map_err(|m| Diagnostic::at(format!("{at}.set.{path}"), m.to_string()))?;
    }
    for (path, factor) in scale {
        if !factor.is_finite() {
            return Err(Diagnostic::at(
                format!("{at}.scale.{path}"),
                "a scale factor must be a finite number",
            ));
        }
        scale_path(&mut doc, path, *factor)
            .map_err(|m| Diagnostic::at(format!("{at}.scale.{path}"), m.to_string()))?;
    }
    Ok(doc)
}

/// Where the changes written at `at` come from, in the order [`apply_changes`] applies them.
pub fn origins_of(
    at: &str,
    merge: Option<&Value>,
    set: &Map<Value>,
    scale: &Map<f64>,
) -> Vec<Origin> {
    let mut origins = Vec::new();
    if let Some(m) = merge {
        origins.push(Origin::Merge {
            source: format!("{at}.merge"),
            patch: m.clone(),
        });
    }
    for (kind, paths) in [
        ("set", set.keys().collect::<Vec<_>>()),
        ("scale", scale.keys().collect()),
    ] {
        origins.extend(paths.into_iter().map(|p| Origin::Path {
            pattern: p.clone(),
            source: format!("{at}.{kind}.{p}"),
        }));
    }
    origins
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

    fn sweep_of(vary: &str) -> Result<SweepPoints, PointsError> {
        let text = format!("{BASE}\nsweeps:\n  s:\n    vary:\n{vary}");
        let p: Problem = serde_yaml::from_value(doc(&text)).unwrap();
        SweepPoints::new(&p, "s", 1000)
    }

    #[test]
    fn ranges_include_both_ends() {
        let s = sweep_of("      resources.funds.pool: { from: 20, to: 60, steps: 5 }\n").unwrap();
        let v: Vec<String> = (0..s.len()).map(|i| s.name(i)).collect();
        assert_eq!(v[0], "s[resources.funds.pool=20.0]");
        assert_eq!(v[4], "s[resources.funds.pool=60.0]");
        assert_eq!(v.len(), 5);
        let err = sweep_of("      resources.funds.pool: { from: 1, to: 2, steps: 1 }\n");
        assert!(matches!(err, Err(PointsError::Invalid(_))));
    }

    #[test]
    fn absurd_sizes_and_repeated_values_are_refused_without_allocating() {
        for vary in [
            "      resources.funds.pool: { from: 0, to: 1, steps: 1000000000 }\n",
            "      resources.funds.pool: { from: 0, to: 1, steps: 18446744073709551615 }\n",
            "      resources.funds.pool: { from: 0, to: 1, steps: 100 }\n      parks.a.capacity.land: { from: 0, to: 1, steps: 100 }\n",
        ] {
            let err = sweep_of(vary).unwrap_err();
            assert!(matches!(err, PointsError::TooMany(_)), "{vary}");
            assert!(err.diagnostic().message.contains("above the limit of 1000"));
        }
        let err = sweep_of("      resources.funds.pool: [1, 2, 1]\n").unwrap_err();
        assert!(err.diagnostic().message.contains("`1` is given twice"));
        let err =
            sweep_of("      resources.funds.pool: { from: 1, to: 1, steps: 3 }\n").unwrap_err();
        assert!(err.diagnostic().message.contains("twice"));
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
            ..Selection::default()
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
