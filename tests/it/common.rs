//! Running the binary and reading what it prints.
//!
//! [`Test`] builds one run of `parkplan`: its arguments, standard input, environment, files in a
//! temporary folder and the folder it runs in; then what the run must show (exit code, text on
//! standard output and standard error). [`Test::run`] runs the binary, checks all of it and
//! returns the [`Run`] for further checks:
//!
//! ```ignore
//! let plan = Test::new()
//!     .args(["solve", "problems/small/city-pool.yaml", "-f", "json"])
//!     .stdout_contains("\"status\": \"optimal\"")
//!     .json();
//! Test::new()
//!     .file("bad.yaml", "nmae: x\n")
//!     .in_tempdir()
//!     .args(["validate", "bad.yaml"])
//!     .status(2)
//!     .stderr_contains("unknown field `nmae`")
//!     .run();
//! ```
//!
//! A run is expected to exit with 0 unless [`Test::status`] (or [`Test::status_one_of`],
//! [`Test::any_status`]) says otherwise, and never to panic.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the repository root.
pub fn path(rel: &str) -> PathBuf {
    root().join(rel)
}

/// The exit codes a run may end with.
#[derive(Debug, Clone)]
enum Status {
    Is(i32),
    OneOf(Vec<i32>),
    Any,
}

/// One run of the binary, built step by step and checked by [`Test::run`].
#[must_use = "a test does nothing until it is run"]
pub struct Test {
    args: Vec<OsString>,
    current_dir: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
    tempdir: TempDir,
    status: Status,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
    stdout_lacks: Vec<String>,
    stderr_lacks: Vec<String>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    /// A run from the repository root with a fresh temporary folder, expected to exit with 0.
    pub fn new() -> Self {
        Self::with_tempdir(tempfile::tempdir().expect("a temporary folder"))
    }

    /// A run whose temporary folder is `tempdir`, e.g. the one of an earlier [`Run`].
    pub fn with_tempdir(tempdir: TempDir) -> Self {
        Test {
            args: Vec::new(),
            current_dir: None,
            env: Vec::new(),
            stdin: None,
            tempdir,
            status: Status::Is(0),
            stdout: None,
            stderr: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
            stdout_lacks: Vec::new(),
            stderr_lacks: Vec::new(),
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Runs the binary in `dir`: an absolute path, or one relative to the temporary folder. Runs
    /// start in the repository root otherwise.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.current_dir = Some(self.tempdir.path().join(dir));
        self
    }

    /// Runs the binary in the temporary folder, where [`Test::file`] writes.
    pub fn in_tempdir(self) -> Self {
        self.current_dir(".")
    }

    /// Sets an environment variable for the run.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Feeds `text` to standard input (which is empty otherwise).
    pub fn stdin(mut self, text: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(text.as_ref().to_vec());
        self
    }

    /// Writes `text` to `rel` (folders created as needed) in the temporary folder.
    pub fn file(self, rel: impl AsRef<Path>, text: impl AsRef<[u8]>) -> Self {
        let target = self.tempdir.path().join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&target, text).unwrap();
        self
    }

    /// The temporary folder.
    pub fn tempdir(&self) -> &Path {
        self.tempdir.path()
    }

    /// The path of `rel` in the temporary folder, for arguments and for reading files.
    pub fn tmp(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.tempdir.path().join(rel)
    }

    /// The exit code the run must end with (0 unless set).
    pub fn status(mut self, code: i32) -> Self {
        self.status = Status::Is(code);
        self
    }

    /// The run may end with any of `codes`.
    pub fn status_one_of(mut self, codes: impl IntoIterator<Item = i32>) -> Self {
        self.status = Status::OneOf(codes.into_iter().collect());
        self
    }

    /// The run may end with any exit code (the test looks at it itself).
    pub fn any_status(mut self) -> Self {
        self.status = Status::Any;
        self
    }

    /// Standard output must be exactly `text`.
    pub fn stdout(mut self, text: impl Into<String>) -> Self {
        self.stdout = Some(text.into());
        self
    }

    /// Standard error must be exactly `text`.
    pub fn stderr(mut self, text: impl Into<String>) -> Self {
        self.stderr = Some(text.into());
        self
    }

    /// Standard output must contain `text` (each call adds one more).
    pub fn stdout_contains(mut self, text: impl Into<String>) -> Self {
        self.stdout_contains.push(text.into());
        self
    }

    /// Standard error must contain `text` (each call adds one more).
    pub fn stderr_contains(mut self, text: impl Into<String>) -> Self {
        self.stderr_contains.push(text.into());
        self
    }

    /// Standard output must not contain `text`.
    pub fn stdout_lacks(mut self, text: impl Into<String>) -> Self {
        self.stdout_lacks.push(text.into());
        self
    }

    /// Standard error must not contain `text`.
    pub fn stderr_lacks(mut self, text: impl Into<String>) -> Self {
        self.stderr_lacks.push(text.into());
        self
    }

    /// Runs the binary and checks every expectation; panics with the command line, the exit code
    /// and both outputs when one fails.
    pub fn run(self) -> Run {
        let cwd = self.current_dir.clone().unwrap_or_else(root);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_parkplan"));
        cmd.args(&self.args)
            .current_dir(&cwd)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("the parkplan binary runs");
        // Standard input is fed from a thread, so that a binary writing much before it reads
        // cannot stall the test; it may stop reading early, which is its business.
        let feeder = self.stdin.clone().map(|input| {
            let mut pipe = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            })
        });
        let out = child.wait_with_output().expect("the parkplan binary runs");
        if let Some(f) = feeder {
            f.join().unwrap();
        }
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            tempdir: self.tempdir,
        };

        let mut failures = Vec::new();
        match &self.status {
            Status::Is(c) if run.code != *c => {
                failures.push(format!("exit code {}, expected {c}", run.code));
            }
            Status::OneOf(cs) if !cs.contains(&run.code) => {
                failures.push(format!("exit code {}, expected one of {cs:?}", run.code));
            }
            _ => {}
        }
        if run.stderr.contains("panicked") {
            failures.push("the binary panicked".into());
        }
        for (name, got, exact, contains, lacks) in [
            (
                "stdout",
                &run.stdout,
                &self.stdout,
                &self.stdout_contains,
                &self.stdout_lacks,
            ),
            (
                "stderr",
                &run.stderr,
                &self.stderr,
                &self.stderr_contains,
                &self.stderr_lacks,
            ),
        ] {
            if let Some(want) = exact
                && got != want
            {
                failures.push(format!("{name} is not as expected:\n--- expected\n{want}"));
            }
            for c in contains {
                if !got.contains(c.as_str()) {
                    failures.push(format!("{name} lacks `{c}`"));
                }
            }
            for l in lacks {
                if got.contains(l.as_str()) {
                    failures.push(format!("{name} holds `{l}`"));
                }
            }
        }
        if !failures.is_empty() {
            let mut msg = format!(
                "`parkplan {}` in {}:\n",
                self.args
                    .iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                cwd.display()
            );
            for f in &failures {
                let _ = writeln!(msg, "  {f}");
            }
            let _ = write!(
                msg,
                "--- exit code {}\n--- stdout\n{}\n--- stderr\n{}",
                run.code, run.stdout, run.stderr
            );
            panic!("{msg}");
        }
        run
    }

    /// Runs the binary, checks every expectation and parses standard output as JSON.
    pub fn json(self) -> serde_json::Value {
        self.run().json()
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The run's temporary folder (kept until the `Run` is dropped, or passed on with
    /// [`Test::with_tempdir`]).
    pub tempdir: TempDir,
}

impl Run {
    /// Parses standard output as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The path of `rel` in the run's temporary folder.
    pub fn tmp(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.tempdir.path().join(rel)
    }
}

/// Writes `text` to a fresh temporary problem file and returns its folder (kept alive by the
/// caller) and path, for tests that run the binary on it more than once.
pub fn temp_problem(name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    (dir, p)
}

/// Every problem file below `problems/`, sorted.
pub fn problem_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&path("problems"), &mut out);
    out.sort();
    out
}

/// Relative difference, safe at zero.
pub fn rel_diff(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}
