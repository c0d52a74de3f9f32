//! JUnit XML for a check report, as CI systems (GitHub Actions reporters, GitLab, Jenkins) read
//! it: one `<testsuite>` per problem file, one `<testcase>` per case with `classname` = the file
//! and `name` = the variant; a mismatch is a `<failure>`, an invalid file or a solver failure an
//! `<error>`, a file without `expected:` a `<skipped>`.

use crate::batch::check::{Case, CheckReport, Outcome};

/// Renders the report as a JUnit XML document.
pub fn render(report: &CheckReport) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let s = &report.summary;
    let total: f64 = report.cases.iter().map(|c| c.seconds).sum();
    out.push_str(&format!(
        "<testsuites name=\"parkplan check\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{total:.3}\">\n",
        s.cases,
        s.failed,
        s.invalid + s.errors,
        s.skipped
    ));
    let mut i = 0;
    while i < report.cases.len() {
        let file = &report.cases[i].file;
        let n = report.cases[i..]
            .iter()
            .take_while(|c| &c.file == file)
            .count();
        let suite = &report.cases[i..i + n];
        let count = |o: &[Outcome]| suite.iter().filter(|c| o.contains(&c.outcome)).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            escape(file),
            count(&[Outcome::Fail]),
            count(&[Outcome::Invalid, Outcome::Error]),
            count(&[Outcome::Skipped]),
            suite.iter().map(|c| c.seconds).sum::<f64>()
        ));
        for c in suite {
            testcase(&mut out, c);
        }
        out.push_str("  </testsuite>\n");
        i += n;
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, c: &Case) {
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
        escape(&c.file),
        escape(&c.variant),
        c.seconds
    );
    let (tag, kind, message, body) = match c.outcome {
        Outcome::Pass => {
            out.push_str(&open);
            out.push_str("/>\n");
            return;
        }
        Outcome::Skipped => {
            out.push_str(&format!(
                "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                escape(c.detail.as_deref().unwrap_or("skipped"))
            ));
            return;
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
            let message = lines.first().cloned().unwrap_or_default();
            ("failure", "mismatch", message, lines.join("\n"))
        }
        Outcome::Invalid => (
            "error",
            "invalid",
            "the problem file is not valid".to_string(),
            c.detail.clone().unwrap_or_default(),
        ),
        Outcome::Error => (
            "error",
            "solver",
            "the solver failed".to_string(),
            c.detail.clone().unwrap_or_default(),
        ),
    };
    out.push_str(&format!(
        "{open}>\n      <{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>\n    </testcase>\n",
        escape(&message),
        escape_text(&body)
    ));
}

/// Escapes text for an XML attribute (line breaks kept as `&#10;`); drops characters XML 1.0
/// cannot hold.
fn escape(s: &str) -> String {
    escape_text(s).replace('\n', "&#10;")
}

/// Escapes text for XML element content; drops characters XML 1.0 cannot hold.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(escape("a\nb"), "a&#10;b");
        assert_eq!(escape_text("a\nb"), "a\nb");
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
