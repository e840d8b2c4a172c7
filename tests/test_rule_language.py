"""Load-time validation of rules and the semantics of the condition language."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules.errors import InputError
from credit_rules.ruleset import compile_condition, load_ruleset
from credit_rules.ruleset.language import All, AnyOf, Compare, Not

RULE = """\
rules:
  - id: T1.sample
    question: listing
    principle: legality
    source: {source}
    reason: sample
    effect: refuse
    require: {require}
    message: {{zh: 示例, en: sample}}
"""


def _write(tmp_path: Path, body: str, extra: str = "") -> Path:
    (tmp_path / "ruleset.yaml").write_text("name: t\nversion: '1'\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text(body + extra, encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_ruleset(tmp_path)
    return info.value.render()


def test_valid_rule_loads(tmp_path: Path) -> None:
    rs = load_ruleset(_write(tmp_path, RULE.format(source="49号(六)", require="{fact: standard.consultation_days, ge: 2}")))
    assert [r.id for r in rs.rules] == ["T1.sample"]
    assert rs.rules[0].line == 2


def test_unknown_fact_suggests_a_name(tmp_path: Path) -> None:
    err = _problems(_write(tmp_path, RULE.format(source="49号(六)", require="{fact: standard.consultation_dys, ge: 2}")))
    assert "r.yaml:8" in err and "did you mean 'standard.consultation_days'" in err


def test_bad_operator(tmp_path: Path) -> None:
    err = _problems(_write(tmp_path, RULE.format(source="49号(六)", require="{fact: standard.consultation_days, bigger: 2}")))
    assert "r.yaml:8" in err and "exactly one operator" in err


def test_ordering_on_enum_fact_is_rejected(tmp_path: Path) -> None:
    err = _problems(_write(tmp_path, RULE.format(source="49号(六)", require="{fact: act.gravity, lt: serious}")))
    assert "lt/le/gt/ge need an int fact" in err


def test_enum_value_must_exist(tmp_path: Path) -> None:
    err = _problems(_write(tmp_path, RULE.format(source="49号(六)", require="{fact: act.gravity, eq: terrible}")))
    assert "one of ['minor'" in err


def test_missing_citation(tmp_path: Path) -> None:
    body = RULE.format(source="49号(六)", require="{fact: standard.consultation_days, ge: 2}").replace("    source: 49号(六)\n", "")
    err = _problems(_write(tmp_path, body))
    assert "rules[0].source" in err and "required" in err


def test_duplicate_id(tmp_path: Path) -> None:
    one = RULE.format(source="49号(六)", require="{fact: standard.consultation_days, ge: 2}")
    err = _problems(_write(tmp_path, one, one.replace("rules:\n", "")))
    assert "a unique rule id" in err and "r.yaml:10" in err


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    body = RULE.format(source="49号(六)", require="{fact: standard.consultation_days, ge: 2}").replace("    reason: sample\n", "    reason: sample\n    reason: other\n")
    err = _problems(_write(tmp_path, body))
    assert "duplicate key" in err and "r.yaml:7" in err


def test_obligation_needs_a_name(tmp_path: Path) -> None:
    body = RULE.format(source="49号(六)", require="{fact: standard.consultation_days, ge: 2}").replace("effect: refuse", "effect: obligation")
    assert "obligation" in _problems(_write(tmp_path, body))


@pytest.mark.parametrize(
    ("cond", "facts", "expected"),
    [
        (Compare("standard.consultation_days", "ge", 2), {"standard.consultation_days": 3}, True),
        # unknown is not false: a comparison on an unknown fact is unknown (None), and so is its negation
        (Compare("standard.consultation_days", "ge", 2), {"standard.consultation_days": None}, None),
        (Compare("standard.consultation_days", "ne", 2), {}, None),
        (Not(Compare("standard.consultation_days", "eq", 2)), {}, None),
        (Compare("standard.consultation_days", "present", True), {"standard.consultation_days": 0}, True),
        (Compare("standard.consultation_days", "present", False), {}, True),
        (Compare("act.intent", "in", ("negligent", "none")), {"act.intent": "none"}, True),
        (Compare("act.intent", "not_in", ("negligent",)), {}, None),
        (All((Compare("act.repeated", "eq", True), Compare("act.malicious", "eq", True))), {"act.repeated": True, "act.malicious": False}, False),
        (AnyOf((Compare("act.repeated", "eq", True), Compare("act.malicious", "eq", True))), {"act.repeated": True}, True),
        # Kleene logic: false wins an 'all', true wins an 'any', else unknown stays unknown
        (All((Compare("act.repeated", "eq", True), Compare("act.malicious", "eq", True))), {"act.malicious": False}, False),
        (All((Compare("act.repeated", "eq", True), Compare("act.malicious", "eq", True))), {"act.malicious": True}, None),
        (AnyOf((Compare("act.repeated", "eq", True), Compare("act.malicious", "eq", True))), {"act.malicious": False}, None),
    ],
)
def test_semantics(cond: object, facts: dict[str, object], expected: bool | None) -> None:
    assert compile_condition(cond) (facts) is expected  # type: ignore[arg-type]
