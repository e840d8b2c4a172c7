"""What the catalogs define, as rows a person can read: the data behind ``credit-rules catalog``.

A user writing a case needs the ids it may name — standards, the conduct and
quantities their criteria read, measures, sub-fields, information items,
repair regimes, jurisdictions — without reading YAML.  Every function here
returns plain JSON-able dicts, so the CLI can print them as text or JSON and
a program can use them directly.

Scope: without a date, every edition loaded; with ``on``, only the editions
in force that day.  Without a jurisdiction, every layer loaded; with one, the
layers of its chain (national → province → city → county).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from .catalog.schema import Domain, Jurisdiction, ListingStandard
from .catalog.store import CatalogFile, Catalogs
from .divisions import load_divisions
from .errors import InputError

KINDS = ("standards", "conduct", "quantities", "measures", "fields", "information", "regimes", "jurisdictions")
"""What ``catalog list|show`` can browse."""

Row = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Which editions and layers to browse."""

    jurisdiction: str | None = None
    on: date | None = None
    lang: str = "zh"

    def files(self, cats: Catalogs) -> Iterator[CatalogFile]:
        chain = load_divisions().chain(self.jurisdiction) if self.jurisdiction else None
        for f in cats.files:
            if chain is not None and f.envelope.jurisdiction not in chain:
                continue
            if self.on is not None and not f.in_force(self.on):
                continue
            yield f

    def entries(self, cats: Catalogs, model: type[BaseModel]) -> Iterator[tuple[CatalogFile, Any]]:
        for f in self.files(cats):
            for e in f.entries:
                if isinstance(e, model):
                    yield f, e

    def name(self, entry: Any) -> str:
        zh, en = getattr(entry, "name_zh", None), getattr(entry, "name_en", None)
        picked = (en or zh) if self.lang == "en" else (zh or en)
        return str(picked or "")


def _where(f: CatalogFile) -> Row:
    env = f.envelope
    return {
        "jurisdiction": env.jurisdiction, "edition": env.edition, "effective_from": env.effective_from.isoformat(),
        "effective_to": env.effective_to.isoformat() if env.effective_to else None, "file": f.file,
    }


def _standards(cats: Catalogs, scope: Scope) -> Iterator[tuple[CatalogFile, ListingStandard]]:
    yield from scope.entries(cats, ListingStandard)


def list_rows(kind: str, cats: Catalogs, scope: Scope) -> list[Row]:
    """One row per id of *kind*, sorted by id (then jurisdiction and edition)."""
    rows: list[Row]
    if kind == "standards":
        rows = [
            {"id": s.id, "name": scope.name(s), "list_kind": s.list_kind.value, "scope": s.scope, "criteria": len(s.criteria),
             "period_years": s.period.years, **_where(f)}
            for f, s in _standards(cats, scope)
        ]
    elif kind in ("conduct", "quantities"):
        rows = [{"id": ident, "read_by": sorted(readers)} for ident, readers in sorted(_readers(cats, scope, kind).items())]
    elif kind == "measures":
        from .catalog.kinds.measures import Measure

        rows = [
            {"id": m.id, "name": scope.name(m), "group": int(m.group), "kind": m.kind.value, "required_lists": list(m.required_lists),
             "implementer": m.implementer.value, **_where(f)}
            for f, m in scope.entries(cats, Measure)
        ]
    elif kind == "fields":
        rows = [
            {"id": fl.id, "name": scope.name(fl), "domain": d.id, "category": d.category, **_where(f)}
            for f, d in scope.entries(cats, Domain) for fl in d.fields
        ]
    elif kind == "information":
        from .catalog.kinds.information import InformationCategory

        rows = [
            {"id": item.id, "name": scope.name(item), "category": c.id, "published": item.published,
             "shared_with": [r.value for r in item.shared_with], **_where(f)}
            for f, c in scope.entries(cats, InformationCategory) for item in c.items
        ]
    elif kind == "regimes":
        from .catalog.kinds.repair import RepairRegime

        rows = [
            {"id": r.id, "name": scope.name(r), "tiers": [t.tier.value for t in r.tiers], "information": list(r.information), **_where(f)}
            for f, r in scope.entries(cats, RepairRegime)
        ]
    elif kind == "jurisdictions":
        divs = load_divisions()
        rows = [
            {"id": j.code, "name": scope.name(j), "level": j.level.value, "full_name": divs.full_name(j.code),
             **_where(f)}
            for f, j in scope.entries(cats, Jurisdiction)
        ]
    else:
        raise InputError.one("(command line)", None, "KIND", f"one of {', '.join(KINDS)}", kind)
    return sorted(rows, key=lambda r: (r["id"], r.get("jurisdiction", ""), r.get("effective_from", "")))


def _readers(cats: Catalogs, scope: Scope, kind: str) -> dict[str, set[str]]:
    """conduct or quantity id → the ``standard.criterion`` (or ``measure ban``) ids that read it."""
    out: dict[str, set[str]] = {}
    for _, s in _standards(cats, scope):
        for c in s.criteria:
            if kind == "conduct":
                names = [*c.conduct, *c.bars]
            else:
                names = [t.quantity for t in (*c.thresholds, *c.any_thresholds)]
            for name in names:
                out.setdefault(name, set()).add(f"{s.id}.{c.id}")
        if kind == "quantities":
            for name, ratio in s.ratios.items():
                for part in (name, ratio.numerator, ratio.denominator):
                    out.setdefault(part, set()).add(f"{s.id} (ratio {name})")
    if kind == "conduct":
        from .catalog.kinds.measures import Measure

        for _, m in scope.entries(cats, Measure):
            if m.ban is not None:
                for g in m.ban.grounds:
                    out.setdefault(g.conduct, set()).add(f"{m.id} (ban)")
    return out


def show(kind: str, ident: str, cats: Catalogs, scope: Scope, notes: bool = False) -> list[Row]:
    """Every edition of the entry *ident* of *kind*, in full; an unknown id is an InputError with a did-you-mean.

    Maintainer notes (``notes``, ``note``) are never in a row: the models exclude them from every dump.  With *notes*
    (``catalog show --notes``, for maintainers) each row gets them back under ``notes``, each as ``"<field>: <remark>"``.
    """
    from .case_ids import expected_text

    if kind == "jurisdictions":
        return [_show_jurisdiction(ident, cats, scope)]
    found: list[Row] = []
    if kind in ("conduct", "quantities"):
        readers = _readers(cats, scope, kind)
        if ident in readers:
            found = [{"id": ident, "read_by": sorted(readers[ident]), "criteria": _criteria_reading(cats, scope, kind, ident)}]
        valid = set(readers)
    else:
        rows = list_rows(kind, cats, scope)
        valid = {r["id"] for r in rows}
        for f, e in _entries_of(kind, cats, scope):
            if getattr(e, "id", None) == ident:
                row = {**e.model_dump(mode="json", exclude_none=True), "catalog": _where(f)}
                if notes:
                    row["notes"] = maintainer_notes_of(e)
                found.append(row)
    if not found:
        raise InputError.one("(command line)", None, "ID", expected_text(f"an id of {kind} in the catalogs browsed", valid, ident), ident)
    return found


def maintainer_notes_of(model: BaseModel, path: str = "") -> list[str]:
    """Every maintainer note in *model* and the objects it holds, as ``"<field>: <remark>"`` (entry ``notes`` as written).

    ``notes`` (a list) and the older ``note`` (one string, on a source, criterion, tier or period) are both maintainer
    text; neither is ever dumped (``exclude=True``), so this walk is the only way to read them outside the model.
    """
    out: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name == "notes" and isinstance(value, list):
            out += [str(v) if not path else f"{path}: {v}" for v in value]
        elif name == "note" and isinstance(value, str):
            out.append(f"{path or '(entry)'}: {value}")
        else:
            out += _notes_below(value, f"{path}.{name}" if path else name)
    return out


def _notes_below(value: Any, path: str) -> list[str]:
    if isinstance(value, BaseModel):
        return maintainer_notes_of(value, path)
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for i, item in enumerate(value):
            label = getattr(item, "id", None) if isinstance(item, BaseModel) else None
            out += _notes_below(item, f"{path}[{label if isinstance(label, str) else i}]")
        return out
    if isinstance(value, dict):
        return [n for key, item in value.items() for n in _notes_below(item, f"{path}.{key}")]
    return []


def _entries_of(kind: str, cats: Catalogs, scope: Scope) -> Iterator[tuple[CatalogFile, Any]]:
    if kind == "standards":
        yield from scope.entries(cats, ListingStandard)
    elif kind == "measures":
        from .catalog.kinds.measures import Measure

        yield from scope.entries(cats, Measure)
    elif kind == "fields":
        for f, d in scope.entries(cats, Domain):
            for fl in d.fields:
                yield f, fl
    elif kind == "information":
        from .catalog.kinds.information import InformationCategory

        for f, c in scope.entries(cats, InformationCategory):
            yield from ((f, item) for item in c.items)
    elif kind == "regimes":
        from .catalog.kinds.repair import RepairRegime

        yield from scope.entries(cats, RepairRegime)


def _criteria_reading(cats: Catalogs, scope: Scope, kind: str, ident: str) -> list[Row]:
    out = []
    for _, s in _standards(cats, scope):
        for c in s.criteria:
            reads = [*c.conduct, *c.bars] if kind == "conduct" else [t.quantity for t in (*c.thresholds, *c.any_thresholds)]
            if ident in reads:
                out.append({"standard": s.id, "criterion": c.id, "article": c.article, "name": scope.name(c),
                            "role": "bar" if ident in c.bars else "reads"})
    return out


def _show_jurisdiction(code: str, cats: Catalogs, scope: Scope) -> Row:
    from .case_ids import check_jurisdiction

    wrong = check_jurisdiction(code, cats)
    if wrong is not None:
        raise InputError.one("(command line)", None, "ID", wrong, code)
    divs = load_divisions()
    chain = divs.chain(code)
    layers = []
    for layer in chain:
        files = [f for f in cats.files if f.envelope.jurisdiction == layer and (scope.on is None or f.in_force(scope.on))]
        division = divs.get(layer)
        layers.append({
            "code": layer, "name": division.name if division else ("全国" if layer == "000000" else layer),
            "catalogs": sorted({f"{f.envelope.kind} {f.envelope.edition}" for f in files}),
        })
    division = divs.get(code)
    return {
        "id": code, "full_name": divs.full_name(code), "level": division.level if division else None,
        "kind": division.kind if division else None, "status": division.status if division else None,
        "successor": (division.successor or None) if division else None, "chain": layers,
        "division_list": f"{divs.file} (edition {divs.edition})",
    }
