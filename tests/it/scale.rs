//! Scale: the model grows linearly in parks (counts, not times), and `--timings` prints its one
//! line in the shape `timings: NAME SECONDS s, …, total SECONDS s` that scripts parse.

use crate::common::{Test, path};

/// Columns, rows and nonzeros of the model of a generated problem of `parks` parks × 40 chains,
/// trading across zones: columns and rows from `export`'s summary, nonzeros counted in the MPS
/// file's COLUMNS section (objective coefficients included).
fn size(parks: usize) -> (f64, f64, f64) {
    let n = parks.to_string();
    let args = [
        "generate",
        "--parks",
        &n,
        "--chains",
        "40",
        "--materials",
        "8",
        "--exchange",
        "across",
        "--seed",
        "1",
        "-o",
        "g.yaml",
    ];
    let run = Test::new().args(args).in_tempdir().run();
    let run = Test::with_tempdir(run.tempdir)
        .in_tempdir()
        .args(["export", "g.yaml", "-o", "m.mps"])
        .run();
    // `m.mps: 1856 columns (377 binary), 2098 rows`
    let words: Vec<&str> = run.stderr.split_whitespace().collect();
    let before = |w: &str| -> f64 {
        let i = words.iter().position(|x| x.trim_end_matches(',') == w);
        words[i.unwrap_or_else(|| panic!("no `{w}` in {}", run.stderr)) - 1]
            .parse()
            .unwrap()
    };
    let (cols, rows) = (before("columns"), before("rows"));
    let mps = std::fs::read_to_string(run.tmp("m.mps")).unwrap();
    let mut nonzeros = 0usize;
    let mut in_columns = false;
    for line in mps.lines() {
        if !line.starts_with(' ') {
            in_columns = line.starts_with("COLUMNS");
            continue;
        }
        if in_columns && !line.contains("MARKER") {
            // `name row value` or `name row value row value`.
            nonzeros += (line.split_whitespace().count() - 1) / 2;
        }
    }
    (cols, rows, nonzeros as f64)
}

#[test]
fn the_model_grows_linearly_in_parks() {
    let sizes: Vec<(usize, (f64, f64, f64))> =
        [100, 200, 400].into_iter().map(|n| (n, size(n))).collect();
    let per_park = |f: fn(&(f64, f64, f64)) -> f64| -> Vec<f64> {
        sizes.iter().map(|(n, s)| f(s) / *n as f64).collect()
    };
    for (what, v) in [
        ("columns", per_park(|s| s.0)),
        ("rows", per_park(|s| s.1)),
        ("nonzeros", per_park(|s| s.2)),
    ] {
        let (lo, hi) = v.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
        // Generated parks differ, so the counts per park wander a little (about 2 % here); a
        // model growing as parks² would double them from 100 to 400 parks.
        assert!(
            lo > 0.0 && hi / lo < 1.15,
            "{what} per park {v:?} at 100, 200 and 400 parks"
        );
    }
}

/// The names and seconds of a `timings:` line, which must be the last line of standard error.
fn timings(stderr: &str) -> Vec<(String, f64)> {
    let line = stderr.lines().last().unwrap_or_default();
    let laps = line
        .strip_prefix("timings: ")
        .unwrap_or_else(|| panic!("no timings line in {stderr}"));
    laps.split(", ")
        .map(|lap| {
            let parts: Vec<&str> = lap.split(' ').collect();
            assert!(parts.len() == 3 && parts[2] == "s", "lap `{lap}` in {line}");
            let t: f64 = parts[1].parse().unwrap_or_else(|_| panic!("`{lap}`"));
            assert!(t >= 0.0, "{lap}");
            (parts[0].to_string(), t)
        })
        .collect()
}

#[test]
fn timings_name_each_step_of_export_and_solve() {
    let file = path("problems/liupanshui.yaml").display().to_string();
    let run = Test::new()
        .in_tempdir()
        .args(["export", &file, "-o", "m.lp", "--timings"])
        .run();
    let names: Vec<String> = timings(&run.stderr).into_iter().map(|l| l.0).collect();
    assert_eq!(
        names,
        ["load", "validate", "build", "highs", "write", "total"],
        "{}",
        run.stderr
    );
    let run = Test::new()
        .args(["solve", &file, "--timings", "-f", "json"])
        .run();
    let laps = timings(&run.stderr);
    let names: Vec<&str> = laps.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "load", "validate", "build", "highs", "solve", "plan", "write", "total"
        ],
        "{}",
        run.stderr
    );
    // The laps add up to the total, within the rounding of each to a millisecond.
    let sum: f64 = laps[..laps.len() - 1].iter().map(|l| l.1).sum();
    let total = laps[laps.len() - 1].1;
    assert!((sum - total).abs() <= 0.001 * laps.len() as f64, "{laps:?}");
    // Without the flag, no such line.
    Test::new()
        .args(["solve", &file, "-f", "json"])
        .stderr_lacks("timings:")
        .run();
}
