"""Decide every fixture under two states of the law and classify what changed.

Fixtures of every kind take part — cases, information requests and queries —
found and decided by the one runner (:mod:`.runner`); the classification
works on the decision JSON of each (:mod:`.classify`).

The base and head engines are built from :class:`~.refs.DataSource` objects;
the fixtures (cases and as-of dates) are the same on both sides, so every
difference comes from the catalogs or rules.  A fixture's own expectations
play no part here: the diff compares decisions with decisions — and, for a
case fixture with lifecycle events (``expect.lifecycle``), the events' results
under the two states (:func:`.classify.classify_lifecycle`): the events are the
fixture's input, what they give is decided by the catalogs and rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine.decide import Engine
from ..errors import InputError
from ..fixtures import Fixture
from ..lifecycle import TransitionResult
from ..masking import scrub_text
from .classify import Change, Tally, classify, classify_lifecycle, ranked
from .runner import AnyDecision, Item, Progress, decide, lifecycle_of


@dataclass
class FixtureDiff:
    item: Item
    changes: list[Change]
    base: AnyDecision
    head: AnyDecision
    base_lifecycle: list[TransitionResult] | None = None
    """what the fixture's lifecycle events gave under the base state (None: it has none)"""
    head_lifecycle: list[TransitionResult] | None = None


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


def _lifecycle_changes(fixture: Fixture, base: list[TransitionResult] | None, head: list[TransitionResult] | None) -> list[Change]:
    if base is None or head is None:
        return []
    labels = [f"{e.event.value} on {e.date}" for e in fixture.expect.lifecycle]
    return classify_lifecycle([r.model_dump(mode="json") for r in base], [r.model_dump(mode="json") for r in head], labels)


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
                life_before = lifecycle_of(base, item.fixture)
                life_after = lifecycle_of(head, item.fixture)
            except InputError as exc:
                report.errors.append(DiffError(item, scrub_text(exc.render())))
            else:
                changes = classify(_json(before), _json(after))
                if isinstance(item.fixture, Fixture):
                    changes = ranked([*changes, *_lifecycle_changes(item.fixture, life_before, life_after)])
                report.diffs.append(FixtureDiff(item, changes, before, after, life_before, life_after))
        if progress is not None:
            progress.update(n, item.ident)
    if progress is not None:
        progress.close()
    return report
