"""Which repair regime governs, and the periods it sets, are cited definitions (issue 12 item 5, legal review 8/9).

The definitions are evaluated directly over hand-made facts, so each priority
is pinned down: the list's own rule over the national regime (special over
general), the later regime over the earlier on its dates, and the earlier
regime's shorter period only where the later regime keeps it — unknown while
that transition rule is unconfirmed, never a guess.
"""

from __future__ import annotations

from datetime import date

import pytest

from credit_rules import Engine

NATIONAL = "000000"


def _facts(**over: object) -> dict[str, object]:
    facts: dict[str, object] = {
        "question.date": date(2026, 5, 1),
        "act.field": "tax_evasion_fraud",
        "repair.application_date": date(2026, 5, 1),
        "repair.document_date": date(2025, 6, 20),
        "repair.regime": "ndrc_order_36",
        "repair.regime_effective_from": date(2026, 4, 1),
        "repair.regime_effective_to": None,
        "repair.tier_min_months": 12,
        "repair.tier_max_months": 36,
        "repair.earlier_regime": "ndrc_order_58",
        "repair.earlier_tier_min_months": 3,
        "repair.earlier_tier_max_months": 36,
        "repair.keeps_softer_earlier_periods": None,
        "repair.list_regime": None,
    }
    facts.update(over)
    return facts


def _decided_by(engine: Engine, name: str, facts: dict[str, object]) -> tuple[object, str | None]:
    ev = engine.evaluate_definitions((name,), NATIONAL, date(2026, 5, 1), facts)
    entry = next(d for d in ev.details()["definitions"] if d.id == name)
    return ev.value(name), entry.decided_by


def test_later_regime_governs_its_own_dates(engine: Engine) -> None:
    assert engine.evaluate_definitions(("regime_in_force_on_application",), NATIONAL, date(2026, 5, 1), _facts()).value(
        "regime_in_force_on_application") is True
    before = _facts(**{"repair.application_date": date(2026, 3, 31)})
    assert engine.evaluate_definitions(("regime_in_force_on_application",), NATIONAL, date(2026, 3, 31), before).value(
        "regime_in_force_on_application") is False


def test_softer_earlier_period_unknown_while_the_transition_rule_is_unconfirmed(engine: Engine) -> None:
    value, _ = _decided_by(engine, "min_period_months", _facts())
    assert value is None  # undetermined, never 3 or 12 on a guess


def test_softer_earlier_period_kept_where_the_later_regime_says_so(engine: Engine) -> None:
    value, by = _decided_by(engine, "min_period_months", _facts(**{"repair.keeps_softer_earlier_periods": True}))
    assert (value, by) == (3, "softer_earlier_period")


def test_later_regime_period_where_it_does_not_keep_the_earlier(engine: Engine) -> None:
    value, by = _decided_by(engine, "min_period_months", _facts(**{"repair.keeps_softer_earlier_periods": False}))
    assert (value, by) == (12, "later_regime")


def test_a_softer_later_regime_applies_without_the_transition_rule(engine: Engine) -> None:
    facts = _facts(**{"repair.tier_min_months": 3, "repair.earlier_tier_min_months": 6})
    value, by = _decided_by(engine, "min_period_months", facts)
    assert (value, by) == (3, "later_regime")


def test_the_longer_period_passed_decides_without_the_transition_rule(engine: Engine) -> None:
    facts = _facts(**{"repair.application_date": date(2026, 6, 20)})
    ev = engine.evaluate_definitions(("min_period_reached",), NATIONAL, date(2026, 6, 20), facts)
    assert ev.value("min_period_reached") is True


def test_the_court_list_has_its_own_rule(engine: Engine) -> None:
    facts = _facts(**{
        "repair.list_regime": "spc_judgment_debtor_deletion",
        "repair.list_regime_effective_from": date(2017, 5, 1),
        "repair.list_regime_effective_to": None,
    })
    assert _decided_by(engine, "governing_regime", facts) == ("spc_judgment_debtor_deletion", "list_own_rule")
    assert _decided_by(engine, "governing_regime", _facts()) == ("ndrc_order_36", "national_regime")


def _bar_set_aside(**over: object) -> dict[str, object]:
    """527号 特定严重 applied for under 49号: the tier bars repair, but a normative document no longer may."""
    return _facts(**{"repair.tier_known": True, "repair.tier_repairable": False, "repair.regime_basis_id": "ndrc_2019_527",
                     "repair.waits_for_min_period": False, "question.date": date(2022, 6, 1), **over})


def _case_of(engine: Engine, name: str, facts: dict[str, object]) -> tuple[object, str | None]:
    ev = engine.evaluate_definitions((name,), NATIONAL, date(2026, 5, 1), facts)
    entry = next(d for d in ev.details()["definitions"] if d.id == name)
    return ev.value(name), entry.case


def test_a_bar_set_aside_keeps_the_tier_minimum(engine: Engine) -> None:
    value, case = _case_of(engine, "waits_for_min_period", _bar_set_aside(**{"repair.tier_min_months": 36}))
    assert (value, case) == (True, "bar_set_aside")


def test_a_bar_set_aside_without_a_stated_minimum_is_unknown(engine: Engine) -> None:
    value, case = _case_of(engine, "waits_for_min_period", _bar_set_aside(**{"repair.tier_min_months": None}))
    assert (value, case) == (None, "bar_set_aside")  # fail closed: never repairable from the decision date on a gap


# ---------------------------------------------------------------- 36号's bars on applying (…年内不得申请信用修复)

_BAR_GROUNDS = (("false_materials_bar_over", "false_materials"), ("repeated_violation_bar_over", "repeated_violation"))


_FLAG = {"false_materials": "repair.false_materials_found", "repeated_violation": "repair.repeated_violation"}


def _barred(bar: str, **over: object) -> dict[str, object]:
    """The case's ground for *bar* holds (the other does not), found on 2024-05-02."""
    return _facts(**{flag: b == bar for b, flag in _FLAG.items()}, **{f"repair.{bar}_found_on": date(2024, 5, 2), **over})


@pytest.mark.parametrize(("name", "ground"), _BAR_GROUNDS)
def test_a_bar_with_unconfirmed_years_is_unknown_never_over(engine: Engine, name: str, ground: str) -> None:
    value, case = _case_of(engine, name, _barred(ground, **{f"repair.{ground}_bar_years": None}))
    assert (value, case) == (None, "bar_years_passed")  # the shipped 36号 gives no years: undetermined, not repairable


@pytest.mark.parametrize(("name", "ground"), _BAR_GROUNDS)
def test_a_bar_runs_its_years_from_the_finding(engine: Engine, name: str, ground: str) -> None:
    years = {f"repair.{ground}_bar_years": 2, f"repair.{ground}_bar_verified": True}
    running = _barred(ground, **years, **{"repair.application_date": date(2026, 5, 1)})  # one day short of two years
    over = _barred(ground, **years, **{"repair.application_date": date(2026, 5, 2)})
    assert _case_of(engine, name, running) == (False, "bar_years_passed")
    assert _case_of(engine, name, over) == (True, "bar_years_passed")
    undated = _barred(ground, **years, **{f"repair.{ground}_found_on": None})
    assert _case_of(engine, name, undated)[0] is None


@pytest.mark.parametrize(("name", "ground"), _BAR_GROUNDS)
def test_no_ground_no_bar_and_nothing_unverified(engine: Engine, name: str, ground: str) -> None:
    facts = _facts(**{flag: False for flag in _FLAG.values()}, **{f"repair.{ground}_bar_verified": False})
    ev = engine.evaluate_definitions((name,), NATIONAL, date(2026, 5, 1), facts)
    entry = next(d for d in ev.details()["definitions"] if d.id == name)
    assert (ev.value(name), entry.case, entry.verified) == (True, f"no_{ground}", True)
    ev = engine.evaluate_definitions((name,), NATIONAL, date(2026, 5, 1), _barred(ground, **{f"repair.{ground}_bar_verified": False}))
    assert next(d for d in ev.details()["definitions"] if d.id == name).verified is False  # an unconfirmed bar says so
