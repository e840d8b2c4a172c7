"""Named, cited definitions: the legal concepts rules read, written beside the paragraph that makes them.

A rule file's ``definitions:`` list defines intermediate concepts — "the
penalty decision has become final", "the list system is still in its
transition period", "the deciding authority is at least at county level" —
each with its source paragraph, a type, and either a ``value`` expression or
``cases`` (the first case whose ``when`` holds gives the value, as Rego's
``else`` and DMN's FIRST hit policy do).  Rules read definitions as they read
facts, and every definition a decision used is in its trace with its value,
citation, the facts and parameters it read, and which case or exception decided.

**Exceptions (Catala's default logic).**  Several definitions may share an id.
One is the general rule (no ``exception_to``); every other names, by
``label``, the definition it is an exception to, and says ``when`` it applies.
To evaluate, the exceptions to the general rule are tried: if one applies, it
decides (its own exceptions first); if none applies, the general rule does.
Two sibling exceptions that both apply, or one whose ``when`` is unknown, make
the value unknown — a conflict is never settled silently.  A definition in a
local rule file applies only to cases of that locality.  The priority is in
the data, never in Python.
"""

from __future__ import annotations

import functools

import graphlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model.legal import maintainer_notes
from .evaluate import CalendarUnknown, Env, EvaluationError, Fn, ParamRead
from .expr import Type
from .._empty import empty_list

_ID = r"^[a-z][a-z0-9_]*$"


class CaseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str = Field(pattern=_ID, description="the name of this case, shown in the trace")
    when: str | None = Field(None, description="condition (expression); omitted on a last, catch-all case")
    value: str = Field(description="the value (expression) when this case applies")
    source: str | None = Field(None, description="the paragraph of this case, if not the definition's")

    @field_validator("value", "when", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return _as_text(v)


class DefinitionSpec(BaseModel):
    """One definition as written in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, description="the name rules and other definitions read; no dots (facts have dots)")
    type: str = Field(description="bool, int, decimal, date, str, duration[unit], enum[name], set[name]")
    source: str = Field(min_length=2, description="the paragraph that says what this definition computes, e.g. 49号(八)")
    also_cites: list[str] = Field(default_factory=empty_list)
    description: str | None = None
    label: str | None = Field(None, pattern=_ID, description="names this definition, for exceptions to point at (default: the id)")
    exception_to: str | None = Field(None, pattern=_ID, description="the label of the definition this one is an exception to")
    when: str | None = Field(None, description="when this exception applies (required on exceptions)")
    value: str | None = Field(None, description="the value (expression)")
    cases: list[CaseSpec] | None = Field(None, description="ordered cases: the first whose 'when' holds gives the value")
    verified: bool = Field(True, description="false: the reading rests on unconfirmed material; a decision using it says so")
    verified_by: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$",
        description=(
            "a bool fact or definition that says whether the material this reading rests on is confirmed (a catalog "
            "entry's verified flag): the definition is unverified in a decision unless it is true there"
        ),
    )
    notes: list[str] = maintainer_notes()

    @field_validator("value", "when", mode="before")
    @classmethod
    def _text(cls, v: object) -> object:
        return _as_text(v)

    @model_validator(mode="after")
    def _shape(self) -> DefinitionSpec:
        if self.verified_by is not None and not self.verified:
            raise ValueError("give 'verified: false' or 'verified_by', not both: 'verified_by' takes the status from the data")
        if (self.value is None) == (self.cases is None):
            raise ValueError("give exactly one of 'value' or 'cases'")
        if self.exception_to is not None and self.when is None:
            raise ValueError("an exception says 'when' it applies")
        if self.exception_to is None and self.when is not None:
            raise ValueError("'when' belongs to exceptions; a general definition uses 'cases' for conditions")
        if self.cases is not None:
            if not self.cases:
                raise ValueError("'cases' needs at least one case")
            if any(c.when is None for c in self.cases[:-1]):
                raise ValueError("only the last case may omit 'when'")
            names = [c.case for c in self.cases]
            if len(set(names)) != len(names):
                raise ValueError("case names must be unique")
        return self


def _as_text(v: object) -> object:
    """YAML gives ``value: true`` or ``value: 18`` as data; the language reads them as text."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, date)) and not isinstance(v, bool):
        return v.isoformat() if isinstance(v, date) else str(v)
    return v


@dataclass(frozen=True)
class Case:
    name: str
    when: Fn | None
    value: Fn
    source: str | None


@dataclass(frozen=True)
class Definition:
    """A loaded, checked and compiled definition (one member of its id's group)."""

    spec: DefinitionSpec
    type: Type
    jurisdiction: str
    when: Fn | None
    value: Fn | None
    cases: tuple[Case, ...]
    reads: tuple[str, ...]
    params: tuple[str, ...]
    file: str
    line: int | None
    dated: bool = False  # an expression reads the question's date implicitly (a dated built-in with no at:)

    @property
    def id(self) -> str:
        return self.spec.id

    @functools.cached_property
    def label(self) -> str:
        """The name exceptions point at (kept: read for every definition evaluated and every trace entry)."""
        return self.spec.label or self.spec.id


@dataclass(frozen=True)
class DefinitionGroup:
    """Every definition of one id: the general rule and its exceptions, by label."""

    id: str
    type: Type
    general: Definition
    exceptions: Mapping[str, tuple[Definition, ...]]  # label -> the exceptions to it
    reads: tuple[str, ...]  # names any member reads

    def members(self) -> list[Definition]:
        return [self.general, *(d for ds in self.exceptions.values() for d in ds)]

    @functools.cached_property
    def dated(self) -> bool:
        """Whether the group's value can depend on the question's date beyond the names it reads."""
        return any(m.dated for m in self.members())


class Outcome(NamedTuple):
    """How a group was decided, for the trace (a named tuple: one is made per definition evaluated)."""

    value: object
    by: Definition | None
    case: str | None
    set_aside: tuple[str, ...]
    note: str | None = None


def resolve(group: DefinitionGroup, env: Env, chain: frozenset[str]) -> Outcome:
    """The group's value: the most specific applicable exception decides (see the module doc)."""
    if group.general.jurisdiction not in chain:  # a local definition binds only its own locality
        return Outcome(None, None, None, (), f"'{group.id}' is defined only for {group.general.jurisdiction} / {group.id} 仅适用于 {group.general.jurisdiction}")
    return _resolve(group, group.general, env, chain, ())


def _resolve(group: DefinitionGroup, d: Definition, env: Env, chain: frozenset[str], set_aside: tuple[str, ...]) -> Outcome:
    applying: list[Definition] = []
    unknown: list[str] = []
    for ex in group.exceptions.get(d.label, ()):
        if ex.jurisdiction not in chain:
            continue
        w = ex.when(env) if ex.when is not None else True
        if w is None:
            unknown.append(ex.label)
        elif w:
            applying.append(ex)
    if len(applying) > 1:
        labels = ", ".join(e.label for e in applying)
        return Outcome(None, None, None, set_aside, f"conflicting exceptions apply: {labels} / 多个例外同时适用：{labels}")
    if unknown:
        names = ", ".join(unknown)
        return Outcome(None, None, None, set_aside, f"unknown whether exception {names} applies / 无法确定例外 {names} 是否适用")
    if applying:
        return _resolve(group, applying[0], env, chain, (*set_aside, d.label))
    value, case = _value(d, env)
    return Outcome(value, d, case, set_aside)


def _value(d: Definition, env: Env) -> tuple[object, str | None]:
    if d.value is not None:
        return d.value(env), None
    for c in d.cases:
        w = c.when(env) if c.when is not None else True
        if w is None:
            return None, c.name
        if w:
            return c.value(env), c.name
    return None, None


@dataclass(slots=True)
class Used:
    """One definition a decision used, for the trace (:class:`credit_rules.model.decision.DefinitionEntry`).

    A remembered value is remembered as its whole ``Used`` (the key fixes what it read and which parameters),
    so decisions that hit the memo share the object; ``entry`` holds its trace entry once the engine has built
    it, so a shared ``Used`` is turned into a trace entry once, not once per decision.  Treat it as read-only.
    """

    group: DefinitionGroup
    outcome: Outcome
    read: dict[str, object]
    params: tuple[ParamRead, ...]
    entry: object = None
    unverified: tuple[str, ...] | None = None  # what it adds to a result's ``unverified``, once worked out


@dataclass
class DefinitionSet:
    """The definitions of a rule set, in an order where every definition comes after those it reads."""

    groups: dict[str, DefinitionGroup] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    _needed: dict[tuple[str, ...], tuple[DefinitionGroup, ...]] = field(default_factory=dict)
    _values: dict[tuple[object, ...], tuple[object, object, Used]] = field(default_factory=dict)
    _plans: dict[int, tuple[Sequence[DefinitionGroup], tuple[tuple[DefinitionGroup, int, str, bool, tuple[str, ...]], ...]]] = field(
        default_factory=dict
    )

    def clear_cache(self) -> None:
        """Forget the remembered values (see :meth:`credit_rules.Engine.clear_caches`)."""
        self._values.clear()
        self._plans.clear()

    def needed(self, names: Sequence[str]) -> tuple[DefinitionGroup, ...]:
        """The groups *names* read, directly or through other definitions, in evaluation order."""
        key = tuple(names)
        hit = self._needed.get(key)
        if hit is None:
            want: set[str] = set()
            stack = [n for n in names if n in self.groups]
            while stack:
                n = stack.pop()
                if n in want:
                    continue
                want.add(n)
                stack += [r for r in self.groups[n].reads if r in self.groups]
            hit = self._needed[key] = tuple(self.groups[n] for n in self.order if n in want)
        return hit

    def evaluate(self, groups: Sequence[DefinitionGroup], facts: Mapping[str, object], env: Env, chain: frozenset[str]) -> tuple[dict[str, object], list[Used]]:
        """Values of *groups* over *facts* and the trace of each; *env.values* is filled in as they are computed."""
        values: dict[str, object] = {}
        used: list[Used] = []
        scope: dict[str, object] = dict(facts)
        env.values = scope
        catalogs = env.catalogs
        params = getattr(env.params, "params", None)  # the loaded parameters behind a jurisdiction's view
        memo = self._values if params is not None else None
        get = scope.get
        on = env.on
        params_read = env.params_read  # appended to by the expressions; never replaced
        context = (chain, id(catalogs), id(params))
        for g, gid, ident, dated, reads in self._plan(groups):
            # A definition is a pure function of the names it reads, the jurisdiction chain, the loaded catalogs and
            # parameters, and (for a dated built-in with no at:) the question's date: remembered on exactly that.
            # The remembered Used is reused whole: the key fixes what it read (its member reads a subset of
            # the group's) and the parameters it read.
            key: tuple[object, ...] | None = None
            if memo is not None:
                try:
                    key = (gid, context, on if dated else None, tuple(map(get, reads)))
                    hit = memo.get(key)
                except TypeError:  # a value that cannot be part of a key: compute it
                    key, hit = None, None
                if hit is not None and hit[0] is catalogs and hit[1] is params and hit[2].group is g:
                    u = hit[2]
                    if u.params:
                        params_read += u.params
                    scope[ident] = values[ident] = u.outcome.value
                    used.append(u)
                    continue
            start = len(params_read)
            lacking: str | None = None
            try:
                outcome = resolve(g, env, chain)
            except EvaluationError as exc:
                outcome = Outcome(None, None, None, (), str(exc))
                if isinstance(exc, CalendarUnknown):  # the year's calendar is a missing input: name it
                    lacking = exc.missing
            scope[ident] = values[ident] = outcome.value
            member = outcome.by or g.general
            read = {n: get(n) for n in member.reads}
            if lacking is not None:
                read[lacking] = None
            u = Used(g, outcome, read, tuple(params_read[start:]))
            if key is not None and memo is not None:
                if len(memo) >= _VALUES_LIMIT:
                    memo.clear()
                memo[key] = (catalogs, params, u)
            used.append(u)
        return values, used

    def _plan(self, groups: Sequence[DefinitionGroup]) -> tuple[tuple[DefinitionGroup, int, str, bool, tuple[str, ...]], ...]:
        """What the loop of :meth:`evaluate` reads of each group, gathered once per (rule list's) sequence of groups."""
        hit = self._plans.get(id(groups))
        if hit is not None and hit[0] is groups:
            return hit[1]
        plan = tuple((g, id(g), g.id, g.dated, g.reads) for g in groups)
        if isinstance(groups, tuple):  # a list could change under the same identity
            if len(self._plans) >= _VALUES_LIMIT:
                self._plans.clear()
            self._plans[id(groups)] = (groups, plan)
        return plan


_VALUES_LIMIT = 4096
"""Remembered definition values per rule set before the memo starts afresh."""


def order_groups(groups: Mapping[str, DefinitionGroup]) -> tuple[str, ...]:
    """A topological order; raises ``graphlib.CycleError`` with the cycle when definitions read each other."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name, g in sorted(groups.items()):
        sorter.add(name, *sorted(r for r in g.reads if r in groups))
    return tuple(sorter.static_order())


__all__ = [
    "Case",
    "CaseSpec",
    "Definition",
    "DefinitionGroup",
    "DefinitionSet",
    "DefinitionSpec",
    "Outcome",
    "Used",
    "order_groups",
    "resolve",
]
