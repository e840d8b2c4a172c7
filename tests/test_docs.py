"""The reference docs list every fact and every shipped rule."""

from __future__ import annotations

from credit_rules import Engine
from credit_rules.facts.schema import all_facts

from .conftest import ROOT

RULES_DOC = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))


def test_every_fact_is_documented() -> None:
    missing = [name for name in all_facts() if f"`{name}`" not in RULES_DOC]
    assert not missing, f"the docs lack facts: {missing}"


def test_every_shipped_rule_is_documented() -> None:
    missing = [r.id for r in Engine.load().ruleset.rules if f"`{r.id}`" not in RULES_DOC]
    assert not missing, f"the docs lack rules: {missing}"


def test_committed_json_schemas_are_current(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from credit_rules.schemas import write_schemas

    for path in write_schemas(tmp_path):
        committed = ROOT / "docs" / "schemas" / path.name
        assert committed.exists(), f"docs/schemas/{path.name} missing: run credit-rules schema --out docs/schemas"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/schemas/{path.name} is stale: run credit-rules schema --out docs/schemas"
        )
