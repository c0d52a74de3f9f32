"""Every known optimum (`expected:`) in problems/: the package reaches it, as the CLI does."""

import pytest

import parkplan
from conftest import PROBLEMS, cli_json


def cases():
    out = []
    for path in sorted(PROBLEMS.rglob("*.yaml")):
        problem = parkplan.load(path)
        for variant, expected in problem.expected.items():
            if expected.get("objective") is None and expected.get("status") is None:
                continue
            out.append(pytest.param(path, variant, expected, id=f"{path.relative_to(PROBLEMS)}:{variant}"))
    return out


CASES = cases()


def test_there_are_known_optima_to_check():
    assert len(CASES) >= 30


@pytest.mark.parametrize("path,variant,expected", CASES)
def test_known_optimum(path, variant, expected):
    problem = parkplan.load(path)
    scenario = None if variant == "base" else variant
    plan = problem.solve(scenario=scenario, tie_check=False)
    args = ["solve", path, "--format", "json", "--no-tie-check"]
    if scenario:
        args += ["--scenario", scenario]
    status = expected.get("status") or "optimal"
    by_cli = cli_json(*args, ok=(0, 3, 4))
    assert plan.status == by_cli["status"] == status
    if expected.get("objective") is not None:
        tolerance = expected.get("tolerance") or 1e-6
        assert plan.objective == pytest.approx(expected["objective"], rel=tolerance, abs=tolerance)
        assert plan.objective == pytest.approx(by_cli["objective"], rel=1e-7, abs=1e-9)
    # The file names the main chains of the parks where the optimum is unique.
    for park, chain in (expected.get("main_chains") or {}).items():
        assert plan.main_chains[park] == chain, park
    assert plan.main_chains == by_cli["main_chains"]
    if plan.status == "optimal":
        assert parkplan.verify(problem, plan, scenario=scenario).ok
