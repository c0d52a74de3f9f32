"""A sweep spread over a Dask LocalCluster of two workers equals `parkplan sweep` of the file."""

import pytest

import parkplan
from conftest import LIUPANSHUI, PROBLEMS, cli_json
from test_analyses import assert_same_summary

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_a_dask_sweep_equals_parkplan_sweep(client):
    problem = parkplan.load(LIUPANSHUI)
    seen = []
    sweep = problem.sweep(client=client, sweeps=["reuse-rate"], scenarios=["dry-season"], progress=seen.append)
    by_cli = cli_json(
        "sweep", LIUPANSHUI, "--format", "json", "--sweep", "reuse-rate", "--scenarios", "dry-season",
        ok=(0, 8),
    )
    assert_same_summary(sweep.to_dict(), by_cli)
    assert len(sweep.plans) == len(by_cli["variants"])
    assert seen[-1] == {"done": len(by_cli["variants"]), "total": len(by_cli["variants"])}
    # The same as a local sweep, row for row.
    local = problem.sweep(sweeps=["reuse-rate"], scenarios=["dry-season"])
    assert sweep.summary.drop(columns=["objective", "output_value", "reuse_value", "gap"]).equals(
        local.summary.drop(columns=["objective", "output_value", "reuse_value", "gap"])
    )


def test_a_dask_sweep_reports_failed_variants_and_keeps_the_rest(client, tmp_path):
    text = (PROBLEMS / "small" / "main-chain-basic.yaml").read_text()
    path = tmp_path / "with-a-bad-scenario.yaml"
    path.write_text(text + "\nscenarios:\n  typo: { set: { parks.nowhere.capacity.land: 1 } }\n  wider: { scale: { parks.*.capacity.land: 2 } }\n")
    sweep = parkplan.load(path).sweep(client=client)
    assert_same_summary(sweep.to_dict(), cli_json("sweep", path, "--format", "json", ok=(8,)))
    assert "typo" in sweep.failed and set(sweep.plans) == {"base", "wider"}


def test_a_task_that_fails_on_the_cluster_is_a_variant_with_status_error(client):
    from parkplan import _dask

    problem = parkplan.load(PROBLEMS / "small" / "park-capacity.yaml")
    outline, fingerprint = problem._native.sweep_outline()

    def boom():
        raise OSError("worker lost")

    future = client.submit(boom, pure=False)
    text = _dask._result(future, 0, outline[0][1])
    sweep = parkplan.Sweep(problem._native.assemble_sweep(fingerprint, len(outline), [text]))
    assert sweep.summary.status.tolist() == ["error"]
    assert "worker lost" in sweep.failed["base"]
