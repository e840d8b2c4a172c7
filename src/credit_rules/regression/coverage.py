"""Coverage by article: which cited paragraphs the fixtures exercise, passing and failing.

A rule that no fixture ever sees failing is a paragraph of law whose
enforcement nobody has checked; one never seen passing may be a rule that
always refuses.  So for every paragraph the rule set cites (each rule's
``source`` and ``also_cites``) we count the fixtures in which a rule citing
it passed and those in which one failed.  ``--fail-under N`` then asks that
at least N % of the rules answered from cases were seen both ways.

Traces are read from the decision JSON wherever they occur (questions,
measures, later families), so new question families are covered without
changes here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model.case import CASE_QUESTIONS
from ..ruleset.model import RuleSet
from .runner import table


def trace_entries(data: Any) -> Iterator[Mapping[str, Any]]:
    """Every trace entry anywhere in a decision's JSON."""
    if isinstance(data, dict):
        trace = data.get("trace")
        if isinstance(trace, list):
            for entry in trace:
                if isinstance(entry, dict) and "rule" in entry and "status" in entry:
                    yield entry
        for key, value in data.items():
            if key != "trace":
                yield from trace_entries(value)
    elif isinstance(data, list):
        for value in data:
            yield from trace_entries(value)


@dataclass
class RuleCoverage:
    rule: str
    question: str
    citations: tuple[str, ...]
    counted: bool
    """Whether the rule counts towards --fail-under (answered from a case)."""
    passing: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)

    @property
    def both(self) -> bool:
        return bool(self.passing and self.failing)


@dataclass
class ParagraphCoverage:
    paragraph: str
    rules: list[str] = field(default_factory=list)
    passing: set[str] = field(default_factory=set)
    failing: set[str] = field(default_factory=set)


@dataclass
class Coverage:
    rules: list[RuleCoverage]
    paragraphs: list[ParagraphCoverage]
    fixtures: int

    @property
    def counted(self) -> list[RuleCoverage]:
        return [r for r in self.rules if r.counted]

    @property
    def percent(self) -> float:
        """Share of case rules seen both passing and failing (100 when there are none)."""
        counted = self.counted
        return 100.0 * sum(r.both for r in counted) / len(counted) if counted else 100.0


def measure(ruleset: RuleSet, decisions: Iterable[tuple[str, Mapping[str, Any]]]) -> Coverage:
    """Coverage of *ruleset* by (fixture id, decision JSON) pairs."""
    case_questions = {q.value for q in CASE_QUESTIONS}
    rules = {
        r.id: RuleCoverage(r.id, r.spec.question.value, (r.spec.source, *r.spec.also_cites), r.spec.question.value in case_questions)
        for r in ruleset.rules
    }
    paragraphs: dict[str, ParagraphCoverage] = {}
    for r in ruleset.rules:
        for para in (r.spec.source, *r.spec.also_cites):
            entry = paragraphs.setdefault(para, ParagraphCoverage(para))
            if r.id not in entry.rules:
                entry.rules.append(r.id)
    n = 0
    for ident, data in decisions:
        n += 1
        for t in trace_entries(data):
            rc = rules.get(str(t["rule"]))
            if rc is None:
                continue
            target = rc.passing if t["status"] == "passed" else rc.failing if t["status"] == "failed" else None
            if target is None:
                continue
            target.add(ident)
            for para in rc.citations:
                (paragraphs[para].passing if target is rc.passing else paragraphs[para].failing).add(ident)
    return Coverage(list(rules.values()), list(paragraphs.values()), n)


def render_coverage(cov: Coverage) -> str:
    """The paragraph table, the rules not yet seen both ways, and the percentage."""
    rows = [[p.paragraph, str(len(p.rules)), str(len(p.passing)), str(len(p.failing))] for p in cov.paragraphs]
    out = [f"Coverage by article ({cov.fixtures} fixtures decided; counts are fixtures)", ""]
    out.append(table(["paragraph", "rules", "passing", "failing"], rows, right=(1, 2, 3)))
    missing = []
    for r in cov.counted:
        if not r.both:
            never = [w for w, seen in (("passing", r.passing), ("failing", r.failing)) if not seen]
            missing.append(f"  {r.rule} ({r.citations[0]}): never {' or '.join(never)}")
    counted = cov.counted
    both = sum(r.both for r in counted)
    if missing:
        out.append("Rules not seen both passing and failing:")
        out += missing
        out.append("")
    out.append(f"rules seen passing and failing: {both}/{len(counted)} ({cov.percent:.1f}%)")
    return "\n".join(out) + "\n"
