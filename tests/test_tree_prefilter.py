"""The quick pass over a parsed JSON line (``batch._tree_passes``) never lets through a line that the walk
with paths (``batch._check_tree``) refuses: drawn trees and strings, both functions, the same verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
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
