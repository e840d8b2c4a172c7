"""Cold start, timed side by side: ``python benchmarks/run.py --cold-start [--pairs N]``.

Issue #14's two cold-start targets are ratios to ``python -c pass`` on the same machine: ``import credit_rules``
at most 12 times it, and a one-case ``credit-rules decide`` of a shipped example at most 20 times it.  Both are
whole processes, so a target is only meaningful beside its baseline, measured at the same moment: each round
runs ``python -c pass``, then ``import credit_rules``, then the one-case decide, in fresh processes one after the
other, and each ratio is taken within its round (wall clock, and CPU from ``getrusage`` of the children).  The
table gives the median of the per-round ratios, with the range.

Two rows without a target say where the one-case decide's time goes, in the same rounds: the imports every
command pays for its libraries (``from pydantic import BaseModel`` and ``import yaml``), and the imports of
exactly the package modules a one-case decide imports (found by running it once first), before any catalog,
rule or case file is read.  When that row alone is near 20×, no change to loading or deciding can meet the
target (docs/performance.md, "A one-case ``credit-rules decide``").

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

DECIDE = [sys.executable, "-m", "credit_rules.cli", "decide", str(EXAMPLE)]
LIBRARIES = "library imports (pydantic's BaseModel, yaml)"
DECIDE_IMPORTS = "the decide path's imports, no file read"

_LIST_DECIDE_MODULES = (
    "import contextlib, io, sys\n"
    "from credit_rules.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    f"    code = main(['decide', {str(EXAMPLE)!r}])\n"
    "assert code == 0, code\n"
    "print(' '.join(m for m in sys.modules if m.startswith('credit_rules')))\n"
)


def _plugins_off(code: str) -> str:
    """*code* run as the command line runs: pydantic's plugin lookup off (``cli.main`` sets the same)."""
    return (
        "import os\nos.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\n"
        "from credit_rules.cli import _skip_plugin_lookup\n_skip_plugin_lookup()\n" + code
    )


def decide_path_modules() -> list[str]:
    """The package's modules a one-case decide of the example imports, in import order (from one run of it)."""
    done = subprocess.run([sys.executable, "-c", _LIST_DECIDE_MODULES], check=True, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.split()


def commands() -> dict[str, list[str]]:
    """The timed commands, the baseline first; the two rows without a target break the decide's time down."""
    # the collector paused as a one-case decide pauses it (commands/decide.py)
    imports = "import gc\ngc.disable()\n" + "".join(f"import {m}\n" for m in decide_path_modules())
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import credit_rules": [sys.executable, "-c", "import credit_rules"],
        # (no model is built, so pydantic's plugin lookup does not run)
        LIBRARIES: [sys.executable, "-c", "from pydantic import BaseModel\nimport yaml\n"],
        DECIDE_IMPORTS: [sys.executable, "-c", _plugins_off(imports)],
        "credit-rules decide (one example)": DECIDE,
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
    timed = commands()
    runs: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in timed}
    for round_ in range(pairs + 1):
        for name, command in timed.items():
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
    parser.add_argument("--pairs", type=int, default=9, help="rounds of the five commands (default 9)")
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
