"""The errors parkplan raises. The native module raises them too (it imports this module)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class ProblemError(ValueError):
    """A problem file (or a change made to it) is wrong.

    ``str(error)`` is the message the command line prints: what is wrong, where, and how to mend
    it. The first problem's place is in ``path`` (the file), ``line`` and ``column`` (1-based,
    ``None`` when unknown) and ``yaml_path`` (``chains.coal_power.uses.land``); ``diagnostics``
    lists every problem found, each a dict with ``message``, ``yaml_path``, ``line``, ``column``
    and ``help``.
    """

    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        yaml_path: Optional[str] = None,
        diagnostics: Optional[List[Dict[str, Any]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.yaml_path = yaml_path
        self.diagnostics = list(diagnostics or [])

    def __reduce__(self):  # keeps the fields across processes (Dask)
        return (
            type(self),
            (self.message, self.path, self.line, self.column, self.yaml_path, self.diagnostics),
        )


class SolveError(RuntimeError):
    """HiGHS failed (not: the problem is infeasible, which is a plan's status)."""
