//! Reading a plan file for `verify`: YAML or JSON into a [`Plan`], with positions for pointing at
//! the file's lines.
//!
//! A plan file has the fields of [`Plan`], the ones `solve` writes, and no others: a misspelt
//! field is refused with the nearest name, in the flows and purchases too. `verify` reads
//! `main_chains`, `activities`, `flows`, `purchases` and the stated objective and its parts; the
//! other fields (resource use, material balance, shadow prices) are derived from those and may be
//! left out, as a plan written by hand does, and are not checked when given (they are read with
//! the types `solve` writes them in). `built_units`, what the plan says it builds in units, is
//! checked against its activities when given. So may `status` be left out (read as `optimal`, a plan that
//! holds values), and `variant` (then `base`).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Visitor};

use crate::plan::{Flow, Plan, Purchase};
use crate::problem::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::problem::load::{Positions, from_document};
use crate::solver::SolveStatus;

/// A plan file as read from disk, with positions for pointing at its lines.
#[derive(Debug, Clone)]
pub struct PlanFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The plan, with defaults for what the file leaves out; `status` is `optimal` when the file
    /// states none.
    pub plan: Plan,
    /// The variant the file names, when it names one (`plan.variant` is `base` otherwise).
    pub variant: Option<String>,
    positions: Positions,
}

impl PlanFile {
    /// Reads a plan file (YAML or JSON).
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        let text = crate::util::input::read_text(path).map_err(|e| Diagnostics {
            file: path.to_path_buf(),
            source: String::new(),
            items: vec![crate::problem::load::unreadable("plan", &e)],
        })?;
        Self::parse(path, text)
    }

    /// Parses a plan's text (YAML, or JSON, which YAML reads as well).
    pub fn parse(path: &Path, text: String) -> Result<Self, Diagnostics> {
        let positions = Positions::index(&text);
        let locate = |d: &mut Diagnostic| {
            if d.location.is_none()
                && let Some(p) = &d.path
            {
                // `flows[0].amount` in serde's words is `flows.0.amount` in the positions index.
                let dotted = p.replace('[', ".").replace(']', "");
                d.location = positions.locate(&dotted);
            }
        };
        let fail = |d: Diagnostic| Diagnostics {
            file: path.to_path_buf(),
            source: text.clone(),
            items: vec![d],
        };
        let mut document: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::file(format!("the plan is not valid YAML or JSON: {e}"));
            d.location = e.location().map(|l| Location {
                line: l.line(),
                column: l.column(),
            });
            fail(d)
        })?;
        let serde_yaml::Value::Mapping(map) = &mut document else {
            return Err(fail(Diagnostic::file("a plan must be a mapping").help(
                "give at least `activities:` (and `main_chains:` when the rule is on); see the book's page on verifying a plan, docs/src/how-to/verify.md",
            )));
        };
        // A hand-written plan may leave out `status` and `variant`, or give them as null.
        if map.get("variant").is_some_and(serde_yaml::Value::is_null) {
            map.remove("variant");
        }
        let names_variant = map.contains_key("variant");
        if map.get("status").is_none_or(serde_yaml::Value::is_null) {
            let optimal = serde_yaml::to_value(SolveStatus::Optimal).expect("a status as YAML");
            map.insert("status".into(), optimal);
        }
        let unknown = unknown_field(map).map(|mut d| {
            locate(&mut d);
            d
        });
        let read = from_document::<Plan>(document).map_err(|mut d| {
            locate(&mut d);
            d
        });
        let plan = match (unknown, read) {
            (None, Ok(plan)) => plan,
            (None, Err(d)) | (Some(d), Ok(_)) => return Err(fail(d)),
            (Some(u), Err(d)) => return Err(fail(first_met(u, d))),
        };
        Ok(PlanFile {
            path: path.to_path_buf(),
            variant: names_variant.then(|| plan.variant.clone()),
            plan,
            positions,
        })
    }

    /// The line and column of a path in the plan (`activities.a.steel`, `flows.2`).
    pub fn locate(&self, path: &str) -> Option<Location> {
        self.positions.locate(path)
    }
}

/// The first key, in file order, that is not a field of [`Plan`] at the top level, or of a
/// [`Flow`] or [`Purchase`] in `flows` and `purchases`; said as serde says it of a struct that
/// denies unknown fields. Keys that are not strings are left to serde, which refuses them.
fn unknown_field(map: &serde_yaml::Mapping) -> Option<Diagnostic> {
    let items = [
        ("flows", fields_of::<Flow>()),
        ("purchases", fields_of::<Purchase>()),
    ];
    let fields = fields_of::<Plan>();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        if !fields.contains(&key) {
            return Some(unknown(key, key.to_string(), fields));
        }
        let Some((_, item_fields)) = items.iter().find(|(name, _)| *name == key) else {
            continue;
        };
        for (i, item) in value.as_sequence().into_iter().flatten().enumerate() {
            let keys = item.as_mapping().into_iter().flat_map(|m| m.keys());
            if let Some(wrong) = keys
                .filter_map(serde_yaml::Value::as_str)
                .find(|k| !item_fields.contains(k))
            {
                return Some(unknown(wrong, format!("{key}[{i}].{wrong}"), item_fields));
            }
        }
    }
    None
}

/// Of an unknown field `u` and an error `d` reading the plan, the one met first reading the file
/// top to bottom, as serde would: `d` when it is earlier in the file, unless it is about a mapping
/// that holds `u` (a missing field is found only at the mapping's end).
fn first_met(u: Diagnostic, d: Diagnostic) -> Diagnostic {
    let at = |d: &Diagnostic| d.location.map(|l| (l.line, l.column));
    let outer = d.path.as_deref().unwrap_or("");
    let inner = u.path.as_deref().unwrap_or("");
    let holds = outer.is_empty()
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']));
    if at(&d) < at(&u) && !holds { d } else { u }
}

/// The diagnostic of an unknown field `name` at `path`: the nearest of `fields`, or all of them.
fn unknown(name: &str, path: String, fields: &[&str]) -> Diagnostic {
    let d = Diagnostic::at(path, format!("unknown field `{name}`"));
    match did_you_mean(name, fields.iter().copied()) {
        Some(near) => d.help(format!("did you mean `{near}`?")),
        None => d.help(format!(
            "the fields allowed here are: {}",
            fields.join(", ")
        )),
    }
}

/// The field names a struct's derived `Deserialize` accepts, as it hands them to the
/// deserializer (asked for by a deserializer that takes them and reads nothing), so the one list
/// of a plan's fields is the struct itself.
fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields(&'static [&'static str]);
    impl<'de> de::Deserializer<'de> for &mut Fields {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only structs have fields"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("the fields are all that is asked"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut fields = Fields(&[]);
    let _ = T::deserialize(&mut fields);
    fields.0
}
