"""Rescan: a Parquet table of list entries decided chunk by chunk into a Parquet table of answers.

Why chunks: 26 million entries do not fit in memory with every intermediate
column the rules need, but a quarter of a million rows do.  Each chunk is read
from the input (polars reads only the row groups it needs; the next chunk is
read ahead), decided by the pure function
:func:`~credit_rules.columnar.evaluate.decide_chunk`, and handed to one
streaming Parquet write as a deferred part, in order.  Memory stays bounded by
the chunk size, whatever the table's length.

Bad input is located before anything is decided: a missing or mistyped
column names the file and the column; a bad value names the row (1-based)
and the column (:mod:`credit_rules.columnar.entries`).
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import polars as pl

from ..errors import InputError, Problem
from ..masking import IDENTIFIER_CANDIDATE, scrub_text
from .entries import check_schema, check_values
from .evaluate import RESULT_SCHEMA, ColumnarEngine, decide_chunk

DECIDERS = 2
"""Chunks decided at once (threads; see :func:`decided_in_order`)."""

T = TypeVar("T")

CHUNK_ROWS = 250_000
"""Rows decided at a time: about 1.4 GB peak with the next chunk read ahead; larger chunks spend more time faulting
in fresh memory than they save (1,000,000 rows: 2.6 GB and slower, measured in benchmarks/national.py)."""

Progress = Callable[[int, int], None]
"""``progress(rows done, rows in all)``."""


@dataclass(frozen=True)
class ChunkedRun:
    """What every chunked pass over an entries table reports (the rescan's and the rescan diff's stats extend
    it): the rows and the wall time."""

    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class RescanStats(ChunkedRun):
    outcomes: dict[str, int]


def open_entries(path: Path, on: date | None) -> tuple[pl.LazyFrame, int]:
    """The entries table (a Parquet file, a directory of parts, or a glob) and its row count; bad input raises
    InputError located at the file and column."""
    where = str(path)
    source = path / "*.parquet" if path.is_dir() else path
    if not path.is_dir() and not any(ch in str(path) for ch in "*?[") and not path.is_file():
        raise InputError.one(where, None, "(file)", "a Parquet file of entries (docs/national-scale.md)", "no such file")
    try:
        lf = pl.scan_parquet(source)
        schema = lf.collect_schema()
        rows = int(lf.select(pl.len()).collect().item())
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError.one(where, None, "(file)", "a readable Parquet file of entries", str(exc).splitlines()[0][:200]) from None
    problems = check_schema(dict(schema), where)
    if on is None and "as_of" not in schema:
        problems.append(Problem(where, None, "as_of", "an as_of column, or --on DATE (decisions never read the clock)", "missing"))
    if problems:
        raise InputError(problems)
    return lf, rows


def chunks(lf: pl.LazyFrame, rows: int, size: int, where: str, on: date | None) -> Generator[tuple[int, pl.DataFrame], None, None]:
    """(offset, chunk) over the table, each chunk's values checked (a bad one raises InputError at its row).

    The next chunk is read while the caller decides this one: polars reads Parquet without holding the GIL, so
    on two cores reading and deciding overlap (the order and the chunks are the same)."""

    def read(offset: int) -> pl.DataFrame:
        chunk = lf.slice(offset, size).collect()
        check_chunk(chunk, where, offset, on)
        return chunk

    offsets = range(0, rows, size)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rescan-read") as pool:
        ahead = pool.submit(read, offsets[0]) if offsets else None
        for i, offset in enumerate(offsets):
            assert ahead is not None
            chunk = ahead.result()
            ahead = pool.submit(read, offsets[i + 1]) if i + 1 < len(offsets) else None
            yield offset, chunk


def check_chunk(chunk: pl.DataFrame, where: str, offset: int, on: date | None) -> None:
    """InputError at the first bad row (numbered in the whole table: *offset* is the chunk's first row)."""
    problems = check_values(chunk, where, offset)
    if on is None and chunk["as_of"].null_count():
        row = int(chunk["as_of"].is_null().arg_max() or 0)
        problems.append(Problem(where, offset + row + 1, "as_of", "a date, or --on DATE", "null"))
    if problems:
        raise InputError(problems)


MASKED_COLUMNS = ("case_id",)
"""The result columns that repeat the entries' own text.  The others are the engine's vocabulary (outcomes, rule
ids, fact names, catalog editions) and content hashes."""


PLAIN_RESIDENT_ID = r"^(?:[0-9]{17}[0-9Xx]|[0-9]{15})$"
"""A value that is exactly a resident ID as written in a register (18 characters, or a legacy 15-digit number):
``scrub_text`` masks it whatever its check character, to its first three and last two characters, so polars can
write the masked form itself (``tests/test_audit_findings_security.py`` checks the two agree)."""


def masked(frame: pl.DataFrame, disclosure_basis: str | None, columns: tuple[str, ...] = MASKED_COLUMNS) -> pl.DataFrame:
    """*frame* with *columns* masked as every other output channel masks them (``decide --batch --compact``'s
    ``case_id`` included), unless a *disclosure_basis* is given.

    Column-wise: one regular expression over the column (polars, no Python per row) finds the values that could
    hold an identifier (:data:`IDENTIFIER_CANDIDATE`); a value that is exactly a resident ID is masked by polars
    string slicing, and only the few others go through :func:`~credit_rules.masking.scrub_text`, put back in place.
    An entries table whose ids hold no eleven-digit run costs one vectorised scan per chunk (about 1 ms for
    250,000 ids)."""
    if disclosure_basis:
        return frame
    out = frame
    for name in columns:
        column = frame.get_column(name)
        hits = column.str.contains(IDENTIFIER_CANDIDATE).fill_null(False)
        if not hits.any():
            continue
        plain = column.str.contains(PLAIN_RESIDENT_ID).fill_null(False)
        if plain.any():
            value = pl.col(name)
            shown = (
                pl.when(value.str.len_bytes() == 18)
                .then(pl.concat_str(value.str.slice(0, 3), pl.lit("*" * 13), value.str.slice(16, 2).str.to_uppercase()))
                .otherwise(pl.concat_str(value.str.slice(0, 3), pl.lit("*" * 10), value.str.slice(13, 2)))
            )
            column = frame.select(pl.when(plain).then(shown).otherwise(value).alias(name)).get_column(name)
            hits = hits & ~plain
        if hits.any():
            where = hits.arg_true()
            scrubbed = [scrub_text(v) if v is not None else None for v in column.gather(where).to_list()]
            column = column.clone().scatter(where, pl.Series(name, scrubbed, dtype=pl.String))
        out = out.with_columns(column)
    return out


def rescan(
    path: Path, out: Path, cengine: ColumnarEngine, on: date | None = None, *, chunk_rows: int = CHUNK_ROWS, progress: Progress | None = None,
    disclosure_basis: str | None = None,
) -> RescanStats:
    """Decide every entry of *path* into *out* (one row per entry, in order: :data:`RESULT_COLUMNS`); ``case_id``
    is masked (:func:`masked`) unless a *disclosure_basis* is given."""
    start = time.perf_counter()
    lf, rows = open_entries(path, on)
    outcomes: dict[str, int] = {}
    decided = decided_in_order(
        chunks(lf, rows, chunk_rows, str(path), on), lambda chunk: masked(decide_chunk(chunk, cengine, on), disclosure_basis)
    )
    write_tallied(out, RESULT_SCHEMA, decided, len(range(0, rows, chunk_rows)), rows, "outcome", outcomes, progress)
    return RescanStats(rows, time.perf_counter() - start, dict(sorted(outcomes.items())))


def write_tallied(
    out: Path, schema: Mapping[str, pl.DataType], decided: Generator[pl.DataFrame, None, None], count: int, rows: int, tally: str,
    counts: dict[str, int], progress: Progress | None, keep: Callable[[pl.DataFrame], pl.DataFrame] = lambda frame: frame,
) -> None:
    """Write the *count* decided frames to *out* (:func:`write_in_order`), counting their rows by the column
    *tally* into *counts* and reporting progress as they pass; *keep* picks the rows written (the rescan writes
    every row, the rescan diff only the changed ones)."""
    done = 0

    def part() -> pl.DataFrame:
        nonlocal done
        frame = next(decided)
        for key, n in frame.group_by(tally).len().iter_rows():
            counts[key] = counts.get(key, 0) + n
        done += len(frame)
        if progress is not None:
            progress(done, rows)
        return keep(frame)

    write_in_order(out, schema, part, count, decided.close)


def decided_in_order(todo: Generator[tuple[int, pl.DataFrame], None, None], decide: Callable[[pl.DataFrame], T]) -> Generator[T, None, None]:
    """``decide(chunk)`` for every chunk of *todo*, in order, :data:`DECIDERS` chunks at once in threads.

    Deciding a chunk is a pure function and mostly polars work, which releases the GIL: two deciders keep both
    cores busy where one left about a third of a core idle.  The results come back in the chunks' order whatever
    order they finish in, so the output is the same as one decider's.  Closing the generator stops the deciders
    and closes *todo*."""
    reading = threading.Lock()

    def next_one() -> T | None:
        with reading:  # chunks are handed out in order, one at a time
            item = next(todo, None)
        return None if item is None else decide(item[1])

    pool = ThreadPoolExecutor(max_workers=DECIDERS, thread_name_prefix="rescan-decide")
    try:
        ahead: collections.deque[Future[T | None]] = collections.deque(pool.submit(next_one) for _ in range(DECIDERS))
        while ahead:
            result = ahead.popleft().result()
            if result is None:  # the table is done: the others end too
                continue
            ahead.append(pool.submit(next_one))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        todo.close()


def write_in_order(
    out: Path, schema: Mapping[str, pl.DataType], part: Callable[[], pl.DataFrame], count: int, close: Callable[[], None] = lambda: None,
) -> None:
    """Write *count* frames of *schema*, each made by one call of *part* (in order), as one Parquet file *out*.

    Why one function: the rescan and the rescan diff both decide a table chunk by chunk into one file.  It is
    one streaming write: polars calls each deferred part when its writer needs it, encodes and writes while the
    next is decided, and never holds more than a chunk or two — no part files and no second pass over them.  The
    file is written beside *out* and moved into place, so an error (a located InputError raised inside a part
    travels wrapped by polars, and is unwrapped here) leaves no partial file; *close* is called either way (the
    chunk reader).  No frames (an empty table) gives a file with the schema and no rows."""
    partial = out.with_name(out.name + ".partial")
    try:
        if count == 0:
            pl.DataFrame(schema=schema).write_parquet(partial)
        else:
            pl.concat([pl.defer(part, schema=schema) for _ in range(count)]).sink_parquet(partial)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc.__cause__, InputError):
            raise exc.__cause__ from None
        raise
    finally:
        close()
    partial.replace(out)


__all__ = [
    "CHUNK_ROWS", "MASKED_COLUMNS", "PLAIN_RESIDENT_ID", "ChunkedRun", "RescanStats", "check_chunk", "chunks", "decided_in_order", "masked",
    "open_entries", "rescan", "write_in_order", "write_tallied",
]
