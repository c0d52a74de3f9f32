"""Solving: the plan's figures, its document and its DataFrames, against the CLI."""

import math

import pandas as pd
import pytest
from pandas.api import types

import parkplan
from conftest import LIUPANSHUI, PROBLEMS, cli_json


@pytest.fixture(scope="module")
def liupanshui():
    problem = parkplan.load(LIUPANSHUI)
    return problem, problem.solve()


def test_liupanshui_solves_to_its_known_optimum_with_the_cli_main_chains(liupanshui):
    _, plan = liupanshui
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(141.105828, rel=1e-6)
    by_cli = cli_json("solve", LIUPANSHUI, "--format", "json")
    assert plan.main_chains == by_cli["main_chains"]
    assert plan.objective == pytest.approx(by_cli["objective"], rel=1e-9)
    assert plan.gap == pytest.approx(by_cli["gap"], abs=1e-9)
    assert not plan.interrupted


def same(a, b, path="plan"):
    """Documents equal, numbers within 1e-7 relative (two runs of HiGHS)."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), path
        assert a == pytest.approx(b, rel=1e-7, abs=1e-9), path
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), path
        for k in a:
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


def test_to_dict_is_the_document_of_solve_format_json(liupanshui):
    _, plan = liupanshui
    same(plan.to_dict(), cli_json("solve", LIUPANSHUI, "--format", "json"))


def test_a_scenario_and_module_level_solve():
    plan = parkplan.solve(LIUPANSHUI, scenario="dry-season", gap=1e-6, mip_start="off")
    assert plan.variant == "dry-season"
    assert plan.objective == pytest.approx(135.353254, rel=1e-6)


def test_activities_frame(liupanshui):
    problem, plan = liupanshui
    a = plan.activities
    assert list(a.columns) == ["park", "chain", "activity", "unit", "existing", "output_value"]
    for c in ["activity", "existing", "output_value"]:
        assert types.is_float_dtype(a[c]), c
    for c in ["park", "chain"]:
        assert types.is_string_dtype(a[c]) or a[c].dtype == object, c
    doc = plan.to_dict()
    assert len(a) == sum(len(chains) for chains in doc["activities"].values())
    row = a[(a.park == "pannan") & (a.chain == plan.main_chains["pannan"])].iloc[0]
    assert row.activity == pytest.approx(doc["activities"]["pannan"][row.chain])
    assert row.output_value == pytest.approx(doc["chain_output"]["pannan"][row.chain])
    # Output value by park adds up to the plan's.
    by_park = a.groupby("park")["output_value"].sum()
    for park, value in doc["park_output"].items():
        assert by_park.get(park, 0.0) == pytest.approx(value, abs=1e-6)
    assert a["existing"].ge(0).all()


def test_resources_frame(liupanshui):
    _, plan = liupanshui
    r = plan.resources
    assert list(r.columns) == [
        "where", "resource", "unit", "used", "capacity", "utilisation", "slack",
        "shadow_price", "range_from", "range_to",
    ]
    for c in ["used", "capacity", "utilisation", "slack", "shadow_price", "range_from", "range_to"]:
        assert types.is_float_dtype(r[c]), c
    doc = plan.to_dict()["resources"]
    assert len(r) == len(doc)
    for (_, row), d in zip(r.iterrows(), doc):
        assert (row["where"] if isinstance(row["where"], str) else None) == d["park"]
        assert row.used == pytest.approx(d["used"])
        sp = d.get("shadow_price")
        assert (math.isnan(row.shadow_price) if sp is None else row.shadow_price == pytest.approx(sp))
        rng = d.get("price_range") or {}
        if rng.get("to") is not None:
            assert row.range_to == pytest.approx(rng["to"])
    # Some limit binds in the Liupanshui plan, and it has a price and a range.
    priced = r[r.shadow_price.fillna(0) != 0]
    assert len(priced) > 0


def test_flows_frame(liupanshui):
    _, plan = liupanshui
    f = plan.flows
    assert list(f.columns) == ["material", "from", "to", "amount"]
    assert types.is_float_dtype(f["amount"])
    assert len(f) == len(plan.to_dict()["flows"]) > 0


def test_a_multi_period_plan_has_a_period_column():
    problem = parkplan.load(PROBLEMS / "liupanshui-2035.yaml")
    plan = problem.solve()
    assert plan.periods
    for frame in (plan.activities, plan.resources, plan.flows):
        assert frame.columns[0] == "period"
        assert set(frame["period"]) <= set(plan.periods)
    assert set(plan.activities["period"]) == set(plan.periods)
    by_cli = cli_json("solve", PROBLEMS / "liupanshui-2035.yaml", "--format", "json")
    assert plan.objective == pytest.approx(by_cli["objective"], rel=1e-7)


def test_an_infeasible_problem_is_a_plan_with_its_status_and_empty_frames():
    plan = parkplan.load(PROBLEMS / "small" / "infeasible-capacity.yaml").solve()
    assert plan.status == "infeasible"
    assert plan.objective is None
    assert plan.message
    assert len(plan.activities) == 0 and list(plan.activities.columns)[0] == "park"


def test_verify_accepts_the_plan_and_catches_a_changed_one(liupanshui):
    problem, plan = liupanshui
    checked = parkplan.verify(problem, plan)
    assert checked.ok and checked["checked"] > 0
    doc = plan.to_dict()
    park = "pannan"
    chain = plan.main_chains[park]
    doc["activities"][park][chain] *= 1.5
    wrong = problem.verify(problem.plan_from_dict(doc))
    assert not wrong.ok
    assert list(wrong.violations.columns) == ["family", "constraint", "message", "amount", "plan_path"]
    assert len(wrong.violations) > 0


def test_render_gives_the_cli_formats(liupanshui):
    _, plan = liupanshui
    assert "pannan" in plan.render("table")
    assert plan.render("html").lstrip().lower().startswith("<!doctype html")
    with pytest.raises(ValueError):
        plan.render("pdf")


def test_html_of_a_plan(liupanshui):
    _, plan = liupanshui
    html = plan._repr_html_()
    assert "<table" in html and "pannan" in html and "optimal" in html
