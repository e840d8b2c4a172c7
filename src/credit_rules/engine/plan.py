"""Evaluation plans: a rule list compiled into two memo tables.

Why: every rule is a tree of comparisons (leaves) over facts, and a rule's
status depends only on which of its leaves hold.  Most facts take few
values (booleans, enumerations, small counts), and a rule list has few
leaves, so the same leaf outcomes come back case after case.  The default
backend therefore evaluates a rule list in two looked-up steps, like the
alpha and beta memories of a Rete network:

1. **facts → leaf outcomes.**  Each fact the rules read has a table from the
   fact's value to the bits of the leaves on that fact that hold for it (and,
   in a second bank of bits, those that are unknown for it: a leaf on an
   unknown fact is unknown, three-valued logic).  Every leaf is on exactly one
   fact, so the bits of different facts never overlap, and the case's leaf
   outcomes are the *sum* of its facts' bits.
2. **leaf outcomes → statuses.**  A second table maps those bits to the status
   of every rule (``not_applicable`` when its ``when`` does not hold,
   ``passed`` or ``failed`` by its ``require``).

Per case that is one ``itemgetter`` over the facts, one ``dict`` lookup per
fact and one for the statuses, all from C.  A table entry is made the first
time a value (or a combination of outcomes) is met, from the same compiled
leaf closures that :func:`rule_status` uses, so decisions never depend on
whether something was seen before.  Each table is cleared when it reaches
:data:`MEMO_LIMIT` (:data:`OUTCOMES_LIMIT`) entries, so memory stays bounded over any batch (amounts
in yuan, say, rarely repeat).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from ..model.decision import RuleStatus
from ..ruleset.language import All, AnyOf, Compare, Condition, Not, Predicate, compile_condition, leaves
from ..ruleset.model import Rule

MEMO_LIMIT = 4096
"""Values per fact table before it is cleared."""

OUTCOMES_LIMIT = 65536
"""Leaf-outcome combinations in the statuses table before it is cleared (a rule
list with many independent leaves meets a few thousand; each entry is an int
key and a shared status tuple)."""

_table_get: Any = dict.get  # (table, value) -> leaf bits, or None for a value not yet seen
_NA, _OK, _BAD, _UNK = RuleStatus.not_applicable, RuleStatus.passed, RuleStatus.failed, RuleStatus.unknown


def status_of(when: bool | None, require: bool | None) -> RuleStatus:
    """A rule's status from its conditions' truths: not applicable, unknown, passed or failed.

    A ``when`` that is unknown makes the rule unknown (it might apply); a
    ``require`` that is unknown too.  The engine never reads unknown as pass.
    """
    if when is False:
        return _NA
    if when is None or require is None:
        return _UNK
    return _OK if require else _BAD


def rule_status(rule: Rule, facts: Mapping[str, object]) -> RuleStatus:
    """One rule's status from its compiled closures: the plain evaluation plans are checked against."""
    when = rule.when_fn
    w = True if when is None else when(facts)
    if w is False:
        return _NA
    return status_of(w, rule.require_fn(facts))


def holds(cond: Condition, outcomes: int, bit: Mapping[Compare, int], unknown_shift: int = 0) -> bool | None:
    """Whether *cond* holds (True, False or None for unknown) when exactly the leaves whose bits are set
    in *outcomes* hold, and those whose bits shifted by *unknown_shift* are set are unknown."""
    if isinstance(cond, Compare):
        b = bit[cond]
        if outcomes & b:
            return True
        if unknown_shift and outcomes & (b << unknown_shift):
            return None
        return False
    if isinstance(cond, Not):
        x = holds(cond.item, outcomes, bit, unknown_shift)
        return None if x is None else not x
    parts = [holds(i, outcomes, bit, unknown_shift) for i in cond.items]
    if isinstance(cond, All):
        return False if False in parts else None if None in parts else True
    assert isinstance(cond, AnyOf)
    return True if True in parts else None if None in parts else False


class Plan:
    """A rule list compiled for the default backend.

    ``statuses(facts)`` gives each rule's status, in the order of the rule
    list the plan was made from, as a shared tuple (never mutate it).
    """

    __slots__ = ("rules", "facts", "_bit", "_shift", "_tests", "_values", "_fact_tables", "_outcomes", "_interned", "_blank")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        bit: dict[Compare, int] = {}
        for rule in self.rules:
            for leaf in (*leaves(rule.when), *leaves(rule.require)):
                bit.setdefault(leaf, 1 << len(bit))
        self._bit = bit
        self._shift = max(len(bit), 1)  # unknown bits sit above the truth bits
        self.facts: tuple[str, ...] = tuple(dict.fromkeys(leaf.fact for leaf in bit))
        # per fact: (leaf closure, leaf bit) for every leaf on that fact
        self._tests: tuple[tuple[tuple[Predicate, int], ...], ...] = tuple(
            tuple((compile_condition(leaf), b) for leaf, b in bit.items() if leaf.fact == name) for name in self.facts
        )
        if not self.facts:  # no rules
            self._values: Any = lambda facts: ()
        elif len(self.facts) == 1:
            only = self.facts[0]
            self._values = lambda facts: (facts[only],)
        else:
            self._values = itemgetter(*self.facts)
        self._fact_tables: tuple[dict[object, int], ...] = tuple({} for _ in self.facts)
        self._outcomes: dict[int, tuple[RuleStatus, ...]] = {}
        self._interned: dict[tuple[RuleStatus, ...], tuple[RuleStatus, ...]] = {}
        self._blank = dict.fromkeys(self.facts)

    def statuses(self, facts: Mapping[str, object]) -> tuple[RuleStatus, ...]:
        try:
            values = self._values(facts)
        except KeyError:  # a fact missing from the mapping is unknown (None)
            values = self._values({**self._blank, **facts})
        try:
            # a value not yet in its table gives None, and sum() fails on it
            outcomes = sum(map(_table_get, self._fact_tables, values))
        except TypeError:
            try:
                outcomes = self._fill(values)
            except TypeError:  # an unhashable value: no table, just the closures
                return tuple([rule_status(r, facts) for r in self.rules])
        hit = self._outcomes.get(outcomes)
        if hit is None:
            hit = self._statuses_for(outcomes)
        return hit

    def _fill(self, values: Sequence[object]) -> int:
        """The leaf outcomes for *values*, adding every value not yet in its fact's table."""
        outcomes = 0
        for i, value in enumerate(values):
            table = self._fact_tables[i]
            got = table.get(value)
            if got is None:
                one = {self.facts[i]: value}
                got = 0
                for test, b in self._tests[i]:
                    truth = test(one)
                    got += b if truth else (b << self._shift) if truth is None else 0
                if len(table) >= MEMO_LIMIT:
                    table.clear()
                table[value] = got
            outcomes += got
        return outcomes

    def _statuses_for(self, outcomes: int) -> tuple[RuleStatus, ...]:
        bit, shift = self._bit, self._shift
        out = tuple(
            status_of(
                True if rule.when is None else holds(rule.when, outcomes, bit, shift),
                holds(rule.require, outcomes, bit, shift),
            )
            for rule in self.rules
        )
        out = self._interned.setdefault(out, out)  # many outcome combinations share one status tuple
        if len(self._outcomes) >= OUTCOMES_LIMIT:
            self._outcomes.clear()
            self._interned.clear()
        self._outcomes[outcomes] = out
        return out


__all__ = ["MEMO_LIMIT", "OUTCOMES_LIMIT", "Plan", "holds", "leaves", "rule_status", "status_of"]  # leaves: re-exported from ruleset.language
