"""Decide every fixture under two states of the law and classify what changed.

Fixtures of every kind take part — cases, information requests and queries —
found and decided by the one runner (:mod:`.runner`); the classification
works on the decision JSON of each (:mod:`.classify`).

The base and head engines are built from :class:`~.refs.DataSource` objects;
the fixtures (cases and as-of dates) are the same on both sides, so every
difference comes from the catalogs or rules.  A fixture's own expectations
play no part here: the diff compares decisions with decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.decide import Engine
from ..errors import InputError
from ..masking import scrub_text
from .classify import Change, Tally, classify
from .runner import AnyDecision, Item, Progress, decide


@dataclass
class FixtureDiff:
    item: Item
    changes: list[Change]
    base: AnyDecision
    head: AnyDecision


@dataclass
class DiffError:
    item: Item
    message: str


@dataclass
class DiffReport:
    base: str
    head: str
    diffs: list[FixtureDiff] = field(default_factory=list)
    errors: list[DiffError] = field(default_factory=list)

    @property
    def changed(self) -> list[FixtureDiff]:
        return [d for d in self.diffs if d.changes]

    def tally(self) -> Tally:
        t = Tally()
        for d in self.changed:
            t.add(d.item.ident, d.changes)
        return t

    def exit_code(self) -> int:
        """2 on bad input, 1 when any decision changed, 0 when none did."""
        return 2 if self.errors else 1 if self.changed else 0


def _json(decision: AnyDecision) -> dict[str, Any]:
    data: dict[str, Any] = decision.model_dump(mode="json")
    return data


def run_diff(items: Sequence[Item], base: Engine, head: Engine, base_label: str, head_label: str, progress: Progress | None = None) -> DiffReport:
    """Decide each item with both engines; unreadable fixtures and undecidable cases are errors."""
    report = DiffReport(base_label, head_label)
    for n, item in enumerate(items, 1):
        if item.fixture is None:
            report.errors.append(DiffError(item, scrub_text(item.error.render()) if item.error else "unreadable"))
        else:
            try:
                before = decide(base, item.fixture, check_ids=False)
                after = decide(head, item.fixture, check_ids=False)
            except InputError as exc:
                report.errors.append(DiffError(item, scrub_text(exc.render())))
            else:
                report.diffs.append(FixtureDiff(item, classify(_json(before), _json(after)), before, after))
        if progress is not None:
            progress.update(n, item.ident)
    if progress is not None:
        progress.close()
    return report
