"""Derive the facts of a case: the only place where Python reasons about dates.

Everything the rules compare is computed here once per case: age at the act
date, which catalog edition is in force, the legal form of a standard's basis,
working days of a publicity period.
The rules then stay pure comparisons.
"""

from __future__ import annotations

import bisect
import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from ..catalog.schema import ListingStandard, Period, Publication
from ..catalog.store import CatalogFile, Catalogs
from ..model.case import Case
from ..model.decision import CriterionResult
from ..model.legal import LegalBasis
from ..model.subject import SubjectKind
from .criteria import checked


class Derived(NamedTuple):
    """Facts plus the catalog objects the decision text needs (a named tuple: made once per listing question)."""

    facts: dict[str, object]
    standard: ListingStandard | None
    criteria: tuple[CriterionResult, ...]
    period: Period | None  # the period of the ground whose term governs (its citation and extension go into the answer)
    warnings: tuple[str, ...]


# ------------------------------------------------------------ catalog lookups
#
# Catalog lookups are pure functions of (catalogs, key, date): which domain a
# field is in, which listing standard or legal basis is in force, the
# measures in force.  They depend on the date only through
# which catalog editions are in force on it, so dates are grouped into
# "epochs" between consecutive edition boundaries (an ``effective_from``, or
# the day after an ``effective_to``): every date of an epoch has the same
# editions in force and so the same answers.  A batch asks the same few
# lookups for every case; each is computed once per catalogs object, key and
# epoch.  The memo is bounded; catalogs are immutable, so it never goes stale.

_MEMO_LIMIT = 4096
_MISSING = object()
T = TypeVar("T")


@dataclass
class _CatalogMemo:
    ref: weakref.ref[Catalogs]
    boundaries: tuple[date, ...]
    entries: dict[tuple[object, ...], object]


_MEMOS: dict[int, _CatalogMemo] = {}


def _boundaries(catalogs: Catalogs) -> tuple[date, ...]:
    out: set[date] = set()
    for f in catalogs.files:
        env = f.envelope
        out.add(env.effective_from)
        if env.effective_to is not None and env.effective_to < date.max:
            out.add(env.effective_to + timedelta(days=1))
    return tuple(sorted(out))


def _memo(catalogs: Catalogs) -> _CatalogMemo:
    """The memo of one loaded catalogs object.  Catalogs are immutable, so a memo stays valid while its object
    lives; the weak reference forgets it when the object goes (and guards against a reused ``id``)."""
    key = id(catalogs)
    memo = _MEMOS.get(key)
    if memo is None or memo.ref() is not catalogs:
        ref = weakref.ref(catalogs, functools.partial(_forget, key))
        memo = _MEMOS[key] = _CatalogMemo(ref, _boundaries(catalogs), {})
    return memo


def clear_cache() -> None:
    """Forget every cached catalog lookup (see :meth:`credit_rules.Engine.clear_caches`)."""
    _MEMOS.clear()


def _forget(key: int, ref: weakref.ref[Catalogs]) -> None:
    memo = _MEMOS.get(key)
    if memo is not None and memo.ref is ref:
        del _MEMOS[key]


def catalog_epoch(catalogs: Catalogs, on: date) -> int:
    """Which stretch between catalog edition boundaries *on* falls in.

    Two dates with the same epoch have exactly the same catalog editions in
    force, so every catalog lookup gives the same answer for both.
    """
    return bisect.bisect_right(_memo(catalogs).boundaries, on)


def cached_lookup(catalogs: Catalogs, key: tuple[object, ...], on: date, compute: Callable[[], T]) -> T:
    """``compute()``, a catalog lookup for date *on*, remembered per catalogs, *key* and epoch of *on*."""
    memo = _memo(catalogs)
    full = (*key, bisect.bisect_right(memo.boundaries, on))
    entries = memo.entries
    hit = entries.get(full, _MISSING)
    if hit is _MISSING:
        if len(entries) >= _MEMO_LIMIT:
            entries.clear()
        hit = entries[full] = compute()
    result: T = hit  # type: ignore[assignment]
    return result


def _field_category_uncached(catalogs: Catalogs, field_id: str, on: date) -> int | None:
    for domain in catalogs.domains(on):
        if any(f.id == field_id for f in domain.fields):
            return domain.category
    return None


def _field_category(catalogs: Catalogs, field_id: str, on: date) -> int | None:
    return cached_lookup(catalogs, ("field_category", field_id), on, lambda: _field_category_uncached(catalogs, field_id, on))


def listing_standard(catalogs: Catalogs, ident: str, code: str, on: date) -> tuple[ListingStandard, CatalogFile] | None:
    """``catalogs.listing_standard``, cached per catalog epoch."""
    return cached_lookup(catalogs, ("listing_standard", ident, code), on, lambda: catalogs.listing_standard(ident, code, on))


def legal_basis(catalogs: Catalogs, ident: str, on: date) -> LegalBasis | None:
    """``catalogs.legal_basis``, cached per catalog epoch."""
    return cached_lookup(catalogs, ("legal_basis", ident), on, lambda: catalogs.legal_basis(ident, on))


def determination_facts(case: Case, catalogs: Catalogs, on: date) -> dict[str, object]:
    """Facts for the determination question, judged on date *on*: the case's data as the rules read it.

    Nothing legal is decided here: whether the document is effective or revoked
    on *on*, and whether the subject was a minor at the act, are definitions in
    ``rules/national/gbf-2020-49/determination.yaml``.
    """
    act, subject, doc = case.act, case.subject, case.act.document
    category = _field_category(catalogs, act.field, on)
    return {
        "question.date": on,
        "document.present": doc is not None,
        "document.kind": doc.kind._value_ if doc else None,
        "document.named_by_form": doc.named_by_form._value_ if doc and doc.named_by_form else None,
        "document.effective_on": doc.effective if doc else None,
        "document.revoked_on": doc.revoked if doc else None,
        "document.served_on": doc.served_on if doc else None,
        "document.final_on": doc.final_on if doc else None,
        "document.under_review": bool(doc and doc.under_review),
        "subject.kind": subject.kind._value_,
        "subject.birth_date": subject.birth_date if subject.kind is SubjectKind.natural_person else None,
        "subject.on_red_list": subject.on_red_list,
        "subject.on_serious_list": subject.on_serious_list,
        "subject.uscc_check_mismatch": subject.uscc_check_mismatch,
        "act.date": act.date,
        "act.field": act.field,
        "act.field_known": category is not None,
        "act.domain_category": category,
        "act.gravity": act.gravity._value_,
        "act.intent": act.intent._value_,
        "act.force_majeure": act.force_majeure,
        "act.repeated": act.repeated,
        "act.malicious": act.malicious,
        "act.serious_circumstances": act.serious_circumstances,
        "act.high_social_harm": act.high_social_harm,
        "jurisdiction.code": case.jurisdiction,
    }


_ListingContext = tuple[tuple[ListingStandard, CatalogFile] | None, LegalBasis | None, dict[str, object]]


def _listing_context(catalogs: Catalogs, ident: str, code: str, on: date) -> _ListingContext:
    """Everything about a named listing standard in a jurisdiction that depends only on the catalog
    editions in force on *on*: the standard, its basis and the standard's facts."""
    found = listing_standard(catalogs, ident, code, on)
    if found is None:
        return None, None, {}
    std = found[0]
    return found, legal_basis(catalogs, std.basis.legal_basis, on), _standard_facts(catalogs, std, on)


def _standard_facts(catalogs: Catalogs, std: ListingStandard, on: date) -> dict[str, object]:
    """The facts of a listing standard that depend only on it and the catalog editions in force on *on*
    (its bases' legal forms), not on the exact date or the case: worked out once per catalog epoch."""
    basis = legal_basis(catalogs, std.basis.legal_basis, on)
    establishing = legal_basis(catalogs, std.establishing_basis.legal_basis, on)
    return {
        "standard.effective_from": std.effective_from,
        "standard.effective_to": std.effective_to,
        "standard.basis_id": std.basis.legal_basis,
        "standard.fields": frozenset(std.fields),
        "standard.period_years": std.period.years,
        "standard.period_min_years": std.period.min_years,
        "standard.term_set_by_decision": std.period.set_by_decision,
        "standard.period_extension_max_years": std.period.extendable_years[1] if std.period.extendable_years else None,
        "standard.open_term_criteria": frozenset(c.id for c in std.criteria if c.period is not None),
        "standard.list_kind": std.list_kind._value_,
        "standard.scope": std.scope,
        "standard.issuer_branch": std.issuer_branch._value_,
        "standard.basis_form": basis.form.value if basis else None,
        "standard.establishing_basis_form": establishing.form.value if establishing else None,
        "standard.domain_category": std.domain_category,
        "standard.consultation_days": std.consultation_days,
        "standard.published_on_credit_china": None if std.published_on is None else Publication.credit_china in std.published_on,
        "standard.published_on_department_site": None if std.published_on is None else Publication.department_site in std.published_on,
        "standard.states_removal_conditions": bool(std.removal_conditions),
        "standard.states_procedure": bool(std.procedure),
        "standard.states_remedies": bool(std.remedies),
        "standard.third_party_evaluation": std.third_party_evaluation,
        "standard.conforms_to_49": std.conforms_to_49,
        "standard.minors_excluded": std.minors_excluded,
        "standard.min_authority_level": std.authority.min_level.value if std.authority and std.authority.min_level else None,
        "standard.approval_required_below": (
            std.authority.approval_required_below.value if std.authority and std.authority.approval_required_below else None
        ),
        "standard.authority_rule_verified": std.authority.verified if std.authority else None,
        "standard.listing_mandatory": std.listing_mandatory is not None,
        "standard.requires_final_penalty": std.requires_final_penalty is not None,
        "standard.objection_limit_known": std.objection_answer_limit is not None,
        "standard.objection_answer_limit_days": std.objection_answer_limit.days if std.objection_answer_limit else None,
        "standard.objection_answer_limit_in_working_days": (
            std.objection_answer_limit.working_days if std.objection_answer_limit else None
        ),
    }


def listing_facts(
    case: Case, catalogs: Catalogs, base: dict[str, object]
) -> Derived:
    """Facts for the listing question, judged on the listing decision date."""
    req = case.listing
    assert req is not None
    on = req.decision_date
    facts = dict(base)
    warnings: list[str] = []
    found, basis, standard_facts = cached_lookup(
        catalogs, ("listing_context", req.standard, case.jurisdiction), on, lambda: _listing_context(catalogs, req.standard, case.jurisdiction, on)
    )
    std, std_file = found if found else (None, None)
    facts.update(
        {
            "question.date": on,
            "listing.decision_date": on,
            "listing.upper_level_approved": req.authority.upper_level_approved,
            "listing.stated_criterion_met": req.stated_criterion.met if req.stated_criterion else None,
            "listing.list_kind": req.list_kind._value_,
            "listing.term_set": req.period_years is not None,
            "listing.term_years": req.period_years,
            "listing.candidate_publicity_start": req.candidate_publicity_start,
            "listing.candidate_publicity_end": req.candidate_publicity_end,
            "authority.level": req.authority.level._value_,
            "standard.found": std is not None,
        }
    )
    if std is not None:
        facts.update(standard_facts)
        if not std.source.verified:
            warnings.append(f"standard {std.id}: source not verified ({std.source.citation})")
    notice, objection = req.notice, req.objection
    facts.update(
        {
            "procedure.notice_given": notice is not None and notice.given_on <= on,
            "procedure.notice_states_reasons": bool(notice and notice.states_reasons),
            "procedure.notice_states_basis": bool(notice and notice.states_basis),
            "procedure.notice_states_rights": bool(notice and notice.states_rights),
            "procedure.objection_raised": objection is not None,
            "procedure.objection_raised_on": objection.raised_on if objection else None,
            "procedure.objection_answered_on": objection.answered_on if objection else None,
            "procedure.objection_answered": bool(objection and objection.answered_on and objection.answered_on <= on),
            "procedure.objection_well_founded": bool(objection and objection.well_founded),
        }
    )
    criteria: tuple[CriterionResult, ...] = ()
    period: Period | None = None
    if std is not None:
        check = checked(case.act, std)  # the results and what is read of them, shared per (regime, act's figures)
        criteria, met = check.results, check.met
        period = check.period  # for the answer's citation
        facts.update(
            {
                "standard.has_criteria": bool(std.criteria),
                "criteria.met": frozenset(met),
                "criteria.met_count": len(met),
                "criteria.met_verified_count": check.met_verified_count,
            }
        )
    return Derived(facts, std, criteria, period, tuple(warnings))

