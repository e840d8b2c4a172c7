"""The mutation report: the score, where the suite is blind (per file and per paragraph), and each survivor
with its location, its legal meaning and the boundary fixture that would kill it."""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..masking import scrub_text
from ..model.case import Case
from ..regression.runner import Item
from .operators import Mutant
from .run import Outcome, Tree, Verdict


@dataclass(frozen=True)
class Score:
    total: int
    killed: int
    caught_at_load: int
    survived: int
    equivalent: int = 0

    @property
    def percent(self) -> float:
        """Mutants noticed (killed by a fixture or refused at load time), as a share of all judged that could be:
        a mutant recorded as legally equivalent (it changes no decision) is left out of the share."""
        judged = self.total - self.equivalent
        return 100.0 * (self.killed + self.caught_at_load) / judged if judged else 100.0


def score(outcomes: Sequence[Outcome]) -> Score:
    c = Counter(o.verdict for o in outcomes)
    return Score(len(outcomes), c[Verdict.killed], c[Verdict.caught_at_load], c[Verdict.survived], c[Verdict.equivalent])


def suggestion(tree: Tree, fixtures: Sequence[Item], m: Mutant) -> str:
    """The boundary case that would tell the original from the mutant, where the data says what it is."""
    if m.operator not in ("number_plus_one", "number_minus_one", "number_times_1.1", "number_times_0.9") and not m.operator.startswith("date_"):
        return ""
    data = next((src.data for src in tree.files.values() if src.file == m.file), None)
    node: Any = data
    threshold: dict[str, Any] | None = None
    entry: dict[str, Any] | None = None
    for step in m.path[:-1]:
        node = node[step]
        if isinstance(node, dict) and "quantity" in node and "op" in node:
            threshold = node
        if isinstance(node, dict) and "id" in node and entry is None:
            entry = node
    between = f"between {m.before} and {m.after}"
    if threshold is not None:
        quantity = threshold["quantity"]
        near = next((f for f in fixtures if entry is not None and _lists_under(f, str(entry.get("id")))), None)
        base = f" (e.g. fixture '{near.name}' with {quantity}: {m.before})" if near is not None else ""
        return f"add a fixture whose {quantity} is {m.before}, the original boundary, and one {between}{base}"
    return f"add a fixture that sits at the boundary: a value or date {between} gives different answers under the two"


def _lists_under(item: Item, standard: str) -> bool:
    case = getattr(item.fixture, "case", None)
    return isinstance(case, Case) and case.listing is not None and case.listing.standard == standard


def render_text(
    tree: Tree, fixtures: Sequence[Item], outcomes: Sequence[Outcome], *, limit: int = 50, notes: Sequence[str] = ()
) -> str:
    s = score(outcomes)
    lines = [
        f"mutants: {s.total}  killed: {s.killed}  caught at load time: {s.caught_at_load}  survived: {s.survived}"
        + (f"  equivalent: {s.equivalent}" if s.equivalent else ""),
        f"mutation score: {s.percent:.1f}%" + (" (equivalent mutants left out)" if s.equivalent else ""),
        *notes,
        "",
        "by file (survived / judged):",
    ]
    by_file: dict[str, list[Outcome]] = defaultdict(list)
    by_cited: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_file[o.mutant.file].append(o)
        by_cited[o.mutant.cited or "(no citation)"].append(o)
    for name in sorted(by_file):
        group = by_file[name]
        lines.append(f"  {sum(o.verdict is Verdict.survived for o in group):>4} / {len(group):<4} {name}")
    lines += ["", "paragraphs with survivors (survived / judged):"]
    for cited, group in sorted(by_cited.items(), key=lambda kv: (-sum(o.verdict is Verdict.survived for o in kv[1]), kv[0])):
        survived = sum(o.verdict is Verdict.survived for o in group)
        if survived:
            lines.append(f"  {survived:>4} / {len(group):<4} {cited}")
    equivalents = [o for o in outcomes if o.verdict is Verdict.equivalent]
    if equivalents:
        lines += ["", f"legally equivalent (recorded, left out of the score; first {min(limit, len(equivalents))} of {len(equivalents)}):"]
        lines += [f"  {o.mutant.where}  [{o.mutant.operator}]  {o.mutant.meaning()}\n      why: {o.by}" for o in equivalents[:limit]]
    survivors = [o for o in outcomes if o.verdict is Verdict.survived]
    if survivors:
        lines += ["", f"survivors (first {min(limit, len(survivors))} of {len(survivors)}):"]
        for o in survivors[:limit]:
            lines.append(f"  {o.mutant.where}  [{o.mutant.operator}]  {o.mutant.meaning()}")
            hint = suggestion(tree, fixtures, o.mutant)
            if hint:
                lines.append(f"      → {hint}")
    return scrub_text("\n".join(lines)) + "\n"


def as_json(tree: Tree, fixtures: Sequence[Item], outcomes: Sequence[Outcome], *, notes: Sequence[str] = ()) -> str:
    s = score(outcomes)
    payload = {
        "score": {"total": s.total, "killed": s.killed, "caught_at_load": s.caught_at_load, "survived": s.survived,
                  "equivalent": s.equivalent, "percent": round(s.percent, 2)},
        "notes": list(notes),
        "mutants": [
            {
                "file": o.mutant.file, "line": o.mutant.line, "field": o.mutant.field, "operator": o.mutant.operator,
                "cited": o.mutant.cited, "meaning": o.mutant.meaning(), "verdict": o.verdict.value, "by": o.by,
                "suggestion": suggestion(tree, fixtures, o.mutant) if o.verdict is Verdict.survived else "",
            }
            for o in outcomes
        ],
    }
    return scrub_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str)) + "\n"


def as_html(tree: Tree, fixtures: Sequence[Item], outcomes: Sequence[Outcome]) -> str:
    s = score(outcomes)
    rows = "\n".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            *(html.escape(scrub_text(str(x))) for x in (o.mutant.where, o.mutant.operator, o.mutant.meaning(), o.verdict.value, o.by))
        )
        for o in outcomes
    )
    return (
        "<!doctype html><html lang=\"zh\"><meta charset=\"utf-8\"><title>credit-rules mutate</title>"
        f"<h1>Mutation score {s.percent:.1f}%</h1>"
        f"<p>mutants {s.total}, killed {s.killed}, caught at load time {s.caught_at_load}, survived {s.survived},"
        f" equivalent {s.equivalent}</p>"
        "<table><tr><th>where</th><th>operator</th><th>meaning</th><th>verdict</th><th>by</th></tr>\n"
        f"{rows}</table></html>\n"
    )


__all__ = ["Score", "as_html", "as_json", "render_text", "score", "suggestion"]
