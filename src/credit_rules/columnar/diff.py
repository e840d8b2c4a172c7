"""The national diff: one table of entries decided under two states, and what changed, by legal change class.

Why: when a ministry amends a listing standard, the platform must know which
of its entries the amendment moves — which listings it would now refuse,
which it would now allow, whose term changes.  Both states decide the same
chunk (the pure function :func:`~credit_rules.columnar.evaluate.decide_chunk`
with each state's engine and date); the answers are compared row by row.
Counts are kept per class; the changed rows are written with both answers.

Change classes (first that applies):

* ``newly_refused`` — the listing was allowed (or focus list only) and is now refused;
* ``newly_allowed`` — it was refused and is now allowed;
* ``newly_undetermined`` / ``now_determined`` — a fact the law needs went missing / became known;
* ``demoted_to_focus_list`` / ``promoted_from_focus_list`` — 35号(八)'s threshold moves it;
* ``reasons_changed`` — same outcome, other legal reasons;
* ``term_changed`` — allowed both times, another list term;
* ``rules_changed`` — same outcome and reasons, other rules fired (warnings, obligations);
* ``unchanged``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from .evaluate import RESULT_SCHEMA, ColumnarEngine, decide_chunk
from .rescan import CHUNK_ROWS, ChunkedRun, Progress, chunks, decided_in_order, masked, open_entries, write_tallied

CLASSES = (
    "newly_refused", "newly_allowed", "newly_undetermined", "now_determined", "demoted_to_focus_list", "promoted_from_focus_list",
    "reasons_changed", "term_changed", "rules_changed", "unchanged",
)
COMPARED = ("determination", "outcome", "reasons", "fired", "undetermined_by", "term_years", "catalog_editions")
CHANGES_SCHEMA: dict[str, pl.DataType] = {
    "case_id": RESULT_SCHEMA["case_id"],
    **{f"{side}_{c}": RESULT_SCHEMA[c] for side in ("base", "head") for c in COMPARED},
    "change": pl.String(),
}
"""The columns of the changes file: both answers (typed as in the rescan's result) and the class."""


def change_class() -> pl.Expr:
    """The change class of a row with ``base_*`` and ``head_*`` answers."""
    b, h = pl.col("base_outcome"), pl.col("head_outcome")
    refused, allowed, focus, undetermined = "refused", "allowed", "focus_list_only", "undetermined"
    return (
        pl.when(b == h).then(
            pl.when(pl.col("base_reasons") != pl.col("head_reasons")).then(pl.lit("reasons_changed"))
            .when(pl.col("base_term_years").ne_missing(pl.col("head_term_years"))).then(pl.lit("term_changed"))
            .when(pl.col("base_fired") != pl.col("head_fired")).then(pl.lit("rules_changed"))
            .otherwise(pl.lit("unchanged"))
        )
        .when(h == refused).then(pl.lit("newly_refused"))
        .when(h == undetermined).then(pl.lit("newly_undetermined"))
        .when(b == undetermined).then(pl.lit("now_determined"))
        .when(h == focus).then(pl.lit("demoted_to_focus_list"))
        .when(b == focus).then(pl.lit("promoted_from_focus_list"))
        .when((b == refused) & (h == allowed)).then(pl.lit("newly_allowed"))
        .otherwise(pl.lit("reasons_changed"))
    )


def compare_chunk(chunk: pl.DataFrame, base: ColumnarEngine, head: ColumnarEngine, base_on: date | None, head_on: date | None) -> pl.DataFrame:
    """Both answers of every row of *chunk*, with its ``change`` class (a pure function of its arguments)."""
    a = decide_chunk(chunk, base, base_on)
    b = decide_chunk(chunk, head, head_on)
    both = pl.concat(
        [a.select("case_id", *(pl.col(c).alias(f"base_{c}") for c in COMPARED)), b.select(*(pl.col(c).alias(f"head_{c}") for c in COMPARED))],
        how="horizontal",
    )
    return both.with_columns(change_class().alias("change"))


@dataclass(frozen=True)
class DiffStats(ChunkedRun):
    counts: dict[str, int]

    @property
    def changed(self) -> int:
        return self.rows - self.counts.get("unchanged", 0)


def rescan_diff(
    path: Path, out: Path, base: ColumnarEngine, head: ColumnarEngine, *, base_on: date | None = None, head_on: date | None = None,
    chunk_rows: int = CHUNK_ROWS, progress: Progress | None = None, disclosure_basis: str | None = None,
) -> DiffStats:
    """Decide *path* under both states; write the changed entries (both answers and the class) to *out*, their
    ``case_id`` masked (:func:`~credit_rules.columnar.rescan.masked`) unless a *disclosure_basis* is given."""
    start = time.perf_counter()
    both_dated = base_on if base_on is not None and head_on is not None else None  # else the as_of column is read
    lf, rows = open_entries(path, both_dated)
    counts = dict.fromkeys(CLASSES, 0)
    compared = decided_in_order(chunks(lf, rows, chunk_rows, str(path), both_dated), lambda c: compare_chunk(c, base, head, base_on, head_on))
    changed: Callable[[pl.DataFrame], pl.DataFrame] = lambda frame: masked(frame.filter(pl.col("change") != "unchanged"), disclosure_basis)
    write_tallied(out, CHANGES_SCHEMA, compared, len(range(0, rows, chunk_rows)), rows, "change", counts, progress, changed)
    return DiffStats(rows, time.perf_counter() - start, counts)


__all__ = ["CHANGES_SCHEMA", "CLASSES", "DiffStats", "change_class", "compare_chunk", "rescan_diff"]
