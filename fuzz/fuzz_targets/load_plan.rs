//! Bytes → a plan file (JSON or YAML) read as `parkplan verify` reads it and, when it holds
//! values, verified against the Liupanshui problem and rendered. Any input may be refused; none
//! may panic.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use parkplan::plan::verify::{self, PlanFile};
use parkplan::problem::{SourceFile, ValidProblem};
use parkplan::report::verification;
use parkplan::variant;

const PROBLEM: &str = include_str!("../../problems/liupanshui.yaml");

/// The problem every plan is checked against, and its file.
static BASE: LazyLock<(SourceFile, ValidProblem)> = LazyLock::new(|| {
    let src = SourceFile::parse(Path::new("liupanshui.yaml"), PROBLEM.to_string())
        .expect("liupanshui.yaml parses");
    let base = src.base_problem().expect("liupanshui.yaml has a base problem");
    let v = variant::find(&src.document, &base, variant::BASE).expect("the base variant");
    let valid = src.validate_variant(&v).expect("liupanshui.yaml is valid");
    (src, valid)
});

fuzz_target!(|data: &[u8]| {
    let (_, valid) = &*BASE;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match PlanFile::parse(Path::new("fuzz.json"), text.to_string()) {
        Err(diagnostics) => {
            assert!(!diagnostics.items.is_empty(), "an error without a diagnostic");
            let _ = diagnostics.to_string();
        }
        Ok(plan) => {
            if !plan.plan.status.has_plan() {
                return;
            }
            let result = verify::verify(valid, &plan.plan, verify::DEFAULT_TOLERANCE);
            let problem = Path::new("liupanshui.yaml");
            let _ = verification::text(problem, &plan, "base", &result);
            let _ = verification::json(problem, &plan, "base", &result);
        }
    }
});
