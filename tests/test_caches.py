"""Caches never change a decision.

The engine remembers catalog lookups, rule-list plans, trace entries,
question summaries and criteria results (docs/performance.md, *Fast paths*).
Every one is a pure function of its key, so a case decided with cold caches
and the same case decided after hundreds of others must give byte-identical
JSON, and decisions that share trace entries must not see each other.
"""

from __future__ import annotations

import random

import pytest

from credit_rules import Engine
from credit_rules.fixtures import Fixture

from .conftest import all_fixtures


@pytest.fixture(scope="module")
def fixtures() -> list[Fixture]:
    return all_fixtures()


def test_cold_and_warm_caches_give_identical_decisions(fixtures: list[Fixture]) -> None:
    engine = Engine.load()
    cold = {}
    for fx in fixtures:
        engine.clear_caches()
        cold[(fx.file, fx.index, fx.name)] = engine.decide(fx.case, fx.as_of, check_ids=False).to_json()
    order = list(fixtures) * 2
    random.Random(7).shuffle(order)
    for fx in order:  # warm, in another order, each case met again after others filled the caches
        assert engine.decide(fx.case, fx.as_of, check_ids=False).to_json() == cold[(fx.file, fx.index, fx.name)], fx.name


def test_default_backend_with_and_without_plans_agrees(fixtures: list[Fixture]) -> None:
    """The default backend with and without its plans, over every fixture."""
    from credit_rules.engine.backend import PythonBackend

    memo = Engine.load()
    bare = Engine(memo.catalogs, memo.ruleset, memo.calendar, PythonBackend(memo=False))
    for fx in fixtures:
        assert memo.decide(fx.case, fx.as_of, check_ids=False).to_json() == bare.decide(fx.case, fx.as_of, check_ids=False).to_json(), fx.name


def test_shared_trace_entries_are_frozen(fixtures: list[Fixture]) -> None:
    """Entries are shared between decisions, so they must not be assignable."""
    engine = Engine.load()
    fx = next(f for f in fixtures if f.case.listing is not None)
    first = engine.decide(fx.case, fx.as_of, check_ids=False)
    second = engine.decide(fx.case, fx.as_of, check_ids=False)
    assert first.determination is not None and second.determination is not None
    shared = first.determination.trace[0]
    assert shared is second.determination.trace[0]
    with pytest.raises(Exception):  # pydantic's frozen-instance error
        shared.status = shared.status  # type: ignore[misc]
    assert first.determination.trace is not second.determination.trace  # each decision has its own list


def test_subject_parses_its_uscc_once_and_copes_without_validation() -> None:
    from credit_rules.model.subject import Subject

    code = "91450400MA5L0001X8"
    validated = Subject.model_validate({"kind": "legal_person", "name": "某公司", "uscc": code, "uscc_registry_confirmed": True})
    assert validated.uscc_info is not None and validated.uscc_info is validated.uscc_info  # kept from validation
    built = Subject.model_construct(kind="legal_person", name="某公司", uscc=code)  # no validators ran
    assert built.uscc_info == validated.uscc_info
    assert built.uscc_check_mismatch == validated.uscc_check_mismatch
    assert Subject.model_validate({"kind": "natural_person", "name": "张三"}).uscc_info is None



def test_definition_entries_built_without_validation_equal_validated_ones(fixtures: list[Fixture]) -> None:
    """Definition trace entries are assembled without pydantic (engine/evaluation.py ``construct``): each must
    equal the same data validated, field for field, and serialise the same."""
    from credit_rules.model.decision import DefinitionEntry

    engine = Engine.load()
    seen = 0
    for fx in fixtures[:60]:
        d = engine.decide(fx.case, fx.as_of, check_ids=False)
        for q in (d.determination, d.listing, d.repair):
            for entry in q.definitions if q is not None else []:
                again = DefinitionEntry.model_validate(entry.model_dump())
                assert again == entry and again.model_dump_json() == entry.model_dump_json()
                assert again.model_fields_set == entry.model_fields_set
                seen += 1
    assert seen > 100


def test_question_results_copied_from_a_kept_result_equal_validated_ones(fixtures: list[Fixture]) -> None:
    """A question result's evaluation part is validated once and copied per decision when its evaluation is used
    again (engine/evaluation.py ``question_result``): each result must equal the same arguments validated —
    fields, their order, the fields set, the JSON — and hold lists of its own, not shared with another decision
    of the same case."""
    from credit_rules.model.decision import QuestionResult

    engine = Engine.load()
    seen = 0
    for fx in fixtures[:80]:
        decisions = [engine.decide(fx.case, fx.as_of, check_ids=False) for _ in range(3)]  # validated, then copies
        for name in ("determination", "listing", "supervision"):
            results = [getattr(d, name) for d in decisions]
            if results[0] is None:
                continue
            for r in results:
                again = QuestionResult(**{k: getattr(r, k) for k in r.model_fields_set})
                assert again == r and again.model_dump_json() == r.model_dump_json()
                assert list(again.__dict__) == list(r.__dict__) and again.model_fields_set == r.model_fields_set
            for a, b in ((results[0], results[1]), (results[1], results[2])):
                assert a == b and a is not b
                assert all(getattr(a, k) is not getattr(b, k) for k, v in a.__dict__.items() if isinstance(v, list))
            seen += 1
    assert seen > 80
