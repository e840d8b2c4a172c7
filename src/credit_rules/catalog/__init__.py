"""Catalogs: legal bases, domains, listing standards and jurisdictions, by edition."""

from .schema import BasisRef, CatalogKind, Domain, Envelope, Jurisdiction, ListingStandard, Period, TimeLimit
from .store import CatalogFile, Catalogs, jurisdiction_chain, load_catalogs

__all__ = [
    "BasisRef", "CatalogFile", "CatalogKind", "Catalogs", "Domain", "Envelope", "Jurisdiction",
    "ListingStandard", "Period", "TimeLimit", "jurisdiction_chain", "load_catalogs",
]
