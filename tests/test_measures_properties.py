"""Monotonicity of proportionality (49号(十)) and leniency (49号(十六)).

Raising the act's gravity never removes an applied measure; a leniency
ground never adds one.  Checked over every measure of the shipped and test
catalogs, for random acts.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules import Engine
from credit_rules.fixtures import merge
from credit_rules.model import Case, Gravity, Intent

from .conftest import FIXTURES

BASE = yaml.safe_load((FIXTURES / "base" / "test_measures.yaml").read_text(encoding="utf-8"))
GRAVITIES = list(Gravity)

acts = st.fixed_dictionaries(
    {
        "field": st.sampled_from(["food_drug", "work_safety", "tax_evasion_fraud"]),
        "malicious": st.booleans(),
        "serious_circumstances": st.booleans(),
        "high_social_harm": st.booleans(),
        "repeated": st.booleans(),
        "major_loss": st.booleans(),
        "refused_to_perform": st.booleans(),
    }
)


def applied(engine: Engine, act: dict[str, object], gravity: Gravity, **lenient: object) -> set[tuple[str, str]]:
    raw = merge(BASE, {"act": {**act, "gravity": gravity.value, **lenient}, "measures": {"proposed": None, "all_applicable": True}})
    d = engine.decide(Case.model_validate(raw))
    assert d.measures is not None
    return {(m.measure, m.target) for m in d.measures.applied}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(acts, st.integers(0, len(GRAVITIES) - 2))
def test_raising_gravity_never_removes_a_measure(engine: Engine, act: dict[str, object], low: int) -> None:
    before = applied(engine, act, GRAVITIES[low])
    after = applied(engine, act, GRAVITIES[low + 1])
    assert before <= after


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(acts, st.sampled_from(GRAVITIES), st.sampled_from(["force_majeure", "intent", "minor"]))
def test_leniency_never_adds_a_measure(engine: Engine, act: dict[str, object], gravity: Gravity, ground: str) -> None:
    strict = applied(engine, act, gravity)
    if ground == "force_majeure":
        lenient = applied(engine, act, gravity, force_majeure=True)
    elif ground == "intent":
        lenient = applied(engine, act, gravity, intent=Intent.negligent.value)
    else:
        lenient = applied(engine, act, Gravity.minor) if gravity is not Gravity.minor else strict
    assert lenient <= strict
