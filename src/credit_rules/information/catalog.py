"""Looking items up in the information catalogs in force.

The national base catalog is searched first, then the supplementary catalogs
along the jurisdiction chain (province, city, county).  A supplementary
catalog adds kinds of information; it never redefines a national item (the
load-time check refuses that), so the first match is the only one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog.kinds.information import (
    INFORMATION_CATALOG,
    CatalogScope,
    InformationCategory,
    InformationItem,
    PublicationPeriod,
)
from ..catalog.store import NATIONAL, CatalogFile, Catalogs
from ..model.legal import LegalBasis


@dataclass(frozen=True)
class FoundItem:
    """An item, its category, and the catalog edition it was found in."""

    item: InformationItem
    category: InformationCategory
    file: CatalogFile

    @property
    def scope(self) -> CatalogScope:
        national = self.file.envelope.jurisdiction == NATIONAL
        return CatalogScope.national_base if national else CatalogScope.local_supplementary


def items_in_force(catalogs: Catalogs, code: str, on: date) -> list[FoundItem]:
    """Every item of every catalog edition in force for *code* on *on*, national first."""
    out: list[FoundItem] = []
    for f in catalogs.layered(INFORMATION_CATALOG, code, on):
        for c in f.entries:
            if isinstance(c, InformationCategory):
                out += [FoundItem(item, c, f) for item in c.items]
    return out


def find_item(catalogs: Catalogs, code: str, on: date, ident: str) -> FoundItem | None:
    for found in items_in_force(catalogs, code, on):
        if found.item.id == ident:
            return found
    return None


def category_of(catalogs: Catalogs, code: str, on: date, ident: str) -> str | None:
    """The category of an item id, or the id itself when it names a category; None when unknown."""
    for found in items_in_force(catalogs, code, on):
        if found.item.id == ident or found.category.id == ident:
            return found.category.id
    return None


def basis_text(catalogs: Catalogs, basis_id: str, article: str | None, on: date) -> str:
    basis: LegalBasis | None = catalogs.legal_basis(basis_id, on)
    title = basis.title_zh if basis else basis_id
    return f"《{title}》{article or ''}".strip()


def period_text(period: PublicationPeriod | None) -> str | None:
    if period is None:
        return None
    parts = []
    if period.years:
        parts.append(f"{period.years} years")
    if period.months:
        parts.append(f"{period.months} months")
    return f"{' '.join(parts)} ({period.citation})"
