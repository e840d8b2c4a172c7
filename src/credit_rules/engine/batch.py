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

import gc
import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..masking import scrub_text
from ..model.case import Case
from ..model.decision import Decision
from ..validation import validate
from ..yamlsource import Located
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


CaseInput = Case | Mapping[str, Any] | RawCase


# ----------------------------------------------------------------- one item


def _case_id(data: Any) -> str | None:
    if isinstance(data, Mapping):
        ident = data.get("case_id")
        return ident if isinstance(ident, str) else None
    return None


def decide_one(engine: Engine, index: int, item: CaseInput, as_of: date | None, disclosure_basis: str | None) -> BatchItem:
    """Validate (unless already a Case) and decide one case; every failure becomes the item's error."""
    case_id: str | None = None
    try:
        if isinstance(item, Case):
            case = item
        elif isinstance(item, RawCase):
            case_id = _case_id(item.data)
            if item.error is not None:
                return BatchItem(index=index, case_id=case_id, ok=False, error=scrub_text(item.error))
            lines: dict[tuple[str | int, ...], int] = {(): item.line} if item.line is not None else {}
            case = validate(Case, Located(item.data, item.file, lines))
        elif isinstance(item, Mapping):
            case_id = _case_id(item)
            case = validate(Case, Located(item, f"(case {index})", {}))
        else:
            raise InputError.one(f"(case {index})", None, "(document)", "a case: a mapping or a Case", type(item).__name__)
        case_id = case.case_id
        decision = engine.decide(case, as_of, disclosure_basis=disclosure_basis)
    except InputError as exc:
        # the message repeats the rejected value: mask anything shaped like personal data (as the CLI does)
        return BatchItem(index=index, case_id=case_id, ok=False, error=scrub_text(exc.render()))
    except Exception as exc:  # noqa: BLE001 - one bad case must not stop the batch
        return BatchItem(index=index, case_id=case_id, ok=False, error=scrub_text(f"{type(exc).__name__}: {exc}"))
    return BatchItem(index=index, case_id=case_id, ok=True, decision=decision)


# -------------------------------------------------------------- processes

_worker_engine: Engine | None = None


def _init_worker(catalogs: Sequence[str], rules: str, backend: str) -> None:
    """Pool initializer: load the engine once per worker process."""
    global _worker_engine
    _worker_engine = Engine.load([Path(c) for c in catalogs], Path(rules), backend=backend)


def _work(chunk: list[tuple[int, CaseInput]], as_of: date | None, disclosure_basis: str | None, full: bool) -> list[tuple[bool, str]]:
    """Decide a chunk in a worker; items travel back as JSON (much cheaper than pickling models).

    *full*: every field (the JSON-lines output); otherwise only the fields
    that were set, from which :meth:`BatchItem.model_validate_json` rebuilds
    an item equal to the one decided here, set fields included.
    """
    engine = _worker_engine
    if engine is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker engine not loaded")
    items = (decide_one(engine, i, item, as_of, disclosure_basis) for i, item in chunk)
    if full:
        return [(item.ok, item.to_json_line()) for item in items]
    return [(item.ok, item.model_dump_json(exclude_unset=True)) for item in items]


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
) -> Iterator[tuple[bool, str]]:
    """JSON of every item, in input order, from a pool whose workers load the engine once each."""
    source = engine.source
    if source is None:
        raise ValueError("processes > 1 needs an engine made by Engine.load (workers load the same catalogs and rules)")
    ctx = multiprocessing.get_context(mp_context)
    init_args = ([str(c) for c in source.catalogs], str(source.rules), source.backend)
    # Forked workers inherit the parent's heap; the cyclic collector in a worker
    # would walk (and so copy, page by page) every inherited object.  Objects
    # frozen at the fork are never collected in the worker (CPython's gc.freeze
    # idiom); the parent unfreezes at once, so nothing changes for it.
    gc.freeze()
    try:
        pool = ctx.Pool(processes, initializer=_init_worker, initargs=init_args)
    finally:
        gc.unfreeze()
    with pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(cases, chunk_size):
            pending.append(pool.apply_async(_work, (chunk, as_of, disclosure_basis, full)))
            if len(pending) >= 2 * processes:  # bounded: memory stays flat
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


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
) -> Iterator[tuple[bool, str]]:
    """Like :func:`decide_many`, but yields ``(ok, json_line)``: workers also serialise, in parallel."""
    _check(processes, chunk_size)
    if processes == 1:
        for index, item in enumerate(cases):
            done = decide_one(engine, index, item, as_of, disclosure_basis)
            yield done.ok, done.to_json_line()
        return
    yield from _pooled(engine, cases, as_of, processes, chunk_size, disclosure_basis, mp_context, full=True)


# -------------------------------------------------------------- JSON lines


def read_jsonl(path: Path | str) -> Iterator[RawCase]:
    """One :class:`RawCase` per non-blank line of a JSON-lines file, read lazily.

    A line that is not UTF-8, not JSON, or not a JSON object gives a RawCase
    with a located error (the batch goes on).  A file that cannot be opened
    or read raises :class:`InputError`.
    """
    shown = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except FileNotFoundError:
        raise InputError.one(shown, None, "(file)", "an existing file", "no such file") from None
    except OSError as exc:
        raise InputError.one(shown, None, "(file)", "a readable file", str(exc)) from None
    with handle:
        lineno = 0
        while True:
            try:
                raw = handle.readline()
            except OSError as exc:
                raise InputError.one(shown, lineno + 1, "(file)", "a readable file", str(exc)) from None
            if not raw:
                return
            lineno += 1
            if not raw.strip():
                continue
            where = f"{shown}:{lineno}"
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield RawCase(None, shown, lineno, f"{where}: field '(file)': expected UTF-8 text, got {exc.reason} at byte {exc.start + 1}")
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RawCase(None, shown, lineno, f"{where}: field '(syntax)': expected one JSON object per line, got {exc.msg} at column {exc.colno}")
                continue
            if not isinstance(data, dict):
                yield RawCase(data, shown, lineno, f"{where}: field '(document)': expected a JSON object (one case), got {type(data).__name__}")
                continue
            yield RawCase(data, shown, lineno)


def count_lines(path: Path | str) -> int:
    """Non-blank lines of a file (for a progress bar); an unreadable file raises InputError."""
    n = 0
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if raw.strip():
                    n += 1
    except FileNotFoundError:
        raise InputError.one(str(path), None, "(file)", "an existing file", "no such file") from None
    except OSError as exc:
        raise InputError.one(str(path), None, "(file)", "a readable file", str(exc)) from None
    return n


__all__ = [
    "DEFAULT_CHUNK_SIZE", "BatchItem", "CaseInput", "RawCase", "count_lines", "decide_many", "decide_many_json", "decide_one", "read_jsonl",
]
