"""Decision-point statistics (ruleset/stats.py): counts over the shipped rules and a small tree."""

from __future__ import annotations

import pytest

import json
from pathlib import Path

from credit_rules import Engine
from credit_rules.facts.schema import all_facts
from credit_rules.ruleset import load_ruleset
from credit_rules.ruleset.expr import INT
from credit_rules.ruleset.stats import FACT_ORIGINS, render_stats, stats


def test_every_fact_of_the_schema_is_classified() -> None:
    facts = all_facts()
    missing = sorted(set(facts) - set(FACT_ORIGINS))
    assert not missing, f"classify these facts in ruleset/stats.py: {missing}"
    stale = sorted(set(FACT_ORIGINS) - set(facts))
    assert not stale, f"no longer in the fact schema: {stale}"


def test_counts_of_a_small_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FACT_ORIGINS, "criteria.met_count", "derived")  # whatever the shipped table says today
    (tmp_path / "ruleset.yaml").write_text(json.dumps({"name": "t", "version": "0"}), encoding="utf-8")
    rule = {
        "id": "C1.x", "question": "determination", "principle": "legality", "source": "49号(二)", "reason": "some_code",
        "effect": "refuse", "message": {"zh": "测试", "en": "test"},
        "when": {"fact": "act.repeated", "eq": True}, "require": "adult and criteria.met_count >= 1 and subject.kind == natural_person",
    }
    defs = [
        {"id": "adult", "type": "bool", "source": "民法典 第十七条", "value": "standard.consultation_days >= param(age_of_majority)"},
        {"id": "adult", "type": "bool", "source": "x1", "label": "minor_worker", "exception_to": "adult",
         "when": "act.malicious", "value": "true"},
        {"id": "tier", "type": "int", "source": "x1", "cases": [{"case": "a", "when": "act.repeated", "value": "1"}, {"case": "b", "value": "2"}]},
    ]
    (tmp_path / "r.yaml").write_text(json.dumps({"definitions": defs, "rules": [rule]}, ensure_ascii=False), encoding="utf-8")
    s = stats(load_ruleset(tmp_path, parameters={"age_of_majority": INT}), all_facts())
    assert (s.rules, s.rule_leaves) == (1, 4)
    assert (s.definitions, s.definition_members, s.exceptions, s.cases) == (2, 3, 1, 2)
    assert s.parameters_read == ("age_of_majority",)
    assert s.legal_points == 4 + 3 + 2 + 1
    assert "criteria.met_count" in s.derived_read_by_rules
    assert "act.repeated" not in s.derived


def test_shipped_stats_and_rendering() -> None:
    s = stats(Engine.load().ruleset, all_facts())
    assert s.rules > 50 and s.rule_leaves >= s.rules
    assert s.definitions >= 4 and "forms_authorising_personal_information_use" in s.parameters_read
    assert sum(s.facts_by_origin.values()) == len(all_facts())
    assert s.facts_by_origin["derived"] == len(s.derived)
    text = render_stats(s)
    assert "Decision points in rules/" in text and "derived (a legal test computed in Python)" in text and "computed (in Python, not law)" in text
    assert "  criteria.met_count: " in text and "  subject.uscc_check_mismatch: " in text


def test_lint_stats_prints_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from credit_rules.cli import main

    assert main(["lint", "--stats"]) == 0
    out = capsys.readouterr().out
    assert "Decision points in rules/" in out and "derived (a legal test computed in Python)" in out and "parameters read" in out
