"""Deciding punishment measures, one measure and target at a time.

For each proposed measure (or every measure in force, when the case asks
for all applicable ones) Python derives the facts of that measure against
the case — is it on a list in force here, is it relevant to the act's
field, how its gravity floor compares with the act, who it targets, whether
a market body would be compelled — and the ``measures`` rules decide.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..catalog.kinds.measures import BanGround, Measure
from ..catalog.store import jurisdiction_chain
from ..facts.derive import cached_lookup, legal_basis
from ..model.act import Act
from ..model.case import Case, Question
from ..model.decision import MeasureResult, MeasuresResult, Outcome, QuestionResult
from ..model.measures import COMPELLABLE_NEVER, MeasureProposal
from ..model.subject import SubjectKind
from .evaluation import Evaluation
from .trace import summarize

if TYPE_CHECKING:
    from .decide import Engine

MEASURE_LISTS = "measure_lists"


def measures_in_force(engine: Engine, code: str, on: date) -> dict[str, Measure]:
    """National list first, local supplementary lists over it (an override replaces the entry).

    Cached per jurisdiction and catalog epoch; each call gets its own dict.
    """
    return dict(cached_lookup(engine.catalogs, ("measures_in_force", code), on, lambda: _measures_in_force(engine, code, on)))


def _measures_in_force(engine: Engine, code: str, on: date) -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    for f in engine.catalogs.layered(MEASURE_LISTS, code, on):
        for e in f.entries:
            if isinstance(e, Measure):
                out[e.id] = e
    return out


def _basis_text(engine: Engine, m: Measure, on: date) -> str:
    """《title》article of the measure's legal basis, as in force on *on* (cached per catalog epoch)."""
    basis = legal_basis(engine.catalogs, m.basis.legal_basis, on)
    title = basis.title_zh if basis else m.basis.legal_basis
    return f"《{title}》{m.basis.article or ''}".strip()


def measure_facts(
    case: Case,
    base: dict[str, object],
    m: Measure | None,
    proposal: MeasureProposal,
    on: date,
    subject_lists: frozenset[str],
    start: date | None = None,
) -> dict[str, object]:
    """The facts of one measure against the case: the catalog entry's data as the rules read it.

    The term a measure may run (statutory cap, the listing's end, what the
    case asks) is the definition ``measure_end`` in rules/national/gbf-2020-49/measures.yaml.
    """
    start = start or on
    facts = dict(base)
    act, subject = case.act, case.subject
    target = proposal.target.value if proposal.target is not None else "subject"
    compelled = proposal.compels.value if proposal.compels in COMPELLABLE_NEVER else "none"
    facts.update(
        {
            "act.refused_to_perform": act.refused_to_perform,
            "act.major_loss": act.major_loss,
            "subject.listed": bool(subject_lists),
            "measure.found": m is not None,
            "measure.target": target,
            "measure.compelled_party": compelled,
        }
    )
    if m is None:
        return facts
    if proposal.target is None:
        reached = subject.kind in m.subject_kinds
    else:
        reached = subject.kind is not SubjectKind.natural_person and proposal.target in m.responsible_persons
    ground = governing_ban_ground(m, case.act)
    own_grounds = m.ban is not None and bool(m.ban.grounds)
    # the longest term allowed: the ban's own ground where one is met (none = for life), else the list entry's
    cap = (ground.years if ground is not None else m.max_duration_years) if own_grounds else m.max_duration_years
    counted_from = start
    if ground is not None and ground.counted_from == "document_issued" and act.document is not None:
        counted_from = act.document.issued
    facts.update(
        {
            "measure.in_force": m.effective_from <= on and (m.effective_to is None or on <= m.effective_to),
            "measure.group": int(m.group),
            "measure.kind": m.kind.value,
            "measure.basis_id": m.basis.legal_basis,
            "measure.start": start,
            "measure.term_starts_on": counted_from,
            "measure.requested_years": proposal.duration_years,
            "measure.max_years": cap,
            "measure.tied_to_list": bool(m.required_lists),
            "measure.trigger_met": m.trigger.met(act.conduct) if m.trigger is not None else None,
            "measure.relevant_to_act": act.field in m.fields,
            "measure.gravity_margin": act.gravity.rank - m.gravity_floor.rank,
            "measure.target_reached": reached,
            "measure.on_required_list": not m.required_lists or bool(subject_lists & set(m.required_lists)),
            "measure.is_ban": m.ban is not None,
            "measure.act_in_ban_fields": m.ban is not None and act.field in m.ban.fields,
            "measure.ban_has_own_grounds": own_grounds,
            "measure.ban_own_ground_met": ground is not None,
            "measure.ban_for_life": ground is not None and ground.years is None,
        }
    )
    return facts


def governing_ban_ground(m: Measure, act: Act) -> BanGround | None:
    """The ban's own statutory ground the act meets that sets the longest term (for life beats any years)."""
    met = m.ban.grounds_met(act.conduct) if m.ban is not None else []
    if not met:
        return None
    return max(met, key=lambda g: (g.years is None, g.years or 0))


def _definition(ev: Evaluation, ident: str) -> date | None:
    """The value a definition took in this evaluation (a date here), if it was used."""
    for u in ev.used:
        if u.group.id == ident:
            value = u.outcome.value
            return value if isinstance(value, date) else None
    return None


def decide_measures(
    engine: Engine,
    case: Case,
    base: dict[str, object],
    determination: QuestionResult,
    listing: QuestionResult | None,
    disclosure_basis: str | None,
) -> MeasuresResult:
    req = case.measures
    assert req is not None
    start = req.start or (case.listing.decision_date if case.listing else None) or case.as_of or date.min
    catalog = measures_in_force(engine, case.jurisdiction, start)
    lists = set(case.subject.lists)
    if listing is not None and listing.outcome is Outcome.allowed and case.listing is not None:
        lists.add(case.listing.standard)
    subject_lists = frozenset(lists)
    base = {
        **base,
        "act.lenient": bool(determination.leniency),
        "listing.outcome": listing.outcome.value if listing is not None else None,
        "listing.period_end": listing.period.end if listing is not None and listing.period is not None else None,
    }
    proposals = list(req.proposed)
    if req.all_applicable:
        asked = {(p.measure, p.target) for p in proposals}
        roles = [None, *sorted({p.role for p in case.subject.responsible_persons}, key=lambda r: r.value)]
        for ident in sorted(catalog):
            for role in roles:
                if (ident, role) not in asked and (role is None or role in catalog[ident].responsible_persons):
                    proposals.append(MeasureProposal(measure=ident, target=role))
    applied: list[MeasureResult] = []
    refused: list[MeasureResult] = []
    undetermined: list[MeasureResult] = []
    for proposal in proposals:
        m = catalog.get(proposal.measure)
        facts = measure_facts(case, base, m, proposal, start, subject_lists)
        ev = engine.evaluate(Question.measures, case.jurisdiction, start, facts, ("measure_end",) if m is not None else ())
        verdict = summarize(ev.fired, Outcome.refused, Outcome.allowed, None, ev.unknown)
        allowed = verdict["outcome"] is Outcome.allowed
        outcome = verdict["outcome"] if verdict["outcome"] is Outcome.undetermined else Outcome.allowed if allowed else Outcome.refused
        lifetime = allowed and facts.get("measure.ban_for_life") is True
        end = _definition(ev, "measure_end") if allowed and not lifetime else None
        result = MeasureResult(
            measure=proposal.measure,
            name_zh=m.name_zh if m else None,
            name_en=m.name_en if m else None,
            target=proposal.target.value if proposal.target else "subject",
            outcome=outcome,
            reasons=verdict["reasons"],
            fired=verdict["fired"],
            leniency=verdict["leniency"],
            obligations=verdict["obligations"],
            warnings=verdict["warnings"],
            undetermined_by=verdict["undetermined_by"],
            **ev.details(),
            group=int(m.group) if m else None,
            kind=m.kind.value if m else None,
            basis=_basis_text(engine, m, start) if m else None,
            implementer=m.implementer_zh if m else None,
            start=start if allowed else None,
            end=end if allowed else None,
            lifetime=lifetime and allowed,
            trace=ev.trace,
        )
        (applied if allowed else undetermined if outcome is Outcome.undetermined else refused).append(result)
    return MeasuresResult(
        applied=applied,
        refused=refused,
        undetermined=undetermined,
        prior_notice_must_state=[text for code, text in engine.ruleset.measure_notice if code in jurisdiction_chain(case.jurisdiction)] if applied else [],
    )


__all__ = ["decide_measures", "measure_facts", "measures_in_force"]
