"""Facts of an information request (record / share / publish) and of a query (A1–A4, F1–F2).

Derived in :mod:`credit_rules.information.facts` and
:mod:`credit_rules.audit.access`; the rules in
``rules/national/gbf-2020-49/information.yaml`` (and the 梧州 layer) compare
them.  Consent facts are derived per use: the same consent record may cover
recording but not publication.
"""

from __future__ import annotations

from enum import StrEnum

from ...catalog.kinds.information import CatalogScope, Collection, Purpose, QueryRole, RecipientKind
from ...model.legal import LegalForm
from ..schema import FactSpec, FactType

_B, _I, _E = FactType.bool, FactType.int, FactType.enum


def _values(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


SPECS: list[FactSpec] = [
    # the item and its catalog (49号(一), 梧州(三))
    FactSpec("info.item_in_catalog", _B, "the item's kind is in an information catalog in force here on the date asked"),
    FactSpec("info.catalog_scope", _E, "national base catalog or a local supplementary catalog", _values(CatalogScope)),
    FactSpec("info.item_basis_form", _E, "legal form of the document the catalog item rests on", _values(LegalForm)),
    FactSpec("info.item_basis_in_force", _B, "that document is in force on the date asked"),
    FactSpec("info.supplementary_basis_form", _E, "legal form of the jurisdiction's basis for a supplementary catalog", _values(LegalForm)),
    FactSpec("info.supplementary_basis_in_force", _B, "that basis is in force on the date asked"),
    FactSpec("info.item_collection", _E, "collected by statute, or only with the subject's authorisation", _values(Collection)),
    FactSpec("info.item_personal", _B, "the catalog item may carry personal information"),
    FactSpec("info.personal_information", _B, "this request carries personal information (a natural person, or personal details)"),
    # outcome of the record question, for share and publish
    FactSpec("record.allowed", _B, "the item may be recorded as public credit information"),
    # consent (49号(十四), 梧州(二十二)), judged for the use at hand
    FactSpec("consent.covers_use", _B, "its scope covers this use (record/share/publish/query) and this item or category"),
    FactSpec("consent.purpose_matches", _B, "the purpose of this use is among the purposes consented to"),
    FactSpec("consent.in_force", _B, "obtained on or before the date of use and not expired on it"),
    FactSpec("consent.has_expiry", _B, "the consent states an expiry date"),
    FactSpec("consent.condition_of_service", _B, "the consent was obtained as a condition of providing a service"),
    # a basis for using or publishing personal information without consent (49号(四))
    FactSpec("personal.basis_form", _E, "legal form of the basis given for using personal information", _values(LegalForm)),
    FactSpec("personal.basis_state_council_decision", _B, "that basis is a decision or order of the State Council itself"),
    FactSpec("personal.basis_in_force", _B, "that basis is in force on the date of use"),
    # sharing (49号(三))
    FactSpec("share.recipient_kind", _E, "kind of recipient", _values(RecipientKind)),
    FactSpec("share.recipient_in_scope", _B, "the catalog item is shared with this kind of recipient"),
    # publication (49号(四)(五), 梧州(五)(六))
    FactSpec("publish.item_published", _B, "the catalog item may be published"),
    FactSpec("publish.contains_trade_secret", _B, "the information contains trade secrets"),
    FactSpec("publish.within_period", _B, "the date asked is within the item's publication period"),
    FactSpec("publish.period_matches_department", _B, "a platform publishes until the same end date as the determining department"),
    FactSpec("info.item_double_publicity", _B, "administrative licensing or penalty decision (双公示)"),
    FactSpec("publish.working_days_after_decision", _I, "working days from the decision to publication (decision day not counted)"),
    # queries (49号(十三), 梧州(二十一))
    FactSpec("query.role", _E, "role of the person querying", _values(QueryRole)),
    FactSpec("query.purpose", _E, "purpose of the query", _values(Purpose)),
    FactSpec("query.allowed_by_policy", _B, "the access policy in force allows this role and purpose every category queried"),
]
