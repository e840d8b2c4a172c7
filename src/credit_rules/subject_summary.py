"""How a subject appears in every output: through the one masking policy.

Decisions, information answers and query-register entries all show the
subject this way, so personal identifiers are masked everywhere unless the
caller names a disclosure basis (law or consent).
"""

from __future__ import annotations

from .masking import mask_subject
from .model.decision import SubjectSummary
from .model.subject import Subject


def subject_summary(subject: Subject, disclosure_basis: str | None, *, registration: bool = False) -> SubjectSummary:
    """The masked subject; with *registration*, also what its USCC says (registering authority, region, warnings)."""
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


__all__ = ["subject_summary"]
