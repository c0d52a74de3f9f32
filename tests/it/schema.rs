//! `parkplan schema`: a JSON Schema derived from the problem types, which every file in
//! `problems/` satisfies and a misspelt key does not.

use crate::common::{Test, problem_files};

fn schema() -> serde_json::Value {
    Test::new().arg("schema").json()
}

fn yaml_as_json(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).unwrap()
}

#[test]
fn every_problem_file_satisfies_the_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"], "http://json-schema.org/draft-07/schema#",
        "draft 7 is what editors read"
    );
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let files = problem_files();
    assert!(files.len() >= 20);
    for file in files {
        let doc = yaml_as_json(&std::fs::read_to_string(&file).unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let good = "parks: { a: { capacity: { land: 1 } } }\nchains: { c: { output: 1 } }\n";
    assert!(validator.is_valid(&yaml_as_json(good)));
    for bad in [
        // a misspelt key
        "parks: { a: { capacty: { land: 1 } } }\nchains: { c: { output: 1 } }\n",
        // a number of the wrong type
        "parks: { a: {} }\nchains: { c: { output: lots } }\n",
        // an unknown enum value
        "resources: { funds: { applies_to: old } }\nparks: { a: {} }\nchains: { c: { output: 1 } }\n",
        // an unknown top-level key
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrule: {}\n",
    ] {
        assert!(!validator.is_valid(&yaml_as_json(bad)), "accepted: {bad}");
    }
    // Both forms of the untagged settings are accepted.
    for ok in [
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrules: { one_main_chain: true }\n",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrules: { one_main_chain: { min_share: 0.5 } }\n",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nexchange: { across_zones: true }\n",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nexchange: { across_zones: { cost: { m: 1 } } }\n",
    ] {
        assert!(validator.is_valid(&yaml_as_json(ok)), "refused: {ok}");
    }
}

#[test]
fn the_schema_carries_the_field_docs() {
    Test::new()
        .arg("schema")
        // Doc comments of the Rust types become descriptions an editor shows on hover.
        .stdout_contains("Upper limit on activity in any one park.")
        .stdout_contains("\"additionalProperties\": false")
        .run();
}

#[test]
fn the_schema_can_be_written_to_a_file() {
    let run = Test::new()
        .in_tempdir()
        .args(["schema", "-o", "parkplan.schema.json"])
        .run();
    let out = run.tmp("parkplan.schema.json");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written, schema());
}
