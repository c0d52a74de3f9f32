//! Ctrl-C during a long solve: SIGINT stops HiGHS, and the best plan found so far is printed (or,
//! in a sweep, written) with its gap and the time-limit exit code. A solve is stopped on the
//! Liupanshui case replicated (as scripts/replicate.py does), a sweep on a generated problem of
//! 100 parks: both slow enough to be stopped.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_yaml::Value;

use crate::common::{Test, path};

/// problems/liupanshui.yaml with every park and zone copied `n` times and every city-wide
/// quantity multiplied by `n` (scripts/replicate.py), without its scenarios.
fn replicated(n: usize) -> String {
    let text = std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap();
    let mut doc: Value = serde_yaml::from_str(&text).unwrap();
    let m = doc.as_mapping_mut().unwrap();
    for key in ["expected", "scenarios", "sweeps"] {
        m.remove(key);
    }
    let mut zones = serde_yaml::Mapping::new();
    let mut parks = serde_yaml::Mapping::new();
    for k in 1..=n {
        for (z, v) in m["zones"].as_mapping().unwrap() {
            zones.insert(format!("{}_{k}", z.as_str().unwrap()).into(), v.clone());
        }
        for (p, v) in m["parks"].as_mapping().unwrap() {
            let mut v = v.clone();
            let zone = format!("{}_{k}", v["zone"].as_str().unwrap());
            v["zone"] = zone.into();
            parks.insert(format!("{}_{k}", p.as_str().unwrap()).into(), v);
        }
    }
    m.insert("zones".into(), zones.into());
    m.insert("parks".into(), parks.into());
    let times = |v: &mut Value| *v = (v.as_f64().unwrap() * n as f64).into();
    for (_, r) in m["resources"].as_mapping_mut().unwrap() {
        if let Some(pool) = r.get_mut("pool") {
            times(pool);
        }
    }
    for (_, c) in m["chains"].as_mapping_mut().unwrap() {
        if let Some(t) = c.get_mut("max_total") {
            times(t);
        }
    }
    if let Some(materials) = m.get_mut("materials").and_then(Value::as_mapping_mut) {
        for (_, mat) in materials {
            if let Some(limit) = mat.get_mut("external").and_then(|e| e.get_mut("limit")) {
                times(limit);
            }
        }
    }
    serde_yaml::to_string(&doc).unwrap()
}

fn signal(pid: u32, signal: libc::c_int) {
    // SAFETY: kill(2) with a pid of a child this test started and has not reaped yet.
    let r = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(r, 0, "signal {signal} sent");
}

/// Waits for `child` at most `limit`, killing it past that.
fn wait(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("parkplan did not end within {limit:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_stops_a_solve_with_its_best_plan_and_gap() {
    stop_a_solve(libc::SIGINT, "Ctrl-C", "sigint");
}

/// SIGTERM, as batch schedulers send it before killing a job, is handled as Ctrl-C: the best plan
/// is written, and the message and the JSON name SIGTERM, not the time limit. (Before, SIGTERM
/// killed the process and nothing was written.)
#[test]
fn sigterm_stops_a_solve_as_ctrl_c_does_and_says_so() {
    stop_a_solve(libc::SIGTERM, "SIGTERM", "sigterm");
}

/// Solves the replicated problem, sends `sig` once the first plan is found, and checks the stop:
/// exit 5, the message naming `word`, the plan written with `stopped_by: cause`.
fn stop_a_solve(sig: libc::c_int, word: &str, cause: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x20.yaml");
    std::fs::write(&file, replicated(20)).unwrap();
    let plan_file = dir.path().join("plan.json");
    let log = dir.path().join("highs.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(["solve", "-f", "json", "--no-tie-check"])
        .arg(&file)
        .arg("-o")
        .arg(&plan_file)
        .arg("--log")
        .arg(&log)
        // The progress line, on a pipe: the test sees when the first plan is found.
        .env("PARKPLAN_PROGRESS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.push_str(&String::from_utf8_lossy(&buf[..n]));
            let _ = tx.send(all.clone());
        }
        all
    });
    // A progress line with a plan's objective: HiGHS has an incumbent.
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut seen = String::new();
    while !seen.contains("best plan ")
        || seen.split("best plan ").skip(1).all(|s| s.starts_with('–'))
    {
        assert!(
            Instant::now() < deadline,
            "no incumbent within 300 s:\n{seen}"
        );
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(s) => seen = s,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => panic!("parkplan ended before its first incumbent:\n{seen}"),
        }
    }
    signal(child.id(), sig);
    let status = wait(&mut child, Duration::from_secs(120));
    let err = reader.join().unwrap();
    assert_eq!(status.code(), Some(5), "time-limit exit code\n{err}");
    // Each progress line shows elapsed time, objective, bound and gap; cleared (`\r` + erase to
    // the end of the line) before the plan's note.
    assert!(
        err.contains("solving: ") && err.contains(", bound ") && err.contains(", gap "),
        "{err}"
    );
    assert!(err.contains("\r\x1b[K"), "the line is cleared: {err:?}");
    assert!(
        err.contains(&format!("stopped by {word}; the plan is feasible, within ")),
        "{err}"
    );
    assert!(!err.contains("time limit"), "{err}");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    assert_eq!(plan["status"], "time_limit");
    assert_eq!(plan["stopped_by"], cause);
    let gap = plan["gap"].as_f64().expect("a proven gap");
    assert!((0.0..0.5).contains(&gap), "gap {gap}");
    // The plan holds: every constraint, and its stated objective.
    Test::new()
        .arg("verify")
        .arg(&file)
        .arg(&plan_file)
        .stdout_contains("feasible")
        .run();
    // HiGHS's log of the stopped MILP, whole.
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.starts_with("==== variant `base`, solve 1: MILP of "),
        "{text}"
    );
    assert!(text.contains("Solving report"), "{text}");
    assert!(text.to_lowercase().contains("interrupt"), "{text}");
}

#[test]
fn ctrl_c_stops_a_sweep_keeping_finished_and_stopped_plans() {
    stop_a_sweep(libc::SIGINT, "Ctrl-C", "sigint");
}

/// SIGTERM stops a sweep as Ctrl-C does, and the sweep's last words name it (they said "stopped
/// by Ctrl-C" whatever the signal, while the stopped plans said SIGTERM); each summary row stopped
/// short carries its `stopped_by`.
#[test]
fn sigterm_stops_a_sweep_and_the_summary_says_so() {
    stop_a_sweep(libc::SIGTERM, "SIGTERM", "sigterm");
}

fn stop_a_sweep(sig: libc::c_int, word: &str, cause: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g100.yaml");
    // A generated problem that takes minutes to prove optimal: each variant runs into its time
    // limit (or the signal) long before it closes its gap, whatever the machine's speed.
    Test::new()
        .args([
            "generate",
            "--parks",
            "100",
            "--chains",
            "40",
            "--exchange",
            "across",
        ])
        .args(["--seed", "1", "-o"])
        .arg(&file)
        .run();
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        r#"scenarios:
  wet: { scale: { "parks.*.capacity.water": 1.2 } }
  wetter: { scale: { "parks.*.capacity.water": 1.3 } }
  wettest: { scale: { "parks.*.capacity.water": 1.4 } }
"#,
    );
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args([
            "sweep",
            "-j",
            "2",
            "--no-tie-check",
            "--time-limit",
            "4",
            "-f",
            "json",
        ])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The base is solved first, on its own; its plan is written as soon as it is solved. The
    // two scenarios after it then run into their 4 s limit; the signal comes 1 s into them.
    let deadline = Instant::now() + Duration::from_secs(300);
    let base_written = || {
        std::fs::read_dir(out.join("variants"))
            .map(|d| {
                d.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("base"))
            })
            .unwrap_or(false)
    };
    while !base_written() {
        assert!(
            Instant::now() < deadline,
            "the base was not solved within 300 s"
        );
        assert!(child.try_wait().unwrap().is_none(), "the sweep ended early");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    signal(child.id(), sig);
    let status = wait(&mut child, Duration::from_secs(120));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(8), "incomplete batch\n{err}");
    assert!(
        // How many variants finish before the signal depends on the machine's speed.
        err.contains(&format!("stopped by {word}: ")) && err.contains(", 1 not started"),
        "{err}"
    );
    assert!(err.contains("--resume"), "{err}");
    let summary: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows = summary["variants"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["base", "wet", "wetter"], "wettest was not started");
    for r in rows.iter().filter(|r| r["status"] != "optimal") {
        let s = r["status"].as_str().unwrap();
        assert!(s == "time_limit" || s == "no_solution", "{r}");
        // Its own limit (4 s) or the signal stopped it.
        let by = r["stopped_by"].as_str().unwrap_or_default();
        assert!(by == "time_limit" || by == cause, "{r}");
        // A stopped plan is written, whole, and holds.
        if s == "time_limit" {
            assert!(r["gap"].as_f64().is_some(), "{r}");
            let plan = out.join(r["plan"].as_str().expect("written"));
            verify(&file, r["name"].as_str().unwrap(), &plan);
        }
    }
    let written = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&written).unwrap()["variants"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

fn verify(file: &Path, scenario: &str, plan: &Path) {
    Test::new()
        .arg("verify")
        .arg(file)
        .arg(plan)
        .args(["--scenario", scenario])
        .stdout_contains("feasible")
        .run();
}

/// Runs `parkplan ARGS` on a generated problem of 25 parks (slow enough to be still solving 2 s
/// in: the runs ask for hundreds of plans or points), sends SIGTERM 2 s in, and returns the exit
/// code, standard error and the JSON written to `-o`.
fn stop_a_run(args: &[&str], secs: u64) -> (Option<i32>, String, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g25.yaml");
    Test::new()
        .args(["generate", "--parks", "25", "--chains", "20"])
        .args(["--exchange", "across", "--seed", "1", "-o"])
        .arg(&file)
        .run();
    let out = dir.path().join("out.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(args)
        .arg(&file)
        .args(["-f", "json", "-o"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(secs));
    assert!(child.try_wait().unwrap().is_none(), "the run ended early");
    signal(child.id(), libc::SIGTERM);
    let status = wait(&mut child, Duration::from_secs(120));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let text =
        std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}: nothing written\n{err}"));
    (status.code(), err, serde_json::from_str(&text).unwrap())
}

/// SIGTERM stops `alternatives` with the plans found before it written, the list's `stopped_by`
/// naming it, and the exit code of a stopped solve: 5 with plans, 6 without. (Before, the
/// command installed no handler: the signal killed it and nothing was written.)
#[test]
fn sigterm_stops_alternatives_keeping_the_plans_found() {
    let (code, err, list) = stop_a_run(&["alternatives", "-k", "500"], 2);
    assert_eq!(list["stopped_by"], "sigterm", "{list}");
    let plans = list["plans"].as_array().unwrap();
    // How many are found in 2 s depends on the machine; each is ranked in order.
    for (i, p) in plans.iter().enumerate() {
        assert_eq!(p["rank"], i + 1, "{p}");
    }
    let expected = if plans.is_empty() { 6 } else { 5 };
    assert_eq!(code, Some(expected), "{err}");
    assert!(
        err.contains(&format!(
            "stopped by SIGTERM: {} plan(s) found before",
            plans.len()
        )),
        "{err}"
    );
}

/// SIGTERM stops `pareto` with the front of the points solved so far written; the others carry
/// `time_limit` or `no_solution`, the front's `stopped_by` names the signal, and the exit code is
/// that of an incomplete batch (8).
#[test]
fn sigterm_stops_pareto_keeping_the_points_solved() {
    let (code, err, front) = stop_a_run(&["pareto", "-n", "2000", "-j", "1"], 8);
    assert_eq!(code, Some(8), "{err}");
    assert_eq!(front["stopped_by"], "sigterm", "{front}");
    let points = front["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{front}");
    assert!(
        points.iter().any(|p| p["status"] != "optimal"),
        "2000 points cannot all be solved in 2 s: {front}"
    );
    assert!(err.contains("stopped by SIGTERM: "), "{err}");
}

/// A generated problem of 100 parks (minutes to prove optimal) written to `file`, with
/// `extra` appended.
fn generated_100(file: &Path, extra: &str) {
    Test::new()
        .args(["generate", "--parks", "100", "--chains", "40"])
        .args(["--exchange", "across", "--seed", "1", "-o"])
        .arg(file)
        .run();
    let text = std::fs::read_to_string(file).unwrap() + extra;
    std::fs::write(file, text).unwrap();
}

/// Starts `parkplan ARGS`, sends `sig` `secs` seconds in, and returns the exit code, standard
/// output and standard error.
fn signalled(
    args: &[&std::ffi::OsStr],
    secs: u64,
    sig: libc::c_int,
) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on their own threads, so a full pipe never holds the child up.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).unwrap();
        s
    });
    std::thread::sleep(Duration::from_secs(secs));
    assert!(child.try_wait().unwrap().is_none(), "the run ended early");
    signal(child.id(), sig);
    let status = wait(&mut child, Duration::from_secs(120));
    (status.code(), out.join().unwrap(), err.join().unwrap())
}

/// SIGTERM stops `check` with the cases decided before it reported as usual: a small case
/// passes, the cases of 100 parks running or waiting are `stopped` (not failed: a stopped solve
/// is no mismatch), the report's `stopped_by` names the signal, and the exit code is that of an
/// incomplete batch (8). (Before, `check` installed no handler: the signal killed it and nothing
/// was written.)
#[test]
fn sigterm_stops_check_keeping_the_cases_decided() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        path("problems/small/allowed.yaml"),
        dir.path().join("a.yaml"),
    )
    .unwrap();
    let big = dir.path().join("b.yaml");
    generated_100(&big, "expected: { status: optimal }\n");
    for name in ["c.yaml", "d.yaml"] {
        std::fs::copy(&big, dir.path().join(name)).unwrap();
    }
    // Two at a time: `a` and `b` first, then `c` in `a`'s place; `d` waits.
    let args = ["check", "-j", "2", "--no-tie-check", "-f", "json"].map(std::ffi::OsStr::new);
    let mut args = args.to_vec();
    args.push(dir.path().as_os_str());
    let (code, out, err) = signalled(&args, 4, libc::SIGTERM);
    assert_eq!(code, Some(8), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["stopped_by"], "sigterm", "{report}");
    let cases = report["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4, "{report}");
    assert_eq!(cases[0]["outcome"], "pass", "the small case: {report}");
    for c in &cases[1..] {
        assert_eq!(c["outcome"], "stopped", "{c}");
        assert!(c["failures"].as_array().unwrap().is_empty(), "{c}");
        let detail = c["detail"].as_str().unwrap();
        assert!(
            detail == "stopped by SIGTERM while it ran; not decided"
                || detail == "not started: stopped by SIGTERM",
            "{detail}"
        );
    }
    assert_eq!(report["summary"]["stopped"], 3, "{report}");
    assert_eq!(report["summary"]["failed"], 0, "{report}");
    assert!(
        err.contains("stopped by SIGTERM: 3 of 4 case(s) not decided"),
        "{err}"
    );
}

/// Ctrl-C stops `check` the same way; the text report names the stop in its last line.
#[test]
fn ctrl_c_stops_check_and_the_text_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("b.yaml");
    generated_100(&big, "expected: { status: optimal }\n");
    let args = [
        std::ffi::OsStr::new("check"),
        std::ffi::OsStr::new("--no-tie-check"),
        big.as_os_str(),
    ];
    let (code, out, err) = signalled(&args, 3, libc::SIGINT);
    assert_eq!(code, Some(8), "{err}");
    assert!(out.contains("STOPPED "), "{out}");
    assert!(
        out.contains(
            "stopped by Ctrl-C: 0 case(s) decided, 1 stopped while running, 0 not started"
        ),
        "{out}"
    );
    assert!(!out.contains("FAIL"), "{out}");
}

/// SIGTERM stops `explain` of an infeasible problem of 100 parks (strict one-main-chain rule:
/// existing plant must close, and which depends on each park's main chain) with what it has:
/// the changes found, `stopped_by` naming the signal, exit 5; or, stopped before any, a message
/// naming it and exit 6. (Before, the signal killed it and nothing was written.)
#[test]
fn sigterm_stops_explain_with_what_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.yaml");
    generated_100(&file, "");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "one_main_chain: { min_share: 0.3 }",
        "one_main_chain: { min_share: 0.3, strict: true }",
    );
    assert!(text.contains("strict: true"), "the rule is made strict");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("e.json");
    let args = [
        std::ffi::OsStr::new("explain"),
        file.as_os_str(),
        std::ffi::OsStr::new("-f"),
        std::ffi::OsStr::new("json"),
        std::ffi::OsStr::new("-o"),
        out.as_os_str(),
    ];
    let (code, _, err) = signalled(&args, 6, libc::SIGTERM);
    match code {
        Some(5) => {
            let e: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
            assert_eq!(e["status"], "infeasible", "{e}");
            assert_eq!(e["stopped_by"], "sigterm", "{e}");
            assert!(!e["changes"].as_array().unwrap().is_empty(), "{e}");
            if e["proven_smallest"] == true {
                assert_ne!(e["status_after"], "optimal", "{e}");
                assert!(
                    err.contains("stopped by SIGTERM: the changes are the smallest"),
                    "{err}"
                );
            } else {
                assert!(err.contains("stopped by SIGTERM: the changes make the problem feasible but are not proven the smallest"), "{err}");
            }
        }
        Some(6) => {
            assert!(!out.exists(), "nothing written");
            assert!(
                err.contains("stopped by SIGTERM before an explanation was found"),
                "{err}"
            );
        }
        other => panic!("exit {other:?}\n{err}"),
    }
    assert!(!err.contains("time limit"), "{err}");
}
