//! The scenarios of a robust plan (MODEL.md §10): the file's `uncertainty:` block or a list given
//! on the command line, checked, and the mean-value document of them.
//!
//! The mean-value problem replaces every number that differs among the scenarios' documents by
//! its probability-weighted mean; anything else — a key some scenario lacks, a flag, a name — is
//! the base document's.

use serde_yaml::Value;

use crate::problem::BASE;
use crate::problem::diagnostic::Diagnostic;
use crate::problem::format::Problem;

/// How far from 1 the probabilities may sum.
pub const SUM_TOLERANCE: f64 = 1e-9;

/// Checks scenarios and probabilities against `problem`: every name `base` or a scenario of the
/// file, each probability finite and ≥ 0, their sum 1 within [`SUM_TOLERANCE`], at least one.
/// `at` is the YAML path the pairs come from (`uncertainty.scenarios`), for the diagnostics.
pub fn check(problem: &Problem, pairs: &[(String, f64)], at: &str) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    if pairs.is_empty() {
        errors.push(
            Diagnostic::at(at, "a robust plan needs at least one scenario")
                .help("e.g. `scenarios: { base: 0.6, dry-season: 0.4 }`"),
        );
    }
    let known: Vec<&str> = std::iter::once(BASE)
        .chain(problem.scenarios.keys().map(String::as_str))
        .collect();
    for (name, p) in pairs {
        let here = format!("{at}.{name}");
        if !known.contains(&name.as_str()) {
            errors.push(
                Diagnostic::at(&here, format!("no scenario named `{name}`"))
                    .suggest(name, known.iter().copied()),
            );
        }
        if !(p.is_finite() && *p >= 0.0) {
            errors.push(Diagnostic::at(
                &here,
                format!("the probability of `{name}` must be a number ≥ 0, not {p}"),
            ));
        }
    }
    let sum: f64 = pairs.iter().map(|(_, p)| p).sum();
    if !pairs.is_empty() && errors.is_empty() && (sum - 1.0).abs() > SUM_TOLERANCE {
        errors.push(
            Diagnostic::at(at, format!("the probabilities sum to {sum}, not 1"))
                .help("scale them so that they add up to 1"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The mean-value document: `base` with every number that all `documents` hold at the same place,
/// and that differs among them, replaced by the mean weighted by `weights`.
pub fn mean_document(base: &Value, documents: &[&Value], weights: &[f64]) -> Value {
    match base {
        Value::Number(_) => {
            let nums: Option<Vec<f64>> = documents.iter().map(|d| d.as_f64()).collect();
            match nums {
                Some(nums) if nums.iter().any(|&v| v != nums[0]) => {
                    Value::from(nums.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>())
                }
                _ => base.clone(),
            }
        }
        Value::Mapping(m) => {
            let mut out = m.clone();
            for (k, v) in m {
                let inner: Option<Vec<&Value>> = documents.iter().map(|d| d.get(k)).collect();
                if let Some(inner) = inner {
                    out.insert(k.clone(), mean_document(v, &inner, weights));
                }
            }
            Value::Mapping(out)
        }
        Value::Sequence(items) => {
            let same_len = documents
                .iter()
                .all(|d| d.as_sequence().is_some_and(|s| s.len() == items.len()));
            if !same_len {
                return base.clone();
            }
            let seq = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let inner: Vec<&Value> = documents.iter().map(|d| &d[i]).collect();
                    mean_document(v, &inner, weights)
                })
                .collect();
            Value::Sequence(seq)
        }
        _ => base.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_differ_are_averaged_and_the_rest_is_the_base() {
        let a: Value = serde_yaml::from_str("{ w: 10, x: 1, s: [1, 2], f: true }").unwrap();
        let b: Value = serde_yaml::from_str("{ w: 7, x: 1, s: [3, 2], f: false, p: 4 }").unwrap();
        let m = mean_document(&a, &[&a, &b], &[0.6, 0.4]);
        assert!((m["w"].as_f64().unwrap() - 8.8).abs() < 1e-12);
        assert_eq!(m["x"].as_f64(), Some(1.0));
        assert!((m["s"][0].as_f64().unwrap() - 1.8).abs() < 1e-12);
        assert_eq!(m["f"].as_bool(), Some(true));
        assert!(m.get("p").is_none());
    }

    #[test]
    fn probabilities_are_checked() {
        let problem: Problem =
            serde_yaml::from_str("scenarios: { dry: { scale: { x: 1 } } }").unwrap();
        let ok = [("base".to_string(), 0.6), ("dry".to_string(), 0.4)];
        assert!(check(&problem, &ok, "u").is_ok());
        let bad = [("base".to_string(), 0.6), ("dyr".to_string(), 0.5)];
        let e = check(&problem, &bad, "u").unwrap_err();
        assert!(e[0].message.contains("no scenario named `dyr`"), "{e:?}");
        let sum = [("base".to_string(), 0.6), ("dry".to_string(), 0.5)];
        let e = check(&problem, &sum, "u").unwrap_err();
        assert!(e[0].message.contains("sum to 1.1"), "{e:?}");
        let neg = [("base".to_string(), 1.5), ("dry".to_string(), -0.5)];
        assert!(check(&problem, &neg, "u").is_err());
    }
}
