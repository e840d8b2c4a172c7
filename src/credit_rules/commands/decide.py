"""``credit-rules decide CASE.yaml``: decide one case; ``--batch FILE.jsonl``: decide many.

Batch mode reads one case per line (a JSON object), writes one JSON result
per line (a :class:`~credit_rules.engine.batch.BatchItem`, in input order) to
stdout or ``--out``, and shows a progress bar on stderr.  With ``--compact``
the cases of a file asking only the determination and listing questions are
decided in chunks by the columnar evaluator (the same lines; ``--per-case``
turns it off).  Exit codes: 0 every
case decided, 1 some line failed (its result says why, with file and line),
2 the file itself cannot be read.  ``--batch -`` (or a pipe, or
``/dev/stdin``) reads the cases from standard input as they arrive, and each
result is written (and flushed) as soon as it is decided; from a file into an
``--out`` file the results are written a chunk at a time, each chunk masked by
the worker that decided it (with workers, spooled to a private folder beside
the file and appended by the kernel: :func:`_append`).  ``--processes`` is
bounded by the CPU count unless ``--force-processes`` is given.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from ..errors import InputError
from ..masking import ScrubbingStream
from ._common import catalogs_arg, iso_date, rules_arg

if TYPE_CHECKING:
    from ..engine.decide import Engine
    from ..model.case import Case
    from ..progress import Progress
    from ..yamlsource import Located


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser("decide", help="decide a case file, or a JSON-lines file of cases with --batch")
    d.add_argument("case", type=Path, nargs="?", help="the case file (YAML or JSON; '-' reads standard input)")
    d.add_argument("--batch", type=Path, metavar="FILE.jsonl", help="decide every case of a JSON-lines file (one case per line; '-' reads standard input)")
    d.add_argument("--out", type=Path, metavar="FILE", help="with --batch: write the JSON-lines results here (default: stdout)")
    d.add_argument("--processes", type=int, default=1, metavar="N", help="with --batch: worker processes (default 1, at most the CPU count)")
    d.add_argument("--force-processes", action="store_true", help="with --processes: allow more workers than CPUs")
    d.add_argument(
        "--compact", action="store_true",
        help="write compact decisions (outcomes, reasons, fired rules, facts read; no trace): 'credit-rules explain' gives the full decision back",
    )
    d.add_argument(
        "--per-case", action="store_true",
        help="with --batch --compact: decide every case with the per-case engine, not listing cases in chunks by the columnar evaluator (the same lines)",
    )
    d.add_argument("--progress", action="store_true", help="with --batch: show the progress bar even when stderr is not a terminal")
    d.add_argument("--as-of", type=iso_date, help="decision date (default: the case's as_of)")
    d.add_argument("--format", choices=("json", "text"), default="text")
    d.add_argument("--lang", choices=("zh", "en"), default="zh")
    d.add_argument("--catalogs", type=catalogs_arg, action="append", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
    d.add_argument("--rules", type=rules_arg, help="rule directory or 'shipped' (default: shipped)")
    d.add_argument("--backend", choices=("python", "durable"), default="python")
    d.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked")
    d.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.batch is not None:
        if args.case is not None:
            raise InputError.one("(command line)", None, "CASE", "either a case file or --batch FILE.jsonl, not both", str(args.case))
        from ..gcpause import gc_paused

        with gc_paused():  # collections at fixed points only (gcpause.BatchCollector, docs/performance.md)
            return run_batch(args)
    if args.case is None:
        raise InputError.one("(command line)", None, "CASE", "a case file, or --batch FILE.jsonl")
    from ..gcpause import gc_paused

    with gc_paused():  # one case: the imports, the load and one decision, all kept to the end (docs/performance.md)
        return _decide_one(args)


def _decide_one(args: argparse.Namespace) -> int:
    from ..case_ids import require_case_ids
    from ..engine.decide import Engine
    from ..render import render_text

    case, src = _read_case(args.case)
    engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
    require_case_ids(case, engine.catalogs, src)  # a misspelled id is bad input, not a legal refusal
    if args.as_of is None and case.as_of is None:
        raise InputError.one(str(args.case), None, "as_of", "an as_of date in the case or --as-of")
    try:
        if args.compact:  # the same decision, with the facts it read noted
            from ..engine.compact import decide_compact

            sys.stdout.write(decide_compact(engine, case, args.as_of, args.disclosure_basis).to_json_line() + "\n")
            return 0
        decision = engine.decide(case, args.as_of, disclosure_basis=args.disclosure_basis, check_ids=False)  # checked above, located
    except OverflowError as exc:  # a period added to a date in 9999 passes 9999-12-31
        raise InputError.one(str(args.case), None, "(dates)", "dates whose periods end by 9999-12-31", f"a date out of range ({exc})") from None
    except ArithmeticError as exc:  # decimal.Overflow and friends: an amount too large to compute with
        raise InputError.one(str(args.case), None, "(value)", "amounts small enough to compute with", type(exc).__name__) from None
    sys.stdout.write(decision.to_json() if args.format == "json" else render_text(decision, args.lang))
    return 0


def _read_case(path: Path) -> tuple[Case, Located]:
    """The case file, or standard input for ``-`` (read up to the file-size limit, so an endless stream stops),
    with its source (to locate id errors)."""
    from ..limits import current, env_name
    from ..model.case import Case
    from ..validation import validate
    from ..yamlsource import load_file, load_text

    if str(path) != "-":
        src = load_file(path)
        return validate(Case, src), src
    limit = current().max_file_bytes
    raw = sys.stdin.buffer.read(limit + 1)
    if len(raw) > limit:
        raise InputError.one("(stdin)", None, "(file)", f"at most {limit} bytes (limit {env_name('max_file_bytes')})", "more")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one("(stdin)", None, "(file)", "UTF-8 text", f"{exc.reason} at byte {exc.start + 1}") from None
    src = load_text(text, "(stdin)")
    return validate(Case, src), src


def _groups(
    args: argparse.Namespace, engine: Engine, total: int, streaming: bool, blocks: bool, spool: str | None = None
) -> Iterator[tuple[list[str] | str, int, int]]:
    """The batch's result lines in input order, a group at a time, with how many cases the group holds and how
    many of them failed.

    *blocks* (a file into an ``--out`` file): a chunk's lines, masked by the worker that decided them
    (:func:`~credit_rules.engine.batch.decide_many_blocks`, the same bytes) — with *spool*, the file of the folder
    *spool* a worker wrote them to; else one line at a time, for the masking pass of the stream written to, each as
    soon as it is decided."""
    from ..engine.batch import COLUMNAR_CHUNK_SIZE, DEFAULT_CHUNK_SIZE, decide_many_blocks, decide_many_json, read_jsonl, read_jsonl_lines

    # compact records of a file: chunks through the columnar evaluator (the same lines); a stream is answered
    # case by case, each line as soon as it is decided
    columnar = args.compact and not streaming and not args.per_case
    # with workers, each parses its own lines: the parent reads bytes (and writes)
    cases = read_jsonl(args.batch) if args.processes == 1 else read_jsonl_lines(args.batch)
    given: dict[str, Any] = {
        "as_of": args.as_of, "processes": args.processes, "disclosure_basis": args.disclosure_basis, "compact": args.compact,
        "columnar": columnar, "chunk_size": COLUMNAR_CHUNK_SIZE if columnar else DEFAULT_CHUNK_SIZE,
    }
    if blocks:
        for block in decide_many_blocks(engine, cases, masked=not args.disclosure_basis, total=total, spool=spool, **given):
            yield (block.lines if block.spooled is None else block.spooled), block.cases, block.failed
    else:
        for ok, line in decide_many_json(engine, cases, **given):
            yield [line], 1, int(not ok)


def _write_results(
    args: argparse.Namespace, engine: Engine, out: TextIO, progress: Progress, total: int, step: int, streaming: bool, blocks: bool,
    spool: str | None = None,
) -> tuple[int, int]:
    """Decide the batch into *out* (:func:`_groups`); (failed, done)."""
    from ..gcpause import BatchCollector

    collector = BatchCollector()
    failed = done = 0
    try:
        for group, size, bad in _groups(args, engine, total, streaming, blocks, spool):
            if isinstance(group, str):  # a chunk a worker wrote to the spool folder
                _append(out, group, spool)
            else:
                for line in group:
                    out.write(line + "\n")  # one write: each write through a masking pass is scrubbed on its own
            if streaming:  # a pipe in, a pipe out: each result as soon as it is decided
                out.flush()
            shown = done
            done += size
            failed += bad
            collector.tick(size)
            if done // step > shown // step or done == total:
                progress.update(done, f"{failed} failed" if failed else "")
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    return failed, done


def run_batch(args: argparse.Namespace) -> int:
    from ..engine.batch import count_lines
    from ..engine.decide import Engine
    from ..gcpause import BatchCollector
    from ..limits import max_processes
    from ..progress import Progress

    if args.processes < 1:
        raise InputError.one("(command line)", None, "--processes", "a number of processes >= 1", str(args.processes))
    bound = max_processes()
    if args.processes > bound and not args.force_processes:
        raise InputError.one(
            "(command line)", None, "--processes", f"at most {bound} (the CPU count; --force-processes allows more)", str(args.processes)
        )
    counted = count_lines(args.batch)  # also: an unreadable file is exit 2 before any output; None for a stream
    streaming = counted is None
    total = counted or 0
    engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
    BatchCollector.freeze()  # the engine lives to the end: never walked by the collector again
    progress = Progress(sys.stderr, total, Progress.wanted(sys.stderr, args.progress))
    step = max(1, total // 200)
    try:
        blocks = args.out is not None and not streaming  # a file from a file: a chunk at a time, masked in the workers
        out: TextIO = sys.stdout
        if args.out is not None:
            out = _open_out(args.out)
            if not blocks and not args.disclosure_basis:  # the file is an output channel like stdout: the same masking pass
                out = cast(TextIO, _MaskedFile(out))
        spool = _spool_beside(args.out) if blocks and args.processes > 1 else None
        try:
            failed, done = _write_results(args, engine, out, progress, total, step, streaming, blocks, spool)
        finally:
            if spool is not None:
                import shutil

                shutil.rmtree(spool, ignore_errors=True)
    except OSError as exc:  # the --out file: a full disk, a vanished folder (stdout's own errors are the CLI's)
        if args.out is None or isinstance(exc, BrokenPipeError):
            raise
        raise InputError.one(str(args.out), None, "--out", "a writable file", exc.strerror or str(exc)) from None
    if failed:
        print(f"{failed} of {done} cases not decided (see their 'error')", file=sys.stderr)
    return 1 if failed else 0


def _spool_beside(out: Path) -> str | None:
    """A new private folder beside the ``--out`` file, for the workers' chunks (:func:`_append`); None where there
    is no place for one (the output is a device or a pipe, the folder is not writable): the lines then come back
    through the pool, as before.  The caller removes it, chunks left in it included."""
    import stat
    import tempfile

    try:
        if not stat.S_ISREG(out.stat().st_mode):
            return None
        return tempfile.mkdtemp(prefix=".credit-rules-", dir=out.absolute().parent)  # (owner-only; absolute, as workers see it)
    except OSError:
        return None


_NO_SENDFILE = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP})
"""``os.sendfile``'s errors where it cannot copy between these two files (not where a copy would fail too)."""


def _append(out: TextIO, chunk: str, spool: str | None) -> None:
    """Copy a spooled chunk's file to the end of *out* (by the kernel: ``os.sendfile``; through memory where it
    cannot) and remove it."""
    import os
    import shutil

    if spool is None or os.path.dirname(chunk) != spool:  # pragma: no cover - only the workers' own files
        raise ValueError(f"not a chunk of the spool folder: {chunk}")
    out.flush()
    with open(chunk, "rb") as src:
        size = os.fstat(src.fileno()).st_size
        sent = _sent_by_kernel(out.fileno(), src.fileno(), size) if hasattr(os, "sendfile") else 0
        if sent < size:  # no sendfile here, or not between these two files: the rest through memory
            src.seek(sent)
            shutil.copyfileobj(src, out.buffer, 1 << 20)
            out.flush()
    os.unlink(chunk)


def _sent_by_kernel(out: int, src: int, size: int) -> int:
    """How many of *src*'s *size* bytes ``os.sendfile`` appended to *out*: all of them, or as many as it sent
    before refusing to copy between these two files (:data:`_NO_SENDFILE`).  A file shorter than *size*, or any
    other error, raises."""
    import os

    sent = 0
    while sent < size:
        try:
            step = os.sendfile(out, src, sent, size - sent)
        except OSError as exc:
            if exc.errno in _NO_SENDFILE:
                return sent
            raise
        if step == 0:
            raise OSError(f"a spooled chunk shorter than {size} bytes")
        sent += step
    return sent


def _open_out(path: Path) -> TextIO:
    """The ``--out`` file, opened for writing (an unwritable path is exit 2 before anything is decided)."""
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the writer
    except OSError as exc:
        raise InputError.one(str(path), None, "--out", "a writable file", str(exc)) from None


class _MaskedFile(ScrubbingStream):
    """``--out``: a file written through the masking pass, closed with it."""

    def __init__(self, inner: TextIO) -> None:
        super().__init__(inner)
        self._file = inner

    def close(self) -> None:
        try:
            super().close()  # flushes through to the file first
        finally:
            self._file.close()
