//! Reading problem files: YAML text → document tree → [`Problem`], with positions.
//!
//! The text is parsed by serde-saphyr (see docs/yaml-crate.md for why) twice: once into the
//! document that scenarios edit and that is deserialised into [`Problem`], under a budget that
//! refuses alias bombs and with unknown tags refused, and once as a stream of spanned events to
//! build a [`Positions`] index from YAML paths to lines and columns. That index is what lets a
//! semantic error found long after parsing ("unknown material `fly_sah` in
//! chains.coal_power.materials") still point at `file:line:column`. Every YAML call of the crate's
//! reading side is in this module.
//!
//! It passes 600 lines because the position index (with the alias count that refuses a bomb
//! before the parser replays it) is a private detail of the reading that turns its positions
//! into diagnostics: one module keeps that index out of the crate's interface.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_saphyr::granit_parser::{Event, Parser, Span, SpannedEventReceiver};

use super::diagnostic::{Diagnostic, Diagnostics, Location};
use super::format::Problem;

/// Lines and columns of every key and sequence item of a YAML document, by dotted path.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    map: HashMap<String, Location>,
    /// For a problem read from tables: the cell (`parks!C7`) of every path instead.
    cells: HashMap<String, String>,
}

impl Positions {
    /// Indexes `text`; a text that does not scan yields an empty index (the syntax error is
    /// reported by the main parse).
    pub fn index(text: &str) -> Self {
        Positions::index_metered(text).0
    }

    /// Indexes `text` as [`Positions::index`] does, and tells where the nodes its aliases stand
    /// for first pass [`MOST_ALIASED_NODES`], and how many they were there: an alias bomb,
    /// found by counting, without expanding one alias.
    fn index_metered(text: &str) -> (Self, Option<(Location, u64)>) {
        let mut builder = PositionBuilder::default();
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        let positions = Positions {
            map: builder.map,
            cells: HashMap::new(),
        };
        (positions, builder.aliases.over)
    }

    /// The index of a problem read from tables: the cell of every path.
    pub fn of_cells(cells: HashMap<String, String>) -> Self {
        Positions {
            map: HashMap::new(),
            cells,
        }
    }

    /// The cell of `path`, or of its nearest ancestor, in a problem read from tables.
    pub fn cell(&self, path: &str) -> Option<&str> {
        let mut p = path;
        loop {
            if let Some(cell) = self.cells.get(p) {
                return Some(cell);
            }
            p = &p[..p.rfind('.')?];
        }
    }

    /// The innermost key or item on the line of `at` that starts at or before it: the path a
    /// syntax error at `at` sits under.
    fn key_on_line(&self, at: Location) -> Option<(String, Location)> {
        self.map
            .iter()
            .filter(|(_, l)| l.line == at.line && l.column <= at.column)
            .max_by_key(|(_, l)| l.column)
            .map(|(p, l)| (p.clone(), *l))
    }

    /// The location of `path`, or of its nearest indexed ancestor.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let mut p = path;
        loop {
            if let Some(loc) = self.map.get(p) {
                return Some(*loc);
            }
            p = &p[..p.rfind('.')?];
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct PositionBuilder {
    stack: Vec<Frame>,
    map: HashMap<String, Location>,
    aliases: AliasMeter,
}

/// The most nodes a document may reach through its aliases: serde-saphyr's own budget on the
/// nodes of a document, aliases followed (`Budget::max_nodes`), so that nothing it would read is
/// refused. It refuses an alias bomb only after replaying that many nodes, which takes a quarter
/// of a second, and thirty under a sanitizer; counting first refuses it after one pass over the
/// text.
pub const MOST_ALIASED_NODES: u64 = 250_000;

/// Counts the nodes each anchored node holds (its own, and those of the aliases within it) as
/// the events go by, and so the nodes every alias stands for, without expanding any.
#[derive(Default)]
struct AliasMeter {
    /// Nodes held by each anchor, by the parser's anchor id.
    sizes: HashMap<usize, u64>,
    /// Open collections: their anchor id (0 for none) and the nodes they hold so far.
    open: Vec<(usize, u64)>,
    /// Nodes reached through aliases so far.
    through: u64,
    /// Where `through` first passed [`MOST_ALIASED_NODES`], and its count there.
    over: Option<(Location, u64)>,
}

impl AliasMeter {
    /// `n` more nodes in the innermost open collection.
    fn add(&mut self, n: u64) {
        if let Some((_, count)) = self.open.last_mut() {
            *count = count.saturating_add(n);
        }
    }

    fn on_event(&mut self, ev: &Event<'_>, mark: Span) {
        match *ev {
            Event::Scalar(_, _, anchor, _) => {
                self.add(1);
                if anchor != 0 {
                    self.sizes.insert(anchor, 1);
                }
            }
            Event::Alias(anchor) => {
                let n = self.sizes.get(&anchor).copied().unwrap_or(1);
                self.add(n);
                self.through = self.through.saturating_add(n);
                if self.through > MOST_ALIASED_NODES && self.over.is_none() {
                    self.over = Some((location(mark), self.through));
                }
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                self.open.push((anchor, 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, n)) = self.open.pop() {
                    if anchor != 0 {
                        self.sizes.insert(anchor, n);
                    }
                    self.add(n);
                }
            }
            _ => {}
        }
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn location(span: Span) -> Location {
    Location {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

impl PositionBuilder {
    /// Called at the start of a node: returns the node's path if it is a value (not a key).
    fn node_path(&mut self, scalar_key: Option<&str>, mark: Span) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    let k = scalar_key.unwrap_or("?").to_string();
                    let full = join(path, &k);
                    self.map.entry(full).or_insert(location(mark));
                    *key = Some(k);
                    None
                }
                Some(k) => Some(join(path, &k)),
            },
            Some(Frame::Seq { path, index }) => {
                let full = join(path, &index.to_string());
                *index += 1;
                self.map.entry(full.clone()).or_insert(location(mark));
                Some(full)
            }
        }
    }
}

impl<'i> SpannedEventReceiver<'i> for PositionBuilder {
    fn on_event(&mut self, ev: Event<'i>, mark: Span) {
        self.aliases.on_event(&ev, mark);
        match ev {
            Event::Scalar(ref s, ..) => {
                self.node_path(Some(s), mark);
            }
            Event::Alias(_) => {
                self.node_path(None, mark);
            }
            Event::MappingStart(..) => {
                let path = self.node_path(None, mark).unwrap_or_default();
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.node_path(None, mark).unwrap_or_default();
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

/// A problem file as read from disk: its text, its document tree and the positions index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The text.
    pub text: String,
    /// The document, before any scenario is applied.
    pub document: serde_yaml::Value,
    /// Lines and columns by YAML path.
    pub positions: Positions,
}

impl SourceFile {
    /// Reads and parses a problem file. Syntax errors carry line and column. A workbook or a
    /// folder of CSV files (see [`crate::problem::workbook`]) is read as tables into the same
    /// document, its positions cells.
    pub fn read(path: &Path) -> Result<Self, Diagnostics> {
        if let Some(kind) = super::workbook::kind_of(path) {
            return super::workbook::source(path, kind);
        }
        let text = crate::util::input::read_text(path).map_err(|e| Diagnostics {
            file: path.to_path_buf(),
            source: String::new(),
            items: vec![unreadable("problem", &e)],
        })?;
        Self::parse(path, text)
    }

    /// Parses a problem file's text.
    pub fn parse(path: &Path, text: String) -> Result<Self, Diagnostics> {
        let fail = |items: Vec<Diagnostic>, text: &str| Diagnostics {
            file: path.to_path_buf(),
            source: text.to_string(),
            items,
        };
        // The index first: its one pass over the events also counts what the aliases stand
        // for, so an alias bomb is refused before the parser replays a quarter of a million
        // nodes to find it.
        let (positions, bomb) = Positions::index_metered(&text);
        if let Some((at, nodes)) = bomb {
            let mut d = Diagnostic::file(format!(
                "the file is too large or expands too far when its aliases are followed (its aliases stand for {nodes} nodes by here, more than the {MOST_ALIASED_NODES} parkplan reads)"
            ))
            .help("write the values out instead of repeating aliases of aliases");
            d.location = Some(at);
            d.path = positions.key_on_line(at).map(|(path, _)| path);
            return Err(fail(vec![d], &text));
        }
        let document: serde_yaml::Value = match parse_document(&text) {
            Ok(v) => v,
            Err(d) => return Err(fail(vec![d], &text)),
        };
        if document.is_null() {
            return Err(fail(
                vec![Diagnostic::file("the problem file is empty").help(
                    "a problem needs at least `parks:` and `chains:`; see the format in docs/MODEL.md",
                )],
                &text,
            ));
        }
        if !document.is_mapping() {
            return Err(fail(
                vec![
                    Diagnostic::file("the problem file must be a YAML mapping at the top level")
                        .help("start with keys such as `name:`, `parks:`, `chains:`"),
                ],
                &text,
            ));
        }
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
            document,
            positions,
        })
    }

    /// Wraps diagnostics found in this file, filling in locations from their paths.
    pub fn diagnostics(&self, mut items: Vec<Diagnostic>) -> Diagnostics {
        for d in &mut items {
            if d.location.is_none()
                && d.cell.is_none()
                && let Some(path) = d.path.clone()
            {
                self.place(d, &path);
            }
        }
        Diagnostics {
            file: self.path.clone(),
            source: self.text.clone(),
            items,
        }
    }

    /// Points `d` at where `path` is written: its line and column, or its cell.
    pub fn place(&self, d: &mut Diagnostic, path: &str) {
        if let Some(loc) = self.positions.locate(path) {
            d.location = Some(loc);
        } else if let Some(cell) = self.positions.cell(path) {
            d.cell = Some(cell.to_string());
        }
    }

    /// Whether the problem was read from tables (a workbook or a CSV folder), not YAML.
    pub fn is_tables(&self) -> bool {
        !self.positions.cells.is_empty()
    }

    /// Deserialises a document (the base, or a variant of it) into a [`Problem`].
    pub fn problem_from(&self, document: serde_yaml::Value) -> Result<Problem, Diagnostics> {
        from_document(document).map_err(|d| self.diagnostics(vec![d]))
    }
}

/// Why a file (a problem, a plan) cannot be read, with how to mend it; a byte that is not UTF-8
/// is located at its line and column.
pub fn unreadable(what: &str, e: &crate::util::input::ReadError) -> Diagnostic {
    use crate::util::input::ReadError;
    let d = Diagnostic::file(format!("cannot read the {what} file: {e}"));
    match e {
        ReadError::NotUtf8 { line, column } => {
            let mut d = d.help("save the file as UTF-8 text (not UTF-16 or Latin-1)");
            d.location = Some(Location {
                line: *line,
                column: *column,
            });
            d
        }
        ReadError::TooLarge => d.help(format!(
            "a {what} file is text of a few kilobytes: check that this is the file you meant"
        )),
        ReadError::Folder if what == "problem" => d.help(format!(
            "give the path of a problem file (YAML or a workbook), or of a folder of CSV files holding {}",
            super::workbook::CSV_MARKER
        )),
        ReadError::Folder | ReadError::NotAFile(_) => {
            d.help(format!("give the path of a {what} file (YAML)"))
        }
        ReadError::Io(_) => d.help("check the path and that the file is readable"),
    }
}

/// The options every problem file is read with: YAML 1.2 booleans only (`n` and `yes` stay strings:
/// a zone may be called `n`), unknown tags refused rather than silently dropped, and the parser's
/// default budget on nodes, aliases and nesting, which refuses alias bombs at once.
fn read_options() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true, reject_unsupported_tags: true }
}

/// Parses the text into the document, or a diagnostic at the place the syntax breaks.
fn parse_document(text: &str) -> Result<serde_yaml::Value, Diagnostic> {
    serde_saphyr::from_str_with_options(text, read_options()).map_err(|e| {
        let plain = e.without_snippet();
        let (message, help) = yaml_message(plain);
        let mut d = Diagnostic::file(message);
        d.location = plain.location().map(|l| Location {
            line: l.line() as usize,
            column: l.column() as usize,
        });
        // Name the key the error sits under, as every later error does. A value the parser
        // refuses (`.nan`, a tag) is pointed at by its key, like every error about a value; a
        // break in the syntax or a duplicate key keeps the exact spot.
        if let Some(at) = d.location
            && let Some((path, key)) = Positions::index(text).key_on_line(at)
        {
            d.path = Some(path);
            let about_a_value = d.message.contains("finite") || d.message.contains("tag");
            if about_a_value {
                d.location = Some(key);
            }
        }
        d.help(help)
    })
}

/// The parser's complaint in planners' words, with how to mend it (the position is shown apart).
fn yaml_message(e: &serde_saphyr::Error) -> (String, &'static str) {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    let first = first.split(" at line ").next().unwrap_or(first);
    if let Some(key) = first.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return (
            format!("the key `{key}` appears twice in one mapping"),
            "keep one of them: YAML keeps no duplicate keys, and guessing which one was meant is unsafe",
        );
    }
    if first.starts_with("budget breached") {
        return (
            format!(
                "the file is too large or expands too far when its aliases are followed ({first})"
            ),
            "write the values out instead of repeating aliases of aliases",
        );
    }
    if let Some(rest) = first.strip_prefix("non-finite float ") {
        let value = rest.split_whitespace().next().unwrap_or(rest);
        return (
            format!("{value} is not a finite number"),
            "give a finite number: amounts, capacities and coefficients cannot be infinite or NaN",
        );
    }
    if first.contains("`\\u{0}'") {
        return (
            "the file holds a NUL byte, which YAML text cannot".into(),
            "this is not a text file, or it was saved as UTF-16: save it as UTF-8 text",
        );
    }
    if first.starts_with("recursion limit exceeded") {
        return (
            "lists or mappings are nested too deeply here".into(),
            "a problem file nests a few levels only: check for brackets `[` or `{` that are never closed",
        );
    }
    if first.starts_with("unsupported tag") {
        return (
            format!("not valid YAML here: {first}"),
            "problem files are plain YAML: remove the `!tag` before the value",
        );
    }
    (
        format!("not valid YAML: {first}"),
        "check indentation, colons and quotes around this spot",
    )
}

/// Deserialises a YAML value into `T`, turning a failure into a diagnostic with the YAML path.
pub fn from_document<T: DeserializeOwned>(document: serde_yaml::Value) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(document).map_err(|e| {
        let mut path = e.path().to_string();
        if path == "." {
            path.clear();
        }
        let raw = strip_location(e.inner());
        let message = super::diagnostic::plain_words(&raw);
        let mut diag = Diagnostic {
            message: message.clone(),
            path: None,
            location: None,
            cell: None,
            help: None,
        };
        if let Some(field) = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        {
            let expected = message
                .split_once("expected ")
                .map(|(_, names)| names.replace("one of ", ""))
                .unwrap_or_default();
            let names: Vec<&str> = expected
                .split(", ")
                .map(|n| n.trim_matches(|c| c == '`' || c == ' '))
                .filter(|n| !n.is_empty())
                .collect();
            diag.message = format!("unknown field `{field}`");
            diag = match super::diagnostic::did_you_mean(field, names.iter().copied()) {
                Some(near) => diag.help(format!("did you mean `{near}`?")),
                None => diag.help(format!("the fields allowed here are: {}", names.join(", "))),
            };
            if !path.ends_with(field) {
                path = join(&path, field);
            }
        } else if path.ends_with('?') && diag.message.starts_with("expected text, found") {
            // A key that YAML reads as a number or `true`: names are text.
            diag = diag.help(
                "names are text: put a name that YAML reads as a number in quotes, e.g. `\"2030\":`",
            );
        } else if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            let at_a_chain = path.starts_with("chains.") && !path["chains.".len()..].contains('.');
            diag.message = format!("missing field `{field}`");
            diag = if at_a_chain && field == "output" {
                diag.help(
                    "give the chain's output value per unit of activity, e.g. `output: 1.2` (`output: 0` for a chain that yields no value of its own)",
                )
            } else {
                diag.help(format!("add `{field}:` here"))
            };
        } else if raw.starts_with("invalid type") || raw.starts_with("invalid value") {
            diag = diag.help("give a value of the kind expected here");
        }
        if !path.is_empty() {
            diag.path = Some(path);
        }
        diag
    })
}

fn strip_location(e: &impl std::fmt::Display) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of anchors, each a list of nine aliases of the one before: `levels` deep, the
    /// last stands for about 9^levels nodes.
    fn bomb(levels: usize) -> String {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..levels {
            let item = format!("*a{}", i - 1);
            text += &format!("a{i}: &a{i} [{}]\n", vec![item; 9].join(", "));
        }
        text
    }

    /// The nodes behind each alias are counted, not expanded: an alias bomb is found in one
    /// pass at the alias where the count passes the budget, with the count there (the nodes of
    /// each level: 10, 91, 820, 7381, 66430; the third alias of the sixth level passes 250,000).
    #[test]
    fn aliases_are_counted_without_expanding_them() {
        let (_, over) = Positions::index_metered(&bomb(6));
        let (at, nodes) = over.expect("the bomb is found");
        assert_eq!(
            at,
            Location {
                line: 6,
                column: 20
            }
        );
        let through_levels_1_to_5 = 9 * (10 + 91 + 820 + 7381);
        assert_eq!(nodes, through_levels_1_to_5 + 3 * 66430);
        // Thirty levels stand for 9^30 nodes: counted all the same, saturating, at once.
        assert!(Positions::index_metered(&bomb(30)).1.is_some());
        // Five levels (66,430 nodes in all) are read, and so is a file sharing a block by an
        // alias or two.
        assert!(Positions::index_metered(&bomb(5)).1.is_none());
        let shared = "base: &b { land: 1, water: 2 }\nparks:\n  a: { capacity: *b }\n  c: { capacity: *b }\n";
        assert!(Positions::index_metered(shared).1.is_none());
        let e = SourceFile::parse(Path::new("x.yaml"), bomb(30)).unwrap_err();
        assert!(
            e.items[0].message.contains("its aliases stand for "),
            "{}",
            e.items[0].message
        );
        assert_eq!(e.items[0].path.as_deref(), Some("a5.2"));
    }

    #[test]
    fn positions_point_at_keys_and_items() {
        let text = "parks:\n  a:\n    zone: n\n    allowed: [x, y]\nchains: {c: {output: 1}}\n";
        let p = Positions::index(text);
        assert_eq!(p.locate("parks.a"), Some(Location { line: 2, column: 3 }));
        assert_eq!(
            p.locate("parks.a.zone"),
            Some(Location { line: 3, column: 5 })
        );
        assert_eq!(
            p.locate("parks.a.allowed.1"),
            Some(Location {
                line: 4,
                column: 18
            })
        );
        assert_eq!(
            p.locate("chains.c.output"),
            Some(Location {
                line: 5,
                column: 14
            })
        );
        // unknown descendants fall back to the nearest ancestor
        assert_eq!(
            p.locate("parks.a.zone.x"),
            Some(Location { line: 3, column: 5 })
        );
    }

    #[test]
    fn unknown_field_names_its_line_and_a_near_name() {
        let text = "chains:\n  c:\n    outptu: 1\n".to_string();
        let src = SourceFile::parse(Path::new("t.yaml"), text).unwrap();
        let err = src.problem_from(src.document.clone()).unwrap_err();
        let d = &err.items[0];
        assert_eq!(d.message, "unknown field `outptu`");
        assert_eq!(d.path.as_deref(), Some("chains.c.outptu"));
        assert_eq!(d.location, Some(Location { line: 3, column: 5 }));
        assert_eq!(d.help.as_deref(), Some("did you mean `output`?"));
    }

    #[test]
    fn syntax_error_has_location_and_empty_file_is_named() {
        let err = SourceFile::parse(Path::new("t.yaml"), "a: [1, 2\n".into()).unwrap_err();
        assert!(err.items[0].location.is_some());
        let err = SourceFile::parse(Path::new("t.yaml"), "# only a comment\n".into()).unwrap_err();
        assert_eq!(err.items[0].message, "the problem file is empty");
    }
}
