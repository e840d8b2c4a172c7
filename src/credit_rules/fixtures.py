"""Fixture files: cases plus the partial decision their authors expect.

A fixture asserts only what its author cares about — an outcome, which rules
fired (their effect applied), which passed, reason codes, citations, any
field of the decision JSON — so fixtures survive unrelated changes to the
rule set.  A fixture may start from a ``base`` case file and ``patch`` it (a
deep merge), which keeps good/bad pairs short and makes the one difference
between them visible.

A file holds one case (the *single* form: ``name``, ``base``/``patch`` or
``case``, ``as_of``, ``expect`` at the top) or several (the *suite* form: a
``cases:`` list of the same, with file-level defaults for ``base`` and
``as_of``).  A ministry keeps one suite file per list or standard that way.
:class:`FixtureFile` is the JSON Schema of both forms (docs/regression.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from .catalog.kinds.lifecycle import Event, State
from .errors import InputError
from .model.case import Case
from .model.decision import Decision, QuestionResult, RuleStatus
from .safefiles import Walk, confine, inside, regular_file_problem, walk
from .validation import validate
from .yamlsource import Located, PathKey, load_file

if TYPE_CHECKING:
    from .lifecycle import TransitionResult

FIXTURE_SUFFIX = ".case.yaml"
"""Files named ``*.case.yaml`` are fixtures; other YAML beside them (base cases) is not."""


class QuestionExpect(BaseModel):
    """What must hold of one question's answer; every list is 'at least these'."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: str | None = Field(None, description="valid, invalid, allowed, refused, focus_list_only or undetermined")
    fired: list[str] = Field(default_factory=list, description="rules that must have failed (effect applied)")
    undetermined_by: list[str] = Field(default_factory=list, description="rules that must have been left unknown and make the answer undetermined")
    missing: list[str] = Field(default_factory=list, description="facts or definitions that must be named as missing")
    definitions: dict[str, Any] = Field(default_factory=dict, description="definition id -> the value it must have (null: unknown)")
    passed: list[str] = Field(default_factory=list, description="rules that must have passed")
    not_applicable: list[str] = Field(default_factory=list, description="rules whose `when` must have been false")
    reasons: list[str] = Field(default_factory=list, description="reason codes that must appear")
    leniency: list[str] = Field(default_factory=list, description="leniency codes that must appear")
    obligations: list[str] = Field(default_factory=list, description="obligation names that must appear")
    warnings: list[str] = Field(default_factory=list, description="warning reason codes of the question that must appear")
    citations: list[str] = Field(
        default_factory=list,
        description="paragraphs (e.g. 49号(七)) that some fired rule must cite as its source or in also_cites",
    )
    period_end: date | None = Field(None, description="the list period must end on this date")


class MeasureExpect(QuestionExpect):
    """What must hold of one measure's decision (which rules fired or passed, its end date)."""

    measure: str
    target: str = Field("subject", description="'subject' or the role of a responsible person")
    end: date | None = Field(None, description="the measure must end on this date")


class MeasuresExpect(BaseModel):
    """Measure ids (``measure`` or ``measure@target``) that must be applied or refused, and per-measure details."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    applied: list[str] = Field(default_factory=list)
    refused: list[str] = Field(default_factory=list)
    decisions: list[MeasureExpect] = Field(default_factory=list, description="per measure: outcome, rules, reasons, end")


class RepairExpect(BaseModel):
    """What must hold of the credit-repair answer; lists are 'at least these'."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: str | None = Field(None, description="repairable, not_yet or not_repairable")
    fired: list[str] = Field(default_factory=list, description="rules that must have failed (effect applied)")
    passed: list[str] = Field(default_factory=list, description="rules that must have passed")
    not_applicable: list[str] = Field(default_factory=list, description="rules whose `when` must have been false")
    reasons: list[str] = Field(default_factory=list, description="reason codes that must appear")
    obligations: list[str] = Field(default_factory=list, description="obligation names that must appear")
    earliest_date: date | None = Field(None, description="the first day an application can succeed on timing")
    regime: str | None = Field(None, description="id of the repair regime that governs the case")


class LifecycleEventExpect(BaseModel):
    """One event of the listing lifecycle and what must come of it.

    The events of a fixture run in order from ``candidate`` through
    :func:`credit_rules.lifecycle.advance`, as a caller would: each starts from
    the state the one before left (a refused event leaves it as it was).  An
    event expected to go through is checked to do so, so a path of plain
    ``{event, date}`` steps is itself an assertion that every step is lawful.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: Event
    date: date
    objection_well_founded: bool | None = Field(None, description="for correct: verification found the information wrong")
    accepted: bool = Field(True, description="whether the transition must go through (true) or be refused (false)")
    transition: str | None = Field(None, description="the id of the catalog transition that must be taken (accepted events)")
    citation: str | None = Field(None, description="the paragraph the transition taken must rest on (accepted events)")
    state: State | None = Field(None, description="the state after the event (a refused event leaves the state as it was)")
    guard: str | None = Field(None, description="the definition that must have guarded the transition")
    reasons: list[str] = Field(default_factory=list, description="reason codes the refusal must give (refused events)")
    duties: list[str] = Field(default_factory=list, description="each must be a substring of some duty of the transition")
    definitions: dict[str, Any] = Field(
        default_factory=dict, description="definition id -> the value the guard read for it (null: unknown)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> LifecycleEventExpect:
        if self.accepted and self.reasons:
            raise ValueError("reasons are what a refusal gives: an accepted event has none (accepted: false?)")
        if not self.accepted and (self.transition is not None or self.citation is not None or self.duties):
            raise ValueError("transition, citation and duties are what an accepted event gives (accepted: true?)")
        return self


class Expect(BaseModel):
    """The partial decision a fixture expects."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    determination: QuestionExpect | None = None
    listing: QuestionExpect | None = None
    measures: MeasuresExpect | None = None
    repair: RepairExpect | None = None
    supervision: QuestionExpect | None = None
    warnings: list[str] = Field(default_factory=list, description="each must be a substring of some case-level warning")
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "any field of the decision JSON by dotted path (e.g. listing.period.years, measures.applied[0].end; "
            "'*' matches every item or key); the value must equal it, or be contained in it when the field is a list"
        ),
    )
    lifecycle: list[LifecycleEventExpect] = Field(
        default_factory=list,
        description="listing-lifecycle events run in order from 'candidate' on the case, each with what must come of it",
    )


class FixtureCase(BaseModel):
    """One case with its expectation: the single form of a fixture file, or one item of ``cases``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="what the fixture shows")
    description: str | None = None
    base: str | None = Field(None, description="path of a case file, relative to this fixture file")
    patch: dict[str, Any] = Field(
        default_factory=dict, description="deep merge into base: mappings merge, other values replace, null deletes"
    )
    case: dict[str, Any] | None = Field(None, description="an inline case, instead of base + patch")
    as_of: date | None = Field(None, description="overrides the case's as_of, like --as-of")
    expect: Expect


class FixtureSuite(BaseModel):
    """Several cases in one file, with defaults for their ``base`` and ``as_of``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, description="what the suite covers")
    description: str | None = None
    base: str | None = Field(None, description="default base case file for cases that name neither base nor case")
    as_of: date | None = Field(None, description="default as-of date for cases that name none")
    cases: list[FixtureCase] = Field(min_length=1)


class FixtureFile(RootModel[FixtureCase | FixtureSuite]):
    """A fixture file (``*.case.yaml``): one case (single form) or a ``cases:`` list (suite form)."""


@dataclass(frozen=True)
class Fixture:
    name: str
    file: str
    case: Case
    as_of: date | None
    expect: Expect
    index: int | None = None
    """Position in the file's ``cases`` list; ``None`` for the single form."""
    line: int | None = None
    """Line where the case starts in its file (for reports and pytest)."""

    @property
    def key(self) -> PathKey:
        """Where this case's fields live in its file's YAML (``()`` or ``("cases", i)``)."""
        return () if self.index is None else ("cases", self.index)


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge *patch* into *base*; ``null`` in the patch deletes a key."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(out.get(key), value)
        return out
    return patch


def default_root(path: Path) -> Path:
    """The suite root a fixture's ``base`` must stay in when none is given.

    The current working directory when *path* is below it (running a suite
    from its repository), else the directory given, or the fixture file's
    own directory.  ``--fixture-root`` (``root=``) widens or narrows it.
    """
    cwd = Path.cwd().resolve()
    if inside(path, cwd):
        return cwd
    return path if path.is_dir() else path.parent


def _base_case(src: Located, base: str, prefix: PathKey, root: Path) -> Any:
    """The data of a ``base`` case file, confined to *root*; a file that is not a case mapping is never echoed."""
    at = src.line_of((*prefix, "base")) or src.line_of(()) or 1
    target = confine(base, Path(src.file).parent, root, file=src.file, line=at, field_name="base")
    base_src = load_file(target)
    if not isinstance(base_src.data, dict):
        raise InputError.one(
            src.file, at, "base", "a case file (a YAML mapping with subject, act, …)", f"{base!r}, which holds a {type(base_src.data).__name__}"
        )
    return base_src.data


def _build(
    src: Located, spec: FixtureCase, prefix: PathKey, default_base: str | None, default_as_of: date | None, root: Path
) -> Fixture:
    """Turn one validated case spec into a Fixture, locating case errors under *prefix*."""
    if spec.base is not None and spec.case is not None:
        raise InputError.one(src.file, src.line_of((*prefix, "case")), "base/case", "exactly one of 'base' (with optional 'patch') or 'case'")
    base = spec.base if spec.base is not None else default_base if spec.case is None else None
    if base is None and spec.case is None:
        raise InputError.one(src.file, src.line_of(prefix), "base/case", "exactly one of 'base' (with optional 'patch') or 'case'")
    if base is not None:
        raw = merge(_base_case(src, base, prefix, root), spec.patch)
        missing = [name for name, f in Case.model_fields.items() if f.is_required() and name not in raw]
        if missing:
            # not a case: say which keys are missing, never what the file holds instead
            raise InputError.one(
                src.file, src.line_of((*prefix, "base")) or 1, "base", f"a case file with {', '.join(missing)} (or a patch adding them)",
                f"{base!r}, which is not a case file",
            )
        head = (*prefix, "patch")
        patch_lines = {k[len(head) :]: v for k, v in src.lines.items() if k[: len(head)] == head and len(k) > len(head)}
        case = validate(Case, Located(raw, src.file, patch_lines), raw)
    else:
        case = validate(Case, src, spec.case, (*prefix, "case"))
    index = prefix[1] if len(prefix) == 2 and isinstance(prefix[1], int) else None
    return Fixture(spec.name, src.file, case, spec.as_of or default_as_of, spec.expect, index, src.line_of(prefix) or 1)


def load_fixtures(path: Path | str, root: Path | str | None = None) -> list[Fixture]:
    """Every case of a fixture file, single or suite form; bad input raises a located InputError.

    A ``base`` must name a regular file inside *root* (default:
    :func:`default_root`): no absolute path, no ``..`` or symlink out of the
    suite, no device or FIFO.
    """
    p = Path(path)
    problem = regular_file_problem(p, str(p))
    if problem is not None:
        raise InputError([problem])
    suite_root = Path(root) if root is not None else default_root(p)
    src = load_file(p)
    if not isinstance(src.data, dict):
        raise InputError.one(src.file, 1, "(document)", "a mapping: a fixture (name, expect, …) or a suite (cases: […])")
    if "cases" in src.data:
        suite = validate(FixtureSuite, src)
        return [_build(src, spec, ("cases", i), suite.base, suite.as_of, suite_root) for i, spec in enumerate(suite.cases)]
    return [_build(src, validate(FixtureCase, src), (), None, None, suite_root)]


def load_fixture(path: Path | str, root: Path | str | None = None) -> Fixture:
    """The one case of a fixture file (a suite file must hold exactly one case)."""
    fixtures = load_fixtures(path, root)
    if len(fixtures) != 1:
        src = load_file(path)
        raise InputError.one(src.file, src.line_of(("cases",)), "cases", "a file with one case (load_fixtures reads several)", f"{len(fixtures)} cases")
    return fixtures[0]


# ------------------------------------------------------------------ checking


def cited_by_fired(result: QuestionResult) -> set[str]:
    """Paragraphs cited (source or also_cites) by the rules that fired in *result*."""
    return {c for t in result.trace if t.status is RuleStatus.failed for c in (t.citation, *t.also_cites)}


def check_question(label: str, got: QuestionResult | None, want: QuestionExpect) -> list[str]:
    if got is None:
        return [f"{label}: expected an answer, the decision has none"]
    out: list[str] = []
    if want.outcome is not None and got.outcome.value != want.outcome:
        out.append(f"{label}.outcome: expected {want.outcome!r}, got {got.outcome.value!r}")
    status = {t.rule: t.status for t in got.trace}
    for rule in want.fired:
        if rule not in got.fired:
            out.append(f"{label}.fired: expected rule {rule} to fire, its status is {status.get(rule, 'not consulted')}")
    for rule in want.passed:
        if status.get(rule) is not RuleStatus.passed:
            out.append(f"{label}.passed: expected rule {rule} to pass, its status is {status.get(rule, 'not consulted')}")
    for rule in want.not_applicable:
        if status.get(rule) is not RuleStatus.not_applicable:
            out.append(f"{label}.not_applicable: expected rule {rule} not to apply, its status is {status.get(rule, 'not consulted')}")
    for name in ("reasons", "leniency", "obligations", "warnings", "undetermined_by", "missing"):
        have = set(getattr(got, name))
        for code in getattr(want, name):
            if code not in have:
                out.append(f"{label}.{name}: expected {code!r} among {sorted(have)}")
    values = {d.id: d.value for d in got.definitions}
    for ident, value in want.definitions.items():
        if ident not in values:
            out.append(f"{label}.definitions: expected definition {ident!r} to be used, used are {sorted(values)}")
        elif values[ident] != (value.isoformat() if isinstance(value, date) else value):
            out.append(f"{label}.definitions.{ident}: expected {value!r}, got {values[ident]!r}")
    if want.citations:
        cited = cited_by_fired(got)
        for para in want.citations:
            if para not in cited:
                out.append(f"{label}.citations: expected a fired rule citing {para!r}, fired rules cite {sorted(cited)}")
    if want.period_end is not None:
        end = got.period.end if got.period else None
        if end != want.period_end:
            out.append(f"{label}.period_end: expected {want.period_end}, got {end}")
    return out


def _check_measure_decisions(decision: Decision, wanted: list[MeasureExpect]) -> list[str]:
    if decision.measures is None:
        return ["measures.decisions: expected measure decisions, the decision has none"]
    got = {(m.measure, m.target): m for m in [*decision.measures.applied, *decision.measures.refused, *decision.measures.undetermined]}
    out: list[str] = []
    for want in wanted:
        label = f"measures.decisions[{want.measure}@{want.target}]"
        m = got.get((want.measure, want.target))
        if m is None:
            out.append(f"{label}: not decided")
            continue
        as_question = QuestionResult(
            question="measures", outcome=m.outcome, reasons=m.reasons, fired=m.fired,
            obligations=m.obligations, warnings=m.warnings, trace=m.trace, undetermined_by=m.undetermined_by, leniency=m.leniency,
            missing=m.missing, unverified=m.unverified, definitions=m.definitions,
        )
        out += check_question(label, as_question, want)
        if want.end is not None and m.end != want.end:
            out.append(f"{label}.end: expected {want.end}, got {m.end}")
    return out


def _check_repair(got: Any, want: RepairExpect) -> list[str]:
    """The repair expectation against the decision JSON's ``repair`` answer."""
    if not isinstance(got, dict):
        return ["repair: expected an answer, the decision has none"]
    out: list[str] = []
    if want.outcome is not None and got.get("outcome") != want.outcome:
        out.append(f"repair.outcome: expected {want.outcome!r}, got {got.get('outcome')!r}")
    status = {t.get("rule"): t.get("status") for t in got.get("trace") or [] if isinstance(t, dict)}
    for name, wanted in (("fired", "failed"), ("passed", "passed"), ("not_applicable", "not_applicable")):
        for rule in getattr(want, name):
            if status.get(rule) != wanted:
                out.append(f"repair.{name}: expected rule {rule} to be {wanted}, its status is {status.get(rule, 'not consulted')}")
    for name in ("reasons", "obligations"):
        have = set(got.get(name) or [])
        for code in getattr(want, name):
            if code not in have:
                out.append(f"repair.{name}: expected {code!r} among {sorted(have)}")
    if want.earliest_date is not None and got.get("earliest_date") != want.earliest_date.isoformat():
        out.append(f"repair.earliest_date: expected {want.earliest_date}, got {got.get('earliest_date')}")
    regime = got.get("regime")
    regime_id = regime.get("id") if isinstance(regime, dict) else None
    if want.regime is not None and regime_id != want.regime:
        out.append(f"repair.regime: expected {want.regime!r}, got {regime_id!r}")
    return out


def measure_ids(items: Any) -> set[str]:
    """``measure`` and ``measure@target`` for every item of a measures list in decision JSON."""
    out: set[str] = set()
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            ident = item.get("measure", item.get("id"))
            if ident is not None:
                out.add(str(ident))
                if item.get("target") is not None:
                    out.add(f"{ident}@{item['target']}")
        elif item is not None:
            out.add(str(item))
    return out


_MISSING = object()
_STEP = re.compile(r"\[(\d+|\*)\]|([^.\[\]]+)")


def path_steps(path: str) -> list[str | int]:
    """``a.b[0].c`` or ``a.b.0.c`` → ``['a', 'b', 0, 'c']``; ``*`` stays a wildcard."""
    steps: list[str | int] = []
    for index, name in _STEP.findall(path):
        text = index or name
        steps.append(int(text) if text.isdigit() else text)
    return steps


def json_at(data: Any, path: str) -> Any:
    """The value at *path* in decision JSON, a list of values under ``*``, or a sentinel when absent."""
    values: list[Any] = [data]
    wild = False
    for step in path_steps(path):
        nxt: list[Any] = []
        for v in values:
            if step == "*":
                wild = True
                nxt += list(v.values()) if isinstance(v, dict) else list(v) if isinstance(v, list) else []
            elif isinstance(v, dict) and isinstance(step, str) and step in v:
                nxt.append(v[step])
            elif isinstance(v, list) and isinstance(step, int) and -len(v) <= step < len(v):
                nxt.append(v[step])
        values = nxt
        if not values and not wild:
            return _MISSING
    return values if wild else values[0]


def is_missing(value: Any) -> bool:
    return value is _MISSING


def jsonable(value: Any) -> Any:
    """YAML scalars as they appear in decision JSON (dates as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def field_mismatches(data: Any, fields: Mapping[str, Any]) -> list[str]:
    """What a decision's JSON *data* gets wrong of a fixture's ``fields:`` (dotted path → expected value); the one
    check case, information and query fixtures share."""
    out: list[str] = []
    for path, want in fields.items():
        got = json_at(data, path)
        if is_missing(got):
            out.append(f"fields[{path}]: expected {jsonable(want)!r}, the decision has no such field")
        elif not field_matches(got, want):
            out.append(f"fields[{path}]: expected {jsonable(want)!r}, got {got!r}")
    return out


def field_matches(got: Any, want: Any) -> bool:
    """Equality, or membership when the decision field is a list and the expectation is not."""
    want = jsonable(want)
    if isinstance(got, list) and not isinstance(want, list):
        return want in got
    return bool(got == want)


def check_lifecycle(wanted: Sequence[LifecycleEventExpect], got: Sequence[TransitionResult] | None) -> list[str]:
    """The lifecycle events' expectations against what :func:`credit_rules.lifecycle.run_events` gave, one per event."""
    if got is None or len(got) != len(wanted):
        return ["lifecycle: expected the events to be run on the case, they were not (use the fixture runner)"]
    out: list[str] = []
    for n, (want, res) in enumerate(zip(wanted, got, strict=True)):
        label = f"lifecycle[{n}] ({want.event.value} on {want.date})"
        if res.accepted is not want.accepted:
            why = f" ({', '.join(res.reasons)})" if res.reasons else ""
            out.append(f"{label}.accepted: expected {want.accepted}, got {res.accepted}{why}")
            continue
        step = res.state.history[-1] if res.accepted and res.state.history else None
        if want.transition is not None and (step is None or step.transition != want.transition):
            out.append(f"{label}.transition: expected {want.transition!r}, got {step.transition if step else None!r}")
        if want.citation is not None and (step is None or step.citation != want.citation):
            out.append(f"{label}.citation: expected {want.citation!r}, got {step.citation if step else None!r}")
        if want.state is not None and res.state.state is not want.state:
            out.append(f"{label}.state: expected {want.state.value!r}, got {res.state.state.value!r}")
        if want.guard is not None and res.guard != want.guard:
            out.append(f"{label}.guard: expected {want.guard!r}, got {res.guard!r}")
        for code in want.reasons:
            if code not in res.reasons:
                out.append(f"{label}.reasons: expected {code!r} among {res.reasons}")
        for duty in want.duties:
            if not any(duty in have for have in res.duties):
                out.append(f"{label}.duties: expected one containing {duty!r}, got {res.duties}")
        values = {d.id: d.value for d in res.definitions}
        for ident, value in want.definitions.items():
            if ident not in values:
                out.append(f"{label}.definitions: expected definition {ident!r} to be used, used are {sorted(values)}")
            elif values[ident] != jsonable(value):
                out.append(f"{label}.definitions.{ident}: expected {value!r}, got {values[ident]!r}")
    return out


def check(fixture: Fixture, decision: Decision, lifecycle: Sequence[TransitionResult] | None = None) -> list[str]:
    """Differences between what the fixture expects and the decision (empty = pass).

    Every message starts with the expectation field it is about, so a failing
    fixture says exactly what to look at (``listing.outcome: expected …``).
    *lifecycle* is what the fixture's lifecycle events gave
    (:func:`credit_rules.regression.runner.lifecycle_of`); a fixture with
    events fails when they were not run.
    """
    out: list[str] = []
    if fixture.expect.lifecycle:
        out += check_lifecycle(fixture.expect.lifecycle, lifecycle)
    exp = fixture.expect
    if exp.determination is not None:
        out += check_question("determination", decision.determination, exp.determination)
    if exp.listing is not None:
        out += check_question("listing", decision.listing, exp.listing)
    if exp.supervision is not None:
        out += check_question("supervision", decision.supervision, exp.supervision)
    data: dict[str, Any] | None = None
    if exp.measures is not None or exp.repair is not None or exp.fields:
        data = decision.model_dump(mode="json")
    if exp.repair is not None and data is not None:
        out += _check_repair(data.get("repair"), exp.repair)
    if exp.measures is not None and exp.measures.decisions:
        out += _check_measure_decisions(decision, exp.measures.decisions)
    if exp.measures is not None and data is not None:
        measures = data.get("measures")
        if not isinstance(measures, dict):
            out.append("measures: expected an answer, the decision has none")
        else:
            for kind in ("applied", "refused"):
                have = measure_ids(measures.get(kind))
                for ident in getattr(exp.measures, kind):
                    if ident not in have:
                        out.append(f"measures.{kind}: expected {ident!r} among {sorted(have)}")
    for w in exp.warnings:
        if not any(w in have for have in decision.warnings):
            out.append(f"warnings: expected one containing {w!r}, got {decision.warnings}")
    out += field_mismatches(data, exp.fields)
    return out


def find_fixture_files(root: Path) -> Walk:
    """Fixture files below *root* (``*.case.yaml``, sorted) and what made part of the tree unreadable.

    A file is returned as it is.  An unreadable folder, a symlink out of the
    tree or a FIFO named ``*.case.yaml`` is a problem, never a silently
    smaller suite.
    """
    if root.is_file():
        return Walk([root])
    return walk(root, FIXTURE_SUFFIX)


def find_fixtures(root: Path) -> list[Path]:
    """Fixture files below *root*; raises a located InputError when part of the tree cannot be read."""
    found = find_fixture_files(root)
    found.raise_problems()
    return found.files
