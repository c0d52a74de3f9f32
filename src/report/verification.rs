//! A [`Verification`] of a plan file as text for a terminal and as JSON.

use std::path::Path;

use crate::plan::verify::{PlanFile, Verification, num};

/// A verification as text: one line per violated constraint (with its place in the plan file when
/// one value is at fault), the recomputed objective and its parts, and a verdict naming the plan,
/// the problem and the variant.
pub fn text(problem: &Path, plan: &PlanFile, variant: &str, r: &Verification) -> String {
    let mut out = String::new();
    for v in &r.violations {
        let at = v
            .plan_path
            .as_deref()
            .and_then(|p| plan.locate(p))
            .map(|l| format!(" [{}:{}:{}]", plan.path.display(), l.line, l.column))
            .unwrap_or_default();
        out.push_str(&format!(
            "✗ {} — {}: {}{at}\n",
            v.family.title(),
            v.constraint,
            v.message
        ));
    }
    out.push_str(&recomputed(r));
    out.push_str(&verdict(problem, plan, variant, r));
    out
}

/// The line of the objective and its parts as recomputed from the plan's values.
fn recomputed(r: &Verification) -> String {
    let p = &r.recomputed;
    format!(
        "recomputed: objective {}; output value {}, reuse value {}, transport cost {}, purchase cost {}, disposal cost {}; waste reused {}\n",
        num(p.objective),
        num(p.output_value),
        num(p.reuse_value),
        num(p.transport_cost),
        num(p.purchase_cost),
        num(p.disposal_cost),
        num(p.total_reuse)
    )
}

/// The last line: feasible, or how many violations among how many checks.
fn verdict(problem: &Path, plan: &PlanFile, variant: &str, r: &Verification) -> String {
    let head = format!(
        "{} against {} (variant `{variant}`)",
        plan.path.display(),
        problem.display()
    );
    if r.ok() {
        format!(
            "{head}: feasible — {} constraints and stated values hold within tolerance {:e}\n",
            r.checked, r.tolerance
        )
    } else {
        format!(
            "{head}: {} violation(s) among {} constraints and stated values checked (tolerance {:e})\n",
            r.violations.len(),
            r.checked,
            r.tolerance
        )
    }
}

/// A verification as pretty-printed JSON (without a final newline): the problem and plan files,
/// the variant, whether the plan is feasible, the count of checks, the tolerance, the recomputed
/// objective and every violation.
pub fn json(problem: &Path, plan: &PlanFile, variant: &str, r: &Verification) -> String {
    let j = serde_json::json!({
        "problem": problem.display().to_string(),
        "plan": plan.path.display().to_string(),
        "variant": variant,
        "feasible": r.ok(),
        "checked": r.checked,
        "tolerance": r.tolerance,
        "recomputed": r.recomputed,
        "violations": r.violations,
    });
    serde_json::to_string_pretty(&j).expect("JSON of plain values")
}
