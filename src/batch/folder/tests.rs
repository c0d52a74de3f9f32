use super::*;
use crate::batch::summary::VariantSummary;
use crate::solver::SolveStatus;

fn row(index: usize, name: &str, status: VariantStatus, main: &str) -> VariantSummary {
    VariantSummary {
        name: name.into(),
        status,
        objective: Some(index as f64),
        output_value: None,
        reuse_value: None,
        main_chains: [("p".to_string(), main.to_string())].into_iter().collect(),
        changed_main_chains: None,
        gap: None,
        tie: None,
        stopped_by: None,
        message: None,
        plan: None,
        not_written: None,
        index,
    }
}

fn summary(shard: Shard, rows: Vec<VariantSummary>) -> Summary {
    Summary {
        problem: Some("t".into()),
        batch: "b".into(),
        total: 5,
        shard: Some(shard),
        variants: rows,
    }
}

#[test]
fn summary_files_sort_in_shard_order() {
    assert_eq!(summary_file(None), "summary.json");
    let s = |index, count| summary_file(Some(Shard { index, count }));
    assert_eq!(s(3, 16), "summary-shard-03-of-16.json");
    assert_eq!(s(0, 1), "summary-shard-0-of-1.json");
    assert_eq!(s(7, 10), "summary-shard-7-of-10.json");
    assert!(is_summary_file(&s(3, 16)) && is_summary_file("summary.json"));
    assert!(!is_summary_file("summary.csv"));
}

#[test]
fn merging_joins_shards_in_batch_order_and_names_the_missing() {
    let d = tempfile::tempdir().unwrap();
    let a = OutDir::create(&d.path().join("a")).unwrap();
    let b = OutDir::create(&d.path().join("b")).unwrap();
    let s0 = Shard { index: 0, count: 3 };
    let s1 = Shard { index: 1, count: 3 };
    a.write_summary(&summary(
        s0,
        vec![
            row(0, "base", VariantStatus::OPTIMAL, "x"),
            row(3, "v3", VariantStatus::OPTIMAL, "y"),
        ],
    ))
    .unwrap();
    b.write_summary(&summary(
        s1,
        vec![
            VariantSummary {
                plan: Some("variants/v1.json".into()),
                ..row(1, "v1", VariantStatus::Solved(SolveStatus::Infeasible), "x")
            },
            row(4, "v4", VariantStatus::OPTIMAL, "x"),
        ],
    ))
    .unwrap();
    let m = merge(&[a.root().to_path_buf(), b.root().to_path_buf()]).unwrap();
    let names: Vec<&str> = m.summary.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["base", "v1", "v3", "v4"]);
    assert_eq!(m.missing, [2]);
    assert_eq!(m.summary.shard, None);
    let changed = m.summary.variants[2].changed_main_chains.as_ref().unwrap();
    assert_eq!(changed.get("p").map(String::as_str), Some("y"));
    assert!(
        m.summary.variants[3]
            .changed_main_chains
            .as_ref()
            .unwrap()
            .is_empty()
    );
    assert_eq!(m.summary.variants[1].changed_main_chains, None);
    assert_eq!(
        m.summary.variants[1].plan.as_deref(),
        Some(b.root().join("variants/v1.json").to_str().unwrap())
    );
}

#[test]
fn a_variant_reported_twice_keeps_its_optimal_row() {
    let d = tempfile::tempdir().unwrap();
    let out = OutDir::create(d.path()).unwrap();
    out.write_summary(&summary(
        Shard { index: 0, count: 2 },
        vec![row(
            0,
            "base",
            VariantStatus::Solved(SolveStatus::TimeLimit),
            "x",
        )],
    ))
    .unwrap();
    out.write_summary(&summary(
        Shard { index: 1, count: 2 },
        vec![row(0, "base", VariantStatus::OPTIMAL, "x")],
    ))
    .unwrap();
    let m = merge(&[d.path().to_path_buf()]).unwrap();
    assert_eq!(m.summary.variants.len(), 1);
    assert_eq!(m.summary.variants[0].status, VariantStatus::OPTIMAL);
}

#[test]
fn summaries_of_other_batches_and_empty_folders_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let a = OutDir::create(&d.path().join("a")).unwrap();
    let b = OutDir::create(&d.path().join("b")).unwrap();
    a.write_summary(&summary(Shard { index: 0, count: 2 }, vec![]))
        .unwrap();
    let mut other = summary(Shard { index: 1, count: 2 }, vec![]);
    other.batch = "c".into();
    b.write_summary(&other).unwrap();
    let err = merge(&[a.root().into(), b.root().into()]).unwrap_err();
    assert!(matches!(err, MergeError::OtherBatch { .. }), "{err}");
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let err = merge(&[empty]).unwrap_err();
    assert!(err.to_string().contains("holds no sweep summary"), "{err}");
}
