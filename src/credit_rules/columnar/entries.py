"""The entries table: one flat row per list entry, the case fields the listing question reads.

Why flat columns: a national platform exports its list entries as a table,
and a columnar engine reads a column at a time.  Each column is one field of
the case model (:class:`credit_rules.model.case.Case`); :func:`to_case` builds
the case a row stands for and :func:`from_case` the row of a case, so the
per-case engine and the columnar evaluator decide the same thing (the
benchmark and the tests check they agree).  docs/national-scale.md shows the
table.

The act's amounts and quantities are ``figure.<name>`` columns, one per name
(the criteria read amounts and quantities alike), read as decimals with
:data:`~credit_rules.columnar.compile.DECIMAL_SCALE` places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl

from ..errors import InputError, Problem
from ..model.act import Gravity, Intent
from ..model.case import Case, ListKind, Question
from ..model.evidence import DocumentKind
from ..model.legal import LegalForm, Level
from ..model.subject import SubjectKind
from .compile import DECIMAL_SCALE

FIGURE_PREFIX = "figure."


@dataclass(frozen=True)
class Column:
    """One column of the entries table."""

    name: str
    dtype: pl.DataType
    required: bool
    description: str
    values: tuple[str, ...] = ()
    """The allowed values of an enumeration column."""


def _values(e: Any) -> tuple[str, ...]:
    return tuple(m.value for m in e)


D, B, S = pl.Date(), pl.Boolean(), pl.String()

COLUMNS: tuple[Column, ...] = (
    Column("case_id", S, True, "the entry's id (shown in the result)"),
    Column("as_of", D, False, "the date the entry is decided on (the determination's date); --on overrides it"),
    Column("jurisdiction", S, True, "GB/T 2260 code of the deciding jurisdiction"),
    Column("subject_kind", S, True, "legal_person, unincorporated_organisation, individual_business, natural_person", _values(SubjectKind)),
    Column("subject_birth_date", D, False, "birth date of a natural person"),
    Column("subject_on_red_list", B, False, "currently on a red list"),
    Column("subject_on_serious_list", B, False, "currently on a serious dishonesty list"),
    Column("act_field", S, True, "sub-field id from the domains catalog"),
    Column("act_date", D, True, "date of the act"),
    Column("act_gravity", S, True, "minor, general, serious, especially_serious", _values(Gravity)),
    Column("act_intent", S, False, "intentional (default), negligent, none", _values(Intent)),
    Column("act_force_majeure", B, False, "caused by force majeure"),
    Column("act_repeated", B, False, "a repeated violation"),
    Column("act_malicious", B, False, "性质恶劣 (35号(八))"),
    Column("act_serious_circumstances", B, False, "情节严重 (35号(八))"),
    Column("act_high_social_harm", B, False, "社会危害较大 (35号(八))"),
    Column("act_conduct", pl.List(S), False, "kinds of conduct, as the regimes' criteria name them"),
    Column("document_kind", S, False, "kind of the legally effective document; null: none", _values(DocumentKind)),
    Column("document_issued", D, False, "issue date of the document (required with document_kind)"),
    Column("document_effective", D, False, "date it took effect"),
    Column("document_revoked", D, False, "date it was revoked or annulled"),
    Column("document_served_on", D, False, "date it was served on the party"),
    Column("document_final_on", D, False, "date a review decision or judgment upholding it took effect"),
    Column("document_under_review", B, False, "reconsideration or litigation pending"),
    Column("document_named_by_form", S, False, "for other_named_by_law: the form of the document naming it", _values(LegalForm)),
    Column("listing_list_kind", S, False, "serious (default), red, focus", _values(ListKind)),
    Column("listing_standard", S, True, "id of the listing standard in the catalogs"),
    Column("authority_level", S, True, "national, provincial, municipal, county, township", _values(Level)),
    Column("authority_upper_level_approved", B, False, "the next level up consented, where the list's rule requires it"),
    Column("listing_decision_date", D, True, "date of the listing decision"),
    Column("listing_period_years", pl.Int64(), False, "the list term the decision sets"),
    Column("listing_stated_criterion_citation", S, False, "where the catalogs model no criteria for the standard: the article the decision applied"),
    Column("listing_stated_criterion_met", B, False, "and whether the decision finds the act meets it (required with the citation)"),
    Column("notice_given_on", D, False, "prior notice given on; null: none"),
    Column("notice_states_reasons", B, False, "the notice states the reasons"),
    Column("notice_states_basis", B, False, "the notice states the basis"),
    Column("notice_states_rights", B, False, "the notice states the party's rights"),
    Column("objection_raised_on", D, False, "objection raised on; null: none"),
    Column("objection_answered_on", D, False, "objection answered on"),
    Column("objection_well_founded", B, False, "verification found the information wrong"),
    Column("candidate_publicity_start", D, False, "candidate publicity (湖北 §6) from"),
    Column("candidate_publicity_end", D, False, "candidate publicity to"),
)
"""Every column of the entries table, in order; ``figure.<name>`` columns come after them."""

BY_NAME = {c.name: c for c in COLUMNS}
FIGURE_DTYPE = pl.Decimal(38, DECIMAL_SCALE)

_NUMERIC = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64, pl.Float32, pl.Float64, pl.Decimal)


def check_schema(schema: Mapping[str, pl.DataType], where: str) -> list[Problem]:
    """Problems with an entries table's columns: a required one missing, or one of the wrong type."""
    problems: list[Problem] = []
    for col in COLUMNS:
        got = schema.get(col.name)
        if got is None:
            if col.required:
                problems.append(Problem(where, None, col.name, f"a {col.dtype} column ({col.description})", "missing"))
            continue
        if got == pl.Null:
            continue
        ok = got == col.dtype or (col.dtype == pl.Int64() and got.is_integer())
        if not ok:
            problems.append(Problem(where, None, col.name, f"a {col.dtype} column ({col.description})", str(got)))
    for name, got in schema.items():
        if name.startswith(FIGURE_PREFIX) and not isinstance(got, _NUMERIC) and got not in _NUMERIC and got != pl.Null:
            problems.append(Problem(where, None, name, "a numeric column (an amount or quantity of the act)", str(got)))
    return problems


def normalise(frame: pl.DataFrame) -> pl.DataFrame:
    """The table with every column present (absent optional ones null) in its documented type, figures as decimals."""
    extra = [pl.lit(None, dtype=c.dtype).alias(c.name) for c in COLUMNS if c.name not in frame.columns]
    if extra:
        frame = frame.with_columns(extra)
    casts = [pl.col(c.name).cast(c.dtype) for c in COLUMNS if frame.schema[c.name] != c.dtype]
    figures = [pl.col(n).cast(FIGURE_DTYPE) for n in frame.columns if n.startswith(FIGURE_PREFIX) and frame.schema[n] != FIGURE_DTYPE]
    if casts or figures:
        frame = frame.with_columns([*casts, *figures])
    return frame


def check_values(frame: pl.DataFrame, where: str, offset: int = 0) -> list[Problem]:
    """Problems with enumeration values and required cells (the first bad row of each column, by row number)."""
    problems: list[Problem] = []
    for col in COLUMNS:
        if col.name not in frame.columns:
            continue
        s = frame[col.name]
        bad = s.is_null() if col.required else pl.Series([False] * len(s))
        if col.values:
            bad = bad | (~s.is_in(list(col.values)) & s.is_not_null())
        if bad.any():
            row = int(bad.arg_max() or 0)
            shown = s[row]
            expected = f"one of {list(col.values)}" if col.values else f"a value ({col.description})"
            problems.append(Problem(where, offset + row + 1, col.name, expected, repr(shown)))
    for first, second in _TOGETHER:  # the case model refuses one without the other: so does the table
        if first in frame.columns and second in frame.columns:
            bad = frame[first].is_null() != frame[second].is_null()
            if bad.any():
                row = int(bad.arg_max() or 0)
                lone, missing = (first, second) if frame[second][row] is None else (second, first)
                problems.append(Problem(where, offset + row + 1, missing, f"a value with {lone} (the two go together)", None))
    return problems


_TOGETHER = (("listing_stated_criterion_citation", "listing_stated_criterion_met"),)
"""Columns of one case record that are given together or not at all (``listing.stated_criterion``)."""


# ----------------------------------------------------------------- rows and cases

_DOCUMENT = ("kind", "issued", "effective", "revoked", "served_on", "final_on", "under_review", "named_by_form")
_NOTICE = ("given_on", "states_reasons", "states_basis", "states_rights")
_OBJECTION = ("raised_on", "answered_on", "well_founded")
_ACT_FLAGS = ("force_majeure", "repeated", "malicious", "serious_circumstances", "high_social_harm")
"""Case fields stored as ``<prefix>_<field>`` columns (the first of a record is the one whose null means no record)."""


def _columns(prefix: str, fields: tuple[str, ...], record: object | None) -> dict[str, Any]:
    """The ``<prefix>_<field>`` cells of a case's nested *record* (enumerations as their values; all null when
    there is no record).  With :func:`_record`, its inverse, the one naming of a record's columns both
    conversions use, so :func:`to_case` and :func:`from_case` cannot drift apart field by field."""
    names = _NAMES.get((prefix, fields))
    if names is None:
        names = _NAMES[(prefix, fields)] = tuple((f"{prefix}_{f}", f) for f in fields)
    if record is None:
        return dict.fromkeys((n for n, _ in names), None)
    return {n: v.value if isinstance(v := getattr(record, f), Enum) else v for n, f in names}


_NAMES: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}
"""Per (prefix, fields): each column name with its field (made once, not once per row)."""


def _record(prefix: str, fields: tuple[str, ...], row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The nested record a row's ``<prefix>_<field>`` cells stand for, or None when its first cell is null."""
    if row.get(f"{prefix}_{fields[0]}") is None:
        return None
    return {f: row.get(f"{prefix}_{f}") for f in fields}


def to_case(row: Mapping[str, Any]) -> Case:
    """The case an entries row stands for (the per-case engine's input); pydantic validates it.  A null flag is
    false (the model's default); a document with no issue date was issued when it took effect, else on the act's date."""
    figures = {k[len(FIGURE_PREFIX):]: Decimal(v) for k, v in row.items() if k.startswith(FIGURE_PREFIX) and v is not None}
    doc = _record("document", _DOCUMENT, row)
    if doc is not None:
        doc.update(issued=doc["issued"] or doc["effective"] or row["act_date"], under_review=bool(doc["under_review"]))
    notice = _record("notice", _NOTICE, row)
    if notice is not None:
        notice.update({f: bool(notice[f]) for f in _NOTICE[1:]})
    data: dict[str, Any] = {
        "case_id": row["case_id"],
        "as_of": row.get("as_of"),
        "jurisdiction": row["jurisdiction"],
        "questions": [Question.determination.value, Question.listing.value],
        "subject": {
            "kind": row["subject_kind"], "name": "(entry)", "birth_date": row.get("subject_birth_date"),
            "on_red_list": bool(row.get("subject_on_red_list")), "on_serious_list": bool(row.get("subject_on_serious_list")),
        },
        "act": {
            "field": row["act_field"], "date": row["act_date"], "gravity": row["act_gravity"], "intent": row.get("act_intent") or "intentional",
            **{f: bool(row.get(f"act_{f}")) for f in _ACT_FLAGS},
            "conduct": list(row.get("act_conduct") or []), "quantities": figures, "document": doc,
        },
        "listing": {
            "list_kind": row.get("listing_list_kind") or "serious", "standard": row["listing_standard"],
            "authority": {"name": "(authority)", "level": row["authority_level"], "upper_level_approved": row.get("authority_upper_level_approved")},
            "decision_date": row["listing_decision_date"], "notice": notice, "objection": _record("objection", _OBJECTION, row),
            "candidate_publicity_start": row.get("candidate_publicity_start"), "candidate_publicity_end": row.get("candidate_publicity_end"),
            "period_years": row.get("listing_period_years"),
            "stated_criterion": _stated_criterion(row),
        },
    }
    return Case.model_validate(data)


def _stated_criterion(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The case's ``listing.stated_criterion`` from its two columns (none when both are empty; one without the
    other is left for the case model to refuse, as bad input)."""
    citation, met = row.get("listing_stated_criterion_citation"), row.get("listing_stated_criterion_met")
    if citation is None and met is None:
        return None
    return {"citation": citation, "met": met}


def from_case(case: Case, as_of: date | None = None) -> dict[str, Any]:
    """The entries row of a case that asks the listing question (the fixtures become rows this way)."""
    act, subject, req = case.act, case.subject, case.listing
    assert req is not None
    row: dict[str, Any] = {
        "case_id": case.case_id, "as_of": as_of or case.as_of, "jurisdiction": case.jurisdiction,
        "subject_kind": subject.kind.value, "subject_birth_date": subject.birth_date,
        "subject_on_red_list": subject.on_red_list, "subject_on_serious_list": subject.on_serious_list,
        "act_field": act.field, "act_date": act.date, "act_gravity": act.gravity.value, "act_intent": act.intent.value,
        **_columns("act", _ACT_FLAGS, act),
        "act_conduct": list(act.conduct),
        **_columns("document", _DOCUMENT, act.document),
        "listing_list_kind": req.list_kind.value, "listing_standard": req.standard, "authority_level": req.authority.level.value,
        "authority_upper_level_approved": req.authority.upper_level_approved, "listing_decision_date": req.decision_date,
        "listing_period_years": req.period_years,
        "listing_stated_criterion_citation": req.stated_criterion.citation if req.stated_criterion else None,
        "listing_stated_criterion_met": req.stated_criterion.met if req.stated_criterion else None,
        **_columns("notice", _NOTICE, req.notice),
        **_columns("objection", _OBJECTION, req.objection),
        "candidate_publicity_start": req.candidate_publicity_start, "candidate_publicity_end": req.candidate_publicity_end,
    }
    for name, value in {**act.quantities, **act.amounts}.items():  # an amount wins over a quantity of the same name
        row[FIGURE_PREFIX + name] = value
    return row


def frame_of(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """An entries table from rows (:func:`from_case`), every column in its documented type."""
    # a row's figures are its keys beyond the columns (no column is named like a figure: tests/test_columnar.py)
    standard = BY_NAME.keys()
    figure_names = sorted({k for r in rows for k in r.keys() - standard if k.startswith(FIGURE_PREFIX)})
    schema: dict[str, pl.DataType] = {c.name: c.dtype for c in COLUMNS}
    schema.update({n: FIGURE_DTYPE for n in figure_names})
    data: dict[str, Any] = {name: [r.get(name) for r in rows] for name in schema}
    for name, dtype in schema.items():
        if dtype == _TEXT_LIST:
            data[name] = _text_lists(name, data[name])
    return pl.DataFrame(data, schema=schema)


_TEXT_LIST = pl.List(pl.String)
_SEP = "\x1f"
"""The unit separator: joins a row's texts, which :func:`_text_lists` splits again in columns."""


def _text_lists(name: str, cells: list[Any]) -> pl.Series | list[Any]:
    """A column of lists of texts, built from the texts joined per row and split again by polars: polars
    converts a Python list per row at about 10 us a row, a joined text at a fraction of it.  Where a cell is
    not a list of texts free of the separator, the cells are returned for polars to convert as before."""
    joined: list[str | None] = []
    for cell in cells:
        if cell is None:
            joined.append(None)
        elif cell.__class__ is list and all(v.__class__ is str and _SEP not in v for v in cell):
            joined.append(_SEP.join(cell))
        else:
            return cells
    texts = pl.Series(name, joined, dtype=pl.String)
    empty = pl.Series(name, [len(c) == 0 if c is not None else None for c in cells], dtype=pl.Boolean)
    return pl.select(
        pl.when(empty).then(pl.lit([], dtype=_TEXT_LIST)).otherwise(texts.str.split(_SEP)).alias(name)
    ).to_series()


def require_schema(schema: Mapping[str, pl.DataType], where: str) -> None:
    problems = check_schema(schema, where)
    if problems:
        raise InputError(problems)


__all__ = ["BY_NAME", "COLUMNS", "FIGURE_PREFIX", "Column", "check_schema", "check_values", "frame_of", "from_case", "normalise", "require_schema", "to_case"]
