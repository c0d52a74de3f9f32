"""parkplan: plan circular-economy industrial parks from Python.

Load a problem file, solve it with the same Rust core (and HiGHS) as the ``parkplan`` command,
and read the plan as pandas DataFrames::

    import parkplan

    problem = parkplan.load("problems/liupanshui.yaml")
    plan = problem.solve()
    plan.objective            # 141.105828…
    plan.main_chains          # {"liuzhi": "coking", …}
    plan.activities           # DataFrame: park, chain, activity, unit, existing, output_value
    sweep = problem.sweep()   # base, scenarios and sweep points side by side
    sweep.summary             # one row per variant

Long solves release the GIL; Ctrl-C (a notebook's "interrupt") stops them and keeps the best plan
found so far (``plan.interrupted`` is then true). ``Problem.sweep(client=...)`` spreads a sweep
over a Dask cluster.
"""

from __future__ import annotations

import html as _html
import os as _os
import json as _json
import math as _math
import warnings as _warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import pandas as _pd

from . import _parkplan
from ._errors import ProblemError, SolveError

__all__ = [
    "Alternatives",
    "Front",
    "Plan",
    "Problem",
    "ProblemError",
    "Robust",
    "SolveError",
    "Sweep",
    "Verification",
    "load",
    "solve",
    "verify",
]

__version__: str = _parkplan.__version__

MipStart = Union[None, bool, str]
Progress = Optional[Callable[[Dict[str, Any]], Any]]


def _mip_start(value: MipStart) -> str:
    if value is None:
        return "auto"
    if value is True:
        return "on"
    if value is False:
        return "off"
    return str(value)


def _stopped_warning(what: str) -> None:
    _warnings.warn(
        f"{what} stopped by Ctrl-C: the results are the best found by then", stacklevel=3
    )


def load(path: Union[str, "_os.PathLike[str]"]) -> "Problem":
    """Reads and checks a problem file (YAML).

    Raises :class:`ProblemError` (with ``.path``, ``.line``, ``.column``, ``.yaml_path`` and the
    command line's message) when the file or its base problem is wrong.
    """
    return Problem(_parkplan.load(str(path)))


def solve(
    path: Union[str, "_os.PathLike[str]"],
    scenario: Optional[str] = None,
    gap: Optional[float] = None,
    time_limit: Optional[float] = None,
    mip_start: MipStart = None,
    **kwargs: Any,
) -> "Plan":
    """``load(path).solve(...)``: the plan of a problem file (or one of its scenarios)."""
    return load(path).solve(
        scenario=scenario, gap=gap, time_limit=time_limit, mip_start=mip_start, **kwargs
    )


def verify(problem: "Problem", plan: "Plan", tolerance: float = 1e-6, scenario: Optional[str] = None) -> "Verification":
    """Checks ``plan`` against ``problem`` without a solver (as ``parkplan verify`` does): every
    constraint, and the objective recomputed from the plan's values. The plan is checked against
    its own variant unless ``scenario`` names another."""
    return problem.verify(plan, tolerance=tolerance, scenario=scenario)


def _rebuild(path: str, text: str, changes: List[Tuple[str, str]]) -> "Problem":
    return Problem(_parkplan.Problem.from_text(path, text, changes))


class Problem:
    """A problem file, read and checked: its base problem, scenarios and sweeps.

    Get one with :func:`load`. A problem pickles (its path, text and changes), so it can be sent
    to Dask workers or other processes.
    """

    def __init__(self, native: "_parkplan.Problem") -> None:
        self._native = native

    def __reduce__(self):
        return (_rebuild, (self._native.path, self._native.text, self._native.changes))

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        return f"<parkplan.Problem{name} from {self.path!r}: {len(self.parks)} parks, {len(self.chains)} chains>"

    @property
    def path(self) -> str:
        """The file it was read from."""
        return self._native.path

    @property
    def name(self) -> Optional[str]:
        """The problem's ``name:``."""
        return self._native.name

    @property
    def parks(self) -> List[str]:
        """The parks' ids."""
        return self._native.parks

    @property
    def chains(self) -> List[str]:
        """The chains' ids."""
        return self._native.chains

    @property
    def scenarios(self) -> List[str]:
        """The scenarios' names, in file order."""
        return self._native.scenarios

    @property
    def sweeps(self) -> List[str]:
        """The sweeps' names, in file order."""
        return self._native.sweeps

    @property
    def expected(self) -> Dict[str, Dict[str, Any]]:
        """The known optima the file states (``expected:``), by variant (``base`` and scenarios)."""
        return {k: _json.loads(v) for k, v in self._native.expected.items()}

    def with_changes(self, changes: Mapping[str, Any]) -> "Problem":
        """The problem with values set at dotted paths, as a sweep's ``vary`` or a scenario's
        ``set`` writes them: ``{"parks.pannan.capacity.land": 5.2}``; ``*`` matches any key
        (``"parks.*.capacity.water"``). The changed problem is checked like a file; a path that
        matches nothing raises :class:`ProblemError` naming the first key missing."""
        pairs = [(str(k), _json.dumps(v)) for k, v in changes.items()]
        return Problem(self._native.with_changes(pairs))

    def solve(
        self,
        scenario: Optional[str] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
        *,
        tie_check: bool = True,
        progress: Progress = None,
    ) -> "Plan":
        """Solves the base problem, or ``scenario``, into a :class:`Plan` (whatever its status:
        an infeasible problem gives a plan with ``status == "infeasible"``).

        ``gap`` is the relative MIP gap at which a plan counts as optimal (default 1e-6);
        ``time_limit`` stops the solve after that many seconds with the best plan found;
        ``mip_start`` is ``"auto"`` (default), ``"on"``/``True`` or ``"off"``/``False``, as the
        CLI's ``--mip-start``. ``tie_check`` looks for another main-chain assignment reaching the
        same objective (one MILP more, as the CLI does unless ``--no-tie-check``).
        ``progress(dict)`` is called a few times a second while a MILP runs, with ``elapsed``,
        ``best``, ``bound`` and ``gap``.

        The GIL is released while solving. Ctrl-C stops the solve; the plan returned is then the
        best found so far and ``plan.interrupted`` is true.
        """
        native = self._native.solve(
            scenario, gap, time_limit, _mip_start(mip_start), tie_check, progress
        )
        plan = Plan(native)
        if native.warnings:
            _warnings.warn(native.warnings, stacklevel=2)
        if native.interrupted:
            _stopped_warning("the solve was")
        return plan

    def sweep(
        self,
        jobs: Optional[int] = None,
        *,
        scenarios: Optional[Iterable[str]] = None,
        sweeps: Optional[Iterable[str]] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
        tie_check: bool = True,
        progress: Progress = None,
        client: Any = None,
    ) -> "Sweep":
        """Solves the base, the scenarios and the sweep points side by side, as ``parkplan
        sweep`` does: a :class:`Sweep` with one summary row per variant and each plan.

        Without ``scenarios`` and ``sweeps`` every scenario and sweep is solved; with either,
        only those named (besides the base). ``jobs`` variants are solved at once (default: one
        per core); ``time_limit`` applies to each variant. A variant that is invalid or fails is a
        row with its reason; the others are kept.

        With ``client`` (a ``dask.distributed.Client``) the variants are solved on the Dask
        cluster instead, one task per variant (the base first, as locally): the summary is the
        same as a local sweep's. ``progress(dict(done=…, total=…))`` is called as variants finish.
        """
        scenarios = None if scenarios is None else list(scenarios)
        sweeps = None if sweeps is None else list(sweeps)
        if client is not None:
            from ._dask import sweep_on

            return sweep_on(
                client,
                self,
                scenarios=scenarios,
                sweeps=sweeps,
                gap=gap,
                time_limit=time_limit,
                mip_start=_mip_start(mip_start),
                tie_check=tie_check,
                progress=progress,
            )
        native = self._native.sweep(
            scenarios, sweeps, jobs, gap, time_limit, _mip_start(mip_start), tie_check, progress
        )
        if native.interrupted:
            _stopped_warning("the sweep was")
        return Sweep(native)

    def robust(
        self,
        scenarios: Optional[Mapping[str, float]] = None,
        measure: Optional[str] = None,
        *,
        jobs: Optional[int] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
        progress: Progress = None,
    ) -> "Robust":
        """One main-chain assignment for several scenarios at once, with VSS and EVPI (``parkplan
        robust``). ``scenarios`` maps names (``base`` or a scenario) to probabilities; without it
        the file's ``uncertainty:`` block is used. ``measure`` is ``"expected"`` or
        ``"worst_case"`` (default: the block's, else expected)."""
        pairs = None if scenarios is None else [(str(k), float(v)) for k, v in scenarios.items()]
        text, interrupted = self._native.robust(
            pairs, measure, jobs, gap, time_limit, _mip_start(mip_start), progress
        )
        if interrupted:
            _stopped_warning("the robust analysis was")
        return Robust(_json.loads(text))

    def alternatives(
        self,
        count: int,
        *,
        scenario: Optional[str] = None,
        within: Optional[float] = None,
        differ: int = 1,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
        progress: Progress = None,
    ) -> "Alternatives":
        """The best ``count`` main-chain assignments, best first, each differing from every
        earlier one in at least ``differ`` parks (``parkplan alternatives``); ``within`` keeps
        only plans at most that fraction of the optimum below it."""
        text, plans, interrupted = self._native.alternatives(
            count, scenario, within, differ, gap, time_limit, _mip_start(mip_start), progress
        )
        if interrupted:
            _stopped_warning("the search for alternatives was")
        return Alternatives(_json.loads(text), [Plan(p) for p in plans])

    def explain(
        self,
        scenario: Optional[str] = None,
        *,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
    ) -> Dict[str, Any]:
        """Why the problem (or ``scenario``) is infeasible: the smallest weighted set of changes
        that makes it feasible, as ``parkplan explain --format json`` writes it (``status``,
        ``changes`` with a ``message`` each, ``objective_after``, …). A feasible problem comes
        back with its status and no changes."""
        return _json.loads(
            self._native.explain(scenario, gap, time_limit, _mip_start(mip_start))
        )

    def pareto(
        self,
        points: int = 11,
        *,
        scenario: Optional[str] = None,
        jobs: Optional[int] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: MipStart = None,
        progress: Progress = None,
    ) -> "Front":
        """The trade-off between total output value and total waste reuse, traced with
        ``points`` solves (ends included), as ``parkplan pareto`` does."""
        text, interrupted = self._native.pareto(
            points, scenario, jobs, gap, time_limit, _mip_start(mip_start), progress
        )
        if interrupted:
            _stopped_warning("the front was")
        return Front(_json.loads(text))

    def verify(
        self, plan: "Plan", tolerance: float = 1e-6, scenario: Optional[str] = None
    ) -> "Verification":
        """See :func:`parkplan.verify`."""
        return Verification(
            _json.loads(self._native.verify(plan._native, scenario, tolerance))
        )

    def plan_from_dict(self, document: Mapping[str, Any]) -> "Plan":
        """A plan read from the document ``Plan.to_dict()`` or ``parkplan solve --format json``
        gives, for this problem (to verify it, or to read it as DataFrames)."""
        return Plan(_parkplan.NativePlan.from_json(_json.dumps(document), self._native))


def _frame(columns: Dict[str, List[Any]], floats: Iterable[str]) -> _pd.DataFrame:
    frame = _pd.DataFrame(columns)
    return frame.astype({c: "float64" for c in floats if c in frame.columns})


def _number(value: Optional[float], digits: int = 6) -> str:
    if value is None or (isinstance(value, float) and _math.isnan(value)):
        return "—"
    return f"{value:,.{digits}g}"


class Plan:
    """A solved plan: its status, objective and main chains, and its tables as DataFrames.

    ``to_dict()`` is the document ``parkplan solve --format json`` writes; every field of it is
    there. In a multi-period plan the tables have a ``period`` column with a row per period.
    """

    def __init__(self, native: "_parkplan.NativePlan") -> None:
        self._native = native
        self._cache: Dict[str, Any] = {}

    def __repr__(self) -> str:
        return (
            f"<parkplan.Plan {self.variant!r}: {self.status}, objective {_number(self.objective)}>"
        )

    @property
    def status(self) -> str:
        """How the solve ended: ``optimal``, ``time_limit`` (a plan, maybe not optimal),
        ``no_solution`` (stopped before any plan), ``infeasible`` or ``unbounded``."""
        return self._native.status

    @property
    def message(self) -> Optional[str]:
        """Why the plan is not optimal, in one sentence (``None`` when it is)."""
        return self._native.status_message

    @property
    def variant(self) -> str:
        """``base``, the scenario's name, or the sweep point's."""
        return self._native.variant

    @property
    def objective(self) -> Optional[float]:
        """The objective of MODEL.md §5 (``None`` without a plan)."""
        return self._native.objective

    @property
    def output_value(self) -> Optional[float]:
        """Total output value."""
        return self._native.output_value

    @property
    def total_reuse(self) -> Optional[float]:
        """Total waste reused."""
        return self._native.total_reuse

    @property
    def gap(self) -> Optional[float]:
        """The relative MIP gap of the plan (0 when proven optimal)."""
        return self._native.gap

    @property
    def main_chains(self) -> Dict[str, str]:
        """Each park's main chain."""
        return self._native.main_chains

    @property
    def periods(self) -> List[str]:
        """A multi-period plan's periods in order (empty for one period)."""
        return self._native.periods

    @property
    def units(self) -> Dict[str, str]:
        """The problem's unit labels (``output``, ``materials``, each resource's)."""
        return self._native.units

    @property
    def interrupted(self) -> bool:
        """Whether Ctrl-C stopped the solve: the plan is then the best found by then."""
        return self._native.interrupted

    def to_dict(self) -> Dict[str, Any]:
        """The plan as ``parkplan solve --format json`` writes it."""
        return _json.loads(self._native.to_json())

    def render(self, format: str = "table") -> str:
        """The plan as the CLI writes it: ``table``, ``yaml``, ``json``, ``csv``, ``markdown``
        or ``html`` (a self-contained report with charts)."""
        return self._native.render(format)

    @property
    def activities(self) -> _pd.DataFrame:
        """One row per park and chain that runs: ``park``, ``chain``, ``activity``, ``unit`` (of
        activity), ``existing`` (plant already built), ``output_value``."""
        if "activities" not in self._cache:
            self._cache["activities"] = _frame(
                self._native.activities(), ["activity", "existing", "output_value"]
            )
        return self._cache["activities"].copy()

    @property
    def resources(self) -> _pd.DataFrame:
        """One row per park resource and city pool: ``where`` (the park; ``None`` for a city
        pool), ``resource``, ``unit``, ``used``, ``capacity``, ``utilisation``, ``slack``,
        ``shadow_price`` (objective gained per extra unit), and ``range_from``/``range_to``: the
        capacities over which the shadow price holds (NaN: unbounded or not given)."""
        if "resources" not in self._cache:
            self._cache["resources"] = _frame(
                self._native.resources(),
                [
                    "used",
                    "capacity",
                    "utilisation",
                    "slack",
                    "shadow_price",
                    "range_from",
                    "range_to",
                ],
            )
        return self._cache["resources"].copy()

    @property
    def flows(self) -> _pd.DataFrame:
        """One row per material flow: ``material``, ``from``, ``to`` (the same park for a flow
        within it), ``amount``."""
        if "flows" not in self._cache:
            self._cache["flows"] = _frame(self._native.flows(), ["amount"])
        return self._cache["flows"].copy()

    def _repr_html_(self) -> str:
        e = _html.escape
        head = (
            f"<b>parkplan plan</b> <code>{e(self.variant)}</code>: {e(self.status)}"
            f", objective {e(_number(self.objective))}"
        )
        if self.gap:
            head += f", gap {self.gap:.3%}"
        if self.message:
            head += f"<br><i>{e(self.message)}</i>"
        if self.interrupted:
            head += "<br><i>stopped by Ctrl-C: the best plan found by then</i>"
        parts = [f"<div>{head}</div>"]
        if self.main_chains:
            rows = "".join(
                f"<tr><td>{e(p)}</td><td>{e(c)}</td></tr>" for p, c in self.main_chains.items()
            )
            parts.append(
                "<table><thead><tr><th>park</th><th>main chain</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
        if self.status in ("optimal", "time_limit"):
            binding = self.resources
            binding = binding[binding["shadow_price"].fillna(0) != 0]
            if len(binding):
                parts.append("<div>resources with a shadow price</div>")
                parts.append(binding.to_html(index=False, na_rep="—", float_format=_number))
        return "\n".join(parts)


class Sweep:
    """The result of :meth:`Problem.sweep`: one summary row per variant, and each plan."""

    def __init__(self, native: "_parkplan.NativeSweep") -> None:
        self._native = native
        self._document = _json.loads(native.summary_json())
        self._plans = {name: Plan(p) for name, p in native.plans() if p is not None}

    def __repr__(self) -> str:
        return f"<parkplan.Sweep: {len(self._document['variants'])} variants, {len(self.failed)} without a plan>"

    @property
    def interrupted(self) -> bool:
        """Whether Ctrl-C stopped the sweep (stopped variants keep their best plans; those not
        started are not in the summary)."""
        return self._native.interrupted or getattr(self, "_stopped", False)

    def to_dict(self) -> Dict[str, Any]:
        """The summary as ``parkplan sweep --format json`` writes it."""
        return _json.loads(_json.dumps(self._document))

    @property
    def summary(self) -> _pd.DataFrame:
        """One row per variant, in batch order: ``variant``, ``status`` (a solve status, or
        ``invalid``/``error`` for a variant not solved), ``objective``, ``output_value``,
        ``reuse_value``, ``gap``, ``main_chains`` (dict), ``changed`` (the parks whose main chain
        differs from the base's, as ``park: chain, …``) and ``message`` (why a variant is not
        optimal, or has no plan)."""
        rows = []
        for v in self._document["variants"]:
            changed = v.get("changed_main_chains")
            rows.append(
                {
                    "variant": v["name"],
                    "status": v["status"],
                    "objective": v.get("objective"),
                    "output_value": v.get("output_value"),
                    "reuse_value": v.get("reuse_value"),
                    "gap": v.get("gap"),
                    "main_chains": dict(v.get("main_chains") or {}),
                    "changed": None
                    if changed is None
                    else ", ".join(f"{p}: {c}" for p, c in changed.items()),
                    "message": v.get("message"),
                }
            )
        columns = [
            "variant",
            "status",
            "objective",
            "output_value",
            "reuse_value",
            "gap",
            "main_chains",
            "changed",
            "message",
        ]
        frame = _pd.DataFrame(rows, columns=columns)
        return frame.astype({c: "float64" for c in ["objective", "output_value", "reuse_value", "gap"]})

    @property
    def plans(self) -> Dict[str, Plan]:
        """Each solved variant's plan by name, whatever its status (an infeasible variant's plan
        says so); variants not solved (``invalid``, ``error``) are left out."""
        return dict(self._plans)

    @property
    def failed(self) -> Dict[str, str]:
        """The variants that were not solved (``invalid`` or ``error``) with why."""
        return {
            v["name"]: v.get("message") or v["status"]
            for v in self._document["variants"]
            if v["status"] in ("invalid", "error")
        }

    def _repr_html_(self) -> str:
        frame = self.summary.drop(columns=["main_chains"])
        head = f"<div><b>parkplan sweep</b>: {len(frame)} variants"
        if self.failed:
            head += f", {len(self.failed)} not solved"
        head += "</div>"
        return head + frame.to_html(index=False, na_rep="—", float_format=_number)


class _Document:
    """A result the CLI writes as JSON, kept as that document."""

    def __init__(self, document: Dict[str, Any]) -> None:
        self._document = document

    def to_dict(self) -> Dict[str, Any]:
        """The result as the CLI's ``--format json`` writes it."""
        return _json.loads(_json.dumps(self._document))

    def __getitem__(self, key: str) -> Any:
        return self._document[key]


class Front(_Document):
    """A Pareto front (``parkplan pareto``): ``points`` as a DataFrame, by increasing ε."""

    @property
    def points(self) -> _pd.DataFrame:
        """``epsilon`` (the reuse required), ``status``, ``output_value``, ``total_reuse``,
        ``objective``: one row per point kept, from the most output to the most reuse."""
        frame = _pd.DataFrame(
            self._document["points"],
            columns=["epsilon", "status", "output_value", "total_reuse", "objective"],
        )
        return frame.astype(
            {c: "float64" for c in ["epsilon", "output_value", "total_reuse", "objective"]}
        )

    @property
    def dropped(self) -> int:
        """Points solved and dropped as duplicates or dominated."""
        return self._document["dropped"]

    def _repr_html_(self) -> str:
        return "<div><b>parkplan Pareto front</b></div>" + self.points.to_html(
            index=False, na_rep="—", float_format=_number
        )


class Robust(_Document):
    """A robust plan (``parkplan robust``): one main-chain assignment for several scenarios."""

    @property
    def main_chains(self) -> Dict[str, str]:
        """The robust main chain of each park."""
        return dict(self._document.get("main_chains") or {})

    @property
    def objective(self) -> Optional[float]:
        """The robust objective RP (expected or worst case)."""
        return self._document.get("objective")

    @property
    def scenarios(self) -> _pd.DataFrame:
        """One row per scenario with its probability and figures."""
        return _pd.DataFrame(self._document.get("scenarios") or [])


class Alternatives(_Document):
    """Ranked main-chain assignments (``parkplan alternatives``), each with its whole plan."""

    def __init__(self, document: Dict[str, Any], plans: List[Plan]) -> None:
        super().__init__(document)
        self.plans: List[Plan] = plans

    @property
    def summary(self) -> _pd.DataFrame:
        """``rank``, ``objective``, ``loss``, ``loss_percent``, ``main_chains``,
        ``differs_from_first``: one row per plan, best first."""
        return _pd.DataFrame(
            self._document["plans"],
            columns=[
                "rank",
                "objective",
                "loss",
                "loss_percent",
                "main_chains",
                "differs_from_first",
            ],
        ).astype({"objective": "float64", "loss": "float64", "loss_percent": "float64"})


class Verification(_Document):
    """A plan checked against its problem (``parkplan verify``)."""

    @property
    def ok(self) -> bool:
        """Whether the plan meets every constraint and states its values right."""
        return not self._document["violations"]

    def __bool__(self) -> bool:
        return self.ok

    @property
    def violations(self) -> _pd.DataFrame:
        """``family``, ``constraint``, ``message``, ``amount``, ``plan_path``: one row per
        violated constraint or wrong stated value."""
        return _pd.DataFrame(
            self._document["violations"],
            columns=["family", "constraint", "message", "amount", "plan_path"],
        ).astype({"amount": "float64"})
