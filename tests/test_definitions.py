"""Named, cited definitions and dated parameters (issue 12).

Definitions are loaded from throw-away rule trees through the real loader;
parameters from throw-away catalog layers over the shipped catalogs.  The
priority of exceptions is in the data: most specific wins, a conflict or an
unknown ``when`` gives unknown with a note, never a silent pick.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from credit_rules.catalog.kinds.parameters import Parameter, Parameters, parameters_of
from credit_rules.catalog.store import load_catalogs
from credit_rules.errors import InputError
from credit_rules.ruleset import load_ruleset
from credit_rules.ruleset.evaluate import Env
from credit_rules.ruleset.expr import INT, Type, set_of
from credit_rules.ruleset.model import RuleSet
from credit_rules.shipped import shipped_catalogs_dir
from credit_rules.workdays import WorkingDayCalendar

CAL = WorkingDayCalendar.default()
NATIONAL = frozenset({"000000"})
WUZHOU = frozenset({"000000", "450000", "450400"})
PARAMS: dict[str, Type] = {"age_of_majority": INT, "forms_founding_a_list": set_of(("law", "admin_regulation"))}


def tree(root: Path, files: Mapping[str, Mapping[str, Any]], params: Mapping[str, Type] = PARAMS) -> RuleSet:
    root.mkdir(parents=True, exist_ok=True)
    (root / "ruleset.yaml").write_text(json.dumps({"name": "t", "version": "0"}), encoding="utf-8")
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # one key per line so that problems have distinct lines
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    return load_ruleset(root, parameters=params)


def defs(root: Path, *definitions: Mapping[str, Any], local: list[Mapping[str, Any]] | None = None) -> RuleSet:
    files: dict[str, Mapping[str, Any]] = {"national.yaml": {"definitions": list(definitions)}}
    if local:
        files["local/wuzhou.yaml"] = {"jurisdiction": "450400", "definitions": local}
    return tree(root, files)


def value(rs: RuleSet, ident: str, facts: Mapping[str, object], chain: frozenset[str] = NATIONAL, params: Any = None) -> Any:
    groups = rs.definitions.needed([ident])
    env = Env({}, date(2025, 6, 1), params, CAL)
    values, used = rs.definitions.evaluate(groups, facts, env, chain)
    return values[ident], {u.group.id: u for u in used}


def d(ident: str, value: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "type": extra.pop("type", "bool"), "source": "49号(八)", **extra}
    if value is not None:
        out["value"] = value
    return out


def problems(exc: pytest.ExceptionInfo[InputError]) -> str:
    return exc.value.render()


# ---------------------------------------------------------------- cases


def test_cases_first_match(tmp_path: Path) -> None:
    rs = defs(tmp_path, d("tier", type="int", cases=[
        {"case": "grave", "when": "standard.consultation_days >= 3", "value": "3"},
        {"case": "repeat", "when": "act.repeated", "value": "2"},
        {"case": "other", "value": "1"},
    ]))
    v, used = value(rs, "tier", {"standard.consultation_days": 4, "act.repeated": True})
    assert v == 3 and used["tier"].outcome.case == "grave"  # first match wins, not the second
    v, used = value(rs, "tier", {"standard.consultation_days": 1, "act.repeated": True})
    assert v == 2 and used["tier"].outcome.case == "repeat"
    v, used = value(rs, "tier", {"standard.consultation_days": 1, "act.repeated": False})
    assert v == 1 and used["tier"].outcome.case == "other"


def test_case_with_unknown_when_is_unknown_not_skipped(tmp_path: Path) -> None:
    rs = defs(tmp_path, d("tier", type="int", cases=[
        {"case": "grave", "when": "standard.consultation_days >= 3", "value": "3"},
        {"case": "other", "value": "1"},
    ]))
    v, used = value(rs, "tier", {})
    assert v is None and used["tier"].outcome.case == "grave"


def test_no_case_applies_is_unknown(tmp_path: Path) -> None:
    rs = defs(tmp_path, d("tier", type="int", cases=[{"case": "grave", "when": "standard.consultation_days >= 3", "value": "3"}]))
    assert value(rs, "tier", {"standard.consultation_days": 1})[0] is None


# ---------------------------------------------------------------- exceptions

GENERAL = d("listable", "standard.consultation_days >= 3")
FORCE = d("listable", "false", label="force_majeure", exception_to="listable", when="act.force_majeure")
REPEAT = d("listable", "true", label="repeated", exception_to="listable", when="act.repeated")
MALICIOUS = d("listable", "true", label="malicious", exception_to="force_majeure", when="act.malicious")


def test_general_rule_when_no_exception_applies(tmp_path: Path) -> None:
    rs = defs(tmp_path, GENERAL, FORCE)
    v, used = value(rs, "listable", {"standard.consultation_days": 3, "act.force_majeure": False})
    assert v is True and used["listable"].outcome.by is not None and used["listable"].outcome.by.label == "listable"


def test_exception_overrides_general(tmp_path: Path) -> None:
    rs = defs(tmp_path, GENERAL, FORCE)
    v, used = value(rs, "listable", {"standard.consultation_days": 3, "act.force_majeure": True})
    assert v is False
    assert used["listable"].outcome.set_aside == ("listable",)


def test_most_specific_exception_wins(tmp_path: Path) -> None:
    rs = defs(tmp_path, GENERAL, FORCE, MALICIOUS)
    v, used = value(rs, "listable", {"standard.consultation_days": 1, "act.force_majeure": True, "act.malicious": True})
    assert v is True
    out = used["listable"].outcome
    assert out.by is not None and out.by.label == "malicious" and out.set_aside == ("listable", "force_majeure")
    v, _ = value(rs, "listable", {"standard.consultation_days": 3, "act.force_majeure": True, "act.malicious": False})
    assert v is False


def test_sibling_conflict_is_unknown_with_a_note(tmp_path: Path) -> None:
    rs = defs(tmp_path, GENERAL, FORCE, REPEAT)
    v, used = value(rs, "listable", {"standard.consultation_days": 3, "act.force_majeure": True, "act.repeated": True})
    assert v is None
    note = used["listable"].outcome.note or ""
    assert "conflicting exceptions" in note and "force_majeure" in note and "repeated" in note


def test_unknown_when_of_an_exception_is_unknown(tmp_path: Path) -> None:
    rs = defs(tmp_path, GENERAL, FORCE)
    v, used = value(rs, "listable", {"standard.consultation_days": 3})
    assert v is None
    assert "unknown whether exception force_majeure applies" in (used["listable"].outcome.note or "")


def test_local_exception_only_in_its_jurisdiction_chain(tmp_path: Path) -> None:
    local = d("listable", "false", label="wuzhou_minor", exception_to="listable", when="standard.consultation_days <= 3")
    rs = defs(tmp_path, GENERAL, local=[local])
    facts = {"standard.consultation_days": 3}
    assert value(rs, "listable", facts, NATIONAL)[0] is True
    assert value(rs, "listable", facts, frozenset({"000000", "420000"}))[0] is True
    assert value(rs, "listable", facts, WUZHOU)[0] is False


def test_local_general_definition_only_in_its_jurisdiction_chain(tmp_path: Path) -> None:
    rs = defs(tmp_path, d("national_one", "true"), local=[d("wuzhou_only", "true")])
    assert value(rs, "wuzhou_only", {}, WUZHOU)[0] is True
    assert value(rs, "wuzhou_only", {}, NATIONAL)[0] is None


def test_definitions_read_definitions_in_order(tmp_path: Path) -> None:
    rs = defs(tmp_path, d("adult", "otherwise(supervision.unkept_commitments, 0) >= param(age_of_majority)"), d("listable", "adult and act.repeated"))
    params = Parameters({"000000": [Parameter.model_validate({
        "id": "age_of_majority", "type": "int", "name_zh": "成年", "name_en": "adult",
        "values": [{"from": date(1987, 1, 1), "value": 18, "source": "民法典 第十七条"}]})]}).for_jurisdiction(("000000",))
    v, used = value(rs, "listable", {"supervision.unkept_commitments": 20, "act.repeated": True}, params=params)
    assert v is True
    assert used["adult"].read == {"supervision.unkept_commitments": 20}
    assert [p.name for p in used["adult"].params] == ["age_of_majority"]
    assert used["listable"].read == {"adult": True, "act.repeated": True}


# ---------------------------------------------------------------- load-time refusals


def test_cycle_detected_at_load_with_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("x", "y"), d("y", "z"), d("z", "x"))
    text = problems(exc)
    assert "in a circle" in text
    assert "->" in text and all(n in text for n in ("x", "y", "z"))
    assert "national.yaml:" in text


def test_one_general_definition_required(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("listable", "true"), d("listable", "false"))
    assert "one general definition of 'listable'" in problems(exc)
    with pytest.raises(InputError) as exc:
        defs(tmp_path / "b", FORCE)
    assert "one general definition" in problems(exc) and "only exceptions" in problems(exc)


def test_exception_to_an_unknown_label(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, GENERAL, d("listable", "true", label="x", exception_to="nosuch", when="act.repeated"))
    assert "exception_to" in problems(exc) and "nosuch" in problems(exc)


def test_type_mismatch_across_a_group_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, GENERAL, d("listable", "3", type="int", label="n", exception_to="listable", when="act.repeated"))
    assert "the type the other definitions of 'listable' declare (bool)" in problems(exc)


def test_value_of_the_wrong_type_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("adult", "supervision.unkept_commitments"))
    assert "an expression of type bool (this one is int)" in problems(exc)


def test_located_errors_file_line_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("ok", "true"), d("adult", "supervision.unkept_commitmentst >= 18"))
    text = problems(exc)
    line = next(p for p in exc.value.problems if "unkept_commitmentst" in p.expected)
    assert line.file.endswith("national.yaml") and line.line is not None and line.line > 5
    assert "definitions[1].value" in line.field
    assert "column 1" in text and "did you mean 'supervision.unkept_commitments'" in text


def test_definition_id_may_not_shadow_a_fact(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, {"id": "act.repeated", "type": "bool", "source": "x1", "value": "true"})
    assert "pattern" in problems(exc) or "not a fact" in problems(exc)


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"id": "x", "type": "bool", "source": "x1"}, "exactly one of 'value' or 'cases'"),
        ({"id": "x", "type": "bool", "source": "x1", "value": "true", "when": "true"}, "'when' belongs to exceptions"),
        ({"id": "x", "type": "bool", "source": "x1", "value": "true", "exception_to": "y"}, "an exception says 'when'"),
        ({"id": "x", "type": "bool", "source": "x1", "cases": []}, "at least one case"),
        ({"id": "x", "type": "bool", "source": "x1", "cases": [{"case": "a", "value": "true"}, {"case": "b", "value": "true"}]},
         "only the last case may omit 'when'"),
        ({"id": "x", "type": "float", "source": "x1", "value": "1"}, "a type"),
        ({"id": "x", "type": "bool", "source": "x1", "value": "true", "colour": "red"}, "colour"),
    ],
)
def test_bad_definition_shapes_are_located(tmp_path: Path, spec: dict[str, Any], words: str) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, spec)
    text = problems(exc)
    assert words in text and "national.yaml:" in text


def test_rules_read_definitions(tmp_path: Path) -> None:
    rule = {
        "id": "C1.adult", "question": "determination", "principle": "legality", "source": "49号(二)", "reason": "some_code",
        "effect": "refuse", "message": {"zh": "测试", "en": "test"}, "require": "adult and not act.force_majeure",
    }
    rs = tree(tmp_path, {"r.yaml": {"definitions": [d("adult", "supervision.unkept_commitments >= 18")], "rules": [rule]}})
    (r,) = rs.rules
    assert set(r.reads) == {"adult", "act.force_majeure"}
    assert r.require_fn({"adult": True, "act.force_majeure": False}) is True
    assert r.require_fn({"adult": None, "act.force_majeure": False}) is None


def test_shipped_information_definitions_load_and_evaluate() -> None:
    from credit_rules.engine.decide import Engine

    engine = Engine.load()
    v, used = value(engine.ruleset, "personal_use_authorised", {"consent.given": False})
    # no consent record and no basis named: known to be unauthorised, not unknown
    assert v is False
    assert used["consent_covers_use"].group.general.spec.source == "49号(十四)"


# ---------------------------------------------------------------- parameters

ENVELOPE = (
    "kind: parameters\njurisdiction: '{code}'\nedition: '2026-11'\neffective_from: 2000-01-01\ntitle: t\n"
    "source: {{citation: t, verified: true}}\nentries:\n"
)


def _param_layer(tmp_path: Path, body: str, code: str = "450402", name: str = "parameters.yaml") -> Path:
    layer = tmp_path / "layer"
    layer.mkdir(exist_ok=True)
    (layer / name).write_text(ENVELOPE.format(code=code) + body, encoding="utf-8")
    return layer


def _shipped() -> Parameters:
    return parameters_of(load_catalogs(shipped_catalogs_dir()))


def test_dated_values_and_lookup_by_date() -> None:
    p = _shipped()
    view = p.for_jurisdiction(("000000",))
    found = view.value("direct_suit_period", date(2015, 4, 30))
    assert found is not None and str(found[0]) == "3 months" and found[1].valid_from == date(1990, 10, 1)
    found = view.value("direct_suit_period", date(2015, 5, 1))
    assert found is not None and str(found[0]) == "6 months" and "第四十六条" in found[1].source
    assert found[1].verified is False


def test_before_first_value_is_unknown() -> None:
    view = _shipped().for_jurisdiction(("000000",))
    assert view.value("list_transition_deadline", date(2020, 12, 6)) is None
    assert view.value("no_such_parameter", date(2025, 1, 1)) is None


def test_local_layer_read_only_in_its_locality(tmp_path: Path) -> None:
    body = "  - id: local_days\n    type: int\n    name_zh: 地\n    name_en: local\n    values:\n      - {from: 2022-01-01, value: 5, source: 梧州(六)}\n"
    cats = load_catalogs([shipped_catalogs_dir(), _param_layer(tmp_path, body)])
    p = parameters_of(cats)
    assert p.types()["local_days"] == INT
    found = p.for_jurisdiction(("000000", "450000", "450400", "450402")).value("local_days", date(2023, 1, 1))
    assert found is not None and found[0] == 5
    assert p.for_jurisdiction(("000000", "420000")).value("local_days", date(2023, 1, 1)) is None
    # and national ones are seen from the locality
    assert p.for_jurisdiction(("000000", "450000", "450400", "450402")).value("age_of_majority", date(2023, 1, 1)) is not None


@pytest.mark.parametrize(
    ("type_", "value_", "words"),
    [("int", "'18'", "a int value"), ("duration[days]", "'6 months'", "a duration such as '6 days'"),
     ("set[legal_form]", "[law, statute]", "a non-empty list of values"), ("date", "'soon'", "a date value"),
     ("enum[gravity]", "grave", "value")],
)
def test_wrong_typed_value_refused_at_catalog_load(tmp_path: Path, type_: str, value_: str, words: str) -> None:
    body = f"  - id: bad_param\n    type: {type_}\n    name_zh: 坏\n    name_en: bad\n    values:\n      - {{from: 2022-01-01, value: {value_}, source: 梧州(六)}}\n"
    with pytest.raises(InputError) as exc:
        load_catalogs([shipped_catalogs_dir(), _param_layer(tmp_path, body)])
    text = exc.value.render()
    assert "parameters.yaml:" in text and words in text


def test_values_out_of_date_order_refused(tmp_path: Path) -> None:
    body = ("  - id: bad_param\n    type: int\n    name_zh: 坏\n    name_en: bad\n    values:\n"
            "      - {from: 2022-01-01, value: 1, source: 梧州(六)}\n      - {from: 2021-01-01, value: 2, source: 梧州(六)}\n")
    with pytest.raises(InputError) as exc:
        load_catalogs([shipped_catalogs_dir(), _param_layer(tmp_path, body)])
    assert "in order of their 'from' dates" in exc.value.render()


def test_duplicate_id_across_files_refused(tmp_path: Path) -> None:
    body = "  - id: age_of_majority\n    type: int\n    name_zh: 成年\n    name_en: adult\n    values:\n      - {from: 2022-01-01, value: 16, source: 梧州(六)}\n"
    with pytest.raises(InputError) as exc:
        load_catalogs([shipped_catalogs_dir(), _param_layer(tmp_path, body)])
    text = exc.value.render()
    assert "age_of_majority" in text and "a local parameter id the national layer does not give" in text


def test_rules_check_parameter_types(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("adult", "supervision.unkept_commitments >= param(age_of_majorty)"))
    assert "did you mean 'age_of_majority'" in problems(exc)


def test_a_date_parameter_with_a_time_is_refused(tmp_path: Path) -> None:
    body = "  - id: bad_param\n    type: date\n    name_zh: 坏\n    name_en: bad\n    values:\n      - {from: 2022-01-01, value: 2021-12-31 10:00:00, source: 梧州(六)}\n"
    with pytest.raises(InputError):
        load_catalogs([shipped_catalogs_dir(), _param_layer(tmp_path, body)])


def test_a_very_long_definition_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        defs(tmp_path, d("long", " and ".join(["act.repeated"] * 1500)))


def test_a_definition_reading_the_question_date_implicitly_is_remembered_per_date() -> None:
    """The definitions memo keys on the question's date only where an expression reads it without naming it."""
    from credit_rules import Engine

    groups = Engine.load().ruleset.definitions.groups
    assert groups["consultation_long_enough"].dated is False  # param(min_consultation_days, at: listing.decision_date)
    assert groups["minor_at_act"].dated is False  # param(age_of_majority, at: act.date)
    dated = [g.id for g in groups.values() if g.dated]
    for ident in dated:  # each of these has a dated built-in with no at: somewhere in its members
        texts = [m.spec.value or "" for m in groups[ident].members()] + [
            c.value for m in groups[ident].members() for c in (m.spec.cases or [])] + [m.spec.when or "" for m in groups[ident].members()]
        assert any(("param(" in t or "basis_in_force(" in t or "legal_form(" in t) for t in texts), ident


# ---------------------------------------------------------------- verified_by: the status from the data


def test_verified_by_takes_the_status_from_the_fact_it_names(tmp_path: Path) -> None:
    """A definition with ``verified_by`` is unverified unless the named fact is true in the decision — a catalog
    flag set true makes answers stop calling it unverified with no change to the rule (44号's consent rule)."""
    from credit_rules.engine.evaluation import _build_entry, _unverified_of

    rs = defs(tmp_path, d("needs_consent", "authority.level < standard.approval_required_below", verified_by="standard.authority_rule_verified"))
    base = {"authority.level": "county", "standard.approval_required_below": "provincial"}
    for flag, unverified in ((True, ()), (False, ("needs_consent (49号(八))",)), (None, ("needs_consent (49号(八))",))):
        got, used = value(rs, "needs_consent", {**base, "standard.authority_rule_verified": flag})
        u = used["needs_consent"]
        assert got is True
        assert _unverified_of(u) == unverified
        entry = _build_entry(u)
        assert entry.verified is (flag is True)
        assert entry.facts["standard.authority_rule_verified"] == flag  # read, so traced and part of the memo key


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"verified_by": "standard.authority_rule_verified", "verified": False}, "not both"),
        ({"verified_by": "standard.listing_mandatory_x"}, "standard.listing_mandatory"),  # an unknown name: did-you-mean
        ({"verified_by": "standard.approval_required_below"}, "an expression of type bool"),
        ({"verified_by": "not standard.authority_rule_verified"}, "verified_by"),  # a name, not an expression
    ],
)
def test_bad_verified_by_is_located(tmp_path: Path, extra: dict[str, Any], words: str) -> None:
    with pytest.raises(InputError) as exc:
        defs(tmp_path, d("needs_consent", "true", **extra))
    text = problems(exc)
    assert words in text and "national.yaml:" in text, text
