"""The rescan on a Dask cluster (``distributed``): one task per chunk of the entries table, Dask's scheduler.

Why Dask: the columnar evaluator is polars in Python; Dask's ``distributed``
runs Python tasks on a cluster of worker processes (one machine or many) with
its own scheduler, retries and dashboard, and needs no JVM or Arrow hand-over
as Spark would.  Each task reads its slice of the Parquet table, decides it
with the pure function :func:`~credit_rules.columnar.evaluate.decide_chunk`
and writes a part file; the client then streams the parts into the one
result, in order.  A worker loads and compiles the engine once (from the same
catalog and rule directories) and keeps it for its later tasks.  The results
are those of :func:`~credit_rules.columnar.rescan.rescan` on one machine (the
tests check they are identical).

The part files go to a folder every worker can write and the client can read
(on one machine, a temporary folder; on a cluster, a shared file system).
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from .evaluate import RESULT_SCHEMA, ColumnarEngine, decide_chunk
from .rescan import CHUNK_ROWS, RescanStats, masked, open_entries

_ENGINES: dict[tuple[tuple[str, ...], str], ColumnarEngine] = {}
"""The engines a worker process has loaded and compiled, by (catalog directories, rule directory)."""


def _engine(catalogs: tuple[str, ...], rules: str) -> ColumnarEngine:
    key = (catalogs, rules)
    hit = _ENGINES.get(key)
    if hit is None:
        from ..engine.decide import Engine

        hit = _ENGINES[key] = ColumnarEngine.of(Engine.load(list(catalogs), rules))
    return hit


def decide_part(
    source: str, offset: int, rows: int, catalogs: tuple[str, ...], rules: str, on: date | None, parts: str, disclosure_basis: str | None = None,
) -> dict[str, int]:
    """One task: rows *offset* … *offset*+rows-1 of *source* decided into ``parts/part-<offset>.parquet`` (its
    ``case_id`` masked unless a *disclosure_basis* is given: a part file is an output too); the outcome counts.
    Bad values raise :class:`~credit_rules.errors.InputError` (located at the row), which the client re-raises."""
    from .rescan import check_chunk

    chunk = pl.scan_parquet(source).slice(offset, rows).collect()
    check_chunk(chunk, source, offset, on)
    result = masked(decide_chunk(chunk, _engine(catalogs, rules), on), disclosure_basis)
    result.write_parquet(Path(parts) / f"part-{offset:012d}.parquet")
    return dict(result.group_by("outcome").len().iter_rows())


def rescan_on_cluster(
    path: Path, out: Path, client: Any, catalogs: list[Path], rules: Path, on: date | None = None, *, chunk_rows: int = CHUNK_ROWS,
    parts_dir: Path | None = None, disclosure_basis: str | None = None,
) -> RescanStats:
    """:func:`~credit_rules.columnar.rescan.rescan` with the chunks decided as tasks on the Dask *client*'s cluster."""
    start = time.perf_counter()
    _, rows = open_entries(path, on)
    source = str(path / "*.parquet") if path.is_dir() else str(path)
    cats = tuple(str(Path(c).resolve()) for c in catalogs)
    with tempfile.TemporaryDirectory(prefix="rescan-cluster-", dir=parts_dir) as tmp:
        futures = [
            client.submit(decide_part, source, offset, min(chunk_rows, rows - offset), cats, str(Path(rules).resolve()), on, tmp, disclosure_basis, pure=False)
            for offset in range(0, rows, chunk_rows)
        ]
        outcomes: dict[str, int] = {}
        for counts in client.gather(futures):
            for k, n in counts.items():
                outcomes[k] = outcomes.get(k, 0) + n
        _combine(Path(tmp), out)
    return RescanStats(rows, time.perf_counter() - start, dict(sorted(outcomes.items())))


def _combine(parts: Path, out: Path) -> None:
    """The workers' part files streamed into one Parquet file (in order), written beside *out* and moved into
    place (the one-machine rescan needs no part files: :func:`~credit_rules.columnar.rescan.write_in_order`)."""
    files = sorted(parts.glob("part-*.parquet"))
    partial = out.with_name(out.name + ".partial")
    if not files:
        pl.DataFrame(schema=RESULT_SCHEMA).write_parquet(partial)
    else:
        pl.scan_parquet(files).sink_parquet(partial)
    partial.replace(out)


__all__ = ["decide_part", "rescan_on_cluster"]
