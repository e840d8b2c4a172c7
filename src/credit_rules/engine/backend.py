"""Evaluator backends: who evaluates the compiled conditions.

The engine derives facts and decides which rules apply (jurisdiction, date);
a backend only answers, for each applicable rule, whether its ``when``
condition holds and whether its ``require`` condition holds.  The default
backend calls the compiled closures; the durable_rules backend
(:mod:`credit_rules.engine.durable_backend`) evaluates the same conditions
independently, and the two must agree on every fixture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from ..model.decision import RuleStatus
from ..ruleset.model import Rule


class Backend(Protocol):
    name: str

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        """Status of each rule in *rules* (all of them apply by jurisdiction and date)."""
        ...


class PythonBackend:
    """Rules compiled once into closures; no per-case interpretation."""

    name = "python"

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        out: list[RuleStatus] = []
        append = out.append
        na, ok, bad = RuleStatus.not_applicable, RuleStatus.passed, RuleStatus.failed
        for rule in rules:
            when = rule.when_fn
            if when is not None and not when(facts):
                append(na)
            elif rule.require_fn(facts):
                append(ok)
            else:
                append(bad)
        return out
