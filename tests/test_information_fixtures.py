"""Information and query fixtures decide as their authors expect; the rules keep their discipline.

Like tests/test_fixtures.py for cases: every record/share/publish/query rule
passes in some fixture and fails in another, deleting any one of them breaks
some fixture, and the durable_rules backend agrees with the default one.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from credit_rules import Engine, RuleStatus
from credit_rules.information.query import QueryDecision
from credit_rules.information.fixtures import InfoFixture, check, decide_fixture, find_info_fixtures, load_info_fixture
from credit_rules.model.case import Question
from credit_rules.ruleset import Rule
from credit_rules.shipped import shipped_catalogs_dir

INFO_FIXTURES = Path(__file__).parent / "fixtures_information"
INFO_CATALOGS = INFO_FIXTURES / "catalogs"
PATHS = find_info_fixtures(INFO_FIXTURES)
QUESTIONS = (Question.record, Question.share, Question.publish, Question.query)


@pytest.fixture(scope="module")
def info_engine() -> Engine:
    """The shipped catalogs and rules, plus the test-only layer (fictional jurisdiction 459900)."""
    return Engine.load([shipped_catalogs_dir(), INFO_CATALOGS])


def all_info_fixtures() -> list[InfoFixture]:
    return [load_info_fixture(p) for p in PATHS]


def information_rules(engine: Engine) -> list[Rule]:
    return [r for r in engine.ruleset.rules if r.spec.question in QUESTIONS]


def test_there_are_good_and_bad_fixtures_of_both_kinds() -> None:
    names = {p.parent.name for p in PATHS}
    assert {"good", "bad"} <= names
    assert any(p.name.endswith(".query.yaml") for p in PATHS)
    assert len(PATHS) >= 30


@pytest.mark.parametrize("path", PATHS, ids=lambda p: str(p.relative_to(INFO_FIXTURES)))
def test_fixture(info_engine: Engine, path: Path) -> None:
    fixture = load_info_fixture(path)
    problems = check(fixture, decide_fixture(info_engine, fixture))
    assert not problems, "\n".join(problems)


def _statuses(engine: Engine, fixtures: list[InfoFixture]) -> dict[str, set[RuleStatus]]:
    seen: dict[str, set[RuleStatus]] = {}
    for fx in fixtures:
        d = decide_fixture(engine, fx)
        results = [d.result] if isinstance(d, QueryDecision) else d.results()
        for result in results:
            for t in result.trace:
                seen.setdefault(t.rule, set()).add(t.status)
    return seen


def test_every_information_rule_passes_and_fails_somewhere(info_engine: Engine) -> None:
    seen = _statuses(info_engine, all_info_fixtures())
    rules = information_rules(info_engine)
    assert len(rules) >= 25
    missing = []
    for rule in rules:
        for wanted in (RuleStatus.passed, RuleStatus.failed):
            if wanted not in seen.get(rule.id, set()):
                missing.append(f"{rule.id} ({rule.spec.source}) is never {wanted.value}")
    assert not missing, "\n".join(missing)


def test_deleting_any_information_rule_breaks_a_fixture(info_engine: Engine) -> None:
    fixtures = all_info_fixtures()
    survivors = []
    for rule in information_rules(info_engine):
        rs = info_engine.ruleset
        reduced_set = dataclasses.replace(
            rs,
            rules=tuple(r for r in rs.rules if r is not rule),
            by_question={q: tuple(r for r in v if r is not rule) for q, v in rs.by_question.items()},
        )
        reduced = Engine(info_engine.catalogs, reduced_set, info_engine.calendar)
        if all(not check(fx, decide_fixture(reduced, fx)) for fx in fixtures):
            survivors.append(rule.id)
    assert not survivors, f"deleting these rules breaks no fixture: {survivors}"


def test_both_backends_agree_on_every_information_fixture(info_engine: Engine) -> None:
    pytest.importorskip("durable")
    from credit_rules.engine.durable_backend import DurableBackend

    durable = Engine(info_engine.catalogs, info_engine.ruleset, info_engine.calendar, DurableBackend())
    for fx in all_info_fixtures():
        a = decide_fixture(info_engine, fx)
        b = decide_fixture(durable, fx)
        assert b.backend == "durable_rules"
        assert a.model_copy(update={"backend": "x"}) == b.model_copy(update={"backend": "x"}), fx.file


def test_json_is_stable(info_engine: Engine) -> None:
    for fx in all_info_fixtures()[:5]:
        a, b = decide_fixture(info_engine, fx), decide_fixture(info_engine, fx)
        assert a.to_json() == b.to_json()


def test_2023_national_day_deadline_counts_makeup_saturday_and_sunday(info_engine: Engine) -> None:
    """梧州(六): 7 working days from the decision, the decision day not counted.

    catalogs/national/calendar/2023.yaml: 2023-09-29 (Fri, 中秋) to 2023-10-06 (Fri) are holidays, and
    Saturday 10-07 and Sunday 10-08 are 调休 working days.  From Thursday 2023-09-28:

    ==========  ===  ===============
    date        day  working day no.
    ==========  ===  ===============
    09-29…10-06      holiday (8 days)
    10-07       Sat  1 (makeup)
    10-08       Sun  2 (makeup)
    10-09       Mon  3
    10-10       Tue  4
    10-11       Wed  5
    10-12       Thu  6
    10-13       Fri  7  ← deadline
    10-16       Mon  8  (10-14/15 is a weekend)
    ==========  ===  ===============

    So a publication on 2023-10-13 is on time and one on 2023-10-16 is late; a plain Monday-to-Friday
    count would wrongly put the deadline on 2023-10-09.
    """
    cal = info_engine.calendar
    start = date(2023, 9, 28)
    assert cal.add_working_days(start, 7) == date(2023, 10, 13)
    assert cal.working_days_between(start, date(2023, 10, 13)) == 7
    assert cal.working_days_between(start, date(2023, 10, 16)) == 8
    assert cal.is_working_day(date(2023, 10, 7)) and cal.is_working_day(date(2023, 10, 8))
    by_name = {fx.name: fx for fx in all_info_fixtures()}
    on_time = decide_fixture(info_engine, by_name["a company's penalty published on the 7th working day is on time"])
    late = decide_fixture(info_engine, by_name["a penalty decided 2023-09-28 and published 2023-10-16 is late (8 working days; deadline 10-13)"])
    assert not isinstance(on_time, QueryDecision) and not isinstance(late, QueryDecision)
    assert on_time.publication is not None and late.publication is not None
    assert (on_time.publication.deadline, on_time.publication.on_time) == (date(2023, 10, 13), True)
    assert (late.publication.deadline, late.publication.on_time) == (date(2023, 10, 13), False)
    assert late.publish is not None and "published_late" in late.publish.warnings


def test_deadline_rule_applies_only_in_wuzhou(info_engine: Engine) -> None:
    """梧州(六) is a Wuzhou rule: the same late publication decided nationally has no deadline."""
    by_name = {fx.name: fx for fx in all_info_fixtures()}
    fx = by_name["a penalty decided 2023-09-28 and published 2023-10-16 is late (8 working days; deadline 10-13)"]
    assert fx.request is not None
    national = fx.request.model_copy(update={"jurisdiction": "000000"})
    from credit_rules.information import decide_information

    d = decide_information(info_engine, national)
    assert d.publish is not None and "A4.published_within_7_working_days" not in {t.rule for t in d.publish.trace}
    assert d.publication is not None and d.publication.deadline is None and d.publication.working_days_after_decision == 8


def test_fields_pin_any_field_of_an_information_decision(info_engine: Engine, tmp_path: Path) -> None:
    """``fields:`` asserts what the catalog says of the item (as case fixtures do): a wrong value is named."""
    (tmp_path / "base.yaml").write_bytes((INFO_FIXTURES / "base" / "company_penalty.yaml").read_bytes())
    path = tmp_path / "f.info.yaml"
    path.write_text(
        "name: fields\nbase: base.yaml\nexpect:\n  fields:\n"
        "    item.catalog.edition: '2022'\n    item.shared_with: [government_internal]\n    item.published: true\n    item.nothing: 1\n",
        encoding="utf-8",
    )
    fixture = load_info_fixture(path, root=tmp_path)
    problems = check(fixture, decide_fixture(info_engine, fixture))
    assert [p.split(":")[0] for p in problems] == ["fields[item.shared_with]", "fields[item.nothing]"]
