"""Run fixture files: load, select, decide, check, and report the results.

Shared by ``credit-rules test`` and ``credit-rules diff`` so that both read
fixtures, name them and report bad input the same way.  A fixture file that
cannot be read becomes one *error* result carrying the located InputError:
the rest of the suite still runs, and the command exits 2 at the end.
"""

from __future__ import annotations

import os
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from ..engine.decide import Engine
from ..errors import InputError
from ..fixtures import Fixture, check, default_root, find_fixture_files, load_fixtures
from ..masking import scrub_text
from ..model.decision import Decision
from .select import compile_k


class Status(StrEnum):
    passed = "passed"
    failed = "failed"
    error = "error"


@dataclass(frozen=True)
class Item:
    """One selectable unit: a fixture case, or a fixture file that could not be read."""

    ident: str
    """``path::name``: what ``-k`` matches, what reports and JUnit show (personal data masked)."""
    file: str
    """The file as displayed (relative to the working directory when below it; personal data masked)."""
    fixture: Fixture | None = None
    error: InputError | None = None

    @property
    def name(self) -> str:
        """The fixture's name as every report shows it (masked like the ident)."""
        return scrub_text(self.fixture.name) if self.fixture is not None else Path(self.file).name

    @property
    def suite(self) -> str:
        """The directory the file is in: the row of the summary table."""
        return str(Path(self.file).parent)


@dataclass
class Result:
    item: Item
    status: Status
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    decision: Decision | None = None


def display(path: Path, cwd: Path | None = None) -> str:
    """*path* relative to *cwd* when it is below it, else as given; always with '/'."""
    base = (cwd or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def collect(paths: Sequence[Path], cwd: Path | None = None, root: Path | None = None) -> list[Item]:
    """Every fixture case under *paths* (directories are searched for ``*.case.yaml``).

    A part of a tree that cannot be read (a folder, a symlink out of the
    tree, a FIFO) becomes an error item, like a fixture file that does not
    load: the rest of the suite still runs and the command exits 2.  A
    fixture's ``base`` must stay inside *root* (default: the working directory
    when the path is below it, else the path given; see
    :func:`credit_rules.fixtures.default_root`).
    """
    items: list[Item] = []
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            error = InputError.one(str(given), None, "(path)", "an existing fixture file or directory", "no such file or directory")
            items.append(Item(scrub_text(given.as_posix()), scrub_text(given.as_posix()), error=error))
            continue
        found = find_fixture_files(given)
        for problem in found.problems:
            shown = scrub_text(display(Path(problem.file), cwd))
            items.append(Item(shown, shown, error=InputError([problem])))
        suite_root = root if root is not None else default_root(given)
        for path in found.files:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            shown = scrub_text(display(path, cwd))
            try:
                fixtures = load_fixtures(path, suite_root)
            except InputError as exc:
                items.append(Item(shown, shown, error=exc))
                continue
            names: set[str] = set()
            for fx in fixtures:
                name = fx.name if fx.name not in names else f"{fx.name} [{fx.index}]"
                names.add(name)
                items.append(Item(f"{shown}::{scrub_text(name)}", shown, fixture=fx))
    return items


def select(items: Sequence[Item], k: str | None) -> list[Item]:
    """The items whose ``path::name`` matches the ``-k`` expression (all when none)."""
    if not k:
        return list(items)
    matches = compile_k(k)
    return [i for i in items if matches(i.ident)]


class Progress:
    """A one-line progress bar on a terminal stream; silent unless enabled."""

    def __init__(self, stream: TextIO, total: int, enabled: bool, width: int = 30) -> None:
        self.stream, self.total, self.enabled, self.width = stream, total, enabled, width

    @staticmethod
    def wanted(stream: TextIO, forced: bool) -> bool:
        """On when asked for, or when *stream* is a terminal."""
        return forced or (hasattr(stream, "isatty") and stream.isatty())

    def update(self, done: int, label: str = "") -> None:
        if not self.enabled or self.total == 0:
            return
        filled = self.width * done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            columns = 100
        line = f"[{bar}] {done}/{self.total} {label}"
        self.stream.write("\r" + line[: max(columns - 1, 20)].ljust(max(columns - 1, 20)))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\n")
            self.stream.flush()


def decide(engine: Engine, fixture: Fixture, *, check_ids: bool = True) -> Decision:
    """The decision a fixture's case gets (its as_of overrides the case's); an unknown id is bad input.

    ``diff`` passes ``check_ids=False``: it compares two catalog states, in
    which a standard or measure may legitimately exist on one side only.
    """
    if check_ids:
        from ..case_ids import check_fixture_ids

        problems = check_fixture_ids(fixture, engine.catalogs)
        if problems:
            raise InputError(problems)
    return engine.decide(fixture.case, fixture.as_of, check_ids=False)  # checked above, located in the fixture file


def run_items(engine: Engine, items: Sequence[Item], progress: Progress | None = None) -> list[Result]:
    """Decide and check every item; bad input becomes an error result, never an exception."""
    results: list[Result] = []
    for n, item in enumerate(items, 1):
        started = time.perf_counter()
        # every message is masked where it is made, so the text report, JUnit XML and any
        # other writer of a Result show no resident ID (the rejected value an error repeats)
        if item.fixture is None:
            results.append(Result(item, Status.error, [scrub_text(item.error.render()) if item.error else "unreadable"]))
        else:
            try:
                decision = decide(engine, item.fixture)
            except InputError as exc:
                results.append(Result(item, Status.error, [scrub_text(exc.render())], time.perf_counter() - started))
            else:
                problems = [scrub_text(p) for p in check(item.fixture, decision)]
                status = Status.failed if problems else Status.passed
                results.append(Result(item, status, problems, time.perf_counter() - started, decision))
        if progress is not None:
            progress.update(n, item.ident)
    if progress is not None:
        progress.close()
    return results


def counts(results: Sequence[Result]) -> dict[Status, int]:
    out = dict.fromkeys(Status, 0)
    for r in results:
        out[r.status] += 1
    return out


def exit_code(results: Sequence[Result]) -> int:
    """2 when any input was bad, else 1 when any fixture failed, else 0."""
    c = counts(results)
    return 2 if c[Status.error] else 1 if c[Status.failed] else 0


def text_width(text: str) -> int:
    """Terminal columns of *text*: CJK characters (paragraph names) take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A plain aligned text table (columns in *right* are right-aligned)."""
    widths = [max(text_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        cells = []
        for i, (c, w) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (w - text_width(str(c)))
            cells.append(pad + str(c) if i in right else str(c) + pad)
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(r) for r in rows)]) + "\n"


def report(results: Sequence[Result], seconds: float) -> str:
    """Failures and errors with their diffs, then the summary table by directory, then one closing line."""
    out: list[str] = []
    for r in results:
        if r.status is Status.passed:
            continue
        where = f"  ({r.item.file}:{r.item.fixture.line})" if r.item.fixture and r.item.fixture.line else ""
        out.append(f"{r.status.value.upper()} {r.item.ident}{where}")
        out += [f"    {line}" for p in r.problems for line in p.splitlines()]
        out.append("")
    by_suite: dict[str, dict[Status, int]] = {}
    for r in results:
        by_suite.setdefault(r.item.suite, dict.fromkeys(Status, 0))[r.status] += 1
    rows = [[suite, *(str(c[s]) for s in Status)] for suite, c in sorted(by_suite.items())]
    total = counts(results)
    rows.append(["total", *(str(total[s]) for s in Status)])
    out.append(table(["directory", *(s.value for s in Status)], rows, right=(1, 2, 3)))
    out.append(f"{total[Status.passed]} passed, {total[Status.failed]} failed, {total[Status.error]} errors in {seconds:.2f}s")
    return "\n".join(out) + "\n"
