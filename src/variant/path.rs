//! Paths into a problem document (`parks.*.capacity.water`) and the three ways a variant changes
//! what they reach: deep merge, set, scale. A path that matches nothing is an error naming the first
//! key missing, never a silent no-op.

use serde_yaml::Value;

use crate::problem::diagnostic::did_you_mean;

/// Why a path cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path is not a list of dotted keys.
    #[error("`{0}` is not a valid path: use dotted keys such as `parks.pannan.capacity.land`")]
    Malformed(String),
    /// Nothing in the document matches the path.
    #[error("path `{path}` matches nothing: {reason}")]
    NoMatch {
        /// The path.
        path: String,
        /// The first key (or level) that is missing.
        reason: String,
    },
    /// A scale factor meets a value that is not a number.
    #[error("`{0}` matches a value that is not a number, which cannot be scaled")]
    NotANumber(String),
}

/// Deep-merges `patch` onto `base`: mappings by key, anything else replaced.
pub fn deep_merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Mapping(b), Value::Mapping(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(existing) => deep_merge(existing, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// Sets every node `path` matches to `value`. The last key may be new; every key before it must
/// exist, and `*` matches existing keys only.
pub fn set_path(doc: &mut Value, path: &str, value: &Value) -> Result<usize, PathError> {
    let segments = split(path)?;
    let mut count = 0;
    visit(doc, &segments, 0, true, &mut |node| {
        *node = value.clone();
        count += 1;
        Ok(())
    })?;
    Ok(count)
}

/// Multiplies every number `path` matches by `factor`.
pub fn scale_path(doc: &mut Value, path: &str, factor: f64) -> Result<usize, PathError> {
    let segments = split(path)?;
    let mut count = 0;
    visit(doc, &segments, 0, false, &mut |node| match node.as_f64() {
        Some(x) => {
            *node = Value::from(x * factor);
            count += 1;
            Ok(())
        }
        None => Err(PathError::NotANumber(path.to_string())),
    })?;
    Ok(count)
}

fn split(path: &str) -> Result<Vec<&str>, PathError> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(PathError::Malformed(path.to_string()));
    }
    Ok(segments)
}

/// Walks `segments` from `node`, calling `f` on every match; errors when nothing matches.
fn visit(
    node: &mut Value,
    segments: &[&str],
    depth: usize,
    create_last: bool,
    f: &mut dyn FnMut(&mut Value) -> Result<(), PathError>,
) -> Result<(), PathError> {
    let shown = |upto: usize| segments[..upto].join(".");
    let Some(&seg) = segments.get(depth) else {
        return f(node);
    };
    let Value::Mapping(map) = node else {
        let place = if depth == 0 {
            "the document".to_string()
        } else {
            shown(depth)
        };
        return Err(PathError::NoMatch {
            path: segments.join("."),
            reason: format!("`{place}` is not a mapping"),
        });
    };
    if seg == "*" {
        let mut matched = 0;
        let mut last_err = None;
        for (_, child) in map.iter_mut() {
            match visit(child, segments, depth + 1, create_last, f) {
                Ok(()) => matched += 1,
                // A wildcard branch that lacks the rest of the path is skipped, not an error.
                Err(e @ PathError::NoMatch { .. }) => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        return match (matched, last_err) {
            (0, Some(e)) => Err(e),
            (0, None) => Err(PathError::NoMatch {
                path: segments.join("."),
                reason: format!("`{}` is empty", shown(depth)),
            }),
            _ => Ok(()),
        };
    }
    let key = Value::from(seg);
    if !map.contains_key(&key) {
        if create_last && depth + 1 == segments.len() {
            map.insert(key.clone(), Value::Null);
        } else {
            let names: Vec<String> = map
                .keys()
                .filter_map(|k| k.as_str().map(String::from))
                .collect();
            let hint = did_you_mean(seg, names.iter().map(String::as_str))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            let place = if depth == 0 {
                "the problem".to_string()
            } else {
                format!("`{}`", shown(depth))
            };
            return Err(PathError::NoMatch {
                path: segments.join("."),
                reason: format!("{place} has no `{seg}`{hint}"),
            });
        }
    }
    let child = map.get_mut(&key).expect("present or just inserted");
    visit(child, segments, depth + 1, create_last, f)
}
