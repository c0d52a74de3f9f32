"""Plots a problem's Pareto front and one of its sweeps with matplotlib, from Python.

    pip install ./python matplotlib
    python examples/python_plots.py [PROBLEM] [OUTPUT DIR] [SWEEP]

PROBLEM defaults to problems/liupanshui.yaml, OUTPUT DIR to the current folder, SWEEP to the
problem's first sweep. Writes pareto.png (total output value against total waste reuse, point by
point) and sweep.png (the objective at each point of the sweep, the points whose main chains
differ from the base's marked, and those without an optimal plan as dotted lines).
"""

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed
import matplotlib.pyplot as plt  # noqa: E402

import parkplan  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def point_value(name: str) -> float:
    """The value a one-axis sweep point sets: `reuse-rate[rules.min_reuse_rate=0.8]` → 0.8."""
    match = re.search(r"=([^,\]]+)\]$", name)
    return float(match.group(1)) if match else float("nan")


def plot_front(problem: parkplan.Problem, out: Path) -> Path:
    front = problem.pareto(points=9)
    points = front.points
    units = front.to_dict().get("units", {})
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(points.total_reuse, points.output_value, "o-", color="tab:green")
    ax.set_xlabel(f"total waste reuse ({units.get('materials', 'materials')})")
    ax.set_ylabel(f"total output value ({units.get('output', 'output')})")
    ax.set_title(f"{problem.name or 'parkplan'}\nPareto front", fontsize=11)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = out / "pareto.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_sweep(problem: parkplan.Problem, out: Path, name: str) -> Path:
    sweep = problem.sweep(sweeps=[name])
    rows = sweep.summary
    rows = rows[rows.variant.str.startswith(f"{name}[")].copy()
    rows["value"] = rows.variant.map(point_value)
    solved = rows[rows.status == "optimal"]
    changed = solved[solved.changed.fillna("") != ""]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(solved.value, solved.objective, "o-", label="optimal plan")
    ax.plot(changed.value, changed.objective, "s", color="tab:red", fillstyle="none",
            markersize=10, label="main chains differ from the base")
    unsolved = rows[rows.status != "optimal"]
    for i, (value, status) in enumerate(zip(unsolved.value, unsolved.status)):
        ax.axvline(value, color="grey", linestyle=":", label="no optimal plan" if i == 0 else None)
        ax.annotate(status, (value, 0.02), xycoords=("data", "axes fraction"), rotation=90,
                    fontsize=8, color="grey", ha="right")
    path_name = re.sub(r"^.*\[|=.*$", "", rows.variant.iloc[0]) if len(rows) else name
    ax.set_xlabel(path_name)
    ax.set_ylabel("objective")
    ax.set_title(f"{problem.name or 'parkplan'}\nsweep {name}", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path = out / "sweep.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main() -> None:
    file = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "problems" / "liupanshui.yaml"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    out.mkdir(parents=True, exist_ok=True)
    problem = parkplan.load(file)
    sweep = sys.argv[3] if len(sys.argv) > 3 else problem.sweeps[0]
    for path in (plot_front(problem, out), plot_sweep(problem, out, sweep)):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
