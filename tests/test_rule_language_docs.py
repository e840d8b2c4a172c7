"""docs/rule-language.md stays current: its built-ins table is generated from ``checker.BUILTINS``."""

from __future__ import annotations

from credit_rules.ruleset.checker import BUILTINS

from .conftest import ROOT

DOC = ROOT / "docs" / "rule-language.md"


def builtins_table() -> str:
    """The table as the doc must hold it (regenerate the doc's block from this when a built-in changes)."""
    rows = ["| built-in | takes `at:` | meaning |", "|---|---|---|"]
    for sig in BUILTINS.values():
        call, text = sig.description.split("): ", 1)
        rows.append(f"| `{call})` | {'yes' if sig.takes_at else 'no'} | {text} |")
    return "\n".join(rows)


def test_every_builtin_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- builtins:start -->\n", 1)[1].split("\n<!-- builtins:end -->", 1)[0]
    assert block == builtins_table(), "docs/rule-language.md: replace the built-ins table with tests.test_rule_language_docs.builtins_table()"
    for name in BUILTINS:
        assert f"`{name}(" in block


def test_rule_language_is_linked() -> None:
    for page in ("index.md", "rules.md"):
        assert "rule-language.md" in (ROOT / "docs" / page).read_text(encoding="utf-8"), page
