"""Agreement at scale: ``python benchmarks/agreement.py --rows 1000000 [--processes 2] [--seed S]``.

Issue #14's agreement target: the columnar evaluator and the per-case engine give identical determinations,
listing outcomes, reasons, fired rules and list terms on a million generated entries covering every shipped
listing standard. :mod:`national` checks a sample of a few thousand per run (the per-case engine decides a
few hundred to a thousand entries a second); this runs the whole million, in chunks (memory stays flat) spread
over worker processes, and exits 1 on any disagreement, printing the first ones.

Each chunk is rows ``offset … offset+chunk-1`` of the generated table of the seed
(:func:`credit_rules.columnar.generate.generate`, the table ``national.py`` and ``rescan`` benchmarks use), so
the million rows are the first million of that table. Per-case decisions are made lean (no definition trace
entries: no outcome depends on them), as ``decide --compact`` makes them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter

from credit_rules import Engine
from credit_rules.columnar.entries import to_case
from credit_rules.columnar.evaluate import ColumnarEngine, decide_chunk
from credit_rules.columnar.generate import generate, standards
from credit_rules.engine.evaluation import LEAN

_engine: Engine | None = None
_cengine: ColumnarEngine | None = None


def _init() -> None:
    global _engine, _cengine
    _engine = Engine.load()
    _cengine = ColumnarEngine.of(_engine)
    LEAN.set(True)


def check(job: tuple[int, int, int]) -> tuple[int, list[str], Counter[str], Counter[str], float]:
    """Rows *offset* … *offset*+*n*-1 of the table of *seed* decided both ways: (rows, disagreements (the first 20),
    rows by standard, rows by outcome, seconds)."""
    seed, offset, n = job
    assert _engine is not None and _cengine is not None
    start = time.perf_counter()
    sample = generate(_engine.catalogs, n, seed=seed, offset=offset)
    got = decide_chunk(sample, _cengine)
    wrong: list[str] = []
    by_standard: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for row, g in zip(sample.iter_rows(named=True), got.iter_rows(named=True), strict=True):
        case = to_case(row)
        d = _engine.decide(case, check_ids=False)
        assert d.listing is not None and d.determination is not None
        want = (d.determination.outcome.value, d.listing.outcome.value, d.listing.reasons, d.listing.fired,
                d.listing.period.years if d.listing.period else None)
        have = (g["determination"], g["outcome"], g["reasons"], g["fired"], g["term_years"])
        if want != have and len(wrong) < 20:
            wrong.append(f"{case.case_id}: per-case {want} != columnar {have}")
        elif want != have:
            wrong.append("…")
        by_standard[row["listing_standard"]] += 1
        by_outcome[d.listing.outcome.value] += 1
    return n, wrong, by_standard, by_outcome, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--chunk", type=int, default=10_000)
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    jobs = [(args.seed, off, min(args.chunk, args.rows - off)) for off in range(0, args.rows, args.chunk)]
    started = time.perf_counter()
    rows = 0
    wrong: list[str] = []
    by_standard: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    # spawned, not forked: polars' thread pool does not survive a fork
    with multiprocessing.get_context("spawn").Pool(args.processes, initializer=_init) as pool:
        for n, w, s, o, _ in pool.imap_unordered(check, jobs):
            rows += n
            wrong += w
            by_standard.update(s)
            by_outcome.update(o)
            print(f"\r{rows:,} / {args.rows:,} entries, {len(wrong)} disagreements, {time.perf_counter() - started:,.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    shipped = {s.std.id for s in standards(Engine.load().catalogs)}
    seconds = time.perf_counter() - started
    print(f"agreement: {rows:,} generated entries (seed {args.seed}), per-case Engine.decide vs columnar, {args.processes} processes, "
          f"{seconds:,.0f} s: {'identical' if not wrong else f'{len(wrong)} DISAGREE'} (determination, outcome, reasons, fired rules, term)")
    print(f"standards covered: {len(by_standard)} of {len(shipped)} shipped"
          f"{'' if set(by_standard) >= shipped else ' (missing: ' + ', '.join(sorted(shipped - set(by_standard))) + ')'}")
    print("listing outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_outcome.items())))
    for line in wrong[:20]:
        print("  " + line)
    return 1 if wrong or not set(by_standard) >= shipped else 0


if __name__ == "__main__":
    raise SystemExit(main())
