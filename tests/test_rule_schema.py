"""The JSON Schemas of rule files and parameters describe what the loader accepts, so an editor can validate.

Every shipped rule file and every shipped parameter entry validates against
the committed schemas; typical mistakes (two operators in a leaf, an unknown
key, a definition without a source) do not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT

jsonschema = pytest.importorskip("jsonschema")

SCHEMAS = ROOT / "docs" / "schemas"
RULE_FILES = sorted(p for p in (ROOT / "rules").rglob("*.yaml") if p.name != "ruleset.yaml")


def _validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(name: str, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(data)]


def _plain(data: Any) -> Any:
    """YAML dates as the ISO text a JSON editor would see."""
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if hasattr(data, "isoformat"):
        return data.isoformat()
    return data


def test_there_are_rule_files() -> None:
    assert len(RULE_FILES) > 5


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(ROOT / "rules")))
def test_shipped_rule_file_validates(path: Path) -> None:
    data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert _errors("rule-file", data) == []


def test_shipped_parameters_validate() -> None:
    for path in sorted((ROOT / "catalogs").rglob("parameters.yaml")):
        data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        for entry in data["entries"]:
            assert _errors("catalog-parameter-entry", entry) == [], (path, entry["id"])


RULE = {
    "id": "C1.x", "question": "determination", "principle": "legality", "source": "49号(二)", "reason": "some_code",
    "effect": "refuse", "message": {"zh": "测试", "en": "test"}, "require": {"fact": "act.repeated", "eq": True},
}


@pytest.mark.parametrize(
    "condition",
    [
        "present(consent.covers_use) and consent.covers_use",
        {"all": [{"fact": "act.repeated", "eq": True}, {"not": {"any": ["act.malicious", {"fact": "standard.consultation_days", "ge": 3}]}}]},
        {"fact": "act.gravity", "in": ["serious", "especially_serious"]},
        {"fact": "standard.consultation_days", "present": False},
    ],
)
def test_good_conditions(condition: object) -> None:
    assert _errors("rule-file", {"rules": [{**RULE, "when": condition}]}) == []
    assert _errors("rule", {**RULE, "require": condition}) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"fact": "act.repeated", "eq": True, "ne": False},  # two operators
        {"fact": "act.repeated"},  # no operator
        {"fact": "act.repeated", "equals": True},  # unknown operator
        {"all": []},  # empty group
        {"all": [{"fact": "act.repeated", "eq": True}], "any": []},  # two keys
        {"fact": "standard.consultation_days", "ge": "3"},  # ordering needs an int
        {"fact": "act.gravity", "in": []},
        "",
        42,
    ],
)
def test_bad_conditions(condition: object) -> None:
    assert _errors("rule-file", {"rules": [{**RULE, "require": condition}]})


@pytest.mark.parametrize(
    "definition",
    [
        {"id": "x", "type": "bool", "value": "true"},  # no source
        {"id": "x", "type": "bool", "source": "x1", "value": "true", "colour": "red"},
        {"id": "Bad.id", "type": "bool", "source": "x1", "value": "true"},
        {"id": "x", "type": "int", "source": "x1", "cases": [{"case": "a", "value": "1", "extra": 1}]},
    ],
)
def test_bad_definitions(definition: object) -> None:
    assert _errors("rule-file", {"definitions": [definition]})


def test_good_definitions() -> None:
    defs = [
        {"id": "tier", "type": "int", "source": "x1", "cases": [{"case": "a", "when": "act.repeated", "value": 1}, {"case": "b", "value": "2"}]},
        {"id": "tier", "type": "int", "source": "x1", "label": "l", "exception_to": "tier", "when": "act.malicious", "value": 3},
        {"id": "adult", "type": "bool", "source": "x1", "value": True, "verified": False, "also_cites": ["y"]},
    ]
    assert _errors("rule-file", {"definitions": defs}) == []


def test_bad_parameter_entry() -> None:
    entry = {"id": "p", "type": "int", "name_zh": "参", "name_en": "p", "values": [{"from": "2020-01-01", "value": 1}]}
    assert _errors("catalog-parameter-entry", entry)  # no source
    entry["values"] = [{"from": "2020-01-01", "value": 1, "source": "x1"}]
    assert _errors("catalog-parameter-entry", entry) == []
    assert _errors("catalog-parameter-entry", {**entry, "values": []})
