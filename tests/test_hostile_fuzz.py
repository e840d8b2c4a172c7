"""Fuzzing the loaders with hostile shapes: alias chains, deep nesting, huge numbers, wrong explicit tags.

Whatever the shape, a case file or a JSON line is either loaded or refused
with a located problem; nothing escapes as another exception and nothing
takes long (the limits stop expansion before objects are built).
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.cases import parse_case
from credit_rules.cli import main
from credit_rules.engine.batch import parse_jsonl_line
from credit_rules.errors import InputError
from credit_rules.yamlsource import load_text

CEILING = 20.0


@st.composite
def alias_chains(draw: st.DrawFn) -> str:
    """Billion-laughs documents of random width, depth and shape (list, map, merge)."""
    width = draw(st.integers(1, 12))
    depth = draw(st.integers(1, 12))
    shape = draw(st.sampled_from(["list", "map", "merge"]))
    lines = ["case_id: fuzz", "l0: &a0 [" + ", ".join(["x"] * width) + "]"]
    for i in range(1, depth + 1):
        if shape == "list":
            body = "[" + ", ".join([f"*a{i - 1}"] * width) + "]"
        elif shape == "map":
            body = "{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(width)) + "}"
        else:
            body = "{<<: {k: *a" + str(i - 1) + "}, " + ", ".join(f"k{j}: *a{i - 1}" for j in range(width)) + "}"
        lines.append(f"l{i}: &a{i} {body}")
    return "\n".join(lines) + "\n"


@st.composite
def deep_nesting(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 1200))
    opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
    return "case_id: fuzz\nact: " + opener * depth + ("1" if opener != "[" else "") + closer * depth + "\n"


@st.composite
def numbers(draw: st.DrawFn) -> str:
    mantissa = draw(st.integers(1, 6000))
    exponent = draw(st.one_of(st.none(), st.integers(-10**12, 10**12)))
    text = "-" + "9" * mantissa + ("" if exponent is None else f"e{exponent}")
    quoted = draw(st.booleans())
    return f"case_id: fuzz\nact:\n  amounts: {{fine_cny: {json.dumps(text) if quoted else text}}}\n"


TAGS = ["!!bool", "!!int", "!!float", "!!timestamp", "!!binary", "!!str", "!!null", "!!set", "!!omap", "!!pairs", "!!seq", "!!map"]


@st.composite
def tagged(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    value = draw(st.one_of(st.text(alphabet="abcxyz019-:.TZ +", max_size=20).map(json.dumps), st.sampled_from(["[]", "{}", "[a, b]", "{a: 1}", "''", "maybe", "nope"])))
    return f"case_id: fuzz\nact:\n  malicious: {tag} {value}\n"


hostile = st.one_of(alias_chains(), deep_nesting(), numbers(), tagged())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile)
def test_hostile_yaml_is_loaded_or_refused_with_location(text: str) -> None:
    started = time.perf_counter()
    for load in (lambda: load_text(text, "hostile.yaml"), lambda: parse_case(text, "hostile.yaml")):
        try:
            load()
        except InputError as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.file == "hostile.yaml" and p.field and p.expected
    assert time.perf_counter() - started < CEILING


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@st.composite
def json_lines(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["value", "deep", "bigint", "surrogate", "bytes", "dup"]))
    if kind == "value":
        return json.dumps({"case_id": "x", "v": draw(json_values)}).encode()
    if kind == "deep":
        n = draw(st.integers(1, 20000))
        return ('{"a": ' + "[" * n + "]" * n + "}").encode()
    if kind == "bigint":
        return ('{"a": ' + "9" * draw(st.integers(1, 9000)) + "}").encode()
    if kind == "surrogate":
        return ('{"a": "\\ud' + draw(st.sampled_from(["800", "bff", "c00", "fff"])) + '"}').encode()
    if kind == "dup":
        return b'{"a": 1, "a": 2}'
    return draw(st.binary(max_size=60))


@settings(max_examples=200, deadline=None)
@given(json_lines())
def test_any_json_line_gives_data_or_a_located_error(raw: bytes) -> None:
    item = parse_jsonl_line(raw, "cases.jsonl", 7)
    assert (item.error is None) == isinstance(item.data, dict) or item.error is not None
    if item.error is not None:
        assert item.error.startswith("cases.jsonl:7: field ")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile)
def test_hostile_case_through_decide_and_lint_exits_0_or_2(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    for argv in (["decide", str(path)], ["lint", str(path)]):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(argv)
        assert code in (0, 1, 2)
        assert "Traceback" not in err.getvalue()
        if code == 2:
            assert str(path) in err.getvalue() or "(command line)" in err.getvalue()
        assert time.perf_counter() - started < CEILING
