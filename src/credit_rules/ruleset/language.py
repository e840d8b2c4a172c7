"""The condition language of rules' ``when`` and ``require``.

A condition is ``all``, ``any``, ``not`` over leaves that each compare one
name — a fact or a definition — with values.  It is written either as YAML,
``{fact: NAME, OP: VALUE}`` with OP one of ``eq ne lt le gt ge in not_in
present``, or as an expression string in the rule language
(``"standard.consultation_days >= 30 and binding_under_49"``), which must stay
within that fragment: anything that computes (dates, arithmetic, comparing two
facts) is a *definition* (:mod:`.definitions`), traced with its citation.  The
fragment is what both backends and the memoised plans evaluate.

Unknown is not false: a leaf on an unknown (``None``) name is unknown, and
``all``/``any``/``not`` follow Kleene's three-valued logic, so a rule whose
condition cannot be decided says so (status ``unknown``) instead of passing
or failing by accident.  ``present`` is never unknown.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..facts.schema import FactSpec, FactType, all_facts
from ..yamlsource import Located, dotted
from .expr import Binary, Call, ExprError, ListLit, Lit, Name, Node, Type, Unary, parse

COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "present")
_ORDERED = ("lt", "le", "gt", "ge")

Facts = Mapping[str, object]
Truth = bool | None
"""A three-valued truth: True, False or None (unknown)."""


@dataclass(frozen=True)
class Compare:
    fact: str
    op: str
    value: Any


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Compare | All | AnyOf | Not


def leaves(cond: Condition | None) -> Iterator[Compare]:
    """The comparisons of a condition, left to right."""
    if cond is None:
        return
    if isinstance(cond, Compare):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for item in cond.items:
            yield from leaves(item)


def facts_in(cond: Condition) -> list[str]:
    """Fact names a condition reads, in order of first use."""
    if isinstance(cond, Compare):
        return [cond.fact]
    if isinstance(cond, Not):
        return facts_in(cond.item)
    out: list[str] = []
    for item in cond.items:
        out += [f for f in facts_in(item) if f not in out]
    return out


class _Parser:
    def __init__(self, src: Located, names: Mapping[str, FactSpec] | None = None) -> None:
        self.src = src
        self.names: Mapping[str, FactSpec] = names if names is not None else all_facts()
        self.problems: list[Problem] = []

    def fail(self, path: tuple[str | int, ...], expected: str, got: object = None) -> None:
        self.problems.append(self.src.problem(path, expected, None if got is None else repr(got)))

    def parse(self, raw: Any, path: tuple[str | int, ...]) -> Condition | None:
        if isinstance(raw, str):
            return self._expression(raw, path)
        if not isinstance(raw, dict):
            self.fail(path, "a condition mapping (all/any/not or fact+operator)", raw)
            return None
        if "fact" in raw:
            return self._leaf(raw, path)
        keys = set(raw)
        if len(keys) != 1 or not keys <= {"all", "any", "not"}:
            self.fail(path, "exactly one of: all, any, not, or a 'fact' comparison", sorted(keys))
            return None
        key = next(iter(keys))
        if key == "not":
            inner = self.parse(raw["not"], (*path, "not"))
            return None if inner is None else Not(inner)
        items = raw[key]
        if not isinstance(items, list) or not items:
            self.fail((*path, key), "a non-empty list of conditions", items)
            return None
        parsed = [self.parse(item, (*path, key, i)) for i, item in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        group = tuple(p for p in parsed if p is not None)
        return All(group) if key == "all" else AnyOf(group)

    def _leaf(self, raw: dict[str, Any], path: tuple[str | int, ...]) -> Compare | None:
        name = raw["fact"]
        facts = self.names
        spec = facts.get(name) if isinstance(name, str) else None
        if spec is None:
            close = difflib.get_close_matches(str(name), facts, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.fail((*path, "fact"), f"a fact from the fact schema or a definition{hint}", name)
            return None
        if spec.type in (FactType.date, FactType.decimal, FactType.set):
            self.fail((*path, "fact"), f"a bool, int, enum or str name: compare the {spec.type} '{name}' in a definition", name)
            return None
        ops = [k for k in raw if k != "fact"]
        if len(ops) != 1 or ops[0] not in COMPARISONS:
            self.fail(path, f"exactly one operator of {', '.join(COMPARISONS)}", ops)
            return None
        op = ops[0]
        value = raw[op]
        if not self._value_ok(spec, op, value, (*path, op)):
            return None
        if op in ("in", "not_in"):
            value = tuple(value)
        return Compare(name, op, value)

    def _expression(self, text: str, path: tuple[str | int, ...]) -> Condition | None:
        """An expression string, checked and brought into the condition fragment."""
        from .checker import check

        try:
            node, t = check(parse(text), _FactScope(self.names))
            if t.kind != "bool":
                raise ExprError(0, f"a condition is true or false, this expression is {t}")
            return _to_condition(node)
        except ExprError as exc:
            self.fail(path, f"a condition (at column {exc.column + 1} of {text!r}: {exc.message})")
            return None

    def _value_ok(self, spec: FactSpec, op: str, value: Any, path: tuple[str | int, ...]) -> bool:
        if op == "present":
            if not isinstance(value, bool):
                self.fail(path, "true or false", value)
                return False
            return True
        if op in _ORDERED and spec.type is not FactType.int:
            self.fail(path, f"an operator fit for a {spec.type} fact (lt/le/gt/ge need an int fact)", op)
            return False
        values = value if op in ("in", "not_in") else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.fail(path, "a non-empty list", value)
            return False
        for v in values:
            if not _type_ok(spec, v):
                allowed = f" one of {list(spec.values)}" if spec.values else ""
                self.fail(path, f"a {spec.type} value for fact '{spec.name}'{allowed}", v)
                return False
        return True


def _type_ok(spec: FactSpec, v: Any) -> bool:
    if spec.type is FactType.bool:
        return isinstance(v, bool)
    if spec.type is FactType.int:
        return isinstance(v, int) and not isinstance(v, bool)
    if spec.type is FactType.enum:
        return isinstance(v, str) and v in spec.values
    return isinstance(v, str)


def parse_condition(
    raw: Any, src: Located, path: tuple[str | int, ...], names: Mapping[str, FactSpec] | None = None
) -> tuple[Condition | None, list[Problem]]:
    """Parse a YAML or expression-string condition; *names* are the facts and definitions in scope."""
    parser = _Parser(src, names)
    cond = parser.parse(raw, path)
    return cond, parser.problems


# ----------------------------------------------------------------- compiling

Predicate = Callable[[Facts], Truth]


def _leaf_predicate(c: Compare) -> Predicate:
    """One closure per operator: a dict lookup and one comparison; unknown (None) on an unknown fact."""
    name, v = c.fact, c.value
    if c.op == "present":
        return (lambda f: f.get(name) is not None) if v else (lambda f: f.get(name) is None)
    if c.op == "eq":
        return lambda f: None if (x := f.get(name)) is None else x == v
    if c.op == "ne":
        return lambda f: None if (x := f.get(name)) is None else x != v
    if c.op in ("in", "not_in"):
        s = frozenset(v)
        if c.op == "in":
            return lambda f: None if (x := f.get(name)) is None else x in s
        return lambda f: None if (x := f.get(name)) is None else x not in s
    if c.op == "lt":
        return lambda f: None if (x := f.get(name)) is None else x < v
    if c.op == "le":
        return lambda f: None if (x := f.get(name)) is None else x <= v
    if c.op == "gt":
        return lambda f: None if (x := f.get(name)) is None else x > v
    if c.op == "ge":
        return lambda f: None if (x := f.get(name)) is None else x >= v
    raise AssertionError(f"unknown operator {c.op}")


def _all(parts: tuple[Predicate, ...]) -> Predicate:
    def f(facts: Facts) -> Truth:
        unknown = False
        for p in parts:
            x = p(facts)
            if x is False:
                return False
            unknown = unknown or x is None
        return None if unknown else True

    return f


def _any(parts: tuple[Predicate, ...]) -> Predicate:
    def f(facts: Facts) -> Truth:
        unknown = False
        for p in parts:
            x = p(facts)
            if x is True:
                return True
            unknown = unknown or x is None
        return None if unknown else False

    return f


def compile_condition(cond: Condition) -> Predicate:
    """Compile a condition once into closures giving True, False or None (unknown).

    No source text is generated or evaluated: the closures are built from the
    validated condition tree.  Kleene logic: ``all`` is false if any part is
    false, else unknown if any part is unknown; ``any`` dually; ``not`` of
    unknown is unknown.
    """
    if isinstance(cond, Compare):
        return _leaf_predicate(cond)
    if isinstance(cond, Not):
        inner = compile_condition(cond.item)
        return lambda f: None if (x := inner(f)) is None else not x
    parts = tuple(compile_condition(i) for i in cond.items)
    if len(parts) == 1:
        return parts[0]
    return _all(parts) if isinstance(cond, All) else _any(parts)


# ------------------------------------------------------- expression strings

_OPS = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge", "in": "in", "not_in": "not_in"}
_FRAGMENT = (
    "a rule condition compares one fact or definition with values (and/or/not, ==, !=, <, <=, >, >=, in, present()); "
    "anything that computes belongs in a definition"
)


class _FactScope:
    """Facts and definitions as the expression checker sees them (no parameters: those are read in definitions)."""

    def __init__(self, names: Mapping[str, FactSpec]) -> None:
        self._names = names

    def type_of(self, name: str) -> Type | None:
        spec = self._names.get(name)
        return None if spec is None else fact_type(spec)

    def names(self) -> list[str]:
        return list(self._names)

    def param_type(self, name: str) -> Type | None:
        return None

    def param_names(self) -> list[str]:
        return []


@functools.lru_cache(maxsize=1024)
def fact_type(spec: FactSpec) -> Type:
    """The rule language's type of a fact (or definition) declared in the fact schema.

    Remembered per declaration (a frozen value; the type is one too): loading the rules asks it some 700 times for
    about 70 facts, and an enumeration's type is found by comparing its values with every vocabulary.
    """
    from .checker import type_of_enum_values
    from .expr import BOOL, DATE, DECIMAL, INT, STR

    if spec.type is FactType.enum:
        return type_of_enum_values(spec.values)
    if spec.type is FactType.set:
        from .expr import set_of

        return set_of(spec.values)
    return {FactType.bool: BOOL, FactType.int: INT, FactType.str: STR, FactType.date: DATE, FactType.decimal: DECIMAL}[spec.type]


def _to_condition(node: Node) -> Condition:
    if isinstance(node, Binary) and node.op in ("and", "or"):
        parts: list[Condition] = []
        for side in (node.left, node.right):
            c = _to_condition(side)
            same = isinstance(c, All) if node.op == "and" else isinstance(c, AnyOf)
            parts += list(c.items) if same and isinstance(c, (All, AnyOf)) else [c]
        return All(tuple(parts)) if node.op == "and" else AnyOf(tuple(parts))
    if isinstance(node, Unary) and node.op == "not":
        return Not(_to_condition(node.item))
    if isinstance(node, Name):
        if node.type.kind != "bool":
            raise ExprError(node.col, f"{node.name!r} is {node.type}, not true/false: compare it with a value")
        return Compare(node.name, "eq", True)
    if isinstance(node, Call) and node.fn == "present" and len(node.args) == 1 and isinstance(node.args[0], Name):
        if node.args[0].type.kind in ("set", "duration", "list"):
            raise ExprError(node.col, f"test the {node.args[0].type} {node.args[0].name!r} in a definition: {_FRAGMENT}")
        return Compare(node.args[0].name, "present", True)
    if isinstance(node, Binary) and node.op in _OPS and isinstance(node.left, Name):
        name, t = node.left.name, node.left.type
        if t.kind in ("date", "decimal", "duration") or (node.op in ("<", "<=", ">", ">=") and t.kind != "int"):
            raise ExprError(node.col, f"compare the {t} {name!r} in a definition: {_FRAGMENT}")
        if node.op in ("in", "not_in") and isinstance(node.right, ListLit) and all(isinstance(i, Lit) for i in node.right.items):
            return Compare(name, _OPS[node.op], tuple(i.value for i in node.right.items if isinstance(i, Lit)))
        right = node.right
        if isinstance(right, Unary) and right.op == "neg" and isinstance(right.item, Lit) and right.item.type.kind in ("int", "decimal"):
            right = Lit(right.col, -right.item.value, right.item.type)  # type: ignore[operator]
        if isinstance(right, Lit):
            return Compare(name, _OPS[node.op], right.value)
    raise ExprError(node.col, _FRAGMENT)


def render(cond: Condition) -> str:
    """A one-line human rendering, for docs and error messages."""
    if isinstance(cond, Compare):
        return f"{cond.fact} {cond.op} {cond.value!r}"
    if isinstance(cond, Not):
        return f"not ({render(cond.item)})"
    joiner = " and " if isinstance(cond, All) else " or "
    return "(" + joiner.join(render(i) for i in cond.items) + ")"


__all__ = [
    "COMPARISONS",
    "All",
    "AnyOf",
    "Compare",
    "Condition",
    "Facts",
    "Not",
    "Predicate",
    "Truth",
    "compile_condition",
    "dotted",
    "fact_type",
    "leaves",
    "facts_in",
    "parse_condition",
    "render",
]
