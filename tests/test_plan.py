"""The default backend's memoised plans give exactly what the closures give.

A plan looks rule statuses up in two tables (fact value → leaf outcomes,
leaf outcomes → statuses) that fill as cases come.  Whatever order cases come
in, and whether a table was just cleared, each answer must equal the plain
evaluation of every rule's closures (:func:`rule_status`).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules import Engine
from credit_rules.engine import plan as plan_module
from credit_rules.engine.backend import PythonBackend
from credit_rules.engine.plan import Plan, rule_status
from credit_rules.model.case import Question
from credit_rules.model.decision import RuleStatus
from credit_rules.ruleset import Compare, Rule
from credit_rules.ruleset.language import parse_condition
from credit_rules.yamlsource import Located

from .strategies import fact_dicts, make_rule, rule_lists

P, F, NA, U = RuleStatus.passed, RuleStatus.failed, RuleStatus.not_applicable, RuleStatus.unknown


def plain(rules: tuple[Rule, ...], facts: dict[str, object]) -> list[RuleStatus]:
    return [rule_status(r, facts) for r in rules]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, facts=st.lists(fact_dicts(), min_size=1, max_size=8))
def test_plan_equals_closures_on_random_rules(rules: tuple[Rule, ...], facts: list[dict[str, object]]) -> None:
    plan = Plan(rules)
    for f in facts + facts:  # the second pass answers from the tables
        assert list(plan.statuses(f)) == plain(rules, f), f


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, facts=st.lists(fact_dicts(), min_size=2, max_size=8))
def test_tables_cleared_when_full_change_nothing(rules: tuple[Rule, ...], facts: list[dict[str, object]]) -> None:
    limits = (plan_module.MEMO_LIMIT, plan_module.OUTCOMES_LIMIT)
    plan_module.MEMO_LIMIT = plan_module.OUTCOMES_LIMIT = 1
    try:
        plan = Plan(rules)
        for f in facts + facts:
            assert list(plan.statuses(f)) == plain(rules, f), f
            assert all(len(t) <= 1 for t in plan._fact_tables)
            assert len(plan._outcomes) <= 1
    finally:
        plan_module.MEMO_LIMIT, plan_module.OUTCOMES_LIMIT = limits


def _rule(ident: str, when: dict[str, object] | None, require: dict[str, object]) -> Rule:
    src = Located({}, "<test>", {})
    w = parse_condition(when, src, ())[0] if when is not None else None
    r = parse_condition(require, src, ())[0]
    assert r is not None
    return make_rule(ident, w, r)


def test_missing_fact_is_unknown_and_shared_leaves_share_a_bit() -> None:
    rules = (
        _rule("T1.a", None, {"fact": "standard.consultation_days", "ge": 2}),
        _rule("T1.b", {"fact": "act.repeated", "eq": True}, {"fact": "standard.consultation_days", "ge": 2}),
        _rule("T1.c", None, {"not": {"fact": "standard.consultation_days", "present": True}}),
    )
    plan = Plan(rules)
    assert plan.facts == ("standard.consultation_days", "act.repeated")
    assert len(plan._bit) == 3  # 'ge 2' is one leaf for two rules
    # an unknown fact leaves a rule that needs it unknown (never passed or failed by accident)
    assert list(plan.statuses({})) == [U, U, P]
    assert list(plan.statuses({"standard.consultation_days": 3, "act.repeated": True})) == [P, P, F]
    assert list(plan.statuses({"standard.consultation_days": 1, "act.repeated": True})) == [F, F, F]
    assert list(plan.statuses({"standard.consultation_days": None, "act.repeated": False})) == [U, NA, P]


def test_unhashable_value_falls_back_to_the_closures() -> None:
    rules = (_rule("T1.a", None, {"fact": "jurisdiction.code", "eq": "450400"}),)
    plan = Plan(rules)
    assert list(plan.statuses({"jurisdiction.code": ["450400"]})) == plain(rules, {"jurisdiction.code": ["450400"]})
    assert list(plan.statuses({"jurisdiction.code": "450400"})) == [P]


def test_backend_keeps_a_plan_per_rule_list_and_lists_by_their_rules() -> None:
    a = _rule("T1.a", None, {"fact": "document.present", "eq": True})
    b = _rule("T1.b", None, {"fact": "act.repeated", "eq": False})
    backend = PythonBackend()
    facts = {"document.present": True, "act.repeated": True}
    assert backend.statuses((a, b), facts) == [P, F]
    assert backend.statuses((b, a), facts) == [F, P]  # another order is another plan
    rules = [a, b]
    assert backend.statuses(rules, facts) == [P, F]
    rules.reverse()  # a list changed in place under the same identity is not confused with its old self
    assert backend.statuses(rules, facts) == [F, P]
    assert backend.compiled((a, b))(facts) == (P, F)
    assert PythonBackend(memo=False).compiled((a, b))(facts) == [P, F]
    assert backend.statuses((), facts) == []


def test_shipped_rules_memoised_and_plain_agree_on_every_example() -> None:
    """The shipped rule set decided with and without plans: identical decisions, trace included."""
    from pathlib import Path

    import yaml

    from credit_rules.model.case import Case

    memo = Engine.load()
    bare = Engine(memo.catalogs, memo.ruleset, memo.calendar, PythonBackend(memo=False))
    examples = sorted((Path(__file__).resolve().parents[1] / "examples" / "cases").glob("*.yaml"))
    assert examples
    for path in examples:
        case = Case.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for _ in range(2):
            assert memo.decide(case).model_dump_json() == bare.decide(case).model_dump_json(), path.name
    assert Question.listing in memo.ruleset.by_question


def test_every_leaf_kind_round_trips() -> None:
    """Each operator, as a single-leaf rule, over values on both sides and unknown."""
    cases: list[tuple[dict[str, object], list[object]]] = [
        ({"fact": "standard.consultation_days", "eq": 2}, [1, 2, 3, None]),
        ({"fact": "standard.consultation_days", "ne": 2}, [1, 2, None]),
        ({"fact": "standard.consultation_days", "lt": 2}, [1, 2, None]),
        ({"fact": "standard.consultation_days", "le": 2}, [2, 3, None]),
        ({"fact": "standard.consultation_days", "gt": 2}, [2, 3, None]),
        ({"fact": "standard.consultation_days", "ge": 2}, [1, 2, None]),
        ({"fact": "standard.consultation_days", "in": [1, 3]}, [1, 2, None]),
        ({"fact": "standard.consultation_days", "not_in": [1, 3]}, [1, 2, None]),
        ({"fact": "standard.consultation_days", "present": True}, [1, None]),
        ({"fact": "standard.consultation_days", "present": False}, [1, None]),
    ]
    for require, values in cases:
        rule = _rule("T1.leaf", None, require)
        plan = Plan((rule,))
        for v in values:
            f = {"standard.consultation_days": v}
            assert list(plan.statuses(f)) == [rule_status(rule, f)], (require, v)
        assert isinstance(rule.require, Compare)
