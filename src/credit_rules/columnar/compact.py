"""Compact records made by the columnar evaluator: the fast path of ``decide --batch --compact``.

Why: a never-seen case costs the per-case engine about 0.9 ms of CPU (it
evaluates its definitions afresh and builds their trace), so a batch of compact
records cannot go much past a thousand cases a second that way.  The columnar
evaluator (:mod:`credit_rules.columnar.evaluate`) decides the determination and
listing questions of a whole chunk at once, from the same rules, catalogs and
summary logic, and computes every fact those questions read as a column.  A
compact record holds nothing else: per question the outcome, reasons and fired
rule ids, and the facts the question's evaluation read — which are the *leaves*
of the rules that apply in the case's jurisdiction on the question's date
(``Engine._inputs``; the same rule list the engine picks, ``Engine._applicable``),
with their values.  So the record of a case that asks only those two questions
is built here, byte for byte the line the per-case path writes, and
``credit-rules explain`` turns it back into the full traced decision as before.

A case asking measures or repair is decided by the per-case engine with those
two questions handed over (:mod:`credit_rules.engine.deferred`), and their rows
— a row per proposed measure and target, a row per repair request — are decided
for the whole chunk by the compiled questions (:mod:`credit_rules.columnar.rows`,
:meth:`CompactColumnar.deferred_lines`); ``tests/test_compact_deferred.py``.

What is not built here goes to the per-case engine, case by case, unchanged:
a case asking supervision and neither measures nor repair; a case with no as-of date; an
engine on another backend than ``python``; a date past the year 9000 (a period
added to it could overflow, an error the per-case engine reports); an amount
the columns cannot hold exactly (more than :data:`DECIMAL_SCALE` decimal places
or 20 integer digits); a fact the columns render differently (a decimal value).
If the columnar evaluation of a chunk fails for any reason, the whole chunk
goes to the per-case engine.  ``tests/test_compact_columnar.py`` compares the
lines of both paths byte for byte.

The lines are assembled from a template made by serialising a
:class:`CompactItem` whose variable fields are placeholders (so a field added
to the record model changes the template too), each question's facts as one
JSON object per row (polars' ``struct.json_encode``, keys sorted as
``compact_of`` sorts them, lists sorted as ``value_for_trace`` sorts them), and
each distinct answer serialised once by the record model itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
import pydantic_core

from ..engine.compact import FACTS_READ, CompactAnswer, CompactDecision, CompactItem, CompactMeasure, case_digest, compact_of
from ..engine.decide import Engine, record_facts
from ..engine.evaluation import LEAN, construct
from ..engine.deferred import DEFERRED, Deferred
from ..engine.measures import MeasureRow, measure_outcome
from ..engine.repair import OUTPUTS as REPAIR_OUTPUTS
from ..model.decision import Decision, Outcome
from ..masking import scrub_text
from ..model.case import Case, Question
from ..ruleset.model import Rule
from .compile import DECIMAL_SCALE, QUESTION_DATE
from .entries import COLUMNS, frame_of, from_case
from .rows import RowQuestion
from .evaluate import DETERMINATION_DATE, ColumnarEngine, decide_frame, determination_fact_names

FAST_QUESTIONS = frozenset({Question.determination, Question.listing})
"""The questions the columnar evaluator answers; a case asking any other goes to the per-case engine."""

LISTING_OUTPUTS = ("list_term_years",)
"""The definitions the engine evaluates for the listing question besides those its rules read (``Engine.decide``)."""

_LAST_YEAR = 9000
_DATE_COLUMNS = tuple(c.name for c in COLUMNS if c.dtype == pl.Date)
"""The entries columns that hold dates (the only values of a row with a year)."""
_MAX_FIGURE = Decimal(10) ** 20
_QUANTUM = Decimal(1).scaleb(-DECIMAL_SCALE)

_PLACE = "\ue000{}\ue000"
"""A placeholder in the template (a private-use character no record holds)."""


@dataclass
class CompactColumnar:
    """An engine's determination and listing questions compiled to columns, making compact record lines."""

    engine: Engine
    columnar: ColumnarEngine
    _det_facts: frozenset[str]
    measures: RowQuestion
    repair: RowQuestion
    _groups: dict[tuple[int, int], tuple[tuple[Rule, ...], tuple[Rule, ...], tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    _answers: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], str] = field(default_factory=dict)
    _template: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, engine: Engine) -> CompactColumnar:
        return cls(
            engine, ColumnarEngine.of(engine), determination_fact_names(),
            RowQuestion.of(engine, Question.measures, refused=Outcome.refused, ok=Outcome.allowed),
            RowQuestion.of(engine, Question.repair, refused=Outcome.not_repairable, ok=Outcome.repairable, deferred=Outcome.not_yet),
        )

    # ----------------------------------------- cases asking measures or repair

    def deferred_lines(self, cases: Sequence[tuple[int, Case]], as_of: date | None, disclosure_basis: str | None) -> dict[int, str]:
        """The :class:`CompactItem` line of each ``(index, case)`` asking the measures or the repair question, by
        index: the case decided by the per-case engine with those questions deferred
        (:data:`~credit_rules.engine.deferred.DEFERRED`), then their rows of the whole chunk by the compiled
        questions (:class:`~.rows.RowQuestion`) at once.  A case left out (asking neither, a row the columns do not
        take, any failure) is for the caller to decide per case."""
        engine = self.engine
        if engine.backend.name != "python":
            return {}
        kept: list[tuple[int, Case, Decision, dict[str, dict[str, object]], Deferred]] = []
        for index, case in cases:
            asked = case.asked()
            want_measures = case.measures is not None and Question.measures in asked
            want_repair = case.repair is not None and Question.repair in asked
            if not (want_measures or want_repair):
                continue
            read: dict[str, dict[str, object]] = {}
            handed = Deferred()
            tokens = (FACTS_READ.set(read), DEFERRED.set(handed), LEAN.set(True))
            try:
                decision = engine.decide(case, as_of, disclosure_basis=disclosure_basis, check_ids=False)
            except Exception:  # noqa: BLE001 - the per-case path makes this case's error item
                continue
            finally:
                LEAN.reset(tokens[2])
                DEFERRED.reset(tokens[1])
                FACTS_READ.reset(tokens[0])
            if len(handed.measures) != want_measures or len(handed.repair) != want_repair:
                continue
            if all(self.measures.takes(on, [row.facts for row in rows]) for _, on, rows in handed.measures) and all(
                self.repair.takes(on, [facts]) for _, on, facts in handed.repair
            ):
                kept.append((index, case, decision, read, handed))
        measure_answers = iter(self.measures.decide([(code, on, row.facts) for *_, h in kept for code, on, rows in h.measures for row in rows]))
        repair_answers = iter(self.repair.decide([row for *_, h in kept for row in h.repair]))
        out: dict[int, str] = {}
        for index, case, decision, read, handed in kept:
            measures: list[CompactMeasure] | None = None
            for code, on, rows in handed.measures:
                measures = self._measures(code, on, rows, measure_answers, read)
            repair: CompactAnswer | None = None
            for code, on, facts in handed.repair:
                summary, reasons, fired = next(repair_answers)
                repair = construct(CompactAnswer, {"outcome": summary.value, "reasons": reasons, "fired": fired})
                leaves = engine._inputs(engine._applicable(Question.repair, code, on), REPAIR_OUTPUTS).leaves
                record_facts(read, Question.repair, leaves, tuple(map(facts.get, leaves)))
            record = compact_of(decision, case_digest(case), read, measures, repair)
            shown = scrub_text(case.case_id, disclosure_basis=disclosure_basis)
            out[index] = CompactItem(index=index, case_id=shown, ok=True, compact=record).to_json_line()
        return out

    def _measures(
        self, code: str, on: date, rows: list[MeasureRow], answers: Iterator[tuple[Outcome, list[str], list[str]]], read: dict[str, dict[str, object]]
    ) -> list[CompactMeasure]:
        """A case's measures as the engine lists them (allowed, refused, undetermined; each in proposal order), noting
        in *read* the case facts each evaluation reads, as the engine notes them."""
        engine = self.engine
        rules = engine._applicable(Question.measures, code, on)
        by_outcome: dict[Outcome, list[CompactMeasure]] = {Outcome.allowed: [], Outcome.refused: [], Outcome.undetermined: []}
        noted: set[tuple[str, ...]] = set()
        for row in rows:
            summary, reasons, fired = next(answers)
            outcome = measure_outcome(summary)
            target = row.proposal.target
            fields = {"outcome": outcome.value, "reasons": reasons, "fired": fired, "measure": row.proposal.measure,
                      "target": target.value if target is not None else "subject"}
            by_outcome[outcome].append(construct(CompactMeasure, fields))  # every field given, of its type: what validation gives
            # the case's facts, the same in every row of the case: noted once per distinct list of names
            leaves = engine._inputs(rules, row.outputs).leaves
            if leaves not in noted:
                noted.add(leaves)
                record_facts(read, Question.measures, leaves, tuple(map(row.facts.get, leaves)))
        return [*by_outcome[Outcome.allowed], *by_outcome[Outcome.refused], *by_outcome[Outcome.undetermined]]

    # ------------------------------------------------------------ which cases

    def eligible(self, case: Case, as_of: date | None) -> bool:
        """Whether the record of *case* is built here (else the per-case engine makes it)."""
        if self.engine.backend.name != "python" or case.listing is None or (as_of or case.as_of) is None:
            return False
        asked = case.asked()
        if Question.listing not in asked or not FAST_QUESTIONS.issuperset(asked):
            return False
        act = case.act
        for value in (*act.amounts.values(), *act.quantities.values()):
            if not isinstance(value, Decimal | int) or abs(value) >= _MAX_FIGURE or Decimal(value) != Decimal(value).quantize(_QUANTUM):
                return False
        return True

    # --------------------------------------------------------------- records

    def lines(self, cases: Sequence[tuple[int, Case]], as_of: date | None, disclosure_basis: str | None) -> dict[int, str]:
        """The :class:`CompactItem` JSON line of each eligible ``(index, case)``, by index; a case left out (a
        date too late, a fact rendered differently) is for the caller to decide per case."""
        rows: list[dict[str, Any]] = []
        kept: list[tuple[int, Case]] = []
        for index, case in cases:
            row = from_case(case, as_of)
            if any(v is not None and v.year > _LAST_YEAR for v in map(row.get, _DATE_COLUMNS)):
                continue
            rows.append(row)
            kept.append((index, case))
        if not kept:
            return {}
        wide = decide_frame(frame_of(rows), self.columnar)
        groups = [self._group(case, row["as_of"]) for (_, case), row in zip(kept, rows, strict=True)]
        facts = self._facts_json(wide, groups, kept)
        det = wide.select("determination", "determination.reasons", "determination.fired").rows()
        lst = wide.select("outcome", "reasons", "fired").rows()
        template = self._template or self._make_template()
        out: dict[int, str] = {}
        for n, (index, case) in enumerate(kept):
            if facts[n] is None:
                continue
            det_json, lst_json = facts[n]  # type: ignore[misc]
            asked = case.asked()
            on = as_of or case.as_of
            assert on is not None
            ident = _json(scrub_text(case.case_id, disclosure_basis=disclosure_basis))
            values = {
                "index": str(index),
                "item_case_id": ident,
                "case_id": ident,
                "case_sha256": _json(case_digest(case)),
                "as_of": _json(on.isoformat()),
                "jurisdiction": _json(case.jurisdiction),
                "determination": self._answer("d", det[n]) if Question.determination in asked else "null",
                "listing": self._answer("l", lst[n]),
                "facts": '{"determination":' + det_json + ',"listing":' + lst_json + "}",
            }
            out[index] = "".join(values[p] if i % 2 else p for i, p in enumerate(template))
        return out

    def _group(self, case: Case, on: date) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The outside facts the determination (on *on*) and the listing (on its decision date) read in the case's
        jurisdiction: the leaves of the rules in force there then, as the engine records them."""
        engine = self.engine
        assert case.listing is not None
        det_rules = engine._applicable(Question.determination, case.jurisdiction, on)
        lst_rules = engine._applicable(Question.listing, case.jurisdiction, case.listing.decision_date)
        key = (id(det_rules), id(lst_rules))
        hit = self._groups.get(key)
        if hit is None or hit[0] is not det_rules or hit[1] is not lst_rules:  # (the lists are held: an id is not reused)
            hit = self._groups[key] = (det_rules, lst_rules, engine._inputs(det_rules, ()).leaves, engine._inputs(lst_rules, LISTING_OUTPUTS).leaves)
        return hit[2], hit[3]

    def _facts_json(
        self, wide: pl.DataFrame, groups: list[tuple[tuple[str, ...], tuple[str, ...]]], kept: list[tuple[int, Case]]
    ) -> list[tuple[str, str] | None]:
        """Per row, the JSON of the facts each question read (keys sorted), or None where a value would be
        rendered differently from ``value_for_trace`` (a decimal)."""
        distinct = list(dict.fromkeys(groups))
        number = {g: i for i, g in enumerate(distinct)}
        frame = wide.with_columns(pl.Series("__group", [number[g] for g in groups], dtype=pl.Int64))
        if "subject.uscc_check_mismatch" in {n for d, lst in distinct for n in (*d, *lst)}:
            # the entries table has no USCC: this fact comes from the case itself
            frame = frame.with_columns(pl.Series("subject.uscc_check_mismatch", [c.subject.uscc_check_mismatch for _, c in kept], dtype=pl.Boolean))
        out: list[tuple[str, str] | None] = [None] * len(groups)
        schema = frame.schema
        for g, (det_leaves, lst_leaves) in enumerate(distinct):
            det = [self._fact(n, DETERMINATION_DATE if n == QUESTION_DATE else n, schema, n in self._det_facts) for n in sorted(det_leaves)]
            lst = [self._fact(n, n, schema, True) for n in sorted(lst_leaves)]
            if any(e is None for e in (*det, *lst)):
                continue  # a decimal fact: these rows go to the per-case engine
            part = frame.filter(pl.col("__group") == g)
            positions = [i for i, x in enumerate(groups) if number[x] == g]
            d_json, l_json = (_encode(part, [e for e in exprs if e is not None]) for exprs in (det, lst))
            for pos, d, lst_json in zip(positions, d_json, l_json, strict=True):
                out[pos] = (d, lst_json)
        return out

    @staticmethod
    def _fact(name: str, column: str, schema: pl.Schema, known: bool) -> pl.Expr | None:
        """The column of fact *name* as the record shows it (lists sorted), null when the question's facts do not
        hold it (the per-case engine reads None); None when its values would be rendered differently."""
        dtype = schema.get(column)
        if dtype is None or not known:
            return pl.lit(None).alias(name)
        if isinstance(dtype, pl.Decimal | pl.Float32 | pl.Float64) or dtype in (pl.Float32, pl.Float64):
            return None
        if isinstance(dtype, pl.List):
            inner = dtype.inner
            if inner is None or isinstance(inner, pl.Decimal | pl.Float32 | pl.Float64 | pl.List):
                return None
            return pl.col(column).list.sort().alias(name)
        return pl.col(column).alias(name)

    def _answer(self, kind: str, row: tuple[Any, ...]) -> str:
        """The JSON of one question's answer, made by the record model once per distinct answer."""
        outcome, reasons, fired = row
        key = (kind, outcome, tuple(reasons), tuple(fired))
        hit = self._answers.get(key)
        if hit is None:
            hit = self._answers[key] = CompactAnswer(outcome=outcome, reasons=list(reasons), fired=list(fired)).model_dump_json()
        return hit

    def _make_template(self) -> list[str]:
        """The item line with placeholders, split at them: literal text at even positions, names at odd ones."""
        engine = self.engine
        place = {n: _PLACE.format(n) for n in ("case_id", "case_sha256", "jurisdiction", "determination", "listing", "facts", "as_of")}
        given: dict[str, Any] = {  # placeholders where the fields' types would be: serialised as plain strings
            **place, "ruleset_hash": engine.ruleset.content_hash, "catalogs_hash": engine.catalogs.content_hash,
            "backend": engine.backend.name, "measures": None, "repair": None, "supervision": None,
        }
        record = CompactDecision.model_construct(**given)
        item = CompactItem.model_construct(index=-7_770_777, case_id=_PLACE.format("item_case_id"), ok=True, compact=record, error=None)
        import warnings

        with warnings.catch_warnings():  # the placeholders are not of the fields' types, on purpose
            warnings.simplefilter("ignore")
            text = item.model_dump_json()
        text = text.replace("-7770777", '"' + _PLACE.format("index") + '"')
        parts: list[str] = []
        for i, piece in enumerate(text.split('"\ue000')):
            if i == 0:
                parts.append(piece)
                continue
            name, rest = piece.split('\ue000"', 1)
            parts += [name, rest]
        self._template = parts
        return parts


def _json(text: str) -> str:
    """A string as the record model serialises it."""
    return pydantic_core.to_json(text).decode("utf-8")


def _encode(frame: pl.DataFrame, exprs: list[pl.Expr]) -> list[str]:
    """One JSON object per row of *frame*: *exprs*' columns, in their order (``{}`` when there are none)."""
    if not exprs:
        return ["{}"] * len(frame)
    return frame.select(pl.struct(exprs).struct.json_encode()).to_series().to_list()


__all__ = ["FAST_QUESTIONS", "CompactColumnar"]
