"""Legal-safety properties over the fixture cases (issue "Legal safety"), with hypothesis choosing the cases:

1. **Fail closed.**  Removing an optional fact never turns a refusal (or an undetermined answer) into an
   allowance: a missing fact can only make an answer *less* permissive or undetermined.
2. **Leniency never harshens.**  Adding a ground for leniency (49号(十六): force majeure, an unintentional act)
   never makes an answer harsher: no listing becomes allowed that was not, no measure becomes applied that was not.
3. **No measure past its legal cap.**  No applied measure ends after its statutory maximum from its start, or
   after the listing it depends on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules import Decision, Engine
from credit_rules.fixtures import find_fixtures, load_fixtures
from credit_rules.model.case import Case
from credit_rules.workdays import plus_months

from .conftest import FIXTURES

ENGINE = Engine.load()
CASES: list[tuple[Case, date | None]] = []
for _path in find_fixtures(FIXTURES):
    try:
        _fx = load_fixtures(_path)[0]  # a suite file: its first case
    except Exception:  # a fixture of the test layer's own catalogs: decided in test_fixtures.py
        continue
    CASES.append((_fx.case, _fx.as_of))

# how permissive an answer is: higher = more punishment allowed
PERMISSIVE = {"valid": 2, "allowed": 2, "focus_list_only": 1, "undetermined": 0, "refused": 0, "invalid": 0,
              "repairable": 2, "not_yet": 0, "not_repairable": 0}


def _decide(case: Case, as_of: date | None) -> Decision | None:
    try:
        return ENGINE.decide(case, as_of)
    except Exception:  # a case another catalog layer defines: not this property's business
        return None


def _drop(path: tuple[str, ...]) -> Callable[[dict[str, Any]], bool]:
    def patch(data: dict[str, Any]) -> bool:
        node: Any = data
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                return False
        if not isinstance(node, dict) or node.get(path[-1]) is None:
            return False
        node[path[-1]] = None
        return True

    return patch


OPTIONAL = [
    ("act", "document", "effective"), ("act", "document", "served_on"), ("act", "document", "final_on"),
    ("listing", "authority", "upper_level_approved"), ("listing", "notice"), ("listing", "objection"), ("listing", "stated_criterion"),
    ("repair", "corrected_on"),
    # not here: measures.start and repair.application_date — they default to another date, not to "unknown";
    # listing.period_years — absent, the decision sets no term, which is itself a legal choice (a term set where
    # the ground has none is refused: 法释〔2017〕7号 第二条, ground (一)), not a missing fact
    ("subject", "resident_id"),
]


def _permission(decision: Decision) -> dict[str, object]:
    out: dict[str, object] = {}
    for q in ("determination", "listing", "supervision"):
        r = getattr(decision, q)
        if r is not None:
            out[q] = PERMISSIVE.get(r.outcome.value, 0)
    if decision.repair is not None:
        out["repair"] = PERMISSIVE.get(decision.repair.outcome.value, 0)
    if decision.measures is not None:
        out["measures"] = {(m.measure, m.target) for m in decision.measures.applied}
    return out


def _no_more_permissive(before: dict[str, object], after: dict[str, object]) -> None:
    for key, was in before.items():
        now = after.get(key)
        if isinstance(was, set):
            assert isinstance(now, set) and now <= was, (key, now - was if isinstance(now, set) else now)
        else:
            assert isinstance(now, int) and isinstance(was, int) and now <= was, (key, was, now)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(CASES) - 1), path=st.sampled_from(OPTIONAL))
def test_removing_an_optional_fact_never_allows_more(index: int, path: tuple[str, ...]) -> None:
    case, as_of = CASES[index]
    before = _decide(case, as_of)
    data = case.model_dump(mode="json")
    if before is None or not _drop(path)(data):
        return
    try:
        changed = Case.model_validate(data)
    except ValueError:  # the model itself requires the field with the others given: no decision to compare
        return
    after = _decide(changed, as_of)
    if after is None:
        return
    _no_more_permissive(_permission(before), _permission(after))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(CASES) - 1), ground=st.sampled_from([{"force_majeure": True}, {"intent": "negligent"}, {"intent": "none"}]))
def test_adding_a_leniency_ground_never_harshens(index: int, ground: dict[str, object]) -> None:
    case, as_of = CASES[index]
    before = _decide(case, as_of)
    if before is None:
        return
    data = case.model_dump(mode="json")
    data["act"].update(ground)
    after = _decide(Case.model_validate(data), as_of)
    assert after is not None
    b, a = _permission(before), _permission(after)
    b.pop("determination", None)  # a determination stays valid; leniency is how it is treated, not whether
    a.pop("determination", None)
    _no_more_permissive(b, a)
    if after.determination is not None and after.listing is not None and after.determination.leniency:
        assert after.listing.outcome.value != "allowed" or "lenient_at_determination" in after.listing.leniency


def test_no_applied_measure_ends_after_its_cap() -> None:
    checked = 0
    for case, as_of in CASES:
        decision = _decide(case, as_of)
        if decision is None or decision.measures is None:
            continue
        listing_end = decision.listing.period.end if decision.listing and decision.listing.period else None
        for m in decision.measures.applied:
            if m.end is None or m.start is None:
                continue
            checked += 1
            cap = next((d.facts.get("measure.max_years") for d in m.definitions if d.id == "measure_end"), None)
            starts = next((d.facts.get("measure.term_starts_on") for d in m.definitions if d.id == "measure_end"), None)
            if isinstance(cap, int) and isinstance(starts, str):
                assert m.end <= plus_months(date.fromisoformat(starts), 12 * cap), (m.measure, m.end, cap)
            tied = next((d.facts.get("measure.tied_to_list") for d in m.definitions if d.id == "measure_end"), None)
            if tied and listing_end is not None:
                assert m.end <= listing_end, (m.measure, m.end, listing_end)
    assert checked >= 4  # applied measures with a term among the fixtures
