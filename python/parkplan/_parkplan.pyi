"""Type stub of parkplan's native module (Rust, PyO3). Use the classes of ``parkplan`` itself;
these are what they wrap. Results cross as JSON text (the CLI's documents) or as columns."""

from typing import Any, Callable, Dict, List, Optional, Tuple

__version__: str

_Progress = Optional[Callable[[Dict[str, Any]], Any]]

def load(path: str) -> Problem: ...

class Problem:
    @staticmethod
    def from_text(path: str, text: str, changes: List[Tuple[str, str]]) -> Problem: ...
    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def changes(self) -> List[Tuple[str, str]]: ...
    @property
    def name(self) -> Optional[str]: ...
    @property
    def scenarios(self) -> List[str]: ...
    @property
    def sweeps(self) -> List[str]: ...
    @property
    def parks(self) -> List[str]: ...
    @property
    def chains(self) -> List[str]: ...
    @property
    def expected(self) -> Dict[str, str]: ...
    def with_changes(self, changes: List[Tuple[str, str]]) -> Problem: ...
    def solve(
        self,
        scenario: Optional[str] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        tie_check: bool = True,
        progress: _Progress = None,
    ) -> NativePlan: ...
    def sweep(
        self,
        scenarios: Optional[List[str]] = None,
        sweeps: Optional[List[str]] = None,
        jobs: Optional[int] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        tie_check: bool = True,
        progress: _Progress = None,
    ) -> NativeSweep: ...
    def sweep_outline(
        self,
        scenarios: Optional[List[str]] = None,
        sweeps: Optional[List[str]] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
    ) -> Tuple[List[Tuple[int, str]], str]: ...
    def solve_entry(
        self,
        index: int,
        scenarios: Optional[List[str]] = None,
        sweeps: Optional[List[str]] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        tie_check: bool = True,
        base: Optional[Dict[str, str]] = None,
    ) -> str: ...
    def assemble_sweep(self, fingerprint: str, total: int, outcomes: List[str]) -> NativeSweep: ...
    def robust(
        self,
        scenarios: Optional[List[Tuple[str, float]]] = None,
        measure: Optional[str] = None,
        jobs: Optional[int] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        progress: _Progress = None,
    ) -> Tuple[str, bool]: ...
    def alternatives(
        self,
        count: int,
        scenario: Optional[str] = None,
        within: Optional[float] = None,
        differ: int = 1,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        progress: _Progress = None,
    ) -> Tuple[str, List[NativePlan], bool]: ...
    def explain(
        self,
        scenario: Optional[str] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
    ) -> str: ...
    def pareto(
        self,
        points: int,
        scenario: Optional[str] = None,
        jobs: Optional[int] = None,
        gap: Optional[float] = None,
        time_limit: Optional[float] = None,
        mip_start: str = "auto",
        progress: _Progress = None,
    ) -> Tuple[str, bool]: ...
    def verify(
        self, plan: NativePlan, scenario: Optional[str] = None, tolerance: float = 1e-6
    ) -> str: ...

class NativePlan:
    @staticmethod
    def from_json(text: str, problem: Problem) -> NativePlan: ...
    interrupted: bool
    warnings: Optional[str]
    @property
    def status(self) -> str: ...
    @property
    def status_message(self) -> Optional[str]: ...
    @property
    def variant(self) -> str: ...
    @property
    def objective(self) -> Optional[float]: ...
    @property
    def output_value(self) -> Optional[float]: ...
    @property
    def total_reuse(self) -> Optional[float]: ...
    @property
    def gap(self) -> Optional[float]: ...
    @property
    def main_chains(self) -> Dict[str, str]: ...
    @property
    def periods(self) -> List[str]: ...
    @property
    def units(self) -> Dict[str, str]: ...
    def to_json(self) -> str: ...
    def render(self, format: str) -> str: ...
    def activities(self) -> Dict[str, List[Any]]: ...
    def resources(self) -> Dict[str, List[Any]]: ...
    def flows(self) -> Dict[str, List[Any]]: ...

class NativeSweep:
    interrupted: bool
    def summary_json(self) -> str: ...
    def plans(self) -> List[Tuple[str, Optional[NativePlan]]]: ...
