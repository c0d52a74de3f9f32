"""Loading problem files, their errors, and changing them from Python."""

import pickle

import pytest

import parkplan
from conftest import LIUPANSHUI, PROBLEMS


def test_load_lists_the_scenarios_and_sweeps_in_file_order():
    problem = parkplan.load(LIUPANSHUI)
    assert problem.scenarios[:3] == ["dry-season", "energy-investment-group", "tax-rebate-pilot"]
    assert problem.sweeps == ["main-chain-share", "reuse-rate"]
    assert "pannan" in problem.parks
    assert problem.path == str(LIUPANSHUI)
    assert problem.expected["base"]["objective"] == pytest.approx(141.105828)


BAD = """\
resources: { land: {} }
parks:
  zhongshan: { capacity: { land: 2.0 } }
chains:
  coal_power: { output: 2.0, uses: { land: 0.5 }, max_per_park: 3 }
  bricks: { output: 0.3, uses: { lnad: 0.1 }, max_per_park: 5 }
"""


def test_a_bad_file_raises_problem_error_with_line_column_and_yaml_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(parkplan.ProblemError) as caught:
        parkplan.load(path)
    e = caught.value
    assert e.path == str(path)
    assert (e.line, e.column) == (6, BAD.splitlines()[5].index("lnad") + 1)
    assert e.yaml_path == "chains.bricks.uses.lnad"
    assert "did you mean `land`?" in str(e)
    assert e.diagnostics[0]["line"] == 6
    # The CLI's message, word for word.
    from conftest import cli

    assert cli("validate", path, ok=(2,)).stderr.strip() == str(e).strip()


def test_a_yaml_syntax_error_has_its_place(tmp_path):
    path = tmp_path / "syntax.yaml"
    path.write_text("parks:\n  a: { capacity: [1, 2\n")
    with pytest.raises(parkplan.ProblemError) as caught:
        parkplan.load(path)
    assert caught.value.line is not None and caught.value.column is not None


def test_a_missing_file_is_a_problem_error(tmp_path):
    with pytest.raises(parkplan.ProblemError) as caught:
        parkplan.load(tmp_path / "nowhere.yaml")
    assert caught.value.line is None


def test_with_changes_sets_values_at_sweep_paths():
    problem = parkplan.load(PROBLEMS / "small" / "park-capacity.yaml")
    land = problem.solve()
    more = problem.with_changes({"parks.*.capacity.land": 100.0})
    assert more.solve().objective > land.objective
    # The original is untouched.
    assert problem.solve().objective == pytest.approx(land.objective, rel=1e-9)


def test_with_changes_of_a_path_that_matches_nothing_names_it():
    problem = parkplan.load(LIUPANSHUI)
    with pytest.raises(parkplan.ProblemError) as caught:
        problem.with_changes({"parks.pannam.capacity.land": 5.2})
    assert caught.value.yaml_path == "parks.pannam.capacity.land"
    assert "did you mean `pannan`?" in str(caught.value)


def test_with_changes_that_make_the_problem_invalid_raise():
    problem = parkplan.load(LIUPANSHUI)
    with pytest.raises(parkplan.ProblemError):
        problem.with_changes({"parks.pannan.capacity.land": -1})


def test_a_problem_pickles_with_its_changes():
    problem = parkplan.load(LIUPANSHUI).with_changes({"parks.pannan.capacity.land": 5.2})
    again = pickle.loads(pickle.dumps(problem))
    assert again.path == problem.path
    assert again._native.changes == problem._native.changes


def test_an_unknown_scenario_raises_problem_error_with_a_suggestion():
    problem = parkplan.load(LIUPANSHUI)
    with pytest.raises(parkplan.ProblemError) as caught:
        problem.solve(scenario="dry-seasn")
    assert "dry-season" in str(caught.value)


def test_bad_options_are_value_errors():
    problem = parkplan.load(PROBLEMS / "small" / "park-capacity.yaml")
    with pytest.raises(ValueError):
        problem.solve(gap=-1)
    with pytest.raises(ValueError):
        problem.solve(time_limit=0)
    with pytest.raises(ValueError):
        problem.solve(mip_start="sometimes")
    with pytest.raises(ValueError):
        problem.sweep(jobs=0)
