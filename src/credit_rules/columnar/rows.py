"""A question over rows of facts the engine made: the measures and repair questions of many cases at once.

Why: a case asking every applicable measure evaluates the measures rule list
once per measure and target (about seventeen times), and its start date makes
most definitions new to the per-case memo, so such a case cost about twenty
times a listing case in a compact batch; a repair case about three times.  Here
the rows of a whole chunk — one per (case, measure and target), or one per case
for repair — are one frame, and the compiled question
(:class:`~.compile.Compiler`, the same rules/ and catalogs, no second copy of
the law) decides them together.

The rows and their facts are made by the engine itself (through the
:data:`credit_rules.engine.deferred.DEFERRED` hook), so only the evaluation
moves: each row's outcome, reason codes and fired rules come from the engine's
own ``summarize`` (:meth:`~.compile.CompiledQuestion.summarise`), and a compact
record built from them is byte-identical to the per-case one
(``tests/test_compact_deferred.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

import polars as pl

from ..facts.schema import FactSpec, FactType, all_facts
from ..model.case import Question
from ..model.decision import Outcome
from .compile import JURISDICTION, PARAM_LAYERS, SEP, CompiledQuestion, Compiler, chain_columns, fact_dtype

if TYPE_CHECKING:
    from ..engine.decide import Engine

FIRST_YEAR, LAST_YEAR = 1900, 9000
"""Rows with a date outside these years are left to the per-case engine (a period could overflow there, or reach
before any calendar: the per-case engine reports those cases as it always has)."""


ON = "__on"
"""The column of the date each row is evaluated on (the measure's start, the repair application date)."""


@dataclass
class RowQuestion:
    """One question of an engine compiled to polars expressions, deciding rows of (jurisdiction, date, facts)."""

    engine: Engine
    question: CompiledQuestion
    param_layers: pl.Expr
    columns: tuple[tuple[str, FactSpec], ...]
    """The facts the question's rules and definitions read (in every jurisdiction), with their schema entries."""
    refused: Outcome
    ok: Outcome
    deferred: Outcome | None = None

    @classmethod
    def of(cls, engine: Engine, question: Question, refused: Outcome, ok: Outcome, deferred: Outcome | None = None) -> RowQuestion:
        """*question* compiled; *refused*, *ok*, *deferred*: the outcomes its answer gives (as the engine's ``answer``)."""
        compiler = Compiler(engine, on=ON)
        compiled = compiler.question(question)
        groups = engine.ruleset.definitions.groups
        defined = {name for name, _ in compiled.definitions}
        reads = {n for r in compiled.rules for n in r.reads} | {n for name in defined if name in groups for n in groups[name].reads}
        facts = all_facts()
        columns = tuple((n, facts[n]) for n in sorted(reads - defined) if n in facts and n != JURISDICTION)
        return cls(engine, compiled, compiler.param_layers(), columns, refused, ok, deferred)

    @functools.cached_property
    def _checked(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The date, int, set and decimal columns: the values :meth:`takes` looks at."""
        kinds = {FactType.date: [], FactType.int: [], FactType.set: [], FactType.decimal: []}  # type: dict[FactType, list[str]]
        for name, spec in self.columns:
            kinds.get(spec.type, []).append(name)
        return tuple(kinds[FactType.date]), tuple(kinds[FactType.int]), tuple(kinds[FactType.set]), tuple(kinds[FactType.decimal])

    def takes(self, start: date, rows: Sequence[Mapping[str, object]]) -> bool:
        """Whether a case's rows are decided here: the date and every date fact within :data:`FIRST_YEAR` –
        :data:`LAST_YEAR`, every whole number within 64 bits, no decimal (the per-case engine computes those
        exactly).  (A value of another type than its column's makes building the frame fail, and the chunk goes to
        the per-case engine; a set member holding the separator likewise.)"""
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            return False
        dates, ints, sets, decimals = self._checked
        first, last, limit = FIRST_YEAR, LAST_YEAR, _INT_LIMIT
        for facts in rows:
            get = facts.get
            if any(v is not None and (v.__class__ is not date or not first <= v.year <= last) for v in map(get, dates)):
                return False
            if any(v is not None and (v.__class__ is not int or not -limit < v < limit) for v in map(get, ints)):
                return False
            if any(v is not None and v.__class__ is not frozenset for v in map(get, sets)):
                return False
            if any(v is not None for v in map(get, decimals)):
                return False
        return True

    def decide(self, rows: Sequence[tuple[str, date, Mapping[str, object]]]) -> list[tuple[Outcome, list[str], list[str]]]:
        """(outcome, reason codes, fired rule ids) of each (jurisdiction, start date, facts) row, in order."""
        if not rows:
            return []
        data: dict[str, list[object]] = {JURISDICTION: [r[0] for r in rows], ON: [r[1] for r in rows]}
        schema: dict[str, pl.DataType] = {JURISDICTION: pl.String(), ON: pl.Date()}
        sets: list[str] = []
        joined: dict[frozenset[str], str] = {}  # list entries share their sets: each joined once
        for name, spec in self.columns:
            values = [f.get(name) for _, _, f in rows]
            if spec.type is FactType.set:
                for i, v in enumerate(values):
                    if v is not None:
                        text = joined.get(v)  # type: ignore[call-overload]
                        if text is None:
                            members = sorted(v)  # type: ignore[call-overload]
                            if any(SEP in m for m in members):
                                raise ValueError("a set member holds the column separator")
                            text = joined[v] = SEP.join(members)  # type: ignore[index]
                        values[i] = text
                schema[name] = pl.String()
                sets.append(name)
            else:
                if spec.type is FactType.enum:
                    values = [v.value if isinstance(v, Enum) else v for v in values]
                schema[name] = fact_dtype(spec)
            data[name] = values
        frame = pl.DataFrame(data, schema=schema)
        if sets:
            frame = frame.with_columns(
                pl.when(pl.col(n) == "").then(pl.lit([], pl.List(pl.String()))).otherwise(pl.col(n).str.split(SEP)).alias(n) for n in sets
            )
        q = self.question
        frame = frame.with_columns(chain_columns()).with_columns(self.param_layers.alias(PARAM_LAYERS))
        for exprs in q.levels:
            frame = frame.with_columns(exprs)
        frame = q.summarise(frame.with_columns(q.flags), self.refused, self.ok, split=False, deferred=self.deferred)
        split: dict[str, list[str]] = {"": []}
        out: list[tuple[Outcome, list[str], list[str]]] = []
        for outcome, reasons, fired in frame.select("outcome", "reasons", "fired").iter_rows():
            r = split.get(reasons) or split.setdefault(reasons, reasons.split(SEP))
            f = split.get(fired) or split.setdefault(fired, fired.split(SEP))
            out.append((Outcome(outcome), list(r), list(f)))
        return out


_INT_LIMIT = 1 << 62


__all__ = ["ON", "RowQuestion"]
