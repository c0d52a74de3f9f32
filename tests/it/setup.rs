//! `./x`, the README's set-up script: its detection of what a fresh machine lacks, run in dry-run
//! mode with a PATH that holds only the tools a test gives it (no package is installed).

use std::process::Command;

use crate::common::root;

/// Runs `bash ./x ARGS` with PATH set to a folder holding only `tools` (each a copy of `true`).
fn x_with_tools(tools: &[&str], args: &[&str]) -> (i32, String, String) {
    let bin = tempfile::tempdir().unwrap();
    for t in tools {
        std::os::unix::fs::symlink("/bin/true", bin.path().join(t)).unwrap();
    }
    let out = Command::new("/bin/bash")
        .arg("./x")
        .args(args)
        .current_dir(root())
        .env("PATH", bin.path())
        .output()
        .expect("bash runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_machine_without_cmake_is_told_it_needs_cmake() {
    let (code, out, err) = x_with_tools(&["c++"], &["setup", "--for", "build", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("would install for build:"), "{out}");
    assert!(out.contains("cmake"), "{out}");
    assert!(!out.contains("g++"), "{out}");
    assert!(!out.contains("chromium"), "a build needs no browser: {out}");
}

#[test]
fn the_tests_also_need_a_browser_and_glpk() {
    let (code, out, err) = x_with_tools(&["cmake"], &["setup", "--for", "test", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    for pkg in ["g++", "chromium", "glpk-utils"] {
        assert!(out.contains(pkg), "{pkg} missing from: {out}");
    }
    assert!(!out.contains("cmake"), "{out}");
}

#[test]
fn tools_already_present_are_not_installed_again() {
    let tools = ["cmake", "c++", "chromium", "glpsol"];
    let (code, out, err) = x_with_tools(&tools, &["setup", "--for", "test", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("cmake") && !out.contains("chromium"), "{out}");
}

#[test]
fn unknown_commands_and_options_are_usage_errors() {
    let (code, _, err) = x_with_tools(&[], &["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown command frobnicate"), "{err}");
    let (code, _, err) = x_with_tools(&[], &["setup", "--for", "everything"]);
    assert_eq!(code, 2);
    assert!(err.contains("--for takes build or test"), "{err}");
}
