"""The ``-k`` selection language: case-insensitive substrings joined by ``and``, ``or``, ``not`` and parentheses.

It is the subset of pytest's ``-k`` that people actually type, so a suite
selected under ``credit-rules test -k`` selects the same fixtures under
``pytest -k``.  A word in quotes may contain spaces (fixture names often do).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import InputError

Matcher = Callable[[str], bool]

_TOKEN = re.compile(r"\s*(?:(\()|(\))|\"([^\"]*)\"|'([^']*)'|([^\s()]+))")
_KEYWORDS = ("and", "or", "not")
MAX_DEPTH = 50
"""Deepest nesting of parentheses and ``not``: the parser recurses, and thousands of ``(`` must be an error, not a RecursionError."""


def _tokens(expr: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is '(', ')', 'and', 'or', 'not' or 'word'."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expr):
        if expr[pos:].strip() == "":
            break
        m = _TOKEN.match(expr, pos)
        if m is None:  # pragma: no cover - the pattern matches any non-space run
            raise _error(expr, f"a word at position {pos}")
        lpar, rpar, dq, sq, word = m.groups()
        if lpar:
            out.append(("(", lpar))
        elif rpar:
            out.append((")", rpar))
        elif dq is not None or sq is not None:
            out.append(("word", dq if dq is not None else sq or ""))
        elif word.lower() in _KEYWORDS:
            out.append((word.lower(), word))
        else:
            out.append(("word", word))
        pos = m.end()
    return out


def _error(expr: str, expected: str, got: str | None = None) -> InputError:
    shown = expr if len(expr) <= 200 else expr[:200] + f"… ({len(expr)} characters)"
    return InputError.one("(command line)", None, "-k", f"{expected} in the expression {shown!r}", got)


def compile_k(expr: str) -> Matcher:
    """A predicate on a fixture's id (``path::name``); an empty expression selects everything."""
    tokens = _tokens(expr)
    if not tokens:
        return lambda _text: True
    pos = 0
    depth = 0

    def peek() -> str | None:
        return tokens[pos][0] if pos < len(tokens) else None

    def take(kind: str) -> str:
        nonlocal pos
        if peek() != kind:
            got = tokens[pos][1] if pos < len(tokens) else "the end"
            raise _error(expr, f"{kind!r}" if kind != "word" else "a word", got)
        pos += 1
        return tokens[pos - 1][1]

    def nested(kind: str) -> None:
        nonlocal depth
        take(kind)
        depth += 1
        if depth > MAX_DEPTH:
            raise _error(expr, f"at most {MAX_DEPTH} nested parentheses or 'not'", "more")

    def atom() -> Matcher:
        nonlocal depth
        if peek() == "not":
            nested("not")
            inner = atom()
            depth -= 1
            return lambda text: not inner(text)
        if peek() == "(":
            nested("(")
            inner = disjunction()
            take(")")
            depth -= 1
            return inner
        needle = take("word").lower()
        return lambda text: needle in text.lower()

    def conjunction() -> Matcher:
        parts = [atom()]
        while peek() == "and":
            take("and")
            parts.append(atom())
        return lambda text: all(p(text) for p in parts)

    def disjunction() -> Matcher:
        parts = [conjunction()]
        while peek() == "or":
            take("or")
            parts.append(conjunction())
        return lambda text: any(p(text) for p in parts)

    result = disjunction()
    if pos != len(tokens):
        raise _error(expr, "'and', 'or' or the end", tokens[pos][1])
    return result
