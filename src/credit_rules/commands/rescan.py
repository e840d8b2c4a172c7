"""``credit-rules rescan ENTRIES.parquet --out RESULT.parquet``: decide a national table of list entries, columnar;
``credit-rules rescan-diff ENTRIES.parquet --base REF --head REF --out CHANGED.parquet``: what a change moves.

Both need the ``columnar`` extra (polars).  The entries table's columns are
documented in docs/national-scale.md.  Exit codes: 0 decided (rescan-diff: 0
nothing changed, 1 something changed), 2 bad input (a located message).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._common import catalogs_arg, iso_date, rules_arg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser("rescan", help="decide a Parquet table of list entries (the listing question), columnar, into a Parquet table")
    r.add_argument("entries", type=Path, help="the entries: a Parquet file, a directory of Parquet parts, or a glob (docs/national-scale.md)")
    r.add_argument("--out", type=Path, required=True, help="the result Parquet file (one row per entry, in order)")
    r.add_argument("--catalogs", type=catalogs_arg, action="append", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
    r.add_argument("--rules", type=rules_arg, help="rule directory or 'shipped' (default: shipped)")
    r.add_argument("--on", type=iso_date, metavar="DATE", help="decide every entry as of DATE (default: each entry's as_of column)")
    r.add_argument("--chunk-rows", type=_positive, default=None, metavar="N", help="rows decided at a time (default 250,000; memory grows with it)")
    r.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    r.add_argument("--lookups", action="store_true", help="list the parts evaluated per distinct key by the per-case evaluator, then decide")
    r.add_argument("--dask", metavar="ADDRESS|local:N", help="decide the chunks as tasks on a Dask cluster: a scheduler's address, or local:N "
                   "to start N local worker processes (the 'cluster' extra; parts go to --parts-dir, which every worker must reach)")
    r.add_argument("--parts-dir", type=Path, metavar="DIR", help="with --dask: where the workers write their parts (default: a temporary folder)")
    r.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked in case_id (default: masked)")
    r.set_defaults(run=run)
    d = sub.add_parser("rescan-diff", help="decide a Parquet table of entries under two states; count changes by class, write the changed entries")
    d.add_argument("entries", type=Path, help="the entries, as for rescan")
    d.add_argument("--out", type=Path, required=True, help="Parquet file of the changed entries with both answers and the change class")
    d.add_argument("--base", default="shipped", metavar="REF", help="the state before: a directory (catalogs/ [+ rules/]), a git revision of --repo, or 'shipped'")
    d.add_argument("--head", default="shipped", metavar="REF", help="the state after, like --base")
    d.add_argument("--repo", type=Path, default=Path("."), metavar="DIR", help="where git revisions are read; default: .")
    d.add_argument("--catalogs", action="append", metavar="DIR", help="catalog layer added on both sides after the REF's own; repeatable")
    d.add_argument("--base-on", type=iso_date, metavar="DATE", help="decide the base as of DATE (default: each entry's as_of)")
    d.add_argument("--head-on", type=iso_date, metavar="DATE", help="decide the head as of DATE (default: each entry's as_of)")
    d.add_argument("--chunk-rows", type=_positive, default=None, metavar="N", help="rows decided at a time (default 250,000)")
    d.add_argument("--format", choices=("text", "json"), default="text", help="the counts on stdout")
    d.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    d.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked in case_id (default: masked)")
    d.set_defaults(run=run_diff)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return n


ALLOCATOR_SETTINGS = "dirty_decay_ms:30000,muzzy_decay_ms:30000"
"""jemalloc (polars' allocator) keeps freed pages for 30 s instead of returning them at once: every chunk allocates
the same columns again, and faulting fresh pages in was about a fifth of the rescan's CPU time (system time halves,
wall time about 10 % less on 1M entries, peak memory +0.3 GB; benchmarks/national.py).  Only set when polars is not
yet loaded (jemalloc reads it once) and the caller has not set it."""


def _columnar() -> Any:
    if "polars" not in sys.modules:
        os.environ.setdefault("_RJEM_MALLOC_CONF", ALLOCATOR_SETTINGS)
    try:
        from ..columnar import evaluate
    except ImportError:
        raise InputError.one("(command line)", None, "rescan", "polars installed (pip install 'credit_rules[columnar]')", "not installed") from None
    return evaluate


def _progress(args: argparse.Namespace) -> Any:
    from ..regression.runner import Progress

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = Progress(sys.stderr, total, Progress.wanted(sys.stderr, args.progress))
        bar.update(done, "rows")
        if done >= total:
            bar.close()

    return update


def run(args: argparse.Namespace) -> int:
    evaluate = _columnar()
    from ..columnar.rescan import CHUNK_ROWS, rescan
    from ..engine.decide import Engine

    engine = Engine.load(args.catalogs, args.rules)
    cengine = evaluate.ColumnarEngine.of(engine)
    if args.lookups:
        for lk in cengine.lookups:
            print(f"{lk.definition}: {lk.expression} — {lk.why}; once per distinct ({', '.join(lk.keys)})")
    if args.dask:
        stats = _on_cluster(args, engine)
    else:
        stats = rescan(
            args.entries, args.out, cengine, args.on, chunk_rows=args.chunk_rows or CHUNK_ROWS, progress=_progress(args),
            disclosure_basis=args.disclosure_basis,
        )
    counts = ", ".join(f"{k} {v}" for k, v in stats.outcomes.items())
    print(f"{stats.rows} entries decided in {stats.seconds:.1f} s ({stats.rows_per_second:,.0f}/s): {counts or 'none'} -> {args.out}")
    return 0


def _on_cluster(args: argparse.Namespace, engine: Any) -> Any:
    import importlib

    try:
        distributed: Any = importlib.import_module("distributed")  # untyped: used through Any
    except ImportError:
        raise InputError.one("(command line)", None, "--dask", "dask and distributed installed (pip install 'credit_rules[cluster]')", "not installed") from None
    from contextlib import ExitStack

    from ..columnar.cluster import rescan_on_cluster
    from ..columnar.rescan import CHUNK_ROWS

    if engine.source is None:  # pragma: no cover - Engine.load always sets it
        raise InputError.one("(command line)", None, "--dask", "catalog and rule directories the workers can load", "none")
    with ExitStack() as stack:
        if args.dask.startswith("local:"):
            n = _positive(args.dask.removeprefix("local:"))
            cluster = stack.enter_context(distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"))
            client = stack.enter_context(distributed.Client(cluster))
        else:
            client = stack.enter_context(distributed.Client(args.dask))
        return rescan_on_cluster(
            args.entries, args.out, client, list(engine.source.catalogs), engine.source.rules, args.on,
            chunk_rows=args.chunk_rows or CHUNK_ROWS, parts_dir=args.parts_dir, disclosure_basis=args.disclosure_basis,
        )


def run_diff(args: argparse.Namespace) -> int:
    evaluate = _columnar()
    from contextlib import ExitStack

    from ..columnar.diff import rescan_diff
    from ..columnar.rescan import CHUNK_ROWS
    from ..regression.refs import catalog_dir, resolve_ref

    extra = [catalog_dir(c) for c in args.catalogs or []]
    with ExitStack() as stack:
        base = resolve_ref(args.base, repo=args.repo, stack=stack, option="--base")
        head = resolve_ref(args.head, repo=args.repo, stack=stack, option="--head")
        base_engine = evaluate.ColumnarEngine.of(base.engine(extra))
        head_engine = evaluate.ColumnarEngine.of(head.engine(extra))
        stats = rescan_diff(
            args.entries, args.out, base_engine, head_engine, base_on=args.base_on, head_on=args.head_on,
            chunk_rows=args.chunk_rows or CHUNK_ROWS, progress=_progress(args), disclosure_basis=args.disclosure_basis,
        )
    if args.format == "json":
        print(json.dumps({"rows": stats.rows, "changed": stats.changed, "seconds": round(stats.seconds, 3), "counts": stats.counts}, indent=2))
    else:
        print(f"{stats.rows} entries decided under {base.label} and {head.label} in {stats.seconds:.1f} s; {stats.changed} changed -> {args.out}")
        for cls, n in stats.counts.items():
            if n:
                print(f"  {cls:<26} {n}")
    return 1 if stats.changed else 0
