"""The reference docs list every fact and every shipped rule."""

from __future__ import annotations

from credit_rules import Engine
from credit_rules.facts.schema import FACTS

from .conftest import ROOT

RULES_DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_every_fact_is_documented() -> None:
    missing = [name for name in FACTS if f"`{name}`" not in RULES_DOC]
    assert not missing, f"docs/rules.md lacks facts: {missing}"


def test_every_shipped_rule_is_documented() -> None:
    missing = [r.id for r in Engine.load().ruleset.rules if f"`{r.id}`" not in RULES_DOC]
    assert not missing, f"docs/rules.md lacks rules: {missing}"
