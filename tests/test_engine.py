"""Engine behaviour beyond single rules: purity, masking, layering, editions."""

from __future__ import annotations

from datetime import date

import pytest

from credit_rules import Engine, InputError, load_case
from credit_rules.catalog import jurisdiction_chain
from credit_rules.fixtures import merge
from credit_rules.model import Case

from .conftest import FIXTURES, ROOT


def _case(patch: dict[str, object], base: str = "court_listing.yaml") -> Case:
    import yaml

    raw = yaml.safe_load((FIXTURES / "base" / base).read_text(encoding="utf-8"))
    return Case.model_validate(merge(raw, patch))


def test_decision_needs_a_date_and_never_reads_the_clock(engine: Engine) -> None:
    case = _case({"as_of": None})
    with pytest.raises(InputError) as info:
        engine.decide(case)
    assert "as_of" in str(info.value)
    assert engine.decide(case, date(2024, 3, 1)).as_of == date(2024, 3, 1)


def test_same_input_same_json(engine: Engine) -> None:
    case = load_case(ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml")
    assert engine.decide(case).to_json() == engine.decide(case).to_json()


def test_natural_person_is_masked_unless_a_basis_is_given(engine: Engine) -> None:
    case = _case({})
    masked = engine.decide(case)
    assert masked.subject.name == "李**"
    assert masked.subject.identifier == "450*************33"
    assert "450404198503150033" not in masked.to_json()
    assert "李明华" not in masked.to_json()
    shown = engine.decide(case, disclosure_basis="民事诉讼法 第二百六十六条")
    assert shown.subject.identifier == "450404198503150033"


def test_organisation_identifiers_are_public(engine: Engine) -> None:
    case = load_case(ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml")
    assert engine.decide(case).subject.identifier == "91450400MA5L0001X8"


def test_registry_confirmed_uscc_mismatch_is_a_warning(engine: Engine) -> None:
    case = _case(
        {"subject": {"kind": "legal_person", "name": "某公司", "resident_id": None, "uscc": "91350203M0001QAY9B", "uscc_registry_confirmed": True}},
        base="samr_listing.yaml",
    )
    assert "uscc_check_mismatch_registry_confirmed" in engine.decide(case).warnings


def test_catalog_editions_and_ruleset_version_are_recorded(engine: Engine) -> None:
    d = engine.decide(_case({}))
    kinds = {e.kind for e in d.catalog_editions}
    assert {"listing_standards", "domains", "jurisdiction"} <= kinds
    assert d.ruleset_version == engine.ruleset.version
    assert all(not e.file.startswith("/") for e in d.catalog_editions)
    assert {e.jurisdiction for e in d.catalog_editions} <= {"000000", "450000", "450400"}


def test_jurisdiction_chain() -> None:
    assert jurisdiction_chain("450404") == ("000000", "450000", "450400", "450404")
    assert jurisdiction_chain("000000") == ("000000",)


def test_wuzhou_transition_deadline_is_a_local_parameter(engine: Engine) -> None:
    """梧州(十六): Wuzhou's own deadline (May 2022) is a parameter of the Wuzhou layer only; the national one stays."""
    from credit_rules.catalog.store import jurisdiction_chain

    on = date(2022, 4, 1)  # 梧州's rules date from 2022-03-24
    wuzhou = engine.parameters.for_jurisdiction(jurisdiction_chain("450400"))
    wuhan = engine.parameters.for_jurisdiction(jurisdiction_chain("420100"))
    assert wuzhou.value("local_list_transition_deadline", on)[0] == date(2022, 5, 31)  # type: ignore[index]
    assert wuhan.value("local_list_transition_deadline", on) is None
    assert wuzhou.value("list_transition_deadline", on)[0] == date(2021, 12, 31)  # type: ignore[index]
    assert wuhan.value("list_transition_deadline", on)[0] == date(2021, 12, 31)  # type: ignore[index]


def test_listing_allowed_states_document_contents_and_period(engine: Engine) -> None:
    d = engine.decide(_case({}))
    assert d.listing is not None and d.listing.outcome.value == "allowed"
    ids = [item.id for item in d.listing.decision_document_must_state]
    assert ids == ["reasons", "basis", "measure_notice", "removal_conditions_and_procedure", "remedies"]
    # ground (一) of 法释〔2017〕7号 第一条 sets no fixed term (第二条 gives two years to grounds (二)–(六) only)
    assert d.listing.period is not None and d.listing.period.years is None and d.listing.period.end is None
    assert d.listing.removal_conditions and d.listing.remedies
    two = engine.decide(_case({"act": {"conduct": ["obstructs_execution"]}}))
    assert two.listing is not None and two.listing.period is not None
    assert (two.listing.period.years, two.listing.period.extendable_years) == (2, (1, 3))


def test_refused_listing_states_no_period(engine: Engine) -> None:
    d = engine.decide(_case({"act": {"document": None}}))
    assert d.listing is not None and d.listing.outcome.value == "refused"
    assert d.listing.period is None and d.listing.decision_document_must_state == []


def test_only_determination_when_asked(engine: Engine) -> None:
    d = engine.decide(_case({"questions": ["determination"]}))
    assert d.listing is None and d.determination is not None
