//! Every example of the README and the book runs as written, and shows what the command prints.
//!
//! The pages read are `README.md` and every `.md` below `docs/src/`. Their code blocks are read by
//! language:
//!
//! - ` ```sh `, ` ```bash `, ` ```shell `: each command line runs under `sh` (`bash` for ` ```bash `)
//!   in a fresh temporary folder holding a copy of `problems/` and of every file or folder that an
//!   earlier command or file of the same page created and the line names, with `parkplan` on
//!   `PATH` resolved to the binary under test. It must exit with 0, or with the code its comment
//!   states (`parkplan sweep … # exits 8`). A block whose first line is `#!` is a script and runs
//!   whole, under its interpreter.
//! - ` ```console `: a terminal session. Each line that starts with `$ ` is a command, run as
//!   above; the lines after it, up to the next `$ ` line or the end of the block, are what it
//!   prints on standard output, compared line by line (trailing spaces and trailing blank lines
//!   aside). A command followed by no lines shows no output and only its exit code is checked;
//!   to show standard error, end the command with `2>&1`. A ` ```text ` block that starts with
//!   `$ ` is refused: it would look like a checked example and not be one.
//! - ` ```yaml `: a complete problem file. It must pass `parkplan validate`, and when it states a
//!   known optimum (`expected:`), `parkplan check` (solved, compared, the plan verified).
//! - ` ```json `: must parse (a block that is an mdBook `{{#include …}}` is the included file's
//!   business).
//!
//! A block that is not run as above carries a marker on the line right before it:
//!
//! - `<!-- readme-test: skip (REASON) -->` (shell blocks): not run, for the reason given;
//! - `<!-- readme-test: env NAME=VALUE … -->` (shell blocks): run with these variables set (a job
//!   script's environment);
//! - `<!-- readme-test: file NAME -->` (YAML blocks): the block is the file NAME of the page's
//!   folder, which the page's later commands read (a plan edited by hand, a step of the
//!   tutorial); it must parse as YAML;
//! - `<!-- readme-test: fragment (WHAT) -->` (YAML blocks): a part of a file, or a file of another
//!   program; it must parse as YAML.
//!
//! An unmarked block that calls anything but `parkplan` and a few plain tools fails the test, so
//! an example that installs software or runs the test suite is never run by accident, and never
//! left out silently either. The convention is described for writers in
//! `docs/src/contributing.md`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::common::path;

/// The programs a block may call without a marker.
/// `grep` and `sed` show or edit what a command wrote (a field of a plan, a hand-edited cell), as a
/// reader would at a prompt.
const TOOLS: &[&str] = &["parkplan", "[", "seq", "parallel", "grep", "sed"];
/// Tools of [`TOOLS`] a machine may lack: a block calling one that is missing is skipped with a
/// note, as the tests skip CBC or ajv.
const OPTIONAL: &[&str] = &["parallel"];

/// What the line before a block asks of the test.
#[derive(Debug, PartialEq)]
pub(super) enum Marker {
    Skip(String),
    Env(Vec<(String, String)>),
    File(String),
    Fragment(String),
}

/// One example: where it starts, its marker and what it holds.
#[derive(Debug)]
pub(super) struct Block {
    pub line: usize,
    pub marker: Option<Marker>,
    pub body: Body,
}

/// What a block holds, by its language.
#[derive(Debug)]
pub(super) enum Body {
    Shell(Vec<Step>),
    Yaml(String),
    Json(String),
}

/// One command line (or a whole script), the exit code it must end with and, in a ` ```console `
/// block, what it must print.
#[derive(Debug, PartialEq)]
pub(super) struct Step {
    pub line: usize,
    pub text: String,
    pub shell: String,
    pub status: i32,
    pub output: Option<String>,
}

/// The examples of the page `file` (its path, for messages), or every mistake in their markers.
pub(super) fn blocks(file: &str, page: &str) -> Result<Vec<Block>, Vec<String>> {
    let lines: Vec<&str> = page.lines().collect();
    let mut errors = Vec::new();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let marker = if trimmed.starts_with("<!-- readme-test") {
            match parse_marker(trimmed) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(format!("{file}:{}: {e}", i + 1));
                    None
                }
            }
        } else {
            None
        };
        let fence = if marker.is_some() { i + 1 } else { i };
        let Some(lang) = lines
            .get(fence)
            .and_then(|l| l.trim_start().strip_prefix("```"))
        else {
            if marker.is_some() {
                errors.push(format!(
                    "{file}:{}: a readme-test marker must stand right before a code block",
                    i + 1
                ));
            }
            i += 1;
            continue;
        };
        let indent = lines[fence].len() - lines[fence].trim_start().len();
        let Some(len) = lines[fence + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with("```"))
        else {
            errors.push(format!("{file}:{}: a code block is not closed", fence + 1));
            break;
        };
        let body: Vec<&str> = lines[fence + 1..fence + 1 + len]
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
            .collect();
        let lang = lang.trim();
        let shell = ["sh", "bash", "console", "shell"].contains(&lang);
        let yaml = ["yaml", "yml"].contains(&lang);
        let fits = match &marker {
            None => true,
            Some(Marker::Skip(_) | Marker::Env(_)) => shell,
            Some(Marker::File(_) | Marker::Fragment(_)) => yaml,
        };
        if !fits {
            errors.push(format!(
                "{file}:{}: this readme-test marker does not apply to a ```{lang} block: \
                 `skip` and `env` stand before shell blocks, `file` and `fragment` before YAML",
                i + 1
            ));
        }
        if shell {
            blocks.push(Block {
                line: fence + 1,
                body: Body::Shell(steps(lang, &body, fence + 2)),
                marker,
            });
        } else if yaml {
            blocks.push(Block {
                line: fence + 1,
                body: Body::Yaml(body.join("\n") + "\n"),
                marker,
            });
        } else if lang == "json" {
            blocks.push(Block {
                line: fence + 1,
                body: Body::Json(body.join("\n")),
                marker,
            });
        } else if lang == "text" && body.first().is_some_and(|l| l.starts_with("$ ")) {
            errors.push(format!(
                "{file}:{}: a command and its output belong in a ```console block, where the \
                 test runs the command and compares what it prints",
                fence + 1
            ));
        }
        i = fence + len + 2;
    }
    for b in &blocks {
        let Body::Shell(steps) = &b.body else {
            continue;
        };
        if matches!(b.marker, Some(Marker::Skip(_))) {
            continue;
        }
        for s in steps {
            for p in programs(&s.text) {
                if !TOOLS.contains(&p.as_str()) {
                    errors.push(format!(
                        "{file}:{}: `{p}` cannot run in a test: make the example run `parkplan` \
                         only, or mark the block with `<!-- readme-test: skip (why) -->`",
                        s.line
                    ));
                }
            }
        }
        if steps.is_empty() {
            errors.push(format!(
                "{file}:{}: a shell block without a command",
                b.line
            ));
        }
    }
    if errors.is_empty() {
        Ok(blocks)
    } else {
        Err(errors)
    }
}

/// `<!-- readme-test: skip (REASON) -->`, `… env NAME=VALUE … -->`, `… file NAME -->` or
/// `… fragment (WHAT) -->`.
fn parse_marker(line: &str) -> Result<Marker, String> {
    let inner = line
        .strip_prefix("<!-- readme-test:")
        .and_then(|r| r.strip_suffix("-->"))
        .ok_or("a marker reads `<!-- readme-test: skip (why) -->`")?
        .trim();
    let reason = |rest: &str, word: &str| {
        rest.trim()
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .ok_or(format!(
                "`{word}` needs its reason in parentheses: `{word} (installs Chromium)`"
            ))
    };
    if let Some(rest) = inner.strip_prefix("skip") {
        return reason(rest, "skip").map(Marker::Skip);
    }
    if let Some(rest) = inner.strip_prefix("fragment") {
        return reason(rest, "fragment").map(Marker::Fragment);
    }
    if let Some(name) = inner.strip_prefix("file ") {
        let name = name.trim();
        if name.is_empty() || name.contains('/') || name.contains(char::is_whitespace) {
            return Err(format!(
                "`file {name}`: a file name without folders or spaces"
            ));
        }
        return Ok(Marker::File(name.to_string()));
    }
    if let Some(vars) = inner.strip_prefix("env ") {
        let vars = vars
            .split_whitespace()
            .map(|v| {
                v.split_once('=')
                    .filter(|(k, _)| !k.is_empty())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .ok_or(format!("`{v}` is not NAME=VALUE"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Marker::Env(vars));
    }
    Err(format!(
        "unknown readme-test marker `{inner}`: `skip (why)`, `env NAME=VALUE …`, `file NAME` or \
         `fragment (what)`"
    ))
}

/// The commands of a block whose body starts on the page's line `first`.
fn steps(lang: &str, body: &[&str], first: usize) -> Vec<Step> {
    if let Some(shebang) = body.first().and_then(|l| l.strip_prefix("#!")) {
        let shell = shebang.split_whitespace().next().unwrap_or("sh");
        return vec![Step {
            line: first,
            text: body.join("\n"),
            shell: shell.to_string(),
            status: 0,
            output: None,
        }];
    }
    let shell = if lang == "bash" { "bash" } else { "sh" };
    let console = lang == "console";
    let mut steps: Vec<Step> = Vec::new();
    let mut n = 0;
    while n < body.len() {
        let start = n;
        let mut text = body[n].to_string();
        if console {
            match text.strip_prefix("$ ") {
                Some(t) => text = t.to_string(),
                None => {
                    // A line of what the command before prints.
                    if let Some(last) = steps.last_mut() {
                        let out = last.output.get_or_insert_with(String::new);
                        out.push_str(body[n]);
                        out.push('\n');
                    }
                    n += 1;
                    continue;
                }
            }
        }
        while text.ends_with('\\') && n + 1 < body.len() {
            n += 1;
            text.push('\n');
            text.push_str(body[n]);
        }
        n += 1;
        let code = text.trim();
        if code.is_empty() || code.starts_with('#') {
            continue;
        }
        steps.push(Step {
            line: first + start,
            status: stated_status(&text),
            text,
            shell: shell.to_string(),
            output: None,
        });
    }
    for s in &mut steps {
        if s.output.as_deref().is_some_and(|o| o.trim().is_empty()) {
            s.output = None;
        }
    }
    steps
}

/// The exit code a command's comment states (`# … exits 8`), else 0.
pub(super) fn stated_status(command: &str) -> i32 {
    let Some((_, comment)) = command.split_once(" #") else {
        return 0;
    };
    let words: Vec<&str> = comment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .find(|w| w[0] == "exit" || w[0] == "exits")
        .and_then(|w| w[1].parse().ok())
        .unwrap_or(0)
}

/// The programs a command calls: the first word of every part of a pipeline, list or command
/// substitution, after any `NAME=value` assignments; comments left out.
pub(super) fn programs(command: &str) -> Vec<String> {
    let code: String = command
        .lines()
        .map(|l| match l.find('#') {
            Some(0) => "",
            Some(i) if l[..i].ends_with(' ') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join(";");
    let mut code = code.replace("\\;", " ");
    for sep in ["&&", "||", "$(", "|", "`", "(", ")"] {
        code = code.replace(sep, ";");
    }
    code.split(';')
        .filter_map(|part| {
            part.split_whitespace().find(|w| {
                !w.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                })
            })
        })
        .map(|w| w.trim_matches(|c| c == '\'' || c == '"').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether `program` is on `PATH`.
fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Copies the file or folder `from` to `to`.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// A page's lines with trailing spaces and trailing blank lines left out, for comparing output.
fn normalised(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end_matches('\n').to_string()
}

/// What a page's commands have created so far, and the `PATH` that finds `parkplan`.
struct Workspace {
    file: String,
    created: TempDir,
    bin: TempDir,
}

impl Workspace {
    fn new(file: &str) -> Self {
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_parkplan"), bin.path().join("parkplan"))
            .unwrap();
        Workspace {
            file: file.to_string(),
            created: tempfile::tempdir().unwrap(),
            bin,
        }
    }

    fn path_var(&self) -> OsString {
        let mut search = vec![self.bin.path().to_path_buf()];
        search.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(search).unwrap_or_default()
    }

    /// Runs `step` in a fresh folder and keeps what it creates; says what went wrong otherwise.
    fn run(&self, step: &Step, env: &[(String, String)]) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        copy(&path("problems"), &dir.path().join("problems"));
        for e in std::fs::read_dir(self.created.path()).unwrap() {
            let e = e.unwrap();
            if step.text.contains(e.file_name().to_str().unwrap()) {
                copy(&e.path(), &dir.path().join(e.file_name()));
            }
        }
        let out = Command::new(&step.shell)
            .arg("-c")
            .arg(&step.text)
            .current_dir(dir.path())
            .env("PATH", self.path_var())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("`{}` cannot start: {e}", step.shell));
        for e in std::fs::read_dir(dir.path()).unwrap() {
            let e = e.unwrap();
            if e.file_name() != "problems" {
                let kept = self.created.path().join(e.file_name());
                if kept.is_dir() {
                    std::fs::remove_dir_all(&kept).unwrap();
                }
                copy(&e.path(), &kept);
            }
        }
        let code = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let tail = |s: &str| {
            let lines: Vec<&str> = s.lines().collect();
            lines[lines.len().saturating_sub(15)..].join("\n")
        };
        if code != step.status || stderr.contains("panicked") {
            return Err(format!(
                "{}:{}: `{}` exited with {code}, the page says {}\n--- stdout (end)\n{}\n--- stderr (end)\n{}",
                self.file,
                step.line,
                step.text,
                step.status,
                tail(&stdout),
                tail(&stderr)
            ));
        }
        if let Some(shown) = &step.output
            && normalised(shown) != normalised(&stdout)
        {
            return Err(format!(
                "{}:{}: `{}` prints something else than the page shows\n--- the page\n{}\n--- printed\n{}",
                self.file,
                step.line,
                step.text,
                normalised(shown),
                normalised(&stdout)
            ));
        }
        Ok(())
    }

    /// Writes a page's file into the folder its later commands run in.
    fn keep(&self, name: &str, text: &str) {
        std::fs::write(self.created.path().join(name), text).unwrap();
    }

    /// Checks a complete problem file: valid, and solved to its known optimum when it has one.
    fn problem(&self, line: usize, text: &str) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("example.yaml"), text).unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(text)
            .map_err(|e| format!("{}:{line}: the YAML example does not parse: {e}", self.file))?;
        let mut commands = vec!["validate"];
        if doc.get("expected").is_some() {
            commands.push("check");
        }
        for command in commands {
            let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
                .args([command, "example.yaml"])
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .output()
                .unwrap();
            if !out.status.success() {
                return Err(format!(
                    "{}:{line}: `parkplan {command}` of the YAML example exits with {:?} \
                     (a part of a file is marked `<!-- readme-test: fragment (what) -->`)\n{}{}",
                    self.file,
                    out.status.code(),
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        Ok(())
    }
}

/// What running the examples of one page found.
#[derive(Default)]
pub(super) struct Outcome {
    pub ran: usize,
    pub skipped: usize,
    pub yaml: usize,
    pub failures: Vec<String>,
}

/// Runs every example of the page `file` (its path below the repository, for messages).
pub(super) fn run_page(file: &str, page: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let blocks = match blocks(file, page) {
        Ok(b) => b,
        Err(e) => {
            outcome.failures = e;
            return outcome;
        }
    };
    let workspace = Workspace::new(file);
    for block in &blocks {
        match (&block.body, &block.marker) {
            (Body::Shell(_), Some(Marker::Skip(_))) => outcome.skipped += 1,
            (Body::Shell(steps), marker) => {
                let env = match marker {
                    Some(Marker::Env(vars)) => vars.as_slice(),
                    _ => &[],
                };
                for step in steps {
                    let missing: Vec<String> = programs(&step.text)
                        .into_iter()
                        .filter(|p| OPTIONAL.contains(&p.as_str()) && !installed(p))
                        .collect();
                    if !missing.is_empty() {
                        eprintln!(
                            "note: {file}:{}: the rest of the block is not run, {} is not installed",
                            step.line,
                            missing.join(", ")
                        );
                        break;
                    }
                    match workspace.run(step, env) {
                        Ok(()) => outcome.ran += 1,
                        Err(e) => outcome.failures.push(e),
                    }
                }
            }
            (Body::Yaml(text), marker) => {
                outcome.yaml += 1;
                let parsed = serde_yaml::from_str::<serde_yaml::Value>(text);
                match marker {
                    Some(Marker::File(name)) => match parsed {
                        Ok(_) => workspace.keep(name, text),
                        Err(e) => outcome
                            .failures
                            .push(format!("{file}:{}: {name} does not parse: {e}", block.line)),
                    },
                    Some(_) => {
                        if let Err(e) = parsed {
                            outcome.failures.push(format!(
                                "{file}:{}: the YAML fragment does not parse: {e}",
                                block.line
                            ));
                        }
                    }
                    None => {
                        if let Err(e) = workspace.problem(block.line, text) {
                            outcome.failures.push(e);
                        }
                    }
                }
            }
            (Body::Json(text), _) => {
                if !text.trim_start().starts_with("{{#include")
                    && let Err(e) = serde_json::from_str::<serde_json::Value>(text)
                {
                    outcome.failures.push(format!(
                        "{file}:{}: the JSON example does not parse: {e}",
                        block.line
                    ));
                }
            }
        }
    }
    outcome
}

/// The pages whose examples run: `README.md` and every `.md` below `docs/src/`, as paths below
/// the repository.
pub(super) fn pages() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(&path("docs/src"), &mut found);
    let root = path("");
    let mut pages: Vec<String> = found
        .iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    pages.insert(0, "README.md".into());
    pages
}

#[test]
fn every_example_runs_and_prints_what_its_page_shows() {
    let pages = pages();
    let outcomes: Vec<(String, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = pages
            .iter()
            .map(|p| {
                s.spawn(move || {
                    let text = std::fs::read_to_string(path(p)).unwrap();
                    (p.clone(), run_page(p, &text))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let failures: Vec<&String> = outcomes.iter().flat_map(|(_, o)| &o.failures).collect();
    assert!(
        failures.is_empty(),
        "{}",
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    let ran: usize = outcomes.iter().map(|(_, o)| o.ran).sum();
    let yaml: usize = outcomes.iter().map(|(_, o)| o.yaml).sum();
    let skipped: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| o.skipped > 0)
        .map(|(p, o)| format!("{p}: {}", o.skipped))
        .collect();
    let total_skipped: usize = outcomes.iter().map(|(_, o)| o.skipped).sum();
    assert!(
        ran >= 45,
        "only {ran} commands of the README and the book ran"
    );
    assert!(yaml >= 8, "only {yaml} YAML examples were checked");
    // Set-up, the whole suite, Slurm, fuzzing, screenshots, building the book, and the
    // benchmarks (criterion, the long-run script, the Python comparison, HiGHS alone), the web
    // app's server and browser, the Python package's virtual environment, and signals sent to a
    // running solve: a new skip must be one of these kinds, not an example that could run.
    assert!(
        total_skipped <= 24,
        "{total_skipped} blocks are skipped ({}): keep the markers few",
        skipped.join(", ")
    );
}

#[test]
fn an_unmarked_block_that_cannot_run_fails() {
    let errors = blocks(
        "p.md",
        "text\n\n```sh\n./x test   # parkplan\ncargo bench\n```\n",
    )
    .unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("p.md:4: `./x` cannot run"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("p.md:5: `cargo` cannot run"),
        "{errors:?}"
    );
    let hidden = "```sh\nparkplan merge out/ && jobid=$(sbatch job) | parkplan x\n```\n";
    let errors = blocks("p.md", hidden).unwrap_err();
    assert!(errors[0].contains("`sbatch` cannot run"), "{errors:?}");
    let skipped = "<!-- readme-test: skip (runs for hours) -->\n```sh\ncargo bench\n```\n";
    let blocks = blocks("p.md", skipped).unwrap();
    assert_eq!(
        blocks[0].marker,
        Some(Marker::Skip("runs for hours".into()))
    );
}

#[test]
fn a_marker_needs_a_reason_and_a_block_it_applies_to() {
    for (text, error) in [
        (
            "<!-- readme-test: skip -->\n```sh\ncargo x\n```\n",
            "needs its reason",
        ),
        (
            "<!-- readme-test: fragment -->\n```yaml\na: 1\n```\n",
            "needs its reason",
        ),
        (
            "<!-- readme-test: skip (slow) -->\n\n```sh\nx\n```\n",
            "right before",
        ),
        (
            "<!-- readme-test: skip (slow) -->\n```yaml\na: 1\n```\n",
            "does not apply to a ```yaml block",
        ),
        (
            "<!-- readme-test: file a.yaml -->\n```sh\nparkplan x\n```\n",
            "does not apply to a ```sh block",
        ),
        (
            "<!-- readme-test: file a/b.yaml -->\n```yaml\na: 1\n```\n",
            "without folders",
        ),
        (
            "<!-- readme-test: run -->\n```sh\nx\n```\n",
            "unknown readme-test marker",
        ),
        (
            "<!-- readme-test: env A -->\n```sh\nx\n```\n",
            "`A` is not NAME=VALUE",
        ),
        (
            "```text\n$ parkplan solve x.yaml\nplan\n```\n",
            "belong in a ```console block",
        ),
    ] {
        let errors = blocks("p.md", text).unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains(error)),
            "{text}: {errors:?}"
        );
    }
}

#[test]
fn commands_are_read_as_the_shell_reads_them() {
    let text = "  ```sh\n  parkplan a \\\n    --b   # exits 8\n  # a comment\n\n  parkplan c # exit 2: bad\n  ```\n";
    let b = blocks("p.md", text).unwrap();
    let Body::Shell(steps) = &b[0].body else {
        panic!("a shell block")
    };
    let got: Vec<(usize, &str, i32)> = steps
        .iter()
        .map(|s| (s.line, s.text.as_str(), s.status))
        .collect();
    assert_eq!(
        got,
        [
            (2, "parkplan a \\\n  --b   # exits 8", 8),
            (6, "parkplan c # exit 2: bad", 2)
        ]
    );
    let script = "<!-- readme-test: env T=3 -->\n```sh\n#!/bin/bash\n#X\nparkplan \"$T\" || [ $? -eq 8 ]\n```\n";
    let b = blocks("p.md", script).unwrap();
    assert_eq!(
        b[0].marker,
        Some(Marker::Env(vec![("T".into(), "3".into())]))
    );
    let Body::Shell(steps) = &b[0].body else {
        panic!("a shell block")
    };
    assert_eq!((steps.len(), steps[0].shell.as_str()), (1, "/bin/bash"));
    assert_eq!(programs(&steps[0].text), ["parkplan", "["]);
    assert_eq!(stated_status("parkplan x > exit.txt"), 0);
}

#[test]
fn a_console_block_holds_commands_and_what_they_print() {
    let console = "```console\n$ parkplan x\nout 1\n\nout 2\n\n$ parkplan y   # exits 3\n$ parkplan z\nlast\n```\n";
    let b = blocks("p.md", console).unwrap();
    let Body::Shell(steps) = &b[0].body else {
        panic!("a shell block")
    };
    let got: Vec<(&str, i32, Option<&str>)> = steps
        .iter()
        .map(|s| (s.text.as_str(), s.status, s.output.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("parkplan x", 0, Some("out 1\n\nout 2\n\n")),
            ("parkplan y   # exits 3", 3, None),
            ("parkplan z", 0, Some("last\n")),
        ]
    );
    assert_eq!(normalised("a  \nb\n\n\n"), "a\nb");
}

/// A page whose shown output differs from what the command prints fails, naming the line; so
/// does a YAML example that is not a valid problem, unless it is marked as a fragment.
#[test]
fn a_wrong_example_fails_with_its_line() {
    let page = "```console\n$ parkplan validate problems/small/allowed.yaml\nsomething else\n```\n";
    let o = run_page("p.md", page);
    assert_eq!(o.failures.len(), 1, "{:?}", o.failures);
    assert!(
        o.failures[0].starts_with("p.md:2: `parkplan validate"),
        "{:?}",
        o.failures
    );
    let page = "```yaml\nparks: {}\n```\n\n<!-- readme-test: fragment (a part) -->\n```yaml\nparks: {}\n```\n";
    let o = run_page("p.md", page);
    assert_eq!(o.failures.len(), 1, "{:?}", o.failures);
    assert!(
        o.failures[0].starts_with("p.md:1: `parkplan validate`"),
        "{:?}",
        o.failures
    );
    let page = "<!-- readme-test: file mine.yaml -->\n```yaml\nname: x\n```\n\n```sh\nparkplan validate mine.yaml   # exits 2\n```\n";
    let o = run_page("p.md", page);
    assert!(o.failures.is_empty(), "{:?}", o.failures);
    assert_eq!((o.ran, o.yaml), (1, 1));
}
