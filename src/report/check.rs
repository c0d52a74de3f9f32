//! A [`CheckReport`] as text for a terminal and as JSON.

use crate::batch::check::{Case, CheckReport, Outcome};
use crate::solver::SolveStatus;
use crate::util::numbers::fmt_exact as num;

/// A check report as text: one line per case (failures, violations and diagnostics indented
/// below it) and a summary.
pub fn text(report: &CheckReport) -> String {
    let fw = report.cases.iter().map(|c| c.file.len()).max().unwrap_or(0);
    let vw = report
        .cases
        .iter()
        .map(|c| c.variant.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for c in &report.cases {
        out.push_str(&format!(
            "{:<7} {:<fw$}  {:<vw$}  {}\n",
            c.outcome.label(),
            c.file,
            c.variant,
            headline(c)
        ));
        for f in &c.failures {
            out.push_str(&format!("        - {f}\n"));
        }
        for v in &c.violations {
            out.push_str(&format!(
                "        - verify: {} — {}: {}\n",
                v.family.title(),
                v.constraint,
                v.message
            ));
        }
        if matches!(c.outcome, Outcome::Invalid | Outcome::Error)
            && let Some(d) = &c.detail
        {
            for line in d.lines() {
                out.push_str(&format!("        {line}\n"));
            }
        }
    }
    let s = &report.summary;
    out.push_str(&format!(
        "\n{} case(s) in {} file(s): {} passed, {} failed, {} invalid, {} solver error(s), {} skipped",
        s.cases, s.files, s.passed, s.failed, s.invalid, s.errors, s.skipped
    ));
    if s.stopped > 0 {
        out.push_str(&format!(", {} stopped", s.stopped));
    }
    out.push('\n');
    if let Some(cause) = report.stopped_by {
        let not_started = report
            .cases
            .iter()
            .filter(|c| {
                c.outcome == Outcome::Stopped
                    && c.detail
                        .as_deref()
                        .is_some_and(|d| d.starts_with("not started"))
            })
            .count();
        out.push_str(&format!(
            "stopped by {}: {} case(s) decided, {} stopped while running, {not_started} not started\n",
            cause.words(),
            s.cases - s.stopped,
            s.stopped - not_started
        ));
    }
    out
}

/// A check report as JSON.
pub fn json(report: &CheckReport) -> String {
    serde_json::to_string_pretty(report).expect("JSON of plain values") + "\n"
}

/// What a case found, in a few words.
pub fn headline(case: &Case) -> String {
    match case.outcome {
        Outcome::Invalid => "the problem is not valid".into(),
        Outcome::Error => "the solver failed".into(),
        Outcome::Skipped | Outcome::Stopped => case.detail.clone().unwrap_or_default(),
        Outcome::Pass | Outcome::Fail => {
            let status = case.status.map_or("?", SolveStatus::as_str);
            let mut s = status.to_string();
            if let Some(obj) = case.objective {
                s.push_str(&format!(", objective {}", num(obj)));
            }
            if case.outcome == Outcome::Pass && case.status.is_some_and(SolveStatus::has_plan) {
                s.push_str(", plan verified");
            }
            if case.outcome == Outcome::Fail {
                let n = case.failures.len() + case.violations.len();
                s.push_str(&format!(" — {n} problem(s)"));
            }
            s
        }
    }
}
