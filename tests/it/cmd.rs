//! Golden bad-input cases: every folder of `tests/cmd/` is one command line with the exit code and
//! the exact standard error (and standard output, when there is any) it gives. See
//! `tests/cmd/README.md` for the layout.
//!
//! `BLESS=1 cargo test --release golden` writes what the binary prints now as the expected output
//! of every case; read the diff before committing it.

use std::path::Path;

use crate::common::{Test, path};

/// One case as found on disk.
struct Case {
    name: String,
    args: Vec<String>,
    stdin: Option<String>,
    code: Option<i32>,
    stdout: String,
    stderr: Option<String>,
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

fn load(dir: &Path) -> Case {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let cmd = read(dir, "cmd").unwrap_or_else(|| panic!("tests/cmd/{name} has no `cmd` file"));
    let mut words = cmd.split_whitespace().map(String::from);
    assert_eq!(
        words.next().as_deref(),
        Some("parkplan"),
        "tests/cmd/{name}/cmd: the command line starts with `parkplan`"
    );
    let code = read(dir, "code").map(|c| {
        c.trim()
            .parse()
            .unwrap_or_else(|e| panic!("tests/cmd/{name}/code: {e}"))
    });
    Case {
        args: words.collect(),
        stdin: read(dir, "stdin"),
        code,
        stdout: read(dir, "stdout").unwrap_or_default(),
        stderr: read(dir, "stderr"),
        name,
    }
}

#[test]
fn golden_bad_input_cases() {
    let bless = std::env::var_os("BLESS").is_some_and(|v| v == "1");
    let root = path("tests/cmd");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "only {} cases in tests/cmd", dirs.len());

    let mut failures = Vec::new();
    for dir in &dirs {
        let case = load(dir);
        // A fixed width, so that wrapped help text does not depend on the terminal.
        let mut test = Test::new()
            .args(&case.args)
            .env("COLUMNS", "100")
            .any_status();
        if let Some(input) = &case.stdin {
            test = test.stdin(input);
        }
        let run = test.run();
        if bless {
            std::fs::write(dir.join("code"), format!("{}\n", run.code)).unwrap();
            std::fs::write(dir.join("stderr"), &run.stderr).unwrap();
            if run.stdout.is_empty() {
                let _ = std::fs::remove_file(dir.join("stdout"));
            } else {
                std::fs::write(dir.join("stdout"), &run.stdout).unwrap();
            }
            continue;
        }
        let mut wrong = Vec::new();
        match case.code {
            None => wrong.push("no `code` file".to_string()),
            Some(c) if c != run.code => wrong.push(format!("exit code {}, expected {c}", run.code)),
            _ => {}
        }
        // Bad input is refused, never solved nor crashed on.
        if run.code == 0 || run.code == 101 {
            wrong.push(format!("exit code {} for bad input", run.code));
        }
        match &case.stderr {
            None => wrong.push("no `stderr` file".to_string()),
            Some(want) if *want != run.stderr => wrong.push(format!(
                "standard error differs:\n--- expected\n{want}--- got\n{}",
                run.stderr
            )),
            _ => {}
        }
        if case.stdout != run.stdout {
            wrong.push(format!(
                "standard output differs:\n--- expected\n{}--- got\n{}",
                case.stdout, run.stdout
            ));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "tests/cmd/{} (parkplan {}):\n{}",
                case.name,
                case.args.join(" "),
                wrong.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases fail (if the new output is right, accept it with \
         `BLESS=1 cargo test --release golden` and review the diff):\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

/// Every golden message is in planners' words: none names a Rust type (`struct OneMainChain`,
/// `f64`, `usize`) or serde's "unit value".
#[test]
fn golden_messages_name_no_rust_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd");
    let words = [
        "struct ",
        "enum ",
        "u128",
        "u64",
        "f64",
        "usize",
        "unit value",
    ];
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(stderr) = std::fs::read(dir.join("stderr")) else {
            continue;
        };
        let stderr = String::from_utf8_lossy(&stderr);
        for w in words {
            assert!(
                !stderr.contains(w),
                "{}/stderr names `{w}`:\n{stderr}",
                dir.display()
            );
        }
    }
}
