"""Deciding many cases: a stream in, a stream out, one error per bad item.

``decide_many(engine, cases)`` takes any iterable of cases — :class:`Case`
objects (used as they are, never validated again), plain mappings (validated
here, with a located message when they are wrong) or :class:`RawCase` items
read from a file — and yields one :class:`BatchItem` per case, in input
order.  It holds only a bounded number of cases at a time, so memory stays
flat however long the input is.  With ``processes > 1`` chunks of cases go to
worker processes, each of which loads its own engine once, from the same
catalog and rule directories, in the pool initializer.

A case that cannot be validated or decided gives an item with ``ok: false``
and the error text (an :class:`InputError`'s located message, or the
exception's text, with anything shaped like personal data masked) instead of
stopping the batch.  Decisions stay pure: the
same input gives the same items whatever the number of processes.
"""

from __future__ import annotations

import functools
import gc
import json
import multiprocessing
import os
import re
import stat
import sys
import tempfile
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field

from ..case_ids import require_case_ids
from ..errors import InputError, Problem
from ..limits import Limits, env_name, number_expected, number_problem
from ..limits import current as current_limits
from ..masking import scrub_text
from ..model.case import Case
from ..model.decision import Decision
from ..validation import validate
from ..yamlsource import Located, dotted
from .compact import CompactItem, decide_compact
from .decide import Engine

DEFAULT_CHUNK_SIZE = 64
"""Cases per task sent to a worker process (and per in-order batch of results)."""


class BatchItem(BaseModel):
    """The result for one case of a batch: its decision, or why there is none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(description="0-based position of the case in the input")
    case_id: str | None = Field(None, description="the case's case_id, when it could be read")
    ok: bool = Field(description="true when the case was decided")
    decision: Decision | None = None
    error: str | None = Field(None, description="why the case was not decided: a located input error or the exception text")

    def to_json_line(self) -> str:
        """One line of JSON, every field in declaration order, no trailing newline; the same item gives the same bytes."""
        return self.model_dump_json()


@dataclass(frozen=True)
class RawCase:
    """A case as read from a file: its parsed data, or why it could not be parsed.

    ``file`` and ``line`` locate validation errors (``cases.jsonl:17: field
    'act.gravity': expected …``).
    """

    data: Any = None
    file: str = "(case)"
    line: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class RawLine:
    """A line of a JSON-lines file not parsed yet (:func:`read_jsonl` with ``parsed=False``).

    With worker processes the parent then only reads bytes and each worker parses its own lines
    (:func:`parse_jsonl_line`, the same limits): parsing is a tenth of a case's time, and bytes travel to a
    worker more cheaply than the parsed case would.  Every consumer parses it first (:func:`_parsed`), so each
    line gives the same :class:`RawCase`, errors and locations included, wherever it is parsed."""

    raw: bytes
    file: str
    line: int
    limits: Limits

    def parse(self) -> RawCase:
        return parse_jsonl_line(self.raw, self.file, self.line, self.limits)


CaseInput = Case | Mapping[str, Any] | RawCase | RawLine


def _parsed(item: CaseInput) -> Case | Mapping[str, Any] | RawCase:
    """*item*, a :class:`RawLine` parsed."""
    return item.parse() if isinstance(item, RawLine) else item


# ----------------------------------------------------------------- one item


def _case_id(data: Any) -> str | None:
    if isinstance(data, Mapping):
        ident = data.get("case_id")
        return ident if isinstance(ident, str) else None
    return None


def decide_one(engine: Engine, index: int, item: CaseInput, as_of: date | None, disclosure_basis: str | None) -> BatchItem:
    """Validate (unless already a Case) and decide one case; every failure becomes the item's error."""
    return _decide_one(engine, index, item, as_of, disclosure_basis, compact=False)  # type: ignore[return-value]


def decide_one_compact(engine: Engine, index: int, item: CaseInput, as_of: date | None, disclosure_basis: str | None) -> CompactItem:
    """Like :func:`decide_one`, the decision in its compact form (``credit-rules explain`` gives the full one back)."""
    return _decide_one(engine, index, item, as_of, disclosure_basis, compact=True)  # type: ignore[return-value]


def _validated(engine: Engine, index: int, item: CaseInput) -> Case:
    """The case of *item*, validated (unless already a Case) and its ids checked; raises InputError."""
    origin: Located | str
    item = _parsed(item)
    if isinstance(item, Case):
        case, origin = item, f"(case {index})"
    elif isinstance(item, RawCase):
        if item.error is not None:
            raise InputError.one(item.file, item.line, "(line)", "a case", "a line that could not be read")
        lines: dict[tuple[str | int, ...], int] = {(): item.line} if item.line is not None else {}
        origin = Located(item.data, item.file, lines)
        case = validate(Case, origin)
    elif isinstance(item, Mapping):
        origin = Located(item, f"(case {index})", {})
        case = validate(Case, origin)
    else:
        raise InputError.one(f"(case {index})", None, "(document)", "a case: a mapping or a Case", type(item).__name__)
    # a misspelled id is this line's input error (file, line, did-you-mean), never a legal refusal
    require_case_ids(case, engine.catalogs, origin)
    return case


def _decide_one(
    engine: Engine, index: int, item: CaseInput, as_of: date | None, disclosure_basis: str | None, *, compact: bool, validated: Case | None = None
) -> BatchItem | CompactItem:
    """*validated*: the case of *item*, already validated and its ids checked by :func:`_validated` (the columnar
    chunk validates every case to see which it decides; the others are not validated twice)."""
    Item: type[BatchItem] | type[CompactItem] = CompactItem if compact else BatchItem
    case_id: str | None = None
    item = _parsed(item)
    try:
        if isinstance(item, RawCase):
            case_id = _case_id(item.data)
            if item.error is not None:
                return Item(index=index, case_id=_shown(case_id, disclosure_basis), ok=False, error=scrub_text(item.error))
        elif isinstance(item, Mapping):
            case_id = _case_id(item)
        case = validated if validated is not None else _validated(engine, index, item)
        case_id = case.case_id
        if compact:
            record = decide_compact(engine, case, as_of, disclosure_basis)
        else:
            decision = engine.decide(case, as_of, disclosure_basis=disclosure_basis, check_ids=False)
    except InputError as exc:
        # the message repeats the rejected value: mask anything shaped like personal data (as the CLI does)
        return Item(index=index, case_id=_shown(case_id, disclosure_basis), ok=False, error=scrub_text(exc.render()))
    except OverflowError as exc:  # a date pushed past 9999-12-31 by a period (a decision in 9999)
        where = f"(case {index})" if not isinstance(item, RawCase) else f"{item.file}:{item.line}"
        msg = Problem(where, None, "(dates)", "dates whose periods end by 9999-12-31", f"a date out of range ({exc})").render()
        return Item(index=index, case_id=_shown(case_id, disclosure_basis), ok=False, error=scrub_text(msg))
    except ArithmeticError as exc:  # decimal.Overflow, InvalidOperation: an amount too large to compute with
        where = f"(case {index})" if not isinstance(item, RawCase) else f"{item.file}:{item.line}"
        msg = Problem(where, None, "(value)", "amounts small enough to compute with", f"{type(exc).__name__}").render()
        return Item(index=index, case_id=_shown(case_id, disclosure_basis), ok=False, error=scrub_text(msg))
    except Exception as exc:  # noqa: BLE001 - one bad case must not stop the batch
        return Item(index=index, case_id=_shown(case_id, disclosure_basis), ok=False, error=scrub_text(f"{type(exc).__name__}: {exc}"))
    if compact:
        return CompactItem(index=index, case_id=_shown(case_id, disclosure_basis), ok=True, compact=record)
    return BatchItem(index=index, case_id=_shown(case_id, disclosure_basis), ok=True, decision=decision)


def _shown(case_id: str | None, disclosure_basis: str | None) -> str | None:
    """A case id as every output shows it: masked when shaped like a resident ID, unless a basis allows it."""
    return None if case_id is None else scrub_text(case_id, disclosure_basis=disclosure_basis)


# ------------------------------------------------- compact, columnar

COLUMNAR_CHUNK_SIZE = 4096
"""Cases per chunk of ``decide --batch --compact`` from a file: the columnar evaluator decides a chunk at once.
Its fixed cost per chunk (some 60 polars operations) is paid per chunk: in one process, 8,192 listing cases took
79 us a case in chunks of 2,048, 70 us in chunks of 4,096 and 66 us in chunks of 8,192.  End to end (2 processes,
50,000 cases) 4,096 was 3-7 % faster than 2,048 and 8,192 no faster than 4,096 (a longer wait for the first and
the last chunk), while each chunk in flight holds more cases in memory (docs/performance.md)."""

_fast: weakref.WeakKeyDictionary[Engine, tuple[object, object, Any]] = weakref.WeakKeyDictionary()


def _columnar(engine: Engine) -> Any:
    """The engine's :class:`~credit_rules.columnar.compact.CompactColumnar` (made once per engine, catalogs and
    rules), or None where it cannot be had (polars not installed, a rule set it cannot compile): every case then
    goes to the per-case engine, which gives the same lines."""
    hit = _fast.get(engine)
    if hit is not None and hit[0] is engine.catalogs and hit[1] is engine.ruleset:
        return hit[2]
    try:
        from ..columnar.compact import CompactColumnar

        made: Any = CompactColumnar.of(engine)
    except Exception:  # noqa: BLE001 - ImportError (no polars) or a compile failure: the per-case path serves
        made = None
    _fast[engine] = (engine.catalogs, engine.ruleset, made)
    return made


def _compact_chunk(
    engine: Engine, chunk: list[tuple[int, CaseInput]], as_of: date | None, disclosure_basis: str | None
) -> list[tuple[bool, str]]:
    """The compact lines of a chunk, in order: the cases asking only the determination and listing questions
    from the columnar evaluator (:mod:`credit_rules.columnar.compact`, the same bytes), those asking measures or
    repair with those answers from it (:meth:`~credit_rules.columnar.compact.CompactColumnar.deferred_lines`), every other item
    (and the whole chunk, should the columnar evaluation fail) from :func:`decide_one_compact`, exactly as one at a
    time."""
    chunk = [(index, _parsed(item)) for index, item in chunk]
    fast = _columnar(engine)
    lines: dict[int, str] = {}
    valid: dict[int, Case] = {}  # the other valid cases, for the per-case engine (not validated again)
    if fast is not None:
        eligible: list[tuple[int, Case]] = []
        for index, item in chunk:
            if isinstance(item, RawCase) and item.error is not None:
                continue
            try:
                case = _validated(engine, index, item)
            except Exception:  # noqa: BLE001 - its error item is made by the per-case path below
                continue
            if fast.eligible(case, as_of):
                eligible.append((index, case))
            else:
                valid[index] = case
        if eligible:
            try:
                lines = fast.lines(eligible, as_of, disclosure_basis)
            except Exception:  # noqa: BLE001 - never a different answer: the per-case engine decides the chunk
                lines = {}
        others = [(index, case) for index, case in valid.items() if case.measures is not None or case.repair is not None]
        if others:
            try:
                lines.update(fast.deferred_lines(others, as_of, disclosure_basis))
            except Exception:  # noqa: BLE001 - as above: these cases go to the per-case engine
                pass
    out: list[tuple[bool, str]] = []
    for index, item in chunk:
        line = lines.get(index)
        if line is None:
            done = _decide_one(engine, index, item, as_of, disclosure_basis, compact=True, validated=valid.get(index))
            out.append((done.ok, done.to_json_line()))
        else:
            out.append((True, line))
    return out


# -------------------------------------------------------------- processes

_worker_engine: Engine | None = None


_inherited_engine: Engine | None = None
"""The parent's engine while it forks its workers (:func:`_pooled`): a forked worker has it already, loaded from
the same directories, and need not load them again (about 0.45 s of CPU a worker)."""


def _load_args(engine: Engine) -> tuple[list[str], str, str] | None:
    """What a worker passes to :meth:`Engine.load` to load *engine* again (its catalogs, rules and backend), or
    None for an engine not made by ``Engine.load``."""
    source = engine.source
    return None if source is None else ([str(c) for c in source.catalogs], str(source.rules), source.backend)


def _columnar_start_method() -> str:
    """How workers that run the columnar evaluator start: forked from a parent that has not loaded polars, on a
    platform whose default is to fork; else afresh (``spawn``).

    Why: polars' thread pool does not survive a fork (a forked worker can hang on a lock held by a thread that
    was not copied), so a parent that has loaded polars must not fork.  A parent that has not loaded it
    (``credit-rules decide --batch``: the columnar evaluator runs in the workers only) forks cheaply, and each
    worker loads polars itself."""
    if "polars" not in sys.modules and multiprocessing.get_all_start_methods()[0] == "fork":  # (the first is the default)
        return "fork"
    return "spawn"


def _init_worker(catalogs: Sequence[str], rules: str, backend: str) -> None:
    """Pool initializer: the engine once per worker process (the parent's, when forked; else loaded)."""
    global _worker_engine
    inherited = _inherited_engine
    if inherited is not None and _load_args(inherited) == (list(catalogs), rules, backend):
        _worker_engine = inherited
    else:
        _worker_engine = Engine.load([Path(c) for c in catalogs], Path(rules), backend=backend)
    gc.freeze()  # the worker's engine lives as long as the worker: the collector need not walk it again
    # and, as in the parent's batch (gcpause.BatchCollector), no automatic collection: _work collects every
    # _WORKER_COLLECT_EVERY cases (a chunk holds its cases' decisions until its lines are made, and the collector
    # walking them again and again cost a worker some 40 % of a compact chunk's per-case decisions)
    gc.disable()


_WORKER_COLLECT_EVERY = 4096
_worker_since_collect = 0


def _collect_now_and_then(cases: int) -> None:
    """In a worker: a full collection once every :data:`_WORKER_COLLECT_EVERY` cases decided."""
    global _worker_since_collect
    _worker_since_collect += cases
    if _worker_since_collect >= _WORKER_COLLECT_EVERY:
        _worker_since_collect = 0
        gc.collect()


def _work(
    chunk: list[tuple[int, CaseInput]], as_of: date | None, disclosure_basis: str | None, full: bool, compact: bool = False,
    columnar: bool = False,
) -> list[tuple[bool, str]]:
    """Decide a chunk in a worker; items travel back as JSON (much cheaper than pickling models).

    *full*: every field (the JSON-lines output); otherwise only the fields
    that were set, from which :meth:`BatchItem.model_validate_json` rebuilds
    an item equal to the one decided here, set fields included.
    """
    engine = _worker_engine
    if engine is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker engine not loaded")
    _collect_now_and_then(len(chunk))
    return _chunk_lines(engine, chunk, as_of, disclosure_basis, full, compact, columnar)


def _work_block(
    chunk: list[tuple[int, CaseInput]], as_of: date | None, disclosure_basis: str | None, compact: bool, columnar: bool, masked: bool,
    spool: str | None = None,
) -> Block:
    """Decide a chunk in a worker into one :class:`Block` (see :func:`decide_many_blocks`), written to a file of
    the folder *spool* if given."""
    engine = _worker_engine
    if engine is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker engine not loaded")
    _collect_now_and_then(len(chunk))
    block = _block(_chunk_lines(engine, chunk, as_of, disclosure_basis, True, compact, columnar), masked)
    return block if spool is None else _spooled(block, spool)


def _spooled(block: Block, spool: str) -> Block:
    """*block* with its lines written to a new file of the folder *spool*, each followed by its newline, as the
    ``--out`` file is written (``open(path, "w", encoding="utf-8")``, one write a line)."""
    fd, path = tempfile.mkstemp(dir=spool, suffix=".jsonl")  # (owner-only, never an existing file)
    with open(fd, "w", encoding="utf-8") as handle:
        for line in block.lines:
            handle.write(line + "\n")
    return Block(block.cases, block.failed, [], path)


def _block(lines: list[tuple[bool, str]], masked: bool) -> Block:
    """The lines of a chunk as one :class:`Block`, each masked on its own when *masked* (a line is masked as a write
    of it and its newline through :class:`~credit_rules.masking.ScrubbingStream` would be: no pattern reaches a
    newline, ``tests/test_masking.py``)."""
    texts = [line for _, line in lines]
    if masked:
        texts = [scrub_text(text) for text in texts]
    return Block(len(lines), sum(not ok for ok, _ in lines), texts)


def _chunk_lines(
    engine: Engine, chunk: list[tuple[int, CaseInput]], as_of: date | None, disclosure_basis: str | None, full: bool, compact: bool,
    columnar: bool,
) -> list[tuple[bool, str]]:
    """The ``(ok, json_line)`` of every item of *chunk*, in order."""
    if compact and columnar:
        return _compact_chunk(engine, chunk, as_of, disclosure_basis)
    if compact:
        return [(c.ok, c.to_json_line()) for c in (decide_one_compact(engine, i, item, as_of, disclosure_basis) for i, item in chunk)]
    items = (decide_one(engine, i, item, as_of, disclosure_basis) for i, item in chunk)
    if full:
        return [(item.ok, item.to_json_line()) for item in items]
    return [(item.ok, item.model_dump_json(exclude_unset=True)) for item in items]


def balanced_chunk_size(chunk_size: int, total: int | None, processes: int) -> int:
    """The size of chunks that split *total* cases (if known) into as many chunks of at most *chunk_size* as a
    multiple of *processes*, all but the last of that size and the last nearly so.

    Why: workers take the chunks in turn, and a batch ends when its slowest worker does.  3,000 cases in chunks of
    2,048 leave one of two workers deciding 2,048 cases while the other, done with 952, waits; 2 chunks of 1,500
    end together."""
    if total is None or total < 1 or processes < 2:
        return chunk_size
    chunks = -(-total // chunk_size)
    chunks = -(-chunks // processes) * processes
    return max(1, -(-total // chunks))


def _chunks(cases: Iterable[CaseInput], size: int) -> Iterator[list[tuple[int, CaseInput]]]:
    numbered = enumerate(cases)
    while chunk := list(islice(numbered, size)):
        yield chunk


def _check(processes: int, chunk_size: int) -> None:
    if processes < 1:
        raise ValueError("processes must be at least 1")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")


def _pooled(
    engine: Engine,
    cases: Iterable[CaseInput],
    as_of: date | None,
    processes: int,
    chunk_size: int,
    disclosure_basis: str | None,
    mp_context: str | None,
    full: bool,
    compact: bool = False,
    columnar: bool = False,
) -> Iterator[tuple[bool, str]]:
    """JSON of every item, in input order, from a pool whose workers load the engine once each."""
    for lines in _pool_chunks(engine, cases, processes, chunk_size, mp_context, columnar, _work, (as_of, disclosure_basis, full, compact, columnar)):
        yield from lines


def _pool_chunks(
    engine: Engine, cases: Iterable[CaseInput], processes: int, chunk_size: int, mp_context: str | None, columnar: bool,
    work: Callable[..., Any], args: tuple[Any, ...],
) -> Iterator[Any]:
    """``work(chunk, *args)`` of every chunk of *chunk_size* cases, in input order, from a pool of *processes*
    workers that load the engine once each (forked ones take the parent's: :func:`_init_worker`)."""
    init_args = _load_args(engine)
    if init_args is None:
        raise ValueError("processes > 1 needs an engine made by Engine.load (workers load the same catalogs and rules)")
    if columnar and mp_context is None:
        mp_context = _columnar_start_method()
    ctx = multiprocessing.get_context(mp_context)
    global _inherited_engine
    _inherited_engine = engine if ctx.get_start_method() == "fork" else None
    # Forked workers inherit the parent's heap; the cyclic collector in a worker
    # would walk (and so copy, page by page) every inherited object.  Objects
    # frozen at the fork are never collected in the worker (CPython's gc.freeze
    # idiom); the parent unfreezes at once, so nothing changes for it.
    # (A caller that froze its own heap before — the batch command freezes the loaded engine — keeps it frozen.)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        pool = ctx.Pool(processes, initializer=_init_worker, initargs=init_args)
    finally:
        _inherited_engine = None
        if not frozen_before:
            gc.unfreeze()
    with pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(cases, chunk_size):
            pending.append(pool.apply_async(work, (chunk, *args)))
            if len(pending) >= 2 * processes:  # bounded: memory stays flat
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def decide_many(
    engine: Engine,
    cases: Iterable[CaseInput],
    *,
    as_of: date | None = None,
    processes: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    disclosure_basis: str | None = None,
    mp_context: str | None = None,
) -> Iterator[BatchItem]:
    """Decide every case of *cases*, yielding one :class:`BatchItem` per case in input order.

    Streams: at most ``2 * processes`` chunks of *chunk_size* cases are in
    flight, so memory does not grow with the number of cases.  With
    ``processes > 1`` the engine must come from :meth:`Engine.load` (its
    catalog and rule directories and backend are loaded again in each
    worker); *mp_context* names a :mod:`multiprocessing` start method
    (default: the platform's).  The items are equal whatever *processes* is.
    """
    _check(processes, chunk_size)
    if processes == 1:
        for index, item in enumerate(cases):
            yield decide_one(engine, index, item, as_of, disclosure_basis)
        return
    for _, text in _pooled(engine, cases, as_of, processes, chunk_size, disclosure_basis, mp_context, full=False):
        yield BatchItem.model_validate_json(text)


def decide_many_json(
    engine: Engine,
    cases: Iterable[CaseInput],
    *,
    as_of: date | None = None,
    processes: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    disclosure_basis: str | None = None,
    mp_context: str | None = None,
    compact: bool = False,
    columnar: bool = False,
) -> Iterator[tuple[bool, str]]:
    """Like :func:`decide_many`, but yields ``(ok, json_line)``: workers also serialise, in parallel.  With
    *compact*, each line is a :class:`~credit_rules.engine.compact.CompactItem` instead of a :class:`BatchItem`.

    With *compact* and *columnar*, the cases are taken *chunk_size* at a time and those asking only the
    determination and listing questions are decided by the columnar evaluator (:func:`_compact_chunk`): the
    same lines, in the same order, whatever the chunk size, but each chunk's lines come when the whole chunk is
    decided (so a stream read as it arrives is better served without it)."""
    _check(processes, chunk_size)
    if compact and columnar and processes == 1:
        for chunk in _chunks(cases, chunk_size):
            yield from _compact_chunk(engine, chunk, as_of, disclosure_basis)
        return
    if processes == 1:
        one = decide_one_compact if compact else decide_one
        for index, item in enumerate(cases):
            done = one(engine, index, item, as_of, disclosure_basis)
            yield done.ok, done.to_json_line()
        return
    yield from _pooled(engine, cases, as_of, processes, chunk_size, disclosure_basis, mp_context, full=True, compact=compact, columnar=columnar)


@dataclass(frozen=True)
class Block:
    """The output of a chunk of cases, ready to write (:func:`decide_many_blocks`): *cases* lines, *failed* of
    them not decided, as *lines* (without their newlines), masked when asked."""

    cases: int
    failed: int
    lines: list[str]
    spooled: str | None = None
    """With a spool folder (:func:`decide_many_blocks`' *spool*): the file the worker wrote the lines to, each with
    its newline (*lines* is then empty); whoever copies it to the output removes it."""


def decide_many_blocks(
    engine: Engine,
    cases: Iterable[CaseInput],
    *,
    masked: bool,
    as_of: date | None = None,
    processes: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    disclosure_basis: str | None = None,
    mp_context: str | None = None,
    compact: bool = False,
    columnar: bool = False,
    total: int | None = None,
    spool: str | None = None,
) -> Iterator[Block]:
    """The lines :func:`decide_many_json` yields (with *full* items), a chunk at a time, each :class:`Block`
    masked where its lines were decided when *masked*, exactly as the parent's masking pass would mask them.

    Why: with worker processes, the parent of ``decide --batch --out FILE`` otherwise masks every line itself:
    about half its CPU in a compact batch, in the one process every line passes through (on two cores the total
    is the same; with more workers the parent would be the bound).  The masking runs in the workers, in parallel.
    The bytes written are those of the line-by-line path (``tests/test_batch.py``).

    *total*: how many cases there are, if known: the chunks are then made of equal size, at most *chunk_size*, and
    as many as a multiple of *processes* (:func:`balanced_chunk_size`), so that no worker is left alone with the
    last ones.

    *spool*: a private folder (the caller makes it, and removes it afterwards) where, with worker processes, each
    worker writes its chunk's lines to a file (:attr:`Block.spooled`) instead of sending them back.  Why: a compact
    batch writes about 4 KB a case, and pickling the lines, passing them through a pipe and unpickling them in the
    parent cost about as much CPU as the parent's whole share otherwise; a spooled chunk is copied by the kernel
    (``decide --batch --out``: ``os.sendfile``)."""
    _check(processes, chunk_size)
    args: tuple[Any, ...] = (as_of, disclosure_basis, compact, columnar, masked, spool)
    if processes == 1:
        for chunk in _chunks(cases, chunk_size):
            yield _block(_chunk_lines(engine, chunk, as_of, disclosure_basis, True, compact, columnar), masked)
        return
    yield from _pool_chunks(engine, cases, processes, balanced_chunk_size(chunk_size, total, processes), mp_context, columnar, _work_block, args)


# -------------------------------------------------------------- JSON lines


class _LineError(Exception):
    """Raised inside the JSON parser's hooks: *field* and *got* say what was wrong with the line."""

    def __init__(self, field: str, expected: str, got: str) -> None:
        super().__init__(got)
        self.field, self.expected, self.got = field, expected, got


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a key given twice is an error, as in YAML (the second would silently win)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _LineError(key, "a key used once", "a duplicate key")
        out[key] = value
    return out


def _number_hook(limits: Limits, build: Callable[[str], Any]) -> Callable[[str], Any]:
    def hook(text: str) -> Any:
        why = number_problem(text, limits)
        if why is not None:
            raise _LineError("(value)", number_expected(limits), why)
        return build(text)

    return hook


@functools.lru_cache(maxsize=8)
def _decoder(limits: Limits) -> json.JSONDecoder:
    """The JSON decoder of a line under *limits* (what ``json.loads`` with these hooks makes afresh for every call):
    a key given twice, a number too large and NaN/Infinity are errors."""
    return json.JSONDecoder(
        object_pairs_hook=_no_duplicates, parse_int=_number_hook(limits, int), parse_float=_number_hook(limits, float), parse_constant=_no_constant
    )


@functools.lru_cache(maxsize=8)
def _quick_decoder(limits: Limits) -> json.JSONDecoder:
    """:func:`_decoder` without the two hooks called most (one per object, one per integer), so objects and integers
    are built in C.  What those hooks refuse is then looked for in the parsed line (:func:`_quick_line`); a line
    where it may be is parsed again with :func:`_decoder`, which refuses it as before."""
    return json.JSONDecoder(parse_float=_number_hook(limits, float), parse_constant=_no_constant)


def _quick_line(raw: bytes, text: str, limits: Limits, escapes: bool) -> Any:
    """The parsed line, if the quick decoder gives exactly what :func:`_decoder` gives and :func:`_check_tree`
    passes it; else None (the caller parses it again the careful way, for the same data or the same error).

    Duplicate keys: the C decoder keeps the last of a key given twice, so its objects hold fewer keys than the
    line names.  Every key is followed by exactly one ``:`` outside strings, and a ``:`` inside a string only adds
    to the count, so a line whose objects hold as many keys as it has colons names no key twice.  (A line with a
    colon in its text takes the careful way: slower, never wrong.)  Integers: :func:`_tree_passes` refuses any
    with more digits than the limit, which the integer hook would have refused by its text.  (So a hostile line of
    long integers has them built before it is refused: up to Python's own limit of 4,300 digits each, about 20 ns a
    byte of the line, which is itself limited; an 8 MB line of them takes about 0.2 s.)

    A line without a backslash (no escape: every string is the line's own text between two quotes, and UTF-8
    already checked) is first read by ``pydantic_core.from_json``, 6 us against 11 us for the C decoder, under
    the same tests and one more: no float at all (the float hook checks a float's text, which that parser does
    not keep), and NaN or Infinity are its errors.  Its integers stop at about 4,300 digits, as Python's do.  Any
    error of its own sends the line to the C decoder, which reports it as before.  ``tests/test_tree_prefilter.py``
    compares both ways with the careful one on drawn lines."""
    keys = raw.count(b":")
    if b"\\" not in raw:
        # no escape: pydantic-core's JSON parser (in Rust, a third of the time) gives the same data, strings being
        # the line's own text; a float (NaN and Infinity too) is a doubt, as its text is not kept to check
        try:
            data = pydantic_core.from_json(raw, allow_inf_nan=False)
        except ValueError:  # (its errors are reported by the decoders below)
            pass
        else:
            if _tree_passes(data, limits, False, keys=keys, floats=False):
                return data
    try:
        data = _quick_decoder(limits).decode(text)
    except (ValueError, RecursionError, _LineError):  # (JSONDecodeError is a ValueError)
        return None
    return data if _tree_passes(data, limits, escapes, keys=keys) else None


def _no_constant(text: str) -> Any:
    raise _LineError("(value)", "a finite number (JSON has no NaN or Infinity)", text)


def _check_tree(data: Any, limits: Limits, escapes: bool = True) -> None:
    """Depth, size, number-like strings and lone surrogates of a parsed line, checked without recursion.

    A lone surrogate can only come from a ``\\u`` escape (strict UTF-8 decoding refuses one written out): with
    *escapes* false (the line holds none) the strings are not tested for one.

    Almost every line passes: :func:`_tree_passes` tells so without building the path of every value; only a
    line it does not pass is walked again here, with paths, for the first problem and where it is."""
    if _tree_passes(data, limits, escapes):
        return
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    count = 0
    while stack:
        value, path = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise _LineError(dotted(path), f"at most {limits.max_nodes} values in one case (limit {env_name('max_nodes')})", "more")
        if len(path) > limits.max_depth:
            raise _LineError(dotted(path[:8]) + "…", f"nesting at most {limits.max_depth} deep (limit {env_name('max_depth')})", "deeper nesting")
        if isinstance(value, dict):
            for key, item in value.items():
                if escapes and _has_surrogate(key):
                    raise _LineError(dotted(path), "keys in valid Unicode", "a lone surrogate (\\ud800-\\udfff)")
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            if escapes and _has_surrogate(value):
                raise _LineError(dotted(path), "text in valid Unicode", "a lone surrogate (\\ud800-\\udfff)")
            why = number_problem(value, limits) if len(value) < 10_000 else None
            if why is not None:
                raise _LineError(dotted(path), number_expected(limits), why)


def _tree_passes(data: Any, limits: Limits, escapes: bool, keys: int | None = None, floats: bool = True) -> bool:
    """Whether :func:`_check_tree` finds nothing wrong: the same tests (depth, count, surrogates, number-like
    strings), level by level and without paths.  False sends the line to the walk that locates the problem
    (so a doubt — a subclass of a container, a key shaped like a number — may say False, never the reverse).

    With *keys* (a line parsed by the quick decoder, :func:`_quick_line`): also whether its objects hold exactly
    *keys* keys and every integer has at most the digits allowed.  Without *floats*: also whether it holds no
    float."""
    level: list[Any] = [data]
    strings: list[str] = []
    count = depth = held = 0
    bound = _integer_bound(limits.max_number_digits)
    while level:
        if depth > limits.max_depth:
            return False
        count += len(level)
        below: list[Any] = []
        for value in level:
            cls = value.__class__
            if cls is dict:
                if escapes:
                    strings += value  # keys: the walk tests them for a surrogate only; a number test too is a doubt
                held += len(value)
                below += value.values()
            elif cls is list:
                below += value
            elif cls is str:
                strings.append(value)
            elif cls is int:
                if not -bound < value < bound:
                    return False
            elif cls is float:
                if not floats:
                    return False
            elif isinstance(value, dict | list | str):
                return False
        level = below
        depth += 1
    if count > limits.max_nodes or (keys is not None and held != keys):
        return False
    if escapes and any(map(_has_surrogate, strings)):
        return False
    # number_problem finds something only in text with more digits than allowed, or with an exponent
    most = limits.max_number_digits
    return not any(
        number_problem(text, limits) is not None
        for text in strings
        if len(text) < 10_000 and (len(text) > most or "e" in text or "E" in text) and _may_be_number(text)
    )


@functools.lru_cache(maxsize=8)
def _integer_bound(digits: int) -> int:
    """The least integer with more than *digits* digits."""
    return int(10**digits)


_NOT_IN_A_NUMBER = re.compile(r"[^-+0-9_,.eE\s]")
"""A character no number-like text holds (``limits._NUMBER_LIKE``, around which whitespace is stripped)."""


def _may_be_number(text: str) -> bool:
    """Whether *text* could be shaped like a number: only then can :func:`~credit_rules.limits.number_problem` find one."""
    return _NOT_IN_A_NUMBER.search(text) is None


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def parse_jsonl_line(raw: bytes, shown: str, lineno: int, limits: Limits | None = None) -> RawCase:
    """One line of a JSON-lines file as a :class:`RawCase`: its data, or a located error (never an exception).

    Every kind of bad line — not UTF-8, not JSON, not an object, a duplicate
    key, a number too large to build, nesting deeper than the limit, a lone
    surrogate — gives an error for this line only; the batch goes on.
    """
    lim = limits or current_limits()
    where = f"{shown}:{lineno}"
    if len(raw) > lim.max_file_bytes:
        return RawCase(None, shown, lineno, Problem(shown, lineno, "(file)", f"a line of at most {lim.max_file_bytes} bytes (limit {env_name('max_file_bytes')})", "a longer line").render())
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawCase(None, shown, lineno, f"{where}: field '(file)': expected UTF-8 text, got {exc.reason} at byte {exc.start + 1}")
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        escapes = b"\\u" in raw
        data = _quick_line(raw, text, lim, escapes)
        if data is None:  # something the quick way may have missed: the careful way, for the data or the error
            data = _decoder(lim).decode(text)
            _check_tree(data, lim, escapes)
    except json.JSONDecodeError as exc:
        return RawCase(None, shown, lineno, f"{where}: field '(syntax)': expected one JSON object per line, got {exc.msg} at column {exc.colno}")
    except _LineError as exc:
        return RawCase(None, shown, lineno, Problem(shown, lineno, exc.field, exc.expected, exc.got).render())
    except RecursionError:
        return RawCase(None, shown, lineno, Problem(shown, lineno, "(document)", f"nesting at most {lim.max_depth} deep", "deeper nesting").render())
    except ValueError as exc:  # e.g. an integer over Python's digit limit that slipped past the hook
        return RawCase(None, shown, lineno, Problem(shown, lineno, "(value)", "a usable value", str(exc)[:200]).render())
    if not isinstance(data, dict):
        return RawCase(data, shown, lineno, f"{where}: field '(document)': expected a JSON object (one case), got {type(data).__name__}")
    return RawCase(data, shown, lineno)


STDIN = "-"
"""``--batch -`` reads the cases from standard input."""


def _open(path: Path | str) -> BinaryIO:
    if str(path) == STDIN:
        return sys.stdin.buffer
    return open(path, "rb")  # noqa: SIM115 - closed by the caller


def _read_line(handle: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """One line, read at most *limit* + 1 bytes at a time: (the line or its first part, whether it was too long)."""
    raw = handle.readline(limit + 1)
    if len(raw) <= limit or raw.endswith(b"\n"):
        return raw, False
    while True:  # too long: skip the rest of the line without holding it
        more = handle.readline(1 << 20)
        if not more or more.endswith(b"\n"):
            return raw, True


def read_jsonl(path: Path | str, limits: Limits | None = None) -> Iterator[RawCase]:
    """One :class:`RawCase` per non-blank line of a JSON-lines file, read lazily (``-``: standard input).

    Streams: a pipe or ``/dev/stdin`` is read once, line by line, and each
    case can be decided before the next line arrives.  A bad line gives a
    RawCase with a located error (see :func:`parse_jsonl_line`); a file that
    cannot be opened or read raises :class:`InputError`.
    """
    for item in _read_lines(path, limits or current_limits()):
        yield item if isinstance(item, RawCase) else item.parse()


def read_jsonl_lines(path: Path | str, limits: Limits | None = None) -> Iterator[RawCase | RawLine]:
    """Like :func:`read_jsonl`, but each line a :class:`RawLine` for a worker process to parse (a line over the
    size limit is a :class:`RawCase` with its error, as there): the same items once parsed."""
    return _read_lines(path, limits or current_limits())


def _read_lines(path: Path | str, lim: Limits) -> Iterator[RawCase | RawLine]:
    shown = "(stdin)" if str(path) == STDIN else str(path)
    try:
        handle = _open(path)
    except FileNotFoundError:
        raise InputError.one(shown, None, "(file)", "an existing file", "no such file") from None
    except OSError as exc:
        raise InputError.one(shown, None, "(file)", "a readable file", str(exc)) from None
    try:
        lineno = 0
        while True:
            try:
                raw, too_long = _read_line(handle, lim.max_file_bytes)
            except OSError as exc:
                raise InputError.one(shown, lineno + 1, "(file)", "a readable file", str(exc)) from None
            if not raw:
                return
            lineno += 1
            if too_long:
                msg = Problem(shown, lineno, "(file)", f"a line of at most {lim.max_file_bytes} bytes (limit {env_name('max_file_bytes')})", "a longer line")
                yield RawCase(None, shown, lineno, msg.render())
                continue
            if not raw.strip():
                continue
            yield RawLine(raw, shown, lineno, lim)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def count_lines(path: Path | str) -> int | None:
    """Non-blank lines of a regular file (for a progress bar); None for standard input, a pipe or a device.

    A stream can be read only once: counting it first would leave nothing to
    decide.  An unreadable or missing file raises InputError.
    """
    if str(path) == STDIN:
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except FileNotFoundError:
        raise InputError.one(str(path), None, "(file)", "an existing file", "no such file") from None
    except OSError as exc:
        raise InputError.one(str(path), None, "(file)", "a readable file", str(exc)) from None
    n = 0
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if raw.strip():
                    n += 1
    except OSError as exc:
        raise InputError.one(str(path), None, "(file)", "a readable file", str(exc)) from None
    return n


__all__ = [
    "COLUMNAR_CHUNK_SIZE", "DEFAULT_CHUNK_SIZE", "STDIN", "BatchItem", "Block", "CaseInput", "RawCase", "count_lines", "balanced_chunk_size", "decide_many", "decide_many_blocks", "decide_many_json", "decide_one", "parse_jsonl_line", "read_jsonl",
]
