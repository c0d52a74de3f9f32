"""Sweeps, robust plans, alternatives, explanations and Pareto fronts, against the CLI."""

import pytest
from pandas.api import types

import parkplan
from conftest import LIUPANSHUI, PROBLEMS, cli_json


def summary_rows(document):
    return [
        (v["name"], v["status"], v.get("objective"), v.get("main_chains"), v.get("changed_main_chains"))
        for v in document["variants"]
    ]


def assert_same_summary(ours, theirs):
    assert ours["batch"] == theirs["batch"]
    assert ours["total"] == theirs["total"]
    a, b = summary_rows(ours), summary_rows(theirs)
    assert [r[:2] for r in a] == [r[:2] for r in b]
    for x, y in zip(a, b):
        if y[2] is None:
            assert x[2] is None
        else:
            assert x[2] == pytest.approx(y[2], rel=1e-7, abs=1e-9), x[0]
        assert x[3] == y[3], x[0]
        assert x[4] == y[4], x[0]


@pytest.fixture(scope="module")
def liupanshui_sweep():
    return parkplan.load(LIUPANSHUI).sweep(jobs=2)


def test_a_sweep_equals_parkplan_sweep(liupanshui_sweep):
    by_cli = cli_json("sweep", LIUPANSHUI, "--format", "json", "--jobs", "2", ok=(0, 8))
    assert_same_summary(liupanshui_sweep.to_dict(), by_cli)


def test_the_sweep_summary_frame_and_plans(liupanshui_sweep):
    s = liupanshui_sweep.summary
    assert list(s.columns) == [
        "variant", "status", "objective", "output_value", "reuse_value", "gap",
        "main_chains", "changed", "message",
    ]
    for c in ["objective", "output_value", "reuse_value", "gap"]:
        assert types.is_float_dtype(s[c]), c
    assert s.variant.iloc[0] == "base"
    assert s.objective.iloc[0] == pytest.approx(141.105828, rel=1e-6)
    plans = liupanshui_sweep.plans
    assert plans["base"].objective == pytest.approx(s.objective.iloc[0])
    # Every variant solved has its plan, whatever its status (an infeasible point's says so).
    assert set(plans) == set(s.variant[~s.status.isin(["invalid", "error"])])
    assert plans["reuse-rate[rules.min_reuse_rate=0.95]"].status == "infeasible"
    assert "<table" in liupanshui_sweep._repr_html_()


def test_a_sweep_keeps_the_variants_that_solve_and_reports_the_others(tmp_path):
    text = (PROBLEMS / "small" / "main-chain-basic.yaml").read_text()
    path = tmp_path / "with-a-bad-scenario.yaml"
    path.write_text(text + "\nscenarios:\n  typo: { set: { parks.nowhere.capacity.land: 1 } }\n  wider: { scale: { parks.*.capacity.land: 2 } }\n")
    sweep = parkplan.load(path).sweep()
    s = sweep.summary.set_index("variant")
    assert s.loc["typo", "status"] == "invalid"
    assert "nowhere" in sweep.failed["typo"]
    assert s.loc["wider", "status"] == "optimal" and s.loc["base", "status"] == "optimal"
    assert_same_summary(sweep.to_dict(), cli_json("sweep", path, "--format", "json", ok=(8,)))


def test_a_sweep_of_chosen_scenarios_and_progress():
    seen = []
    sweep = parkplan.load(LIUPANSHUI).sweep(scenarios=["dry-season"], progress=seen.append)
    assert list(sweep.summary.variant) == ["base", "dry-season"]
    assert seen and seen[-1] == {"done": 2, "total": 2}


def test_robust_matches_the_known_robust_optimum():
    path = PROBLEMS / "small" / "robust-vss.yaml"
    problem = parkplan.load(path)
    expected = problem.expected["base"]["robust"]
    r = problem.robust()
    assert r.objective == pytest.approx(expected["objective"], rel=1e-6)
    if expected.get("main_chains"):
        assert r.main_chains == expected["main_chains"]
    by_cli = cli_json("robust", path, "--format", "json")
    assert r.to_dict()["objective"] == pytest.approx(by_cli["objective"], rel=1e-9)
    assert len(r.scenarios) == len(by_cli["scenarios"])


def test_alternatives_match_the_known_ranking():
    path = PROBLEMS / "small" / "alternatives-three.yaml"
    problem = parkplan.load(path)
    expected = problem.expected["base"]["alternatives"]
    alts = problem.alternatives(len(expected))
    assert [round(o, 6) for o in alts.summary.objective] == [round(e["objective"], 6) for e in expected]
    assert [p.objective for p in alts.plans] == pytest.approx(list(alts.summary.objective))
    by_cli = cli_json("alternatives", path, "--count", str(len(expected)), "--format", "json")
    assert [p["main_chains"] for p in alts.to_dict()["plans"]] == [p["main_chains"] for p in by_cli["plans"]]


def test_explain_names_the_changes_the_cli_names():
    path = PROBLEMS / "small" / "infeasible-capacity.yaml"
    e = parkplan.load(path).explain()
    by_cli = cli_json("explain", path, "--format", "json")
    assert e["status"] == "infeasible"
    assert [c["message"] for c in e["changes"]] == [c["message"] for c in by_cli["changes"]]
    assert e["total_weight"] == pytest.approx(by_cli["total_weight"])


def test_pareto_front_equals_the_cli_front():
    front = parkplan.load(LIUPANSHUI).pareto(points=4, jobs=2)
    by_cli = cli_json("pareto", LIUPANSHUI, "--points", "4", "--format", "json", "--jobs", "2")
    p = front.points
    assert list(p.columns) == ["epsilon", "status", "output_value", "total_reuse", "objective"]
    assert len(p) == len(by_cli["points"]) >= 2
    assert list(p.output_value) == pytest.approx([q["output_value"] for q in by_cli["points"]], rel=1e-6)
    assert p.output_value.is_monotonic_decreasing or len(p) == 1
    assert "<table" in front._repr_html_()
