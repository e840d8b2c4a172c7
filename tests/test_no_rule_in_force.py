"""Every caller of ``trace.summarize`` fails closed when none of a question's rules is in force on the date asked.

The guard lives in :func:`credit_rules.engine.trace.summarize`; these tests check each path that summarises — a
case question (``question_result``), each proposed measure (``decide_measures``) and the columnar rescan
(``CompiledQuestion.summarise``) — gets it.  The shipped rules give every measure and determination rule no
start date, so the rules are copied and the question's rules given one: on the base measures case's own date
(good: in force, the answer is the shipped one) and the day after it (bad: nothing in force, so ``undetermined``
with ``rules_in_force_on_the_date_asked`` missing, never a plain allowance).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from credit_rules import Engine
from credit_rules.engine.trace import NO_RULE_IN_FORCE
from credit_rules.model.case import Case
from credit_rules.model.decision import Outcome
from credit_rules.yamlsource import load_file

from .conftest import ROOT, catalog_roots

BASE = ROOT / "tests" / "fixtures" / "base" / "test_measures.yaml"
ASKED = date(2023, 7, 20)
"""The base case's as-of, listing decision and measures start date: every question of it is asked on this day."""


def _engine(tmp_path: Path, question: str, in_force_from: date) -> Engine:
    """The shipped rules with every rule of *question* in force only from *in_force_from*."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for path in rules.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not any(r.get("question") == question for r in data.get("rules") or []):
            continue
        for r in data["rules"]:
            if r.get("question") == question:
                r["in_force_from"] = max(in_force_from, r.get("in_force_from") or date.min)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Engine.load(catalog_roots(), rules)


def _case() -> Case:
    return Case.model_validate(load_file(BASE).data)


@pytest.fixture(scope="module")
def shipped() -> Any:
    return Engine.load(catalog_roots()).decide(_case())


@pytest.mark.parametrize("question", ["determination", "listing"])
def test_a_case_question_with_no_rule_in_force_is_undetermined(tmp_path: Path, shipped: Any, question: str) -> None:
    good = getattr(_engine(tmp_path / "good", question, ASKED).decide(_case()), question)
    assert good.outcome is getattr(shipped, question).outcome is not Outcome.undetermined
    assert NO_RULE_IN_FORCE not in good.missing and good.trace
    bad = getattr(_engine(tmp_path / "bad", question, ASKED + timedelta(days=1)).decide(_case()), question)
    assert bad.outcome is Outcome.undetermined
    assert bad.missing == [NO_RULE_IN_FORCE] and not bad.trace


def test_a_measure_with_no_rule_in_force_is_undetermined_not_applied(tmp_path: Path, shipped: Any) -> None:
    good = _engine(tmp_path / "good", "measures", ASKED).decide(_case()).measures
    assert [m.measure for m in good.applied] == [m.measure for m in shipped.measures.applied] == ["test_procurement_restriction"]
    assert not good.undetermined and NO_RULE_IN_FORCE not in good.applied[0].missing
    bad = _engine(tmp_path / "bad", "measures", ASKED + timedelta(days=1)).decide(_case()).measures
    assert not bad.applied and not bad.refused
    [m] = bad.undetermined
    assert m.outcome is Outcome.undetermined and m.missing == [NO_RULE_IN_FORCE] and not m.trace
    assert m.start is None and m.end is None  # an undetermined measure states no term


def test_the_columnar_rescan_agrees_when_no_listing_rule_is_in_force(tmp_path: Path) -> None:
    pytest.importorskip("polars")
    from credit_rules.columnar.entries import frame_of, from_case
    from credit_rules.columnar.evaluate import ColumnarEngine

    frame = frame_of([from_case(_case())])
    for name, start, want in (("good", ASKED, Outcome.allowed), ("bad", ASKED + timedelta(days=1), Outcome.undetermined)):
        engine = _engine(tmp_path / name, "listing", start)
        per_case = engine.decide(_case()).listing
        assert per_case is not None and per_case.outcome is want
        [row] = ColumnarEngine.of(engine).decide(frame).select("outcome", "fired").to_dicts()
        assert row == {"outcome": want.value, "fired": per_case.fired}
