"""Questions a compact batch decides apart, column-wise: the hook between the engine and ``columnar/rows.py``.

While :data:`DEFERRED` holds a :class:`Deferred`, the engine makes the facts of the measures and repair questions
as always (:func:`~.measures.measure_rows`, :func:`~.repair.decide_repair`) but does not evaluate them: it hands
each case's rows over and leaves the question's result empty.  The compact batch then decides the rows of a whole
chunk with the compiled question and writes each record (:meth:`credit_rules.columnar.compact.CompactColumnar.deferred_lines`).
Only the evaluation moves; which facts a question reads, and how, stays in one place.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .measures import MeasureRow


@dataclass
class Deferred:
    """What one case's decision handed over: per question, (jurisdiction, the date it is evaluated on, rows)."""

    measures: list[tuple[str, date, list[MeasureRow]]] = field(default_factory=list)
    repair: list[tuple[str, date, dict[str, object]]] = field(default_factory=list)


DEFERRED: ContextVar[Deferred | None] = ContextVar("credit_rules_deferred", default=None)
"""Set around one case's ``Engine.decide`` by the compact batch; unset, every question is evaluated as always."""


__all__ = ["DEFERRED", "Deferred"]
