"""The measures and repair questions of a compact batch, decided column-wise, write the same bytes as the per-case
engine.

A case asking measures or repair is decided by the per-case engine with those questions deferred
(``engine.deferred.DEFERRED``); their rows of the whole chunk are then decided by the compiled questions
(``columnar.rows``).  Every fixture asking measures or repair (on the layered test catalogs) and drawn cases must
give the same JSON line both ways, and the columnar path must really have built them (else the comparison proves
nothing).  Rows it does not take go to the per-case engine.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("polars")

from credit_rules import Engine  # noqa: E402
from credit_rules.columnar.compact import CompactColumnar  # noqa: E402
from credit_rules.engine.batch import _compact_chunk, _decide_one  # noqa: E402
from credit_rules.engine.compact import CompactItem, explain  # noqa: E402
from credit_rules.engine.deferred import DEFERRED, Deferred  # noqa: E402
from credit_rules.model.case import Case  # noqa: E402
from credit_rules.yamlsource import load_file  # noqa: E402

from .conftest import ROOT, all_fixtures  # noqa: E402

FOOD = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"
REPAIR = ROOT / "examples" / "cases" / "wuzhou_penalty_repair.yaml"


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


def _per_case(engine: Engine, cases: list[tuple[int, Case]]) -> dict[int, str]:
    return {i: _decide_one(engine, i, c, None, None, compact=True, validated=c).to_json_line() for i, c in cases}


def _fixtures(question: str) -> list[Case]:
    out = []
    for fx in all_fixtures():
        if getattr(fx.case, question) is not None:
            out.append(fx.case if fx.as_of is None else fx.case.model_copy(update={"as_of": fx.as_of}))
    return out


def test_every_measures_fixture_gives_the_per_case_bytes(engine: Engine) -> None:
    cases = list(enumerate(_fixtures("measures")))
    assert len(cases) > 100
    built = CompactColumnar.of(engine).deferred_lines(cases, None, None)
    assert len(built) >= 0.9 * len(cases)  # nearly all are taken (the rest: dates outside the years it takes)
    want = _per_case(engine, cases)
    assert {i: want[i] for i in built} == built
    outcomes = {m["outcome"] for line in built.values() for m in (json.loads(line)["compact"]["measures"] or [])}
    assert outcomes == {"allowed", "refused", "undetermined"}


def test_every_repair_fixture_gives_the_per_case_bytes(engine: Engine) -> None:
    cases = list(enumerate(_fixtures("repair")))
    assert len(cases) > 100
    built = CompactColumnar.of(engine).deferred_lines(cases, None, None)
    assert len(built) >= 0.8 * len(cases)  # (the rest: dates outside the years it takes, e.g. the pre-2004 calendar cases)
    want = _per_case(engine, cases)
    assert {i: want[i] for i in built} == built
    outcomes = {json.loads(line)["compact"]["repair"]["outcome"] for line in built.values()}
    assert outcomes == {"repairable", "not_yet", "not_repairable", "undetermined"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shift=st.integers(-2500, 1500),
    waited=st.integers(-30, 2000),
    tier=st.sampled_from(["minor", "general", "serious", "especially_serious"]),
    information=st.sampled_from(["administrative_penalty", "serious_list", "abnormal_operation_list", "other"]),
    flags=st.lists(st.booleans(), min_size=4, max_size=4),
    as_of_differs=st.booleans(),
    size=st.integers(1, 7),
)
def test_drawn_repair_cases_give_the_same_bytes(
    shipped: Engine, shift: int, waited: int, tier: str, information: str, flags: list[bool], as_of_differs: bool, size: int
) -> None:
    raws = []
    for k in range(size):
        raw: dict[str, Any] = json.loads(json.dumps(load_file(REPAIR).data, default=str))
        document = date(2025, 12, 1) + timedelta(days=shift + 11 * k)
        applied = document + timedelta(days=waited)
        raw["case_id"] = f"r-{k}"
        raw["act"]["date"] = (document - timedelta(days=50)).isoformat()
        raw["act"]["document"].update(issued=document.isoformat(), effective=document.isoformat())
        raw["as_of"] = (applied + timedelta(days=40 if as_of_differs else 0)).isoformat()
        raw["repair"].update(
            tier=tier, information=information, document_date=document.isoformat(), application_date=applied.isoformat(),
            obligations_performed=flags[0], act_corrected=flags[1], credit_commitment=flags[2], adverse_effect_eliminated=flags[3],
        )
        if information == "serious_list":
            raw["repair"]["listing_standard"] = "samr_serious_illegal_dishonest_list"
        raws.append(raw)
    chunk = list(enumerate(raws))
    got = [line for _, line in _compact_chunk(shipped, chunk, None, None)]  # type: ignore[arg-type]
    want = [_decide_one(shipped, i, raw, None, None, compact=True).to_json_line() for i, raw in chunk]
    assert got == want
    assert all('"ok":true' in line for line in want), want[0][:300]  # decided, not error items


def _food(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = load_file(FOOD).data
    raw = json.loads(json.dumps(raw, default=str))
    raw["measures"] = {"all_applicable": True}
    for path, value in changes.items():
        *parents, last = path.split(".")
        into = raw
        for p in parents:
            into = into.setdefault(p, {})
        into[last] = value
    return raw


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shift=st.integers(-3000, 1500),
    gravity=st.sampled_from(["minor", "general", "serious", "especially_serious"]),
    kind=st.sampled_from(["legal_person", "unincorporated_organisation", "individual_business", "natural_person"]),
    listed=st.booleans(),
    lists=st.lists(st.sampled_from(["samr_serious_illegal_dishonest_list", "court_judgment_debtor_list"]), max_size=2, unique=True),
    years=st.none() | st.integers(1, 12),
    size=st.integers(1, 9),
)
def test_drawn_cases_asking_every_measure_give_the_same_bytes(
    shipped: Engine, shift: int, gravity: str, kind: str, listed: bool, lists: list[str], years: int | None, size: int
) -> None:
    start = date(2023, 7, 20) + timedelta(days=shift)
    raws = []
    for k in range(size):
        raw = _food(**{"case_id": f"m-{k}", "act.gravity": gravity, "subject.kind": kind, "subject.lists": lists,
                       "measures.start": (start + timedelta(days=37 * k)).isoformat()})
        if kind == "natural_person":
            raw["subject"].pop("uscc", None)
        if not listed:
            raw.pop("listing")
        if years is not None:
            raw["measures"]["proposed"] = [{"measure": "government_procurement_restriction", "duration_years": years}]
        raws.append(raw)
    chunk = list(enumerate(raws))
    got = [line for _, line in _compact_chunk(shipped, chunk, None, None)]  # type: ignore[arg-type]
    want = [_decide_one(shipped, i, raw, None, None, compact=True).to_json_line() for i, raw in chunk]
    assert got == want
    assert all('"ok":true' in line for line in want), want[0][:300]  # decided, not error items: the comparison is not vacuous


def test_the_columnar_path_builds_them_and_explain_gives_the_decision(shipped: Engine) -> None:
    cases = [(k, Case.model_validate(_food(**{"case_id": f"e-{k}", "measures.start": f"202{k}-07-20"}))) for k in range(4, 7)]
    built = CompactColumnar.of(shipped).deferred_lines(cases, None, None)
    assert sorted(built) == [k for k, _ in cases]
    for k, case in cases:
        record = CompactItem.model_validate_json(built[k]).compact
        assert record is not None and record.measures and len(record.measures) > 10
        assert explain(shipped, record, case).to_json() == shipped.decide(case, check_ids=False).to_json()
    repairs = []
    for k in range(3):
        raw = json.loads(json.dumps(load_file(REPAIR).data, default=str))
        raw["case_id"] = f"er-{k}"
        raw["repair"]["application_date"] = f"202{6 + k}-02-10"
        repairs.append((k, Case.model_validate(raw)))
    built = CompactColumnar.of(shipped).deferred_lines(repairs, None, None)
    assert sorted(built) == [0, 1, 2]
    for k, case in repairs:
        record = CompactItem.model_validate_json(built[k]).compact
        assert record is not None and record.repair is not None
        assert explain(shipped, record, case).to_json() == shipped.decide(case, check_ids=False).to_json()


def test_what_is_left_to_the_per_case_engine(shipped: Engine) -> None:
    fast = CompactColumnar.of(shipped)
    ancient = Case.model_validate(_food(**{"measures.start": "1850-01-01"}))
    late = Case.model_validate(_food(**{"measures.start": "9500-01-01"}))
    no_measures = Case.model_validate(_food(measures=None))
    assert fast.deferred_lines([(0, ancient), (1, late), (2, no_measures)], None, None) == {}
    chunk: list[tuple[int, Any]] = [(0, ancient), (1, late), (2, no_measures)]
    assert [line for _, line in _compact_chunk(shipped, chunk, None, None)] == list(_per_case(shipped, chunk).values())


def test_deferral_leaves_the_questions_unevaluated() -> None:
    """The hook the columnar path uses: while set, the engine hands the rows over and evaluates none of them."""
    engine = Engine.load()
    case = Case.model_validate(_food())
    repair = Case.model_validate(load_file(REPAIR).data)
    handed = Deferred()
    token = DEFERRED.set(handed)
    try:
        decision = engine.decide(case, check_ids=False)
        repaired = engine.decide(repair, check_ids=False)
    finally:
        DEFERRED.reset(token)
    assert decision.measures is not None and not (decision.measures.applied or decision.measures.refused or decision.measures.undetermined)
    assert repaired.repair is not None and repaired.repair.outcome.value == "undetermined" and not repaired.repair.trace
    (code, start, rows), = handed.measures
    assert code == "450400" and start == date(2023, 7, 20) and len(rows) > 10
    (code, on, facts), = handed.repair
    assert on == date(2026, 2, 10) and facts["repair.tier_known"] is True
    # and without it, the engine decides them
    assert engine.decide(case, check_ids=False).measures.applied  # type: ignore[union-attr]
    assert engine.decide(repair, check_ids=False).repair.outcome.value == "not_yet"  # type: ignore[union-attr]


def test_a_mixed_batch_gives_the_same_bytes_in_one_process_or_two(shipped: Engine) -> None:
    """Listing, measures and repair cases and bad lines in one batch, through the whole pipeline (chunks, spawned
    workers): every line as the per-case engine writes it."""
    from credit_rules.engine.batch import decide_many_json

    items: list[Any] = []
    for k in range(24):
        if k % 3 == 0:
            items.append(_food(**{"case_id": f"f-{k}", "measures.start": (date(2021, 1, 5) + timedelta(days=97 * k)).isoformat()}))
        elif k % 3 == 1:
            raw = json.loads(json.dumps(load_file(REPAIR).data, default=str))
            raw["case_id"] = f"r-{k}"
            raw["repair"]["application_date"] = (date(2026, 1, 1) + timedelta(days=29 * k)).isoformat()
            items.append(raw)
        else:
            raw = json.loads(json.dumps(load_file(FOOD).data, default=str))
            raw["case_id"] = f"l-{k}"
            items.append(raw)
    items += [{"case_id": "broken"}, _food(**{"case_id": "bad-measure", "measures.proposed": [{"measure": "no_such_measure"}]})]
    want = [line for _, line in decide_many_json(shipped, items, compact=True)]
    assert [line for _, line in decide_many_json(shipped, items, compact=True, columnar=True, chunk_size=7)] == want
    assert [line for _, line in decide_many_json(shipped, items, compact=True, columnar=True, processes=2, chunk_size=5)] == want
    assert sum('"ok":false' in line for line in want) == 2
