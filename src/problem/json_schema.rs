//! The JSON Schema of the problem file format, derived from the serde types in
//! [`crate::problem::format`] (never written by hand, so it cannot drift from what the loader
//! accepts).
//!
//! It follows JSON Schema draft 7, which editors' YAML support (yaml-language-server) and most
//! validators read. Unknown keys are refused (`additionalProperties: false`) exactly as the loader
//! refuses them; cross-references (a chain named in `supports`, a resource in `capacity`) are left
//! to `parkplan validate`.

use crate::problem::Problem;

/// The schema as a JSON value.
pub fn problem_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Problem>();
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
