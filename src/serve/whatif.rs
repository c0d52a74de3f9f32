//! A what-if: one of a file's variants (the base, a scenario or a sweep point) with further
//! `set` changes on top, as the page's forms make them; and saving one as a scenario of its own.
//!
//! A what-if is a [`Variant`] like any other: its changes are applied with the same
//! [`variant::apply_changes`] a scenario's `set:` uses and validated by
//! [`SourceFile::validate_variant`], so the page sees the command line's messages word for word.
//! Saved, it becomes a `scenarios:` entry whose `set:` holds every value it changes, inserted into
//! the file's text so that the file's comments and layout stay as they were.

use indexmap::IndexMap;
use serde_yaml::Value;

use crate::problem::format::Map;
use crate::problem::{Diagnostic, Diagnostics, Problem, SourceFile};
use crate::variant::{self, Variant};

/// The name of a what-if's variant, in its plan and its messages.
pub const WHAT_IF: &str = "what-if";

/// The most `set` entries one what-if may hold.
pub const MAX_SET: usize = 2000;

/// The longest `set` path accepted, in bytes.
pub const MAX_PATH: usize = 400;

/// The changes a request asks for: a variant of the file and values set on top of it.
#[derive(Debug, Clone, Default)]
pub struct WhatIf {
    /// `None` (or `base`) for the base problem, else a scenario or sweep point of the file.
    pub scenario: Option<String>,
    /// Dotted paths (as in sweeps' `vary`) and the values they take.
    pub set: IndexMap<String, Value>,
}

/// Why a what-if cannot be saved as a scenario.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The name cannot be a scenario's.
    #[error("{0}")]
    Name(String),
    /// The what-if removes something the base holds, which `set:` cannot say.
    #[error("the what-if removes `{0}`, which a scenario's `set:` cannot express")]
    Removes(String),
    /// The file could not be written back as YAML.
    #[error("cannot write the file as YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    /// The saved text does not read back as the same what-if (a bug, never silently saved).
    #[error("the saved file does not read back as the same what-if: {0}")]
    Mismatch(String),
}

impl WhatIf {
    /// The variant this what-if names, with its changes applied: unvalidated, as
    /// [`variant::find`] returns the file's own.
    pub fn variant(&self, src: &SourceFile, base: &Problem) -> Result<Variant, Diagnostics> {
        let name = self.scenario.as_deref().unwrap_or(variant::BASE);
        let mut v = variant::find(&src.document, base, name).map_err(|d| {
            src.diagnostics(vec![
                d.help_if_none("choose one of the file's scenarios or sweep points"),
            ])
        })?;
        if self.set.is_empty() {
            return Ok(v);
        }
        let set: Map<Value> = self.set.clone();
        v.document = variant::apply_changes(&v.document, "set", None, &set, &Map::new())
            .map_err(|d| src.diagnostics(vec![request_path(d)]))?;
        v.origins
            .extend(variant::origins_of("set", None, &set, &Map::new()));
        v.name = WHAT_IF.to_string();
        v.expected = None;
        Ok(v)
    }

    /// The file with the what-if in place of its base problem: the chosen scenario or sweep point
    /// with `set` on top becomes the base, and the file's scenarios, sweeps and `uncertainty:`
    /// apply to it as they would to the base (what `robust` weighs). The base's `expected:` is
    /// dropped with the base it described. The base without changes leaves the file as it is.
    pub fn file(&self, src: &SourceFile, base: &Problem) -> Result<SourceFile, Diagnostics> {
        let mut out = src.clone();
        if self.scenario.is_none() && self.set.is_empty() {
            return Ok(out);
        }
        let mut document = self.variant(src, base)?.document;
        if let (Value::Mapping(doc), Value::Mapping(file)) = (&mut document, &src.document) {
            for key in ["scenarios", "sweeps", "uncertainty"] {
                if let Some(v) = file.get(key) {
                    doc.insert(Value::from(key), v.clone());
                }
            }
        }
        out.document = document;
        Ok(out)
    }
}

/// A change's diagnostic names the request's field, `set.PATH`: changes written at `set` are
/// named `set.set.PATH` by [`variant::apply_changes`], which writes a scenario's as
/// `scenarios.NAME.set.PATH`.
fn request_path(mut d: Diagnostic) -> Diagnostic {
    if let Some(rest) = d.path.as_deref().and_then(|p| p.strip_prefix("set.set.")) {
        d.path = Some(format!("set.{rest}"));
    }
    d
}

trait HelpIfNone {
    fn help_if_none(self, help: &str) -> Self;
}

impl HelpIfNone for Diagnostic {
    fn help_if_none(self, help: &str) -> Self {
        if self.help.is_none() {
            self.help(help)
        } else {
            self
        }
    }
}

/// Checks a name for a new scenario of `base`: letters, digits, `-`, `_` and `.`, at most 64,
/// not `base` and not a name the file already uses.
pub fn check_name(base: &Problem, name: &str) -> Result<(), SaveError> {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if name.is_empty() || name.len() > 64 || !ok_chars || name.starts_with('.') {
        return Err(SaveError::Name(format!(
            "`{name}` cannot name a scenario: use 1 to 64 letters, digits, `-`, `_` or `.`, e.g. `pannan-more-land`"
        )));
    }
    if name == variant::BASE {
        return Err(SaveError::Name(
            "a scenario cannot be called `base`: that is the name of the problem as written".into(),
        ));
    }
    if base.scenarios.contains_key(name) {
        return Err(SaveError::Name(format!(
            "the file already has a scenario `{name}`; choose another name"
        )));
    }
    Ok(())
}

/// Every value `changed` holds that differs from `base`, as dotted paths in document order. A
/// mapping replaced by something else is one entry; a key of `base` missing from `changed` is an
/// error, since `set:` can only write values.
pub fn changes(base: &Value, changed: &Value) -> Result<IndexMap<String, Value>, SaveError> {
    let mut out = IndexMap::new();
    diff(base, changed, String::new(), &mut out)?;
    Ok(out)
}

fn diff(
    base: &Value,
    changed: &Value,
    at: String,
    out: &mut IndexMap<String, Value>,
) -> Result<(), SaveError> {
    match (base, changed) {
        (Value::Mapping(b), Value::Mapping(c)) => {
            for (k, _) in b {
                if !c.contains_key(k) {
                    return Err(SaveError::Removes(join(&at, k)));
                }
            }
            for (k, cv) in c {
                let path = join(&at, k);
                match b.get(k) {
                    Some(bv) => diff(bv, cv, path, out)?,
                    None => {
                        out.insert(path, cv.clone());
                    }
                }
            }
            Ok(())
        }
        (b, c) if same(b, c) => Ok(()),
        (_, c) => {
            out.insert(at, c.clone());
            Ok(())
        }
    }
}

/// Equal as the problem reads them: `5` and `5.0` are one number.
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn join(at: &str, key: &Value) -> String {
    let key = match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    if at.is_empty() {
        key
    } else {
        format!("{at}.{key}")
    }
}

/// The file's text with the what-if `v` added as scenario `name` (its `set:` holding every value
/// it changes against the base, `description` above them). The entry is inserted into the
/// `scenarios:` block as written, so comments stay; where the block cannot be found in block
/// style the whole document is written anew. Either way the text is read back and must give the
/// same problem for `name` as `v`, or nothing is saved.
pub fn save_as_scenario(
    src: &SourceFile,
    base: &Problem,
    v: &Variant,
    name: &str,
    description: &str,
) -> Result<String, SaveError> {
    check_name(base, name)?;
    let base_doc = variant::base(&src.document, base).document;
    let set = changes(&base_doc, &v.document)?;
    let mut entry = serde_yaml::Mapping::new();
    entry.insert(Value::from("description"), Value::from(description));
    let mut set_map = serde_yaml::Mapping::new();
    for (k, val) in &set {
        set_map.insert(Value::from(k.as_str()), val.clone());
    }
    entry.insert(Value::from("set"), Value::Mapping(set_map));

    let inserted = insert_entry(&src.text, name, &entry)?;
    if let Some(text) = inserted
        && reads_back(src, &text, name, v).is_ok()
    {
        return Ok(text);
    }
    // The whole document, anew: comments are lost but the what-if is not.
    let mut doc = src.document.clone();
    if let Value::Mapping(m) = &mut doc {
        let key = Value::from("scenarios");
        if !matches!(m.get(&key), Some(Value::Mapping(_))) {
            m.insert(key.clone(), Value::Mapping(Default::default()));
        }
        if let Some(Value::Mapping(sc)) = m.get_mut(&key) {
            sc.insert(Value::from(name), Value::Mapping(entry));
        }
    }
    let text = serde_yaml::to_string(&doc)?;
    reads_back(src, &text, name, v)?;
    Ok(text)
}

/// Whether `text` holds scenario `name` giving the same document as `v`.
fn reads_back(src: &SourceFile, text: &str, name: &str, v: &Variant) -> Result<(), SaveError> {
    let again = SourceFile::parse(&src.path, text.to_string())
        .map_err(|d| SaveError::Mismatch(d.to_string()))?;
    let base = again
        .base_problem()
        .map_err(|d| SaveError::Mismatch(d.to_string()))?;
    let sc = variant::scenario(&again.document, &base, name)
        .map_err(|d| SaveError::Mismatch(d.message))?;
    let saved = changes(&v.document, &sc.document)?;
    let lost = changes(&sc.document, &v.document)?;
    if saved.is_empty() && lost.is_empty() {
        Ok(())
    } else {
        let first = saved.keys().chain(lost.keys()).next().cloned();
        Err(SaveError::Mismatch(format!(
            "`{}` differs",
            first.unwrap_or_default()
        )))
    }
}

/// `text` with `name: entry` added at the end of its block-style top-level `scenarios:` mapping
/// (or a new `scenarios:` block at the end of the file when it has none); `None` when the block is
/// written in flow style or cannot be told apart.
fn insert_entry(
    text: &str,
    name: &str,
    entry: &serde_yaml::Mapping,
) -> Result<Option<String>, SaveError> {
    let mut one = serde_yaml::Mapping::new();
    one.insert(Value::from(name), Value::Mapping(entry.clone()));
    let body = serde_yaml::to_string(&one)?;
    let lines: Vec<&str> = text.lines().collect();
    let head = lines.iter().position(|l| {
        l.strip_prefix("scenarios:")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    });
    let Some(head) = head else {
        if lines.iter().any(|l| l.starts_with("scenarios")) {
            return Ok(None);
        }
        let mut out = text.to_string();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("\nscenarios:\n");
        out.push_str(&indent(&body, "  "));
        return Ok(Some(out));
    };
    // The block runs to the next line that starts at column 0 with a key.
    let mut last = head;
    let mut pad = None;
    for (i, l) in lines.iter().enumerate().skip(head + 1) {
        let starts_key = l
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#');
        if starts_key {
            break;
        }
        let trimmed = l.trim_start();
        if !trimmed.is_empty() && l.starts_with(' ') {
            last = i;
            if pad.is_none() && !trimmed.starts_with('#') {
                pad = Some(l.len() - trimmed.len());
            }
        }
    }
    let pad = " ".repeat(pad.unwrap_or(2));
    let mut out = String::with_capacity(text.len() + body.len() + 64);
    for l in &lines[..=last] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&indent(&body, &pad));
    for l in &lines[last + 1..] {
        out.push_str(l);
        out.push('\n');
    }
    Ok(Some(out))
}

fn indent(text: &str, pad: &str) -> String {
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# a comment that must stay
resources: { land: {} }
parks:
  a: { capacity: { land: 2.0 } }
chains:
  c: { output: 2.0, uses: { land: 0.5 }, max_per_park: 3 }
scenarios:
  # how dry it gets
  dry:
    scale: { \"parks.*.capacity.land\": 0.5 }
rules: { one_main_chain: { min_share: 0.5 } }
";

    fn file(text: &str) -> (SourceFile, Problem) {
        let src = SourceFile::parse("f.yaml".as_ref(), text.to_string()).unwrap();
        let base = src.base_problem().unwrap();
        (src, base)
    }

    fn what_if(scenario: Option<&str>, set: &[(&str, Value)]) -> WhatIf {
        WhatIf {
            scenario: scenario.map(String::from),
            set: set
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn a_saved_what_if_keeps_comments_and_reads_back_as_the_same_problem() {
        let (src, base) = file(FILE);
        let w = what_if(Some("dry"), &[("chains.c.output", Value::from(3.0))]);
        let v = w.variant(&src, &base).unwrap();
        let text = save_as_scenario(&src, &base, &v, "drier", "more output").unwrap();
        assert!(text.contains("# a comment that must stay"));
        assert!(text.contains("# how dry it gets"));
        assert!(text.contains("parks.a.capacity.land: 1.0"), "{text}");
        assert!(text.contains("chains.c.output: 3.0"), "{text}");
        // The rules line after the block is still at the top level.
        let (again, base2) = file(&text);
        assert!(base2.scenarios.contains_key("drier"));
        assert!(again.document["rules"].is_mapping());
    }

    #[test]
    fn a_file_without_scenarios_gets_a_block() {
        let text = FILE.split("scenarios:").next().unwrap().to_string();
        let (src, base) = file(&text);
        let w = what_if(None, &[("parks.a.capacity.land", Value::from(4))]);
        let v = w.variant(&src, &base).unwrap();
        let out = save_as_scenario(&src, &base, &v, "more-land", "x").unwrap();
        assert!(out.ends_with("parks.a.capacity.land: 4\n"), "{out}");
    }

    #[test]
    fn flow_style_scenarios_are_written_anew_and_still_read_back() {
        let text = FILE.replace(
            "scenarios:\n  # how dry it gets\n  dry:\n    scale: { \"parks.*.capacity.land\": 0.5 }\n",
            "scenarios: { dry: { scale: { \"parks.*.capacity.land\": 0.5 } } }\n",
        );
        let (src, base) = file(&text);
        let w = what_if(None, &[("parks.a.capacity.land", Value::from(4))]);
        let v = w.variant(&src, &base).unwrap();
        let out = save_as_scenario(&src, &base, &v, "more", "x").unwrap();
        let (_, b) = file(&out);
        assert!(b.scenarios.contains_key("more") && b.scenarios.contains_key("dry"));
    }

    #[test]
    fn bad_names_and_paths_are_refused_with_reasons() {
        let (src, base) = file(FILE);
        for bad in ["", "base", "dry", "a b", "../x", ".hidden"] {
            assert!(check_name(&base, bad).is_err(), "{bad}");
        }
        let w = what_if(None, &[("parks.b.capacity.land", Value::from(1))]);
        let err = w.variant(&src, &base).unwrap_err().to_string();
        assert!(err.contains("`parks` has no `b`"), "{err}");
        let w = what_if(Some("wet"), &[]);
        let err = w.variant(&src, &base).unwrap_err().to_string();
        assert!(err.contains("no scenario named `wet`"), "{err}");
    }
}
