//! `parkplan cli-reference` (hidden): every command and option as Markdown, for the book's
//! reference page (`docs/src/reference/cli.md`). The page is rendered from the same clap
//! definition that parses the command line, and a test compares it with the committed file, so
//! the reference cannot drift from the program.

use std::fmt::Write as _;

use clap::{Arg, Command, CommandFactory};

use super::{Args, CliError, print};
use crate::cli::exit::Exit;

pub(super) fn run() -> Result<Exit, CliError> {
    print(&markdown())?;
    Ok(Exit::Ok)
}

/// The whole command line as one Markdown page.
pub fn markdown() -> String {
    let mut root = Args::command();
    root.build();
    let mut out = String::new();
    out.push_str("# Command line\n\n");
    out.push_str(
        "<!-- Made by `parkplan cli-reference` from the command-line definition; do not edit. \
         After changing a command or an option, run \
         `BLESS=1 cargo test --release --locked --test it -- cli_reference` to write it anew. -->\n\n",
    );
    let _ = writeln!(out, "{}\n", sentence(text(root.get_about())));
    out.push_str("| command | what it does |\n|---|---|\n");
    let subs: Vec<&Command> = root.get_subcommands().filter(|s| shown(s)).collect();
    for s in &subs {
        let _ = writeln!(
            out,
            "| [`parkplan {0}`](#parkplan-{0}) | {1} |",
            s.get_name(),
            cell(&text(s.get_about()))
        );
    }
    out.push_str(
        "\nEvery command takes `-h` (a summary) and `--help` (this text); `parkplan --version` \
         prints the version. What each exit code means is in [Exit codes](exit-codes.md).\n",
    );
    for s in subs {
        command(&mut out, &mut s.clone());
    }
    out
}

/// Whether a subcommand belongs in the reference: not hidden, not clap's own `help`.
fn shown(c: &Command) -> bool {
    !c.is_hide_set() && c.get_name() != "help"
}

fn text(s: Option<&clap::builder::StyledStr>) -> String {
    s.map(|s| s.to_string().trim().to_string())
        .unwrap_or_default()
}

/// `s` ending as a sentence: clap drops the full stop of a one-line help.
fn sentence(s: String) -> String {
    match s.chars().last() {
        Some('.' | '!' | '?' | ':') | None => s,
        Some(_) => s + ".",
    }
}

/// Text fit for one table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// One command's section: what it does, its usage, its arguments and options.
fn command(out: &mut String, c: &mut Command) {
    let _ = writeln!(out, "\n## `parkplan {}`\n", c.get_name());
    let about = sentence(text(c.get_long_about().or(c.get_about())));
    let _ = writeln!(out, "{about}\n");
    let usage = c.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let _ = writeln!(out, "```text\n{usage}\n```");
    let args: Vec<&Arg> = c
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !["help", "version"].contains(&a.get_id().as_str()))
        .collect();
    let (positional, options): (Vec<&Arg>, Vec<&Arg>) =
        args.into_iter().partition(|a| a.is_positional());
    for (title, list) in [("Arguments", positional), ("Options", options)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:\n");
        for a in list {
            arg(out, a);
        }
    }
}

/// One argument or option as a list item: its spelling, its help, its default and its values.
fn arg(out: &mut String, a: &Arg) {
    let takes_values = a.get_action().takes_values();
    let names: Vec<String> = a
        .get_value_names()
        .map(|v| v.iter().map(|n| format!("<{n}>")).collect())
        .unwrap_or_else(|| vec![format!("<{}>", a.get_id().as_str().to_uppercase())]);
    let value = names.join(" ");
    let spelling = if a.is_positional() {
        let many = if matches!(a.get_num_args(), Some(r) if r.max_values() > 1) {
            "..."
        } else {
            ""
        };
        if a.is_required_set() {
            format!("{value}{many}")
        } else {
            format!(
                "[{}]{many}",
                value.trim_start_matches('<').trim_end_matches('>')
            )
        }
    } else {
        let mut s = String::new();
        if let Some(short) = a.get_short() {
            let _ = write!(s, "-{short}, ");
        }
        if let Some(long) = a.get_long() {
            let _ = write!(s, "--{long}");
        }
        if takes_values {
            let _ = write!(s, " {value}");
        }
        s
    };
    let help = sentence(text(a.get_long_help().or(a.get_help())));
    let _ = write!(out, "- `{spelling}`: {}", help.replace('\n', "\n  "));
    if takes_values {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|d| format!("`{}`", d.to_string_lossy()))
            .collect();
        if !defaults.is_empty() {
            let _ = write!(out, " Default: {}.", defaults.join(", "));
        }
        let values: Vec<_> = a
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect();
        if !values.is_empty() {
            if values.iter().any(|v| v.get_help().is_some()) {
                out.push_str(" Values:");
                for v in values {
                    let _ = write!(
                        out,
                        "\n  - `{}`: {}",
                        v.get_name(),
                        sentence(text(v.get_help()))
                    );
                }
            } else {
                let names: Vec<String> = values
                    .iter()
                    .map(|v| format!("`{}`", v.get_name()))
                    .collect();
                let _ = write!(out, " One of {}.", names.join(", "));
            }
        }
    }
    out.push('\n');
}
