"""The listing lifecycle: transitions from the catalog table, guarded by the engine."""

from __future__ import annotations

from datetime import date, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules import Engine
from credit_rules.catalog.kinds.lifecycle import Event, State
from credit_rules.fixtures import merge
from credit_rules.lifecycle import LifecycleEvent, LifecycleState, advance
from credit_rules.model import Case

from .conftest import FIXTURES

BASE = yaml.safe_load((FIXTURES / "base" / "test_local_listing.yaml").read_text(encoding="utf-8"))


def case(patch: dict[str, object] | None = None) -> Case:
    return Case.model_validate(merge(BASE, patch or {}))


def run(engine: Engine, c: Case, *events: tuple[Event, date] | LifecycleEvent) -> LifecycleState:
    state = LifecycleState()
    for item in events:
        ev = item if isinstance(item, LifecycleEvent) else LifecycleEvent(event=item[0], date=item[1])
        result = advance(engine, c, state, ev)
        assert result.accepted, (ev, result.reasons)
        state = result.state
    return state


def test_notify_list_publish_expire(engine: Engine) -> None:
    s = run(engine, case(), (Event.notify, date(2023, 6, 1)), (Event.list, date(2023, 7, 20)), (Event.publish, date(2023, 7, 21)))
    assert s.state is State.published
    early = advance(engine, case(), s, LifecycleEvent(event=Event.expire, date=date(2026, 7, 19)))
    assert not early.accepted and early.reasons == ["period_not_ended"]
    done = advance(engine, case(), s, LifecycleEvent(event=Event.expire, date=date(2026, 7, 20)))
    assert done.accepted and done.state.state is State.expired
    assert [step.to for step in done.state.history] == [State.notified, State.listed, State.published, State.expired]


def test_list_without_notice_is_impossible(engine: Engine) -> None:
    r = advance(engine, case(), LifecycleState(), LifecycleEvent(event=Event.list, date=date(2023, 7, 20)))
    assert not r.accepted and r.reasons == ["no_transition_candidate_list"]


def test_incomplete_notice_cannot_notify(engine: Engine) -> None:
    c = case({"listing": {"notice": {"states_rights": False}}})
    r = advance(engine, c, LifecycleState(), LifecycleEvent(event=Event.notify, date=date(2023, 6, 1)))
    assert not r.accepted and r.reasons == ["notice_incomplete"]


def test_listing_guard_uses_the_listing_rules(engine: Engine) -> None:
    c = case({"act": {"field": "unlisted:household_waste_sorting"}})  # outside the catalogs on purpose (a typo is bad input)
    s = run(engine, c, (Event.notify, date(2023, 6, 1)))
    r = advance(engine, c, s, LifecycleEvent(event=Event.list, date=date(2023, 7, 20)))
    assert not r.accepted and "domain_out_of_scope" in r.reasons
    assert r.decision is not None and r.decision.listing is not None


def test_objection_answered_then_listed(engine: Engine) -> None:
    s = run(engine, case(), (Event.notify, date(2023, 6, 1)), (Event.object, date(2023, 6, 5)), (Event.answer, date(2023, 6, 12)), (Event.list, date(2023, 7, 20)))
    assert s.state is State.listed


def test_well_founded_objection_corrects_with_apology(engine: Engine) -> None:
    c = case()
    s = run(engine, c, (Event.notify, date(2023, 6, 1)), (Event.object, date(2023, 6, 5)))
    refused = advance(engine, c, s, LifecycleEvent(event=Event.correct, date=date(2023, 6, 12), objection_well_founded=False))
    assert not refused.accepted
    r = advance(engine, c, s, LifecycleEvent(event=Event.correct, date=date(2023, 6, 12), objection_well_founded=True))
    assert r.accepted and r.state.state is State.corrected
    assert any("道歉" in d for d in r.duties)


def test_repair_moves_a_listed_subject_out(engine: Engine) -> None:
    c = case({"repair": {"information": "serious_list", "tier": "serious", "document_date": "2023-07-20",
                         "obligations_performed": True, "act_corrected": True, "credit_commitment": True,
                         "adverse_effect_eliminated": True}})
    s = run(engine, c, (Event.notify, date(2023, 6, 1)), (Event.list, date(2023, 7, 20)))
    too_soon = advance(engine, c, s, LifecycleEvent(event=Event.repair, date=date(2023, 9, 1)))  # 58号: 3 months
    assert not too_soon.accepted and "min_period_not_reached" in too_soon.reasons
    later = advance(engine, c, s, LifecycleEvent(event=Event.repair, date=date(2024, 8, 1)))
    assert later.accepted and later.state.state is State.repaired


def test_revoked_document_revokes_the_listing(engine: Engine) -> None:
    c = case({"act": {"document": {"revoked": "2023-09-01"}}})
    s = run(engine, case(), (Event.notify, date(2023, 6, 1)), (Event.list, date(2023, 7, 20)))
    r = advance(engine, c, s, LifecycleEvent(event=Event.revoke, date=date(2023, 9, 2)))
    assert r.accepted and r.state.state is State.revoked


def test_black_listing_in_hubei_carries_red_list_removal(engine: Engine) -> None:
    c = case({"jurisdiction": "429900", "subject": {"on_red_list": True},
              "listing": {"standard": "test_hubei_black_list", "candidate_publicity_start": "2023-05-04", "candidate_publicity_end": "2023-06-05"}})
    s = run(engine, c, (Event.notify, date(2023, 6, 1)))
    r = advance(engine, c, s, LifecycleEvent(event=Event.list, date=date(2023, 7, 20)))
    assert r.accepted and "remove_from_red_lists" in r.duties


def test_events_cannot_go_back_in_time(engine: Engine) -> None:
    s = run(engine, case(), (Event.notify, date(2023, 6, 1)))
    r = advance(engine, case(), s, LifecycleEvent(event=Event.object, date=date(2023, 5, 1)))
    assert not r.accepted and r.reasons == ["event_before_current_state"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(list(Event)), st.integers(0, 400), st.booleans()), max_size=8))
def test_never_listed_without_a_notice(engine: Engine, events: list[tuple[Event, int, bool]]) -> None:
    state = LifecycleState()
    day = date(2023, 6, 1)
    c = case()
    for ev, gap, founded in events:
        day += timedelta(days=gap)
        state = advance(engine, c, state, LifecycleEvent(event=ev, date=day, objection_well_founded=founded)).state
        if state.state is State.listed:
            assert any(step.event is Event.notify for step in state.history)
