"""Fuzzing the loaders: bad input never escapes as a traceback.

Whatever text a case, catalog or rule file holds, loading either succeeds or
raises InputError whose every problem names the file and a field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.cases import parse_case
from credit_rules.catalog.store import load_catalogs
from credit_rules.errors import InputError
from credit_rules.ruleset.loader import load_ruleset

from .conftest import ROOT

BASE_CASE = yaml.safe_load((ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml").read_text(encoding="utf-8"))
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
    st.dates().map(str), st.just("2023-02-30"), st.floats(allow_nan=False),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    data[path[0]] = _set(data[path[0]], path[1:], value)
    return data


def _assert_located(exc: InputError, file: str) -> None:
    assert exc.problems
    for p in exc.problems:
        assert p.file == file
        assert p.field
        assert p.expected


CASE_PATHS = _paths(BASE_CASE)[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASE_PATHS), values)
def test_mutated_case_is_accepted_or_rejected_with_location(path: tuple[Any, ...], value: Any) -> None:
    data = _set(copy.deepcopy(BASE_CASE), path, value)
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        parse_case(text, "mutated.yaml")
    except InputError as exc:
        _assert_located(exc, "mutated.yaml")
        assert all(p.line is not None for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_as_case(text: str) -> None:
    try:
        parse_case(text, "random.yaml")
    except InputError as exc:
        _assert_located(exc, "random.yaml")


CATALOG = (ROOT / "catalogs" / "national" / "listing_standards.yaml").read_text(encoding="utf-8")
CATALOG_DATA = yaml.safe_load(CATALOG)
CATALOG_PATHS = _paths(CATALOG_DATA)[1:]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CATALOG_PATHS), values)
def test_mutated_catalog_is_accepted_or_rejected_with_location(tmp_path: Path, path: tuple[Any, ...], value: Any) -> None:
    root = tmp_path / "cats"
    root.mkdir(exist_ok=True)
    target = root / "listing_standards.yaml"
    national = root / "legal_bases.yaml"
    national.write_text((ROOT / "catalogs" / "national" / "legal_bases.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "domains.yaml").write_text((ROOT / "catalogs" / "national" / "domains.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    target.write_text(yaml.safe_dump(_set(copy.deepcopy(CATALOG_DATA), path, value), allow_unicode=True), encoding="utf-8")
    try:
        load_catalogs(root)
    except InputError as exc:
        for p in exc.problems:
            assert p.file.endswith(".yaml") and p.field and p.expected


RULE_FILE = {
    "rules": [
        {
            "id": "T1.sample",
            "question": "listing",
            "principle": "legality",
            "source": "49号(六)",
            "reason": "sample",
            "effect": "refuse",
            "when": {"fact": "standard.found", "eq": True},
            "require": {"all": [{"fact": "standard.consultation_days", "ge": 2}, {"not": {"fact": "act.intent", "in": ["negligent"]}}]},
            "message": {"zh": "示例", "en": "sample"},
        }
    ]
}
RULE_PATHS = _paths(RULE_FILE)[1:]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(RULE_PATHS), values)
def test_mutated_rule_is_accepted_or_rejected_with_location(tmp_path: Path, path: tuple[Any, ...], value: Any) -> None:
    (tmp_path / "ruleset.yaml").write_text("name: t\nversion: '1'\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(_set(copy.deepcopy(RULE_FILE), path, value), allow_unicode=True), encoding="utf-8")
    try:
        load_ruleset(tmp_path)
    except InputError as exc:
        for p in exc.problems:
            assert p.file.endswith(".yaml") and p.field and p.expected
            assert p.line is not None
