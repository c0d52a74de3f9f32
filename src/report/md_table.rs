//! Markdown pipe tables, as GitHub and the CommonMark table extension read them: a header row,
//! an alignment row, then one row per line. Every cell is escaped, so a `|` or a line break in a
//! name cannot break the table.

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    /// Text: left-aligned (`---`).
    Left,
    /// Numbers: right-aligned (`---:`).
    Right,
}

/// A Markdown table, written row by row.
#[derive(Debug)]
pub(super) struct Table {
    text: String,
    columns: usize,
}

impl Table {
    /// A table with these column headers and alignments, one of each per column.
    pub(super) fn new<S: AsRef<str>>(
        header: impl IntoIterator<Item = S>,
        align: impl IntoIterator<Item = Align>,
    ) -> Table {
        let header: Vec<S> = header.into_iter().collect();
        let mut t = Table {
            text: String::new(),
            columns: header.len(),
        };
        t.row(header);
        t.text.push('|');
        let mut aligned = 0;
        for a in align {
            t.text.push_str(match a {
                Align::Left => "---|",
                Align::Right => "---:|",
            });
            aligned += 1;
        }
        t.text.push('\n');
        debug_assert_eq!(aligned, t.columns, "one alignment per column");
        t
    }

    /// Adds a row; each cell is escaped with [`cell`].
    pub(super) fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.text.push('|');
        let mut n = 0;
        for c in cells {
            self.text.push(' ');
            self.text.push_str(&cell(c.as_ref()));
            self.text.push_str(" |");
            n += 1;
        }
        self.text.push('\n');
        debug_assert_eq!(n, self.columns, "one cell per column");
    }

    /// The table's text, every line ending in a newline.
    pub(super) fn finish(self) -> String {
        self.text
    }
}

/// Text for a table cell: `|` escaped as `\|`, a line break as `<br>`.
pub(super) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '|' => out.push_str("\\|"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_header_alignment_and_rows() {
        let mut t = Table::new(["", "a b", "n"], [Align::Left, Align::Left, Align::Right]);
        t.row(["x", "", "1.000"]);
        t.row(vec!["y".to_string(), "z".into(), "2".into()]);
        assert_eq!(
            t.finish(),
            "|  | a b | n |\n|---|---|---:|\n| x |  | 1.000 |\n| y | z | 2 |\n"
        );
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(
            cell("one\ntwo\r\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        let mut t = Table::new(["name|x"], [Align::Left]);
        t.row(["a\nb|c"]);
        assert_eq!(t.finish(), "| name\\|x |\n|---|\n| a<br>b\\|c |\n");
    }
}
