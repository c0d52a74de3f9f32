use super::*;
use crate::solver::SolveStatus;
use indexmap::IndexMap;
use std::path::Path;

const FILE: &str = "
name: t
resources: { land: {} }
zones: { z: {} }
parks:
  a: { zone: z, capacity: { land: 10 }, existing: { c: 1 } }
  b: { zone: z, capacity: { land: 6 } }
chains:
  c: { output: 1, uses: { land: 1 }, max_per_park: 5 }
scenarios:
  wide: { scale: { 'parks.*.capacity.land': 2 } }
  broken: { set: { 'parks.z.capacity.land': 1 } }
  narrow: { scale: { 'parks.a.capacity.land': 0.5 } }
sweeps:
  land:
    vary:
      'parks.a.capacity.land': [1, 2]
      'parks.b.capacity.land': { from: 1, to: 3, steps: 3 }
  bad:
    vary: { 'parks.a.capcity.land': [1] }
";

fn file() -> (SourceFile, Problem) {
    let src = SourceFile::parse(Path::new("t.yaml"), FILE.into()).unwrap();
    let base = src.base_problem().unwrap();
    (src, base)
}

fn all() -> Selection {
    Selection {
        base: true,
        ..Selection::default()
    }
}

#[test]
fn lists_base_scenarios_then_sweep_points_in_file_order() {
    let (src, base) = file();
    let e = list(&src, &base, &all()).unwrap().entries();
    let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 1 + 3 + 6 + 1);
    assert_eq!(&names[..4], ["base", "wide", "broken", "narrow"]);
    assert_eq!(
        names[4],
        "land[parks.a.capacity.land=1,parks.b.capacity.land=1.0]"
    );
    assert_eq!(
        names[9],
        "land[parks.a.capacity.land=2,parks.b.capacity.land=3.0]"
    );
    assert_eq!(names[10], "bad");
    assert!(e.iter().enumerate().all(|(i, e)| e.index == i));
}

#[test]
fn a_change_that_cannot_be_applied_is_that_variant_s_error() {
    let (src, base) = file();
    let e = list(&src, &base, &all()).unwrap().entries();
    let broken = e[2].variant.as_ref().unwrap_err();
    assert!(
        one_line(broken).contains("has no `z`"),
        "{}",
        one_line(broken)
    );
    assert!(one_line(broken).contains("t.yaml:"), "{}", one_line(broken));
    let bad = e[10].variant.as_ref().unwrap_err();
    assert!(
        one_line(bad).contains("did you mean `capacity`?"),
        "{}",
        one_line(bad)
    );
    assert!(e[1].variant.is_ok() && e[3].variant.is_ok());
}

#[test]
fn unknown_names_are_bad_input() {
    let (src, base) = file();
    let sel = Selection {
        base: true,
        scenarios: Some(vec!["wid".into()]),
        sweeps: Some(vec![]),
        ..Selection::default()
    };
    let err = list(&src, &base, &sel).unwrap_err().to_string();
    assert!(err.contains("did you mean `wide`?"), "{err}");
    let sel = Selection {
        base: true,
        scenarios: Some(vec![]),
        sweeps: Some(vec!["lnd".into()]),
        ..Selection::default()
    };
    let err = list(&src, &base, &sel).unwrap_err().to_string();
    assert!(err.contains("no sweep named `lnd`"), "{err}");
    assert!(err.contains("did you mean `land`?"), "{err}");
}

#[test]
fn a_selection_keeps_batch_order_and_names_stay_unique() {
    let (src, base) = file();
    let sel = Selection {
        base: true,
        scenarios: Some(vec!["narrow".into(), "wide".into(), "wide".into()]),
        sweeps: Some(vec![]),
        ..Selection::default()
    };
    let e = list(&src, &base, &sel).unwrap().entries();
    let names: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["base", "narrow", "wide", "wide#2"]);
    assert_eq!(e[3].variant.as_ref().unwrap().name, "wide#2");
}

#[test]
fn shards_are_disjoint_and_cover_the_batch() {
    let (src, base) = file();
    let e = list(&src, &base, &all()).unwrap().entries();
    for n in 1..=5 {
        let mut seen: Vec<usize> = (0..n)
            .flat_map(|k| {
                Shard { index: k, count: n }
                    .select(e.clone())
                    .into_iter()
                    .map(|e| e.index)
            })
            .collect();
        seen.sort();
        assert_eq!(seen, (0..e.len()).collect::<Vec<_>>(), "{n} shards");
    }
}

#[test]
fn a_batch_with_an_infeasible_and_an_invalid_variant_still_solves_the_rest() {
    let text = format!("{FILE}  starved:\n    vary: {{ 'parks.a.capacity.land': [0.5, 8] }}\n");
    let src = SourceFile::parse(Path::new("t.yaml"), text).unwrap();
    let base = src.base_problem().unwrap();
    let mut sel = all();
    sel.sweeps = Some(vec!["starved".into()]);
    sel.scenarios = Some(vec!["broken".into(), "wide".into()]);
    let entries = list(&src, &base, &sel).unwrap().entries();
    let options = RunOptions {
        solve: SolveOptions::default(),
        jobs: 2,
        out: None,
        resume: false,
        ties: Ties::Check,
    };
    let count = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = run(&src, entries, &options, &|_, _| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(count.into_inner(), outcomes.len());
    let s = Summary::new(
        Some("t".into()),
        "x".into(),
        outcomes.len(),
        None,
        &outcomes,
    );
    let got: Vec<(&str, VariantStatus)> = s
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.status))
        .collect();
    assert_eq!(got[0], ("base", VariantStatus::OPTIMAL));
    assert_eq!(got[1], ("broken", VariantStatus::Invalid));
    assert_eq!(got[2], ("wide", VariantStatus::OPTIMAL));
    // Park a's existing activity needs more land than it has: infeasible, and the batch goes on.
    assert_eq!(got[3].1, VariantStatus::Solved(SolveStatus::Infeasible));
    assert_eq!(got[4].1, VariantStatus::OPTIMAL);
    assert_eq!(s.variants[0].objective, Some(10.0));
    assert_eq!(s.variants[2].objective, Some(10.0));
    assert_eq!(s.variants[0].changed_main_chains, Some(IndexMap::new()));
    assert!(
        s.variants[1]
            .message
            .as_deref()
            .unwrap()
            .contains("has no `z`")
    );
    assert!(!s.all_optimal());
}
