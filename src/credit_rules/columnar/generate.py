"""Generated list entries for benchmarks, tests and the worked example: a realistic mix over every listing
standard the loaded catalogs hold, made from the catalogs themselves (shipped as code, never as data).

Why generated: the national platform's real entries are personal data and
not available; a benchmark needs millions of rows that reach every standard,
every criterion (figures on both sides of each threshold, bars, ratios given
as two figures), every jurisdiction layer, and the procedural cases (notice,
objections, finality, candidate publicity, minors).  Every value is a hash of
the row number and the seed, so a table is the same on every machine, chunk
by chunk (:func:`generate` with an *offset* continues a table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from ..catalog.schema import Criterion, ListingStandard
from ..catalog.store import Catalogs
from .compile import DECIMAL_SCALE
from .entries import COLUMNS, FIGURE_PREFIX

NATIONAL_CODES = ("000000", "110000", "310000", "330100", "420100", "440300", "450400", "510100", "620000")
"""Deciding jurisdictions for national standards (national, provinces, cities, in and out of the local layers)."""

START = date(2019, 1, 1)
DAYS = 2680
"""Decision dates run from START over DAYS days (to May 2026: periods running from service stay inside the shipped working-day calendar)."""


@dataclass(frozen=True)
class _Std:
    std: ListingStandard
    layer: str


def standards(catalogs: Catalogs) -> list[_Std]:
    """Every listing standard of every loaded edition (national and local), each once."""
    seen: dict[tuple[str, str], _Std] = {}
    for f in catalogs.files:
        if f.envelope.kind != "listing_standards":
            continue
        for e in f.entries:
            if isinstance(e, ListingStandard):
                seen.setdefault((e.id, f.envelope.jurisdiction), _Std(e, f.envelope.jurisdiction))
    return [seen[k] for k in sorted(seen)]


def _codes(s: _Std) -> list[str]:
    if s.layer == "000000":
        return list(NATIONAL_CODES)
    return [s.layer, s.layer[:4] + "01" if s.layer.endswith("0000") else s.layer, s.layer[:2] + "0100"]


def _flat(per: list[list[str]]) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Values of a list per standard, flattened: (values, offset per standard, count per standard)."""
    values: list[str] = []
    offsets: list[int] = []
    counts: list[int] = []
    for items in per:
        offsets.append(len(values))
        counts.append(max(1, len(items)))
        values += items or [""]
    return pl.Series(values, dtype=pl.String), pl.Series(offsets, dtype=pl.Int64), pl.Series(counts, dtype=pl.Int64)


def generate(catalogs: Catalogs, n: int, seed: int = 0, offset: int = 0) -> pl.DataFrame:
    """*n* entries (rows *offset* … *offset*+n-1 of the table of *seed*), in the entries schema."""
    stds = standards(catalogs)
    i = pl.int_range(offset, offset + n, dtype=pl.UInt64, eager=True)

    def u(k: int, m: int) -> pl.Series:
        return (i.hash(seed * 1_000_003 + k) % max(1, m)).cast(pl.Int64)

    def pct(k: int) -> pl.Series:
        return u(k, 100)

    s_idx = u(1, len(stds))
    std_ids = pl.Series([s.std.id for s in stds]).gather(s_idx)
    codes, c_off, c_n = _flat([_codes(s) for s in stds])
    jur = codes.gather(c_off.gather(s_idx) + u(2, 1 << 30) % c_n.gather(s_idx))
    fields, f_off, f_n = _flat([list(s.std.fields) for s in stds])
    all_fields = sorted({f for s in stds for f in s.std.fields} | {"unknown_field"})
    own_field = fields.gather(f_off.gather(s_idx) + u(3, 1 << 30) % f_n.gather(s_idx))
    other_field = pl.Series(all_fields).gather(u(4, len(all_fields)))
    act_field = pl.select(pl.when((pct(5) < 92) & (own_field != "")).then(own_field).otherwise(other_field)).to_series()
    # the criterion the act is drawn towards, flattened over all standards
    crits: list[tuple[int, Criterion]] = [(k, c) for k, s in enumerate(stds) for c in s.std.criteria]
    per_std = [[str(j) for j, (k, _) in enumerate(crits) if k == si] for si in range(len(stds))]
    c_vals, cr_off, cr_n = _flat(per_std)
    crit = c_vals.gather(cr_off.gather(s_idx) + u(6, 1 << 30) % cr_n.gather(s_idx))
    crit_idx = pl.select(pl.when(crit == "").then(None).otherwise(crit).cast(pl.Int64)).to_series()
    frame = pl.DataFrame({"__i": i, "__std": s_idx, "__crit": crit_idx, "listing_standard": std_ids, "jurisdiction": jur, "act_field": act_field})
    frame = frame.with_columns(_conduct(crits, pct(7), u(8, 1 << 30), pct(9)))
    frame = frame.with_columns(_figures(stds, crits, u(10, 1000), u(11, 1000), pct(12)))
    frame = frame.with_columns(_rest(stds, u, pct))
    order = [c.name for c in COLUMNS] + sorted(c for c in frame.columns if c.startswith(FIGURE_PREFIX))
    return frame.select(order)


def _conduct(crits: list[tuple[int, Criterion]], p: pl.Series, r: pl.Series, p2: pl.Series) -> pl.Expr:
    crit = pl.col("__crit")
    main = pl.lit(None, pl.String)
    alt = pl.lit(None, pl.String)
    bar = pl.lit(None, pl.String)
    for j, (_, c) in enumerate(crits):
        main = pl.when(crit == j).then(pl.lit(c.conduct[0])).otherwise(main)
        if len(c.conduct) > 1:
            alt = pl.when(crit == j).then(pl.lit(c.conduct[1])).otherwise(alt)
        if c.bars:
            bar = pl.when(crit == j).then(pl.lit(c.bars[0])).otherwise(bar)
    r_s = pl.lit(r)
    first = pl.when(pl.lit(p) < 4).then(pl.lit("other_conduct")).when((r_s % 5 == 0) & alt.is_not_null()).then(alt).otherwise(main)
    second = pl.when(pl.lit(p2) < 6).then(bar).when(pl.lit(p2) < 10).then(pl.lit("obstructs_execution")).otherwise(None)
    return pl.concat_list([first, second]).list.drop_nulls().alias("act_conduct")


def _figures(stds: list[_Std], crits: list[tuple[int, Criterion]], f1: pl.Series, f2: pl.Series, p: pl.Series) -> list[pl.Expr]:
    """Each threshold's figure at 0.5-1.5 times its value (some exactly on it); a ratio the standard lets the act
    give as two figures is given so in most rows (a denominator of zero now and then)."""
    crit = pl.col("__crit")
    factor = pl.when(pl.lit(p) < 5).then(pl.lit(1.0)).otherwise(0.5 + pl.lit(f1).cast(pl.Float64) / 1000)
    denominator = pl.when(pl.lit(p) < 8).then(pl.lit(0.0)).otherwise(1000 + pl.lit(f2).cast(pl.Float64) * 997)
    as_two = pl.lit(p) % 10 < 6
    out: dict[str, pl.Expr] = {}

    def put(name: str, j: int, value: pl.Expr) -> None:
        out[name] = pl.when(crit == j).then(value).otherwise(out.get(name, pl.lit(None, pl.Float64)))

    for j, (k, c) in enumerate(crits):
        ratios = stds[k].std.ratios
        for t in (*c.thresholds, *c.any_thresholds):
            v = float(t.value)
            whole = t.value == t.value.to_integral_value() and v >= 1
            value = (pl.lit(v) * factor).round(0 if whole else 6)
            if t.quantity in ratios:
                r = ratios[t.quantity]
                put(t.quantity, j, pl.when(as_two).then(None).otherwise(value))
                put(r.denominator, j, pl.when(as_two).then(denominator).otherwise(None))
                put(r.numerator, j, pl.when(as_two).then((denominator * v * factor).round(0)).otherwise(None))
            else:
                put(t.quantity, j, value)
    return [e.cast(pl.Decimal(38, DECIMAL_SCALE)).alias(FIGURE_PREFIX + q) for q, e in sorted(out.items())]


def _rest(stds: list[_Std], uu: Callable[[int, int], pl.Series], pp: Callable[[int], pl.Series]) -> list[pl.Expr]:
    std = pl.col("__std")

    def of_std(pick: Callable[[ListingStandard], object], dtype: pl.DataType) -> pl.Expr:
        e: pl.Expr = pl.lit(None, dtype)
        for k, s in enumerate(stds):
            e = pl.when(std == k).then(pl.lit(pick(s.std), dtype)).otherwise(e)
        return e

    def days(k: int, lo: int, span: int) -> pl.Expr:
        return pl.duration(days=pl.lit(uu(k, span)) + lo)

    def lit(series: pl.Series) -> pl.Expr:
        return pl.lit(series)

    judicial = of_std(lambda s: s.issuer_branch.value == "judicial", pl.Boolean())
    local = of_std(lambda s: s.scope == "local", pl.Boolean())
    chosen = of_std(lambda s: s.period.min_years is not None, pl.Boolean())
    kind = of_std(lambda s: s.list_kind.value, pl.String())
    unmodelled = of_std(lambda s: not s.criteria, pl.Boolean())  # the decision states the criterion it applied
    decision = pl.lit(START) + days(20, 0, DAYS)
    act = decision - days(21, 30, 700)
    issued = act + days(22, 20, 60)
    notice_on = decision - days(23, 5, 35)
    raised = notice_on + days(24, 1, 4)
    natural = pl.when(judicial).then(lit(pp(25)) < 55).otherwise(lit(pp(25)) < 10)
    p_doc = lit(pp(26))
    return [
        pl.format("E{}", pl.col("__i")).alias("case_id"),
        (decision + days(27, 0, 60)).alias("as_of"),
        pl.when(natural).then(pl.lit("natural_person")).otherwise(
            pl.when(lit(pp(28)) < 8).then(pl.lit("individual_business")).otherwise(pl.lit("legal_person"))
        ).alias("subject_kind"),
        pl.when(natural).then(pl.lit(date(1950, 1, 1)) + days(29, 0, 21500)).otherwise(None).alias("subject_birth_date"),
        (lit(pp(30)) < 3).alias("subject_on_red_list"),
        (lit(pp(31)) < 5).alias("subject_on_serious_list"),
        act.alias("act_date"),
        lit(uu(32, 20)).replace_strict({0: "minor", 1: "general", 2: "general", 3: "general", 4: "especially_serious", 5: "especially_serious",
                                        6: "especially_serious", 7: "especially_serious"}, default="serious", return_dtype=pl.String).alias("act_gravity"),
        _bands(lit(uu(33, 100)), [(90, "intentional"), (97, "negligent")], "none").alias("act_intent"),
        (lit(pp(34)) < 2).alias("act_force_majeure"),
        (lit(pp(35)) < 20).alias("act_repeated"),
        (lit(pp(36)) < 92).alias("act_malicious"),
        (lit(pp(37)) < 93).alias("act_serious_circumstances"),
        (lit(pp(38)) < 91).alias("act_high_social_harm"),
        pl.when(p_doc < 2).then(None).when(p_doc < 4).then(pl.lit("other_named_by_law"))
        .when(judicial).then(pl.lit("judicial_judgment")).otherwise(pl.lit("administrative_penalty_decision")).alias("document_kind"),
        issued.alias("document_issued"),
        pl.when(lit(pp(39)) < 3).then(None).otherwise(issued + days(40, 0, 15)).alias("document_effective"),
        pl.when(lit(pp(41)) < 1).then(issued + days(42, 10, 90)).otherwise(None).alias("document_revoked"),
        pl.when(lit(pp(43)) < 90).then(issued + days(44, 1, 5)).otherwise(None).alias("document_served_on"),
        pl.when(lit(pp(45)) < 10).then(issued + days(46, 60, 200)).otherwise(None).alias("document_final_on"),
        (lit(pp(47)) < 3).alias("document_under_review"),
        pl.when(p_doc < 4).then(pl.lit("law")).otherwise(None).alias("document_named_by_form"),
        pl.when(kind != "serious").then(kind).when(lit(pp(48)) < 3).then(pl.lit("focus")).otherwise(pl.lit("serious")).alias("listing_list_kind"),
        _bands(lit(uu(49, 100)), [(5, "township"), (55, "county"), (85, "municipal"), (95, "provincial")], "national").alias("authority_level"),
        pl.when(lit(pp(50)) < 50).then(None).otherwise(lit(pp(50)) < 90).alias("authority_upper_level_approved"),
        decision.alias("listing_decision_date"),
        pl.when(chosen).then(pl.when(lit(pp(51)) < 90).then(lit(uu(52, 3)) + 1).otherwise(None))
        .when(judicial & (lit(pp(51)) < 15)).then(lit(uu(52, 4)) + 2)
        .when(lit(pp(51)) < 5).then(lit(uu(52, 4)) + 1).otherwise(None).cast(pl.Int64).alias("listing_period_years"),
        pl.when(lit(pp(53)) < 95).then(notice_on).otherwise(None).alias("notice_given_on"),
        (lit(pp(54)) < 96).alias("notice_states_reasons"),
        (lit(pp(55)) < 96).alias("notice_states_basis"),
        (lit(pp(56)) < 96).alias("notice_states_rights"),
        pl.when(lit(pp(57)) < 10).then(raised).otherwise(None).alias("objection_raised_on"),
        pl.when((lit(pp(57)) < 10) & (lit(pp(58)) < 85)).then(raised + days(59, 1, 20)).otherwise(None).alias("objection_answered_on"),
        pl.when(lit(pp(60)) < 10).then(None).otherwise(lit(pp(60)) < 20).alias("objection_well_founded"),
        pl.when(local & (lit(pp(61)) < 80)).then(decision - pl.duration(days=60)).otherwise(None).alias("candidate_publicity_start"),
        pl.when(local & (lit(pp(61)) < 80)).then(decision - pl.duration(days=60) + days(62, 20, 20)).otherwise(None).alias("candidate_publicity_end"),
        pl.when(unmodelled & (lit(pp(63)) < 90)).then(pl.lit("认定标准条款（生成）")).otherwise(None).alias("listing_stated_criterion_citation"),
        pl.when(unmodelled & (lit(pp(63)) < 90)).then(lit(pp(64)) < 95).otherwise(None).alias("listing_stated_criterion_met"),
    ]


def _bands(x: pl.Expr, bands: list[tuple[int, str]], last: str) -> pl.Expr:
    """The label of the first band whose upper bound *x* is below."""
    out: pl.Expr = pl.lit(last)
    for bound, label in reversed(bands):
        out = pl.when(x < bound).then(pl.lit(label)).otherwise(out)
    return out


__all__ = ["generate", "standards"]
