"""Per-case CPU time of ``Engine.decide`` with the full trace, this tree side by side with another.

``python benchmarks/percase.py --against DIR`` (or ``python benchmarks/run.py --percase --against DIR``) times this checkout and the source tree DIR (another worktree,
or ``git archive`` of a commit unpacked there) in alternating fresh processes — A B A B … — so both see the
same drift of a shared machine, and prints per figure each tree's median over the runs and the ratio.
Without ``--against`` it times this tree alone.

Each process loads the engine and measures, with ``time.thread_time_ns`` (CPU time of the thread: waiting for
a core on a loaded machine is not counted, unlike the wall-clock latency ``run.py`` reports):

- each of the four examples, decided again (50 warm-up decisions, then ``--reps`` timed ones; the median, and
  the median wall-clock time beside it);
- 300 generated cases (``realistic.py``), each decided once and then timed deciding it again: the median;
- never-seen generated cases (``realistic.py`` with another seed), each decided once after 200 others
  warmed the shared caches: the median and the mean.

The output is JSON lines (one per process) followed by the summary table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def child(root: Path, reps: int, fresh: int) -> dict[str, Any]:
    sys.path[:0] = [str(root / "src"), str(root / "benchmarks")]
    import realistic

    from credit_rules.engine.decide import Engine
    from credit_rules.model.case import Case

    engine = Engine.load()
    cpu, wall = time.thread_time_ns, time.perf_counter_ns
    out: dict[str, Any] = {"root": str(root)}
    examples = [Case.model_validate(raw) for raw in realistic.example_raws()]
    for case in examples:
        for _ in range(50):
            engine.decide(case)
    for case in examples:
        ts, ws = [], []
        for _ in range(reps):
            t0, w0 = cpu(), wall()
            engine.decide(case)
            w1, t1 = wall(), cpu()
            ts.append((t1 - t0) / 1000)
            ws.append((w1 - w0) / 1000)
        out[f"example {case.case_id}"] = statistics.median(ts)
        out[f"example {case.case_id} (wall)"] = statistics.median(ws)
    generated = [Case.model_validate(raw) for raw in realistic.iter_realistic(300)]
    for case in generated:  # decided once before, as in run.py's "decided again" row
        engine.decide(case)
    ts = []
    for case in generated:
        t0 = cpu()
        engine.decide(case)
        ts.append((cpu() - t0) / 1000)
    out["300 generated, decided again: median"] = statistics.median(ts)
    cases = [Case.model_validate(raw) for raw in realistic.iter_realistic(fresh + 200, seed=realistic.SEED + 1)]
    for case in cases[:200]:
        engine.decide(case)
    ts = []
    for case in cases[200:]:
        t0 = cpu()
        engine.decide(case)
        ts.append((cpu() - t0) / 1000)
    out["never-seen median"] = statistics.median(ts)
    out["never-seen mean"] = statistics.mean(ts)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, help="another source tree (with src/ and benchmarks/) to time beside this one")
    ap.add_argument("--runs", type=int, default=5, help="processes per tree (default 5)")
    ap.add_argument("--reps", type=int, default=400, help="timed decisions per example per process (default 400)")
    ap.add_argument("--fresh", type=int, default=300, help="never-seen cases per process (default 300)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child, args.reps, args.fresh)))
        return 0
    roots = [HERE.parent] + ([args.against.resolve()] if args.against else [])
    results: dict[Path, list[dict[str, Any]]] = {r: [] for r in roots}
    for n in range(args.runs):
        for root in roots if n % 2 == 0 else roots[::-1]:
            cmd = [sys.executable, str(HERE / "percase.py"), "--child", str(root), "--reps", str(args.reps), "--fresh", str(args.fresh)]
            line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
            print(line, flush=True)
            results[root].append(json.loads(line))
    keys = [k for k in results[roots[0]][0] if k != "root"]
    print(f"\nµs per Engine.decide (CPU time of the thread unless marked wall), median of {args.runs} processes a tree")
    if len(roots) > 1:
        print(f"  {'':40} {'this tree':>10} {'other':>10}  ratio")
    for k in keys:
        mine = statistics.median(r[k] for r in results[roots[0]])
        if len(roots) == 1:
            print(f"  {k:40} {mine:10.1f}")
            continue
        other = statistics.median(r[k] for r in results[roots[1]])
        print(f"  {k:40} {mine:10.1f} {other:10.1f}  {mine / other:5.2f}×")
    if len(roots) > 1:
        print(f"  (this tree: {roots[0]}; other: {roots[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
