"""Properties of the repair answer (49号(十一)(十二); 58号 / 36号).

The earliest repair date is never before the end of the minimum period, and
information that is not repairable is never offered a date.
"""

from __future__ import annotations

from datetime import date, timedelta

import yaml
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules import Engine
from credit_rules.catalog.kinds.repair import RepairAfter, RepairRegime
from credit_rules.fixtures import merge
from credit_rules.model import Case, Outcome

from .conftest import FIXTURES

BASE = yaml.safe_load((FIXTURES / "base" / "repair_penalty.yaml").read_text(encoding="utf-8"))

requests = st.fixed_dictionaries(
    {
        "tier": st.sampled_from(["minor", "general", "serious", "especially_serious"]),
        "document_date": st.dates(date(2019, 7, 1), date(2026, 10, 1)),
        "gap_days": st.integers(0, 1500),
        "obligations_performed": st.booleans(),
        "act_corrected": st.booleans(),
        "credit_commitment": st.booleans(),
        "adverse_effect_eliminated": st.booleans(),
        "non_repairable": st.booleans(),
        "field": st.sampled_from(["food_drug", "work_safety", "tax_evasion_fraud"]),
    }
)


def decide(engine: Engine, r: dict[str, object]):  # type: ignore[no-untyped-def]
    doc: date = r["document_date"]  # type: ignore[assignment]
    applied = doc + timedelta(days=r["gap_days"])  # type: ignore[arg-type]
    repair = {k: r[k] for k in ("tier", "obligations_performed", "act_corrected", "credit_commitment", "adverse_effect_eliminated")}
    repair.update(document_date=doc.isoformat(), application_date=applied.isoformat())
    if r["non_repairable"]:
        repair.update(non_repairable_basis="某法律 第X条", non_repairable_basis_form="law")
    case = Case.model_validate(merge(BASE, {"as_of": applied.isoformat(), "act": {"field": r["field"]}, "repair": repair}))
    return engine.decide(case).repair, applied


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests)
def test_earliest_date_never_before_the_minimum_period(engine: Engine, r: dict[str, object]) -> None:
    result, applied = decide(engine, r)
    assert result is not None
    if result.earliest_date is None or result.regime is None:
        return
    edition = engine.catalogs.in_force("repair_regimes", "000000", applied)
    assert edition is not None
    regime = next(e for e in edition.entries if isinstance(e, RepairRegime))
    tier = next(t for t in regime.tiers if t.tier.value == r["tier"])
    if tier.repair_after is RepairAfter.min_period:
        assert result.earliest_date >= r["document_date"] + relativedelta(months=tier.min_months or 0)  # type: ignore[operator]
    if result.outcome is Outcome.repairable:
        assert result.earliest_date <= applied


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests)
def test_non_repairable_is_never_offered_repair(engine: Engine, r: dict[str, object]) -> None:
    result, _ = decide(engine, r)
    assert result is not None
    if result.outcome is Outcome.not_repairable:
        assert result.earliest_date is None
    if r["non_repairable"]:
        assert result.outcome is Outcome.not_repairable
