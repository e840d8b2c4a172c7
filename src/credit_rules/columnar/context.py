"""Catalog context as tables: what the catalogs say about a standard, a field, a criterion, joined to rows.

Why tables: a catalog lookup depends on the row only through a key — the
listing standard's id, the jurisdiction and the *epoch* of the date (which
catalog editions are in force: :func:`credit_rules.facts.derive.catalog_epoch`).
A chunk of millions of rows has a few hundred distinct keys, so each is
looked up once, by the same functions the per-case engine derives its facts
with, and joined back.

Criteria (the regimes' conduct, thresholds and bars, as the catalogs state
them) become one boolean expression per criterion of each distinct standard
object: conduct in the act's conduct list, every threshold compared with the
act's ``figure.<name>`` column (a ratio the act gives as two figures is
compared by cross-multiplying, never by a rounded quotient), bars absent, the
criterion in force on the act date.  The thresholds are the catalog's data,
read when the chunk is decided; nothing legal is written here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from ..catalog.schema import Criterion, ListingStandard, Ratio, Threshold
from ..facts import derive
from ..facts.schema import all_facts
from .compile import fact_dtype
from .entries import FIGURE_PREFIX

if TYPE_CHECKING:
    from ..engine.decide import Engine


def epoch(engine: Engine, column: str) -> pl.Expr:
    """The catalog epoch of a date column (dates of one epoch have the same editions in force)."""
    bounds = pl.Series(derive._memo(engine.catalogs).boundaries, dtype=pl.Date)
    return pl.col(column).map_batches(
        lambda s: pl.Series(s.name, bounds.search_sorted(s, side="right"), dtype=pl.Int64).set(s.is_null(), None), return_dtype=pl.Int64
    )


@dataclass(frozen=True)
class StandardContext:
    table: pl.DataFrame
    standards: dict[int, ListingStandard]


STANDARD_FACTS = [n for n, s in all_facts().items() if n.startswith("standard.") and n not in ("standard.found", "standard.has_criteria")]


def standard_context(engine: Engine, keys: pl.DataFrame) -> StandardContext:
    """The standard's facts per distinct (standard id, jurisdiction, epoch of the decision date).

    *keys* has columns ``listing_standard``, ``jurisdiction``, ``__std_epoch`` and ``__on`` (a date of that epoch).
    """
    facts = all_facts()
    rows: list[dict[str, Any]] = []
    standards: dict[int, ListingStandard] = {}
    index: dict[int, int] = {}
    for ident, code, ep, on in keys.select("listing_standard", "jurisdiction", "__std_epoch", "__on").iter_rows():
        found, _basis, std_facts = derive.cached_lookup(
            engine.catalogs, ("listing_context", ident, code), on, lambda: derive._listing_context(engine.catalogs, ident, code, on)
        )
        row: dict[str, Any] = {"listing_standard": ident, "jurisdiction": code, "__std_epoch": ep, "standard.found": found is not None}
        if found is not None:
            std = found[0]
            k = index.setdefault(id(std), len(index))
            standards[k] = std
            row["__std_key"] = k
            row["standard.has_criteria"] = bool(std.criteria)
            for name in STANDARD_FACTS:
                v = std_facts.get(name)
                row[name] = sorted(v) if isinstance(v, frozenset) else v
        rows.append(row)
    schema: dict[str, pl.DataType] = {
        "listing_standard": pl.String(), "jurisdiction": pl.String(), "__std_epoch": pl.Int64(), "standard.found": pl.Boolean(),
        "__std_key": pl.Int64(), "standard.has_criteria": pl.Boolean(),
    }
    schema.update({n: fact_dtype(facts[n]) for n in STANDARD_FACTS})
    table = pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return StandardContext(table, standards)


def field_context(engine: Engine, keys: pl.DataFrame) -> pl.DataFrame:
    """``act.domain_category`` per distinct (field, epoch of the determination date)."""
    out: list[tuple[str, int, int | None]] = []
    for fld, ep, on in keys.select("act_field", "__as_of_epoch", "__on").iter_rows():
        out.append((fld, ep, derive._field_category(engine.catalogs, fld, on)))
    return pl.DataFrame(out, schema={"act_field": pl.String(), "__as_of_epoch": pl.Int64(), "act.domain_category": pl.Int64()}, orient="row")


def editions_context(engine: Engine, keys: pl.DataFrame) -> pl.DataFrame:
    """The catalog editions a decision names, per distinct (jurisdiction, epochs of its two dates)."""
    out: list[tuple[str, int, int, list[str]]] = []
    for code, e1, e2, on, on_listing in keys.select("jurisdiction", "__as_of_epoch", "__std_epoch", "__on", "__on_listing").iter_rows():
        refs = engine._editions_list(code, [on, on_listing])
        out.append((code, e1, e2, [f"{r.kind}/{r.jurisdiction}/{r.edition}" for r in refs]))
    return pl.DataFrame(
        out, schema={"jurisdiction": pl.String(), "__as_of_epoch": pl.Int64(), "__std_epoch": pl.Int64(), "catalog_editions": pl.List(pl.String())},
        orient="row",
    )


# ------------------------------------------------------------------ criteria

_OPS: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}
_FLIP = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}


def _figure(name: str, columns: set[str]) -> pl.Expr:
    col = FIGURE_PREFIX + name
    return pl.col(col) if col in columns else pl.lit(None, dtype=pl.Decimal(38, 8))


def _threshold(t: Threshold, ratios: Mapping[str, Ratio], columns: set[str]) -> pl.Expr:
    """Whether the act's figure meets threshold *t* (False when the figure is unknown: a shortfall)."""
    value = pl.lit(t.value, dtype=pl.Decimal(38, max(0, -int(t.value.as_tuple().exponent))))
    given = _figure(t.quantity, columns)
    test = _OPS[t.op](given, value)
    if t.quantity not in ratios:
        return test.fill_null(False)
    r = ratios[t.quantity]
    num, den = _figure(r.numerator, columns), _figure(r.denominator, columns)
    return (
        pl.when(given.is_not_null()).then(test)
        .when(den > 0).then(_OPS[t.op](num, value * den))
        .when(den < 0).then(_OPS[_FLIP[t.op]](num, value * den))
        .otherwise(False)
    ).fill_null(False)


def conduct_bits(standards: Mapping[int, ListingStandard]) -> dict[str, tuple[int, int]]:
    """Every conduct and bar id the standards' criteria name -> (mask column, bit): the act's conduct list is read
    once into bit masks, and each criterion tests its bits (instead of searching the list for every id)."""
    ids = sorted({x for std in standards.values() for c in std.criteria for x in (*c.conduct, *c.bars)})
    return {x: (i // 63, i % 63) for i, x in enumerate(ids)}


def _masks(bits: Mapping[str, tuple[int, int]]) -> list[pl.Expr]:
    count = 1 + max((b for b, _ in bits.values()), default=-1)
    out = []
    for block in range(count):
        mapping = {x: 1 << bit for x, (b, bit) in bits.items() if b == block}
        out.append(
            pl.col("act.conduct").list.eval(pl.element().replace_strict(mapping, default=0, return_dtype=pl.UInt64).unique().sum())
            .list.first().fill_null(0).cast(pl.UInt64).alias(f"__conduct:{block}")
        )
    return out


def _any_of(ids: list[str], bits: Mapping[str, tuple[int, int]]) -> pl.Expr:
    """Whether the act's conduct holds any of *ids* (from the masks)."""
    by_block: dict[int, int] = {}
    for x in ids:
        b, bit = bits[x]
        by_block[b] = by_block.get(b, 0) | 1 << bit
    parts = [(pl.col(f"__conduct:{b}") & pl.lit(m, pl.UInt64)) != 0 for b, m in sorted(by_block.items())]
    return pl.any_horizontal(parts) if parts else pl.lit(False)


def criterion_met(c: Criterion, ratios: Mapping[str, Ratio], columns: set[str], bits: Mapping[str, tuple[int, int]]) -> pl.Expr:
    """:func:`credit_rules.facts.criteria.check_criterion`'s ``met`` as an expression."""
    met = _any_of(list(c.conduct), bits)
    for t in c.thresholds:
        met = met & _threshold(t, ratios, columns)
    if c.any_thresholds:
        met = met & pl.any_horizontal([_threshold(t, ratios, columns) for t in c.any_thresholds])
    if c.bars:
        met = met & ~_any_of(list(c.bars), bits)
    act_date = pl.col("act.date")
    if c.effective_from is not None:
        met = met & (act_date >= pl.lit(c.effective_from))
    if c.effective_to is not None:
        met = met & (act_date <= pl.lit(c.effective_to))
    return met


def criteria_facts(frame: pl.DataFrame, standards: Mapping[int, ListingStandard]) -> pl.DataFrame:
    """*frame* with ``criteria.met``, ``criteria.met_count`` and ``criteria.met_verified_count``, by its standard.

    The rows of each standard are checked against that standard's criteria only (a narrow copy of the columns
    the criteria read is split by standard), giving a bit mask of the criteria met; the three facts are a
    function of (standard, mask), worked out once per distinct pair and joined back: work in proportion to the
    rows, not to rows times every criterion of every standard."""
    out_schema: dict[str, pl.DataType] = {
        "criteria.met": pl.List(pl.String()), "criteria.met_count": pl.Int64(), "criteria.met_verified_count": pl.Int64(),
    }
    bits = conduct_bits(standards)
    read = ["__std_key", "act.conduct", "act.date", *(n for n in frame.columns if n.startswith(FIGURE_PREFIX))]
    narrow = frame.select(read).with_row_index("__row").with_columns(_masks(bits))
    columns = set(narrow.columns)
    parts: list[pl.DataFrame] = []
    for (key,), part in narrow.partition_by("__std_key", as_dict=True, maintain_order=False).items():
        std = standards.get(key) if isinstance(key, int) else None
        if std is None or not std.criteria:
            parts.append(part.select("__row", "__std_key", pl.lit(0, pl.UInt64).alias("__met")))
            continue
        if len(std.criteria) > 64:
            raise ValueError(f"standard {std.id}: more than 64 criteria")  # none has more than 14
        flags = [criterion_met(c, std.ratios, columns, bits).cast(pl.UInt64) * pl.lit(1 << i, pl.UInt64) for i, c in enumerate(std.criteria)]
        parts.append(part.select("__row", "__std_key", pl.sum_horizontal(flags).cast(pl.UInt64).alias("__met")))
    if not parts:
        return frame.with_columns([pl.lit(None, dtype=t).alias(n) for n, t in out_schema.items()])
    masks = pl.concat(parts, how="vertical").sort("__row")
    rows: list[tuple[object, ...]] = []
    for key, mask in masks.select("__std_key", "__met").unique().iter_rows():
        std = standards.get(key) if isinstance(key, int) else None
        if std is None:
            rows.append((key, mask, None, None, None))
            continue
        met = [c for i, c in enumerate(std.criteria) if mask >> i & 1]
        rows.append((key, mask, [c.id for c in met], len(met), sum(1 for c in met if c.verified)))
    table = pl.DataFrame(rows, schema={"__std_key": pl.Int64(), "__met": pl.UInt64(), **out_schema}, orient="row")
    facts = masks.join(table, on=["__std_key", "__met"], how="left", nulls_equal=True, maintain_order="left")
    return frame.hstack(facts.select(list(out_schema)))


__all__ = ["StandardContext", "criteria_facts", "criterion_met", "editions_context", "epoch", "field_context", "standard_context"]
