//! Every shell example of the README (a ```sh, ```bash or ```console block) runs as written.
//!
//! Each command line runs under `sh` in a fresh temporary folder holding a copy of `problems/` and
//! of every file or folder that an earlier command of the README created and the line names, with
//! `parkplan` on `PATH` resolved to the binary under test. It must exit with 0, or with the code
//! its comment states (`parkplan sweep … # exits 8`). A block whose first line is `#!` is a script
//! and runs whole, under its interpreter. A block that cannot run in a test carries a marker on
//! the line right before it:
//!
//! - `<!-- readme-test: skip (REASON) -->`: not run, for the reason given;
//! - `<!-- readme-test: env NAME=VALUE … -->`: run with these variables set (a job script's
//!   environment).
//!
//! An unmarked block that calls anything but `parkplan` and a few plain tools fails the test, so
//! an example that installs software or runs the test suite is never run by accident, and never
//! left out silently either.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::common::path;

/// The programs a block may call without a marker.
const TOOLS: &[&str] = &["parkplan", "[", "seq", "parallel"];
/// Tools of [`TOOLS`] a machine may lack: a block calling one that is missing is skipped with a
/// note, as the tests skip CBC or ajv.
const OPTIONAL: &[&str] = &["parallel"];

/// What the line before a block asks of the test.
#[derive(Debug, PartialEq)]
enum Marker {
    Skip(String),
    Env(Vec<(String, String)>),
}

/// One shell example: where it starts, its marker and the commands it runs.
#[derive(Debug)]
struct Block {
    line: usize,
    marker: Option<Marker>,
    steps: Vec<Step>,
}

/// One command line (or a whole script) and the exit code it must end with.
#[derive(Debug, PartialEq)]
struct Step {
    line: usize,
    text: String,
    shell: String,
    status: i32,
}

/// The shell examples of `readme`, or every mistake in their markers.
fn blocks(readme: &str) -> Result<Vec<Block>, Vec<String>> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut errors = Vec::new();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let marker = if trimmed.starts_with("<!-- readme-test") {
            match parse_marker(trimmed) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(format!("README.md:{}: {e}", i + 1));
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
                    "README.md:{}: a readme-test marker must stand right before a ```sh block",
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
            errors.push(format!(
                "README.md:{}: a code block is not closed",
                fence + 1
            ));
            break;
        };
        let body: Vec<&str> = lines[fence + 1..fence + 1 + len]
            .iter()
            .map(|l| l.get(indent..).unwrap_or(l.trim_start()))
            .collect();
        let lang = lang.trim();
        if ["sh", "bash", "console", "shell"].contains(&lang) {
            blocks.push(Block {
                line: fence + 1,
                steps: steps(lang, &body, fence + 2),
                marker,
            });
        } else if marker.is_some() {
            errors.push(format!(
                "README.md:{}: a readme-test marker before a ```{lang} block, which is not run",
                i + 1
            ));
        }
        i = fence + len + 2;
    }
    for b in &blocks {
        if matches!(b.marker, Some(Marker::Skip(_))) {
            continue;
        }
        for s in &b.steps {
            for p in programs(&s.text) {
                if !TOOLS.contains(&p.as_str()) {
                    errors.push(format!(
                        "README.md:{}: `{p}` cannot run in a test: make the example run `parkplan` \
                         only, or mark the block with `<!-- readme-test: skip (why) -->`",
                        s.line
                    ));
                }
            }
        }
        if b.steps.is_empty() {
            errors.push(format!(
                "README.md:{}: a shell block without a command",
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

/// `<!-- readme-test: skip (REASON) -->` or `<!-- readme-test: env NAME=VALUE … -->`.
fn parse_marker(line: &str) -> Result<Marker, String> {
    let inner = line
        .strip_prefix("<!-- readme-test:")
        .and_then(|r| r.strip_suffix("-->"))
        .ok_or("a marker reads `<!-- readme-test: skip (why) -->`")?
        .trim();
    if let Some(reason) = inner.strip_prefix("skip") {
        let reason = reason.trim();
        let reason = reason
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .ok_or("`skip` needs its reason in parentheses: `skip (installs Chromium)`")?;
        return Ok(Marker::Skip(reason.to_string()));
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
        "unknown readme-test marker `{inner}`: `skip (why)` or `env NAME=VALUE …`"
    ))
}

/// The commands of a block whose body starts on README line `first`.
fn steps(lang: &str, body: &[&str], first: usize) -> Vec<Step> {
    if let Some(shebang) = body.first().and_then(|l| l.strip_prefix("#!")) {
        let shell = shebang.split_whitespace().next().unwrap_or("sh");
        return vec![Step {
            line: first,
            text: body.join("\n"),
            shell: shell.to_string(),
            status: 0,
        }];
    }
    let shell = if lang == "bash" { "bash" } else { "sh" };
    let mut steps = Vec::new();
    let mut n = 0;
    while n < body.len() {
        let start = n;
        let mut text = body[n].to_string();
        if lang == "console" {
            match text.strip_prefix("$ ") {
                Some(t) => text = t.to_string(),
                None => {
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
        });
    }
    steps
}

/// The exit code a command's comment states (`# … exits 8`), else 0.
fn stated_status(command: &str) -> i32 {
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
fn programs(command: &str) -> Vec<String> {
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

/// What the README's commands have created so far, and the `PATH` that finds `parkplan`.
struct Workspace {
    created: TempDir,
    bin: TempDir,
}

impl Workspace {
    fn new() -> Self {
        let bin = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_parkplan"), bin.path().join("parkplan"))
            .unwrap();
        Workspace {
            created: tempfile::tempdir().unwrap(),
            bin,
        }
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
        let mut search = vec![self.bin.path().to_path_buf()];
        search.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let out = Command::new(&step.shell)
            .arg("-c")
            .arg(&step.text)
            .current_dir(dir.path())
            .env(
                "PATH",
                std::env::join_paths(search).unwrap_or_else(|_| OsString::new()),
            )
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
        let stderr = String::from_utf8_lossy(&out.stderr);
        if code == step.status && !stderr.contains("panicked") {
            return Ok(());
        }
        let tail = |s: &str| {
            let lines: Vec<&str> = s.lines().collect();
            lines[lines.len().saturating_sub(15)..].join("\n")
        };
        Err(format!(
            "README.md:{}: `{}` exited with {code}, the README says {}\n--- stdout (end)\n{}\n--- stderr (end)\n{}",
            step.line,
            step.text,
            step.status,
            tail(&String::from_utf8_lossy(&out.stdout)),
            tail(&stderr)
        ))
    }
}

#[test]
fn every_shell_example_runs() {
    let readme = std::fs::read_to_string(path("README.md")).unwrap();
    let blocks = blocks(&readme).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let workspace = Workspace::new();
    let (mut ran, mut skipped, mut failures) = (0, 0, Vec::new());
    for block in &blocks {
        let env = match &block.marker {
            Some(Marker::Skip(_)) => {
                skipped += 1;
                continue;
            }
            Some(Marker::Env(vars)) => vars.as_slice(),
            None => &[],
        };
        for step in &block.steps {
            let missing: Vec<String> = programs(&step.text)
                .into_iter()
                .filter(|p| OPTIONAL.contains(&p.as_str()) && !installed(p))
                .collect();
            if !missing.is_empty() {
                eprintln!(
                    "note: README.md:{}: the rest of the block is not run, {} is not installed",
                    step.line,
                    missing.join(", ")
                );
                break;
            }
            match workspace.run(step, env) {
                Ok(()) => ran += 1,
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= 25, "only {ran} commands of the README ran");
    // Set-up, the whole suite, Slurm, fuzzing, the screenshot, and the benchmarks of "Scale"
    // (criterion, the long-run script, the Python comparison, HiGHS alone): a new skip must be
    // one of these kinds, not an example that could run.
    assert!(
        skipped <= 10,
        "{skipped} blocks are skipped: keep the markers few"
    );
}

#[test]
fn an_unmarked_block_that_cannot_run_fails() {
    let errors = blocks("text\n\n```sh\n./x test   # parkplan\ncargo bench\n```\n").unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("README.md:4: `./x` cannot run"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("README.md:5: `cargo` cannot run"),
        "{errors:?}"
    );
    let hidden = "```sh\nparkplan merge out/ && jobid=$(sbatch job) | parkplan x\n```\n";
    let errors = blocks(hidden).unwrap_err();
    assert!(errors[0].contains("`sbatch` cannot run"), "{errors:?}");
    let skipped = "<!-- readme-test: skip (runs for hours) -->\n```sh\ncargo bench\n```\n";
    let blocks = blocks(skipped).unwrap();
    assert_eq!(
        blocks[0].marker,
        Some(Marker::Skip("runs for hours".into()))
    );
}

#[test]
fn a_marker_needs_a_reason_and_a_shell_block() {
    for (text, error) in [
        (
            "<!-- readme-test: skip -->\n```sh\ncargo x\n```\n",
            "needs its reason",
        ),
        (
            "<!-- readme-test: skip (slow) -->\n\n```sh\nx\n```\n",
            "right before",
        ),
        (
            "<!-- readme-test: skip (slow) -->\n```yaml\na: 1\n```\n",
            "```yaml block",
        ),
        (
            "<!-- readme-test: run -->\n```sh\nx\n```\n",
            "unknown readme-test marker",
        ),
        (
            "<!-- readme-test: env A -->\n```sh\nx\n```\n",
            "`A` is not NAME=VALUE",
        ),
    ] {
        let errors = blocks(text).unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains(error)),
            "{text}: {errors:?}"
        );
    }
}

#[test]
fn commands_are_read_as_the_shell_reads_them() {
    let text = "  ```sh\n  parkplan a \\\n    --b   # exits 8\n  # a comment\n\n  parkplan c # exit 2: bad\n  ```\n";
    let b = blocks(text).unwrap();
    let got: Vec<(usize, &str, i32)> = b[0]
        .steps
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
    let console = blocks("```console\n$ parkplan x\nout\n$ parkplan y\n```\n").unwrap();
    assert_eq!(console[0].steps.len(), 2);
    let script = "<!-- readme-test: env T=3 -->\n```sh\n#!/bin/bash\n#X\nparkplan \"$T\" || [ $? -eq 8 ]\n```\n";
    let b = blocks(script).unwrap();
    assert_eq!(
        b[0].marker,
        Some(Marker::Env(vec![("T".into(), "3".into())]))
    );
    assert_eq!(
        (b[0].steps.len(), b[0].steps[0].shell.as_str()),
        (1, "/bin/bash")
    );
    assert_eq!(programs(&b[0].steps[0].text), ["parkplan", "["]);
    assert_eq!(stated_status("parkplan x > exit.txt"), 0);
}
