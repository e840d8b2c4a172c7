"""Survivors that are legally equivalent to the original, recorded with why.

Why: some one-point changes do not change the law.  ``ge 2`` → ``gt 1`` on a whole number of offences, a date
moved inside a period no decision can fall in, an item dropped from a list whose other items already imply it —
no fixture can kill such a mutant, because no case is decided differently.  Mutation testing calls these
*equivalent mutants*; they are left out of the score, but only when a person has written down why, in a file the
review can read (``--equivalent FILE``):

.. code-block:: yaml

    equivalent:
      - file: catalogs/national/listing_standards.yaml
        entry: tax_major_violation          # the id of the entry the datum belongs to (optional)
        field: criteria.0.thresholds.0.op   # the datum, relative to that entry (or to the file)
        operator: operator_shifted
        before: ge                          # optional guard: the value the datum must still have
        after: gt                           # optional: the value the mutant gives it (singles out one of several
                                            # mutants of one datum by one operator, e.g. which ``<=`` of an
                                            # expression was shifted)
        why: 达到 1,000,000 元 — amounts are whole yuan, so 不少于 and 多于 999,999 coincide

An entry is matched against the mutants generated from the data as it is now; an entry that matches no mutant
(the datum moved or changed) is *stale* and reported, never silently kept, and a mutant listed as equivalent
that some fixture kills is reported too (it was not equivalent after all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..safefiles import regular_file_problem
from ..yamlsource import Located, load_file
from .operators import Mutant, shown

_FIELDS = ("file", "entry", "field", "operator", "before", "after", "why")


@dataclass(frozen=True)
class Equivalent:
    """One recorded equivalent mutant: where it is, which operator, and why it changes no decision."""

    file: str
    entry: str | None
    field: str
    operator: str
    before: str | None
    why: str
    source: str  # the registry file and line, for messages about stale entries
    after: str | None = None  # the value the mutant gives the datum: which of one datum's mutants (by one operator)

    def matches(self, mutant: Mutant, anchor: tuple[str | None, str]) -> bool:
        entry, field = anchor
        return (
            mutant.file == self.file
            and mutant.operator == self.operator
            and (self.entry is None and mutant.field == self.field or self.entry == entry and field == self.field)
            and (self.before is None or shown(mutant.before) == self.before)
            and (self.after is None or shown(mutant.after) == self.after)
        )


def load_equivalents(path: Path) -> list[Equivalent]:
    """The equivalent mutants recorded in *path*, each checked for shape (a located error otherwise)."""
    bad = regular_file_problem(path, str(path), "--equivalent")
    if bad is not None:
        raise InputError([bad])
    src = load_file(path)
    data = src.data
    if not isinstance(data, dict) or set(data) != {"equivalent"} or not isinstance(data["equivalent"], list):
        raise InputError.one(src.file, src.line_of(()), "equivalent", "a mapping with one key 'equivalent' holding a list", type(data).__name__)
    out: list[Equivalent] = []
    problems: list[Problem] = []
    for i, item in enumerate(data["equivalent"]):
        where = ("equivalent", i)
        if not isinstance(item, dict):
            problems.append(src.problem(where, "a mapping with file, field, operator and why", type(item).__name__))
            continue
        unknown = sorted(str(k) for k in item if k not in _FIELDS)
        missing = [k for k in ("file", "field", "operator", "why") if not isinstance(item.get(k), str) or not str(item[k]).strip()]
        if unknown:
            problems.append(src.problem((*where, unknown[0]), f"one of {', '.join(_FIELDS)}", unknown[0]))
        if missing:
            problems.append(src.problem((*where, missing[0]), "a non-empty text (every equivalent mutant says why)", "nothing"))
        if unknown or missing:
            continue
        entry = item.get("entry")
        before, after = item.get("before"), item.get("after")
        out.append(Equivalent(
            str(item["file"]), None if entry is None else str(entry), str(item["field"]), str(item["operator"]),
            None if before is None else shown(before), str(item["why"]).strip(), f"{src.file}:{src.line_of(where) or '?'}",
            None if after is None else shown(after),
        ))
    if problems:
        raise InputError(problems)
    return out


def anchor(data: Any, mutant: Mutant) -> tuple[str | None, str]:
    """The id of the innermost entry (a mapping with an ``id``) holding the datum, and the datum's path from it.

    Positions in a file shift when entries are added; an entry's id does not, so a registry written against ids
    survives edits elsewhere in the file."""
    node = data
    entry: str | None = None
    rest: list[str] = [str(p) for p in mutant.path]
    for depth, step in enumerate(mutant.path[:-1]):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            entry = str(node["id"])
            rest = [str(p) for p in mutant.path[depth + 1:]]
    return entry, ".".join(rest)


def stale(registry: Sequence[Equivalent], mutants: Sequence[Mutant], files: dict[str, Located]) -> list[Equivalent]:
    """Registry entries that match none of *mutants* (the datum moved or changed since it was recorded); entries
    about a file not mutated in this run (``--only``, ``--mutate``) are not judged."""
    anchors = [(m, anchor(files[m.file].data, m)) for m in mutants if m.file in files]
    mutated = {m.file for m in mutants}
    return [e for e in registry if e.file in mutated and not any(e.matches(m, a) for m, a in anchors)]


__all__ = ["Equivalent", "anchor", "load_equivalents", "stale"]
