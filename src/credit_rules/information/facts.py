"""Derive the facts of an information request: the only place that reasons about its dates and catalogs.

The rules (``rules/national/gbf-2020-49/information.yaml`` and the 梧州 layer)
only compare these facts.  Everything that needs a lookup or arithmetic is
here: which catalog edition is in force, the legal form of an item's basis,
whether a consent covers a use on a date, working days from a decision to
its publication (start day not counted), the end of a publication period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from ..catalog.kinds.information import INFORMATION_CATALOG, Purpose
from ..catalog.schema import BasisRef
from ..catalog.store import NATIONAL, Catalogs
from ..errors import InputError
from ..model.legal import LegalBasis, LegalForm
from ..model.subject import Subject, SubjectKind
from ..workdays import CalendarCoverageError, WorkingDayCalendar
from ..yamlsource import Located
from .catalog import FoundItem, find_item
from .model import PLATFORMS, ConsentRecord, InformationRequest, Use

Facts = dict[str, object]

#: the purpose a use serves when the request does not name one
_IMPLIED_PURPOSE = {Use.record: Purpose.credit_record, Use.publish: Purpose.public_disclosure}


def consent_facts(consent: ConsentRecord | None, use: Use, purpose: Purpose | None, items: Sequence[tuple[str, str | None]], on: date) -> Facts:
    """Consent facts for one use; *items* are (item id, category id) pairs the use touches.

    49号(十四): consent is to a stated purpose, manner and scope.  A consent
    covers a use when it names the use and every item touched (by item id or
    category id).  Without a consent record every consent fact is
    missing, so rules that rely on consent fail and rules about a consent's
    form do not apply.
    """
    if consent is None:
        return {
            "consent.covers_use": None,
            "consent.purpose_matches": None,
            "consent.in_force": None,
            "consent.has_expiry": None,
            "consent.condition_of_service": None,
        }
    scope = set(consent.items)
    covered = use in consent.uses and all(i in scope or (c is not None and c in scope) for i, c in items)
    return {
        "consent.covers_use": covered,
        "consent.purpose_matches": purpose is not None and purpose in consent.purposes,
        "consent.in_force": consent.obtained_on <= on and (consent.expires_on is None or on <= consent.expires_on),
        "consent.has_expiry": consent.expires_on is not None,
        "consent.condition_of_service": consent.condition_of_service,
    }


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


def is_state_council_decision(basis: LegalBasis) -> bool:
    """国务院决定、命令 (49号(四)): a policy document of the State Council itself titled 决定 or 命令.

    The General Office's opinions (国办发) and the State Council's guiding
    opinions are not decisions or orders; administrative regulations already
    count as 法规 through their form.
    """
    return basis.form is LegalForm.party_state_policy and basis.issuer_zh == "国务院" and any(
        word in basis.title_zh for word in ("决定", "命令")
    )


def personal_basis_facts(basis: LegalBasis | None, on: date) -> Facts:
    if basis is None:
        return {"personal.basis_form": None, "personal.basis_state_council_decision": None, "personal.basis_in_force": None}
    return {
        "personal.basis_form": basis.form.value,
        "personal.basis_state_council_decision": is_state_council_decision(basis),
        "personal.basis_in_force": basis.in_force(on),
    }


def carries_personal_information(subject: Subject, request_has_details: bool) -> bool:
    """A natural person's information, or personal details inside an organisation's record."""
    return subject.kind is SubjectKind.natural_person or request_has_details


@dataclass(frozen=True)
class Timing:
    """Publication dates derived for the ``publish`` question and the decision's timing section."""

    working_days_after_decision: int | None
    until: date | None
    within_period: bool | None


@dataclass
class DerivedInformation:
    """Facts per question, plus what the decision text needs."""

    found: FoundItem | None
    record: Facts
    share: Facts | None
    publish: Facts | None
    timing: Timing
    warnings: list[str] = field(default_factory=list)


def _catalog_facts(catalogs: Catalogs, found: FoundItem | None, on: date) -> Facts:
    if found is None:
        return {
            "info.item_in_catalog": False,
            "info.catalog_scope": None,
            "info.item_basis_form": None,
            "info.item_basis_in_force": None,
            "info.supplementary_basis_form": None,
            "info.supplementary_basis_in_force": None,
            "info.item_collection": None,
            "info.item_personal": None,
            "info.item_double_publicity": None,
        }
    item = found.item
    basis = catalogs.legal_basis(item.legal_basis.legal_basis, on) if item.legal_basis is not None else None
    sup_form: str | None = None
    sup_in_force: bool | None = None
    if found.file.envelope.jurisdiction != NATIONAL:
        j = catalogs.jurisdiction(found.file.envelope.jurisdiction, on)
        ref = j.supplementary_basis if j is not None else None
        sup = catalogs.legal_basis(ref.legal_basis, on) if ref is not None else None
        if sup is not None:
            sup_form, sup_in_force = sup.form.value, sup.in_force(on)
    return {
        "info.item_in_catalog": True,
        "info.catalog_scope": found.scope.value,
        "info.item_basis_form": basis.form.value if basis else None,
        "info.item_basis_in_force": basis.in_force(on) if basis else None,
        "info.supplementary_basis_form": sup_form,
        "info.supplementary_basis_in_force": sup_in_force,
        "info.item_collection": item.collection.value,
        "info.item_personal": item.personal_information,
        "info.item_double_publicity": item.double_publicity,
    }


def _timing(request: InformationRequest, found: FoundItem | None, calendar: WorkingDayCalendar, warnings: list[str]) -> Timing:
    pub = request.publication
    decided = request.item.decision_date
    published = pub.published_on if pub is not None else None
    working: int | None = None
    if decided is not None and published is not None:
        try:
            working = calendar.working_days_between(decided, published)
        except CalendarCoverageError as exc:
            warnings.append(f"working days from {decided} to {published} unknown: {exc.message}")
    until: date | None = None
    within: bool | None = None
    period = found.item.publication_period if found is not None else None
    if period is not None:
        start = published or request.asked_on
        until = start + relativedelta(years=period.years, months=period.months)
        within = request.asked_on <= until
    return Timing(working, until, within)


def derive(catalogs: Catalogs, calendar: WorkingDayCalendar, request: InformationRequest, origin: Located | None = None) -> DerivedInformation:
    """Facts of every question the request can ask, judged on ``asked_on``."""
    on = request.asked_on
    warnings: list[str] = []
    found = find_item(catalogs, request.jurisdiction, on, request.item.kind)
    if not catalogs.layered(INFORMATION_CATALOG, request.jurisdiction, on):
        warnings.append(f"no information catalog in force on {on} for {request.jurisdiction}")
    category = found.category.id if found is not None else None
    touched = [(request.item.kind, category)]
    details = request.item.personal_details
    personal = carries_personal_information(request.subject, details is not None and details.any())
    basis = resolve_basis(catalogs, request.personal_basis, on, origin, ("personal_basis",))
    base: Facts = {
        **_catalog_facts(catalogs, found, on),
        "info.personal_information": personal,
        "subject.kind": request.subject.kind.value,
        **personal_basis_facts(basis, on),
    }
    record = {**base, **consent_facts(request.consent, Use.record, _IMPLIED_PURPOSE[Use.record], touched, on)}
    timing = _timing(request, found, calendar, warnings)
    share: Facts | None = None
    if request.recipient is not None:
        r = request.recipient
        share = {
            **base,
            **consent_facts(request.consent, Use.share, r.purpose, touched, on),
            "share.recipient_kind": r.kind.value,
            "share.recipient_in_scope": (r.kind in found.item.shared_with) if found is not None else None,
        }
    pub = request.publication
    channel = pub.channel if pub is not None else None
    matches: bool | None = None
    if pub is not None and channel in PLATFORMS and pub.until is not None and pub.department_until is not None:
        matches = pub.until == pub.department_until
    publish: Facts = {
        **base,
        **consent_facts(request.consent, Use.publish, _IMPLIED_PURPOSE[Use.publish], touched, on),
        "publish.item_published": found.item.published if found is not None else None,
        "publish.contains_trade_secret": request.item.contains_trade_secret,
        "publish.within_period": timing.within_period,
        "publish.period_matches_department": matches,
        "publish.working_days_after_decision": timing.working_days_after_decision,
    }
    return DerivedInformation(found, record, share, publish, timing, warnings)
