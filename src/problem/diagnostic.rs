//! Diagnostics: what is wrong with a problem file, where, and how to mend it.
//!
//! A [`Diagnostic`] carries the YAML path of the offending value and, when the file is at hand,
//! its line and column; [`Diagnostics`] renders them the way compilers do, with the source line
//! and a caret under the spot.

use std::fmt;
use std::path::PathBuf;

/// A place in a problem file: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One problem found in a problem file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What is wrong.
    pub message: String,
    /// The YAML path of the offending key or value (`chains.coal_power.materials.fly_sah`).
    pub path: Option<String>,
    /// Line and column, when known.
    pub location: Option<Location>,
    /// The cell that holds the offending value (`parks!C7`), in a problem read from tables.
    pub cell: Option<String>,
    /// How to mend it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a YAML path.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            path: Some(path.into()),
            location: None,
            cell: None,
            help: None,
        }
    }

    /// A diagnostic about the whole file.
    pub fn file(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            path: None,
            location: None,
            cell: None,
            help: None,
        }
    }

    /// A diagnostic about one cell of a problem read from tables (`parks!C7`).
    pub fn in_cell(cell: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            path: None,
            location: None,
            cell: Some(cell.into()),
            help: None,
        }
    }

    /// Adds advice on how to mend it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a did-you-mean hint when a near name exists among `candidates`.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match did_you_mean(wrong, candidates) {
            Some(near) => self.help(format!("did you mean `{near}`?")),
            None => self,
        }
    }
}

/// Every problem found in one file, with the file's name and text for rendering.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    /// The file the problems are in.
    pub file: PathBuf,
    /// The file's text, for quoting the offending line.
    pub source: String,
    /// The problems, in file order where known.
    pub items: Vec<Diagnostic>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(f, "error")
    }
}

/// [`Diagnostics`] shown as warnings: what is accepted but unsafe.
pub struct Warnings<'a>(pub &'a Diagnostics);

impl fmt::Display for Warnings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render(f, "warning")
    }
}

impl Diagnostics {
    fn render(&self, f: &mut fmt::Formatter<'_>, level: &str) -> fmt::Result {
        let lines: Vec<&str> = self.source.lines().collect();
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match &d.cell {
                Some(cell) => writeln!(f, "{level}: {cell}: {}", d.message)?,
                None => writeln!(f, "{level}: {}", d.message)?,
            }
            let file = self.file.display();
            let path = d.path.as_deref().map(bounded);
            match (d.location, &path) {
                (Some(loc), Some(path)) => {
                    writeln!(f, "  --> {file}:{}:{} (at {path})", loc.line, loc.column)?
                }
                (Some(loc), None) => writeln!(f, "  --> {file}:{}:{}", loc.line, loc.column)?,
                (None, Some(path)) => writeln!(f, "  --> {file} (at {path})")?,
                (None, None) => writeln!(f, "  --> {file}")?,
            }
            if let Some(loc) = d.location
                && let Some(text) = lines.get(loc.line.wrapping_sub(1))
            {
                let n = loc.line.to_string();
                let pad = " ".repeat(n.len());
                let (text, caret) = excerpt(text, loc.column);
                writeln!(f, "{pad} |")?;
                writeln!(f, "{n} | {text}")?;
                writeln!(f, "{pad} | {}^", " ".repeat(caret))?;
            }
            if let Some(help) = &d.help {
                writeln!(f, "  = help: {help}")?;
            }
        }
        if self.items.len() > 1 {
            write!(
                f,
                "\n{} {level}s in {}",
                self.items.len(),
                self.file.display()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A YAML path as shown after `at`: in full when it is of a sane length, else its start and end
/// around `…` (a key of a million characters is still a key).
fn bounded(path: &str) -> String {
    let n = path.chars().count();
    if n <= EXCERPT {
        return path.to_string();
    }
    let head: String = path.chars().take(EXCERPT / 2).collect();
    let tail: String = path.chars().skip(n - EXCERPT / 2).collect();
    format!("{head}…{tail}")
}

/// The most characters of a source line quoted under a diagnostic.
const EXCERPT: usize = 100;

/// The part of `line` quoted under a diagnostic at 1-based `column`, and the caret's offset in
/// it: the whole line when it is short, else [`EXCERPT`] characters around the column, with `…`
/// where it is cut, so that an error on a line of megabytes prints a line of a hundred characters.
/// Control characters (a NUL byte) are shown as escapes (`\u{0}`) so that a terminal shows them.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let (start, end) = if chars.len() <= EXCERPT {
        (0, chars.len())
    } else {
        let start = at.saturating_sub(EXCERPT / 2).min(chars.len() - EXCERPT);
        (start, start + EXCERPT)
    };
    let mut text = String::new();
    let mut caret = at - start;
    if start > 0 {
        text.push('…');
        caret += 1;
    }
    for (i, &c) in chars[start..end].iter().enumerate() {
        if c.is_control() && c != '\t' {
            let shown = format!("\\u{{{:x}}}", c as u32);
            if start + i < at {
                caret += shown.chars().count() - 1;
            }
            text.push_str(&shown);
        } else {
            text.push(c);
        }
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, caret)
}

/// The candidate nearest to `wrong` by edit distance (Levenshtein, counting an adjacent swap as
/// one edit), if it is near enough to be a likely typo.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(wrong, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// A deserialiser's complaint in planners' words: serde names Rust types (`expected f64`,
/// `expected struct OneMainChain`, `unit value`); this says "a number", "a mapping", "nothing".
/// A message that is not a type or value mismatch is returned as it is.
pub fn plain_words(message: &str) -> String {
    let (body, note) = match message.find(" (") {
        Some(i) if message.ends_with(')') => (&message[..i], &message[i..]),
        _ => (message, ""),
    };
    let Some(rest) = body
        .strip_prefix("invalid type: ")
        .or_else(|| body.strip_prefix("invalid value: "))
        .or_else(|| body.strip_prefix("invalid length "))
    else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.rsplit_once(", expected ") else {
        return message.to_string();
    };
    format!(
        "expected {}, found {}{note}",
        expected_words(expected),
        found_words(found)
    )
}

/// What serde expected, in planners' words.
fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    match e {
        "f64" | "f32" | "a number" => "a number".into(),
        // The range the type holds: a number outside it may well be whole (`1e20`), only too
        // large, so "a whole number" alone would mislead. Fields with a narrower range say theirs
        // (`whole_number` in the format).
        "u8" => format!("a whole number from 0 to {}", u8::MAX),
        "u16" => format!("a whole number from 0 to {}", u16::MAX),
        "u32" => format!("a whole number from 0 to {}", u32::MAX),
        "usize" | "u64" => format!("a whole number from 0 to {}", u64::MAX),
        "u128" => format!("a whole number from 0 to {}", u128::MAX),
        "i8" => format!("a whole number from {} to {}", i8::MIN, i8::MAX),
        "i16" => format!("a whole number from {} to {}", i16::MIN, i16::MAX),
        "i32" => format!("a whole number from {} to {}", i32::MIN, i32::MAX),
        "isize" | "i64" => format!("a whole number from {} to {}", i64::MIN, i64::MAX),
        "i128" => format!("a whole number from {} to {}", i128::MIN, i128::MAX),
        "a string" | "a borrowed string" | "a char" => "text".into(),
        "a boolean" | "bool" => "`true` or `false`".into(),
        "a sequence" | "a list" => "a list".into(),
        "a map" => "a mapping".into(),
        _ if e.starts_with("struct ") || e.starts_with("a map") => "a mapping".into(),
        _ if e.starts_with("enum ") || e.contains("Value::Tagged") => {
            "one of the allowed words".into()
        }
        _ if e.starts_with("a sequence") || e.starts_with("a tuple") => "a list".into(),
        _ => e.to_string(),
    }
}

/// What serde found instead, in planners' words.
fn found_words(found: &str) -> String {
    let f = found.trim();
    let quoted = |prefix: &str| {
        f.strip_prefix(prefix)
            .map(|r| r.trim_matches('`').to_string())
    };
    if let Some(n) = quoted("floating point ").or_else(|| quoted("integer ")) {
        return match n.parse::<f64>() {
            Ok(x) => crate::util::numbers::fmt_exact(x),
            Err(_) => n,
        };
    }
    if let Some(b) = quoted("boolean ") {
        return format!("`{b}`");
    }
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text {s}");
    }
    match f {
        "unit value" | "null" => "nothing (an empty value or `~`)".into(),
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "Option value" => "an optional value".into(),
        "newtype struct" | "unit variant" | "newtype variant" | "tuple variant"
        | "struct variant" | "enum" => "a tagged value".into(),
        _ => f.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_quoted_around_the_column_only() {
        let line = format!("{}x: 1{}", "a".repeat(100_000), "b".repeat(100_000));
        let (text, caret) = excerpt(&line, 100_001);
        assert!(text.chars().count() <= EXCERPT + 2, "{}", text.len());
        assert_eq!(text.chars().nth(caret), Some('x'), "{text}");
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(excerpt("a: 1", 4), ("a: 1".to_string(), 3));
        let (text, caret) = excerpt("a\0b", 3);
        assert_eq!(text, "a\\u{0}b");
        assert_eq!(text.chars().nth(caret), Some('b'));
    }

    #[test]
    fn serde_type_names_become_planners_words() {
        assert_eq!(
            plain_words("invalid type: string \"lots\", expected f64"),
            "expected a number, found the text \"lots\""
        );
        assert_eq!(
            plain_words("invalid type: integer `3`, expected struct OneMainChain"),
            "expected a mapping, found 3"
        );
        assert_eq!(
            plain_words(
                "invalid type: floating point `100000000000000000000000.0`, expected usize (a note)"
            ),
            "expected a whole number from 0 to 18446744073709551615, found 1e23 (a note)"
        );
        assert_eq!(
            plain_words("invalid type: unit value, expected a string"),
            "expected text, found nothing (an empty value or `~`)"
        );
        assert_eq!(plain_words("unknown field `x`"), "unknown field `x`");
    }

    #[test]
    fn suggests_near_names_only() {
        let names = ["fly_ash", "gangue", "carbide_slag"];
        assert_eq!(did_you_mean("fly_sah", names), Some("fly_ash"));
        assert_eq!(did_you_mean("gangeu", names), Some("gangue"));
        assert_eq!(did_you_mean("water", names), None);
    }

    #[test]
    fn renders_location_and_caret() {
        let diags = Diagnostics {
            file: "p.yaml".into(),
            source: "a:\n  b: 1\n".into(),
            items: vec![Diagnostic {
                message: "bad".into(),
                path: Some("a.b".into()),
                location: Some(Location { line: 2, column: 3 }),
                cell: None,
                help: Some("fix it".into()),
            }],
        };
        let text = diags.to_string();
        assert!(text.contains("p.yaml:2:3 (at a.b)"), "{text}");
        assert!(text.contains("2 |   b: 1"), "{text}");
        assert!(text.contains("  |   ^"), "{text}");
        assert!(text.contains("help: fix it"), "{text}");
    }
}
