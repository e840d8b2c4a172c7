"""The expression language of definitions and rule conditions: a closed grammar, typed, no eval.

Definitions (``definitions:`` in a rule file) compute legal concepts from facts,
other definitions and dated parameters; rule conditions (``when``/``require``)
may be written in the same syntax.  An expression is a string that this module
reads with its own tokenizer and recursive-descent parser into a small AST; the
AST is type-checked against the names in scope when the rule files load, and
:mod:`.evaluate` turns it into closures.  Nothing here runs Python source.

Grammar (lowest precedence first)::

    expr    := if_expr | or
    if_expr := 'if' expr 'then' expr 'else' expr
    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := sum (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') sum)?
    sum     := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary)*
    unary   := '-' unary | atom
    atom    := literal | word ('(' args ')')? | '(' expr ')' | '[' items ']'
    literal := true | false | 123 | 0.10 | 2021-12-31 | 60 days | 6 months | 2 years | 7 working_days | 'text'
    word    := a fact (``act.date``), a definition (``age_at_act``) or, beside an enumeration, one of its values
    args    := expr (',' expr)* (',' 'at' ':' expr)?

*Unknown is not false*: a fact the case does not give is unknown, and unknown
propagates (Kleene logic for ``and``/``or``/``not``; any comparison or
arithmetic on an unknown is unknown).  ``present(x)`` and ``otherwise(x, y)``
are the only ways to turn unknown into a value, so a drafter who wants a
default writes it down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

DURATION_UNITS = ("days", "months", "years", "working_days")
_UNIT_ALIASES = {"day": "days", "month": "months", "year": "years", "working_day": "working_days"}


class ExprError(ValueError):
    """A problem in an expression, at a 0-based column of its text."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Duration:
    """A legal period: an amount of one unit.  Units are not converted into each other
    (a month is not 30 days), so durations of different units cannot be compared."""

    amount: int
    unit: str

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"

    def zh(self) -> str:
        """The period in Chinese, for the Chinese half of a note (``3个月``, ``15个工作日``)."""
        return f"{self.amount}{_UNITS_ZH.get(self.unit, self.unit)}"


_UNITS_ZH = {"days": "日", "months": "个月", "years": "年", "working_days": "个工作日"}


# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    """A value type: ``bool int decimal date str enum set duration list``.

    ``enum`` and ``set`` carry the allowed values (``order`` when the values
    are ranked, lowest first, so ``>=`` is meaningful); ``duration`` its unit
    (None: any unit, for parameters read generically).
    """

    kind: str
    values: tuple[str, ...] = ()
    ordered: bool = False
    unit: str | None = None

    def __str__(self) -> str:
        if self.kind == "enum":
            return f"enum{list(self.values)}" if len(self.values) < 8 else "enum"
        if self.kind == "duration":
            return f"duration[{self.unit}]" if self.unit else "duration"
        return self.kind


BOOL, INT, DECIMAL, DATE, STR = Type("bool"), Type("int"), Type("decimal"), Type("date"), Type("str")
NUMERIC = ("int", "decimal")


def enum(values: tuple[str, ...], *, ordered: bool = False) -> Type:
    return Type("enum", tuple(values), ordered)


def set_of(values: tuple[str, ...]) -> Type:
    return Type("set", tuple(values))


def duration(unit: str | None) -> Type:
    return Type("duration", unit=unit)


# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Node:
    col: int = field(compare=False)


@dataclass(frozen=True)
class Lit(Node):
    value: object
    type: Type


@dataclass(frozen=True)
class Word(Node):
    """A bare word: a name in scope or, beside an enumeration, one of its values (resolved when checked)."""

    name: str


@dataclass(frozen=True)
class Name(Node):
    name: str
    type: Type


@dataclass(frozen=True)
class ListLit(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str  # not, neg
    item: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # and or == != < <= > >= in not_in + - * /
    left: Node
    right: Node
    order: tuple[str, ...] = ()  # set by the checker: the ranked values an ordering comparison compares by


@dataclass(frozen=True)
class If(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Call(Node):
    fn: str
    args: tuple[Node, ...]
    at: Node | None = None


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<date>\d{4}-\d{2}-\d{2}(?![\d-]))
  | (?P<duration>\d+\s+(?:working_days|working_day|days|day|months|month|years|year)\b)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<text>'[^']*')
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|:)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)
KEYWORDS = frozenset({"and", "or", "not", "in", "if", "then", "else", "true", "false", "at"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    col: int


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExprError(pos, f"unexpected character {text[pos]!r}")
        kind = m.lastgroup or ""
        if kind != "ws":
            word = m.group()
            if kind == "word" and word in KEYWORDS:
                kind = "kw"
            out.append(Token(kind, word, pos))
        pos = m.end()
    out.append(Token("end", "", len(text)))
    return out


# ---------------------------------------------------------------- parser

MAX_DEPTH = 64
"""Nesting limit of one expression: a legal definition never needs more, and a bound keeps the parser safe."""

MAX_OPERATORS = 256
"""Operators in one expression: a chain of ``and`` is as deep for the checker as nesting, so it is bounded too."""


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.operators = 0

    def count(self, col: int) -> None:
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise ExprError(col, f"more than {MAX_OPERATORS} operators in one expression: split it into definitions")

    def peek(self, *texts: str) -> bool:
        t = self.tokens[self.i]
        return t.kind in ("op", "kw") and t.text in texts

    def take(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def expect(self, text: str) -> Token:
        t = self.tokens[self.i]
        if t.text != text or t.kind not in ("op", "kw"):
            raise ExprError(t.col, f"expected '{text}', found {t.text!r}" if t.text else f"expected '{text}' at the end")
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.expr()
        t = self.tokens[self.i]
        if t.kind != "end":
            raise ExprError(t.col, f"unexpected {t.text!r} after a complete expression")
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(self.tokens[self.i].col, f"expression nested deeper than {MAX_DEPTH} levels")
        try:
            if self.peek("if"):
                col = self.take().col
                cond = self.expr()
                self.expect("then")
                then = self.expr()
                self.expect("else")
                return If(col, cond, then, self.expr())
            return self.or_()
        finally:
            self.depth -= 1

    def or_(self) -> Node:
        node = self.and_()
        while self.peek("or"):
            col = self.take().col
            self.count(col)
            node = Binary(col, "or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.peek("and"):
            col = self.take().col
            self.count(col)
            node = Binary(col, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        if self.peek("not"):
            col = self.take().col
            self.count(col)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError(col, f"expression nested deeper than {MAX_DEPTH} levels")
            try:
                return Unary(col, "not", self.not_())
            finally:
                self.depth -= 1
        return self.cmp()

    def cmp(self) -> Node:
        node = self.sum()
        if self.peek("==", "!=", "<", "<=", ">", ">=", "in"):
            t = self.take()
            return Binary(t.col, t.text, node, self.sum())
        if self.peek("not") and self.tokens[self.i + 1].text == "in":
            col = self.take().col
            self.take()
            return Binary(col, "not_in", node, self.sum())
        return node

    def sum(self) -> Node:
        node = self.term()
        while self.peek("+", "-"):
            t = self.take()
            self.count(t.col)
            node = Binary(t.col, t.text, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek("*", "/"):
            t = self.take()
            self.count(t.col)
            node = Binary(t.col, t.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek("-"):
            col = self.take().col
            self.count(col)
            return Unary(col, "neg", self.unary())
        return self.atom()

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "date":
            try:
                return Lit(t.col, date.fromisoformat(t.text), DATE)
            except ValueError:
                raise ExprError(t.col, f"{t.text!r} is not a calendar date") from None
        if t.kind == "duration":
            amount, unit = t.text.split()
            unit = _UNIT_ALIASES.get(unit, unit)
            return Lit(t.col, Duration(int(amount), unit), duration(unit))
        if t.kind == "number":
            if "." in t.text:
                return Lit(t.col, Decimal(t.text), DECIMAL)
            if len(t.text) > 18:
                raise ExprError(t.col, "a number of more than 18 digits")
            return Lit(t.col, int(t.text), INT)
        if t.kind == "text":
            return Lit(t.col, t.text[1:-1], STR)
        if t.kind == "kw" and t.text in ("true", "false"):
            return Lit(t.col, t.text == "true", BOOL)
        if t.kind == "word":
            if self.peek("("):
                return self.call(t)
            return Word(t.col, t.text)
        if t.kind == "op" and t.text == "(":
            node = self.expr()
            self.expect(")")
            return node
        if t.kind == "op" and t.text == "[":
            items: list[Node] = []
            if not self.peek("]"):
                items.append(self.expr())
                while self.peek(","):
                    self.take()
                    items.append(self.expr())
            self.expect("]")
            return ListLit(t.col, tuple(items))
        raise ExprError(t.col, f"expected a value, a name or '(' but found {t.text!r}" if t.text else "the expression ends too early")

    def call(self, name: Token) -> Node:
        self.expect("(")
        args: list[Node] = []
        at: Node | None = None
        if not self.peek(")"):
            while True:
                if self.peek("at") and self.tokens[self.i + 1].text == ":":
                    self.take()
                    self.take()
                    at = self.expr()
                    break
                args.append(self.expr())
                if not self.peek(","):
                    break
                self.take()
        self.expect(")")
        return Call(name.col, name.text, tuple(args), at)


def parse(text: str) -> Node:
    """Parse an expression (untyped: names are resolved by :func:`credit_rules.ruleset.typing.check`)."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError(0, "an expression (a non-empty string)")
    return _Parser(text).parse()


def nodes(node: Node) -> Iterator[Node]:
    """Every node of an expression, depth first, left to right."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        children: tuple[Node, ...] = ()
        if isinstance(n, ListLit):
            children = n.items
        elif isinstance(n, Unary):
            children = (n.item,)
        elif isinstance(n, Binary):
            children = (n.left, n.right)
        elif isinstance(n, If):
            children = (n.cond, n.then, n.other)
        elif isinstance(n, Call):
            children = (*n.args, *((n.at,) if n.at is not None else ()))
        stack.extend(reversed(children))


def names_in(node: Node) -> list[str]:
    """Names (facts and definitions) a checked expression reads, in order of first use."""
    return list(dict.fromkeys(n.name for n in nodes(node) if isinstance(n, Name)))


DATED_CALLS = frozenset({"param", "legal_form", "basis_in_force"})
"""Built-ins that read the question's date when no ``at:`` is given."""


def reads_question_date(node: Node) -> bool:
    """Whether a checked expression depends on the question's date without naming it (a dated built-in with no
    ``at:``): its value can then differ between two cases that give it the same facts."""
    return any(isinstance(n, Call) and n.fn in DATED_CALLS and n.at is None for n in nodes(node))


def params_in(node: Node) -> list[str]:
    """Parameters a checked expression reads through ``param(name)``."""
    return list(dict.fromkeys(
        str(n.args[0].value) for n in nodes(node) if isinstance(n, Call) and n.fn == "param" and n.args and isinstance(n.args[0], Lit)
    ))


__all__ = [
    "DATED_CALLS",
    "reads_question_date",
    "BOOL",
    "DATE",
    "DECIMAL",
    "DURATION_UNITS",
    "INT",
    "STR",
    "Binary",
    "Call",
    "Duration",
    "ExprError",
    "If",
    "ListLit",
    "Lit",
    "Name",
    "Node",
    "Type",
    "Unary",
    "Word",
    "duration",
    "enum",
    "names_in",
    "nodes",
    "params_in",
    "parse",
    "set_of",
    "tokenize",
]
