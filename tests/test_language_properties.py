"""Properties of the rule language (issue 12), by hypothesis.

(a) One condition, three evaluators: the closures of ``compile_condition``,
    the memoised :class:`~credit_rules.engine.plan.Plan` and the durable
    backend give every rule the same status, unknown facts included; and a
    condition written as an expression string means what its YAML form means.
(b) ``compile_expr`` agrees with a small reference evaluator written here
    over the same checked AST (Kleene logic, unknown propagating).
(c) Monotonicity: learning an unknown fact never turns a definite True into
    False or back.  ``present()`` is left out on purpose: it asks whether a
    fact is known, so it is the one deliberately non-monotone test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.engine.plan import Plan, rule_status
from credit_rules.errors import Problem
from credit_rules.facts.schema import FACTS
from credit_rules.ruleset import All, AnyOf, Compare, Condition, Not, Rule, compile_condition
from credit_rules.ruleset.checker import check
from credit_rules.ruleset.evaluate import Env, compile_expr
from credit_rules.ruleset.expr import BOOL, INT, Binary, Call, If, ListLit, Lit, Name, Node, Type, Unary, parse
from credit_rules.ruleset.language import parse_condition
from credit_rules.yamlsource import Located

from .strategies import BOOL_FACTS, ENUM_FACTS, INT_FACTS, STR_FACTS, conditions, fact_dicts, rule_lists

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- (a) three evaluators agree


@SETTINGS
@given(rules=rule_lists, facts=st.lists(fact_dicts(), min_size=1, max_size=4))
def test_closures_and_plan_agree(rules: tuple[Rule, ...], facts: list[dict[str, object]]) -> None:
    plan = Plan(rules)
    for f in facts:
        assert list(plan.statuses(f)) == [rule_status(r, f) for r in rules]


_DURABLE: Any = None


@SETTINGS
@given(rules=rule_lists, facts=st.lists(fact_dicts(), min_size=1, max_size=3))
def test_durable_agrees_with_closures(rules: tuple[Rule, ...], facts: list[dict[str, object]]) -> None:
    pytest.importorskip("durable")
    from credit_rules.engine.durable_backend import DurableBackend

    global _DURABLE
    if _DURABLE is None:
        _DURABLE = DurableBackend(max_rulesets=4)
    for f in facts:
        assert _DURABLE.statuses(rules, f) == [rule_status(r, f) for r in rules]


def _literal(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    assert isinstance(v, str)
    return v if v in _ENUM_WORDS else f"'{v}'"


_ENUM_WORDS = {v for n in ENUM_FACTS for v in FACTS[n].values}
_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "in": "in", "not_in": "not in"}


def to_expression(c: Condition) -> str:
    """The same condition written as an expression string."""
    if isinstance(c, Compare):
        if c.op == "present":
            return f"present({c.fact})" if c.value else f"not present({c.fact})"
        if c.op in ("in", "not_in"):
            return f"{c.fact} {_OPS[c.op]} [{', '.join(_literal(v) for v in c.value)}]"
        return f"{c.fact} {_OPS[c.op]} {_literal(c.value)}"
    if isinstance(c, Not):
        return f"not ({to_expression(c.item)})"
    joiner = " and " if isinstance(c, All) else " or "
    return "(" + joiner.join(to_expression(i) for i in c.items) + ")"


def _writable(c: Condition) -> bool:
    """Expression literals have no negative numbers, no quote inside text, at most 18 digits."""
    if isinstance(c, Compare):
        values = c.value if isinstance(c.value, tuple) else (c.value,)
        return all(not (isinstance(v, int) and not isinstance(v, bool) and not 0 <= v < 10**18) and not (isinstance(v, str) and "'" in v) for v in values)
    if isinstance(c, Not):
        return _writable(c.item)
    return all(_writable(i) for i in c.items)


@SETTINGS
@given(cond=conditions.filter(_writable), facts=st.lists(fact_dicts(), min_size=1, max_size=5))
def test_expression_string_means_its_yaml_form(cond: Condition, facts: list[dict[str, object]]) -> None:
    text = to_expression(cond)
    parsed, problems = parse_condition(text, Located({"when": text}, "<prop>", {}), ("when",))
    assert not problems, (text, [p.render() for p in problems])
    assert parsed is not None
    want, got = compile_condition(cond), compile_condition(parsed)
    for f in facts:
        assert got(f) is want(f), (text, f)


def test_negative_number_in_an_expression_condition() -> None:
    parsed, problems = parse_condition("standard.consultation_days > -1", Located({}, "<t>", {}), ("when",))
    assert not problems and parsed == Compare("standard.consultation_days", "gt", -1)


# ---------------------------------------------------------------- (b) a reference evaluator

NAMES: dict[str, Type] = {"p": BOOL, "q": BOOL, "r": BOOL, "i": INT, "j": INT}


class _Scope:
    def type_of(self, name: str) -> Type | None:
        return NAMES.get(name)

    def names(self) -> Iterable[str]:
        return list(NAMES)

    def param_type(self, name: str) -> Type | None:
        return None

    def param_names(self) -> Iterable[str]:
        return []


ints = st.one_of(st.sampled_from(["i", "j"]), st.integers(0, 9).map(str))
int_exprs = st.recursive(
    ints,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"otherwise({x}, 0)"),
        st.tuples(inner, inner).map(lambda t: f"min({t[0]}, {t[1]})"),
    ),
    max_leaves=4,
)
bool_atoms = st.one_of(
    st.sampled_from(["p", "q", "r", "true", "false"]),
    st.tuples(int_exprs, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), int_exprs).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
    st.tuples(int_exprs, st.sampled_from(["in", "not in"]), st.lists(ints, min_size=1, max_size=3)).map(
        lambda t: f"{t[0]} {t[1]} [{', '.join(t[2])}]"
    ),
)
bool_exprs = st.recursive(
    bool_atoms,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda x: f"not ({x})"),
        st.tuples(inner, inner, inner).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"otherwise({t[0]}, {t[1]})"),
        st.sampled_from(["present(p)", "present(i)"]),
    ),
    max_leaves=8,
)
envs = st.fixed_dictionaries({
    "p": st.none() | st.booleans(), "q": st.none() | st.booleans(), "r": st.none() | st.booleans(),
    "i": st.none() | st.integers(-5, 5), "j": st.none() | st.integers(-5, 5),
})


def reference(n: Node, env: Mapping[str, object]) -> Any:
    """Kleene's strong three-valued logic, written out; None is unknown."""
    if isinstance(n, Lit):
        return n.value
    if isinstance(n, Name):
        return env.get(n.name)
    if isinstance(n, ListLit):
        return [reference(i, env) for i in n.items]
    if isinstance(n, Unary):
        v = reference(n.item, env)
        return None if v is None else (not v if n.op == "not" else -v)
    if isinstance(n, If):
        c = reference(n.cond, env)
        if c is None:
            return None
        return reference(n.then if c else n.other, env)
    if isinstance(n, Call):
        args = [reference(a, env) for a in n.args]
        if n.fn == "present":
            return args[0] is not None
        if n.fn == "otherwise":
            return args[1] if args[0] is None else args[0]
        if n.fn == "min":
            return None if None in args else min(args)
        raise AssertionError(n.fn)
    assert isinstance(n, Binary)
    x, y = reference(n.left, env), reference(n.right, env)
    if n.op == "and":
        return False if False in (x, y) else None if None in (x, y) else True
    if n.op == "or":
        return True if True in (x, y) else None if None in (x, y) else False
    if x is None or y is None:
        return None
    if n.op in ("in", "not_in"):
        if any(v is None for v in y):
            return None
        return (x in y) == (n.op == "in")
    return {
        "==": lambda: x == y, "!=": lambda: x != y, "<": lambda: x < y, "<=": lambda: x <= y, ">": lambda: x > y,
        ">=": lambda: x >= y, "+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y,
    }[n.op]()


@SETTINGS
@given(text=bool_exprs, values=envs)
def test_compiled_expression_equals_reference(text: str, values: dict[str, object]) -> None:
    node, t = check(parse(text), _Scope())
    assert t == BOOL
    got = compile_expr(node)(Env(values=values, on=date(2025, 1, 1)))
    assert got == reference(node, values) and type(got) is type(reference(node, values)), text


# ---------------------------------------------------------------- (c) monotonicity


def _no_present(c: Condition) -> bool:
    if isinstance(c, Compare):
        return c.op != "present"
    if isinstance(c, Not):
        return _no_present(c.item)
    return all(_no_present(i) for i in c.items)


@st.composite
def refinements(draw: st.DrawFn) -> tuple[dict[str, object], dict[str, object]]:
    """Facts with some unknowns, and the same facts with some of those unknowns learnt."""
    from .strategies import _values

    facts = draw(fact_dicts())
    names = BOOL_FACTS + INT_FACTS + ENUM_FACTS + STR_FACTS
    learnt = dict(facts)
    for n in names:
        if facts.get(n) is None and draw(st.booleans()):
            learnt[n] = draw(_values(n))
    return facts, learnt


@SETTINGS
@given(cond=conditions.filter(_no_present), pair=refinements())
def test_conditions_are_monotone(cond: Condition, pair: tuple[dict[str, object], dict[str, object]]) -> None:
    before, after = pair
    f = compile_condition(cond)
    was = f(before)
    if was is not None:
        assert f(after) is was


@SETTINGS
@given(text=bool_exprs.filter(lambda t: "present(" not in t and "otherwise(" not in t), values=envs, data=st.data())
def test_expressions_are_monotone(text: str, values: dict[str, object], data: st.DataObject) -> None:
    node, _ = check(parse(text), _Scope())
    f = compile_expr(node)
    was = f(Env(values=values, on=date(2025, 1, 1)))
    learnt = dict(values)
    for n, v in values.items():
        if v is None and data.draw(st.booleans()):
            learnt[n] = data.draw(st.booleans() if NAMES[n] == BOOL else st.integers(-5, 5))
    if was is not None:
        assert f(Env(values=learnt, on=date(2025, 1, 1))) == was, (text, values, learnt)


def test_problem_type_is_the_projects() -> None:
    # parse_condition's problems are the project's located Problems (rendered as file:line)
    _, problems = parse_condition("act.repeatd", Located({"when": "x"}, "<t>", {}), ("when",))
    assert problems and isinstance(problems[0], Problem) and "did you mean 'act.repeated'" in problems[0].render()
