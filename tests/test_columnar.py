"""The columnar evaluator agrees with the per-case engine (outcome, reasons, fired rules) on every listing fixture,
and reports the parts it evaluates per key rather than dropping them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pl = pytest.importorskip("polars")

from credit_rules import Engine  # noqa: E402
from credit_rules.columnar.entries import frame_of, from_case  # noqa: E402
from credit_rules.columnar.evaluate import ColumnarEngine  # noqa: E402
from credit_rules.model.case import Case, Question  # noqa: E402

from .conftest import ROOT, all_fixtures, catalog_roots  # noqa: E402


def answers(engine: Engine, cases: list[tuple[Case, object]]) -> list[tuple[str | None, str, list[str], list[str]]]:
    out = []
    for case, as_of in cases:
        d = engine.decide(case, as_of, check_ids=False)  # type: ignore[arg-type]
        assert d.listing is not None
        out.append((d.determination.outcome.value if d.determination else None, d.listing.outcome.value, d.listing.reasons, d.listing.fired))
    return out


def columnar(cengine: ColumnarEngine, cases: list[tuple[Case, object]]) -> list[tuple[str | None, str, list[str], list[str]]]:
    result = cengine.decide(frame_of([from_case(c, a) for c, a in cases]))  # type: ignore[arg-type]
    return [(r["determination"], r["outcome"], r["reasons"], r["fired"]) for r in result.iter_rows(named=True)]


def listing_fixtures() -> list[tuple[Case, object]]:
    return [(f.case, f.as_of) for f in all_fixtures() if f.case.listing is not None and Question.listing in f.case.asked()]


@pytest.fixture(scope="module")
def cengine(engine: Engine) -> ColumnarEngine:
    return ColumnarEngine.of(engine)


def test_every_listing_fixture_agrees(engine: Engine, cengine: ColumnarEngine) -> None:
    cases = listing_fixtures()
    assert len(cases) >= 100
    want, got = answers(engine, cases), columnar(cengine, cases)
    wrong = [(c.case_id, w, g) for (c, _), w, g in zip(cases, want, got, strict=True) if w != g]
    assert not wrong, "\n".join(map(str, wrong[:10]))


def test_the_shipped_rules_need_no_lookup(cengine: ColumnarEngine) -> None:
    # basis_in_force() is a lookup of the basis's dates by id (each basis is in one catalog edition); period_end()
    # with a dated duration parameter is column arithmetic; what is not vectorised is tested below
    assert cengine.lookups == []


EXTRA = """
title: test-only definition the compiler does not vectorise (months arithmetic)
jurisdiction: "000000"
definitions:
  - id: decided_within_a_year_of_the_act
    type: bool
    source: 49号(八)
    value: "listing.decision_date <= act.date + months(6)"
  - id: decided_within_the_review_period
    type: bool
    source: 49号(八)
    value: "listing.decision_date <= act.date + param(admin_review_application_period, at: act.date)"
rules:
  - id: C99.decided_within_a_year
    question: listing
    principle: procedure
    source: 49号(八)
    reason: decided_late
    effect: warn
    require: decided_within_a_year_of_the_act
    message: {zh: 测试, en: test}
  - id: C99.decided_within_the_review_period
    question: listing
    principle: procedure
    source: 49号(八)
    reason: decided_late
    effect: warn
    require: decided_within_the_review_period
    message: {zh: 测试, en: test}
"""


def test_a_definition_not_vectorised_is_reported_and_evaluated_per_row(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "national" / "test-extra.yaml").write_text(EXTRA, encoding="utf-8")
    engine = Engine.load(catalog_roots(), rules)
    cengine = ColumnarEngine.of(engine)
    reported = [lk for lk in cengine.lookups if lk.definition == "decided_within_a_year_of_the_act"]
    assert reported and "months" in reported[0].why
    # a lookup that reads no parameter is not keyed by the jurisdiction
    assert reported[0].keys == ("act.date",)  # the part not vectorised only: act.date + months(6)
    with_params = [lk for lk in cengine.lookups if lk.definition == "decided_within_the_review_period"]
    assert with_params and with_params[0].keys[0] == "__param_layers"  # parameters depend on the jurisdiction
    cases = listing_fixtures()
    want, got = answers(engine, cases), columnar(cengine, cases)
    assert want == got
    assert any("C99.decided_within_a_year" in g[3] for g in got) and any("C99.decided_within_a_year" not in g[3] for g in got)


def test_no_column_is_named_like_a_figure() -> None:
    """``frame_of`` takes a row's keys beyond the columns for its figures: a column named ``figure.…`` would be
    read as one."""
    from credit_rules.columnar.entries import COLUMNS, FIGURE_PREFIX

    assert not [c.name for c in COLUMNS if c.name.startswith(FIGURE_PREFIX)]
