"""A sweep spread over a Dask cluster: one task per variant, each solved by the Rust core on a
worker, joined into the same summary as a local sweep.

As locally, the base is solved first, and the other variants prefer its main chains among tied
optima. A task that fails (a worker lost, an exception) becomes a variant with status ``error``
and the reason; the other variants are kept.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional, Tuple


def _solve_entry(
    problem: Any, index: int, settings: Dict[str, Any], base: Optional[Dict[str, str]]
) -> str:
    """Runs on a worker: the outcome of variant ``index`` as JSON."""
    return problem._native.solve_entry(
        index,
        settings["scenarios"],
        settings["sweeps"],
        settings["gap"],
        settings["time_limit"],
        settings["mip_start"],
        settings["tie_check"],
        base,
    )


def _failed(index: int, name: str, error: BaseException) -> str:
    return json.dumps(
        {
            "index": index,
            "name": name,
            "plan": None,
            "failure": {"error": f"the Dask task failed: {type(error).__name__}: {error}"},
            "stopped": False,
        }
    )


def _result(future: Any, index: int, name: str) -> str:
    try:
        return future.result()
    except Exception as error:  # one failed variant is a result, not the end of the sweep
        return _failed(index, name, error)


def sweep_on(
    client: Any,
    problem: Any,
    *,
    scenarios: Optional[List[str]],
    sweeps: Optional[List[str]],
    gap: Optional[float],
    time_limit: Optional[float],
    mip_start: str,
    tie_check: bool,
    progress: Optional[Callable[[Dict[str, Any]], Any]],
) -> Any:
    """``problem.sweep(client=client, ...)``: see :meth:`parkplan.Problem.sweep`."""
    from distributed import as_completed

    from . import Sweep

    outline, fingerprint = problem._native.sweep_outline(
        scenarios, sweeps, gap, time_limit, mip_start
    )
    settings = {
        "scenarios": scenarios,
        "sweeps": sweeps,
        "gap": gap,
        "time_limit": time_limit,
        "mip_start": mip_start,
        "tie_check": tie_check,
    }
    total = len(outline)
    outcomes: List[str] = []

    def report() -> None:
        if progress is not None:
            progress({"done": len(outcomes), "total": total})

    # The problem goes to the cluster once, not with every task.
    [shared] = client.scatter([problem], broadcast=True)
    base: Optional[Dict[str, str]] = None
    rest: List[Tuple[int, str]] = []
    for index, name in outline:
        if name == "base" and not outcomes:
            future = client.submit(_solve_entry, shared, index, settings, None, pure=False)
            text = _result(future, index, name)
            outcomes.append(text)
            report()
            plan = json.loads(text).get("plan")
            if plan and plan.get("status") == "optimal":
                base = plan.get("main_chains")
        else:
            rest.append((index, name))
    futures = {
        client.submit(_solve_entry, shared, index, settings, base, pure=False): (index, name)
        for index, name in rest
    }
    try:
        for future in as_completed(list(futures)):
            index, name = futures[future]
            outcomes.append(_result(future, index, name))
            report()
    except KeyboardInterrupt:
        # Ctrl-C: the variants finished are kept, the others cancelled.
        client.cancel(list(futures))
        sweep = Sweep(problem._native.assemble_sweep(fingerprint, total, outcomes))
        sweep._stopped = True
        return sweep
    return Sweep(problem._native.assemble_sweep(fingerprint, total, outcomes))
