"""The masking pass skips a pattern only where it cannot match: the same text out as running every pattern.

``scrub_text`` tests first whether the text holds a run of digits long enough for each pattern (a compact record
line of 4 KB took about a millisecond to scrub, most lines hold no such run); text drawn from digits, separators,
letters, other scripts' digits and JSON punctuation must come out exactly as the patterns alone make it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from credit_rules import identifiers
from credit_rules.masking import (
    _GLUED_ID_RE,
    _GROUPED_MOBILE_RE,
    _MOBILE_RE,
    _RESIDENT_ID_RE,
    _SPACED_ID_RE,
    _mask_if_valid,
    mask_phone,
    scrub_text,
)


def every_pattern(text: str) -> str:
    out = _GLUED_ID_RE.sub(_mask_if_valid, text)
    out = _SPACED_ID_RE.sub(_mask_if_valid, out)
    out = _RESIDENT_ID_RE.sub(lambda m: identifiers.mask_resident_id(m.group(1)), out)
    out = _MOBILE_RE.sub(lambda m: mask_phone(m.group(1)), out)
    return _GROUPED_MOBILE_RE.sub(lambda m: mask_phone(m.group(1)), out)


PIECES = st.sampled_from([
    "0", "1", "3", "9", "X", "x", " ", "-", "_", ".", ",", "/", "\t", "\u00a0", "\u3000", "a", "Z", '"', ":", "{",
    "\uff11", "\u0663", "中", "110101199003070018", "13812345678", "110101 19900307 0018", "11010119900307001",
    "138-1234-5678", "138 1234 5678", "1381234",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_scrub_text_equals_every_pattern(text: str) -> None:
    assert scrub_text(text) == every_pattern(text)


def test_known_shapes() -> None:
    for text in ("id 110101199003070018 end", "tel 13812345678", "110101 19900307 0018", "a1b2c3", '{"hash":"0be7041d011b6153846661c2972"}',
                 "１１０１０１１９９００３０７００１８", "12345678901234567890",
                 "tel 138-1234-5678", "138 1234 5678.", "138\u30001234\u30005678"):
        assert scrub_text(text) == every_pattern(text)
