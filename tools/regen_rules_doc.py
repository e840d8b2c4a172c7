"""Regenerate the generated tables of docs/rules.md (facts, shipped rules, shipped definitions).

Run after changing the fact schema or rules/: ``.venv/bin/python tools/regen_rules_doc.py``.
tests/test_docs.py checks that every fact, rule and definition is documented.
"""

from __future__ import annotations

from pathlib import Path

from credit_rules import Engine
from credit_rules.facts.schema import _SPECS
from credit_rules.facts.specs.criteria import SPECS as CRITERIA_SPECS
from credit_rules.facts.specs.lifecycle import SPECS as LIFECYCLE_SPECS

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def _replace(text: str, marker: str, rows: list[str]) -> str:
    start = text.index(marker)
    end = text.find("\n\n", start)
    end = len(text) if end < 0 else end
    return text[:start] + "\n".join([marker, *rows]) + text[end:]


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    facts = ["| fact | type | values | description |", "|---|---|---|---|"]
    for spec in [*_SPECS, *CRITERIA_SPECS, *LIFECYCLE_SPECS]:
        values = ", ".join(f"`{v}`" for v in spec.values) if spec.values else ("`true`, `false`" if spec.type.value == "bool" else "")
        facts.append(f"| `{spec.name}` | {spec.type.value} | {values} | {spec.description} |")
    text = _replace(text, "<!-- generated from credit_rules.facts.schema.FACTS -->", facts)
    engine = Engine.load()
    rules = ["| id | question | effect | source (also cites) | jurisdiction | in force |", "|---|---|---|---|---|---|"]
    for r in engine.ruleset.rules:
        s = r.spec
        effect = f"obligation `{s.obligation}`" if s.obligation else s.effect.value
        also = f" ({', '.join(s.also_cites)})" if s.also_cites else ""
        window = "always"
        if s.in_force_from and s.in_force_to:
            window = f"{s.in_force_from} – {s.in_force_to}"
        elif s.in_force_from:
            window = f"from {s.in_force_from}"
        elif s.in_force_to:
            window = f"until {s.in_force_to}"
        rules.append(f"| `{s.id}` | {s.question.value} | {effect} | {s.source}{also} | {r.jurisdiction} | {window} |")
    text = _replace(text, "<!-- generated from credit_rules.Engine.load().ruleset -->", rules)
    defs = ["| definition | type | label (exception to) | source | file |", "|---|---|---|---|---|"]
    for name in engine.ruleset.definitions.order:
        g = engine.ruleset.definitions.groups[name]
        for d in g.members():
            exc = f"{d.label} (→ {d.spec.exception_to})" if d.spec.exception_to else d.label
            flag = " (unverified)" if not d.spec.verified else f" (verified as `{d.spec.verified_by}` says)" if d.spec.verified_by else ""
            defs.append(f"| `{d.id}` | {g.type} | {exc} | {d.spec.source}{flag} | {d.file}:{d.line} |")
    marker = "<!-- generated from credit_rules.Engine.load().ruleset.definitions -->"
    if marker not in text:
        text = text.replace("## Shipped rules", f"## Shipped definitions\n\n{marker}\n\n## Shipped rules", 1)
    text = _replace(text, marker, defs)
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
