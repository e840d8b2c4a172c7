"""DurableBackend must give exactly PythonBackend's statuses, and survive durable's quirks.

durable_rules evaluates our conditions from their JSON translation; the
reference semantics are ``credit_rules.ruleset.language`` (a comparison with a
missing fact is false, ``not`` negates the whole subcondition).  Besides
agreement, these tests pin the wrapper's defences: action exceptions reach the
caller, sessions are deleted (durable caps a ruleset at 1,024 live sessions),
and separate backends / rule sets do not collide in durable's process state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.engine.backend import PythonBackend
from credit_rules.model.decision import RuleStatus
from credit_rules.ruleset import (
    Rule,
    load_ruleset,
)

pytest.importorskip("durable")

from credit_rules.engine.durable_backend import INSTALL_HINT, DurableBackend, translate

from .strategies import fact_dicts, rule_lists

P, F, NA, U = RuleStatus.passed, RuleStatus.failed, RuleStatus.not_applicable, RuleStatus.unknown
SRC = Path(__file__).resolve().parents[1] / "src"


def write_rules(root: Path, rules: Sequence[Mapping[str, Any]]) -> tuple[Rule, ...]:
    """A throw-away rules tree (JSON is YAML) loaded through the real loader."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ruleset.yaml").write_text(json.dumps({"name": "t", "version": "0"}), encoding="utf-8")
    full = [
        {
            "question": "determination",
            "principle": "legality",
            "source": "49号(二)",
            "reason": "some_code",
            "effect": "refuse",
            "message": {"zh": "测试", "en": "test"},
            **r,
        }
        for r in rules
    ]
    (root / "rules.yaml").write_text(json.dumps({"rules": full}, ensure_ascii=False), encoding="utf-8")
    by_id = {r.id: r for r in load_ruleset(root).rules}
    return tuple(by_id[r["id"]] for r in rules)  # in the order written


def both(rules: Sequence[Rule], facts: Mapping[str, object], backend: DurableBackend) -> list[RuleStatus]:
    expected = PythonBackend().statuses(rules, facts)
    assert backend.statuses(rules, facts) == expected, facts
    return expected


@pytest.fixture(scope="module")
def backend() -> DurableBackend:
    return DurableBackend()


# ------------------------------------------------------------ hand-picked

HAND_RULES: list[dict[str, Any]] = [
    {"id": "T1.eq_bool", "require": {"fact": "document.present", "eq": True}},
    {"id": "T1.eq_false", "require": {"fact": "document.under_review", "eq": False}},
    {"id": "T1.ne_bool", "require": {"fact": "document.under_review", "ne": True}},
    {"id": "T1.eq_enum", "require": {"fact": "act.gravity", "eq": "serious"}},
    {"id": "T1.ne_enum", "require": {"fact": "act.gravity", "ne": "minor"}},
    {"id": "T1.lt", "require": {"fact": "standard.consultation_days", "lt": 3}},
    {"id": "T1.le", "require": {"fact": "standard.consultation_days", "le": 3}},
    {"id": "T1.gt", "require": {"fact": "standard.consultation_days", "gt": 3}},
    {"id": "T1.ge", "require": {"fact": "standard.consultation_days", "ge": 3}},
    {"id": "T1.in_enum", "require": {"fact": "act.intent", "in": ["intentional", "negligent"]}},
    {"id": "T1.not_in_enum", "require": {"fact": "act.intent", "not_in": ["none"]}},
    {"id": "T1.in_int", "require": {"fact": "supervision.unkept_commitments", "in": [16, 17]}},
    {"id": "T1.present", "require": {"fact": "supervision.unkept_commitments", "present": True}},
    {"id": "T1.absent", "require": {"fact": "supervision.unkept_commitments", "present": False}},
    {"id": "T1.not_eq", "require": {"not": {"fact": "document.present", "eq": True}}},
    {"id": "T1.not_lt", "require": {"not": {"fact": "standard.consultation_days", "lt": 3}}},
    {"id": "T1.not_in", "require": {"not": {"fact": "act.intent", "in": ["intentional"]}}},
    {"id": "T1.not_not_in", "require": {"not": {"fact": "act.intent", "not_in": ["intentional"]}}},
    {"id": "T1.not_absent", "require": {"not": {"fact": "supervision.unkept_commitments", "present": False}}},
    {"id": "T1.str_eq", "require": {"fact": "jurisdiction.code", "eq": "450400"}},
    {
        "id": "T1.when_and_nested",
        "when": {"fact": "document.present", "eq": True},
        "require": {
            "any": [
                {"all": [{"fact": "standard.consultation_days", "ge": 3}, {"not": {"fact": "act.repeated", "eq": True}}]},
                {"not": {"any": [{"fact": "act.intent", "eq": "intentional"}, {"fact": "act.malicious", "present": True}]}},
            ]
        },
    },
    {
        "id": "T1.not_all",
        "when": {"not": {"fact": "document.under_review", "eq": True}},
        "require": {"not": {"all": [{"fact": "standard.consultation_days", "gt": 1}, {"fact": "act.gravity", "in": ["serious", "especially_serious"]}]}},
    },
]

# (facts, expected statuses in HAND_RULES order)
HAND_CASES: list[tuple[dict[str, object], list[RuleStatus]]] = [
    (
        {},  # every fact unknown: every comparison unknown, and so its negation; only present() is decided
        [U, U, U, U, U, U, U, U, U, U, U, U, F, P, U, U, U, U, F, U, U, U],
    ),
    (
        {
            "document.present": True, "document.under_review": False, "act.gravity": "serious", "standard.consultation_days": 3,
            "act.intent": "intentional", "supervision.unkept_commitments": 17, "jurisdiction.code": "450400",
            "act.repeated": False,
        },
        [P, P, P, P, P, F, P, F, P, P, P, P, P, F, F, P, F, P, P, P, P, F],
    ),
    (
        {
            "document.present": False, "document.under_review": True, "act.gravity": "minor", "standard.consultation_days": 1,
            "act.intent": "none", "supervision.unkept_commitments": 40, "jurisdiction.code": "420000", "act.malicious": False,
        },
        [F, F, F, F, F, P, P, F, F, F, F, F, P, F, P, F, P, F, P, F, NA, NA],
    ),
    (
        {
            "document.present": True, "document.under_review": None, "act.gravity": "especially_serious", "standard.consultation_days": 4,
            "act.intent": "negligent", "supervision.unkept_commitments": None, "act.repeated": True, "act.malicious": None,
        },
        [P, U, U, F, P, F, F, P, P, P, P, U, F, P, F, P, P, F, F, U, P, U],
    ),
]


@pytest.fixture(scope="module")
def hand_rules(tmp_path_factory: pytest.TempPathFactory) -> tuple[Rule, ...]:
    return write_rules(tmp_path_factory.mktemp("hand"), HAND_RULES)


@pytest.mark.parametrize("facts, expected", HAND_CASES)
def test_hand_picked_cases(hand_rules: tuple[Rule, ...], backend: DurableBackend, facts: dict[str, object], expected: list[RuleStatus]) -> None:
    assert both(hand_rules, facts, backend) == expected


def test_translation_is_plain_json_and_guards_missing_facts(hand_rules: tuple[Rule, ...]) -> None:
    definition = translate(hand_rules)
    assert json.loads(json.dumps(definition)) == definition
    eq = definition["require_0"]["all"][0]["m"]
    assert eq == {"$and": [{"credit_rules__fact": 1}, {"$ex": {"document__present": 1}}, {"document__present": 1}]}
    not_eq = definition["require_14"]["all"][0]["m"]  # not(x == true) is definitely true only on a known x
    assert not_eq == {"$and": [{"credit_rules__fact": 1}, {"$ex": {"document__present": 1}}, {"$neq": {"document__present": 1}}]}
    not_eq_false = definition["require_false_14"]["all"][0]["m"]  # ... and definitely false only on a known x too
    assert not_eq_false == {"$and": [{"credit_rules__fact": 1}, {"$ex": {"document__present": 1}}, {"document__present": 1}]}
    assert definition["catch_all"]["run"] == "all"


def test_bool_facts_are_not_confused(tmp_path: Path, backend: DurableBackend) -> None:
    rules = write_rules(tmp_path, [
        {"id": "T1.is_true", "require": {"fact": "act.repeated", "eq": True}},
        {"id": "T1.is_false", "require": {"fact": "act.repeated", "eq": False}},
        {"id": "T1.not_true", "require": {"fact": "act.repeated", "ne": True}},
        {"id": "T1.not_false", "require": {"fact": "act.repeated", "ne": False}},
        {"id": "T1.in_both", "require": {"fact": "act.repeated", "in": [True, False]}},
    ])
    assert both(rules, {"act.repeated": True}, backend) == [P, F, F, P, P]
    assert both(rules, {"act.repeated": False}, backend) == [F, P, P, F, P]
    assert both(rules, {"act.repeated": None}, backend) == [U, U, U, U, U]


def test_mistyped_facts_are_refused(hand_rules: tuple[Rule, ...], backend: DurableBackend) -> None:
    # durable would compare "3" == 3 as true; the typed fact schema rules it out.
    with pytest.raises(TypeError, match="standard.consultation_days"):
        backend.statuses(hand_rules, {"standard.consultation_days": "3"})
    with pytest.raises(TypeError, match="document.present"):
        backend.statuses(hand_rules, {"document.present": 1})


# ------------------------------------------------------------ property test

PROPERTY_BACKEND = None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_lists, facts=st.lists(fact_dicts(), min_size=1, max_size=4))
def test_random_conditions_agree_with_python(rules: tuple[Rule, ...], facts: list[dict[str, object]]) -> None:
    global PROPERTY_BACKEND
    if PROPERTY_BACKEND is None:
        PROPERTY_BACKEND = DurableBackend(max_rulesets=4)  # small cache: eviction frees rulesets too
    for f in facts:
        both(rules, f, PROPERTY_BACKEND)


# ------------------------------------------------------------ wrapper defences


def test_action_exception_is_reraised(hand_rules: tuple[Rule, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    backend = DurableBackend()
    facts: dict[str, object] = {"document.present": True}
    expected = PythonBackend().statuses(hand_rules, facts)
    assert backend.statuses(hand_rules, facts) == expected

    class Boom(Exception):
        pass

    def boom(*_: object) -> None:
        raise Boom("inside a durable action")

    monkeypatch.setattr(backend, "_fired", boom)
    with pytest.raises(Boom, match="inside a durable action"):
        backend.statuses(hand_rules, facts)
    monkeypatch.undo()
    # the failed decision's session was deleted and the backend still works
    assert backend.statuses(hand_rules, facts) == expected


def test_many_decisions_do_not_hit_the_session_cap(hand_rules: tuple[Rule, ...]) -> None:
    backend = DurableBackend()
    facts = [case for case, _ in HAND_CASES]
    expected = [statuses for _, statuses in HAND_CASES]
    for i in range(1500):  # durable raises MemoryError at the 1,025th live session
        assert backend.statuses(hand_rules, facts[i % len(facts)]) == expected[i % len(facts)]


def test_two_backends_and_rule_sets_do_not_collide(tmp_path: Path) -> None:
    # same rule ids, different conditions ("baseline" vs "reform"), in one process
    base = write_rules(tmp_path / "base", [{"id": "T1.age", "require": {"fact": "supervision.unkept_commitments", "ge": 18}}])
    reform = write_rules(tmp_path / "reform", [{"id": "T1.age", "require": {"fact": "supervision.unkept_commitments", "ge": 16}}])
    other = write_rules(tmp_path / "other", [{"id": "T2.kind", "require": {"fact": "act.gravity", "eq": "minor"}}])
    a, b = DurableBackend(), DurableBackend()
    facts = {"supervision.unkept_commitments": 17, "act.gravity": "minor"}
    for _ in range(3):
        assert a.statuses(base, facts) == [F]
        assert b.statuses(reform, facts) == [P]
        assert a.statuses(reform, facts) == [P]  # same ids on one backend: recompiled, not confused
        assert b.statuses(other, facts) == [P]
        assert a.statuses(base, facts) == [F]
    a.close()
    assert b.statuses(base, facts) == [F]  # closing one backend leaves the other alone
    assert a.statuses(base, facts) == [F]  # and a closed backend recompiles on demand


def test_threads_share_one_backend(hand_rules: tuple[Rule, ...]) -> None:
    backend = DurableBackend()
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(150):
                facts, expected = HAND_CASES[(i + offset) % len(HAND_CASES)]
                assert backend.statuses(hand_rules, facts) == expected
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_missing_durable_gives_an_install_hint() -> None:
    code = (
        "import sys\n"
        "sys.modules['durable'] = None; sys.modules['durable.engine'] = None; sys.modules['durable_rules_engine'] = None\n"
        "from credit_rules.engine import durable_backend\n"  # the module itself imports fine
        "try:\n"
        "    durable_backend.DurableBackend()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=True)
    assert out.stdout.strip() == INSTALL_HINT
    assert "pip install 'credit_rules[durable]'" in INSTALL_HINT
