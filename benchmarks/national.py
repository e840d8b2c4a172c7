"""National-scale benchmark: ``python benchmarks/national.py`` (or ``python benchmarks/run.py --national``).

1. Generates N realistic list entries over every listing standard of the
   shipped catalogs (:mod:`credit_rules.columnar.generate`; a script, no data)
   as Parquet parts.
2. Agreement: a sample decided by the per-case engine (``Engine.decide``) and
   by the columnar evaluator must give identical determinations, outcomes,
   reasons, fired rules and list terms; any disagreement is printed and the
   benchmark exits 1.
3. Per-case throughput on that sample (``Engine.decide``, no serialisation):
   the baseline the columnar rate is compared with.
4. ``credit-rules rescan`` end to end, Parquet to Parquet, in a fresh process:
   wall time, rows/s, peak memory (the child's own VmHWM), and the
   extrapolation to the 26 million entries the national platform reported.
5. With ``--diff``: ``credit-rules rescan-diff`` of the same table under two
   dates, timed the same way (the target is at most 2x the rescan).

``python benchmarks/national.py generate N FILE.parquet [--seed S]`` writes a
table for the worked example in docs/national-scale.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from credit_rules import Engine
from credit_rules.columnar.entries import to_case
from credit_rules.columnar.evaluate import ColumnarEngine, decide_chunk
from credit_rules.columnar.generate import generate, standards

NATIONAL_ENTRIES = 26_000_000
"""List entries the national platform reported in 2019 (issue #14)."""

PART_ROWS = 1_000_000


def write_entries(engine: Engine, rows: int, folder: Path, seed: int = 0) -> float:
    """*rows* generated entries as Parquet parts in *folder*; seconds taken."""
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    for offset in range(0, rows, PART_ROWS):
        generate(engine.catalogs, min(PART_ROWS, rows - offset), seed=seed, offset=offset).write_parquet(folder / f"part-{offset:012d}.parquet")
    return time.perf_counter() - start


def agreement(engine: Engine, cengine: ColumnarEngine, sample: pl.DataFrame) -> tuple[list[str], float]:
    """Disagreements between the two evaluators on *sample*, and the per-case engine's rate (decisions/s)."""
    got = decide_chunk(sample, cengine)
    cases = [to_case(row) for row in sample.iter_rows(named=True)]
    start = time.perf_counter()
    decisions = [engine.decide(c, check_ids=False) for c in cases]
    rate = len(cases) / (time.perf_counter() - start)
    wrong: list[str] = []
    for case, d, g in zip(cases, decisions, got.iter_rows(named=True), strict=True):
        assert d.listing is not None and d.determination is not None
        want = (d.determination.outcome.value, d.listing.outcome.value, d.listing.reasons, d.listing.fired, d.listing.period.years if d.listing.period else None)
        have = (g["determination"], g["outcome"], g["reasons"], g["fired"], g["term_years"])
        if want != have:
            wrong.append(f"{case.case_id}: per-case {want} != columnar {have}")
    return wrong, rate


_OWN_PEAK = (
    "import atexit, runpy, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('\\n@peak-kb ' + line.split()[1] + '\\n')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['credit-rules', *sys.argv[1:]]\n"
    "runpy.run_module('credit_rules.cli', run_name='__main__')\n"
)
"""Runs the command line in the child and writes the child's own peak RSS (``VmHWM``) to stderr at exit.

``getrusage``'s ``ru_maxrss`` of a child counts the memory the parent held when the child was started (Linux
carries the high-water mark across fork and exec), so a benchmark holding a large table reported its own size
as the rescan's; ``VmHWM`` of the exec'd process is the rescan's alone."""


def timed_command(args: list[str]) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS of the child in MB, its stdout, its CPU seconds) of ``credit-rules ARGS`` in a fresh
    process.  The CPU time says what the work costs when the machine is shared (the wall time then includes
    waiting for a core)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _OWN_PEAK, *args], capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"credit-rules {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("@peak-kb ")]
    if not peaks:
        sys.exit(f"credit-rules {' '.join(args)} did not report its peak memory:\n{done.stderr}")
    return seconds, peaks[-1] / 1024, done.stdout, usage.ru_utime + usage.ru_stime - cpu_before


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["generate"]:
        g = argparse.ArgumentParser(prog="national.py generate")
        g.add_argument("rows", type=int)
        g.add_argument("out", type=Path)
        g.add_argument("--seed", type=int, default=0)
        a = g.parse_args(argv[1:])
        generate(Engine.load().catalogs, a.rows, seed=a.seed).write_parquet(a.out)
        print(f"{a.rows} entries -> {a.out}")
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=2_000_000, help="entries in the rescanned table (default 2,000,000: about 2 minutes here)")
    p.add_argument("--sample", type=int, default=5_000, help="entries decided both ways for the agreement check (default 5,000)")
    p.add_argument("--chunk-rows", type=int, default=250_000, help="the rescan's --chunk-rows (default: its own default, 250,000)")
    p.add_argument("--diff", action="store_true", help="also time rescan-diff of the table under two dates")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    engine = Engine.load()
    cengine = ColumnarEngine.of(engine)
    print(f"national benchmark — {os.cpu_count()} cores, polars {pl.__version__}, {len(standards(engine.catalogs))} listing standards")
    print("parts evaluated per distinct key by the per-case evaluator:")
    for lk in cengine.lookups:
        print(f"  {lk.definition}: {lk.expression} ({lk.why})")
    sample = generate(engine.catalogs, args.sample, seed=args.seed + 1)
    wrong, per_case_rate = agreement(engine, cengine, sample)
    with tempfile.TemporaryDirectory(prefix="national-") as tmp:
        folder = Path(tmp) / "entries"
        gen_s = write_entries(engine, args.rows, folder, args.seed)
        out = Path(tmp) / "result.parquet"
        seconds, peak_mb, _, cpu = timed_command(["rescan", str(folder), "--out", str(out), "--chunk-rows", str(args.chunk_rows)])
        result = pl.scan_parquet(out)
        rows = int(result.select(pl.len()).collect().item())
        outcomes = dict(result.group_by("outcome").len().collect().iter_rows())
        diff: dict[str, Any] | None = None
        if args.diff:
            d_s, d_peak, d_out, d_cpu = timed_command(
                ["rescan-diff", str(folder), "--out", str(Path(tmp) / "changed.parquet"), "--head-on", "2026-06-30", "--chunk-rows", str(args.chunk_rows)]
            )
            diff = {"seconds": d_s, "cpu": d_cpu, "peak_mb": d_peak, "report": d_out.strip().replace(tmp, "(temporary folder)")}
    rate = rows / seconds
    print(f"\nagreement: {args.sample:,} generated entries, per-case Engine.decide vs columnar: "
          f"{'identical' if not wrong else f'{len(wrong)} DISAGREE'} (determination, outcome, reasons, fired rules, term)")
    for line in wrong[:20]:
        print("  " + line)
    table = [
        ("per-case Engine.decide (sample, in process)", f"{per_case_rate:,.0f} entries/s", "1.0x"),
        ("columnar rescan, Parquet -> Parquet (fresh process)", f"{rate:,.0f} entries/s", f"{rate / per_case_rate:,.1f}x"),
        (f"rescan of {rows:,} entries", f"{seconds:,.1f} s wall, {cpu:,.1f} s CPU, peak {peak_mb:,.0f} MB", f"load average {os.getloadavg()[0]:.1f}"),
        (f"extrapolated to {NATIONAL_ENTRIES:,} entries", f"{NATIONAL_ENTRIES / rate / 60:,.1f} min wall, "
         f"{NATIONAL_ENTRIES / rows * cpu / 60:,.1f} CPU-min", "target <= 2 min, <= 8 GB"),
    ]
    if diff is not None:
        table.append(("rescan-diff, two dates (fresh process)", f"{diff['seconds']:,.1f} s wall, {diff['cpu']:,.1f} s CPU, peak {diff['peak_mb']:,.0f} MB",
                      f"{diff['seconds'] / seconds:.2f}x the rescan wall, {diff['cpu'] / cpu:.2f}x its CPU (target <= 2x)"))
    width = [max(len(r[i]) for r in table) for i in range(3)]
    for r in table:
        print(" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
    print(f"outcomes: {', '.join(f'{k} {v:,}' for k, v in sorted(outcomes.items()))}; generating the table took {gen_s:.1f} s (not counted)")
    if diff is not None:
        print(diff["report"])
    if wrong:
        print("FAILED: the columnar evaluator disagrees with the per-case engine", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
