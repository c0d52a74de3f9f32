//! Plant in units (MODEL.md §12) through every command: `validate`'s warning, `enumerate`'s
//! MILPs, `verify` of what a plan states it builds, `compare`, `generate --units-share`,
//! `explain`, `robust`, `pareto`, `alternatives`, `designations`, `sweep`, `check`,
//! `--mip-start` and periods. Each figure is checked against one obtained another way: derived by
//! hand in the problem file's comments (`problems/small/units-robust.yaml`,
//! `units-infeasible-reuse.yaml`), or by `enumerate` on the same problem with a designation
//! forced.

use crate::common::{Test, path, rel_diff};

const ROBUST: &str = "problems/small/units-robust.yaml";

/// `a` and `b` equal within a relative 1e-6.
fn close(a: f64, b: f64) -> bool {
    rel_diff(a, b) <= 1e-6
}

/// The objective `enumerate` prints: one MILP per main-chain assignment, solved on its own.
fn enumerated(args: &[&str]) -> f64 {
    let out = Test::new()
        .arg("enumerate")
        .args(args)
        .stdout_contains("MILP(s) solved")
        .stdout_contains("so each assignment is a MILP")
        .run()
        .stdout;
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("objective: "))
        .unwrap_or_else(|| panic!("no objective in {out}"));
    line.trim().parse().unwrap()
}

#[test]
fn validate_warns_where_a_minimum_exceeds_what_a_park_could_ever_build() {
    Test::new()
        .args(["validate", "problems/small/units-min-above-cap.yaml"])
        .stderr_contains(
            "warning: chain `polysilicon` cannot grow in park `a`: its smallest new build, 2, is above the 1.5 the park's limits allow",
        )
        .stderr_contains("(at chains.polysilicon.build.min)")
        .stderr_contains("help: lower chains.polysilicon.build.min")
        .run();
    // The same limits without `build:` warn of nothing.
    let text = std::fs::read_to_string(path("problems/small/units-min-above-cap.yaml")).unwrap();
    Test::new()
        .file("p.yaml", text.replace("    build: { min: 2.0 }\n", ""))
        .in_tempdir()
        .args(["validate", "p.yaml"])
        .stderr_lacks("warning")
        .run();
}

#[test]
fn enumerate_says_it_solves_a_milp_per_assignment() {
    let out = Test::new()
        .args(["enumerate", ROBUST])
        .stdout_contains("4 assignment(s), 4 MILP(s) solved")
        .stdout_contains(
            "chains built in units keep whole units and switches once the main chains are fixed, so each assignment is a MILP",
        )
        .run()
        .stdout;
    assert!(out.contains("objective: 20.000000000"), "{out}");
    // Without units, the same command solves LPs and says so.
    Test::new()
        .args(["enumerate", "problems/small/robust-vss.yaml"])
        .stdout_contains("LP(s) solved")
        .stdout_lacks("MILP")
        .run();
}

#[test]
fn verify_rejects_a_plan_whose_stated_units_disagree_with_its_activity() {
    let t = Test::new()
        .arg("solve")
        .arg(path("problems/small/units-under-cap.yaml"))
        .args(["-f", "json", "-o", "plan.json"])
        .in_tempdir()
        .run();
    let plan = std::fs::read_to_string(t.tmp("plan.json")).unwrap();
    // The plan builds two batteries over the existing one: activity 3.
    let mut json: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(json["activities"]["a"]["coking"], 3.0);
    assert_eq!(json["built_units"]["a"]["coking"]["units"], 2.0);
    Test::with_tempdir(t.tempdir)
        .in_tempdir()
        .args([
            "verify",
            &path("problems/small/units-under-cap.yaml")
                .display()
                .to_string(),
            "plan.json",
        ])
        .run();
    // Edited by hand to say three batteries: refused, naming park, chain and both figures.
    json["built_units"]["a"]["coking"]["units"] = 3.0.into();
    let edited = serde_json::to_string_pretty(&json).unwrap();
    Test::new()
        .file("edited.json", edited)
        .in_tempdir()
        .args(["verify"])
        .arg(path("problems/small/units-under-cap.yaml"))
        .arg("edited.json")
        .status(7)
        .stdout_contains(
            "the plan states 3 units of `coking` built in park `a`, but its activity gives 2 units of 1: 2 over the existing 1 (activity 3)",
        )
        .run();
}

#[test]
fn compare_shows_a_change_in_units_built() {
    // The dry season idles park a's paper machine and builds a cement kiln there instead.
    let out = Test::new()
        .args(["compare", "--scenarios", ROBUST])
        .run()
        .stdout;
    let a = &out[out.find("■ a").unwrap()..out.find("■ b").unwrap()];
    let row = |label: &str| -> Vec<&str> {
        let at = a.find(label).unwrap_or_else(|| panic!("no {label} in {a}"));
        let lines: Vec<&str> = a[at..].lines().take(2).collect();
        lines
    };
    let paper = row("paper units built");
    assert!(
        paper[0].contains("1.000") && paper[0].ends_with("0 │"),
        "{paper:?}"
    );
    assert!(paper[1].contains("Δ −1.000"), "{paper:?}");
    let cement = row("cement built");
    assert!(cement[1].contains("Δ +1.000"), "{cement:?}");
    // Park b keeps its machine: no change line.
    let b = &out[out.find("■ b").unwrap()..];
    let at = b.find("paper units built").unwrap();
    assert!(!b[at..].lines().nth(1).unwrap().contains('Δ'), "{b}");
}

#[test]
fn generate_puts_build_on_about_the_share_of_chains_asked_and_the_file_solves() {
    let t = Test::new()
        .in_tempdir()
        .args(["generate", "--parks", "10", "--chains", "40", "--seed", "1"])
        .args(["--units-share", "0.33", "-o", "units.yaml"])
        .run();
    let with = std::fs::read_to_string(t.tmp("units.yaml")).unwrap();
    let t = Test::with_tempdir(t.tempdir)
        .in_tempdir()
        .args(["generate", "--parks", "10", "--chains", "40", "--seed", "1"])
        .args(["-o", "plain.yaml"])
        .run();
    let without = std::fs::read_to_string(t.tmp("plain.yaml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&with).unwrap();
    let chains = doc["chains"].as_mapping().unwrap();
    assert_eq!(chains.len(), 40);
    let built: Vec<_> = chains
        .values()
        .filter(|c| c.get("build").is_some())
        .collect();
    // Each chain is drawn with probability 0.33: 13.2 of 40 on average, sd 3; this seed gives 12.
    assert!((8..=19).contains(&built.len()), "{} of 40", built.len());
    for c in &built {
        // A tenth of the chain's cap, to three figures.
        let unit = c["build"]["unit"].as_f64().unwrap();
        let cap = c["max_per_park"].as_f64().unwrap();
        assert!(rel_diff(unit, cap / 10.0) < 5e-3, "{unit} against {cap}");
    }
    // The rest of the file is the file without units, line for line.
    let stripped: String = with
        .lines()
        .filter(|l| !l.trim_start().starts_with("build:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(stripped, without);
    // It solves, and its plan builds whole units (verify's own arithmetic).
    let t = Test::with_tempdir(t.tempdir)
        .in_tempdir()
        .args(["solve", "units.yaml", "-f", "json", "-o", "plan.json"])
        .run();
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.tmp("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["status"], "optimal");
    Test::with_tempdir(t.tempdir)
        .in_tempdir()
        .args(["verify", "units.yaml", "plan.json"])
        .run();
}

#[test]
fn explain_asks_for_what_whole_units_need_and_says_so() {
    // Derived by hand in the file: two whole kilns need 1 more land; a sliver of bricks would
    // need 0.6 (the same problem without units).
    Test::new()
        .args(["explain", "problems/small/units-infeasible-reuse.yaml"])
        .stdout_contains("1. park a needs 1 km² more land (3 → 4 km²)")
        .stdout_contains("Some chains here come in units (`build:`)")
        .stdout_contains("a change may be larger than a sliver of plant")
        .stdout_contains("With these changes the best plan's objective is 8.")
        .run();
    Test::new()
        .args(["explain", "problems/small/infeasible-reuse-rate.yaml"])
        .stdout_contains("park a needs 0.6 more land (3 → 3.6)")
        .stdout_lacks("come in units")
        .run();
}

#[test]
fn robust_main_chains_with_units_match_the_hand_derivation_and_enumeration() {
    let r = Test::new().args(["robust", ROBUST, "-f", "json"]).json();
    let f = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("no {k} in {r}"));
    // RP, VSS and EVPI as derived in the file.
    assert!(close(f("objective"), 17.0), "{r}");
    assert!(close(f("vss"), 2.0), "{r}");
    assert!(close(f("evpi"), 1.5), "{r}");
    assert_eq!(r["main_chains"]["a"], "cement", "{r}");
    assert_eq!(r["main_chains"]["b"], "paper", "{r}");
    // WS = Σ π_s · (scenario s's optimum), each optimum from enumeration's MILPs.
    let ws = 0.5 * enumerated(&[ROBUST]) + 0.5 * enumerated(&[ROBUST, "-s", "dry-season"]);
    assert!(close(ws, 18.5));
    assert!(close(f("evpi"), ws - f("objective")), "{r}");
}

#[test]
fn pareto_with_units_starts_at_the_optimum_and_gives_up_output_for_reuse() {
    let front = Test::new()
        .args([
            "pareto",
            "problems/liupanshui-units.yaml",
            "--points",
            "3",
            "-f",
            "json",
        ])
        .json();
    let points = front["points"].as_array().unwrap();
    assert_eq!(points.len(), 3, "{front}");
    // The first point is the problem's optimum, confirmed by enumeration and GLPK
    // (scripts/confirm-units.sh).
    assert!(
        close(points[0]["objective"].as_f64().unwrap(), 137.49321),
        "{front}"
    );
    for w in points.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            b["total_reuse"].as_f64() > a["total_reuse"].as_f64(),
            "{front}"
        );
        assert!(
            b["output_value"].as_f64() < a["output_value"].as_f64(),
            "{front}"
        );
    }
    // Whole plant gives up output against the same front of the plan in slivers.
    let lp = Test::new()
        .args([
            "pareto",
            "problems/liupanshui.yaml",
            "--points",
            "3",
            "-f",
            "json",
        ])
        .json();
    let first = |f: &serde_json::Value| f["points"][0]["output_value"].as_f64().unwrap();
    assert!(first(&front) <= first(&lp) + 1e-6, "{front}\n{lp}");
}

#[test]
fn alternatives_with_units_rank_the_assignments_as_derived() {
    let solved = Test::new().args(["solve", ROBUST, "-f", "json"]).json();
    let alts = Test::new()
        .args(["alternatives", ROBUST, "--count", "4", "-f", "json"])
        .json();
    let plans = alts["plans"].as_array().unwrap_or_else(|| panic!("{alts}"));
    let objectives: Vec<f64> = plans
        .iter()
        .map(|p| p["objective"].as_f64().unwrap())
        .collect();
    // The best is solve's optimum; then the file's table: 17, 17, 7.
    assert!(close(objectives[0], solved["objective"].as_f64().unwrap()));
    for (got, want) in objectives.iter().zip([20.0, 17.0, 17.0, 7.0]) {
        assert!(close(*got, want), "{objectives:?}");
    }
    assert_eq!(objectives.len(), 4);
}

#[test]
fn designations_with_units_lose_what_enumeration_with_the_designation_forced_loses() {
    let d = Test::new()
        .args(["designations", ROBUST, "-f", "json"])
        .json();
    let optimum = enumerated(&[ROBUST]);
    let text = std::fs::read_to_string(path(ROBUST)).unwrap();
    let list = d["designations"]
        .as_array()
        .unwrap_or_else(|| panic!("{d}"));
    assert_eq!(list.len(), 4, "{d}");
    for x in list {
        let (park, chain) = (x["park"].as_str().unwrap(), x["chain"].as_str().unwrap());
        // The designation forced: the park may run that chain only.
        let water = if park == "a" { 4 } else { 8 };
        let line = format!("    capacity: {{ land: 10, water: {water} }}\n");
        assert!(text.contains(&line));
        let forced = text.replace(&line, &format!("{line}    allowed: [{chain}]\n"));
        let out = Test::new()
            .file("forced.yaml", forced)
            .in_tempdir()
            .args(["enumerate", "forced.yaml"])
            .run()
            .stdout;
        let z: f64 = out
            .lines()
            .find_map(|l| l.strip_prefix("objective: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let loss = x["loss"].as_f64().unwrap();
        assert!(
            (loss - (optimum - z)).abs() < 1e-6,
            "{park} → {chain}: loss {loss}, enumeration {}",
            optimum - z
        );
    }
}

#[test]
fn a_sweep_over_the_unit_size_gives_the_derived_optima() {
    // Paper machines of 0.5 or 1.5 fill each park's cap of 1.5 (30 in all); of 1.0, one each (20).
    let text = std::fs::read_to_string(path(ROBUST)).unwrap()
        + "sweeps:\n  machines:\n    vary: { \"chains.paper.build.unit\": [0.5, 1.0, 1.5] }\n";
    let out = Test::new()
        .file("p.yaml", text)
        .in_tempdir()
        .args(["sweep", "p.yaml", "--sweep", "machines", "-f", "json"])
        .run()
        .stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let variants = v["variants"].as_array().unwrap_or_else(|| panic!("{v}"));
    let got: Vec<(&str, f64)> = variants
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap(),
                x["objective"].as_f64().unwrap(),
            )
        })
        .collect();
    // The base, then the sweep's points in the order listed.
    let want = [
        ("base", 20.0),
        ("machines[chains.paper.build.unit=0.5]", 30.0),
        ("machines[chains.paper.build.unit=1.0]", 20.0),
        ("machines[chains.paper.build.unit=1.5]", 30.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((name, obj), (want_name, want_obj)) in got.iter().zip(want) {
        assert_eq!(*name, want_name, "{got:?}");
        assert!(close(*obj, want_obj), "{got:?}");
    }
}

#[test]
fn check_solves_and_verifies_every_units_problem() {
    let files: Vec<String> = std::fs::read_dir(path("problems/small"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("units-"))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(files.len() >= 7, "{files:?}");
    let out = Test::new()
        .arg("check")
        .args(&files)
        .stdout_contains("0 failed, 0 invalid, 0 solver error(s)")
        .run()
        .stdout;
    assert!(
        out.contains("units-robust.yaml") && out.contains("dry-season"),
        "{out}"
    );
    let verified = out.lines().filter(|l| l.contains("plan verified")).count();
    assert!(verified >= 7, "{out}");
}

#[test]
fn a_mip_start_reaches_the_same_optima_with_units() {
    for (file, optimum) in [
        (ROBUST, 20.0),
        ("problems/small/units-fixed-above-pool.yaml", 8.0),
        ("problems/liupanshui-units.yaml", 137.49321),
    ] {
        let plan = Test::new()
            .args(["solve", file, "--mip-start", "on", "-f", "json"])
            .json();
        let got = plan["objective"].as_f64().unwrap();
        assert!(close(got, optimum), "{file}: {got}");
        assert!(!plan["built_units"].is_null() || optimum == 8.0, "{file}");
    }
}

#[test]
fn periods_with_units_state_each_period_s_build_and_verify_checks_them() {
    // Derived in the file: one battery in 2025 (its pipeline's 2 of funds with it), three more
    // in 2030 without a second pipeline.
    let file = path("problems/small/units-fixed-funds-once.yaml");
    let t = Test::new()
        .arg("solve")
        .arg(&file)
        .args(["-f", "json", "-o", "plan.json"])
        .in_tempdir()
        .run();
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.tmp("plan.json")).unwrap()).unwrap();
    let units = |p: &serde_json::Value| p["built_units"]["a"]["coking"]["units"].as_f64();
    assert_eq!(units(&plan["periods"][0]), Some(1.0));
    assert_eq!(units(&plan["periods"][1]), Some(4.0));
    assert_eq!(units(&plan), Some(4.0));
    let fixed = |p: &serde_json::Value| {
        p["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["resource"] == "funds")
            .and_then(|r| r["fixed"].as_f64())
    };
    assert_eq!(fixed(&plan["periods"][0]), Some(2.0));
    assert_eq!(fixed(&plan["periods"][1]), None);
    Test::with_tempdir(t.tempdir)
        .in_tempdir()
        .arg("verify")
        .arg(&file)
        .arg("plan.json")
        .run();
    // The horizon's own statement edited to five batteries: refused, and so is a period's.
    plan["built_units"]["a"]["coking"]["units"] = 5.0.into();
    Test::new()
        .file("top.json", serde_json::to_string(&plan).unwrap())
        .in_tempdir()
        .arg("verify")
        .arg(&file)
        .arg("top.json")
        .status(7)
        .stdout_contains("the plan states 5 units of `coking` built in park `a`, but its activity gives 4 units of 1: 4 over the existing 0 (activity 4)")
        .run();
    plan["built_units"]["a"]["coking"]["units"] = 4.0.into();
    plan["periods"][0]["built_units"]["a"]["coking"]["units"] = 2.0.into();
    Test::new()
        .file("period.json", serde_json::to_string(&plan).unwrap())
        .in_tempdir()
        .arg("verify")
        .arg(&file)
        .arg("period.json")
        .status(7)
        .stdout_contains("in period `2025`: the plan states 2 units of `coking` built in park `a`, but its activity gives 1 unit of 1")
        .run();
}

#[test]
fn the_reports_of_the_flagship_in_units_read_as_built_plant() {
    let file = "problems/liupanshui-units.yaml";
    // Liuzhi builds two 1 Mt/yr coke batteries over its existing 1.0 and pays a pipeline and a
    // rail yard once: 0.8 of funds and 0.1 of land, as the file declares for coking.
    let text = Test::new().args(["solve", file]).run().stdout;
    assert!(
        text.contains("built in units: coking: +2 × 1.0 Mt/yr coke, existing 1.0"),
        "{text}"
    );
    assert_eq!(text.matches("of which fixed outlays").count(), 4, "{text}");
    let md = Test::new()
        .args(["report", file, "-f", "markdown"])
        .run()
        .stdout;
    assert!(md.contains("### Built in units"), "{md}");
    assert!(
        md.contains("coking: +2 × 1.0 Mt/yr coke, existing 1.0"),
        "{md}"
    );
    assert!(md.contains("↳ of which fixed outlays"), "{md}");
    let html = crate::report_content::written(&["report", file], "r.html");
    // Under the plan's totals, the builds on one line.
    assert!(
        html.contains("Built in units, in 4 park(s): liuzhi coking +2 × 1.0 Mt/yr coke; "),
        "{html}"
    );
    let start = html.find("<h3>Built in units</h3>").expect("the section");
    let part = &html[start..];
    let part = &part[..part.find("<h3>Resource utilisation").unwrap_or(part.len())];
    // Park, chain (with their names), the new plant in whole units, the plant before and in all.
    assert!(
        part.contains(">+2 × 1.0 Mt/yr coke</td><td>1.0</td><td>3.0 Mt/yr coke</td>"),
        "{part}"
    );
    assert!(
        part.contains(">+1 × 0.6 GW</td><td>1.2</td><td>1.8 GW</td>"),
        "{part}"
    );
    assert!(part.contains("<h3>Fixed outlays</h3>"), "{part}");
    assert!(part.contains("funds<br><span class=\"name\">"), "{part}");
    assert!(
        part.contains("↳ of which fixed outlays</td><td class=\"num\">0.800</td>"),
        "{part}"
    );
}

#[test]
fn shadow_prices_are_those_of_the_plan_with_its_units_held() {
    // units-under-cap: two batteries are built; with them held, one more km² of land goes to
    // agri-processing (output 1), never to a third of a battery (which would be worth 5).
    let plan = Test::new()
        .args(["solve", "problems/small/units-under-cap.yaml", "-f", "json"])
        .json();
    assert_eq!(plan["shadow_price_basis"], "fixed_main_chains");
    let land = &plan["resources"][0];
    assert_eq!(land["resource"], "land");
    assert!(close(land["shadow_price"].as_f64().unwrap(), 1.0), "{land}");
    Test::new()
        .args(["solve", "problems/small/units-under-cap.yaml"])
        .stdout_contains("Shadow prices (at the chosen main chains and the units built)")
        .run();
}
