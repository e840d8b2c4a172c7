"""The facts of an information request: copies of the request and of the catalogs in force, nothing decided.

Every legal test over them — is the item in a catalog in force, does its
basis have a sufficient form and is it in force, does a consent cover the
use, is a recipient in the item's sharing scope, until when may it be
published, how many working days after the decision was it published — is a
cited definition in ``rules/national/gbf-2020-49/information.yaml`` and the
梧州 layer, so the trace shows it.  This module only reads: the request's
fields, the catalog item found for the jurisdiction and date (its fields and
its basis's id), and the ids of the items in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..catalog.kinds.information import INFORMATION_CATALOG, Purpose
from ..catalog.schema import BasisRef
from ..catalog.store import NATIONAL, Catalogs, jurisdiction_chain
from ..errors import InputError
from ..model.legal import LegalBasis
from ..yamlsource import Located
from .catalog import FoundItem, find_item, items_in_force
from .model import ConsentRecord, InformationRequest, Use

Facts = dict[str, object]

#: the purpose a use serves when the request does not name one
_IMPLIED_PURPOSE = {Use.record: Purpose.credit_record, Use.publish: Purpose.public_disclosure}


def consent_facts(consent: ConsentRecord | None) -> Facts:
    """The consent record as facts (49号(十四): purpose, manner and scope); definitions judge what it covers.

    Without a consent record ``consent.given`` is false, so nothing is
    covered — the absence of a consent is known, not unknown.
    """
    if consent is None:
        return {
            "consent.given": False,
            "consent.uses": None,
            "consent.purposes": None,
            "consent.items": None,
            "consent.obtained_on": None,
            "consent.expires_on": None,
            "consent.has_expiry": None,
            "consent.condition_of_service": None,
        }
    return {
        "consent.given": True,
        "consent.uses": frozenset(u.value for u in consent.uses),
        "consent.purposes": frozenset(p.value for p in consent.purposes),
        "consent.items": frozenset(consent.items),
        "consent.obtained_on": consent.obtained_on,
        "consent.expires_on": consent.expires_on,
        "consent.has_expiry": consent.expires_on is not None,
        "consent.condition_of_service": consent.condition_of_service,
    }


def use_facts(use: Use, purpose: Purpose | None) -> Facts:
    return {"use.kind": use.value, "use.purpose": purpose.value if purpose is not None else None}


def resolve_basis(catalogs: Catalogs, ref: BasisRef | None, on: date, origin: Located | None, path: tuple[str | int, ...]) -> LegalBasis | None:
    """The legal basis a request names; an id not in the catalogs is bad input, located."""
    if ref is None:
        return None
    basis = catalogs.legal_basis(ref.legal_basis, on)
    if basis is None:
        where = (*path, "legal_basis")
        if origin is not None:
            raise InputError([origin.problem(where, "the id of a legal basis in the catalogs", repr(ref.legal_basis))])
        raise InputError.one("(request)", None, ".".join(map(str, where)), "the id of a legal basis in the catalogs", repr(ref.legal_basis))
    return basis


def basis_jurisdiction(catalogs: Catalogs, ident: str, on: date) -> str | None:
    """The region code of the legal-bases catalog holding *ident* — the edition in force on *on*, else any, as
    :meth:`Catalogs.legal_basis` finds it.  A lookup: where that basis binds is the definition
    ``personal_basis_binds_here`` (立法法 第八十条、第八十一条: a local regulation is made for its own area)."""
    hit = catalogs.legal_basis_entry(ident, on)
    return hit[0].envelope.jurisdiction if hit is not None else None


def personal_basis_facts(basis: LegalBasis | None, jurisdiction: str | None = None) -> Facts:
    """The basis a request names for using personal information without consent, and the region code of the
    catalog that holds it (*jurisdiction*, from :func:`basis_jurisdiction`; none: not known)."""
    if basis is None:
        return {"personal.basis_id": None, "personal.basis_state_council_decision": None, "personal.basis_jurisdiction": None}
    return {
        "personal.basis_id": basis.id,
        "personal.basis_state_council_decision": basis.state_council_decision_or_order,
        "personal.basis_jurisdiction": jurisdiction,
    }


def personal_facts(catalogs: Catalogs, basis: LegalBasis | None, code: str, on: date) -> Facts:
    """The personal basis (:func:`personal_basis_facts`) and the request's jurisdiction chain it must bind in."""
    where = basis_jurisdiction(catalogs, basis.id, on) if basis is not None else None
    return {**personal_basis_facts(basis, where), "info.jurisdiction_chain": frozenset(jurisdiction_chain(code))}


@dataclass
class DerivedInformation:
    """Facts per question, plus what the decision text needs."""

    found: FoundItem | None
    record: Facts
    share: Facts | None
    publish: Facts | None
    warnings: list[str] = field(default_factory=list)


def catalog_facts(catalogs: Catalogs, found: FoundItem | None, code: str, on: date) -> Facts:
    """The catalog item found (its fields, its basis's id, its verification flags), and the ids of every item in force here.

    ``info.item_verified``: the edition, category and item entries the item was found in are confirmed; for an
    item found nowhere, every edition in force here (its absence rests on them all); none when no catalog is in
    force.  The flags are copied, not judged: the definitions read them through ``verified_by``.
    """
    in_force = frozenset(f.item.id for f in items_in_force(catalogs, code, on))
    if found is None:
        editions = catalogs.layered(INFORMATION_CATALOG, code, on)
        return {
            "info.catalog_items": in_force,
            "info.item_verified": all(f.source_verified is True for f in editions) if editions else None,
            "info.item_share_verified": None,
            "info.item_publish_verified": None,
            "info.publication_period_verified": True,
            "info.category_id": None,
            "info.catalog_scope": None,
            "info.item_basis_id": None,
            "info.supplementary_basis_id": None,
            "info.item_collection": None,
            "info.item_personal": None,
            "info.item_shared_with": None,
            "info.item_double_publicity": None,
            "info.item_penalty": None,
            "info.publication_period_months": None,
            "publish.item_published": None,
        }
    item = found.item
    sup: str | None = None
    if found.file.envelope.jurisdiction != NATIONAL:
        j = catalogs.jurisdiction(found.file.envelope.jurisdiction, on)
        sup = j.supplementary_basis.legal_basis if j is not None and j.supplementary_basis is not None else None
    period = item.publication_period
    return {
        "info.catalog_items": in_force,
        "info.item_verified": found.file.source_verified is True and found.category.source.verified and item.source.verified,
        "info.item_share_verified": item.share_verified,
        "info.item_publish_verified": item.publish_verified,
        "info.publication_period_verified": period.verified if period is not None else True,
        "info.category_id": found.category.id,
        "info.catalog_scope": found.scope.value,
        "info.item_basis_id": item.legal_basis.legal_basis if item.legal_basis is not None else None,
        "info.supplementary_basis_id": sup,
        "info.item_collection": item.collection.value,
        "info.item_personal": item.personal_information,
        "info.item_shared_with": frozenset(k.value for k in item.shared_with),
        "info.item_double_publicity": item.double_publicity,
        "info.item_penalty": item.penalty,
        "info.publication_period_months": period.years * 12 + period.months if period is not None else None,
        "publish.item_published": item.published,
    }


def _penalty_facts(request: InformationRequest) -> Facts:
    p = request.item.penalty
    if p is None:
        return {
            "penalty.stated": False, "penalty.kinds": None, "penalty.by_market_regulator": None,
            "penalty.small_fine": None, "penalty.social_impact": None, "penalty.tier": None,
        }
    return {
        "penalty.stated": True,
        "penalty.kinds": frozenset(k.value for k in p.kinds),
        "penalty.by_market_regulator": p.by_market_regulator,
        "penalty.small_fine": p.small_fine,
        "penalty.social_impact": p.social_impact,
        "penalty.tier": p.tier.value if p.tier is not None else None,
    }


def derive(catalogs: Catalogs, request: InformationRequest, origin: Located | None = None) -> DerivedInformation:
    """Facts of every question the request can ask, judged on ``asked_on``."""
    on = request.asked_on
    warnings: list[str] = []
    found = find_item(catalogs, request.jurisdiction, on, request.item.kind)
    if not catalogs.layered(INFORMATION_CATALOG, request.jurisdiction, on):
        warnings.append(f"no information catalog in force on {on} for {request.jurisdiction}")
    details = request.item.personal_details
    basis = resolve_basis(catalogs, request.personal_basis, on, origin, ("personal_basis",))
    base: Facts = {
        "question.date": on,
        "info.item_id": request.item.kind,
        **catalog_facts(catalogs, found, request.jurisdiction, on),
        "info.personal_details_given": details is not None and details.any(),
        "info.contact_details_given": details is not None and bool(details.phone or details.address),
        "info.decision_date": request.item.decision_date,
        "subject.kind": request.subject.kind.value,
        **personal_facts(catalogs, basis, request.jurisdiction, on),
        **consent_facts(request.consent),
    }
    record = {**base, **use_facts(Use.record, _IMPLIED_PURPOSE[Use.record])}
    share: Facts | None = None
    if request.recipient is not None:
        r = request.recipient
        share = {**base, **use_facts(Use.share, r.purpose), "share.recipient_kind": r.kind.value}
    pub = request.publication
    publish: Facts = {
        **base,
        **use_facts(Use.publish, _IMPLIED_PURPOSE[Use.publish]),
        **_penalty_facts(request),
        "publish.contains_trade_secret": request.item.contains_trade_secret,
        "publish.published_on": pub.published_on if pub is not None else None,
        "publish.channel": pub.channel.value if pub is not None and pub.channel is not None else None,
        "publish.until": pub.until if pub is not None else None,
        "publish.department_until": pub.department_until if pub is not None else None,
    }
    return DerivedInformation(found, record, share, publish, warnings)
