//! JUnit XML for a check report, as CI systems (GitHub Actions reporters, GitLab, Jenkins) read
//! it, written with the `quick-junit` crate: one `<testsuite>` per problem file, one
//! `<testcase>` per case with `classname` = the file and `name` = the variant; a mismatch is a
//! `<failure>`, an invalid file or a solver failure an `<error>`, a file without `expected:` a
//! `<skipped>`, and so is a case a signal stopped, saying so. Times are in seconds; text is
//! stripped of characters XML cannot hold.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::ReportError;
use crate::batch::check::{Case, CheckReport, Outcome};

/// Renders the report as a JUnit XML document.
pub fn render(report: &CheckReport) -> Result<String, ReportError> {
    let mut out = Report::new("parkplan check");
    out.set_time(seconds(report.cases.iter().map(|c| c.seconds).sum()));
    // Cases come in file order: each run of one file is a suite.
    for suite in report.cases.chunk_by(|a, b| a.file == b.file) {
        let mut s = TestSuite::new(suite[0].file.as_str());
        s.set_time(seconds(suite.iter().map(|c| c.seconds).sum()));
        s.add_test_cases(suite.iter().map(testcase));
        out.add_test_suite(s);
    }
    Ok(out.to_string()?)
}

/// A duration of `s` seconds; zero for a negative or not finite one.
fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or_default()
}

/// One case, with what went wrong as a failure, an error or a skip.
fn testcase(c: &Case) -> TestCase {
    let status = match c.outcome {
        Outcome::Pass => TestCaseStatus::success(),
        Outcome::Skipped | Outcome::Stopped => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(c.detail.as_deref().unwrap_or("skipped"));
            s
        }
        Outcome::Fail => {
            let mut lines: Vec<String> = c.failures.clone();
            lines.extend(c.violations.iter().map(|v| {
                format!(
                    "verify: {} — {}: {}",
                    v.family.title(),
                    v.constraint,
                    v.message
                )
            }));
            non_success(
                NonSuccessKind::Failure,
                "mismatch",
                lines.first().map_or("", String::as_str),
                &lines.join("\n"),
            )
        }
        Outcome::Invalid => non_success(
            NonSuccessKind::Error,
            "invalid",
            "the problem file is not valid",
            c.detail.as_deref().unwrap_or_default(),
        ),
        Outcome::Error => non_success(
            NonSuccessKind::Error,
            "solver",
            "the solver failed",
            c.detail.as_deref().unwrap_or_default(),
        ),
    };
    let mut t = TestCase::new(c.variant.as_str(), status);
    t.set_classname(c.file.as_str());
    t.set_time(seconds(c.seconds));
    t
}

/// A failure or an error of type `ty`, with its one-line message and the whole text.
fn non_success(kind: NonSuccessKind, ty: &str, message: &str, text: &str) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_type(ty).set_message(message).set_description(text);
    s
}
