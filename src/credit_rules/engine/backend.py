"""Evaluator backends: who evaluates the compiled conditions.

The engine derives facts and decides which rules apply (jurisdiction, date);
a backend only answers, for each applicable rule, whether its ``when``
condition holds and whether its ``require`` condition holds.  The default
backend calls the compiled closures; the durable_rules backend
(:mod:`credit_rules.engine.durable_backend`) evaluates the same conditions
independently, and the two must agree on every fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from ..model.decision import RuleStatus
from ..ruleset.language import Codegen, compiled_from
from ..ruleset.model import Rule

StatusProgram = Callable[[Mapping[str, object]], list[RuleStatus]]
"""Statuses of a fixed tuple of rules over one facts mapping, in one call."""

_PROGRAM_LIMIT = 256


class Backend(Protocol):
    name: str

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        """Status of each rule in *rules* (all of them apply by jurisdiction and date)."""
        ...


def compile_statuses(rules: Sequence[Rule]) -> StatusProgram | None:
    """One generated function giving the status of every rule in *rules*.

    Each rule contributes ``NA if not (when) else (PASSED if (require) else
    FAILED)``, the very expressions :func:`~credit_rules.ruleset.language.compile_condition`
    compiles the rule's own predicates from, so the result is the per-rule
    loop's without a Python call per rule.  ``None`` when a rule's predicates
    were not compiled from its conditions (a hand-built :class:`Rule`), or the
    rule tuple is too large for one expression: the caller then loops.
    """
    gen = Codegen()
    na = gen.bind("s", RuleStatus.not_applicable)
    ok = gen.bind("s", RuleStatus.passed)
    bad = gen.bind("s", RuleStatus.failed)
    items: list[str] = []
    for rule in rules:
        if compiled_from(rule.require_fn) is not rule.require:
            return None
        if rule.when is None:
            if rule.when_fn is not None:
                return None
            items.append(f"({ok} if {gen.expr(rule.require)} else {bad})")
        else:
            if compiled_from(rule.when_fn) is not rule.when:
                return None
            items.append(f"({na} if not {gen.expr(rule.when)} else ({ok} if {gen.expr(rule.require)} else {bad}))")
    try:
        fn = gen.function("statuses", "[" + ", ".join(items) + "]")
    except (SyntaxError, RecursionError, MemoryError):
        return None
    program: StatusProgram = fn  # type: ignore[assignment]
    return program


class PythonBackend:
    """Rules compiled once into closures; no per-case interpretation.

    A rule *tuple* passed a second time (the engine passes the same cached
    tuple for the same question, jurisdiction and period) is evaluated by one
    generated function for the whole tuple (:func:`compile_statuses`);
    anything else by calling each rule's compiled predicates in turn.  Both
    give the same statuses.
    """

    name = "python"

    def __init__(self) -> None:
        self._programs: dict[int, tuple[tuple[Rule, ...], StatusProgram | None, bool]] = {}

    def program(self, rules: tuple[Rule, ...]) -> StatusProgram:
        """A function giving ``statuses(rules, facts)`` for these rules, compiled now."""
        compiled = compile_statuses(rules)
        if compiled is not None:
            return compiled
        return lambda facts: self._loop(rules, facts)

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        if rules.__class__ is tuple:
            key = id(rules)
            hit = self._programs.get(key)
            if hit is not None and hit[0] is rules:
                if hit[1] is not None:
                    return hit[1](facts)
                if not hit[2]:  # second sighting of this tuple: compile it
                    assert isinstance(rules, tuple)
                    self._programs[key] = hit = (rules, compile_statuses(rules), True)
                    if hit[1] is not None:
                        return hit[1](facts)
            else:
                if len(self._programs) >= _PROGRAM_LIMIT:
                    self._programs.clear()
                assert isinstance(rules, tuple)
                self._programs[key] = (rules, None, False)
        return self._loop(rules, facts)

    @staticmethod
    def _loop(rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        out: list[RuleStatus] = []
        for rule in rules:
            if rule.when_fn is not None and not rule.when_fn(facts):
                out.append(RuleStatus.not_applicable)
            elif rule.require_fn(facts):
                out.append(RuleStatus.passed)
            else:
                out.append(RuleStatus.failed)
        return out
