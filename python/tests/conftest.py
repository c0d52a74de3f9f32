"""Shared set-up: the repository's problems and the `parkplan` binary the package is compared
with (PARKPLAN_BIN, or target/release/parkplan of this checkout)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = ROOT / "problems"
LIUPANSHUI = PROBLEMS / "liupanshui.yaml"


def cli_path() -> Path:
    given = os.environ.get("PARKPLAN_BIN")
    path = Path(given) if given else ROOT / "target" / "release" / "parkplan"
    if not path.exists():
        raise RuntimeError(
            f"the parkplan binary is not at {path}: build it with `cargo build --release` "
            "or point PARKPLAN_BIN at it"
        )
    return path


def cli(*args: str, ok=(0,)) -> subprocess.CompletedProcess:
    """Runs the parkplan binary; its exit code must be one of `ok`."""
    run = subprocess.run(
        [str(cli_path()), *map(str, args)], capture_output=True, text=True, check=False
    )
    assert run.returncode in ok, f"parkplan {' '.join(map(str, args))}: exit {run.returncode}\n{run.stderr}"
    return run


def cli_json(*args: str, ok=(0,)):
    return json.loads(cli(*args, ok=ok).stdout)


@pytest.fixture(scope="session")
def large_problem(tmp_path_factory) -> Path:
    """A generated problem of 300 parks: a MILP that takes HiGHS a while."""
    path = tmp_path_factory.mktemp("large") / "parks-300.yaml"
    cli("generate", "--parks", "300", "--chains", "12", "--seed", "7", "-o", path)
    return path
