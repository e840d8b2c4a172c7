"""Deciding a credit repair request (信用修复).

The regime is the ``repair_regimes`` catalog edition in force on the
application date (58号 until 2026-03-31, 36号 from 2026-04-01).  Python
computes the dates — end of the minimum period (with field minimums and a
list's own early-removal wait), end of the maximum period — and the
``repair`` rules decide: not repairable, not yet (with every unmet
condition), or repairable now.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from ..catalog.kinds.repair import RepairAfter, RepairRegime, Tier
from ..catalog.schema import EarlyRemoval
from ..catalog.store import NATIONAL
from ..facts.derive import cached_lookup, listing_standard
from ..model.case import Case, Question
from ..model.decision import Effect, Outcome, RegimeRef, RepairResult, Statement
from ..model.repair import InformationKind, RepairRequest
from ..workdays import plus_months

if TYPE_CHECKING:
    from .decide import Engine

REPAIR_REGIMES = "repair_regimes"


def _regime(engine: Engine, on: date) -> RepairRegime | None:
    """The repair regime of the ``repair_regimes`` edition in force on *on*."""
    edition = engine.catalogs.in_force(REPAIR_REGIMES, NATIONAL, on)
    return next((e for e in edition.entries if isinstance(e, RepairRegime)), None) if edition else None


def _wait_starts(removal: EarlyRemoval, req: RepairRequest, applied_on: date, notes: list[Statement]) -> date:
    """The day a list's early-removal wait runs from: the listing decision, or the correction (not before the listing).

    A wait counted from the correction, with no correction date given, is
    taken to start on the application date: the whole wait is still ahead.
    """
    if removal.counted_from == "listing":
        return req.document_date
    if req.corrected_on is None:
        notes.append(Statement(id="correction_date_not_given", zh=f"未提供整改日期：{removal.after_months}个月的等待期自申请之日起算", en=f"correction date not given: the {removal.after_months}-month wait is counted from the application date", citation=removal.citation))
        return applied_on
    return max(req.document_date, req.corrected_on)


def _regime_citation(engine: Engine, regime: RepairRegime, on: date) -> str:
    """The governing regime by its document's name and article (国家发展改革委令第58号 第二条), never a catalog id."""
    basis = engine.catalogs.legal_basis(regime.basis.legal_basis, on)
    name = (basis.doc_number or f"《{basis.title_zh}》") if basis is not None else regime.name_zh
    return f"{name} {regime.basis.article or ''}".strip()


def decide_repair(engine: Engine, case: Case, base: dict[str, object]) -> RepairResult:
    req = case.repair
    assert req is not None
    applied_on = req.application_date or case.as_of or req.document_date
    regime = cached_lookup(engine.catalogs, ("repair_regime",), applied_on, lambda: _regime(engine, applied_on))
    tier: Tier | None = next((t for t in regime.tiers if t.tier.value == req.tier), None) if regime else None
    unverified: list[str] = []
    unmet_notes: list[Statement] = []  # unmet conditions the rules cannot state (a date the case does not give)

    earliest: date | None = None
    ends: date | None = None
    if tier is not None:
        min_months = tier.min_months or 0
        for fm in regime.field_minimums if regime else []:
            if case.act.field in fm.fields and fm.min_months > min_months:
                min_months = fm.min_months
                if not fm.verified:
                    unverified.append(f"field minimum {fm.min_months} months ({fm.citation})")
        earliest = plus_months(req.document_date, min_months) if tier.repair_after is RepairAfter.min_period else req.document_date
        ends = plus_months(req.document_date, tier.max_months) if tier.max_months is not None else None
        if not tier.verified:
            unverified.append(f"tier {tier.tier.value} of {regime.id if regime else '?'} ({tier.citation})")

    min_period_end = earliest  # the regime's minimum period alone; a list's own wait is E2.list_waiting_time's
    months_left: int | None = None
    deletion_deadline: date | None = None
    if req.information is InformationKind.serious_list and req.listing_standard:
        found = listing_standard(engine.catalogs, req.listing_standard, case.jurisdiction, req.document_date)
        removal = found[0].early_removal if found else None
        deletion = found[0].deletion if found else None
        if deletion is not None and req.deletion_ground_met_on is not None:
            deletion_deadline = engine.calendar.add_working_days(req.deletion_ground_met_on, deletion.deadline_working_days)
        if removal is not None and removal.after_months is not None:
            wait_until = plus_months(_wait_starts(removal, req, applied_on, unmet_notes), removal.after_months)
            earliest = max(earliest, wait_until) if earliest else wait_until
            delta = relativedelta(wait_until, applied_on)
            months_left = delta.years * 12 + delta.months + (1 if delta.days > 0 else 0)
            if not removal.verified:
                unverified.append(f"early removal after {removal.after_months} months ({removal.citation})")

    facts = {
        **base,
        "repair.regime_found": regime is not None,
        "repair.regime": regime.id if regime else None,
        "repair.regime_basis_id": regime.basis.legal_basis if regime else None,
        "repair.penalty_kinds": frozenset(k.value for k in req.penalty.kinds) if req.penalty else None,
        "repair.penalty_by_market_regulator": req.penalty.by_market_regulator if req.penalty else False,
        "repair.information": req.information.value,
        "repair.tier_known": tier is not None,
        "repair.tier_published": tier.published if tier else None,
        "repair.tier_repairable": tier.repair_after is not RepairAfter.never if tier else None,
        "repair.waits_for_min_period": tier.repair_after is RepairAfter.min_period if tier else None,
        "repair.days_to_min_period": (min_period_end - applied_on).days if min_period_end else None,
        "repair.max_period_passed": ends is not None and applied_on >= ends,
        "repair.obligations_performed": req.obligations_performed,
        "repair.act_corrected": req.act_corrected,
        "repair.credit_commitment": req.credit_commitment,
        "repair.adverse_effect_eliminated": req.adverse_effect_eliminated,
        "repair.false_materials_found": req.false_materials_found,
        "repair.repeated_violation": req.repeated_violation,
        "repair.non_repairable_claimed": req.non_repairable_basis is not None,
        "repair.non_repairable_basis_form": req.non_repairable_basis_form.value if req.non_repairable_basis_form else None,
        "repair.fee_charged": req.fee_charged,
        "repair.early_removal_months_left": months_left,
        "repair.deletion_ground_met": deletion_deadline is not None,
    }
    ev = engine.evaluate(Question.repair, case.jurisdiction, applied_on, facts)
    verdict = engine.result("repair", ev, refused=Outcome.not_repairable, ok=Outcome.repairable, deferred=Outcome.not_yet)
    unmet = [Statement.from_rule(t) for t in verdict.trace if t.rule in verdict.fired and t.effect is Effect.defer]
    unmet += unmet_notes
    deadline = None
    if regime is not None and regime.deadlines is not None:
        d = regime.deadlines
        if d.accept_working_days is None and d.decide_working_days is None:
            deadline = f"not confirmed ({d.citation})"
        else:
            deadline = f"accept within {d.accept_working_days} working days, answer within {d.decide_working_days} ({d.citation})"
            if not d.verified:
                unverified.append(f"deadlines ({d.citation})")
    return RepairResult(
        outcome=verdict.outcome,
        regime=RegimeRef(id=regime.id, name_zh=regime.name_zh, citation=_regime_citation(engine, regime, applied_on),
                         chosen_by=f"{regime.chosen_by}; application date {applied_on.isoformat()}") if regime else None,
        reasons=verdict.reasons,
        fired=verdict.fired,
        obligations=verdict.obligations,
        warnings=verdict.warnings,
        earliest_date=earliest if verdict.outcome is not Outcome.not_repairable else None,
        publication_ends=ends,
        unmet_conditions=unmet,
        methods_accepted=list(regime.methods) if regime else [],
        effects=list(regime.effects) if regime else [],
        answer_deadline=deadline,
        deletion_deadline=deletion_deadline,
        fee=f"free of charge; any fee is unlawful ({regime.free_of_charge_citation})" if regime else "free of charge; any fee is unlawful",
        unverified=sorted({*unverified, *verdict.unverified}),
        undetermined_by=verdict.undetermined_by,
        missing=verdict.missing,
        definitions=verdict.definitions,
        trace=verdict.trace,
    )
