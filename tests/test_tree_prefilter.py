"""The quick pass over a parsed JSON line (``batch._tree_passes``) never lets through a line that the walk
with paths (``batch._check_tree``) refuses: drawn trees and strings, both functions, the same verdict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from credit_rules.engine import batch
from credit_rules.limits import Limits

_TEXT = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="0123456789+-_,.eE \t\u3000\xa0x", max_size=130),
    st.builds(lambda n, e: f"{'9' * n}e{e}", st.integers(0, 120), st.integers(0, 200)),
    st.sampled_from(["\ud800", "a\udfff", "1e101", " 1e100 ", "9" * 101, "2025-08-09"]),
)
_TREE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_TEXT, inner, max_size=4)),
    max_leaves=30,
)


def _refused(data: Any, limits: Limits, escapes: bool) -> bool:
    try:
        batch._check_tree(data, limits, escapes)
    except batch._LineError:
        return True
    return False


def _slow_refuses(data: Any, limits: Limits, escapes: bool) -> bool:
    """The walk with paths alone (the quick pass turned off)."""
    real = batch._tree_passes
    batch._tree_passes = lambda *_: False
    try:
        return _refused(data, limits, escapes)
    finally:
        batch._tree_passes = real


@settings(max_examples=400, deadline=None)
@given(_TREE, st.booleans(), st.integers(1, 6), st.integers(1, 40))
def test_quick_pass_agrees_with_the_walk(data: Any, escapes: bool, depth: int, nodes: int) -> None:
    limits = Limits(max_depth=depth, max_nodes=nodes)
    slow = _slow_refuses(data, limits, escapes)
    if batch._tree_passes(data, limits, escapes):
        assert not slow
    assert _refused(data, limits, escapes) == slow


# ------------------------------------------------ the quick decoder of a line (batch._quick_line)

_KEY = st.sampled_from(["a", "b", "c", "d", "e", "f", "a:b", "", "\u6848", "1e5"])
_SCALAR = st.one_of(
    st.integers(-(10**130), 10**130).map(str),
    st.integers(0, 130).map(lambda n: "9" * n or "0"),
    st.integers(0, 45).map(lambda n: "-" + "7" * n if n else "0"),
    st.sampled_from(["1.5", "-0.0", "1e400", "2E-3", "NaN", "-Infinity", "true", "false", "null"]),
    st.builds(lambda t, ascii_only: json.dumps(t, ensure_ascii=ascii_only), st.text(alphabet="ab:9 \u6848\"\\", max_size=8), st.booleans()),
    st.sampled_from(['"\\ud800"', '"a\\udfffb"', '"\ud800"']),
)


def _object(pairs: list[tuple[str, str]], space: str) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}{space}:{space}{v}" for k, v in pairs) + "}"


_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]"),
        st.builds(_object, st.lists(st.tuples(_KEY, inner), max_size=4), st.sampled_from(["", " ", "\t"])),
    ),
    max_leaves=25,
)


def _careful(raw: bytes, limits: Limits) -> batch.RawCase:
    """The line parsed with the hooked decoder and the walk alone (the quick decoder turned off)."""
    real = batch._quick_line
    batch._quick_line = lambda *_: None
    try:
        return batch.parse_jsonl_line(raw, "cases.jsonl", 7, limits)
    finally:
        batch._quick_line = real


@settings(max_examples=600, deadline=None)
@example('{"a": 123456}', 8, 60, 5)
@example('{"a": [1, {"b": -99999999}], "c": 7}', 8, 60, 7)
@example('{"a": "x:y", "a": 2}', 8, 60, 40)
@example('{"a" : 1, "b": {"a": 2, "a": 3}}', 8, 60, 40)
@given(st.builds(_object, st.lists(st.tuples(_KEY, _VALUE), max_size=5), st.sampled_from(["", " "])), st.integers(1, 8), st.integers(1, 60), st.integers(1, 40))
def test_the_quick_decoder_gives_what_the_careful_one_gives(line: str, depth: int, nodes: int, digits: int) -> None:
    """Data or located error, the same RawCase: duplicate keys (also beside a colon in a string), integers past
    the digit limit, NaN, a too large float, lone surrogates, nesting and size limits."""
    limits = Limits(max_depth=depth, max_nodes=nodes, max_number_digits=digits)
    raw = line.encode("utf-8", "surrogatepass")
    assert batch.parse_jsonl_line(raw, "cases.jsonl", 7, limits) == _careful(raw, limits)


_LINES_FOR_THE_RUST_PARSER = (
    '{"a": 1.5, "b": 2}',
    '{"a": [1e400]}',
    '{"a": NaN}',
    '{"a": -Infinity}',
    '{"a": "1e999", "b": "x"}',
    '{"a": 1}{"b": 2}',
    '{"a": 01}',
    r'{"a": "\u00e9", "a": 1}',
    '{"a": "\u00e9", "a": 1}',
    '{"a": "x\x01y"}',
)
"""Lines a JSON parser may read differently (floats, NaN, trailing data, a leading zero, an escape or its
character beside a duplicate key, a control character): ``pydantic_core.from_json`` reads those without a
backslash first."""


@pytest.mark.parametrize("line", _LINES_FOR_THE_RUST_PARSER)
@pytest.mark.parametrize("digits", [3, 40])
def test_the_quick_decoder_gives_what_the_careful_one_gives_on_tricky_lines(line: str, digits: int) -> None:
    limits = Limits(max_depth=8, max_nodes=60, max_number_digits=digits)
    raw = line.encode("utf-8")
    assert batch.parse_jsonl_line(raw, "cases.jsonl", 7, limits) == _careful(raw, limits)


def test_the_quick_decoder_leaves_duplicates_and_long_integers_to_the_careful_one() -> None:
    limits = Limits(max_number_digits=5)
    for line, why in ((b'{"a": 1, "a": 2}', "a duplicate key"), (b'{"a": "x:y", "a": 2}', "a duplicate key"), (b'{"a": [123456]}', "6 digits")):
        assert batch._quick_line(line, line.decode(), limits, False) is None
        got = batch.parse_jsonl_line(line, "cases.jsonl", 7, limits)
        assert got.error is not None and why in got.error
    assert batch._quick_line(b'{"a": [12345, -12345]}', '{"a": [12345, -12345]}', limits, False) == {"a": [12345, -12345]}


def test_a_line_without_escapes_is_read_by_pydantic_core_and_a_float_is_a_doubt(monkeypatch: Any) -> None:
    """The Rust parser reads a line with no backslash; a float there (its text unchecked) goes to the C decoder,
    whose float hook checks it; so does any line with an escape."""
    import pydantic_core

    read: list[bytes] = []
    real = pydantic_core.from_json

    def spy(raw: bytes, **options: Any) -> Any:
        read.append(raw)
        return real(raw, **options)

    monkeypatch.setattr(batch.pydantic_core, "from_json", spy)
    limits = Limits()
    assert batch._quick_line(b'{"a": [1, "x"]}', '{"a": [1, "x"]}', limits, False) == {"a": [1, "x"]}
    assert read == [b'{"a": [1, "x"]}']
    long_float = '{"a": 0.' + "1" * 150 + "}"
    got = batch.parse_jsonl_line(long_float.encode(), "cases.jsonl", 7, limits)
    assert got.error is not None and "digits" in got.error  # refused by the float hook, not taken from the Rust parser
    read.clear()
    assert batch._quick_line(b'{"a": "\\u00e9"}', '{"a": "\\u00e9"}', limits, True) == {"a": "\u00e9"}
    assert read == []
