"""The 58号 → 36号 repair change shows up in a diff against the law as published on 2026-03-31."""

from __future__ import annotations

import json

import pytest

from credit_rules.cli import main

from .conftest import ROOT

SUITE = ROOT / "examples" / "ministry_suite" / "repair" / "repair.case.yaml"


def test_edition_date_ref_shows_the_regime_change(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", "--base", "@2026-03-31", "--head", "shipped", "--format", "json", str(SUITE)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    text = json.dumps(out, ensure_ascii=False)
    assert text.count("ndrc_order_58") >= 4 and "repair_earlier" in text and "repair_later" in text


def test_same_state_on_both_sides_is_an_empty_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--base", "shipped", "--head", "shipped", str(SUITE)]) == 0


def test_bad_edition_date_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--base", "@2026-02-30", "--head", "shipped", str(SUITE)]) == 2
    assert "REF@YYYY-MM-DD" in capsys.readouterr().err
