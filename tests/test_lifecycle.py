"""The listing lifecycle: transitions from the catalog table, guarded by the engine."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

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


def test_well_founded_objection_corrects_and_remedies(engine: Engine) -> None:
    c = case()
    s = run(engine, c, (Event.notify, date(2023, 6, 1)), (Event.object, date(2023, 6, 5)))
    refused = advance(engine, c, s, LifecycleEvent(event=Event.correct, date=date(2023, 6, 12), objection_well_founded=False))
    assert not refused.accepted
    r = advance(engine, c, s, LifecycleEvent(event=Event.correct, date=date(2023, 6, 12), objection_well_founded=True))
    assert r.accepted and r.state.state is State.corrected
    assert any("消除不良影响" in d for d in r.duties)  # 35号(十七); 湖北 §11's apology binds only in 湖北


def test_repair_moves_a_listed_subject_out(engine: Engine) -> None:
    # the request names the list the entry is on: its wait and conditions decide (legal review item 19)
    c = case({"repair": {"information": "serious_list", "listing_standard": "test_local_reg_list", "tier": "serious", "document_date": "2023-07-20",
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


def test_guards_are_cited_definitions_in_the_trace(engine: Engine) -> None:
    r = advance(engine, case(), LifecycleState(), LifecycleEvent(event=Event.notify, date=date(2023, 6, 1)))
    assert r.accepted and r.guard == "lifecycle_notice_complete"
    entry = next(d for d in r.definitions if d.id == "lifecycle_notice_complete")
    assert entry.value is True and entry.citation == "49号(八)"


def test_an_undecidable_guard_refuses_and_names_what_is_missing(engine: Engine) -> None:
    """Fail closed: without the listing section the notice facts are unknown, so notify is refused, not allowed."""
    c = case({"listing": None, "questions": ["determination"]})
    r = advance(engine, c, LifecycleState(), LifecycleEvent(event=Event.notify, date=date(2023, 6, 1)))
    assert not r.accepted and r.reasons[:2] == ["notice_incomplete", "undetermined"]
    assert any(reason.startswith("missing:procedure.notice") for reason in r.reasons)


def test_a_listing_with_no_fixed_term_never_expires(engine: Engine) -> None:
    court = yaml.safe_load((FIXTURES / "base" / "court_listing.yaml").read_text(encoding="utf-8"))
    c = Case.model_validate(court)  # ground (一) of 法释〔2017〕7号 第一条: no fixed term
    listed = LifecycleState(state=State.listed, since=date(2024, 3, 1),
                            history=[])
    listed = listed.model_copy(update={"history": [
        advance(engine, c, LifecycleState(state=State.notified, since=date(2024, 2, 1)),
                LifecycleEvent(event=Event.list, date=date(2024, 3, 1))).state.history[-1]]})
    r = advance(engine, c, listed, LifecycleEvent(event=Event.expire, date=date(2040, 1, 1)))
    assert not r.accepted and r.reasons[0] == "period_not_ended"


def test_every_shipped_guard_is_a_bool_definition(engine: Engine) -> None:
    from credit_rules.catalog.kinds.lifecycle import guard_problems

    types = {g.id: str(g.type) for g in engine.ruleset.definitions.groups.values()}
    assert guard_problems(engine.catalogs, types) == []
    del types["lifecycle_period_ended"]
    types["lifecycle_period_endd"] = "bool"
    problems = guard_problems(engine.catalogs, types)
    assert len(problems) == 1 and problems[0].field == "entries.expire.guard"
    assert "did you mean 'lifecycle_period_endd'" in problems[0].render()


def test_rules_without_the_guards_move_no_one(tmp_path: Path) -> None:
    """Fail closed: with rules that do not define the guards, the lifecycle refuses with a located error."""
    import shutil

    import pytest

    from credit_rules.errors import InputError
    from credit_rules.shipped import shipped_rules_dir

    from .conftest import catalog_roots

    rules = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), rules)
    (rules / "national" / "gbf-2020-49" / "lifecycle.yaml").unlink()
    bare = Engine.load(catalog_roots(), rules)
    with pytest.raises(InputError) as caught:
        advance(bare, case(), LifecycleState(), LifecycleEvent(event=Event.notify, date=date(2023, 6, 1)))
    assert "entries.notify.guard" in caught.value.render() and "a bool definition" in caught.value.render()


def _fixture_file(tmp_path: Path, events: str) -> Path:
    import shutil

    shutil.copy(FIXTURES / "base" / "test_local_listing.yaml", tmp_path / "base.yaml")
    path = tmp_path / "x.case.yaml"
    path.write_text(f"name: x\nbase: base.yaml\nexpect:\n  lifecycle:\n{events}", encoding="utf-8")
    return path


def test_a_fixture_runs_its_lifecycle_events_and_says_which_one_differs(engine: Engine, tmp_path: Path) -> None:
    from credit_rules.fixtures import load_fixture
    from credit_rules.regression.runner import Item, Status, check, run_one

    path = _fixture_file(tmp_path, "    - {event: notify, date: 2023-06-01}\n"
                                   "    - {event: expire, date: 2023-07-01, accepted: false, reasons: [period_ended]}\n")
    fx = load_fixture(path, tmp_path)
    result = run_one(engine, Item("x", str(path), fixture=fx))
    assert result.status is Status.failed
    assert result.problems == ["lifecycle[1] (expire on 2023-07-01).reasons: expected 'period_ended' among ['no_transition_notified_expire']"]
    assert result.decision is not None
    # the events are part of the expectation: a checker that was not handed their results fails, never passes
    assert check(fx, result.decision) == ["lifecycle: expected the events to be run on the case, they were not (use the fixture runner)"]


def test_bad_lifecycle_expectations_are_located_errors(tmp_path: Path) -> None:
    import pytest

    from credit_rules.errors import InputError
    from credit_rules.fixtures import load_fixture

    path = _fixture_file(tmp_path, "    - {event: notfy, date: 2023-06-01}\n"
                                   "    - {event: list, date: 2023-07-20, reasons: [x]}\n"
                                   "    - {event: list, date: 2023-07-20, accepted: false, transition: list}\n")
    with pytest.raises(InputError) as caught:
        load_fixture(path, tmp_path)
    text = caught.value.render()
    assert "x.case.yaml:5" in text and "expect.lifecycle[0].event" in text and "'notfy'" in text
    assert "x.case.yaml:6" in text and "an accepted event has none" in text
    assert "x.case.yaml:7" in text and "what an accepted event gives" in text
