"""The condition language rules are written in.

Deliberately small: ``all``, ``any``, ``not``, and one comparison per leaf,
``{fact: NAME, OP: VALUE}`` with OP one of ``eq ne lt le gt ge in not_in
present``.  No expressions, no code, no fact-to-fact arithmetic: anything
that needs computing is a derived fact in Python.  Parsing checks every fact
name against the fact schema and every value against the fact's type, and
reports problems with the file and line they stand on.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..facts.schema import FactSpec, FactType, all_facts
from ..yamlsource import Located, dotted

COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "present")
_ORDERED = ("lt", "le", "gt", "ge")

Facts = Mapping[str, object]


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
    def __init__(self, src: Located) -> None:
        self.src = src
        self.problems: list[Problem] = []

    def fail(self, path: tuple[str | int, ...], expected: str, got: object = None) -> None:
        self.problems.append(self.src.problem(path, expected, None if got is None else repr(got)))

    def parse(self, raw: Any, path: tuple[str | int, ...]) -> Condition | None:
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
        facts = all_facts()
        spec = facts.get(name) if isinstance(name, str) else None
        if spec is None:
            close = difflib.get_close_matches(str(name), facts, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.fail((*path, "fact"), f"a fact from the fact schema{hint}", name)
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


def parse_condition(raw: Any, src: Located, path: tuple[str | int, ...]) -> tuple[Condition | None, list[Problem]]:
    parser = _Parser(src)
    cond = parser.parse(raw, path)
    return cond, parser.problems


# ----------------------------------------------------------------- compiling

Predicate = Callable[[Facts], bool]

def _leaf_predicate(c: Compare) -> Predicate:
    """One closure per operator, so evaluating a leaf is a dict lookup and one comparison."""
    name, v = c.fact, c.value
    if c.op == "present":
        return (lambda f: f.get(name) is not None) if v else (lambda f: f.get(name) is None)
    if c.op == "eq":
        return lambda f: (x := f.get(name)) is not None and x == v
    if c.op == "ne":
        return lambda f: (x := f.get(name)) is not None and x != v
    if c.op in ("in", "not_in"):
        s = frozenset(v)
        if c.op == "in":
            return lambda f: (x := f.get(name)) is not None and x in s
        return lambda f: (x := f.get(name)) is not None and x not in s
    if c.op == "lt":
        return lambda f: (x := f.get(name)) is not None and x < v
    if c.op == "le":
        return lambda f: (x := f.get(name)) is not None and x <= v
    if c.op == "gt":
        return lambda f: (x := f.get(name)) is not None and x > v
    if c.op == "ge":
        return lambda f: (x := f.get(name)) is not None and x >= v
    raise AssertionError(f"unknown operator {c.op}")


def compile_condition(cond: Condition) -> Predicate:
    """Compile a condition once into closures over plain Python comparisons.

    No source text is generated or evaluated: the closures are built from the
    validated condition tree.  An unknown (``None``) fact makes every
    comparison false; ``present`` tests for it.
    """
    if isinstance(cond, Compare):
        return _leaf_predicate(cond)
    if isinstance(cond, Not):
        inner = compile_condition(cond.item)
        return lambda f: not inner(f)
    parts = tuple(compile_condition(i) for i in cond.items)
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        p0, p1 = parts
        if isinstance(cond, All):
            return lambda f: bool(p0(f) and p1(f))
        return lambda f: bool(p0(f) or p1(f))
    if isinstance(cond, All):
        return lambda f: all(p(f) for p in parts)
    return lambda f: any(p(f) for p in parts)


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
    "compile_condition",
    "dotted",
    "facts_in",
    "parse_condition",
    "render",
]
