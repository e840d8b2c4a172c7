"""``decide_information``: record, share and publish questions over one information request.

The rules run through :meth:`Engine.evaluate` and :meth:`Engine.result`, the
same path as the case questions, so both backends and the trace format are
shared.  The record question is always evaluated, because sharing and
publishing presuppose information that may be recorded at all (its outcome
feeds ``record.allowed``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from .. import masking
from ..catalog.kinds.information import ACCESS_POLICY, INFORMATION_CATALOG
from ..model.case import Question
from ..model.decision import DefinitionEntry, EditionRef, Outcome, QuestionResult
from ..subject_summary import subject_summary
from ..yamlsource import Located
from .catalog import FoundItem, basis_text, period_text
from .facts import derive
from .model import (
    InformationDecision,
    InformationRequest,
    ItemSummary,
    PublicationTiming,
    PublishedRecord,
    Use,
)

if TYPE_CHECKING:
    from ..engine.decide import Engine

#: catalog kinds an information decision reports among its editions
REPORTED_KINDS = (INFORMATION_CATALOG, ACCESS_POLICY, "legal_bases", "jurisdiction")
#: definitions the publication section reports (rules/national/gbf-2020-49/information.yaml, the 梧州 layer)
UNTIL, WORKING_DAYS, DEADLINE, ON_TIME = "publication_until", "working_days_to_publication", "publication_deadline", "published_within_deadline"
TIMING_OUTPUTS = (UNTIL, WORKING_DAYS, DEADLINE, ON_TIME)
DEADLINE_DAYS = "double_publicity_working_days"
#: the obligation and reason of rule A3.no_contact_details
WITHHOLD, WITHHELD_REASON = "withhold_phone_and_address", "contact_details_withheld"


def editions(engine: Engine, code: str, on: date, kinds: tuple[str, ...] = REPORTED_KINDS) -> list[EditionRef]:
    return [r for r in engine.catalogs.used(code, on) if r.kind in kinds]


def _ask(
    engine: Engine, question: Question, request: InformationRequest, facts: dict[str, object], outputs: tuple[str, ...] = ()
) -> tuple[QuestionResult, Mapping[str, object]]:
    """The question's result, and every fact and definition value it was decided on (for the timing section)."""
    ev = engine.evaluate(question, request.jurisdiction, request.asked_on, facts, outputs)
    return engine.result(question.value, ev, refused=Outcome.refused, ok=Outcome.allowed), ev.facts


def _item_summary(engine: Engine, found: FoundItem, on: date) -> ItemSummary:
    item, cat = found.item, found.category
    return ItemSummary(
        id=item.id,
        name_zh=item.name_zh,
        name_en=item.name_en,
        category=cat.id,
        category_name_zh=cat.name_zh,
        scope=found.scope.value,
        catalog=found.file.ref(),
        source_body=item.source_body,
        legal_basis=basis_text(engine.catalogs, item.legal_basis.legal_basis, item.legal_basis.article, on) if item.legal_basis else None,
        shared_with=[k.value for k in item.shared_with],
        share_verified=item.share_verified,
        published=item.published,
        publish_verified=item.publish_verified,
        double_publicity=item.double_publicity,
        publication_period=period_text(item.publication_period),
        personal_information=item.personal_information,
        verified=item.source.verified,
    )


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _timing(request: InformationRequest, found: FoundItem | None, result: QuestionResult, values: Mapping[str, object]) -> PublicationTiming:
    """The publication section: every date and count is a definition's value, with its citation (nothing computed here)."""
    used = {d.id: d for d in result.definitions}
    deadline_def = used.get(DEADLINE) if found is not None and found.item.double_publicity else None
    deadline = _date(values.get(DEADLINE)) if deadline_def is not None else None
    days = next((p.value for p in deadline_def.params if p.name == DEADLINE_DAYS), None) if deadline_def is not None else None
    working = values.get(WORKING_DAYS)
    on_time = values.get(ON_TIME) if deadline is not None else None
    until_def = used.get(UNTIL)
    return PublicationTiming(
        decision_date=request.item.decision_date,
        deadline=deadline,
        deadline_working_days=days if isinstance(days, int) and deadline is not None else None,
        deadline_citation=deadline_def.citation if deadline is not None and deadline_def is not None else None,
        published_on=request.publication.published_on if request.publication else None,
        working_days_after_decision=working if isinstance(working, int) else None,
        on_time=on_time if isinstance(on_time, bool) else None,
        until=_date(values.get(UNTIL)),
        period_citation=_period_citation(found, until_def),
    )


def _period_citation(found: FoundItem | None, until: DefinitionEntry | None) -> str | None:
    """The catalog period's own citation when the catalog period decided; else the paragraph that did."""
    if until is None or until.value is None:
        return None
    if until.decided_by in (None, "catalog_period"):
        period = found.item.publication_period if found is not None else None
        return period.citation if period is not None else None
    return until.citation


def _published_record(request: InformationRequest, found: FoundItem, publish: QuestionResult) -> PublishedRecord:
    """The record as it may be published: desensitised whatever the caller's disclosure basis (49号(四)).

    A natural person's phone and address are withheld when rule
    ``A3.no_contact_details`` fired (its obligation), and the record says why.
    """
    s = request.subject
    name, ident = masking.mask_subject(s.kind.value, s.name, resident_id=s.resident_id, uscc=s.uscc)
    details = request.item.personal_details
    known = _known_personal(request)
    summary = masking.scrub_text(request.item.summary, known) if request.item.summary else None
    withheld: list[str] = []
    because: list[str] = []
    if WITHHOLD in publish.obligations and details is not None:
        withheld = [f for f, v in (("phone", details.phone), ("address", details.address)) if v]
        because = [f"{t.rule} ({t.citation})" for t in publish.trace if t.rule in publish.fired and t.reason == WITHHELD_REASON]
    penalty = request.item.penalty
    return PublishedRecord(
        subject_kind=s.kind.value,
        subject_name=name,
        identifier=ident,
        item=found.item.id,
        item_name_zh=found.item.name_zh,
        # free text written by the deciding office: a document number can carry a resident ID (a 文书号 naming the person)
        document_number=masking.scrub_text(request.item.document_number, known) if request.item.document_number else None,
        decision_date=request.item.decision_date,
        summary=summary,
        penalty_kinds=[k.value for k in penalty.kinds] if penalty is not None else [],
        fine_amount=penalty.fine_amount if penalty is not None else None,
        bank_account=masking.mask_bank_account(details.bank_account) if details and details.bank_account else None,
        withheld=withheld,
        withheld_because=because,
    )


def _known_personal(request: InformationRequest) -> list[tuple[masking.PersonalField, str]]:
    """The personal values of a request, so free text mentioning them can be scrubbed."""
    s = request.subject
    known: list[tuple[masking.PersonalField, str]] = []
    if s.kind.value == masking.NATURAL_PERSON:
        known.append((masking.PersonalField.name, s.name))
    if s.resident_id:
        known.append((masking.PersonalField.resident_id, s.resident_id))
    for person in s.responsible_persons:
        known.append((masking.PersonalField.name, person.name))
        if person.resident_id:
            known.append((masking.PersonalField.resident_id, person.resident_id))
    d = request.item.personal_details
    if d is not None:
        for f, v in ((masking.PersonalField.phone, d.phone), (masking.PersonalField.address, d.address), (masking.PersonalField.bank_account, d.bank_account)):
            if v:
                known.append((f, v))
    return known


def _unverified(found: FoundItem | None, asked: list[Use]) -> list[str]:
    """Warnings for every unconfirmed catalog fact the decision relied on (never silent)."""
    if found is None:
        return []
    item, env = found.item, found.file.envelope
    out: list[str] = []
    if env.source is not None and not env.source.verified:
        out.append(f"information catalog {env.jurisdiction}:{env.edition}: not verified ({env.source.citation})")
    if not found.category.source.verified:
        out.append(f"information category {found.category.id}: not verified ({found.category.source.citation})")
    if not item.source.verified:
        out.append(f"information item {item.id}: source not verified ({item.source.citation})")
    if Use.share in asked and not item.share_verified:
        out.append(f"information item {item.id}: sharing scope not verified")
    if Use.publish in asked and not item.publish_verified:
        out.append(f"information item {item.id}: publication flag not verified")
    if Use.publish in asked and item.publication_period is not None and not item.publication_period.verified:
        out.append(f"information item {item.id}: publication period not verified ({item.publication_period.citation})")
    return out


def decide_information(
    engine: Engine,
    request: InformationRequest,
    *,
    disclosure_basis: str | None = None,
    origin: Located | None = None,
) -> InformationDecision:
    """Decide whether the item may be recorded, shared (with the recipient) and published, and how.

    Pure: no clock, no network; the same request gives byte-identical JSON.
    ``disclosure_basis`` names the law or consent allowing the subject's
    identifiers to appear unmasked in *this decision*; what may be
    *published* is always desensitised.  ``origin`` locates errors in the
    request file (the CLI passes it).
    """
    asked = request.asked()
    derived = derive(engine.catalogs, request, origin)
    warnings = list(derived.warnings)
    record, _ = _ask(engine, Question.record, request, derived.record)
    recordable = None if record.outcome is Outcome.undetermined else record.outcome is Outcome.allowed
    share = None
    if Use.share in asked and derived.share is not None:
        share, _ = _ask(engine, Question.share, request, {**derived.share, "record.allowed": recordable})
    publish = None
    timing = None
    published = None
    if Use.publish in asked and derived.publish is not None:
        publish, values = _ask(engine, Question.publish, request, {**derived.publish, "record.allowed": recordable}, TIMING_OUTPUTS)
        timing = _timing(request, derived.found, publish, values)
        if publish.outcome is Outcome.allowed and derived.found is not None:
            published = _published_record(request, derived.found, publish)
    warnings += _unverified(derived.found, asked)
    return InformationDecision(
        request_id=request.request_id,
        asked_on=request.asked_on,
        jurisdiction=request.jurisdiction,
        subject=subject_summary(request.subject, disclosure_basis),
        masking=f"disclosed ({disclosure_basis})" if disclosure_basis else "masked",
        item=_item_summary(engine, derived.found, request.asked_on) if derived.found is not None else None,
        ruleset=engine.ruleset.name,
        ruleset_version=engine.ruleset.version,
        backend=engine.backend.name,
        catalog_editions=editions(engine, request.jurisdiction, request.asked_on),
        record=record if Use.record in asked else None,
        share=share,
        publish=publish,
        publication=timing,
        published_record=published,
        warnings=sorted(set(warnings)),
    )
