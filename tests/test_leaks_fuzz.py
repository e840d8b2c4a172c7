"""Property tests for issue 15 items 2 and 3: the scrubber and the path confinement hold for any input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.errors import InputError
from credit_rules.identifiers import resident_id_check_char
from credit_rules.masking import scrub_json, scrub_text
from credit_rules.safefiles import confine, inside

# a valid resident ID from any region, birth date and sequence number
ids = st.builds(
    lambda region, year, month, day, seq: (lambda first: first + resident_id_check_char(first))(f"{region:06d}{year:04d}{month:02d}{day:02d}{seq:03d}"),
    st.integers(110000, 659999), st.integers(1900, 2025), st.integers(1, 12), st.integers(1, 28), st.integers(0, 999),
)
# neighbours that are not digits: letters, CJK, punctuation, spaces, nothing
neighbours = st.text(st.characters(blacklist_categories=("Nd", "Cs")), max_size=6)
separators = st.sampled_from(["", " ", "-", " - ", "\u3000"])


def _compact(text: str) -> str:
    return re.sub(r"[\s\-_.,/\u00a0\u3000]", "", text)


@settings(max_examples=300, deadline=None)
@given(ids, neighbours, neighbours, separators)
def test_a_valid_id_is_masked_whatever_surrounds_it(rid: str, before: str, after: str, sep: str) -> None:
    written = sep.join([rid[:6], rid[6:14], rid[14:]]) if sep else rid
    out = scrub_text(before + written + after)
    assert rid[3:16] not in _compact(out)
    assert rid[3:16] not in _compact(str(scrub_json({before: [written + after]})))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_scrubbing_is_idempotent_and_never_fails(text: str) -> None:
    once = scrub_text(text)
    assert scrub_text(once) == once


parts = st.lists(st.sampled_from(["..", ".", "a", "b", "base.yaml", "", "/", "~", "%2e%2e"]), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts)
def test_confine_never_returns_a_path_outside_the_root(tmp_path: Path, steps: list[str]) -> None:
    root = tmp_path / "suite"
    (root / "a" / "b").mkdir(parents=True, exist_ok=True)
    (root / "base.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "a" / "base.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "base.yaml").write_text("outside: 1\n", encoding="utf-8")
    written = "/".join(steps)
    try:
        target = confine(written, root / "a", root, file="f.case.yaml", line=1, field_name="base")
    except InputError as exc:
        assert exc.problems[0].field == "base"
        return
    assert inside(target, root) and target.is_file()


def test_confine_refuses_a_symlink_chain_leaving_the_root(tmp_path: Path) -> None:
    root = tmp_path / "suite"
    root.mkdir()
    (tmp_path / "outside.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "hop1.yaml").symlink_to(root / "hop2.yaml")
    (root / "hop2.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(InputError):
        confine("hop1.yaml", root, root, file="f", line=1, field_name="base")
