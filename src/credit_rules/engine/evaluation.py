"""What running one question's definitions and rules gives: the trace, the fired and unknown rules, the
definitions used — and from them, what is missing and what rests on unverified data.

Every question family (determination, listing, measures, repair, supervision,
information, query) is answered from an :class:`Evaluation`, so every answer
carries the same structured parts: ``missing`` (facts or definitions that
were unknown where a rule needed them), ``unverified`` (parameters and
definitions marked ``verified: false`` that the answer read) and
``definitions`` (each with its value, citation and what it read).
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from ..catalog.store import Catalogs
from ..model.case import Question
from ..model.decision import CriterionResult, DefinitionEntry, ListPeriod, Outcome, ParamUse, QuestionResult, Statement, TraceEntry
from ..ruleset.definitions import Definition, DefinitionGroup, Used
from ..ruleset.evaluate import ParamRead, value_for_trace
from ..ruleset.model import Rule, RuleSet
from .trace import NO_RULE_IN_FORCE, summarize


M = TypeVar("M", bound=BaseModel)

LEAN: ContextVar[bool] = ContextVar("credit_rules_lean", default=False)
"""True while a compact decision is made: results get no definition trace entries (see ``Evaluation.details``)."""

_ENTRIES: dict[tuple[object, ...], tuple[object, DefinitionEntry]] = {}
_ENTRIES_LIMIT = 8192
"""Trace entries of definitions, shared by every decision whose definition came out the same way (same group,
value, case, facts read and parameters): most decisions of a batch repeat them, and building one costs more than
evaluating it.  Entries are frozen values, like the rule trace templates; bounded, and emptied by clear_cache."""


def clear_cache() -> None:
    """Forget the shared definition trace entries (see :meth:`credit_rules.Engine.clear_caches`)."""
    _ENTRIES.clear()
    _STATIC.clear()
    _PARAMS.clear()


def _entry(u: Used) -> DefinitionEntry:
    if u.entry is not None:  # a remembered Used whose entry was built before
        return u.entry  # type: ignore[return-value]
    o = u.outcome
    try:
        key = (id(u.group), o.by.label if o.by else None, o.case, o.value, o.set_aside, o.note, tuple(u.read.items()), u.params)
        hit = _ENTRIES.get(key)
    except TypeError:  # a value that cannot be a key (none today): build it afresh
        return _build_entry(u)
    if hit is not None and hit[0] is u.group:
        u.entry = hit[1]
        return hit[1]
    entry = u.entry = _build_entry(u)
    if len(_ENTRIES) >= _ENTRIES_LIMIT:
        _ENTRIES.clear()
    _ENTRIES[key] = (u.group, entry)  # holding the group keeps its id from being reused while the entry lives
    return entry


_set = object.__setattr__


def construct(cls: type[M], fields: dict[str, Any]) -> M:
    """What ``cls.model_construct(**fields)`` gives when *fields* names every field of *cls* (which has no private
    attributes, extras or post-init): the model without validation, in a tenth of model_construct's time, which
    walks every field for defaults and aliases.  Only for models built here from checked rule data and evaluated
    values; ``tests/test_caches.py`` checks the result equals the validated model."""
    m = cls.__new__(cls)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", set(fields))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def _build_entry(u: Used) -> DefinitionEntry:
    o = u.outcome
    member = o.by or u.group.general
    ident, kind, citation, also_cites, label, verified = _static(u.group, member)
    verified = verified and _confirmed(u, member)
    vft = value_for_trace
    # built without validation: every field comes from checked rule data and evaluated values (in field order)
    return construct(
        DefinitionEntry,
        {
            "id": ident,
            "value": vft(o.value),
            "type": kind,
            "citation": citation,
            "also_cites": list(also_cites),
            "decided_by": label,
            "case": o.case,
            "set_aside": list(o.set_aside),
            "note": o.note,
            "facts": {k: vft(v) for k, v in u.read.items()},
            "params": [_param_use(p) for p in u.params],
            "verified": verified,
        },
    )


_Static = tuple[str, str, str, tuple[str, ...], str, bool]
_STATIC: dict[int, tuple[object, object, _Static]] = {}


def _static(group: DefinitionGroup, member: Definition) -> _Static:
    """The parts of a definition's trace entry fixed by the rule data (id, type, citation, label, verified),
    worked out once per member of a loaded group (the entry holds both, so their ids are not reused)."""
    hit = _STATIC.get(id(member))
    if hit is None or hit[0] is not member or hit[1] is not group:
        spec = member.spec
        if len(_STATIC) >= _ENTRIES_LIMIT:
            _STATIC.clear()
        hit = _STATIC[id(member)] = (member, group, (group.id, str(group.type), spec.source, tuple(spec.also_cites), member.label, spec.verified))
    return hit[2]


def _confirmed(u: Used, member: Definition) -> bool:
    """Whether the data a ``verified_by`` definition names confirms it in this use (unknown: not confirmed); true for
    a definition without ``verified_by``, whose status is its own ``verified``."""
    name = member.spec.verified_by
    return name is None or u.read.get(name) is True


def _unverified_of(u: Used) -> tuple[str, ...]:
    """What one used definition adds to a result's ``unverified``: itself if unverified, and its unverified parameters."""
    member = u.outcome.by or u.group.general
    ident, _, source, _, _, verified = _static(u.group, member)
    out = [] if verified and _confirmed(u, member) else [f"{ident} ({source})"]
    out += [f"{p.name} ({p.source})" for p in u.params if not p.verified]
    return tuple(out)


def _param_use(p: ParamRead) -> ParamUse:
    """A parameter read's trace entry: a pure function of the read, made once (definitions of one decision read
    the same parameter on the same date) and shared, frozen, like the entries that hold it."""
    key = (p, p.value.__class__)  # 1, 1.0 and True are equal keys: the class tells them apart
    try:
        hit = _PARAMS.get(key)
    except TypeError:  # a value that cannot be a key (none today)
        return _make_param_use(p)
    if hit is None:
        if len(_PARAMS) >= _ENTRIES_LIMIT:
            _PARAMS.clear()
        hit = _PARAMS[key] = _make_param_use(p)
    return hit


def _make_param_use(p: ParamRead) -> ParamUse:
    return construct(
        ParamUse,
        {"name": p.name, "value": value_for_trace(p.value), "citation": p.source, "valid_from": p.valid_from, "at": p.at, "verified": p.verified},
    )


_PARAMS: dict[tuple[ParamRead, type], ParamUse] = {}


@dataclass(frozen=True)
class Evaluation:
    """One rule list run over facts.  Remembered and shared between decisions (``Engine._run``): read-only.

    ``facts`` holds the values of the names the rules read (what :meth:`missing` looks at) and of every
    definition evaluated (outputs a caller reads, such as the information timing's dates).
    """

    trace: list[TraceEntry]
    fired: list[Rule]
    unknown: list[Rule]
    used: list[Used]
    facts: Mapping[str, object]

    def value(self, ident: str) -> object:
        """The value definition *ident* took in this evaluation (None: unknown, or not used)."""
        return self._values.get(ident)

    @functools.cached_property
    def _values(self) -> dict[str, object]:
        """Each definition's value by id (the first use of an id, as a scan of ``used`` would find it): an
        evaluation is shared by every decision that repeats it, and a result reads several values."""
        out: dict[str, object] = {}
        for u in self.used:
            out.setdefault(u.group.id, u.outcome.value)
        return out

    def missing(self, roots: tuple[str, ...] | None = None) -> list[str]:
        """Names that were unknown where an unknown rule (or one of the definitions *roots*) needed them, followed
        down through definitions to the facts whose absence made them unknown."""
        by_id = {u.group.id: u for u in self.used}
        out: dict[str, None] = {}
        if roots is None:
            stack = [n for r in self.unknown for n in r.reads if self.facts.get(n) is None]
        else:
            stack = [n for root in roots if (u := by_id.get(root)) is not None for n, v in u.read.items() if v is None]
        while stack:
            name = stack.pop(0)
            if name in out:
                continue
            out[name] = None
            u = by_id.get(name)
            if u is not None:
                stack += [n for n, v in u.read.items() if v is None]
        return sorted(out)

    def unverified(self) -> list[str]:
        """Unverified parameters and definitions the answer read, as 'name (citation)'."""
        out: set[str] = set()
        for u in self.used:
            mine = u.unverified
            if mine is None:  # worked out once per Used: a remembered one is shared by many evaluations
                mine = u.unverified = _unverified_of(u)
            out.update(mine)
        return sorted(out)

    def details(self) -> dict[str, Any]:
        """The parts every result model carries besides the summary (a new dict each call; the lists are copied
        by the result models that take them).  While a compact decision is made (``LEAN``) the definitions'
        trace entries are not built (a compact record holds no trace, and no outcome depends on them)."""
        if LEAN.get() and "_details" not in self.__dict__:
            return {"missing": self.missing() if self.unknown else [], "unverified": self.unverified(), "definitions": []}
        return dict(self._details)

    @functools.cached_property
    def _answers(self) -> dict[tuple[Outcome, Outcome, Outcome | None], Mapping[str, Any]]:
        """What :func:`answer` gave for each (refused, ok, deferred), kept with the evaluation."""
        return {}

    @functools.cached_property
    def _results(self) -> dict[tuple[str, Outcome, Outcome, Outcome | None], QuestionResult | None]:
        """The validated part of each question result made from this evaluation (see :func:`question_result`)."""
        return {}

    @functools.cached_property
    def _details(self) -> dict[str, Any]:
        return {
            "missing": self.missing() if self.unknown else [],
            "unverified": self.unverified(),
            "definitions": [_entry(u) for u in self.used],
        }


__all__ = ["NO_RULE_IN_FORCE", "Evaluation", "Evaluator", "answer", "question_result"]


class Evaluator(Protocol):
    """What a question family (measures, repair …) needs from the engine: the loaded catalogs and rules, and a
    question's definitions and rules run over facts.  The question modules depend on this, not on the engine, so
    the engine can import them and no module cycle remains."""

    @property
    def catalogs(self) -> Catalogs: ...

    @property
    def ruleset(self) -> RuleSet: ...

    def evaluate(
        self, question: Question, jurisdiction: str, on: date, facts: Mapping[str, object], outputs: tuple[str, ...] = ()
    ) -> Evaluation: ...


def answer(ev: Evaluation, *, refused: Outcome, ok: Outcome, deferred: Outcome | None = None) -> Mapping[str, Any]:
    """The fields every per-case result model takes from an evaluation: the summary (:func:`~.trace.summarize`,
    which holds the fail-closed guard for a question with no rule in force) and the details (missing, unverified,
    definitions), with the summary's ``missing`` after the evaluation's own.  One function, so a question family
    (determination, listing, measures, repair …) cannot build its result without the guard.

    A pure function of the evaluation and the three outcomes, so it is kept on the (shared, read-only) evaluation:
    a decision that repeats an evaluation reuses it.  The mapping and its lists are shared and read-only: pass
    them on to a result model, whose validation copies them.  (Not kept while a compact decision is made, whose
    details lack the definitions' entries.)"""
    if LEAN.get() and "_details" not in ev.__dict__:
        return _answer(ev, refused, ok, deferred)
    answers = ev._answers
    key = (refused, ok, deferred)
    hit = answers.get(key)
    if hit is None:
        hit = answers[key] = MappingProxyType(_answer(ev, refused, ok, deferred))
    return hit


def _answer(ev: Evaluation, refused: Outcome, ok: Outcome, deferred: Outcome | None) -> dict[str, Any]:
    summary = summarize(ev.fired, refused, ok, deferred, ev.unknown, consulted=len(ev.trace))
    details = ev.details()
    return {**summary, **details, "missing": [*details["missing"], *summary["missing"]]}


def question_result(
    question: str, ev: Evaluation, *, refused: Outcome, ok: Outcome, deferred: Outcome | None = None, **extra: Any
) -> QuestionResult:
    """A question's result from its evaluation (outcome, reasons, leniency, obligations, warnings, what is
    undetermined and missing, the definitions used); see :func:`answer`.  *extra* sets the question's own fields,
    and may override the answer's (an allowed listing adds its period's unverified figures).

    The first result of an evaluation is validated as it is.  If the evaluation is used again (a case decided
    again: evaluations are remembered and shared), the part that comes from it is validated once more and kept
    with it; each later call gets a copy of that with its own lists and *extra* set (:func:`_copy_result`), which
    is what validating the same arguments gives (``tests/test_caches.py`` compares them).  Anything
    :func:`_copy_result` does not know to be already valid is validated as before."""
    found = answer(ev, refused=refused, ok=ok, deferred=deferred)
    if found.__class__ is not MappingProxyType or not _plain_extra(extra):  # a lean answer (not kept), or unusual extra
        return QuestionResult(question=question, trace=ev.trace, **({**found, **extra} if extra else found))
    key = (question, refused, ok, deferred)
    results = ev._results
    proto = results.get(key, _FIRST)
    if proto is _FIRST:  # the first use of this evaluation (most are used once): validated as it is
        results[key] = None
        return QuestionResult(question=question, trace=ev.trace, **({**found, **extra} if extra else found))
    if proto is None:  # used again: worth keeping a validated prototype to copy
        proto = results[key] = QuestionResult(question=question, trace=ev.trace, **found)
    return _copy_result(proto, extra)


_FIRST: Any = object()


_EXTRA_ITEMS: dict[str, type] = {"criteria": CriterionResult, "decision_document_must_state": Statement, "removal_conditions": Statement,
                                 "remedies": Statement, "unverified": str}
"""The list fields a caller of :func:`question_result` sets, with their items' class."""
_EXTRA_VALUES: dict[str, tuple[type, ...]] = {"regime": (str, type(None)), "period": (ListPeriod, type(None))}
"""The other fields it sets, with the classes a value may have."""


def _plain_extra(extra: Mapping[str, Any]) -> bool:
    """Whether every value of *extra* is what validation would keep as it is: model instances of the field's
    class, exact ``str`` or None, and lists of those (which validation copies, and so does :func:`_copy_result`)."""
    for name, value in extra.items():
        item = _EXTRA_ITEMS.get(name)
        if item is not None:
            if value.__class__ is not list or not all(v.__class__ is item for v in value):
                return False
        elif value.__class__ not in _EXTRA_VALUES.get(name, ()):
            return False
    return True


def _copy_result(proto: QuestionResult, extra: Mapping[str, Any]) -> QuestionResult:
    """A copy of a validated result with its own lists, *extra* set: the fields (in the model's order), lists and
    fields set that validating the prototype's arguments and *extra* together gives."""
    fields = {k: (v.copy() if v.__class__ is list else v) for k, v in proto.__dict__.items()}
    for name, value in extra.items():
        fields[name] = value.copy() if value.__class__ is list else value
    m = QuestionResult.__new__(QuestionResult)
    _set(m, "__dict__", fields)
    _set(m, "__pydantic_fields_set__", proto.__pydantic_fields_set__ | extra.keys())
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m
