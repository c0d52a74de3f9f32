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
            help: None,
        }
    }

    /// A diagnostic about the whole file.
    pub fn file(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            path: None,
            location: None,
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
        let lines: Vec<&str> = self.source.lines().collect();
        for (i, d) in self.items.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", d.message)?;
            let file = self.file.display();
            match (d.location, &d.path) {
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
                writeln!(f, "{pad} |")?;
                writeln!(f, "{n} | {text}")?;
                writeln!(f, "{pad} | {}^", " ".repeat(loc.column.saturating_sub(1)))?;
            }
            if let Some(help) = &d.help {
                writeln!(f, "  = help: {help}")?;
            }
        }
        if self.items.len() > 1 {
            write!(
                f,
                "\n{} errors in {}",
                self.items.len(),
                self.file.display()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

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

#[cfg(test)]
mod tests {
    use super::*;

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
