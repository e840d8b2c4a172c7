"""How a subject appears in every output: through the one masking policy.

Decisions, information answers and query-register entries all show the
subject this way, so personal identifiers are masked everywhere unless the
caller names a disclosure basis (law or consent).
"""

from __future__ import annotations

from .masking import mask_subject
from .model.decision import SubjectSummary
from .model.subject import Subject, SubjectKind


def subject_summary(subject: Subject, disclosure_basis: str | None, *, registration: bool = False) -> SubjectSummary:
    """The masked subject; with *registration*, also what its USCC says (registering authority, region, warnings).

    A pure function of the subject's kind, name and identifiers and of the two arguments, so an organisation's is
    remembered on exactly those: an organisation decided again (a case under several dates, a batch of one
    subject's entries) is masked and summarised once.  A natural person's is made afresh each time: a name and a
    resident ID number are personal information, kept no longer than the call that reads them.  The summary is
    frozen and shared, like trace entries (docs/decision.md)."""
    if subject.kind is SubjectKind.natural_person or subject.resident_id is not None:
        return _summary(subject, disclosure_basis, registration)
    key = (subject.kind, subject.name, subject.uscc, disclosure_basis, registration)
    hit = _SUMMARIES.get(key)
    if hit is None:
        if len(_SUMMARIES) >= _SUMMARIES_LIMIT:
            _SUMMARIES.clear()
        hit = _SUMMARIES[key] = _summary(subject, disclosure_basis, registration)
    return hit


_SUMMARIES: dict[tuple[object, ...], SubjectSummary] = {}
_SUMMARIES_LIMIT = 1024


def clear_cache() -> None:
    """Forget the remembered summaries (see :meth:`credit_rules.Engine.clear_caches`)."""
    _SUMMARIES.clear()


def _summary(subject: Subject, disclosure_basis: str | None, registration: bool) -> SubjectSummary:
    name, identifier = mask_subject(
        subject.kind.value, subject.name, resident_id=subject.resident_id, uscc=subject.uscc, disclosure_basis=disclosure_basis
    )
    info = subject.uscc_info if registration else None
    if info is None:
        return SubjectSummary(kind=subject.kind.value, name=name, identifier=identifier)
    warnings = []
    if not info.check_ok:
        warnings.append(f"uscc_check_mismatch: expected {info.expected_check}, registry confirmed")
    if not info.authority_verified:
        warnings.append(f"registration_authority_code_unverified: {info.registration_authority}")
    return SubjectSummary(
        kind=subject.kind.value,
        name=name,
        identifier=identifier,
        registration_authority=info.registration_authority_name_zh or info.registration_authority,
        region_code=info.region_code,
        identifier_warnings=warnings,
    )


__all__ = ["clear_cache", "subject_summary"]
