//! Standard output that cannot take the result: a full device, a closed descriptor. The command
//! reports it and fails; it never panics and never exits 0 with the result lost.

use std::fs::File;
use std::process::{Command, Stdio};

use crate::common::{Test, path, root};

const BIN: &str = env!("CARGO_BIN_EXE_parkplan");

/// Runs `parkplan ARGS >/dev/full` and returns (exit code, stderr).
fn to_full_device(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(root())
        .stdout(Stdio::from(File::create("/dev/full").expect("/dev/full")))
        .output()
        .expect("run parkplan");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_full_standard_output_is_an_error_of_every_printing_command() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    Test::new()
        .args([
            "solve",
            "problems/small/main-chain-basic.yaml",
            "-f",
            "json",
            "-o",
        ])
        .arg(&plan)
        .run();
    let plan = plan.to_str().unwrap();
    let problem = "problems/small/main-chain-basic.yaml";
    for args in [
        vec!["validate", problem],
        vec!["check", problem],
        vec!["verify", problem, plan],
        vec!["enumerate", problem],
        vec!["solve", problem],
        vec!["schema"],
    ] {
        let (code, stderr) = to_full_device(&args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_closed_standard_output_fails_the_command_instead_of_losing_the_plan() {
    let script = format!("exec '{BIN}' solve problems/small/main-chain-basic.yaml >&-");
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(root())
        .output()
        .expect("run sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write standard output: it is closed"),
        "{stderr}"
    );
    // /dev/null is a reader like any other.
    Test::new()
        .args([
            "solve",
            "problems/small/main-chain-basic.yaml",
            "-o",
            "/dev/null",
        ])
        .stdout("")
        .run();
}

#[test]
fn a_junit_file_that_cannot_be_written_still_leaves_the_report_on_screen() {
    Test::new()
        .arg("check")
        .arg(path("problems/small/main-chain-basic.yaml"))
        .args(["--junit", "missing/j.xml"])
        .in_tempdir()
        .status(1)
        .stdout_contains("passed")
        .stderr("error: cannot write missing/j.xml: the folder missing does not exist\n")
        .run();
}
