"""The one fixture runner: load, select, decide, check and report case, information and query fixtures.

Every entry point runs fixtures through this module — ``credit-rules test``
(with ``--junit-xml`` and ``--coverage``), ``credit-rules diff`` and the
pytest plugin — so the three kinds of fixture file are found, named, masked
and reported the same way whichever one a ministry uses:

- ``*.case.yaml``  — a case (subject + act) and the partial :class:`Decision` expected
  (:mod:`credit_rules.fixtures`), with any listing-lifecycle events run on the case (:func:`lifecycle_of`);
- ``*.info.yaml``  — an information request (record / share / publish) and the partial
  :class:`InformationDecision` expected (:mod:`credit_rules.information.fixtures`);
- ``*.query.yaml`` — a query checked against the access policy and the partial
  :class:`QueryDecision` expected (same module).

A fixture file that cannot be read becomes one *error* result carrying the
located InputError: the rest of the suite still runs, and the command exits
2 at the end.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..information.query import QueryDecision
from ..engine.decide import Engine
from ..errors import InputError, Problem
from ..fixtures import FIXTURE_SUFFIX, Fixture, default_root, find_fixture_files, load_fixtures
from ..fixtures import check as check_case
from ..information.fixtures import INFO_SUFFIX, QUERY_SUFFIX, InfoFixture, decide_fixture, load_info_fixture
from ..information.fixtures import check as check_info
from ..information.model import InformationDecision
from ..lifecycle import LifecycleEvent, TransitionResult, run_events
from ..masking import scrub_text
from ..model.case import CASE_QUESTIONS, Question
from ..model.decision import Decision
from ..safefiles import Walk, walk
from .select import compile_k
from ..progress import Progress as Progress  # re-exported: the commands import it from here

AnyFixture = Fixture | InfoFixture
"""A fixture of any kind: a case, or an information request or query."""
AnyDecision = Decision | InformationDecision | QueryDecision
"""What a fixture of any kind is decided into."""


class Kind(StrEnum):
    """The kinds of fixture file, each named by its suffix."""

    case = "case"
    information = "information"
    query = "query"

    @property
    def suffix(self) -> str:
        return SUFFIXES[self]

    @property
    def questions(self) -> tuple[Question, ...]:
        """The question families a fixture of this kind can ask (what ``--coverage`` counts for it)."""
        return QUESTIONS[self]

    @classmethod
    def of(cls, path: Path) -> Kind:
        """The kind a file's name says; any other name given explicitly is read as a case fixture."""
        for kind in cls:
            if path.name.endswith(kind.suffix):
                return kind
        return cls.case


SUFFIXES = {Kind.case: FIXTURE_SUFFIX, Kind.information: INFO_SUFFIX, Kind.query: QUERY_SUFFIX}
QUESTIONS: dict[Kind, tuple[Question, ...]] = {
    Kind.case: CASE_QUESTIONS,
    Kind.information: (Question.record, Question.share, Question.publish),
    Kind.query: (Question.query,),
}
PATTERNS = ", ".join(f"*{s}" for s in SUFFIXES.values())
"""The file names the runner collects, for messages and help texts."""


def kind_of(fixture: AnyFixture) -> Kind:
    if isinstance(fixture, Fixture):
        return Kind.case
    return Kind.query if fixture.query is not None else Kind.information


class Status(StrEnum):
    passed = "passed"
    failed = "failed"
    error = "error"


@dataclass(frozen=True)
class Item:
    """One selectable unit: a fixture (case, information request or query), or a fixture file that could not be read."""

    ident: str
    """``path::name``: what ``-k`` matches, what reports and JUnit show (personal data masked)."""
    file: str
    """The file as displayed (relative to the working directory when below it; personal data masked)."""
    fixture: AnyFixture | None = None
    error: InputError | None = None
    kind: Kind = Kind.case

    @property
    def name(self) -> str:
        """The fixture's name as every report shows it (masked like the ident)."""
        return scrub_text(self.fixture.name) if self.fixture is not None else Path(self.file).name

    @property
    def line(self) -> int | None:
        """Where the fixture starts in its file (None for an unreadable file)."""
        return self.fixture.line if self.fixture is not None else None

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
    decision: AnyDecision | None = None


def display(path: Path, cwd: Path | None = None) -> str:
    """*path* relative to *cwd* when it is below it, else as given; always with '/'."""
    base = (cwd or Path.cwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def find_files(given: Path) -> Walk:
    """Every fixture file of every kind under *given* (a file is returned as it is), sorted by path.

    Anything but a directory counts as a file named on purpose: its loader
    then refuses a FIFO, device or socket by name (never opening it).  An
    unreadable part of a tree is reported once, however many kinds the walk
    looked for.
    """
    if not given.is_dir():
        return Walk([given])
    out = Walk()
    seen: set[Problem] = set()
    for kind in Kind:
        found = walk(given, kind.suffix) if kind is not Kind.case else find_fixture_files(given)
        out.files += found.files
        for problem in found.problems:
            if problem not in seen:
                seen.add(problem)
                out.problems.append(problem)
    out.files.sort()
    return out


def load(path: Path, root: Path | None = None) -> list[AnyFixture]:
    """The fixtures of one file, of the kind its name says; bad input raises a located InputError."""
    if Kind.of(path) is Kind.case:
        return list(load_fixtures(path, root))
    return [load_info_fixture(path, root)]


def collect(paths: Sequence[Path], cwd: Path | None = None, root: Path | None = None) -> list[Item]:
    """Every fixture under *paths*: directories are searched for ``*.case.yaml``, ``*.info.yaml`` and ``*.query.yaml``.

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
        found = find_files(given)
        for problem in found.problems:
            shown = scrub_text(display(Path(problem.file), cwd))
            items.append(Item(shown, shown, error=InputError([problem])))
        suite_root = root if root is not None else default_root(given)
        for path in found.files:
            if path.resolve() in seen:
                continue
            seen.add(path.resolve())
            shown = scrub_text(display(path, cwd))
            kind = Kind.of(path)
            try:
                fixtures = load(path, suite_root)
            except InputError as exc:
                items.append(Item(shown, shown, error=exc, kind=kind))
                continue
            items += items_of(shown, fixtures)
    return items


def items_of(shown: str, fixtures: Sequence[AnyFixture]) -> list[Item]:
    """One item per fixture of a file shown as *shown*; a name used twice gets its position."""
    out: list[Item] = []
    names: set[str] = set()
    for n, fx in enumerate(fixtures):
        index = fx.index if isinstance(fx, Fixture) else None
        name = fx.name if fx.name not in names else f"{fx.name} [{index if index is not None else n}]"
        names.add(name)
        out.append(Item(f"{shown}::{scrub_text(name)}", shown, fixture=fx, kind=kind_of(fx)))
    return out


def select(items: Sequence[Item], k: str | None) -> list[Item]:
    """The items whose ``path::name`` matches the ``-k`` expression (all when none)."""
    if not k:
        return list(items)
    matches = compile_k(k)
    return [i for i in items if matches(i.ident)]


def decide(engine: Engine, fixture: AnyFixture, *, check_ids: bool = True) -> AnyDecision:
    """The decision a fixture gets: a case's (its as_of overrides the case's), an information request's or a query's.

    An unknown id in a case is bad input.  ``diff`` passes ``check_ids=False``:
    it compares two catalog states, in which a standard or measure may
    legitimately exist on one side only.  Information requests and queries
    name catalog items, which the rules themselves answer for (an item in no
    catalog in force is a refusal, not bad input).
    """
    if isinstance(fixture, InfoFixture):
        return decide_fixture(engine, fixture)
    if check_ids:
        from ..case_ids import check_fixture_ids

        problems = check_fixture_ids(fixture, engine.catalogs)
        if problems:
            raise InputError(problems)
    return engine.decide(fixture.case, fixture.as_of, check_ids=False)  # checked above, located in the fixture file


def lifecycle_of(engine: Engine, fixture: AnyFixture) -> list[TransitionResult] | None:
    """What a case fixture's lifecycle events give, run in order from ``candidate`` on its case (None: it has none).

    A lifecycle whose guards the rules do not define is bad input (a located InputError), as for any caller.
    """
    if not isinstance(fixture, Fixture) or not fixture.expect.lifecycle:
        return None
    events = [LifecycleEvent(event=e.event, date=e.date, objection_well_founded=e.objection_well_founded) for e in fixture.expect.lifecycle]
    return run_events(engine, fixture.case, events)


def check(fixture: AnyFixture, decision: AnyDecision, lifecycle: list[TransitionResult] | None = None) -> list[str]:
    """What the decision (and the lifecycle events' results) miss of the fixture's expectation, one line per field."""
    if isinstance(fixture, Fixture):
        assert isinstance(decision, Decision), "a case fixture is decided into a Decision"
        return check_case(fixture, decision, lifecycle)
    assert not isinstance(decision, Decision), "an information or query fixture is decided into its own decision"
    return check_info(fixture, decision)


def run_one(engine: Engine, item: Item) -> Result:
    """Decide and check one item; bad input becomes an error result, never an exception.

    Every message is masked where it is made, so the text report, JUnit XML,
    the pytest plugin and any other reader of a Result show no resident ID
    (the rejected value an error repeats, a published record's contents).
    """
    started = time.perf_counter()
    if item.fixture is None:
        return Result(item, Status.error, [scrub_text(item.error.render()) if item.error else "unreadable"])
    try:
        decision = decide(engine, item.fixture)
        lifecycle = lifecycle_of(engine, item.fixture)
    except InputError as exc:
        return Result(item, Status.error, [scrub_text(exc.render())], time.perf_counter() - started)
    problems = [scrub_text(p) for p in check(item.fixture, decision, lifecycle)]
    status = Status.failed if problems else Status.passed
    return Result(item, status, problems, time.perf_counter() - started, decision)


def run_items(engine: Engine, items: Sequence[Item], progress: Progress | None = None) -> list[Result]:
    """Decide and check every item (:func:`run_one`), updating *progress*."""
    results: list[Result] = []
    for n, item in enumerate(items, 1):
        results.append(run_one(engine, item))
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
        where = f"  ({r.item.file}:{r.item.line})" if r.item.line else ""
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
