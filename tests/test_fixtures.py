"""Every fixture under tests/fixtures decides as its author expects.

Also checks the rule set's own discipline: every rule has a fixture where it
passes and one where it fails, and deleting any single rule makes some
fixture fail.
"""

from __future__ import annotations

import dataclasses

import pytest

from credit_rules import Decision, Engine, RuleStatus, TraceEntry
from credit_rules.fixtures import Fixture, check, find_fixtures, load_fixtures
from credit_rules.model.case import CASE_QUESTIONS
from credit_rules.regression.runner import lifecycle_of
from credit_rules.ruleset import Rule

from .conftest import FIXTURES, all_fixtures

FIXTURE_PATHS = find_fixtures(FIXTURES)


def case_rules(engine: Engine) -> list[Rule]:
    """Rules answered from case fixtures; information/query rules have their own suites."""
    return [r for r in engine.ruleset.rules if r.spec.question in CASE_QUESTIONS]


def test_there_are_good_and_bad_fixtures() -> None:
    parts = {p.parent.name for p in FIXTURE_PATHS}
    assert {"good", "bad"} <= parts
    assert len(FIXTURE_PATHS) >= 40


@pytest.mark.parametrize("path", FIXTURE_PATHS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(engine: Engine, path) -> None:  # type: ignore[no-untyped-def]
    # a suite file (``cases:``) holds several cases; each must decide as expected
    problems = []
    for fixture in load_fixtures(path):
        decision = engine.decide(fixture.case, fixture.as_of)
        problems += [f"{fixture.name}: {p}" for p in check(fixture, decision, lifecycle_of(engine, fixture))]
    assert not problems, "\n".join(problems)


def _statuses(engine: Engine, fixtures: list[Fixture]) -> dict[str, set[RuleStatus]]:
    seen: dict[str, set[RuleStatus]] = {}
    for fx in fixtures:
        d = engine.decide(fx.case, fx.as_of)
        for t in traces(d):
            seen.setdefault(t.rule, set()).add(t.status)
    return seen


def traces(d: Decision) -> list[TraceEntry]:
    """Every trace entry of a decision: per question, per measure, and of the repair answer."""
    out: list[TraceEntry] = []
    for result in (d.determination, d.listing, d.supervision):
        out += result.trace if result else []
    if d.measures is not None:
        for m in [*d.measures.applied, *d.measures.refused]:
            out += m.trace
    if d.repair is not None:
        out += d.repair.trace
    return out


def test_every_rule_passes_and_fails_somewhere(engine: Engine) -> None:
    seen = _statuses(engine, all_fixtures())
    missing = []
    for rule in case_rules(engine):
        statuses = seen.get(rule.id, set())
        for wanted in (RuleStatus.passed, RuleStatus.failed):
            if wanted not in statuses:
                missing.append(f"{rule.id} ({rule.spec.source}) is never {wanted.value}")
    assert not missing, "\n".join(missing)


def test_deleting_any_rule_breaks_a_fixture(engine: Engine) -> None:
    fixtures = all_fixtures()
    survivors = []
    for rule in case_rules(engine):
        rules = tuple(r for r in engine.ruleset.rules if r is not rule)
        by_q = {q: tuple(r for r in rs if r is not rule) for q, rs in engine.ruleset.by_question.items()}
        reduced = Engine(engine.catalogs, dataclasses.replace(engine.ruleset, rules=rules, by_question=by_q), engine.calendar)
        if all(not check(fx, reduced.decide(fx.case, fx.as_of), lifecycle_of(reduced, fx)) for fx in fixtures):
            survivors.append(rule.id)
    assert not survivors, f"deleting these rules breaks no fixture: {survivors}"
