"""Changes between two decisions of one case, classified by legal effect.

A reviewer of a policy change reads "3 listings newly refused, 1 measure
lengthened", not a JSON diff.  This module turns two decision JSON documents
(``Decision.model_dump(mode="json")``) into :class:`Change` records, each in a
:class:`ChangeClass` such as ``newly_refused_listing``.

It works on the generic JSON and is driven by tables, so a new question
family adds rows, not code:

- :data:`TRANSITIONS` — a scalar field moving between values (outcomes,
  ``repair.regime.id``); the first matching row for a field wins;
- :data:`LISTS` — a list field of each question gaining or losing items
  (``fired``, ``reasons``, …);
- :data:`KEYED` — lists of keyed items with an end date (measures);
- :data:`ORDERED` — a date moving earlier or later (``repair.earliest_date``);
- :data:`DETECTORS` — functions for what no table expresses (citations, periods).

The same tables classify information decisions (``record``, ``share``,
``publish``, ``publication``) and query decisions (``result``,
``denied_items``): an information or query fixture is diffed like a case.

Fields absent from both decisions are skipped, so rows for a family a
decision does not answer are harmless; the measure and repair rows are
unit-tested on hand-made decision dicts.  Catalog editions, the backend and trace facts are
bookkeeping, not legal effect, and are never compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..fixtures import is_missing, json_at

Json = Mapping[str, Any]


@dataclass(frozen=True)
class ChangeClass:
    """A kind of change, in the words of its legal effect."""

    id: str
    title: str
    effect: str
    """What it touches: ``listing``, ``determination``, ``measures``, ``repair``, ``information``, ``query``, ``grounds`` or ``notes``."""
    rank: int = 0
    """Reports list more serious classes (lower rank) first."""


@dataclass(frozen=True)
class Change:
    cls: str
    path: str
    before: Any
    after: Any
    detail: str


CLASSES: dict[str, ChangeClass] = {}


def register_class(ident: str, title: str, effect: str) -> ChangeClass:
    """Add a class (or replace one); its rank is its registration order."""
    cls = ChangeClass(ident, title, effect, CLASSES[ident].rank if ident in CLASSES else len(CLASSES))
    CLASSES[ident] = cls
    return cls


for _row in (
    ("newly_refused_listing", "listing newly refused", "listing"),
    ("newly_allowed_listing", "listing newly allowed", "listing"),
    ("determination_changed", "determination changed", "determination"),
    ("outcome_changed", "outcome changed", "listing"),
    ("measure_added", "measure added", "measures"),
    ("measure_removed", "measure removed", "measures"),
    ("measure_lengthened", "measure lengthened", "measures"),
    ("measure_shortened", "measure shortened", "measures"),
    ("repair_newly_impossible", "repair newly impossible", "repair"),
    ("repair_newly_possible", "repair newly possible", "repair"),
    ("repair_later", "repair later", "repair"),
    ("repair_earlier", "repair earlier", "repair"),
    ("repair_regime_changed", "repair regime changed", "repair"),
    ("information_newly_refused", "recording, sharing or publication newly refused", "information"),
    ("information_newly_allowed", "recording, sharing or publication newly allowed", "information"),
    ("query_newly_refused", "query newly refused", "query"),
    ("query_newly_allowed", "query newly allowed", "query"),
    ("query_access_changed", "items a query may see changed", "query"),
    ("publication_deadline_later", "publication deadline later", "information"),
    ("publication_deadline_earlier", "publication deadline earlier", "information"),
    ("publication_timeliness_changed", "publication on time / late changed", "information"),
    ("publication_period_changed", "publication period changed", "information"),
    ("period_changed", "list period changed", "listing"),
    ("reason_changed", "reason changed", "grounds"),
    ("citation_changed", "citation changed", "grounds"),
    ("rule_fired", "rule newly fired", "grounds"),
    ("rule_unfired", "rule no longer fires", "grounds"),
    ("leniency_changed", "leniency changed", "grounds"),
    ("obligation_changed", "obligation changed", "grounds"),
    ("listing_terms_changed", "removal conditions, remedies or document contents changed", "listing"),
    ("warning_changed", "warning changed", "notes"),
    ("lifecycle_newly_refused", "lifecycle transition newly refused", "listing"),
    ("lifecycle_newly_accepted", "lifecycle transition newly accepted", "listing"),
    ("lifecycle_changed", "lifecycle transition, state or grounds changed", "listing"),
):
    register_class(*_row)


# ------------------------------------------------------------------ tables


@dataclass(frozen=True)
class Transition:
    """A scalar at *path* (``*`` = each question) moving from a value matching *before* to one matching *after*.

    Patterns: ``*`` any value, ``x`` exactly x, ``!x`` anything but x, ``x|y``
    either.  Values are compared as JSON text (``true``, ``null``, ``allowed``).
    """

    path: str
    before: str
    after: str
    cls: str


TRANSITIONS: list[Transition] = [
    Transition("listing.outcome", "!allowed", "allowed", "newly_allowed_listing"),
    Transition("listing.outcome", "allowed", "!allowed", "newly_refused_listing"),
    Transition("determination.outcome", "*", "*", "determination_changed"),
    Transition("repair.outcome", "!not_repairable", "not_repairable", "repair_newly_impossible"),
    Transition("repair.outcome", "not_repairable", "!not_repairable", "repair_newly_possible"),
    Transition("repair.regime.id", "*", "*", "repair_regime_changed"),
    *(
        Transition(f"{q}.outcome", before, after, cls)
        for q in ("record", "share", "publish")
        for before, after, cls in (("allowed", "!allowed", "information_newly_refused"), ("!allowed", "allowed", "information_newly_allowed"))
    ),
    Transition("result.outcome", "allowed", "!allowed", "query_newly_refused"),  # a query decision's one question
    Transition("result.outcome", "!allowed", "allowed", "query_newly_allowed"),
    Transition("publication.deadline", "null", "*", "publication_deadline_earlier"),  # a deadline where none was
    Transition("publication.deadline", "*", "null", "publication_deadline_later"),  # none where one was
    Transition("publication.on_time", "*", "*", "publication_timeliness_changed"),
    Transition("publication.until", "*", "*", "publication_period_changed"),
    Transition("*.outcome", "*", "*", "outcome_changed"),  # the catch-all: keep it last
]


@dataclass(frozen=True)
class ListField:
    """A list field of each question (``*.name``) or of the decision, compared as a set."""

    path: str
    added: str
    removed: str
    same_outcome: bool = False
    """Compare only when the question's outcome is unchanged (details that exist only for one outcome)."""


LISTS: list[ListField] = [
    ListField("*.fired", "rule_fired", "rule_unfired"),
    ListField("*.reasons", "reason_changed", "reason_changed"),
    ListField("*.leniency", "leniency_changed", "leniency_changed"),
    ListField("*.obligations", "obligation_changed", "obligation_changed"),
    ListField("*.warnings", "warning_changed", "warning_changed"),
    ListField("*.removal_conditions", "listing_terms_changed", "listing_terms_changed", same_outcome=True),
    ListField("*.remedies", "listing_terms_changed", "listing_terms_changed", same_outcome=True),
    ListField("*.decision_document_must_state", "listing_terms_changed", "listing_terms_changed", same_outcome=True),
    ListField("warnings", "warning_changed", "warning_changed"),
    ListField("denied_items", "query_access_changed", "query_access_changed"),
]


@dataclass(frozen=True)
class KeyedList:
    """A list of items identified by *key* fields, each with an optional *end* date (null: open-ended)."""

    path: str
    key: tuple[str, ...]
    added: str
    removed: str
    end: str | None = None
    later: str | None = None
    earlier: str | None = None


KEYED: list[KeyedList] = [
    KeyedList("measures.applied", ("measure", "target"), "measure_added", "measure_removed", "end", "measure_lengthened", "measure_shortened"),
]


@dataclass(frozen=True)
class OrderedField:
    """A date (ISO text) at *path* moving later or earlier; a change to or from null is left to TRANSITIONS."""

    path: str
    later: str
    earlier: str


ORDERED: list[OrderedField] = [
    OrderedField("repair.earliest_date", "repair_later", "repair_earlier"),
    OrderedField("publication.deadline", "publication_deadline_later", "publication_deadline_earlier"),
]


# ------------------------------------------------------------------ helpers


def _text(value: Any) -> str:
    if value is None or is_missing(value):
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _matches(pattern: str, value: Any) -> bool:
    text = _text(value)
    if pattern == "*":
        return True
    if pattern.startswith("!"):
        return text not in pattern[1:].split("|")
    return text in pattern.split("|")


def _get(data: Json, path: str) -> Any:
    value = json_at(data, path)
    return None if is_missing(value) else value


def expand(pattern: str, before: Json, after: Json) -> list[str]:
    """Concrete paths for *pattern*: a leading ``*`` becomes each question (a dict holding the next field)."""
    if not pattern.startswith("*."):
        return [pattern]
    rest = pattern[2:]
    first = rest.split(".", 1)[0]
    keys: list[str] = []
    for data in (before, after):
        for k, v in data.items():
            if isinstance(v, dict) and first in v and k not in keys:
                keys.append(k)
    return [f"{k}.{rest}" for k in keys]


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _fmt_set(added: Sequence[Any], removed: Sequence[Any]) -> str:
    parts = [f"+ {a}" for a in added] + [f"- {r}" for r in removed]
    return ", ".join(parts)


def _question_present(data: Json, path: str) -> bool:
    head = path.split(".", 1)[0]
    return "." not in path or isinstance(data.get(head), dict)


# ------------------------------------------------------------------ detectors


def _transitions(before: Json, after: Json) -> list[Change]:
    out: list[Change] = []
    claimed: set[str] = set()
    for row in TRANSITIONS:
        for path in expand(row.path, before, after):
            if path in claimed:
                continue
            a, b = _get(before, path), _get(after, path)
            if a == b:
                continue
            if _matches(row.before, a) and _matches(row.after, b):
                claimed.add(path)
                out.append(Change(row.cls, path, a, b, f"{path}: {_text(a)} → {_text(b)}"))
    return out


def _lists(before: Json, after: Json) -> list[Change]:
    out: list[Change] = []
    for row in LISTS:
        for path in expand(row.path, before, after):
            if not (_question_present(before, path) and _question_present(after, path)):
                continue  # a question that appeared or vanished is an outcome change
            if row.same_outcome and "." in path:
                q = path.split(".", 1)[0]
                if _get(before, f"{q}.outcome") != _get(after, f"{q}.outcome"):
                    continue
            a, b = _items(_get(before, path)), _items(_get(after, path))
            added = [x for x in b if x not in a]
            removed = [x for x in a if x not in b]
            if row.added == row.removed:
                if added or removed:
                    out.append(Change(row.added, path, a, b, f"{path}: {_fmt_set(added, removed)}"))
                continue
            if added:
                out.append(Change(row.added, path, a, b, f"{path}: {_fmt_set(added, [])}"))
            if removed:
                out.append(Change(row.removed, path, a, b, f"{path}: {_fmt_set([], removed)}"))
    return out


def _key(item: Any, fields: tuple[str, ...]) -> str:
    if not isinstance(item, dict):
        return _text(item)
    parts = [_text(item.get(f)) for f in fields if item.get(f) is not None]
    return "@".join(parts) if parts else _text(item.get("id"))


def _end_order(value: Any) -> str:
    """Sort key of an end date: ISO text, with null (open-ended) after every date."""
    return "9999-99-99" if value is None else str(value)


def _keyed(before: Json, after: Json) -> list[Change]:
    out: list[Change] = []
    for row in KEYED:
        a = {_key(i, row.key): i for i in _items(_get(before, row.path))}
        b = {_key(i, row.key): i for i in _items(_get(after, row.path))}
        for k in [k for k in b if k not in a]:
            out.append(Change(row.added, f"{row.path}[{k}]", None, b[k], f"{row.path}: + {k}"))
        for k in [k for k in a if k not in b]:
            out.append(Change(row.removed, f"{row.path}[{k}]", a[k], None, f"{row.path}: - {k}"))
        if row.end is None:
            continue
        for k in [k for k in a if k in b]:
            ea = a[k].get(row.end) if isinstance(a[k], dict) else None
            eb = b[k].get(row.end) if isinstance(b[k], dict) else None
            if ea == eb:
                continue
            cls = row.later if _end_order(eb) > _end_order(ea) else row.earlier
            if cls is not None:
                out.append(Change(cls, f"{row.path}[{k}].{row.end}", ea, eb, f"{row.path}[{k}].{row.end}: {_text(ea)} → {_text(eb)}"))
    return out


def _ordered(before: Json, after: Json) -> list[Change]:
    out: list[Change] = []
    for row in ORDERED:
        a, b = _get(before, row.path), _get(after, row.path)
        if a is None or b is None or a == b:
            continue
        cls = row.later if str(b) > str(a) else row.earlier
        out.append(Change(cls, row.path, a, b, f"{row.path}: {a} → {b}"))
    return out


def _fired_citations(question: Any) -> list[str]:
    if not isinstance(question, dict):
        return []
    out: list[str] = []
    for t in _items(question.get("trace")):
        if isinstance(t, dict) and t.get("status") == "failed":
            for c in (t.get("citation"), *_items(t.get("also_cites"))):
                if c is not None and c not in out:
                    out.append(c)
    return out


def _citations(before: Json, after: Json) -> list[Change]:
    """The paragraphs the fired rules rest on, and any rule whose own citation text changed."""
    out: list[Change] = []
    for path in expand("*.trace", before, after):
        q = path.split(".", 1)[0]
        qa, qb = before.get(q), after.get(q)
        if not (isinstance(qa, dict) and isinstance(qb, dict)):
            continue
        ca, cb = _fired_citations(qa), _fired_citations(qb)
        added = [c for c in cb if c not in ca]
        removed = [c for c in ca if c not in cb]
        if added or removed:
            out.append(Change("citation_changed", f"{q}.citations", ca, cb, f"{q} cites: {_fmt_set(added, removed)}"))
        ta = {t["rule"]: t for t in _items(qa.get("trace")) if isinstance(t, dict) and "rule" in t}
        for t in _items(qb.get("trace")):
            old = ta.get(t.get("rule")) if isinstance(t, dict) else None
            if old is None:
                continue
            was = (old.get("citation"), _items(old.get("also_cites")))
            now = (t.get("citation"), _items(t.get("also_cites")))
            if was != now:
                out.append(
                    Change("citation_changed", f"{q}.trace[{t['rule']}].citation", list(was), list(now), f"{t['rule']} cites {was[0]} {was[1]} → {now[0]} {now[1]}")
                )
    return out


def _periods(before: Json, after: Json) -> list[Change]:
    out: list[Change] = []
    for path in expand("*.period", before, after):
        a, b = _get(before, path), _get(after, path)
        if not (isinstance(a, dict) and isinstance(b, dict)) or a == b:
            continue
        keys = [k for k in ("start", "end", "years", "extendable_years", "citation") if a.get(k) != b.get(k)]
        how = ""
        if a.get("end") != b.get("end"):
            how = " (lengthened)" if _end_order(b.get("end")) > _end_order(a.get("end")) else " (shortened)"
        detail = ", ".join(f"{k} {_text(a.get(k))} → {_text(b.get(k))}" for k in keys)
        out.append(Change("period_changed", path, a, b, f"{path}: {detail}{how}"))
    return out


Detector = Callable[[Json, Json], list[Change]]
DETECTORS: list[Detector] = [_transitions, _keyed, _ordered, _periods, _lists, _citations]


def classify(before: Json, after: Json) -> list[Change]:
    """Every classified change from *before* to *after*, most serious class first."""
    changes = [c for detect in DETECTORS for c in detect(before, after)]
    for c in changes:
        if c.cls not in CLASSES:
            raise KeyError(f"change class {c.cls!r} is not registered (register_class)")
    return sorted(changes, key=lambda c: (CLASSES[c.cls].rank, c.path))


# the parts of one lifecycle event's result a change is reported on (a TransitionResult as JSON, summarised)
LIFECYCLE_KEYS = ("transition", "citation", "state", "guard", "reasons", "duties")


def lifecycle_summary(result: Json) -> dict[str, Any]:
    """What one lifecycle event gave (``TransitionResult.model_dump(mode="json")``): accepted or not, the transition
    taken and the paragraph it rests on (accepted events), the state after it, the guard, the refusal reasons."""
    state = result.get("state") if isinstance(result.get("state"), dict) else {}
    history = _items(state.get("history")) if isinstance(state, dict) else []
    step = history[-1] if result.get("accepted") and history and isinstance(history[-1], dict) else {}
    return {
        "accepted": result.get("accepted"),
        "transition": step.get("transition"),
        "citation": step.get("citation"),
        "state": state.get("state") if isinstance(state, dict) else None,
        "guard": result.get("guard"),
        "reasons": list(_items(result.get("reasons"))),
        "duties": list(_items(result.get("duties"))),
    }


def classify_lifecycle(before: Sequence[Json], after: Sequence[Json], events: Sequence[str]) -> list[Change]:
    """The changes between two runs of a fixture's lifecycle events (``expect.lifecycle``), event by event.

    *before* and *after* are the events' results as JSON, *events* their labels ("expire on 2026-07-20"): a
    transition newly refused or accepted, or — for an event whose acceptance did not move — a different
    transition, citation, state, guard, reasons or duties.  The events are the fixture's own, so both runs
    have one result per event.
    """
    out: list[Change] = []
    for n, (ra, rb, label) in enumerate(zip(before, after, events, strict=True)):
        a, b = lifecycle_summary(ra), lifecycle_summary(rb)
        path = f"lifecycle[{n}]"
        if a["accepted"] != b["accepted"]:
            cls = "lifecycle_newly_refused" if a["accepted"] else "lifecycle_newly_accepted"
            why = f" ({', '.join(b['reasons'])})" if b["reasons"] else ""
            out.append(Change(cls, path, a, b, f"{label}: {'accepted → refused' + why if a['accepted'] else 'refused → accepted'}"))
            continue
        keys = [k for k in LIFECYCLE_KEYS if a[k] != b[k]]
        if keys:
            detail = ", ".join(f"{k} {_text(a[k])} → {_text(b[k])}" for k in keys)
            out.append(Change("lifecycle_changed", path, a, b, f"{label}: {detail}"))
    return out


def ranked(changes: Sequence[Change]) -> list[Change]:
    """*changes* most serious class first (the order :func:`classify` returns)."""
    return sorted(changes, key=lambda c: (CLASSES[c.cls].rank, c.path))


@dataclass
class Tally:
    """How many fixtures show each class (a fixture with two changes of one class counts once)."""

    by_class: dict[str, list[str]] = field(default_factory=dict)

    def add(self, fixture: str, changes: Sequence[Change]) -> None:
        for cls in dict.fromkeys(c.cls for c in changes):
            self.by_class.setdefault(cls, []).append(fixture)

    def rows(self) -> list[tuple[ChangeClass, list[str]]]:
        return sorted(((CLASSES[k], v) for k, v in self.by_class.items()), key=lambda kv: kv[0].rank)
