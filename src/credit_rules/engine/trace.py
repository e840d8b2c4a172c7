"""A question's trace and summary: every rule consulted, and what the fired ones add up to.

Why a module of its own: a decision on the shipped rules consults about 40
rules, and building their trace entries was most of a decision's cost.  An
entry is a pure function of (rule, status, values of the facts the rule
read), and those values repeat from case to case (booleans, enumerations,
small counts), so each distinct entry is built once and shared between the
decisions that need it (entries are frozen; see docs/decision.md).  A
question's summary (outcome, reasons, leniency, obligations, warnings)
depends only on which rules fired, so it is shared the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import compress, repeat
from operator import call, eq, itemgetter
from types import MappingProxyType
from typing import Any

from ..model.decision import Effect, Outcome, RuleStatus, TraceEntry
from ..ruleset.model import Rule

ENTRY_LIMIT = 512
"""Trace entries kept per rule (by status and the values read) before that rule's entries are cleared."""

SUMMARY_LIMIT = 4096
"""Summaries kept (per combination of fired rules) before they are cleared."""

_dict_get: Any = dict.get
_is_failed = partial(eq, RuleStatus.failed)
_is_unknown = partial(eq, RuleStatus.unknown)

Values = Callable[[Mapping[str, object]], object]
"""``facts -> the values of the facts a rule reads`` (one value, or a tuple of several); KeyError if one is missing."""


def values_of(reads: Sequence[str]) -> Values:
    """The values of *reads* from a facts mapping, looked up in C by ``itemgetter``."""
    if not reads:
        return lambda facts: ()
    getter: Values = itemgetter(*reads)
    return getter


@dataclass(frozen=True, slots=True)
class RuleTemplate:
    """One rule's trace entries made so far, keyed by (status, values read)."""

    rule: Rule
    values: Values
    entries: dict[tuple[object, ...], TraceEntry] = field(default_factory=dict)

    @classmethod
    def of(cls, rule: Rule) -> RuleTemplate:
        return cls(rule, values_of(rule.reads))

    def key(self, status: RuleStatus, facts: Mapping[str, object]) -> tuple[object, ...]:
        """The entry's key; a fact missing from *facts* is unknown (None), with ``itemgetter``'s key shape."""
        try:
            return (status, self.values(facts))
        except KeyError:
            found = tuple(map(facts.get, self.rule.reads))
            return (status, found[0] if len(found) == 1 else found)

    def entry(self, status: RuleStatus, facts: Mapping[str, object]) -> TraceEntry:
        """The shared entry for *status* and *facts*, made (and validated) the first time it is needed."""
        key = self.key(status, facts)
        try:
            made = self.entries.get(key)
        except TypeError:  # an unhashable fact value (facts given to evaluate() by a caller): not kept
            return self.make(status, facts)
        if made is None:
            made = self.make(status, facts)
            if len(self.entries) >= ENTRY_LIMIT:
                self.entries.clear()
            self.entries[key] = made
        return made

    def make(self, status: RuleStatus, facts: Mapping[str, object]) -> TraceEntry:
        spec = self.rule.spec
        return TraceEntry(
            rule=spec.id,
            status=status,
            effect=spec.effect,
            principle=spec.principle.value,
            reason=spec.reason,
            citation=spec.source,
            also_cites=list(spec.also_cites),
            message_zh=spec.message.zh,
            message_en=spec.message.en,
            facts={name: facts.get(name) for name in self.rule.reads},
        )


class TracePlan:
    """A rule list's templates, and their parts as parallel tuples for the fast path of :meth:`run`."""

    __slots__ = ("rules", "templates", "_values", "_entries")

    def __init__(self, rules: Sequence[Rule], template: Callable[[Rule], RuleTemplate]) -> None:
        self.rules = tuple(rules)
        self.templates = tuple(template(r) for r in self.rules)
        self._values = tuple(t.values for t in self.templates)
        self._entries = tuple(t.entries for t in self.templates)

    def run(self, statuses: Sequence[RuleStatus], facts: Mapping[str, object]) -> tuple[list[TraceEntry], list[Rule], list[Rule]]:
        """The trace (one entry per rule, in order), the rules that fired (status failed) and those left unknown."""
        if len(statuses) != len(self.rules):
            raise ValueError(f"{len(statuses)} statuses for {len(self.rules)} rules")
        # Fast path, all in C: each rule's key (status, values read) looked up among the entries made so far.
        try:
            trace: list[TraceEntry] = list(map(_dict_get, self._entries, zip(statuses, map(call, self._values, repeat(facts)))))
        except (KeyError, TypeError):  # a missing fact or an unhashable value: rule by rule
            return self._each(statuses, facts)
        if not all(trace):  # some entry not made yet (entries are always truthy, a miss is None)
            return self._each(statuses, facts)
        return trace, list(compress(self.rules, map(_is_failed, statuses))), list(compress(self.rules, map(_is_unknown, statuses)))

    def _each(self, statuses: Sequence[RuleStatus], facts: Mapping[str, object]) -> tuple[list[TraceEntry], list[Rule], list[Rule]]:
        trace: list[TraceEntry] = []
        fired: list[Rule] = []
        unknown: list[Rule] = []
        for template, status in zip(self.templates, statuses, strict=True):
            if status.__class__ is not RuleStatus:
                status = RuleStatus(status)
            trace.append(template.entry(status, facts))
            if status is RuleStatus.failed:
                fired.append(template.rule)
            elif status is RuleStatus.unknown:
                unknown.append(template.rule)
        return trace, fired, unknown


_SUMMARIES: dict[tuple[object, ...], tuple[tuple[Rule, ...], Mapping[str, Any]]] = {}


BLOCKING = frozenset({Effect.refuse, Effect.defer, Effect.focus_list, Effect.lenient})
"""Effects whose rule, left unknown, leaves the answer undetermined: it could refuse, defer, demote or soften it."""


NO_RULE_IN_FORCE = "rules_in_force_on_the_date_asked"
"""What a question with no rule in force on its date lacks (named in ``missing``)."""


def summarize(
    fired: Sequence[Rule], refused: Outcome, ok: Outcome, deferred: Outcome | None, unknown: Sequence[Rule], *, consulted: int
) -> Mapping[str, Any]:
    """Outcome, reasons, fired ids, leniency, obligations, warnings, what is undetermined and what is missing for
    want of any rule: a function of the fired and unknown rules and of whether any rule was consulted.

    Outcome: any ``refuse`` wins; else any *blocking* rule left unknown (a
    refuse, defer, focus-list or leniency rule whose facts are missing) gives
    ``undetermined`` — fail closed, never a plain allowance; else any
    ``defer`` gives *deferred* (or *refused*); else any ``focus_list`` gives
    ``focus_list_only``; else *ok*.  Unknown rules of other effects
    (obligations, warnings) are listed as ``unchecked``.

    *consulted* is how many of the question's rules were in force on the date asked (the trace's length).  None
    (an information question before 49号, a measure before any measure list, a record before any catalog rule)
    means no law the rule set models answered the question, so it is ``undetermined`` with
    :data:`NO_RULE_IN_FORCE` in ``missing`` — never a plain allowance no rule looked at.  The guard lives here
    because every question family summarises through this function (per case, per measure, and the columnar
    rescan), so none of them can forget it.

    Remembered per combination of rules (the entry holds the rules, so their
    identities are not reused while it lives).  The mapping is shared and
    read-only: pass its lists on to a result model, whose validation copies them.
    """
    key = (refused, ok, deferred, consulted > 0, *map(id, fired), None, *map(id, unknown))
    hit = _SUMMARIES.get(key)
    if hit is None:
        effects = {r.spec.effect for r in fired}
        blocking = [r for r in unknown if r.spec.effect in BLOCKING]
        if consulted <= 0:  # no rule in force on the date: fired and unknown are empty too
            outcome = Outcome.undetermined
        elif Effect.refuse in effects:
            outcome = refused
        elif blocking:
            outcome = Outcome.undetermined
        elif Effect.defer in effects:
            outcome = deferred or refused
        elif Effect.focus_list in effects:
            outcome = Outcome.focus_list_only
        else:
            outcome = ok
        applied = [r for r in fired if r.spec.effect is not Effect.warn]
        summary: dict[str, Any] = {
            "outcome": outcome,
            "reasons": sorted({r.spec.reason for r in applied}),
            "fired": [r.id for r in fired],
            "leniency": sorted({r.spec.reason for r in fired if r.spec.effect is Effect.lenient}),
            "obligations": sorted({r.spec.obligation for r in fired if r.spec.obligation}),
            "warnings": sorted({r.spec.reason for r in fired if r.spec.effect is Effect.warn}),
            "undetermined_by": [r.id for r in blocking] if outcome is Outcome.undetermined else [],
            "unchecked": [r.id for r in unknown if r.spec.effect not in BLOCKING or outcome is not Outcome.undetermined],
            "missing": [NO_RULE_IN_FORCE] if consulted <= 0 else [],
        }
        if len(_SUMMARIES) >= SUMMARY_LIMIT:
            _SUMMARIES.clear()
        hit = _SUMMARIES[key] = ((*fired, *unknown), MappingProxyType(summary))
    return hit[1]


def clear_cache() -> None:
    """Forget the shared summaries (see :meth:`credit_rules.Engine.clear_caches`)."""
    _SUMMARIES.clear()


__all__ = ["BLOCKING", "ENTRY_LIMIT", "NO_RULE_IN_FORCE", "SUMMARY_LIMIT", "RuleTemplate", "TracePlan", "clear_cache", "summarize", "values_of"]
