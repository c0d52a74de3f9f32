//! `parkplan generate`: seeded, deterministic, and feasible by construction.

use crate::common::Test;

fn generate(args: &[&str]) -> String {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    Test::new().args(all).run().stdout
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_differs() {
    let args = ["--parks", "20", "--chains", "25", "--seed", "11"];
    let a = generate(&args);
    let b = generate(&args);
    assert_eq!(a, b);
    let c = generate(&["--parks", "20", "--chains", "25", "--seed", "12"]);
    assert_ne!(a, c);
    assert!(a.contains("p20:") && a.contains("coal_mine_2:"), "{a}");
}

#[test]
fn generated_problems_validate_solve_optimal_and_verify() {
    for exchange in ["within", "across", "none"] {
        for (parks, chains) in [("5", "6"), ("12", "17"), ("30", "20")] {
            let run = Test::new()
                .args([
                    "generate",
                    "--parks",
                    parks,
                    "--chains",
                    chains,
                    "--exchange",
                    exchange,
                    "--seed",
                    "5",
                    "-o",
                    "g.yaml",
                ])
                .in_tempdir()
                .run();
            Test::with_tempdir(run.tempdir)
                .in_tempdir()
                .args(["validate", "g.yaml"])
                .stdout_contains(format!("ok ({parks} parks, {chains} chains"))
                .run();
        }
    }
    // Solving and verifying: one size per exchange mode is enough to keep the suite quick; the
    // others are covered by the same construction.
    for (exchange, parks) in [("within", "30"), ("across", "12"), ("none", "5")] {
        let run = Test::new()
            .args([
                "generate",
                "--parks",
                parks,
                "--chains",
                "17",
                "--exchange",
                exchange,
                "--seed",
                "9",
                "--min-share",
                "0.4",
                "-o",
                "g.yaml",
            ])
            .in_tempdir()
            .run();
        let run = Test::with_tempdir(run.tempdir)
            .in_tempdir()
            .args(["solve", "g.yaml", "-f", "json", "-o", "plan.json"])
            .run();
        let plan: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(run.tmp("plan.json")).unwrap()).unwrap();
        assert_eq!(plan["status"], "optimal", "{exchange} {parks}");
        Test::with_tempdir(run.tempdir)
            .in_tempdir()
            .args(["verify", "g.yaml", "plan.json"])
            .stdout_contains("feasible")
            .run();
    }
}

#[test]
fn a_share_of_one_still_gives_a_feasible_problem() {
    let run = Test::new()
        .args([
            "generate",
            "--parks",
            "6",
            "--chains",
            "10",
            "--min-share",
            "1",
            "-o",
            "g.yaml",
        ])
        .in_tempdir()
        .run();
    Test::with_tempdir(run.tempdir)
        .in_tempdir()
        .args(["solve", "g.yaml", "-f", "json"])
        .stdout_contains("\"status\": \"optimal\"")
        .run();
}

#[test]
fn bad_arguments_are_refused_clearly() {
    for (args, message) in [
        (
            vec!["--parks", "0", "--chains", "3"],
            "--parks must be between 1 and",
        ),
        (
            vec!["--parks", "3", "--chains", "0"],
            "--chains must be between 1 and",
        ),
        (
            vec!["--parks", "3", "--chains", "3", "--materials", "9"],
            "--materials must be between 1 and 8",
        ),
        (
            vec!["--parks", "3", "--chains", "3", "--zones", "4"],
            "--zones must be between 1 and the number of parks (3), not 4",
        ),
        (
            vec!["--parks", "3", "--chains", "3", "--min-share", "1.2"],
            "--min-share must be a share between 0 and 1",
        ),
    ] {
        let mut all = vec!["generate"];
        all.extend(args);
        Test::new()
            .args(all)
            .status(2)
            .stderr_contains(message)
            .stdout("")
            .run();
    }
    Test::new()
        .args([
            "generate",
            "--parks",
            "3",
            "--chains",
            "3",
            "--exchange",
            "sideways",
        ])
        .status(2)
        .stderr_contains("invalid value 'sideways'")
        .run();
}
