"""The masking patterns, written to begin with their first character (``masking._MOBILE_RE`` …), find exactly
what the same patterns with the look-behind written first find: drawn text, digit-heavy, every match and its
span compared (the look-behind-first forms are the reference, written out here)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from credit_rules import masking

_SEP = r"[ \t\-_.,/\u00a0\u3000]"
REFERENCE = {
    "_RESIDENT_ID_RE": re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"),
    "_GLUED_ID_RE": re.compile(r"(?<!\d)(\d{17}[\dXx])(?!\d)"),
    "_SPACED_ID_RE": re.compile(rf"(?<![0-9])(\d(?:{_SEP}{{0,3}}\d){{16}}{_SEP}{{0,3}}[\dXx])(?![0-9])"),
    "_MOBILE_RE": re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)"),
    "_GROUPED_MOBILE_RE": re.compile(r"(?<!\d)(1[3-9]\d[ \-.\u00a0\u3000]\d{4}[ \-.\u00a0\u3000]\d{4})(?!\d)"),
}

_CHARS = st.sampled_from(list("0123456789111333") + ["１", "٣", "x", "X", "a", "Z", "-", " ", ".", "_", "/", "\u3000", "\u00a0", '"'])
_RUNS = st.builds(lambda n, c: c * n, st.integers(1, 19), st.sampled_from(["1", "3", "9", "0"]))
_TEXT = st.lists(st.one_of(_CHARS, _RUNS, st.sampled_from(["110101199003070018", "13812345678", "11010119900307001X", "110101900307001", "138-1234-5678", "138 1234"])), max_size=40).map("".join)


def _found(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(1)) for m in rx.finditer(text)]


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
def test_patterns_find_what_the_lookbehind_first_forms_find(text: str) -> None:
    for name, reference in REFERENCE.items():
        assert _found(getattr(masking, name), text) == _found(reference, text), name
