//! Bugs that were fixed, one test each, named after what it pins so that a failure says which
//! one came back.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use crate::common::{Test, path, problem_files};

/// Time limits at which HiGHS stops Liupanshui at different stages on a typical machine: before
/// any plan, with a plan and a poor bound, with a plan close to optimal, or done.
const TIME_LIMITS: [&str; 6] = ["0.000001", "0.001", "0.005", "0.01", "0.02", "0.05"];

#[test]
fn an_unknown_mip_gap_is_reported_as_unknown_not_as_zero() {
    // HiGHS reports an infinite gap when it has no bound yet; it was printed as 0, as if the plan
    // were optimal. Which statuses come out depends on the machine: each must be consistent.
    for limit in TIME_LIMITS {
        let run = Test::new()
            .args([
                "solve",
                "problems/liupanshui.yaml",
                "--time-limit",
                limit,
                "-f",
                "json",
            ])
            .status_one_of([0, 5, 6])
            .stderr_lacks("NaN")
            .run();
        let plan = run.json();
        let gap = &plan["gap"];
        match plan["status"].as_str().unwrap() {
            "optimal" => assert!(gap.as_f64().unwrap() <= 1e-6, "{limit}: {plan}"),
            "time_limit" => match gap.as_f64() {
                Some(g) => {
                    assert!(g > 0.0, "{limit}: stopped early with a gap of 0");
                    assert!(
                        run.stderr.contains("% of optimal"),
                        "{limit}: {}",
                        run.stderr
                    );
                }
                None => assert!(
                    run.stderr.contains("how far from optimal is not known yet"),
                    "{limit}: {}",
                    run.stderr
                ),
            },
            "no_solution" => assert!(gap.is_null(), "{limit}: {plan}"),
            other => panic!("{limit}: status {other}"),
        }
    }
}

#[test]
fn sweep_never_reports_a_nan_gap() {
    // A variant stopped by the time limit before HiGHS had a bound was summarised as "within NaN %
    // of optimal".
    for limit in TIME_LIMITS {
        let sweep = |format: &str| {
            Test::new()
                .args([
                    "sweep",
                    "problems/liupanshui.yaml",
                    "--scenarios",
                    "dry-season,strict-main-chain",
                    "--time-limit",
                    limit,
                    "-f",
                    format,
                ])
                .status_one_of([0, 8])
                .stdout_lacks("NaN")
                .stderr_lacks("NaN")
                .run()
        };
        let table = sweep("table");
        assert!(!table.stdout.contains("nan %"), "{}", table.stdout);
        let csv = sweep("csv");
        let mut lines = csv.stdout.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let gap = header.iter().position(|h| *h == "gap").unwrap();
        for line in lines {
            let cell = line.split(',').nth(gap).unwrap();
            assert!(
                cell.is_empty() || cell.parse::<f64>().is_ok_and(f64::is_finite),
                "{limit}: gap `{cell}` in {line}"
            );
        }
        for v in sweep("json").json()["variants"].as_array().unwrap() {
            let gap = &v["gap"];
            assert!(gap.is_null() || gap.is_f64() || gap.is_u64(), "{v}");
            if let Some(m) = v["message"].as_str() {
                assert!(!m.contains("NaN"), "{m}");
            }
        }
    }
}

#[test]
#[cfg(unix)]
fn a_closed_output_pipe_ends_quietly() {
    // `parkplan … | head` failed on the closed pipe with an error on standard error instead of
    // stopping like other filters. The MPS file of Liupanshui (about 90 kB) is more than a pipe
    // holds, so the binary writes after its reader is gone. (Not through `Test`, which reads
    // all the output.)
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args([
            "export",
            "problems/liupanshui.yaml",
            "-o",
            "-",
            "--format",
            "mps",
        ])
        .current_dir(path(""))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away without reading anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
        "{:?}: {stderr}",
        out.status
    );
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
#[cfg(unix)]
fn output_files_are_readable_by_others() {
    // Output files start as owner-only temporary files and were left that way (0600).
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let run = Test::new()
        .in_tempdir()
        .arg("solve")
        .arg(path("problems/small/city-pool.yaml"))
        .args(["-f", "json", "-o", "plan.json"])
        .run();
    assert_eq!(mode(&run.tmp("plan.json")), 0o644);
    let run = Test::with_tempdir(run.tempdir)
        .in_tempdir()
        .arg("sweep")
        .arg(path("problems/small/park-capacity.yaml"))
        .args(["-o", "out"])
        .run();
    assert_eq!(mode(&run.tmp("out/summary.json")), 0o644);
    assert_eq!(mode(&run.tmp("out/variants/base.json")), 0o644);
}

#[test]
fn merged_plan_paths_resolve_from_where_merge_runs() {
    // A merged summary gave each plan file relative to its shard's folder, which is not where
    // merge runs.
    let dir = tempfile::tempdir().unwrap();
    for (k, folder) in [("0/2", "a"), ("1/2", "b")] {
        Test::new()
            .current_dir(dir.path())
            .arg("sweep")
            .arg(path("problems/small/park-capacity.yaml"))
            .args(["--shard", k, "-o", folder])
            .run();
    }
    let summary = Test::new()
        .current_dir(dir.path())
        .args(["merge", "a", "b", "-f", "json"])
        .json();
    let variants = summary["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);
    for v in variants {
        let plan = v["plan"].as_str().expect("a plan file");
        assert!(dir.path().join(plan).is_file(), "{plan}");
    }
}

#[test]
fn explain_lists_changes_of_equal_weight_in_the_order_of_their_sentences() {
    // infeasible-pool.yaml needs land +0.2 on 1 and pooled funds +0.4 on 2: the same weight,
    // listed in either order from one run to the next.
    for _ in 0..3 {
        let run = Test::new()
            .args(["explain", "problems/small/infeasible-pool.yaml"])
            .stdout_contains("1. park hongguo needs 0.2 km² more land (1 → 1.2 km²)")
            .stdout_contains("2. pooled funds short by 0.4 bn CNY (city pool 2 → 2.4 bn CNY)")
            .run();
        assert!(!run.stdout.contains("3. "), "{}", run.stdout);
    }
}

/// The lines of `text` that are rows of a table (the header among them).
fn table_rows(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with('│')).count()
}

#[test]
fn tables_keep_each_row_on_one_line() {
    // Table cells were wrapped to fit 120 columns, breaking sweep-point names mid-word and the
    // Pareto table's headers over several lines.
    let run = Test::new()
        .args(["sweep", "problems/liupanshui.yaml", "--sweep", "reuse-rate"])
        .status(8)
        .run();
    for v in ["0.6", "0.7", "0.8", "0.85", "0.9", "0.95"] {
        let name = format!("reuse-rate[rules.min_reuse_rate={v}]");
        assert!(
            run.stdout.lines().any(|l| l.contains(&name)),
            "{name} not on one line:\n{}",
            run.stdout
        );
    }
    // The header, the base and six points.
    assert_eq!(table_rows(&run.stdout), 8, "{}", run.stdout);
    let run = Test::new()
        .args(["pareto", "problems/liupanshui.yaml", "-n", "3"])
        .stdout_contains("output given up per extra unit reused")
        .run();
    // The header and three points.
    assert_eq!(table_rows(&run.stdout), 4, "{}", run.stdout);
}

#[test]
fn no_material_flows_both_ways_between_two_parks() {
    // Partner parks were shown sending a material to each other at once; the plan nets it out.
    for file in problem_files() {
        let run = Test::new()
            .arg("solve")
            .arg(&file)
            .args(["-f", "json"])
            .status_one_of([0, 3, 4])
            .run();
        let plan = run.json();
        let Some(flows) = plan["flows"].as_array() else {
            continue;
        };
        let mut seen = HashSet::new();
        for f in flows {
            if f["amount"].as_f64().unwrap() <= 0.0 {
                continue;
            }
            let (m, from, to) = (
                f["material"].as_str().unwrap(),
                f["from"].as_str().unwrap(),
                f["to"].as_str().unwrap(),
            );
            assert!(
                !seen.contains(&(m, to, from)),
                "{}: {m} flows both ways between {from} and {to}",
                file.display()
            );
            seen.insert((m, from, to));
        }
    }
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_or_to_dev_stdout_writes_through_it() {
    // `-o` used to rename a temporary file over whatever the target was: a symlink became a
    // regular file, and `-o /dev/stdout` into a pipe failed or replaced the link.
    let test = Test::new().file("plans/real.json", "old");
    let real = test.tmp("plans/real.json");
    let link = test.tmp("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let link_arg = link.to_str().unwrap().to_string();
    let _run = test
        .args([
            "solve",
            "problems/small/park-capacity.yaml",
            "-f",
            "json",
            "-o",
        ])
        .arg(&link_arg)
        .run();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("\"status\": \"optimal\"")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_parkplan"))
        .args([
            "solve",
            "problems/small/park-capacity.yaml",
            "-f",
            "json",
            "-o",
            "/dev/stdout",
        ])
        .current_dir(path(""))
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"status\": \"optimal\""));
}
