"""Deciding a credit repair request (信用修复).

Python only looks things up: the national regime whose ``repair_regimes``
edition is in force on the application date, the one in force on the document
date (the information was recorded under it), a list's own deletion rule
(``list_repair_regimes``, e.g. 法释〔2017〕7号 for the court list) and the list's
early-removal wait.  It copies their dates and figures into facts.  Which
regime governs (the list's own rule over the NDRC regime; the later regime
over the earlier, keeping a softer earlier period only where the later says
so), the periods, the earliest date and the deletion deadline are definitions
in ``rules/national/ndrc-repair/repair.yaml``, traced with their citations; the
``repair`` rules then decide: not repairable, not yet (with every unmet
condition), or repairable now.
"""

from __future__ import annotations

import functools
from datetime import date

from ..catalog.kinds.repair import ListRepairRegime, RepairAfter, RepairRegime, Tier
from ..catalog.store import NATIONAL
from ..facts.derive import cached_lookup, legal_basis, listing_standard
from ..model.case import Case, Question
from ..model.decision import Effect, Outcome, RegimeRef, RepairResult, Statement, TraceEntry
from ..model.repair import InformationKind
from .deferred import DEFERRED
from .evaluation import Evaluator, answer


REPAIR_REGIMES = "repair_regimes"
LIST_REPAIR_REGIMES = "list_repair_regimes"

OUTPUTS = ("governing_regime", "list_regime_governs", "earliest_repair_date", "publication_ends", "deletion_deadline",
           "field_minimum_applies")
"""Definitions the result reads besides those the rules read."""

Dated = tuple[RepairRegime, date, date | None]
DatedList = tuple[ListRepairRegime, date, date | None]


def _regime(engine: Evaluator, on: date) -> Dated | None:
    """The national repair regime of the ``repair_regimes`` edition in force on *on*, with the edition's dates."""
    edition = engine.catalogs.in_force(REPAIR_REGIMES, NATIONAL, on)
    if edition is None:
        return None
    regime = next((e for e in edition.entries if isinstance(e, RepairRegime)), None)
    return (regime, edition.envelope.effective_from, edition.envelope.effective_to) if regime else None


def _list_regime(engine: Evaluator, standard: str, on: date) -> DatedList | None:
    """The list's own deletion rule (``list_repair_regimes``) in force on *on* that names *standard*: a keyed lookup."""
    edition = engine.catalogs.in_force(LIST_REPAIR_REGIMES, NATIONAL, on)
    if edition is None:
        return None
    found = next((e for e in edition.entries if isinstance(e, ListRepairRegime) and standard in e.lists), None)
    return (found, edition.envelope.effective_from, edition.envelope.effective_to) if found else None


def _tier(regime: RepairRegime | None, name: str) -> Tier | None:
    if regime is None:
        return None
    key = (id(regime), name)
    hit = _TIERS.get(key)
    if hit is None or hit[0] is not regime:
        if len(_TIERS) >= 256:
            _TIERS.clear()
        hit = _TIERS[key] = (regime, next((t for t in regime.tiers if t.tier.value == name), None))
    return hit[1]


_TIERS: dict[tuple[int, str], tuple[RepairRegime, Tier | None]] = {}
"""A regime's tier by name, per loaded regime (catalog entries are immutable; the entry holds the regime, so its
id is not reused while the entry lives)."""


_BARS = ("false_materials", "repeated_violation")
"""The regime ``bars`` (catalog ids) the repair facts carry as ``repair.<id>_bar_years`` and ``repair.<id>_bar_verified``."""


def _bar_facts(regime: RepairRegime | None) -> dict[str, object]:
    """The governing regime's bars on applying, copied into facts: each bar's years (None while the catalog gives none,
    i.e. unconfirmed) and its entry's ``verified``.  A regime without the bar gives None for both — unknown, never
    "no bar"; the rules read them only under the regime whose bars they are."""
    bars = {b.id: b for b in regime.bars} if regime else {}
    facts: dict[str, object] = {}
    for ident in _BARS:
        bar = bars.get(ident)
        facts[f"repair.{ident}_bar_years"] = bar.years if bar else None
        facts[f"repair.{ident}_bar_verified"] = bar.verified if bar else None
    return facts


@functools.lru_cache(maxsize=256)
def _statement(ident: str, zh: str, en: str | None, citation: str | None) -> Statement:
    """A statement made of catalog text, made once (a pure function of strings; statements are frozen, so
    decisions share them, as they share trace entries)."""
    return Statement(id=ident, zh=zh, en=en, citation=citation)


def clear_cache() -> None:
    """Forget the remembered tiers and statements (see :meth:`credit_rules.Engine.clear_caches`)."""
    _TIERS.clear()
    _statement.cache_clear()


def _unmet(entry: TraceEntry) -> Statement:
    """What a fired ``defer`` rule says (``Statement.from_rule``), made once per (shared, frozen) trace entry."""
    return _statement(entry.reason, entry.message_zh, entry.message_en, entry.citation)


def _basis_citation(engine: Evaluator, ident: str, article: str | None, fallback: str, on: date) -> str:
    """A regime by its document's name and article (国家发展改革委令第58号 第二条), never a catalog id."""
    basis = legal_basis(engine.catalogs, ident, on)
    name = (basis.doc_number or f"《{basis.title_zh}》") if basis is not None else fallback
    return f"{name} {article or ''}".strip()


def decide_repair(engine: Evaluator, case: Case, base: dict[str, object]) -> RepairResult:
    req = case.repair
    assert req is not None
    applied_on = req.application_date or case.as_of or req.document_date
    dated = cached_lookup(engine.catalogs, ("repair_regime",), applied_on, lambda: _regime(engine, applied_on))
    earlier = cached_lookup(engine.catalogs, ("repair_regime",), req.document_date, lambda: _regime(engine, req.document_date))
    regime = dated[0] if dated else None
    tier = _tier(regime, req.tier)
    earlier_tier = _tier(earlier[0], req.tier) if earlier else None
    field_min = regime.field_minimums[0] if regime and regime.field_minimums else None

    removal = None
    own: DatedList | None = None
    # the list the entry is on, where the request names one in force here on the document date (else unknown)
    list_found: str | None = None
    if req.information is InformationKind.serious_list and req.listing_standard:
        found = listing_standard(engine.catalogs, req.listing_standard, case.jurisdiction, req.document_date)
        removal = found[0].early_removal if found else None
        list_found = req.listing_standard if found else None
        std = req.listing_standard
        own = cached_lookup(engine.catalogs, ("list_repair_regime", std), applied_on, lambda: _list_regime(engine, std, applied_on))
    wait = removal if removal is not None and removal.after_months is not None else None
    list_regime = own[0] if own else None

    facts = {
        **base,
        "repair.application_date": applied_on,
        "repair.document_date": req.document_date,
        "repair.corrected_on": req.corrected_on,
        "repair.deletion_ground_met_on": req.deletion_ground_met_on,
        "repair.listing_has_term": req.listing_has_term,
        "repair.listing_term_years": req.listing_term_years,
        "repair.penalty_kinds": frozenset(k.value for k in req.penalty.kinds) if req.penalty else None,
        "repair.penalty_by_market_regulator": req.penalty.by_market_regulator if req.penalty else False,
        "repair.information": req.information.value,
        "repair.obligations_performed": req.obligations_performed,
        "repair.act_corrected": req.act_corrected,
        "repair.credit_commitment": req.credit_commitment,
        "repair.adverse_effect_eliminated": req.adverse_effect_eliminated,
        "repair.false_materials_found": req.false_materials_found,
        "repair.false_materials_found_on": req.false_materials_found_on,
        "repair.repeated_violation": req.repeated_violation,
        "repair.repeated_violation_found_on": req.repeated_violation_found_on,
        "repair.non_repairable_claimed": req.non_repairable_basis is not None,
        "repair.non_repairable_basis_form": req.non_repairable_basis_form.value if req.non_repairable_basis_form else None,
        "repair.fee_charged": req.fee_charged,
        # the national regime in force on the application date
        "repair.regime": regime.id if regime else None,
        "repair.regime_basis_id": regime.basis.legal_basis if regime else None,
        "repair.regime_effective_from": dated[1] if dated else None,
        "repair.regime_effective_to": dated[2] if dated else None,
        **_bar_facts(regime),
        "repair.tier_known": tier is not None,
        "repair.tier_published": tier.published if tier else None,
        "repair.tier_repairable": tier.repair_after is not RepairAfter.never if tier else None,
        "repair.waits_for_min_period": tier.repair_after is RepairAfter.min_period if tier else None,
        "repair.tier_min_months": tier.min_months if tier else None,
        "repair.tier_max_months": tier.max_months if tier else None,
        "repair.field_minimum_fields": frozenset(field_min.fields) if field_min else None,
        "repair.regime_information": frozenset(regime.information) if regime else None,
        "repair.field_minimum_months": field_min.min_months if field_min else None,
        "repair.keeps_softer_earlier_periods": regime.transition.keeps_softer_earlier_periods if regime and regime.transition else None,
        # the national regime in force when the information was recorded
        "repair.earlier_regime": earlier[0].id if earlier else None,
        "repair.earlier_tier_min_months": earlier_tier.min_months if earlier_tier else None,
        "repair.earlier_tier_max_months": earlier_tier.max_months if earlier_tier else None,
        # the list's own rules
        "repair.list_wait_months": wait.after_months if wait else None,
        "repair.list_wait_counted_from": wait.counted_from if wait else None,
        "repair.list_standard": list_found,
        # unknown where the list is not known; a list with no early-removal rule requires nothing
        "repair.list_removal_requires_commitment": (removal.requires_credit_commitment if removal else False) if list_found else None,
        "repair.list_regime": list_regime.id if list_regime else None,
        "repair.list_regime_effective_from": own[1] if own else None,
        "repair.list_regime_effective_to": own[2] if own else None,
        "repair.list_ground_deletion_working_days": list_regime.ground_deletion.working_days if list_regime else None,
        "repair.list_term_end_deletion_working_days": list_regime.term_end_deletion.working_days if list_regime else None,
    }
    deferred = DEFERRED.get()
    if deferred is not None:  # a compact batch decides the repair rows of its chunk column-wise (engine/deferred.py)
        deferred.repair.append((case.jurisdiction, applied_on, facts))
        return RepairResult(outcome=Outcome.undetermined, regime=None, reasons=[], fired=[], trace=[])
    ev = engine.evaluate(Question.repair, case.jurisdiction, applied_on, facts, OUTPUTS)
    verdict = answer(ev, refused=Outcome.not_repairable, ok=Outcome.repairable, deferred=Outcome.not_yet)
    outcome, fired = verdict["outcome"], verdict["fired"]
    unmet = [_unmet(t) for t in ev.trace if t.effect is Effect.defer and t.rule in fired]
    by_list = ev.value("list_regime_governs") is True and list_regime is not None

    unverified: list[str] = []
    if by_list and list_regime is not None:
        unverified += [f"list_deletion_working_days ({d.citation})" for d in (list_regime.ground_deletion, list_regime.term_end_deletion) if not d.verified]
    elif regime is not None:
        # short, stable codes and the document's name: the same in every language (#15 item 11)
        if tier is not None and not tier.verified:
            unverified.append(f"repair_tier_{tier.tier.value} ({tier.citation})")
        if field_min is not None and ev.value("field_minimum_applies") is True and not field_min.verified:
            unverified.append(f"field_minimum_{field_min.min_months}_months ({field_min.citation})")
    if wait is not None:
        if not wait.verified:
            unverified.append(f"early_removal_after_{wait.after_months}_months ({wait.citation})")
        if wait.counted_from == "correction" and req.corrected_on is None:
            unmet.append(Statement(
                id="correction_date_not_given", zh=f"未提供整改日期：{wait.after_months}个月的等待期自申请之日起算",
                en=f"correction date not given: the {wait.after_months}-month wait is counted from the application date",
                citation=wait.citation,
            ))

    deadline: Statement | None = None
    if not by_list and regime is not None and regime.deadlines is not None:
        d = regime.deadlines
        if d.accept_working_days is None and d.decide_working_days is None:
            deadline = _statement("answer_deadline_not_confirmed", "办理时限未经核实", "not confirmed", d.citation)
        else:
            deadline = _statement(
                "answer_deadline", f"{d.accept_working_days}个工作日内受理，{d.decide_working_days}个工作日内作出决定",
                f"accept within {d.accept_working_days} working days, answer within {d.decide_working_days}", d.citation,
            )
            if not d.verified:
                unverified.append(f"answer_deadlines ({d.citation})")

    ref: RegimeRef | None = None
    if by_list and list_regime is not None:
        ref = RegimeRef(id=list_regime.id, name_zh=list_regime.name_zh,
                        citation=_basis_citation(engine, list_regime.basis.legal_basis, list_regime.basis.article, list_regime.name_zh, applied_on),
                        chosen_by=f"{list_regime.chosen_by}; application date {applied_on.isoformat()}")
    elif regime is not None:
        ref = RegimeRef(id=regime.id, name_zh=regime.name_zh,
                        citation=_basis_citation(engine, regime.basis.legal_basis, regime.basis.article, regime.name_zh, applied_on),
                        chosen_by=f"{regime.chosen_by}; application date {applied_on.isoformat()}")
    free = list_regime.free_of_charge_citation if by_list and list_regime else regime.free_of_charge_citation if regime else None
    earliest = ev.value("earliest_repair_date")
    ends = ev.value("publication_ends")
    deletion = ev.value("deletion_deadline")
    return RepairResult(
        outcome=outcome,
        regime=ref,
        reasons=verdict["reasons"],
        fired=fired,
        obligations=verdict["obligations"],
        warnings=verdict["warnings"],
        earliest_date=earliest if isinstance(earliest, date) and outcome is not Outcome.not_repairable else None,
        publication_ends=ends if isinstance(ends, date) and not by_list else None,
        unmet_conditions=unmet,
        methods_accepted=list(regime.methods) if regime and not by_list else [],
        effects=list(list_regime.effects) if by_list and list_regime else list(regime.effects) if regime else [],
        answer_deadline=deadline,
        deletion_deadline=deletion if isinstance(deletion, date) and by_list else None,
        fee=_statement("free_of_charge", "免费；收取任何费用均属违法", "free of charge; any fee is unlawful", free),
        unverified=sorted({*unverified, *verdict["unverified"]}),
        undetermined_by=verdict["undetermined_by"],
        missing=verdict["missing"],
        definitions=verdict["definitions"],
        trace=ev.trace,
    )
