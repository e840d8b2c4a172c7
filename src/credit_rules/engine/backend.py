"""Evaluator backends: who evaluates the compiled conditions.

The engine derives facts and decides which rules apply (jurisdiction, date);
a backend only answers, for each applicable rule, whether its ``when``
condition holds and whether its ``require`` condition holds.  The default
backend calls the compiled closures through a memoised plan
(:mod:`credit_rules.engine.plan`); the durable_rules backend
(:mod:`credit_rules.engine.durable_backend`) evaluates the same conditions
independently, and the two must agree on every fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from ..model.decision import RuleStatus
from ..ruleset.model import Rule
from .plan import Plan, rule_status

PLAN_LIMIT = 256
"""Rule lists with a plan before the plans are dropped and rebuilt as needed."""


class Backend(Protocol):
    name: str

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        """Status of each rule in *rules* (all of them apply by jurisdiction and date)."""
        ...


class PythonBackend:
    """Rules compiled once into closures, evaluated through memoised plans.

    A plan is made the first time a rule list is seen and kept for that list
    (a tuple by its identity; any list by the identities of its rules: the plan
    holds the rules, so those identities cannot be reused while it lives).  ``memo=False``
    calls every rule's closures on every case instead: the plain evaluation
    the plans are tested against.
    """

    name = "python"

    def __init__(self, *, memo: bool = True) -> None:
        self.memo = memo
        self._by_list: dict[int, tuple[Sequence[Rule], Plan]] = {}
        self._by_rules: dict[tuple[int, ...], Plan] = {}

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        if not self.memo:
            return [rule_status(rule, facts) for rule in rules]
        hit = self._by_list.get(id(rules))
        plan = hit[1] if hit is not None and hit[0] is rules else self._plan(rules)
        return list(plan.statuses(facts))

    def clear_caches(self) -> None:
        """Drop every plan (and so every table); they are rebuilt as rule lists come."""
        self._by_list.clear()
        self._by_rules.clear()

    def compiled(self, rules: Sequence[Rule]) -> Callable[[Mapping[str, object]], Sequence[RuleStatus]]:
        """``statuses`` for one fixed rule list, without looking its plan up on every call.

        For callers that decide many cases against the same rules (batch
        re-decisions, the benchmark): ``compiled(rules)(facts)`` equals
        ``statuses(rules, facts)``.
        """
        if not self.memo:
            return lambda facts: [rule_status(rule, facts) for rule in rules]
        return self._plan(tuple(rules)).statuses

    def _plan(self, rules: Sequence[Rule]) -> Plan:
        if len(self._by_rules) >= PLAN_LIMIT:
            self._by_list.clear()
            self._by_rules.clear()
        ids = tuple(map(id, rules))
        plan = self._by_rules.get(ids)
        if plan is None:
            plan = self._by_rules[ids] = Plan(rules)
        if isinstance(rules, tuple):  # a list could change under the same identity: looked up by its rules
            self._by_list[id(rules)] = (rules, plan)  # holding the tuple keeps its identity from being reused
        return plan
