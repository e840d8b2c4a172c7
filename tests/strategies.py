"""Hypothesis strategies for rules and facts, shared by the backend and plan tests.

Random conditions over a few facts of each type (bool, int, enum, str), rule
lists made from them through the real compiler, and fact mappings in which a
fact is absent, unknown (None) or a value of its type.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from credit_rules.facts.schema import FACTS
from credit_rules.ruleset import All, AnyOf, Compare, Condition, Not, Rule, RuleSpec, compile_condition, facts_in

BOOL_FACTS = ["document.present", "act.repeated"]
INT_FACTS = ["standard.consultation_days", "supervision.unkept_commitments"]
ENUM_FACTS = ["act.gravity", "act.intent"]
STR_FACTS = ["jurisdiction.code"]
STRINGS = ["450400", "", "5", "0", 'a"b', "back\\slash", "中文", "true"]
INTS = st.one_of(st.integers(-3, 20), st.sampled_from([-(2**63), 2**63 - 1]))


def _values(name: str) -> st.SearchStrategy[Any]:
    if name in BOOL_FACTS:
        return st.booleans()
    if name in INT_FACTS:
        return INTS
    if name in ENUM_FACTS:
        return st.sampled_from(FACTS[name].values)
    return st.sampled_from(STRINGS)


@st.composite
def leaves(draw: st.DrawFn) -> Compare:
    name = draw(st.sampled_from(BOOL_FACTS + INT_FACTS + ENUM_FACTS + STR_FACTS))
    ops = ["eq", "ne", "in", "not_in", "present"] + (["lt", "le", "gt", "ge"] if name in INT_FACTS else [])
    op = draw(st.sampled_from(ops))
    if op == "present":
        return Compare(name, op, draw(st.booleans()))
    if op in ("in", "not_in"):
        return Compare(name, op, tuple(draw(st.lists(_values(name), min_size=1, max_size=3))))
    return Compare(name, op, draw(_values(name)))


conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: All(tuple(xs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
        inner.map(Not),
    ),
    max_leaves=8,
)


def make_rule(ident: str, when: Condition | None, require: Condition) -> Rule:
    spec = RuleSpec.model_validate({
        "id": ident, "question": "determination", "principle": "legality", "source": "49号(二)",
        "reason": "some_code", "effect": "refuse", "require": {}, "message": {"zh": "测试", "en": "test"},
    })
    reads = facts_in(when) if when is not None else []
    reads += [f for f in facts_in(require) if f not in reads]
    return Rule(
        spec=spec, jurisdiction="000000", when=when, require=require,
        when_fn=compile_condition(when) if when is not None else None,
        require_fn=compile_condition(require), reads=tuple(reads), file="<hypothesis>", line=None,
    )


rule_lists = st.lists(st.tuples(st.none() | conditions, conditions), min_size=1, max_size=4).map(
    lambda pairs: tuple(make_rule(f"H1.rule_{i}", w, r) for i, (w, r) in enumerate(pairs))
)


@st.composite
def fact_dicts(draw: st.DrawFn) -> dict[str, object]:
    names = BOOL_FACTS + INT_FACTS + ENUM_FACTS + STR_FACTS
    # a fact is absent, None (unknown) or a value of its type
    return {n: draw(st.none() | _values(n)) for n in names if draw(st.booleans())}
