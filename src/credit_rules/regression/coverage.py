"""Coverage by article: which cited paragraphs the fixtures exercise, passing and failing.

A rule that no fixture ever sees failing is a paragraph of law whose
enforcement nobody has checked; one never seen passing may be a rule that
always refuses.  So for every paragraph the rule set cites (each rule's
``source`` and ``also_cites``) we count the fixtures in which a rule citing
it passed and those in which one failed.  ``--fail-under N`` then asks that
at least N % of the rules of the question families the run asked were seen
both ways: case rules when case fixtures ran, record/share/publish rules when
information fixtures ran, query rules when query fixtures ran — so a suite of
case fixtures is not marked down for the information rules it never asks
about, and a run of every kind answers for every rule.

Traces are read from the decision JSON wherever they occur (questions,
measures, information and query decisions), so new question families are
covered without changes here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model.case import CASE_QUESTIONS
from ..ruleset.model import RuleSet
from .runner import Kind, Result, table


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
    """Whether the rule counts towards --fail-under (its question family was asked by some fixture kind run)."""
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
    kinds: dict[str, int] = field(default_factory=dict)
    """Fixtures decided, by kind (case, information, query), when the runner measured them."""

    @property
    def counted(self) -> list[RuleCoverage]:
        return [r for r in self.rules if r.counted]

    @property
    def percent(self) -> float:
        """Share of counted rules seen both passing and failing (100 when there are none)."""
        counted = self.counted
        return 100.0 * sum(r.both for r in counted) / len(counted) if counted else 100.0


def measure(ruleset: RuleSet, decisions: Iterable[tuple[str, Mapping[str, Any]]], questions: Collection[str] | None = None) -> Coverage:
    """Coverage of *ruleset* by (fixture id, decision JSON) pairs.

    *questions* are the question families whose rules count towards the
    percentage (default: those answered from a case).
    """
    counted = {q.value for q in CASE_QUESTIONS} if questions is None else {str(q) for q in questions}
    rules = {
        r.id: RuleCoverage(r.id, r.spec.question.value, (r.spec.source, *r.spec.also_cites), r.spec.question.value in counted)
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


def measure_results(ruleset: RuleSet, results: Sequence[Result]) -> Coverage:
    """Coverage by the runner's results: every decided fixture of every kind, counting the families the kinds run ask."""
    decided = [r for r in results if r.decision is not None]
    kinds = {k: sum(1 for r in decided if r.item.kind is k) for k in Kind}
    questions = {q.value for k, n in kinds.items() if n for q in k.questions}
    # nothing decided: count the case rules, as before, rather than claim 100 % of nothing
    cov = measure(ruleset, ((r.item.ident, r.decision.model_dump(mode="json")) for r in decided if r.decision is not None), questions or None)
    cov.kinds = {k.value: n for k, n in kinds.items() if n}
    return cov


def render_coverage(cov: Coverage) -> str:
    """The paragraph table, the rules not yet seen both ways, and the percentage."""
    rows = [[p.paragraph, str(len(p.rules)), str(len(p.passing)), str(len(p.failing))] for p in cov.paragraphs]
    by_kind = f": {', '.join(f'{n} {k}' for k, n in cov.kinds.items())}" if cov.kinds else ""
    out = [f"Coverage by article ({cov.fixtures} fixtures decided{by_kind}; counts are fixtures)", ""]
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
