//! `parkplan sweep` and `parkplan merge`: a batch of variants solved side by side gives each
//! variant the plan it gets alone; failures are results; an output folder keeps every finished
//! plan and resumes; shards split the batch and merge back into the whole.

use std::path::Path;

use serde_json::Value;

use crate::common::{Test, path, rel_diff, temp_problem};

/// A problem whose optimum moves with each change: x[a] ≤ min(land a, 5), x[b] ≤ min(land b, 5),
/// objective x[a] + x[b] (rule off, no materials), so each variant's optimum is read off its land.
const SMALL: &str = "
name: Two parks, one chain
resources: { land: {}, water: {} }
zones: { z: {} }
parks:
  a: { zone: z, capacity: { land: 2, water: 9 }, existing: { c: 1 } }
  b: { zone: z, capacity: { land: 3, water: 9 } }
chains:
  c: { output: 1, uses: { land: 1, water: 1 }, max_per_park: 5 }
scenarios:
  wider:
    description: every park's land doubled
    scale: { 'parks.*.capacity.land': 2 }
  pooled:
    set: { 'resources.land.pool': 4 }
  capped:
    merge: { chains: { c: { max_per_park: 1.5 } } }
  nowhere:
    scale: { 'parks.*.capacity.soil': 2 }
  dry:
    scale: { 'parks.*.capacity.water': 0.1 }
sweeps:
  land:
    vary:
      'parks.a.capacity.land': [1, 4]
      'parks.b.capacity.land': { from: 0, to: 4, steps: 3 }
";

/// `parkplan sweep ARGS…`, to be given its expectations and run.
fn sweep(args: &[&str]) -> Test {
    Test::new().arg("sweep").args(args)
}

fn variants(summary: &Value) -> &Vec<Value> {
    summary["variants"].as_array().expect("variants")
}

fn by_name<'a>(summary: &'a Value, name: &str) -> &'a Value {
    variants(summary)
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no variant {name}"))
}

#[test]
fn scenarios_and_sweep_points_expand_in_order_with_their_changes() {
    let (_d, file) = temp_problem("small.yaml", SMALL);
    // `nowhere` names a key no park has and `dry` leaves park a less water than it runs on.
    let s = sweep(&[file.to_str().unwrap(), "-f", "json"])
        .status(8)
        // The full diagnostic, with its line, is on standard error.
        .stderr_contains("variant `nowhere` is not solved")
        .stderr_contains("--> ")
        .json();
    let names: Vec<&str> = variants(&s)
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "base",
            "wider",
            "pooled",
            "capped",
            "nowhere",
            "dry",
            // The Cartesian product, the first path changing slowest.
            "land[parks.a.capacity.land=1,parks.b.capacity.land=0.0]",
            "land[parks.a.capacity.land=1,parks.b.capacity.land=2.0]",
            "land[parks.a.capacity.land=1,parks.b.capacity.land=4.0]",
            "land[parks.a.capacity.land=4,parks.b.capacity.land=0.0]",
            "land[parks.a.capacity.land=4,parks.b.capacity.land=2.0]",
            "land[parks.a.capacity.land=4,parks.b.capacity.land=4.0]",
        ]
    );
    let objective = |name: &str| by_name(&s, name)["objective"].as_f64();
    assert_eq!(objective("base"), Some(5.0)); // 2 + 3
    assert_eq!(objective("wider"), Some(9.0)); // scale with a wildcard: 4 + 5
    assert_eq!(objective("pooled"), Some(4.0)); // set creates the pool
    assert_eq!(objective("capped"), Some(3.0)); // merge: 1.5 + 1.5
    assert_eq!(
        objective("land[parks.a.capacity.land=1,parks.b.capacity.land=2.0]"),
        Some(3.0)
    );
    assert_eq!(
        objective("land[parks.a.capacity.land=4,parks.b.capacity.land=4.0]"),
        Some(8.0)
    );
    // Park a's existing activity needs 1 land, more than this point gives it.
    let nowhere = by_name(&s, "nowhere");
    assert_eq!(nowhere["status"], "invalid");
    let msg = nowhere["message"].as_str().unwrap();
    assert!(msg.contains("matches nothing"), "{msg}");
    assert!(msg.contains("small.yaml:"), "file:line expected: {msg}");
    assert!(nowhere["objective"].is_null());
    assert_eq!(by_name(&s, "dry")["status"], "infeasible");
}

#[test]
fn selections_pick_scenarios_and_sweeps_and_unknown_names_are_bad_input() {
    let (_d, file) = temp_problem("small.yaml", SMALL);
    let f = file.to_str().unwrap();
    let s = sweep(&[f, "--scenarios", "capped,wider", "-f", "json"]).json();
    let names: Vec<&str> = variants(&s)
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["base", "capped", "wider"]);
    let s = sweep(&[f, "--sweep", "land", "-f", "json"]).json();
    assert_eq!(variants(&s).len(), 7);

    sweep(&[f, "--scenarios", "wide"])
        .status(2)
        .stderr_contains("did you mean `wider`?")
        .stderr_contains("small.yaml:")
        .run();
    sweep(&[f, "--sweep", "lands"])
        .status(2)
        .stderr_contains("no sweep named `lands`")
        .run();
    for bad in [
        vec!["--shard", "4/4"],
        vec!["--shard", "x"],
        vec!["--resume"],
        vec!["--jobs", "0"],
        vec!["--gap", "-1"],
    ] {
        let mut args = vec![f];
        args.extend(bad.iter().copied());
        sweep(&args).status(2).run();
    }
}

#[test]
fn an_invalid_base_is_bad_input_with_its_line() {
    Test::new()
        .file(
            "bad.yaml",
            SMALL.replace("uses: { land: 1, water: 1 }", "uses: { lnd: 1, water: 1 }"),
        )
        .in_tempdir()
        .args(["sweep", "bad.yaml"])
        .status(2)
        .stderr_contains("bad.yaml:")
        .stdout("")
        .run();
}

/// The Liupanshui file with every sweep point turned into a scenario of its own, so that `solve
/// --scenario` can solve each point alone.
fn points_as_scenarios(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let sweeps = doc["sweeps"].as_mapping().unwrap().clone();
    let scenarios = doc["scenarios"].as_mapping_mut().unwrap();
    for (name, sweep) in &sweeps {
        // Each of the file's sweeps varies one path.
        let (p, values) = sweep["vary"].as_mapping().unwrap().iter().next().unwrap();
        for v in values.as_sequence().unwrap() {
            let label = format!(
                "{}[{}={}]",
                name.as_str().unwrap(),
                p.as_str().unwrap(),
                serde_yaml::to_string(v).unwrap().trim()
            );
            let mut set = serde_yaml::Mapping::new();
            set.insert(p.clone(), v.clone());
            let mut sc = serde_yaml::Mapping::new();
            sc.insert("set".into(), set.into());
            scenarios.insert(label.into(), sc.into());
        }
    }
    let out = dir.join("liupanshui-points.yaml");
    std::fs::write(&out, serde_yaml::to_string(&doc).unwrap()).unwrap();
    out
}

#[test]
fn every_variant_gets_the_plan_it_gets_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // reuse-rate=0.95 is infeasible: the batch says so and still returns every other plan.
    let s = Test::new()
        .arg("sweep")
        .arg(path("problems/liupanshui.yaml"))
        .args(["-f", "json", "-o"])
        .arg(&out)
        .args(["--jobs", "2"])
        .status(8)
        .json();
    assert_eq!(variants(&s).len(), 1 + 6 + 6 + 6);
    let alone_file = points_as_scenarios(dir.path());
    for v in variants(&s) {
        let name = v["name"].as_str().unwrap();
        let mut args = vec![
            "solve".to_string(),
            alone_file.display().to_string(),
            "-f".into(),
            "json".into(),
        ];
        if name != "base" {
            args.push("--scenario".into());
            args.push(name.into());
        }
        // Infeasible alone too (exit 3): the statuses are compared below.
        let alone = Test::new().args(&args).any_status().json();
        assert_eq!(v["status"], alone["status"], "{name}");
        match (v["objective"].as_f64(), alone["objective"].as_f64()) {
            (Some(a), Some(b)) => assert!(rel_diff(a, b) < 1e-6, "{name}: {a} vs {b}"),
            (None, None) => assert_eq!(v["status"], "infeasible", "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        // Among tied optima the sweep keeps the base's main chains; alone, another may come.
        if alone.get("tie").is_none() && v.get("tie").is_none() {
            assert_eq!(v["main_chains"], alone["main_chains"], "{name}");
        }
        // The plan file holds the full plan, the same one `solve` prints, and the fingerprint of
        // the variant it solved.
        let file = out.join(
            v["plan"]
                .as_str()
                .expect("every variant with a plan has a file"),
        );
        let mut plan: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(plan["variant"], name);
        let fingerprint = plan.as_object_mut().unwrap().remove("fingerprint");
        assert!(fingerprint.is_some_and(|f| f.is_string()), "{name}");
        if alone.get("tie").is_none() && plan.get("tie").is_none() {
            assert_eq!(plan, alone, "{name}");
        }
    }
    // The known optima of the scenarios (MODEL.md §8), through the batch.
    let file: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path("problems/liupanshui.yaml")).unwrap())
            .unwrap();
    for (name, sc) in file["scenarios"].as_mapping().unwrap() {
        // A scenario may state no known optimum (no-main-chain-rule is a single LP).
        let Some(want) = sc["expected"]["objective"].as_f64() else {
            continue;
        };
        let got = by_name(&s, name.as_str().unwrap())["objective"]
            .as_f64()
            .unwrap();
        assert!(rel_diff(got, want) < 1e-6, "{name:?}: {got} vs {want}");
    }
    // The summary shows what a scenario changes.
    let strict = by_name(&s, "strict-main-chain");
    assert_eq!(strict["changed_main_chains"]["shuicheng"], "aluminium");
    assert_eq!(
        by_name(&s, "dry-season")["changed_main_chains"],
        serde_json::json!({})
    );
    assert_eq!(
        by_name(&s, "reuse-rate[rules.min_reuse_rate=0.95]")["status"],
        "infeasible"
    );
    // The summary on disk is the one printed.
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(on_disk, s);
}

#[test]
fn plan_files_are_named_safely_and_resume_skips_what_is_done() {
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    let args = |extra: &[&str]| {
        let mut a = vec![
            "sweep".to_string(),
            file.display().to_string(),
            "-f".into(),
            "json".into(),
            "-o".into(),
            out.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let s = Test::new().args(args(&[])).status(8).json();
    let mut files: Vec<String> = std::fs::read_dir(out.join("variants"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    // Every variant with a plan, `nowhere` (invalid) excepted; no temporary files left behind.
    assert_eq!(files.len(), variants(&s).len() - 1, "{files:?}");
    assert!(files.contains(&"base.json".to_string()));
    assert!(files.contains(&"wider.json".to_string()));
    for f in &files {
        assert!(
            f.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c)),
            "{f}"
        );
        assert!(!f.starts_with('.'), "{f}");
    }

    // A run that was stopped: one plan missing, one finished (marked, to see it is not redone).
    let wider = out.join("variants/wider.json");
    std::fs::remove_file(&wider).unwrap();
    let pooled = out.join("variants/pooled.json");
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&pooled).unwrap()).unwrap();
    plan["objective"] = 99.0.into();
    std::fs::write(&pooled, serde_json::to_string(&plan).unwrap()).unwrap();
    // A file that is not the variant's plan is solved again.
    let capped = out.join("variants/capped.json");
    std::fs::write(&capped, "{ not json").unwrap();

    let r = Test::new()
        .args(args(&["--resume"]))
        .status(8)
        .stderr_contains("variant(s) taken from")
        .json();
    assert_eq!(by_name(&r, "pooled")["objective"], 99.0);
    assert_eq!(by_name(&r, "wider")["objective"], 9.0);
    assert_eq!(by_name(&r, "capped")["objective"], 3.0);
    assert!(wider.exists());
    // Without --resume everything is solved again.
    let fresh = Test::new().args(args(&[])).status(8).json();
    assert_eq!(by_name(&fresh, "pooled")["objective"], 4.0);
}

fn summary_rows(s: &Value) -> Vec<Vec<Value>> {
    variants(s)
        .iter()
        .map(|v| {
            [
                "index",
                "name",
                "status",
                "objective",
                "output_value",
                "reuse_value",
                "main_chains",
                "changed_main_chains",
            ]
            .iter()
            .map(|k| v[*k].clone())
            .collect()
        })
        .collect()
}

#[test]
fn shards_are_disjoint_and_merge_into_the_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let file = path("problems/liupanshui.yaml");
    // reuse-rate=0.95 is infeasible: 8.
    let whole = Test::new()
        .arg("sweep")
        .arg(&file)
        .args(["-f", "json"])
        .status(8)
        .json();
    let n = 4;
    let mut seen = Vec::new();
    let mut dirs = Vec::new();
    for k in 0..n {
        // Two shards share a folder, two have one each: merge reads either way.
        let out = dir.path().join(if k < 2 {
            "shared".into()
        } else {
            format!("s{k}")
        });
        let s = Test::new()
            .arg("sweep")
            .arg(&file)
            .args(["--shard", &format!("{k}/{n}"), "-o"])
            .arg(&out)
            .args(["-f", "json"])
            .status_one_of([0, 8])
            .json();
        assert_eq!(s["shard"], format!("{k}/{n}"));
        assert_eq!(s["total"], whole["total"]);
        for v in variants(&s) {
            seen.push(v["index"].as_u64().unwrap());
        }
        if !dirs.contains(&out) {
            dirs.push(out);
        }
    }
    seen.sort();
    let all: Vec<u64> = (0..variants(&whole).len() as u64).collect();
    assert_eq!(seen, all, "shards overlap or miss variants");

    let mut args = vec!["merge".to_string(), "-f".into(), "json".into()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    // The whole batch has an infeasible variant: 8, as for the unsharded run.
    let merged = Test::new().args(&args).status(8).json();
    assert!(merged["shard"].is_null());
    assert_eq!(merged["batch"], whole["batch"]);
    for v in variants(&merged) {
        let plan = v["plan"].as_str().expect("every shard wrote its plans");
        assert!(Path::new(plan).is_file(), "{plan}");
    }
    let (m, w) = (summary_rows(&merged), summary_rows(&whole));
    assert_eq!(m.len(), w.len());
    assert_eq!(m, w);

    // A missing shard is reported and fails the merge.
    Test::new()
        .arg("merge")
        .arg(&dirs[1])
        .args(["-f", "csv"])
        .status(8)
        .stderr_contains("variants are missing")
        .run();
    // Summaries of another batch are refused.
    let (_d, small) = temp_problem("small.yaml", SMALL);
    let other = dir.path().join("other");
    Test::new()
        .arg("sweep")
        .arg(&small)
        .args(["--shard", "0/2", "-o"])
        .arg(&other)
        .status_one_of([0, 8])
        .run();
    Test::new()
        .arg("merge")
        .arg(&dirs[1])
        .arg(&other)
        .status(2)
        .stderr_contains("are not shards of one batch")
        .run();
    Test::new()
        .arg("merge")
        .arg(dir.path().join("nope"))
        .status(2)
        .run();
}

#[test]
fn summary_formats_and_quiet_standard_error() {
    let (_d, file) = temp_problem("small.yaml", SMALL);
    let f = file.to_str().unwrap();
    let mut table = sweep(&[f, "--scenarios", "wider,dry"]).status(8);
    for text in [
        "variant",
        "wider",
        "+4.000",
        "dry: infeasible",
        "2 optimal, 1 infeasible",
    ] {
        table = table.stdout_contains(text);
    }
    table.run();
    // No progress bar when standard error is not a terminal, and nothing else either.
    let csv = sweep(&[f, "--scenarios", "wider", "-f", "csv"])
        .stderr("")
        .run();
    let mut lines = csv.stdout.lines();
    assert!(lines.next().unwrap().starts_with(
        "index,name,status,objective,output_value,reuse_value,gap,main_chain.a,main_chain.b"
    ));
    assert!(lines.next().unwrap().starts_with("0,base,optimal,5,"));
    let yaml = sweep(&[f, "--scenarios", "wider", "-f", "yaml"]).run();
    let y: serde_yaml::Value = serde_yaml::from_str(&yaml.stdout).unwrap();
    assert_eq!(y["variants"][1]["objective"].as_f64(), Some(9.0));
}

#[test]
fn a_time_limit_applies_to_each_variant_and_is_reported() {
    let run = Test::new()
        .args([
            "sweep",
            "problems/liupanshui.yaml",
            "--scenarios",
            "dry-season",
            "--time-limit",
            "0.000001",
            "-f",
            "json",
        ])
        .any_status()
        .run();
    // Which statuses come out depends on the machine; each is a result, none an abort.
    let s = run.json();
    assert_eq!(variants(&s).len(), 2);
    let mut all_optimal = true;
    for v in variants(&s) {
        let status = v["status"].as_str().unwrap();
        assert!(
            ["optimal", "time_limit", "no_solution"].contains(&status),
            "{status}"
        );
        all_optimal &= status == "optimal";
        if status != "optimal" {
            assert!(v["message"].as_str().unwrap().contains("time limit"));
        }
    }
    assert_eq!(run.code, if all_optimal { 0 } else { 8 });
}

/// `sweep FILE -f json -o OUT EXTRA…` as arguments.
fn into(file: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut a = vec![
        "sweep".to_string(),
        file.display().to_string(),
        "-f".into(),
        "json".into(),
        "-o".into(),
        out.display().to_string(),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

/// The plan files in `out/variants`, sorted.
fn plan_files(out: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(out.join("variants"))
        .unwrap()
        .map(|e| format!("variants/{}", e.unwrap().file_name().into_string().unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn resume_solves_again_the_plans_of_an_edited_problem_or_other_options() {
    // `--resume` took any plan file with the variant's name: after an edit of the problem the
    // summary showed the old base beside re-solved points.
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    let args = &["--scenarios", "wider"];
    let s = Test::new().args(into(&file, &out, args)).json();
    assert_eq!(by_name(&s, "base")["objective"], 5.0);
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("variants/base.json")).unwrap())
            .unwrap();
    assert!(plan["fingerprint"].is_string(), "{plan}");
    // Park b gets more land: the base changes, and so does `wider`, which doubles it.
    std::fs::write(
        &file,
        SMALL.replace("land: 3, water: 9", "land: 4, water: 9"),
    )
    .unwrap();
    let r = Test::new()
        .args(into(&file, &out, &[args[0], args[1], "--resume"]))
        .stderr_contains("re-solving 2 plans whose problem or options changed: base, wider")
        .stderr_lacks("taken from")
        .json();
    assert_eq!(by_name(&r, "base")["objective"], 6.0);
    assert_eq!(by_name(&r, "wider")["objective"], 9.0);
    // Unchanged: taken as they are.
    Test::new()
        .args(into(&file, &out, &[args[0], args[1], "--resume"]))
        .stderr_contains("2 variant(s) taken from")
        .stderr_lacks("re-solving")
        .run();
    // Another gap is another result.
    Test::new()
        .args(into(
            &file,
            &out,
            &[args[0], args[1], "--resume", "--gap", "1e-3"],
        ))
        .stderr_contains("re-solving 2 plans")
        .run();
    // A plan written before plans had fingerprints is solved again too.
    let mut old: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("variants/base.json")).unwrap())
            .unwrap();
    old.as_object_mut().unwrap().remove("fingerprint");
    std::fs::write(out.join("variants/base.json"), old.to_string()).unwrap();
    Test::new()
        .args(into(
            &file,
            &out,
            &[args[0], args[1], "--resume", "--gap", "1e-3"],
        ))
        .stderr_contains("re-solving 1 plans whose problem or options changed: base")
        .run();
}

#[test]
fn merge_refuses_shards_of_different_versions_of_a_problem() {
    // The batch fingerprint covered the variant names only: shards of an edited file merged.
    let (d, file) = temp_problem("small.yaml", SMALL);
    let (a, b) = (d.path().join("a"), d.path().join("b"));
    Test::new()
        .args(into(&file, &a, &["--shard", "0/2"]))
        .status(8)
        .run();
    std::fs::write(
        &file,
        SMALL.replace("land: 3, water: 9", "land: 4, water: 9"),
    )
    .unwrap();
    Test::new()
        .args(into(&file, &b, &["--shard", "1/2"]))
        .status(8)
        .run();
    let r = Test::new()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .status(2)
        .stderr_contains("are not shards of one batch")
        .stderr_contains("different versions of problem")
        .run();
    assert!(r.stderr.contains(&a.display().to_string()), "{}", r.stderr);
    assert!(r.stderr.contains(&b.display().to_string()), "{}", r.stderr);
    // Other options, same file: refused too.
    Test::new()
        .args(into(&file, &a, &["--shard", "0/2", "--gap", "1e-3"]))
        .status(8)
        .run();
    Test::new()
        .arg("merge")
        .arg(&a)
        .arg(&b)
        .status(2)
        .stderr_contains("are not shards of one batch")
        .run();
}

#[test]
fn a_folder_another_sweep_is_writing_is_refused_at_once() {
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = std::fs::File::create(out.join(".parkplan.lock")).unwrap();
    lock.try_lock().unwrap();
    Test::new()
        .args(into(&file, &out, &[]))
        .status(1)
        .stderr_contains("is being written by another parkplan sweep")
        .run();
    // Shards share a folder with each other, never with a sweep of the whole batch.
    Test::new()
        .args(into(&file, &out, &["--shard", "0/2"]))
        .status(1)
        .stderr_contains("is being written by another parkplan sweep")
        .run();
    lock.unlock().unwrap();
    lock.try_lock_shared().unwrap();
    Test::new()
        .args(into(
            &file,
            &out,
            &["--shard", "0/2", "--scenarios", "wider"],
        ))
        .run();
    let own = std::fs::File::create(out.join(".parkplan.shard-1-of-2.lock")).unwrap();
    own.try_lock().unwrap();
    Test::new()
        .args(into(
            &file,
            &out,
            &["--shard", "1/2", "--scenarios", "wider"],
        ))
        .status(1)
        .stderr_contains("another run of the same shard")
        .run();
}

#[test]
fn the_summary_agrees_with_the_plan_files_in_the_folder() {
    // A rerun without --resume that was stopped left the old summary beside new plans; a smaller
    // batch left the plans of variants it no longer has.
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    Test::new().args(into(&file, &out, &[])).status(8).run();
    assert!(plan_files(&out).len() > 3);
    let s = Test::new()
        .args(into(&file, &out, &["--scenarios", "wider"]))
        .json();
    let listed: Vec<String> = variants(&s)
        .iter()
        .filter_map(|v| v["plan"].as_str().map(String::from))
        .collect();
    assert_eq!(plan_files(&out), listed);
    let on_disk: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(on_disk, s);
    // A variant invalid now loses the plan an earlier run left for it.
    std::fs::write(
        out.join("variants/nowhere.json"),
        std::fs::read_to_string(out.join("variants/base.json"))
            .unwrap()
            .replace("\"variant\": \"base\"", "\"variant\": \"nowhere\""),
    )
    .unwrap();
    Test::new()
        .args(into(&file, &out, &["--scenarios", "nowhere", "--resume"]))
        .status(8)
        .run();
    assert_eq!(plan_files(&out), ["variants/base.json"]);
}

#[test]
fn a_sweep_removes_the_temporary_files_a_killed_run_left() {
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    Test::new()
        .args(into(&file, &out, &["--scenarios", "wider"]))
        .run();
    // What a run killed in the middle of a write leaves (util::atomic's temporaries).
    std::fs::write(out.join("variants/.parkplan-Ab12Cd"), "{ half a pl").unwrap();
    std::fs::write(out.join(".parkplan-Xy34Zw"), "{ half a summ").unwrap();
    Test::new()
        .args(into(&file, &out, &["--scenarios", "wider", "--resume"]))
        .stderr_contains("removed 2 temporary file(s) left in")
        .run();
    assert!(!out.join("variants/.parkplan-Ab12Cd").exists());
    assert!(!out.join(".parkplan-Xy34Zw").exists());
    assert!(out.join(".parkplan.lock").exists());
}

#[cfg(unix)]
#[test]
fn a_plan_that_cannot_be_written_keeps_its_result_and_the_run_exits_1() {
    // A write that failed turned the row into `error` without its objective (exit 8), and a
    // summary that could not be written printed nothing. /dev/full fails every write, as root too.
    let (d, file) = temp_problem("small.yaml", SMALL);
    let out = d.path().join("out");
    std::fs::create_dir_all(out.join("variants")).unwrap();
    std::os::unix::fs::symlink("/dev/full", out.join("variants/base.json")).unwrap();
    std::os::unix::fs::symlink("/dev/full", out.join("summary.json")).unwrap();
    let s = Test::new()
        .args(into(&file, &out, &["--scenarios", "wider"]))
        .status(1)
        .stderr_contains("error: cannot write")
        .stderr_contains("variants/base.json")
        .stderr_contains("summary.json")
        .json();
    let base = by_name(&s, "base");
    assert_eq!(base["status"], "optimal");
    assert_eq!(base["objective"], 5.0);
    assert_eq!(base["plan"], Value::Null);
    assert!(
        base["not_written"]
            .as_str()
            .unwrap()
            .contains("No space left on device"),
        "{base}"
    );
    assert_eq!(by_name(&s, "wider")["plan"], "variants/wider.json");
    // The table says it too, and --resume neither reads the device nor gives up.
    Test::new()
        .arg("sweep")
        .arg(&file)
        .args(["--scenarios", "wider", "--resume", "-o"])
        .arg(&out)
        .status(1)
        .stdout_contains("optimal (not written)")
        .stdout_contains("solved but not written to the output folder")
        .run();
}
