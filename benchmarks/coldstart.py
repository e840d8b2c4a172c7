"""Cold start, timed side by side: ``python benchmarks/run.py --cold-start [--pairs N]``.

Issue #14's two cold-start targets are ratios to ``python -c pass`` on the same machine: ``import credit_rules``
at most 12 times it, and a one-case ``credit-rules decide`` of a shipped example at most 20 times it.  Both are
whole processes, so a target is only meaningful beside its baseline, measured at the same moment: each round
runs ``python -c pass``, then ``import credit_rules``, then the one-case decide, in fresh processes one after the
other, and each ratio is taken within its round (wall clock, and CPU from ``getrusage`` of the children).  The
table gives the median of the per-round ratios, with the range.

Compile the package first (``python -m compileall -q src``) when it runs from a checkout with
``PYTHONDONTWRITEBYTECODE`` set: otherwise every start compiles the package again (an installed wheel is
compiled at install).  Nothing here feeds the clock into a decision; the clock only times processes.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"

COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import credit_rules": [sys.executable, "-c", "import credit_rules"],
    "credit-rules decide (one example)": [sys.executable, "-m", "credit_rules.cli", "decide", str(EXAMPLE)],
}
TARGETS = {"import credit_rules": 12.0, "credit-rules decide (one example)": 20.0}
"""The most times ``python -c pass`` each may take (issue #14)."""


def _timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of *command* in a fresh process; its output is discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(pairs: int) -> dict[str, dict[str, list[float]]]:
    """Per command, its wall and CPU seconds in each of *pairs* rounds (one warm-up round first, not kept)."""
    runs: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in COMMANDS}
    for round_ in range(pairs + 1):
        for name, command in COMMANDS.items():
            wall, cpu = _timed(command)
            if round_:
                runs[name]["wall"].append(wall)
                runs[name]["cpu"].append(cpu)
    return runs


def table(runs: dict[str, dict[str, list[float]]]) -> tuple[list[str], bool]:
    """The printed table, and whether every target is met (by the median of the wall-clock ratios)."""
    base = runs["python -c pass"]
    lines = ["| command | wall, median | ÷ `python -c pass`, wall (range) | ÷, CPU | target | met? |", "|---|---|---|---|---|---|"]
    met = True
    for name, got in runs.items():
        wall_ratios = [a / b for a, b in zip(got["wall"], base["wall"], strict=True)]
        cpu_ratios = [a / b for a, b in zip(got["cpu"], base["cpu"], strict=True) if b > 0]
        target = TARGETS.get(name)
        ratio = statistics.median(wall_ratios)
        ok = target is None or ratio <= target
        met = met and ok
        lines.append(
            f"| {name} | {statistics.median(got['wall']) * 1000:.0f} ms | {ratio:.1f}× ({min(wall_ratios):.1f}–{max(wall_ratios):.1f}) | "
            f"{statistics.median(cpu_ratios) if cpu_ratios else float('nan'):.1f}× | "
            f"{'—' if target is None else f'≤ {target:.0f}×'} | {'—' if target is None else ('yes' if ok else 'no')} |"
        )
    return lines, met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=9, help="rounds of the three commands (default 9)")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")
    started = time.perf_counter()
    lines, met = table(measure(args.pairs))
    print("\n".join(lines))
    print(f"({args.pairs} rounds, {time.perf_counter() - started:.0f} s; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
