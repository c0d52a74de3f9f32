//! `parkplan schema`: a JSON Schema derived from the problem types, which every file in
//! `problems/` satisfies and a misspelt key, a missing required key or a number out of range does
//! not; checked with the `jsonschema` crate, and with ajv in its strict modes when Node.js is
//! installed (the test installs ajv with npm under `target/tmp/ajv` on its first run).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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
    assert!(validator.is_valid(&yaml_as_json(GOOD)));
    for (what, bad) in BAD {
        assert!(
            !validator.is_valid(&yaml_as_json(bad)),
            "accepted {what}: {bad}"
        );
    }
    for ok in OK {
        assert!(validator.is_valid(&yaml_as_json(ok)), "refused: {ok}");
    }
}

/// A small problem that every validator accepts.
const GOOD: &str = "resources: { land: {} }\nparks: { a: { capacity: { land: 1 } } }\nchains: { c: { output: 1, uses: { land: 0.5 } } }\n";

/// What the loader or `parkplan validate` refuses, and the schema must too.
const BAD: [(&str, &str); 14] = [
    (
        "a misspelt key",
        "parks: { a: { capacty: { land: 1 } } }\nchains: { c: { output: 1 } }\n",
    ),
    (
        "a number of the wrong type",
        "parks: { a: {} }\nchains: { c: { output: lots } }\n",
    ),
    (
        "an unknown enum value",
        "resources: { funds: { applies_to: old } }\nparks: { a: {} }\nchains: { c: { output: 1 } }\n",
    ),
    (
        "an unknown top-level key",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrule: {}\n",
    ),
    (
        "a reuse rate of 50 (a percentage for a fraction)",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrules: { min_reuse_rate: 50 }\n",
    ),
    (
        "a main-chain share of 40",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nrules: { one_main_chain: { min_share: 40 } }\n",
    ),
    (
        "a negative output",
        "parks: { a: {} }\nchains: { c: { output: -1 } }\n",
    ),
    (
        "a chain without output",
        "parks: { a: {} }\nchains: { c: { uses: { land: 1 } } }\n",
    ),
    (
        "a negative capacity",
        "parks: { a: { capacity: { land: -1 } } }\nchains: { c: { output: 1 } }\n",
    ),
    (
        "a negative existing activity",
        "parks: { a: { existing: { c: -1 } } }\nchains: { c: { output: 1 } }\n",
    ),
    (
        "a negative price",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nmaterials: { m: { external: { price: -1 } } }\n",
    ),
    (
        "a probability above 1",
        "parks: { a: {} }\nchains: { c: { output: 1 } }\nuncertainty: { scenarios: { base: 1.5 } }\n",
    ),
    ("no parks", "chains: { c: { output: 1 } }\n"),
    ("an empty chains section", "parks: { a: {} }\nchains: {}\n"),
];

/// Forms the loader accepts that a schema easily gets wrong: both forms of the untagged
/// settings, a chain worth nothing, the ends of the ranges.
const OK: [&str; 7] = [
    "parks: { a: {} }\nchains: { c: { output: 1, max_per_park: 2 } }\nrules: { one_main_chain: true }\n",
    "parks: { a: {} }\nchains: { c: { output: 1, max_per_park: 2 } }\nrules: { one_main_chain: { min_share: 0.5 } }\n",
    "parks: { a: {} }\nchains: { c: { output: 1 } }\nexchange: { across_zones: true }\n",
    "parks: { a: {} }\nchains: { c: { output: 1 } }\nmaterials: { m: {} }\nexchange: { across_zones: { cost: { m: 1 } } }\n",
    "parks: { a: {} }\nchains: { c: { output: 0 } }\n",
    "parks: { a: {} }\nchains: { c: { output: 1, max_per_park: 2 } }\nrules: { min_reuse_rate: 1, one_main_chain: { min_share: 0 } }\n",
    "parks: { a: {} }\nchains: { c: { output: 1 } }\nrules: { min_reuse_rate: ~ }\n",
];

/// Every case of [`BAD`] is refused by `parkplan validate` too: the schema is no stricter than
/// parkplan.
#[test]
fn what_the_schema_refuses_parkplan_refuses() {
    for (_, bad) in BAD {
        Test::new()
            .file("bad.yaml", bad)
            .in_tempdir()
            .args(["validate", "bad.yaml"])
            .status(2)
            .run();
    }
    for ok in OK.iter().chain([&GOOD]) {
        Test::new()
            .file("ok.yaml", ok)
            .in_tempdir()
            .args(["validate", "ok.yaml"])
            .run();
    }
}

/// The folder holding `node_modules/ajv` and `node_modules/ajv-formats`, installed with npm on
/// the first run; `None` (the test is skipped) when Node.js is not installed.
fn ajv_modules() -> Option<PathBuf> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: node (Node.js) is not installed; install it (Debian: apt-get install nodejs npm) to check the schema with ajv"
        );
        return None;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ajv");
    let modules = dir.join("node_modules");
    let installed = |m: &str| modules.join(m).join("package.json").is_file();
    if !(installed("ajv") && installed("ajv-formats")) {
        std::fs::create_dir_all(&dir).unwrap();
        let npm = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(&dir)
            .args(["ajv@8", "ajv-formats@3"])
            .output();
        match npm {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!(
                "npm could not install ajv into {}: {}\ninstall it by hand: npm install --prefix {} ajv@8 ajv-formats@3",
                dir.display(),
                String::from_utf8_lossy(&o.stderr),
                dir.display()
            ),
            Err(e) => panic!(
                "node is installed but npm is not ({e}): install npm, or ajv by hand into {}",
                dir.display()
            ),
        }
    }
    Some(modules)
}

#[test]
fn ajv_in_strict_mode_compiles_the_schema_and_agrees_with_parkplan() {
    let Some(modules) = ajv_modules() else { return };
    let dir = tempfile::tempdir().unwrap();
    let schema_file = dir.path().join("parkplan.schema.json");
    Test::new().arg("schema").arg("-o").arg(&schema_file).run();
    let mut cases = Vec::new();
    let mut want = Vec::new();
    for file in problem_files() {
        let name = file.display().to_string();
        cases.push(serde_json::json!({
            "name": name,
            "doc": yaml_as_json(&std::fs::read_to_string(&file).unwrap()),
        }));
        want.push((name, true));
    }
    for (i, ok) in OK.iter().chain([&GOOD]).enumerate() {
        let name = format!("ok {i}");
        cases.push(serde_json::json!({ "name": name, "doc": yaml_as_json(ok) }));
        want.push((name, true));
    }
    for (what, bad) in BAD {
        cases.push(serde_json::json!({ "name": what, "doc": yaml_as_json(bad) }));
        want.push((what.to_string(), false));
    }
    let mut child = Command::new("node")
        .arg(crate::common::path("tests/it/ajv.js"))
        .arg(&schema_file)
        .env("NODE_PATH", &modules)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(&cases).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input).unwrap());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ajv: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("compiled"));
    let got: Vec<(String, bool, String)> = lines
        .map(|l| {
            let mut f = l.splitn(3, '\t');
            let name = f.next().unwrap().to_string();
            let valid = f.next() == Some("valid");
            (name, valid, f.next().unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(got.len(), want.len(), "{stdout}");
    for ((name, valid, why), (want_name, want_valid)) in got.iter().zip(&want) {
        assert_eq!(name, want_name);
        assert_eq!(
            valid,
            want_valid,
            "ajv judged {name} {}: {why}",
            if *valid { "valid" } else { "invalid" }
        );
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
