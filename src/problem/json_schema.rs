//! The JSON Schema of the problem file format, derived from the serde types in
//! [`crate::problem::format`] (never written by hand, so it cannot drift from what the loader
//! accepts).
//!
//! It follows JSON Schema draft 7, which editors' YAML support (yaml-language-server) and most
//! validators read. Unknown keys are refused (`additionalProperties: false`) exactly as the loader
//! refuses them; so are missing required keys (`parks`, `chains`, a chain's `output`), and numbers
//! out of the ranges `parkplan validate` enforces (a negative capacity, output or price, a
//! `min_reuse_rate` or `min_share` outside 0 to 1). Cross-references (a chain named in
//! `supports`, a resource in `capacity`) and what depends on several values together are left to
//! `parkplan validate`.
//!
//! The schema uses standard keywords and formats only, so validators in strict mode (ajv's
//! default) compile it: the `format` annotations schemars adds to numbers (`double`, `uint`),
//! which no validator defines, are left out.

use schemars::Schema;
use schemars::transform::RecursiveTransform;

use crate::problem::Problem;

/// The keys every problem file must have (`parkplan validate` refuses a file without parks or
/// chains; the loader gives them defaults only to say so in those words).
const REQUIRED: [&str; 2] = ["parks", "chains"];

/// The schema as a JSON value.
pub fn problem_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .with_transform(RecursiveTransform(standard_formats_only))
        .into_generator()
        .into_root_schema_for::<Problem>();
    schema.insert("required".into(), REQUIRED.to_vec().into());
    schema.insert("title".into(), "parkplan problem file".into());
    schema.insert(
        "description".into(),
        "Parks, chains, resources and materials of a circular-economy planning problem, with its rules, objective weights, known optimum, scenarios and sweeps (see MODEL.md)."
            .into(),
    );
    schema.to_value()
}

/// The schema as pretty-printed JSON text, ending with a newline.
pub fn problem_schema_text() -> String {
    serde_json::to_string_pretty(&problem_schema()).expect("a schema is plain JSON") + "\n"
}

/// Drops a `format` that JSON Schema does not define: schemars marks numbers as `double`, `float`,
/// `int32`, `uint`, … (the range of an unsigned type is kept as its `minimum: 0`).
fn standard_formats_only(schema: &mut Schema) {
    let numeric = schema
        .get("format")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|f| {
            matches!(f, "double" | "float")
                || f.strip_prefix('u')
                    .unwrap_or(f)
                    .strip_prefix("int")
                    .is_some_and(|bits| bits.chars().all(|c| c.is_ascii_digit()))
        });
    if numeric {
        schema.remove("format");
    }
}

/// The value schema of a map field (`additionalProperties`), for the attributes of
/// [`crate::problem::format`].
fn map_values(schema: &mut Schema) -> Option<&mut serde_json::Map<String, serde_json::Value>> {
    schema.get_mut("additionalProperties")?.as_object_mut()
}

/// A map of numbers that are each 0 or more (`capacity`, `existing`, transport costs).
pub fn non_negative_values(schema: &mut Schema) {
    if let Some(values) = map_values(schema) {
        values.insert("minimum".into(), 0.into());
    }
}

/// A map of fractions, each from 0 to 1 (the probabilities of `uncertainty.scenarios`).
pub fn fraction_values(schema: &mut Schema) {
    if let Some(values) = map_values(schema) {
        values.insert("minimum".into(), 0.into());
        values.insert("maximum".into(), 1.into());
    }
}
