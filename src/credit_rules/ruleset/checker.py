"""Type-checking expressions when rule files load: every name known, every operator fit for its operands.

The checker resolves bare words (a fact, a definition, or a value of the
enumeration it is compared with), checks each built-in's argument types, and
refuses what the law's arithmetic does not allow: comparing months with days,
adding two dates, ordering an unordered enumeration.  Errors carry the column
of the offending part, and a did-you-mean for misspelt names.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from ..model.act import Gravity, Intent
from ..model.case import ListKind
from ..model.evidence import DocumentKind
from ..model.legal import LegalForm, Level
from ..model.repair import PenaltyKind
from ..model.subject import SubjectKind
from .expr import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    NUMERIC,
    STR,
    Binary,
    Call,
    ExprError,
    If,
    ListLit,
    Lit,
    Name,
    Node,
    Type,
    Unary,
    Word,
    duration,
    enum,
    set_of,
)


def _values(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


VOCABULARIES: dict[str, Type] = {
    "legal_form": enum(_values(LegalForm)),
    "level": enum(("township", "county", "municipal", "provincial", "national"), ordered=True),
    "gravity": enum(("minor", "general", "serious", "especially_serious"), ordered=True),
    "intent": enum(_values(Intent)),
    "list_kind": enum(_values(ListKind)),
    "document_kind": enum(_values(DocumentKind)),
    "subject_kind": enum(_values(SubjectKind)),
    "penalty_kind": enum(_values(PenaltyKind)),
}
"""Named enumerations a definition or parameter may be typed with (``enum[level]``, ``set[legal_form]``).
Ordered ones list their values lowest first."""

assert set(VOCABULARIES["gravity"].values) == set(_values(Gravity))
assert set(VOCABULARIES["level"].values) == set(_values(Level))


def parse_type(text: str) -> Type:
    """A type as written in YAML: ``bool int decimal date str duration[months] enum[level] set[legal_form]``."""
    text = text.strip()
    simple = {"bool": BOOL, "int": INT, "decimal": DECIMAL, "date": DATE, "str": STR}
    if text in simple:
        return simple[text]
    for prefix in ("duration[", "enum[", "set["):
        if text.startswith(prefix) and text.endswith("]"):
            inner = text[len(prefix) : -1].strip()
            if prefix == "duration[":
                if inner not in ("days", "months", "years", "working_days"):
                    raise ValueError(f"a duration unit (days, months, years, working_days), not {inner!r}")
                return duration(inner)
            vocab = VOCABULARIES.get(inner)
            if vocab is None:
                close = difflib.get_close_matches(inner, VOCABULARIES, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"a known enumeration ({', '.join(sorted(VOCABULARIES))}){hint}, not {inner!r}")
            return vocab if prefix == "enum[" else set_of(vocab.values)
    raise ValueError(f"a type (bool, int, decimal, date, str, duration[unit], enum[name], set[name]), not {text!r}")


def type_of_enum_values(values: tuple[str, ...]) -> Type:
    """The type of a fact whose values are *values*: ordered if they are those of an ordered vocabulary."""
    for vocab in VOCABULARIES.values():
        if vocab.ordered and set(vocab.values) == set(values):
            return vocab
    return enum(values)


class Scope(Protocol):
    """What an expression may read: names (facts and definitions) and parameters."""

    def type_of(self, name: str) -> Type | None: ...

    def names(self) -> Iterable[str]: ...

    def param_type(self, name: str) -> Type | None: ...

    def param_names(self) -> Iterable[str]: ...


@dataclass(frozen=True)
class Signature:
    """A built-in: its argument kinds (None = any), whether it takes ``at:``, and a one-line description."""

    description: str
    takes_at: bool = False


BUILTINS: dict[str, Signature] = {
    "present": Signature("present(x): true when x is known (never unknown itself)"),
    "otherwise": Signature("otherwise(x, y): x when known, else y — the only way to write a default"),
    "min": Signature("min(a, b, ...): the earliest date / smallest number or duration"),
    "max": Signature("max(a, b, ...): the latest date / largest number or duration"),
    "years_between": Signature("years_between(a, b): completed years from date a to date b (age)"),
    "days_between": Signature("days_between(a, b): calendar days from a to b"),
    "working_days_between": Signature("working_days_between(a, b): working days after a up to b, on the shipped calendar"),
    "add_working_days": Signature("add_working_days(d, n): the n-th working day after d"),
    "period_end": Signature(
        "period_end(start, duration): last day of a period — start day excluded, month-end clamp, a last day on a rest day moves to the next working day (民法典 第二百零一条至第二百零三条)"
    ),
    "param": Signature("param(name, at: date): a dated parameter's value in force on the date (default: the question's date)", takes_at=True),
    "years": Signature("years(n): a duration of n years, from a whole number"),
    "months": Signature("months(n): a duration of n months, from a whole number"),
    "days": Signature("days(n): a duration of n days, from a whole number"),
    "intersects": Signature("intersects(a, b): the two sets or lists share a value"),
    "subset": Signature("subset(a, b): every value of a is in b (\"only a warning\": subset(kinds, [warning]))"),
    "legal_form": Signature("legal_form(basis, at: date): the legal form of a legal basis in the catalogs", takes_at=True),
    "basis_in_force": Signature("basis_in_force(basis, at: date): the legal basis is in force on the date", takes_at=True),
}


def _hint(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _same(a: Type, b: Type) -> bool:
    """Whether values of *a* and *b* may be compared for equality."""
    if a.kind in NUMERIC and b.kind in NUMERIC:
        return True
    if a.kind != b.kind:
        return False
    if a.kind == "duration":
        return a.unit is None or b.unit is None or a.unit == b.unit
    if a.kind == "enum":
        return bool(set(a.values) & set(b.values))
    return True


class Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def check(self, node: Node, expect: Type | None = None) -> tuple[Node, Type]:
        if isinstance(node, Lit):
            return node, node.type
        if isinstance(node, Word):
            return self._word(node, expect)
        if isinstance(node, Name):
            return node, node.type
        if isinstance(node, ListLit):
            return self._list(node, expect)
        if isinstance(node, Unary):
            item, t = self.check(node.item, BOOL if node.op == "not" else None)
            if node.op == "not" and t.kind != "bool":
                raise ExprError(node.col, f"'not' needs a true/false value, got {t}")
            if node.op == "neg" and t.kind not in NUMERIC:
                raise ExprError(node.col, f"'-' needs a number, got {t}")
            return Unary(node.col, node.op, item), t
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, If):
            cond, ct = self.check(node.cond, BOOL)
            if ct.kind != "bool":
                raise ExprError(node.cond.col, f"'if' needs a true/false condition, got {ct}")
            then, tt = self.check(node.then, expect)
            other, ot = self.check(node.other, tt)
            if not _same(tt, ot):
                raise ExprError(node.other.col, f"both branches of 'if' must have one type: {tt} and {ot}")
            return If(node.col, cond, then, other), tt
        if isinstance(node, Call):
            return self._call(node)
        raise ExprError(node.col, f"unexpected {type(node).__name__}")

    def _word(self, node: Word, expect: Type | None) -> tuple[Node, Type]:
        t = self.scope.type_of(node.name)
        if t is not None:
            return Name(node.col, node.name, t), t
        if expect is not None and expect.kind in ("enum", "set") and node.name in expect.values:
            value_type = Type("enum", expect.values, expect.ordered)
            return Lit(node.col, node.name, value_type), value_type
        candidates = [*self.scope.names(), *(expect.values if expect is not None and expect.kind in ("enum", "set") else ())]
        if expect is not None and expect.kind == "enum":
            what = f"a fact, a definition or one of {list(expect.values)}"
        else:
            what = "a fact or a definition"
        raise ExprError(node.col, f"unknown name {node.name!r}: expected {what}{_hint(node.name, candidates)}")

    def _list(self, node: ListLit, expect: Type | None) -> tuple[Node, Type]:
        item_expect = Type("enum", expect.values, expect.ordered) if expect is not None and expect.kind in ("enum", "set") else expect
        items: list[Node] = []
        types: list[Type] = []
        for item in node.items:
            checked, t = self.check(item, item_expect)
            items.append(checked)
            types.append(t)
        if not items:
            raise ExprError(node.col, "an empty list: write the values it may hold")
        first = types[0]
        for item, t in zip(items, types, strict=True):
            if not _same(first, t):
                raise ExprError(item.col, f"a list holds values of one type: {first} and {t}")
        if first.kind == "enum":
            return ListLit(node.col, tuple(items)), set_of(first.values)
        return ListLit(node.col, tuple(items)), Type("list", (first.kind,))

    def _binary(self, node: Binary) -> tuple[Node, Type]:
        op = node.op
        if op in ("and", "or"):
            left, lt = self.check(node.left, BOOL)
            right, rt = self.check(node.right, BOOL)
            for side, t in ((node.left, lt), (node.right, rt)):
                if t.kind != "bool":
                    raise ExprError(side.col, f"'{op}' joins true/false values, got {t}")
            return Binary(node.col, op, left, right), BOOL
        if op in ("in", "not_in"):
            left_first = not isinstance(node.left, Word) or self.scope.type_of(node.left.name) is not None
            if left_first:
                left, lt = self.check(node.left)
                right, rt = self.check(node.right, set_of(lt.values) if lt.kind == "enum" else None)
            else:
                right, rt = self.check(node.right)
                left, lt = self.check(node.left, rt)
            if rt.kind == "set":
                ok = lt.kind == "enum" and bool(set(lt.values) & set(rt.values)) or lt.kind == "str"
            elif rt.kind == "list":
                ok = lt.kind in rt.values or (lt.kind in NUMERIC and rt.values[0] in NUMERIC)
            else:
                ok = False
            if not ok:
                raise ExprError(node.col, f"'{op.replace('_', ' ')}' tests a value against a set or list of its kind, got {lt} in {rt}")
            return Binary(node.col, op, left, right), BOOL
        if op in ("==", "!=", "<", "<=", ">", ">="):
            left_known = not isinstance(node.left, Word) or self.scope.type_of(node.left.name) is not None
            right_word = isinstance(node.right, Word) and self.scope.type_of(node.right.name) is None
            if left_known or right_word:  # two bare words: the left one is the name (report it if misspelt)
                left, lt = self.check(node.left)
                right, rt = self.check(node.right, lt)
            else:
                right, rt = self.check(node.right)
                left, lt = self.check(node.left, rt)
            if not _same(lt, rt):
                extra = " (months and days are different units: a month is not 30 days)" if lt.kind == rt.kind == "duration" else ""
                raise ExprError(node.col, f"cannot compare {lt} with {rt}{extra}")
            order: tuple[str, ...] = ()
            if op in ("<", "<=", ">", ">="):
                orderable = lt.kind in (*NUMERIC, "date", "duration") or (lt.kind == "enum" and lt.ordered)
                if not orderable:
                    raise ExprError(node.col, f"'{op}' needs numbers, dates, durations or a ranked enumeration, got {lt}")
                if lt.kind == "enum":
                    order = lt.values
            return Binary(node.col, op, left, right, order), BOOL
        left, lt = self.check(node.left)
        right, rt = self.check(node.right)
        if op in ("+", "-"):
            if lt.kind == "date" and rt.kind == "duration":
                return Binary(node.col, op, left, right), DATE
            if lt.kind == "duration" and rt.kind == "duration" and _same(lt, rt):
                return Binary(node.col, op, left, right), lt
            if lt.kind in NUMERIC and rt.kind in NUMERIC:
                return Binary(node.col, op, left, right), INT if lt.kind == rt.kind == "int" else DECIMAL
            if lt.kind == "date" and rt.kind == "date":
                raise ExprError(node.col, "dates are not subtracted: use days_between(a, b) or years_between(a, b)")
            raise ExprError(node.col, f"'{op}' needs numbers, or a date and a duration; got {lt} and {rt}")
        if lt.kind in NUMERIC and rt.kind in NUMERIC:
            return Binary(node.col, op, left, right), DECIMAL if op == "/" or DECIMAL in (lt, rt) else INT
        raise ExprError(node.col, f"'{op}' needs numbers, got {lt} and {rt}")

    def _call(self, node: Call) -> tuple[Node, Type]:
        sig = BUILTINS.get(node.fn)
        if sig is None:
            raise ExprError(node.col, f"unknown function {node.fn!r}{_hint(node.fn, BUILTINS)}; the built-ins are {', '.join(sorted(BUILTINS))}")
        if node.at is not None and not sig.takes_at:
            raise ExprError(node.at.col, f"{node.fn}() takes no 'at:'")
        at: Node | None = None
        if node.at is not None:
            at, at_t = self.check(node.at)
            if at_t.kind != "date":
                raise ExprError(node.at.col, f"'at:' takes a date, got {at_t}")
        if node.fn == "param":
            return self._param(node, at)
        args: list[Node] = []
        types: list[Type] = []
        for a in node.args:
            # later arguments of otherwise/min/max/intersects take the first one's type (so enum words resolve)
            hint = types[0] if types and node.fn in ("otherwise", "min", "max", "intersects", "subset") else None
            if hint is not None and hint.kind == "set" and node.fn in ("intersects", "subset"):
                hint = Type("set", hint.values)
            checked, t = self.check(a, hint)
            args.append(checked)
            types.append(t)
        result = self._signature(node, types)
        return Call(node.col, node.fn, tuple(args), at), result

    def _param(self, node: Call, at: Node | None) -> tuple[Node, Type]:
        if len(node.args) != 1 or not isinstance(node.args[0], (Word, Lit)):
            raise ExprError(node.col, "param(name) takes the name of one parameter")
        arg = node.args[0]
        name = arg.name if isinstance(arg, Word) else str(arg.value)
        t = self.scope.param_type(name)
        if t is None:
            raise ExprError(arg.col, f"unknown parameter {name!r}{_hint(name, self.scope.param_names())}")
        return Call(node.col, "param", (Lit(arg.col, name, STR),), at), t

    def _signature(self, node: Call, types: list[Type]) -> Type:
        fn, n = node.fn, len(types)

        def need(count: int) -> None:
            if n != count:
                raise ExprError(node.col, f"{fn}() takes {count} argument{'s' if count != 1 else ''}, got {n}")

        def kind(i: int, *kinds: str) -> None:
            if types[i].kind not in kinds:
                raise ExprError(node.args[i].col, f"{fn}() argument {i + 1} must be {' or '.join(kinds)}, got {types[i]}")

        if fn == "present":
            need(1)
            return BOOL
        if fn == "otherwise":
            need(2)
            if not _same(types[0], types[1]):
                raise ExprError(node.args[1].col, f"otherwise() needs a default of the same type: {types[0]} and {types[1]}")
            return types[0]
        if fn in ("min", "max"):
            if n < 2:
                raise ExprError(node.col, f"{fn}() takes two or more values")
            for i in range(n):
                kind(i, "int", "decimal", "date", "duration")
                if not _same(types[0], types[i]):
                    raise ExprError(node.args[i].col, f"{fn}() compares values of one type: {types[0]} and {types[i]}")
            return types[0]
        if fn in ("years_between", "days_between", "working_days_between"):
            need(2)
            kind(0, "date")
            kind(1, "date")
            return INT
        if fn == "add_working_days":
            need(2)
            kind(0, "date")
            kind(1, "int")
            return DATE
        if fn == "period_end":
            need(2)
            kind(0, "date")
            kind(1, "duration")
            return DATE
        if fn in ("years", "months", "days"):
            need(1)
            kind(0, "int")
            return duration(fn)
        if fn in ("intersects", "subset"):
            need(2)
            kind(0, "set", "list")
            kind(1, "set", "list")
            return BOOL
        if fn == "legal_form":
            need(1)
            kind(0, "str")
            return VOCABULARIES["legal_form"]
        if fn == "basis_in_force":
            need(1)
            kind(0, "str")
            return BOOL
        raise ExprError(node.col, f"no signature for {fn}()")


def check(node: Node, scope: Scope, expect: Type | None = None) -> tuple[Node, Type]:
    """The typed expression and its type; :class:`ExprError` at the offending column."""
    return Checker(scope).check(node, expect)


__all__ = ["BUILTINS", "VOCABULARIES", "Checker", "Scope", "Signature", "check", "parse_type", "type_of_enum_values"]
