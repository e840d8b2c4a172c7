"""One-point mutants of catalog and rule data: the drafting errors a fixture suite should catch.

Why: a ministry keeps fixtures so that a wrong amendment is caught before it is published.  Whether they can is
measurable — change one legal datum (a threshold, a period, a date, a flag, an item of a list, an operator, a
rule's effect, an exception) and see whether some fixture notices.  This module only *describes* mutants, over
the raw YAML data as read; :mod:`.run` loads and decides them in memory.

The operators know the shapes of the data, not the law: numbers ±1 and ×1.1/×0.9, dates ±1 day and ±1 year,
booleans flipped, one item dropped from a list, comparison operators shifted (in ``{fact, op}`` leaves, in
expression strings and in catalog thresholds), a rule's effect weakened, an exception dropped.  Names, texts,
citations and notes are never mutated: a typo there is not a legal change.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..yamlsource import Located

PathKey = tuple[str | int, ...]

# keys whose values are text, identity or provenance: a change there is not a drafting error of the law
_SKIP_KEYS = frozenset({
    "id", "name_zh", "name_en", "title", "description", "note", "notes", "citation", "source", "url", "message", "zh", "en",
    "reason", "question", "principle", "label", "case", "kind", "jurisdiction", "edition", "article", "also_cites",
    "implementer_zh", "obligation", "removal_conditions", "procedure", "remedies", "duties", "conditions", "grounds_text",
    "listing_mandatory", "code", "parent", "name", "version", "type", "exception_to", "refusal", "guard", "legal_basis",
    # a repair tier's examples quote the text (国办发〔2025〕22号 二) for the reader; the case states its tier, nothing classifies by them
    "examples_zh",
})
# a mapping holding one of these is a legal provision; its value is the paragraph a mutant's meaning cites
_CITING_KEYS = ("article", "citation", "source")

_SHIFT_OP = {"ge": "gt", "gt": "ge", "le": "lt", "lt": "le", "eq": "ne", "ne": "eq", "in": "not_in", "not_in": "in"}
_SHIFT_TOKEN = {">=": ">", ">": ">=", "<=": "<", "<": "<=", "==": "!=", "!=": "=="}
_TOKEN = re.compile(r">=|<=|==|!=|>|<")
_WEAKER_EFFECT = {"refuse": "warn", "defer": "warn", "focus_list": "warn", "lenient": "warn", "obligation": "warn"}


@dataclass(frozen=True)
class Mutant:
    """One change to one datum of one file."""

    area: str  # "catalogs" or "rules"
    file: str  # the file as shown (relative to its tree)
    path: PathKey  # where in the file's data
    line: int | None
    operator: str  # number_plus_one, date_minus_day, flag_flipped, item_removed, operator_shifted …
    before: Any
    after: Any
    cited: str  # the paragraph the datum belongs to (nearest article/citation/source above it)

    @property
    def where(self) -> str:
        dotted = ".".join(str(p) for p in self.path)
        return f"{self.file}:{self.line}" if self.line else f"{self.file} ({dotted})"

    @property
    def field(self) -> str:
        return ".".join(str(p) for p in self.path)

    def meaning(self) -> str:
        """What the change means, for a drafter: "税务总局令第54号 第六条第一项 value 1000000 → 1100000"."""
        leaf = next((str(p) for p in reversed(self.path) if isinstance(p, str)), self.field)
        return f"{self.cited or self.file} {leaf} {shown(self.before)} → {shown(self.after)}"

    def apply(self, data: Any) -> Any:
        """A deep copy of *data* (the file's content) with this one change made."""
        out = copy.deepcopy(data)
        if self.operator == "item_removed" or self.operator == "exception_dropped":
            parent = _at(out, self.path[:-1])
            index = self.path[-1]
            assert isinstance(parent, list) and isinstance(index, int)
            del parent[index]
            return out
        parent = _at(out, self.path[:-1])
        parent[self.path[-1]] = self.after
        return out


def shown(value: Any) -> str:
    """A datum as a drafter reads it (a decimal without float noise, a list in brackets)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items() if k in ("id", "label", "exception_to")) + "}"
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _at(data: Any, path: PathKey) -> Any:
    for step in path:
        data = data[step]
    return data


def mutants(src: Located, area: str) -> Iterator[Mutant]:
    """Every one-point mutant of one file's data, in a fixed order (document order, then operator)."""
    yield from _walk(src, area, src.data, (), "")


def _cited(node: dict[str, Any], inherited: str) -> str:
    for key in _CITING_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict) and isinstance(value.get("citation"), str):
            return str(value["citation"])
    return inherited


def _walk(src: Located, area: str, node: Any, path: PathKey, cited: str) -> Iterator[Mutant]:
    if isinstance(node, dict):
        here = _cited(node, cited)
        for key, value in node.items():
            if not isinstance(key, str) or key in _SKIP_KEYS:
                continue
            yield from _leaf(src, area, node, key, value, (*path, key), here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(src, area, value, (*path, i), cited)


def _mutant(src: Located, area: str, path: PathKey, operator: str, before: Any, after: Any, cited: str) -> Mutant:
    return Mutant(area, src.file, path, src.line_of(path), operator, before, after, cited)


def _leaf(src: Located, area: str, parent: dict[str, Any], key: str, value: Any, path: PathKey, cited: str) -> Iterator[Mutant]:
    if isinstance(parent.get("fact"), str) and key in _SHIFT_OP:
        # a {fact, op: value} leaf of a rule condition: shift the operator (for a bool, that is the flip)
        shifted = {(_SHIFT_OP[k] if k == key else k): v for k, v in parent.items()}
        yield _mutant(src, area, path[:-1], "operator_shifted", dict(parent), shifted, cited)
        if isinstance(value, bool):
            return
    if isinstance(value, list) and not all(_scalar(v) for v in value):
        if key == "definitions":
            yield from _exceptions(src, area, value, path, cited)
        yield from _walk(src, area, value, path, cited)
        return
    if isinstance(value, dict):
        yield from _walk(src, area, value, path, cited)
        return
    if isinstance(value, bool):
        yield _mutant(src, area, path, "flag_flipped", value, not value, cited)
    elif isinstance(value, int):
        for op, new in (("number_plus_one", value + 1), ("number_minus_one", value - 1)):
            if new >= 0:
                yield _mutant(src, area, path, op, value, new, cited)
        if abs(value) >= 100:
            yield _mutant(src, area, path, "number_times_1.1", value, round(value * 1.1), cited)
            yield _mutant(src, area, path, "number_times_0.9", value, round(value * 0.9), cited)
    elif isinstance(value, float):
        yield _mutant(src, area, path, "number_times_1.1", value, round(value * 1.1, 10), cited)
        yield _mutant(src, area, path, "number_times_0.9", value, round(value * 0.9, 10), cited)
    elif isinstance(value, dt.date):
        for op, moved in _dates(value):
            yield _mutant(src, area, path, op, value, moved, cited)
    elif isinstance(value, list):
        if len(value) > 1:  # dropping the only item leaves an empty list, which the schema refuses anyway
            for i, item in enumerate(value):
                yield _mutant(src, area, (*path, i), "item_removed", item, None, cited)
    elif isinstance(value, str):
        if key == "op" and value in _SHIFT_OP:
            yield _mutant(src, area, path, "operator_shifted", value, _SHIFT_OP[value], cited)
        elif key == "effect" and value in _WEAKER_EFFECT:
            yield _mutant(src, area, path, "effect_weakened", value, _WEAKER_EFFECT[value], cited)
        elif key in ("value", "when", "require") and _TOKEN.search(value):
            for m in _TOKEN.finditer(value):
                text = value[: m.start()] + _SHIFT_TOKEN[m.group()] + value[m.end():]
                yield _mutant(src, area, path, "operator_shifted", value, text, cited)


def _exceptions(src: Located, area: str, defs: Any, path: PathKey, cited: str) -> Iterator[Mutant]:
    """Drop one exception (a definition with ``exception_to``): the general rule then applies where it should not."""
    if not isinstance(defs, list):
        return
    for i, d in enumerate(defs):
        if isinstance(d, dict) and d.get("exception_to"):
            yield _mutant(src, area, (*path, i), "exception_dropped", d, None, _cited(d, cited))


def _dates(value: dt.date) -> Iterator[tuple[str, dt.date]]:
    for op, delta in (("date_plus_day", 1), ("date_minus_day", -1)):
        try:
            yield op, value + dt.timedelta(days=delta)
        except OverflowError:
            pass
    for op, years in (("date_plus_year", 1), ("date_minus_year", -1)):
        try:
            yield op, value.replace(year=value.year + years)
        except ValueError:  # 29 February, or out of range
            pass


def _scalar(v: Any) -> bool:
    return isinstance(v, (str, int, float, bool, dt.date)) or v is None


__all__ = ["Mutant", "mutants", "shown"]
