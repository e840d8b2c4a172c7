"""Compact decisions: what a decision concluded and what it read, without its trace — and back.

A full decision with its trace is about 26 KB of JSON; re-deciding a national
list writes millions of them.  A :class:`CompactDecision` keeps, per question,
the outcome, the reason codes and the ids of the rules whose effect applied
(per measure too), the case facts the decision read with their values, the
hashes of the rule set and catalogs it was decided under, and the sha256 of
the validated case — a few hundred bytes.

``explain`` turns a record back into the full traced decision: it checks that
the rule set and catalogs are the ones the record names and that the case is
the one it was decided from (by digest), decides it again, checks that the
outcomes, reasons, fired rules and facts are exactly those recorded, and
returns the decision — byte-identical to what ``credit-rules decide`` prints,
because it *is* that decision (decisions are pure functions of case, catalogs,
rules and date).  The record does not carry the case itself: every output
channel masks resident IDs, so a record could not hold one, and the case file
is where the personal data already lives.

The facts are those the definitions and rules read from outside (not the
definitions' own values), per question; for the measures question, the facts
of the case (each measure's own ``measure.*`` facts are catalog data, fixed by
the catalogs hash and the measure id).
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..masking import scrub_text
from ..model.case import Case
from ..model.decision import Decision
from ..ruleset.evaluate import value_for_trace
from .evaluation import construct

FORMAT: Final = "credit_rules.compact/1"

FACTS_READ: ContextVar[dict[str, dict[str, object]] | None] = ContextVar("credit_rules_facts_read", default=None)
"""While a compact decision is made: question -> the outside facts its evaluations read (filled by the engine)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompactAnswer(_Model):
    outcome: str
    reasons: list[str] = Field(description="reason codes of the rules whose effect was applied")
    fired: list[str] = Field(description="ids of the rules whose effect was applied")


class CompactMeasure(CompactAnswer):
    measure: str
    target: str


class CompactDecision(_Model):
    """A decision without its trace; ``credit-rules explain`` gives the full decision back."""

    format: Literal["credit_rules.compact/1"] = "credit_rules.compact/1"
    case_id: str = Field(description="as every output shows it (masked when shaped like a resident ID)")
    case_sha256: str = Field(description="sha256 of the validated case (its JSON), to find and check the case again")
    as_of: date
    jurisdiction: str
    ruleset_hash: str
    catalogs_hash: str
    backend: str
    determination: CompactAnswer | None = None
    listing: CompactAnswer | None = None
    measures: list[CompactMeasure] | None = None
    repair: CompactAnswer | None = None
    supervision: CompactAnswer | None = None
    facts: dict[str, dict[str, object]] = Field(description="per question: the facts its definitions and rules read, with values")

    def to_json_line(self) -> str:
        """One line of JSON; the same record gives the same bytes."""
        return self.model_dump_json()


class CompactItem(_Model):
    """One line of ``decide --batch --compact``: the compact decision of one case, or why there is none."""

    index: int = Field(description="0-based position of the case in the input")
    case_id: str | None = None
    ok: bool
    compact: CompactDecision | None = None
    error: str | None = None

    def to_json_line(self) -> str:
        return self.model_dump_json()


def case_digest(case: Case) -> str:
    """sha256 of the validated case's JSON: the same case (however its file was written) gives the same digest.

    The JSON is ``case.model_dump_json()``'s, in UTF-8: taken as bytes from the model's serializer, which
    ``model_dump_json`` calls with these same defaults and then decodes (2.6 µs a case less, in a compact batch;
    ``tests/test_compact.py`` pins the definition)."""
    return hashlib.sha256(case.__pydantic_serializer__.to_json(case)).hexdigest()


def _answer(q: object) -> CompactAnswer | None:
    if q is None:
        return None
    # every field given, of its type (a validated result's outcome value and id lists): what validation gives
    return construct(CompactAnswer, {"outcome": getattr(q, "outcome").value, "reasons": list(getattr(q, "reasons")), "fired": list(getattr(q, "fired"))})


def compact_of(
    decision: Decision,
    digest: str,
    facts: dict[str, dict[str, object]],
    measures: list[CompactMeasure] | None = None,
    repair: CompactAnswer | None = None,
) -> CompactDecision:
    """The compact form of *decision* (decided from the case whose digest is *digest*, having read *facts*);
    *measures*, *repair*: those answers where they were decided apart (column-wise), not in the decision."""
    if measures is None and decision.measures is not None:
        m = decision.measures
        measures = [
            construct(CompactMeasure, {"outcome": r.outcome.value, "reasons": list(r.reasons), "fired": list(r.fired), "measure": r.measure, "target": r.target})
            for r in (*m.applied, *m.refused, *m.undetermined)
        ]
    return CompactDecision(
        case_id=decision.case_id,
        case_sha256=digest,
        as_of=decision.as_of,
        jurisdiction=decision.jurisdiction,
        ruleset_hash=decision.ruleset_hash,
        catalogs_hash=decision.catalogs_hash,
        backend=decision.backend,
        determination=_answer(decision.determination),
        listing=_answer(decision.listing),
        measures=measures,
        repair=repair if repair is not None else _answer(decision.repair),
        supervision=_answer(decision.supervision),
        facts={q: {k: value_for_trace(v) for k, v in sorted(read.items())} for q, read in sorted(facts.items())},
    )


def decide_traced(engine: object, case: Case, as_of: date | None, disclosure_basis: str | None) -> tuple[Decision, CompactDecision]:
    """Decide *case* and give the decision with its compact form (ids already checked by the caller)."""
    from .decide import Engine

    assert isinstance(engine, Engine)
    read: dict[str, dict[str, object]] = {}
    token = FACTS_READ.set(read)
    try:
        decision = engine.decide(case, as_of, disclosure_basis=disclosure_basis, check_ids=False)
    finally:
        FACTS_READ.reset(token)
    return decision, compact_of(decision, case_digest(case), read)


def decide_compact(engine: object, case: Case, as_of: date | None = None, disclosure_basis: str | None = None) -> CompactDecision:
    """The compact decision of *case* (see the module doc), decided without building the definitions' trace
    entries, which the record does not hold (``explain`` decides with them and checks the record)."""
    from .evaluation import LEAN

    token = LEAN.set(True)
    try:
        return decide_traced(engine, case, as_of, disclosure_basis)[1]
    finally:
        LEAN.reset(token)


def explain(engine: object, record: CompactDecision, case: Case, *, where: str = "(record)", disclosure_basis: str | None = None) -> Decision:
    """The full traced decision *record* stands for, decided again from *case*; a located InputError when the
    case, the rule set or the catalogs are not those of the record, or the decision differs from it."""
    from .decide import Engine

    assert isinstance(engine, Engine)
    # Records pass through the output masking pass (an 11-digit run in an amount or an id reads like a phone
    # number; digests are left whole), so every comparison is made between masked texts.
    for name, want, have in (
        ("ruleset_hash", record.ruleset_hash, engine.ruleset.content_hash),
        ("catalogs_hash", record.catalogs_hash, engine.catalogs.content_hash),
        ("backend", record.backend, engine.backend.name),
        ("case_sha256", record.case_sha256, case_digest(case)),
    ):
        if scrub_text(want) != scrub_text(have):
            what = "case" if name == "case_sha256" else name.removesuffix("_hash").replace("ruleset", "rule set")
            raise InputError.one(where, None, name, f"the {what} the record was decided with ({want[:12]})", scrub_text(have[:12]))
    decision, again = decide_traced(engine, case, record.as_of, disclosure_basis)
    again = again.model_copy(update={"case_id": record.case_id})  # shown masked or not, per disclosure basis
    if scrub_text(again.to_json_line()) != scrub_text(record.to_json_line()):
        differs = [name for name in CompactDecision.model_fields if scrub_text(repr(getattr(again, name))) != scrub_text(repr(getattr(record, name)))]
        raise InputError.one(where, None, ", ".join(differs) or "(record)", "the decision the record states", "a different decision on re-running")
    return decision


__all__ = ["FORMAT", "CompactAnswer", "CompactDecision", "CompactItem", "CompactMeasure", "case_digest", "decide_compact", "decide_traced", "explain"]
