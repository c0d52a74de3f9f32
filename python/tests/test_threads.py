"""Long solves: the GIL is released, progress reaches a callback, and Ctrl-C keeps the best plan.

The problem is a generated one of 300 parks, a MILP HiGHS works on for a while; `mip_start="off"`
keeps the fast start from answering it at once. No assertion is about time: the test looks at
what a Python thread managed to do while the solve ran, and at the plan's status.
"""

import os
import signal
import threading

import pytest

import parkplan


def test_a_python_thread_keeps_running_during_a_long_solve(large_problem):
    problem = parkplan.load(large_problem)
    ticks = []
    solving = threading.Event()
    done = threading.Event()

    def count():
        while not done.is_set():
            if solving.is_set():
                ticks.append(1)
            threading.Event().wait(0.005)

    thread = threading.Thread(target=count)
    thread.start()
    progress = []

    def on_progress(p):
        # Called on the solving thread's caller while the MILP runs: the count so far is
        # what the other thread did meanwhile.
        progress.append((p, len(ticks)))

    try:
        solving.set()
        plan = problem.solve(time_limit=3, mip_start="off", tie_check=False, progress=on_progress)
        solving.clear()
    finally:
        done.set()
        thread.join()
    assert plan.status in ("optimal", "time_limit")
    assert progress, "a MILP of 300 parks reports its progress"
    first, last = progress[0], progress[-1]
    assert set(first[0]) == {"elapsed", "best", "bound", "gap"}
    # Between the first and the last report, the other thread went on counting.
    # Between the first and the last report the other thread went on counting (about every
    # 5 ms; with the GIL held by the solve it could not count at all).
    assert len(progress) >= 2
    assert last[1] - first[1] >= 20


def test_ctrl_c_stops_the_solve_and_keeps_the_best_plan(large_problem):
    problem = parkplan.load(large_problem)
    sent = []

    def interrupt_once_a_plan_exists(p):
        if p["best"] is not None and not sent:
            sent.append(p)
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.warns(UserWarning, match="Ctrl-C"):
        plan = problem.solve(
            time_limit=120, mip_start="off", tie_check=False, progress=interrupt_once_a_plan_exists
        )
    assert sent, "the MILP found a plan and reported it"
    assert plan.interrupted
    assert plan.status == "time_limit"
    assert plan.objective is not None and plan.objective >= sent[0]["best"] - 1e-6 * abs(sent[0]["best"])
    # The process goes on solving afterwards: the stop was this solve's alone.
    again = parkplan.load(large_problem).with_changes({}).solve(time_limit=1, mip_start="on", tie_check=False)
    assert not again.interrupted


def test_an_exception_in_the_progress_callback_stops_the_solve_and_is_raised(large_problem):
    problem = parkplan.load(large_problem)

    def fail(p):
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        problem.solve(time_limit=60, mip_start="off", tie_check=False, progress=fail)


def test_ctrl_c_stops_a_sweep_keeps_the_plans_found_and_starts_no_more(large_problem, tmp_path):
    path = tmp_path / "with-a-scenario.yaml"
    path.write_text(
        large_problem.read_text()
        + "\nscenarios:\n  more-land: { scale: { parks.*.capacity.land: 1.1 } }\n"
    )
    problem = parkplan.load(path)
    # The base is solved first, alone; Ctrl-C comes while it runs.
    timer = threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.warns(UserWarning, match="Ctrl-C"):
            sweep = problem.sweep(jobs=2, time_limit=120, mip_start="off", tie_check=False)
    finally:
        timer.cancel()
    assert sweep.interrupted
    s = sweep.summary
    assert list(s.variant) == ["base"]
    assert s.status.iloc[0] in ("time_limit", "no_solution")
    assert sweep.plans["base"].interrupted
